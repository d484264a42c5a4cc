from django import template

from ceres.comptes.selectors import centre_memberships_for

register = template.Library()


@register.inclusion_tag("comptes/_centre_courant.html", takes_context=True)
def centre_courant(context):
    """Current-centre switch in the header, for centre users with several centres."""
    request = context.get("request")
    user = getattr(request, "user", None)
    memberships = list(centre_memberships_for(user)) if user is not None else []
    return {
        "memberships": memberships,
        "current": getattr(request, "current_organisation", None),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
