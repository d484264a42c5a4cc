"""Permission matrix of the statistics pages: UD, DREETS and national administrators (each on its own scope)."""

from tests.permissions.matrix import Case, logged_in

STATE = {"admin_national": 200, "agent_dreets": 200, "agent_dreets_autre": 200, "agent_ud": 200, "agent_ud_autre": 200}


def cases(world):
    return [
        Case("statistiques:index", expected=logged_in(403, **STATE)),
        Case("statistiques:index", expected=logged_in(403, **{k: 405 for k in STATE}), method="post", data={}),
        Case("statistiques:csv", kwargs={"key": "delais"}, expected=logged_in(403, **STATE)),
        Case("statistiques:csv", kwargs={"key": "inconnu"}, expected=logged_in(403, **{k: 404 for k in STATE})),
    ]
