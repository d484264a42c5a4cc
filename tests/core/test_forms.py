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
