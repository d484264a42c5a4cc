"""What a key sees: the selectors of the pages (scoped by the key's creator), narrowed to the key's centre."""

from ceres.centres.selectors import agrements_visible_for


def narrow(request, qs, centre_field: str = "centre"):
    """A centre key sees its centre only, even when its creator belongs to several centres."""
    centre = request.cle.centre
    return qs.filter(**{centre_field: centre}) if centre is not None else qs


def agrements(request):
    return narrow(request, agrements_visible_for(request.user))
