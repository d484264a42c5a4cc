import pytest

from ceres.comptes.rules import canonical_email

pytestmark = pytest.mark.no_django_db


@pytest.mark.parametrize(
    "typed",
    [
        "jury@ceres.demo",
        " Jury@CERES.demo ",
        "jury@cere\u017f.demo",  # ſ LATIN SMALL LETTER LONG S
        "\uff4a\uff55\uff52\uff59@ceres.demo",  # fullwidth ｊｕｒｙ
        "JURY@CERE\u017f.DEMO",
    ],
)
def test_every_spelling_of_one_address_has_one_canonical_form(typed):
    assert canonical_email(typed) == "jury@ceres.demo"


def test_kelvin_sign_is_a_k():
    assert canonical_email("\u212aarim@ceres.demo") == "karim@ceres.demo"


def test_dotless_i_stays_another_address():
    # PostgreSQL's UPPER('ı') is 'I': a case-insensitive lookup matched « jurı » with « jury ». Canonical forms differ.
    assert canonical_email("jur\u0131@ceres.demo") != canonical_email("jury@ceres.demo")
    assert canonical_email("adm\u0131n@ceres.demo") != "admin@ceres.demo"


def test_sharp_s_and_empty():
    assert canonical_email("Stra\u00dfe@ceres.demo") == "strasse@ceres.demo"
    assert canonical_email(None) == ""
