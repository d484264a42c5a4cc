import datetime

from django import forms

from ceres.core.forms import DsfrForm
from ceres.jurys.enums import StatutHabilitation
from ceres.jurys.models import Habilitation, MembreJury
from ceres.jurys.services import MEMBRE_FIELDS
from ceres.personnes.forms import add_identity_errors
from ceres.referentiels.forms import CommuneField, PaysField, TitreField
from ceres.referentiels.models import TitreProfessionnel

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MembreJuryForm(forms.ModelForm, DsfrForm):
    birth_commune = CommuneField(
        label="Commune de naissance (née en France)",
        required=False,
        date_field="birth_date",
        help_text="La commune telle qu'elle s'appelait à la naissance : tapez le début du nom ou le code INSEE.",
    )
    birth_country = PaysField(label="Pays de naissance (né hors de France)", required=False, date_field="birth_date")
    commune = CommuneField(label="Commune de résidence", required=False, current_only=True)
    confirm_other_person = forms.BooleanField(
        label="Je confirme qu'il s'agit d'une autre personne que la fiche proposée", required=False
    )

    class Meta:
        model = MembreJury
        fields = list(MEMBRE_FIELDS)  # the service writes exactly these fields
        widgets = {"birth_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields.pop("confirm_other_person")

    def clean(self):
        data = super().clean()
        add_identity_errors(self, data)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in self._meta.fields}
        for name in ("usage_name", "address", "postal_code", "email", "phone", "profession", "employer_name"):
            fields[name] = fields[name] or ""
        fields["employer_siret"] = (fields["employer_siret"] or "").replace(" ", "")
        fields["status"] = fields["status"] or ""
        return fields


class HabilitationForm(forms.ModelForm, DsfrForm):
    titre = TitreField(
        label="Titre professionnel",
        queryset=TitreProfessionnel.objects.exclude(intitule="").order_by("intitule", "-start_date"),
    )

    class Meta:
        model = Habilitation
        fields = ["titre", "start_date", "until_end_of_life", "end_date", "decision_date"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET, "decision_date": DATE_WIDGET}
        help_texts = {
            "until_end_of_life": "La fin effective est alors prolongée au-delà de la fin de vie du titre "
            "(paramètre national, 24 mois) pour les sessions des CFA et CRP.",
            "end_date": "Laissez vide si l'habilitation vaut jusqu'à la fin de vie du titre.",
        }

    def _post_clean(self):
        # The service checks the dates with French explanations; model constraints would only name themselves.
        pass


class StatutHabilitationForm(DsfrForm):
    status = forms.ChoiceField(label="Nouveau statut", choices=StatutHabilitation.choices)
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AConvoquerForm(DsfrForm):
    titre = TitreField(
        label="Titre professionnel",
        queryset=TitreProfessionnel.objects.exclude(intitule="").order_by("intitule", "-start_date"),
    )
    start_date = forms.DateField(label="Premier jour de la session", widget=DATE_WIDGET)
    end_date = forms.DateField(label="Dernier jour (si plusieurs jours)", widget=DATE_WIDGET, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Le dernier jour précède le premier.")
        if start and end and (end - start).days > 31:
            self.add_error("end_date", "Une session dure au plus un mois : vérifiez les dates.")
        return data

    def days(self) -> list[datetime.date]:
        start = self.cleaned_data["start_date"]
        end = self.cleaned_data.get("end_date") or start
        return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
