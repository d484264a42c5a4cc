import functools

from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates


@functools.cache
def dsfr_renderer() -> DsfrDjangoTemplates:
    """The one DSFR form renderer of the process. django-dsfr gives each form a renderer of its own, hence a
    template engine of its own whose cache starts empty: every widget template was read and compiled again at each
    form rendered (≈ 2 ms a field; issue #14)."""
    return DsfrDjangoTemplates()


class DsfrForm(DsfrBaseForm):
    """DsfrBaseForm marking optional fields (current DSFR rule) without django-dsfr's transitional warnings, rendered
    by the process's shared DSFR renderer.

    Use it like DsfrBaseForm: ``class MyForm(forms.ModelForm, DsfrForm)``.
    """

    @property
    def default_renderer(self):
        renderer = super().default_renderer
        return dsfr_renderer() if renderer is DsfrDjangoTemplates else renderer

    def get_context(self):
        # Skip DsfrBaseForm.get_context: it only warns (warnings are errors in tests) and sets this flag.
        context = super(DsfrBaseForm, self).get_context()
        context.setdefault("DSFR_MARK_OPTIONAL_FIELDS", True)
        return context


def add_form_errors(form, exc: ValidationError) -> None:
    """A service's refusal shown at the top of the form it came from: each French message as a non-field error."""
    for message in exc.messages:
        form.add_error(None, message)
