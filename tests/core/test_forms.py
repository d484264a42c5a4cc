import pytest
from django import forms
from django.core.exceptions import ValidationError

from ceres.core.forms import add_form_errors

pytestmark = pytest.mark.no_django_db


def test_service_refusals_are_shown_above_the_form():
    form = forms.Form(data={})
    form.is_valid()
    add_form_errors(form, ValidationError(["Première raison.", "Seconde raison."]))
    assert form.non_field_errors() == ["Première raison.", "Seconde raison."]


def _options(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if line.strip().startswith("<option")]


@pytest.mark.parametrize("value", ["", "b", None])
def test_long_select_shows_the_same_options_as_django(value):
    from ceres.core.forms import LongSelect

    choices = [("", "---------"), ("a", "Élise <A>"), ("b", "Paul & Marie")]
    expected = forms.Select(choices=choices).render("trainer", value, attrs={"id": "id_trainer"})
    html = LongSelect(choices=choices).render("trainer", value, attrs={"id": "id_trainer"})
    assert _options(html) == _options(expected)
    assert html.startswith('<select name="trainer" id="id_trainer">')
    assert "&lt;A&gt;" in html and "Paul &amp; Marie" in html


def test_long_select_with_option_groups_is_rendered_by_django():
    from ceres.core.forms import LongSelect

    choices = [("Région", [("a", "A"), ("b", "B")])]
    assert LongSelect(choices=choices).render("x", "a") == forms.Select(choices=choices).render("x", "a")
