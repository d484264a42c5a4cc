import datetime

from django import forms

from ceres.core.forms import DsfrForm
from ceres.jurys.enums import StatutHabilitation
from ceres.jurys.models import Habilitation, MembreJury
from ceres.referentiels.models import Commune, Pays, TitreProfessionnel

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def commune_at(code: str, day: datetime.date | None):
    """The commune row of an INSEE code valid on a date (commune before delegated/associated ones)."""
    qs = Commune.objects.filter(code_insee=code)
    qs = qs.valid_on(day) if day else qs.current()
    rows = sorted(qs, key=lambda c: c.kind != Commune.Kind.COMMUNE)
    return rows[0] if rows else None


class MembreJuryForm(forms.ModelForm, DsfrForm):
    birth_commune_code = forms.CharField(
        label="Commune de naissance (code INSEE)",
        required=False,
        max_length=5,
        help_text="Code INSEE de la commune telle qu'elle existait à la date de naissance (ex. 69123).",
    )
    birth_country = forms.ModelChoiceField(
        label="Pays de naissance (né hors de France)",
        queryset=Pays.objects.current().order_by("name_key"),
        required=False,
    )
    residence_commune_code = forms.CharField(label="Commune de résidence (code INSEE)", required=False, max_length=5)
    confirm_other_person = forms.BooleanField(
        label="Je confirme qu'il s'agit d'une autre personne que la fiche proposée", required=False
    )

    class Meta:
        model = MembreJury
        fields = [
            "civility",
            "birth_name",
            "usage_name",
            "first_names",
            "birth_date",
            "birth_country",
            "address",
            "postal_code",
            "email",
            "phone",
            "profession",
            "employer_name",
            "employer_siret",
            "status",
            "years_experience",
        ]
        widgets = {"birth_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields.pop("confirm_other_person")
            if self.instance.birth_commune_id:
                self.initial["birth_commune_code"] = self.instance.birth_commune.code_insee
            if self.instance.residence_commune_id:
                self.initial["residence_commune_code"] = self.instance.residence_commune.code_insee

    def clean(self):
        data = super().clean()
        birth_date = data.get("birth_date")
        code = (data.get("birth_commune_code") or "").strip()
        data["birth_commune"] = None
        if code:
            commune = commune_at(code, birth_date)
            if commune is None:
                known = Commune.objects.filter(code_insee=code).order_by("start_date").first()
                message = f"Aucune commune de code {code} n'existait à cette date."
                if known:
                    message += f" Ce code correspond à « {known.name} »."
                self.add_error("birth_commune_code", message)
            else:
                data["birth_commune"] = commune
        code = (data.get("residence_commune_code") or "").strip()
        data["residence_commune"] = None
        if code:
            commune = commune_at(code, None)
            if commune is None:
                self.add_error("residence_commune_code", f"Aucune commune actuelle de code {code}.")
            else:
                data["residence_commune"] = commune
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in self._meta.fields}
        for name in ("usage_name", "address", "postal_code", "email", "phone", "profession", "employer_name"):
            fields[name] = fields[name] or ""
        fields["employer_siret"] = (fields["employer_siret"] or "").replace(" ", "")
        fields["status"] = fields["status"] or ""
        fields["birth_commune"] = data.get("birth_commune")
        fields["residence_commune"] = data.get("residence_commune")
        return fields


class HabilitationForm(forms.ModelForm, DsfrForm):
    titre = forms.ModelChoiceField(
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


class StatutHabilitationForm(DsfrForm):
    status = forms.ChoiceField(label="Nouveau statut", choices=StatutHabilitation.choices)
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AConvoquerForm(DsfrForm):
    titre = forms.ModelChoiceField(
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
