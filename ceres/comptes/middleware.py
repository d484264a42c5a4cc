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
            memberships = getattr(user, "centre_memberships", None)
            if memberships is None:
                return None
            wanted = request.session.get(self.SESSION_KEY)
            membership = None
            if wanted:
                membership = memberships.filter(centre_id=wanted).select_related("centre").first()
            if membership is None:
                membership = memberships.select_related("centre").order_by("centre__name").first()
            return membership.centre if membership else None
        return None
