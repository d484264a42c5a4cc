from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm


class DsfrForm(DsfrBaseForm):
    """DsfrBaseForm marking optional fields (current DSFR rule) without django-dsfr's transitional warnings.

    Use it like DsfrBaseForm: ``class MyForm(forms.ModelForm, DsfrForm)``.
    """

    def get_context(self):
        # Skip DsfrBaseForm.get_context: it only warns (warnings are errors in tests) and sets this flag.
        context = super(DsfrBaseForm, self).get_context()
        context.setdefault("DSFR_MARK_OPTIONAL_FIELDS", True)
        return context


def add_form_errors(form, exc: ValidationError) -> None:
    """A service's refusal shown at the top of the form it came from: each French message as a non-field error."""
    for message in exc.messages:
        form.add_error(None, message)
