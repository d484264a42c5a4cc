import re
import uuid

from django.http import HttpResponse
from django.utils.decorators import method_decorator


class PageMixin:
    """Gives every page its <title> and DSFR breadcrumb (django-dsfr's init_payload)."""

    page_title = ""
    breadcrumb: list[tuple[str, str]] = []  # (label, url) of the parents

    def get_page_title(self):
        return self.page_title

    def get_breadcrumb(self):
        return self.breadcrumb

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        title = self.get_page_title()
        context["title"] = title
        context["breadcrumb_data"] = {
            "links": [{"url": url, "title": label} for label, url in self.get_breadcrumb()],
            "current": title,
        }
        return context


def htmx_template(request, full: str, partial: str) -> str:
    """One URL, two renderings: the partial for htmx requests, the full page otherwise."""
    return partial if getattr(request, "htmx", False) else full


def public(view):
    """Marks a class-based view as reachable without login."""
    from django.contrib.auth.decorators import login_not_required

    return method_decorator(login_not_required, name="dispatch")(view)


def int_param(value) -> int | None:
    """A posted or query-string database id, or None when it is not one (« ³ », « 1e3 », 30 digits…)."""
    value = (value or "").strip()
    return int(value) if re.fullmatch(r"[0-9]{1,18}", value) else None


def uuid_param(value) -> uuid.UUID | None:
    """A posted or query-string public id, or None when it is not a UUID."""
    try:
        return uuid.UUID((value or "").strip())
    except (ValueError, AttributeError):
        return None


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF download (or shown in the browser with inline=True)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response
