import datetime

from django import forms

from ceres.centres.enums import TypeCentre
from ceres.core.dates import add_months
from ceres.core.forms import DsfrForm
from ceres.statistiques.selectors import Filtres

DEFAULT_MONTHS = 12


class FiltresForm(DsfrForm):
    start = forms.DateField(
        label="Du mois de",
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    end = forms.DateField(
        label="Au mois de (inclus)",
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    titre = forms.ModelChoiceField(label="Titre", queryset=None, required=False, empty_label="Tous les titres")
    nsf = forms.CharField(
        label="Code NSF (ou groupe)", required=False, max_length=5, help_text="Par exemple 312 ou 312m."
    )
    centre_type = forms.ChoiceField(
        label="Type de centre", required=False, choices=[("", "Tous les types"), *TypeCentre.choices]
    )

    def __init__(self, *args, titres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["titre"].queryset = titres

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "Le mois de fin précède le mois de début.")
        return data

    def filtres(self, today: datetime.date) -> Filtres:
        data = self.cleaned_data if self.is_valid() else {}
        end = (data.get("end") or today).replace(day=1)
        start = (data.get("start") or add_months(end, 1 - DEFAULT_MONTHS)).replace(day=1)
        titre = data.get("titre")
        return Filtres(
            start=start,
            end=end,
            titre_id=titre.pk if titre else None,
            nsf=data.get("nsf", ""),
            centre_type=data.get("centre_type", ""),
        )
