"""Reusable form fields to choose a commune (or a country) valid at a date, with autocomplete on the public API.

Usage in any app (birth commune, residence commune, site commune):

    birth_commune = CommuneField(label="Commune de naissance", date_field="birth_date")

    def clean(self):
        cleaned = super().clean()
        for message in commune_errors_on(cleaned.get("birth_commune"), cleaned.get("birth_date")):
            self.add_error("birth_commune", message)

The field stores the Commune pk (one name period). `date_field` names the date input of the same form whose value
filters the proposals (the commune as it was named on that day). Pages include `{{ form.media }}` or
`{% include "referentiels/_autocomplete_assets.html" %}` (the latter carries the CSP nonce).
"""

from datetime import date, timedelta

from django import forms
from django.urls import reverse

from ceres.referentiels.communes import commune_label, describe_pays, status_label
from ceres.referentiels.models import COG_START, Commune, Pays, TitreProfessionnel


class AutocompleteWidget(forms.Widget):
    """Visible text input (search) + hidden input (chosen pk) + listbox filled by autocomplete.js."""

    template_name = "referentiels/widgets/autocomplete.html"
    api_url_name = ""
    model = None

    class Media:
        css = {"all": ["referentiels/autocomplete.css"]}
        js = ["referentiels/autocomplete.js"]

    def __init__(self, attrs=None, *, date_field: str = "", current_only: bool = False):
        super().__init__(attrs)
        self.date_field = date_field
        self.current_only = current_only

    def label_for(self, value) -> str:
        raise NotImplementedError

    def id_for_label(self, id_):
        return f"{id_}_recherche" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        text_attrs = dict(widget["attrs"])
        text_attrs["id"] = self.id_for_label(text_attrs.get("id", ""))
        text_attrs.setdefault("class", "fr-input")
        widget.update(
            {
                "text_attrs": text_attrs,
                "base_id": widget["attrs"].get("id", name),
                "label": self._label(value),
                "api_url": reverse(self.api_url_name),
                "date_field": self.date_field,
                # Proposals valid today only (site address…): the API filters on today's date.
                "fixed_date": date.today().isoformat() if self.current_only else "",
            }
        )
        return context

    def _label(self, value) -> str:
        if value in (None, ""):
            return ""
        if isinstance(value, self.model):
            return self.label_for(value)
        row = self.model.objects.filter(pk=value).first() if str(value).isdigit() else None
        return self.label_for(row) if row else ""

    def format_value(self, value):
        if isinstance(value, self.model):
            return str(value.pk)
        return "" if value is None else str(value)

    def value_from_datadict(self, data, files, name):
        return data.get(name) or None

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class CommuneWidget(AutocompleteWidget):
    api_url_name = "api:communes"
    model = Commune

    def label_for(self, value) -> str:
        return commune_label(value)


class PaysWidget(AutocompleteWidget):
    api_url_name = "api:pays"
    model = Pays

    def label_for(self, value) -> str:
        return describe_pays(value)["libelle"]


class TitreWidget(AutocompleteWidget):
    api_url_name = "api:titres"
    model = TitreProfessionnel

    def label_for(self, value) -> str:
        return (
            f"{value.display_name} ({value.code_rncp})" if value.intitule and value.code_rncp else value.display_name
        )


class TitreField(forms.ModelChoiceField):
    """A title version chosen by typing its code, RNCP number or words of its name (753 versions: no drop-down)."""

    widget = TitreWidget
    default_error_messages = {
        "invalid_choice": "Choisissez un titre dans la liste proposée (tapez le code TP, le n° RNCP ou des mots de "
        "l'intitulé) ; les titres sans intitulé ne peuvent pas être choisis ici."
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Tapez le code du titre (TP-01293), son n° RNCP ou des mots de son intitulé.")
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return self.widget.label_for(obj)


class CommuneField(forms.ModelChoiceField):
    """A commune name period (Commune pk). Check its validity at the event's date with `commune_errors_on`."""

    widget_class = CommuneWidget
    what = "La commune"
    default_error_messages = {
        "invalid_choice": "Choisissez une commune dans la liste proposée (tapez le début du nom ou le code INSEE)."
    }
    default_help_text = "Tapez le début du nom (ou d'un de ses mots) ou le code INSEE, puis choisissez dans la liste."

    def __init__(self, *, queryset=None, date_field: str = "", current_only: bool = False, **kwargs):
        """`date_field`: date input of the same form that filters the proposals; `current_only`: names valid
        today only (a site's address), also checked on the submitted value."""
        kwargs.setdefault("widget", self.widget_class(date_field=date_field, current_only=current_only))
        kwargs.setdefault("help_text", self.default_help_text)
        self.current_only = current_only
        super().__init__(
            queryset=queryset if queryset is not None else self.widget_class.model.objects.all(), **kwargs
        )

    def validate(self, value):
        super().validate(value)
        if self.current_only and value is not None:
            # today is read at validation time, not when the form class is defined
            errors = self.not_current_errors(value, date.today())
            if errors:
                raise forms.ValidationError(errors)

    def not_current_errors(self, value, today: date) -> list[str]:
        if value.end_date is not None and today >= value.end_date:
            return [
                f"« {value.name} » ({value.code_insee}) n'est plus une commune : {status_label(value)}."
                " Choisissez une commune actuelle (communes déléguées, associées et arrondissements municipaux"
                " acceptés)."
            ]
        return _period_errors(value, today, self.what)

    def label_from_instance(self, obj):
        return self.widget.label_for(obj)


class PaysField(CommuneField):
    widget_class = PaysWidget
    what = "Le pays ou territoire"
    default_error_messages = {
        "invalid_choice": "Choisissez un pays ou territoire dans la liste proposée (tapez le début de son nom)."
    }
    default_help_text = "Tapez le début du nom du pays, puis choisissez dans la liste."

    def not_current_errors(self, value, today: date) -> list[str]:
        return _period_errors(value, today, self.what)


def _period_errors(row, on_date: date | None, what: str) -> list[str]:
    if row is None or on_date is None:
        return []
    # A name starting on COG_START was already in use then: the COG says nothing of earlier days.
    if row.start_date and row.start_date > COG_START and on_date < row.start_date:
        since = f"{row.start_date:%d/%m/%Y}"
        return [f"{what} « {row.name} » n'existait pas encore sous ce nom le {on_date:%d/%m/%Y} (depuis le {since})."]
    if row.end_date and on_date >= row.end_date:
        last = f"{row.end_date - timedelta(days=1):%d/%m/%Y}"
        return [f"{what} « {row.name} » n'existait plus sous ce nom le {on_date:%d/%m/%Y} (jusqu'au {last})."]
    return []


def commune_errors_on(commune: Commune | None, on_date: date | None) -> list[str]:
    """French reasons why `commune` cannot be the place of an event on `on_date` (empty if it can)."""
    return _period_errors(commune, on_date, "La commune")


def pays_errors_on(pays: Pays | None, on_date: date | None) -> list[str]:
    return _period_errors(pays, on_date, "Le pays ou territoire")
