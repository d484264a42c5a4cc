from ceres.comptes.selectors import CENTRE_IDS, centre_memberships_for


class CurrentOrganisationMiddleware:
    """Puts request.current_organisation in place (the current centre of a centre user, the UD, the region)."""

    SESSION_KEY = "current_centre_id"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.current_organisation = self.resolve(request)
        return self.get_response(request)

    def resolve(self, request):
        user = request.user
        if not user.is_authenticated:
            return None
        if user.is_agent_ud:
            return user.ud
        if user.is_agent_dreets:
            return user.region
        if user.is_gestionnaire_centre:
            if getattr(user, "centre_memberships", None) is None:
                return None
            # One query, kept for the header's centre switch (comptes_tags) on the same request.
            memberships = request._ceres_memberships = list(centre_memberships_for(user))
            setattr(user, CENTRE_IDS, [m.centre_id for m in memberships])
            wanted = request.session.get(self.SESSION_KEY)
            chosen = [m for m in memberships if wanted and str(m.centre_id) == str(wanted)] or memberships[:1]
            return chosen[0].centre if chosen else None
        return None
