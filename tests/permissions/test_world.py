from tests.permissions.matrix import ROLE_KEYS, Case, everyone


def test_world_has_one_user_per_role_key(world):
    assert set(world.users) == set(ROLE_KEYS)
    assert world.users["anonyme"] is None
    assert world.users["agent_ud"].ud.departement == world.departement
    assert world.users["agent_ud_autre"].ud.departement.region == world.region
    assert world.users["agent_dreets_autre"].region != world.region


def test_case_rejects_unknown_role_keys():
    case = Case(url_name="www:accueil", expected=everyone(200), method="GET")
    assert case.method == "get"
    try:
        Case(url_name="www:accueil", expected={"pirate": 200})
    except ValueError as exc:
        assert "pirate" in str(exc)
    else:
        raise AssertionError("clé inconnue acceptée")


def test_matrix_reports_every_wrong_status(world):
    from tests.permissions.matrix import logged_in
    from tests.permissions.test_matrix import check

    problems = check(
        [
            Case("www:tableau_de_bord", expected=logged_in(200, membre_jury=403)),
            Case("comptes:logout", method="post", expected=everyone(302)),
            # After the logout case above, users are still logged in: each request is isolated.
            Case("comptes:profil", expected=logged_in(200)),
        ],
        world,
    )
    assert problems == ["GET www:tableau_de_bord [membre_jury] : 200 au lieu de 403"]
