from django import template

from ceres.comptes.selectors import centre_memberships_for

register = template.Library()


def _switch_context(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    memberships = getattr(request, "_ceres_memberships", None)
    if memberships is None:
        memberships = list(centre_memberships_for(user)) if user is not None else []
        if request is not None:
            request._ceres_memberships = memberships  # the tool and the modal share one query
    return {
        "memberships": memberships,
        "current": getattr(request, "current_organisation", None),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("comptes/_centre_courant.html", takes_context=True)
def centre_courant(context):
    """Header tool: the current centre of a centre user; a button opening the switch when they have several."""
    return _switch_context(context)


@register.inclusion_tag("comptes/_centre_courant_modal.html", takes_context=True)
def centre_courant_modal(context):
    """The switch itself (DSFR modal), outside the header: DSFR copies the header tools into the mobile menu,
    a modal there would be duplicated."""
    return _switch_context(context)
