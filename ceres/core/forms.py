import functools

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
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


SELECTED = mark_safe(" selected")  # noqa: S308 (a constant)


class LongSelect(forms.Select):
    """A select of hundreds of options (the jurors of a region) written in Python: Django renders each option with
    two templates, ≈ 0.5 ms an option (200 ms for 400 jurors on the registration page). Same HTML; option groups
    fall back to Django's rendering."""

    template_name = "core/widgets/long_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        groups = context["widget"]["optgroups"]
        if any(group_name for group_name, _, _ in groups):
            context["widget"]["options_html"] = None
            return context
        context["widget"]["options_html"] = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option["value"], SELECTED if option["selected"] else "", option["label"])
                for _, options, _ in groups
                for option in options
            ),
        )
        return context


def model_choices(field: forms.ModelChoiceField, *, only: tuple[str, ...] = ()) -> list:
    """The choices of a ModelChoiceField read once, in one query (Django's iterator opens a server-side cursor on
    PostgreSQL, planned for the first rows and fetched in round trips); `only`: the columns the labels need (the
    field's queryset, which validates the choice, keeps every column)."""
    choices = [("", field.empty_label)] if field.empty_label is not None else []
    if field.queryset is None:
        return choices
    rows = field.queryset.only(*only) if only else field.queryset
    return choices + [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in rows]


def add_form_errors(form, exc: ValidationError) -> None:
    """A service's refusal shown at the top of the form it came from: each French message as a non-field error."""
    for message in exc.messages:
        form.add_error(None, message)
