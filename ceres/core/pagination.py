"""Pagination that never counts the nation: a list says "plus de 1 000" instead of counting two million rows."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_LIMIT = 1000


class BoundedPaginator(Paginator):
    """Counts at most ``limit`` rows (one COUNT over ``limit + 1`` rows, an index range); ``truncated`` says there are
    more. Pages beyond the limit are not offered: the user narrows the search instead (issue #14)."""

    def __init__(self, object_list, per_page, *, limit: int = COUNT_LIMIT, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    @cached_property
    def _bounded_count(self) -> int:
        if hasattr(self.object_list, "bounded_count"):
            return self.object_list.bounded_count(self.limit)
        return self.object_list.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.limit)

    @property
    def truncated(self) -> bool:
        return self._bounded_count > self.limit


def with_details(page, queryset):
    """Give the page the same rows read again from `queryset` (with its joins), in the page's order. A list
    paginated without its display joins lets PostgreSQL filter and sort the scope first; joined before the
    filter, it read the related rows of the whole nation (issue #14: agréments, duplicates)."""
    ids = [obj.pk for obj in page.object_list]
    found = queryset.in_bulk(ids)
    page.object_list = [found[pk] for pk in ids]
    return page
