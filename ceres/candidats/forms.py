from django import forms

from ceres.candidats.models import Candidat
from ceres.candidats.services import IDENTITY_FIELDS
from ceres.core.forms import DsfrForm
from ceres.personnes.forms import add_identity_errors
from ceres.referentiels.forms import CommuneField, PaysField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CandidatSearchForm(DsfrForm):
    q = forms.CharField(label="Nom ou numéro de candidat", required=False, max_length=100)
    first_name = forms.CharField(label="Prénom", required=False, max_length=100)
    birth_date = forms.DateField(label="Date de naissance", required=False, widget=DATE_WIDGET)


class CandidatForm(forms.ModelForm, DsfrForm):
    birth_commune = CommuneField(label="Commune de naissance (en France)", required=False, date_field="birth_date")
    birth_country = PaysField(label="Pays de naissance (né·e à l'étranger)", required=False, date_field="birth_date")
    nationality = PaysField(label="Nationalité", required=False)
    commune = CommuneField(label="Commune de résidence", required=False, current_only=True)

    class Meta:
        model = Candidat
        fields = [
            "civility",
            "birth_name",
            "usage_name",
            "first_names",
            "birth_date",
            "birth_commune",
            "birth_country",
            "birth_town_abroad",
            "nationality",
            "address",
            "postal_code",
            "commune",
            "email",
            "phone",
            "disability_adjustments",
        ]
        widgets = {"birth_date": DATE_WIDGET, "disability_adjustments": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        add_identity_errors(self, cleaned)
        return cleaned

    def _post_clean(self):
        # Model validation (numéro, derived keys) is the service's job; the form only checks the shape.
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class IdentityCorrectionForm(CandidatForm):
    """A centre's request to correct a locked identity: the new identity, a proof and the reason."""

    nationality = None
    commune = None
    proof = forms.FileField(
        label="Justificatif", help_text="Pièce d'identité, acte de naissance… (PDF ou image, 10 Mo au plus)."
    )
    reason = forms.CharField(label="Motif de la correction", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    class Meta(CandidatForm.Meta):
        fields = IDENTITY_FIELDS

    def clean_proof(self):
        proof = self.cleaned_data["proof"]
        if proof.size > 10 * 1024 * 1024:
            raise forms.ValidationError("Le justificatif dépasse 10 Mo.")
        return proof


class CorrectionDecisionForm(DsfrForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("approuver", "Approuver la correction"), ("refuser", "Refuser")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Motif (obligatoire pour un refus)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class DoublonDecisionForm(DsfrForm):
    """Second step of creation/update when similar files exist."""

    homonym_reason = forms.CharField(
        label="Motif de la déclaration d'homonymie",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Pourquoi est-ce une autre personne ? Par exemple : jumeaux, pièces d'identité des deux personnes "
        "vérifiées. Au moins 20 lettres et 3 mots : le motif est relu par l'unité départementale.",
    )
    confirm_new = forms.BooleanField(
        label="J'ai vérifié : il s'agit d'une autre personne, créer un nouveau dossier.", required=False
    )


class MergeForm(DsfrForm):
    other = forms.CharField(
        label="Numéro du dossier à absorber",
        max_length=12,
        help_text="Le dossier absorbé est conservé (consultable) et renvoie vers ce dossier.",
    )
    reason = forms.CharField(label="Motif de la fusion", widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(
        label="Je confirme que ces deux dossiers concernent la même personne.", required=False
    )


class EcarterForm(DsfrForm):
    reason = forms.CharField(label="Motif", required=False, max_length=500)
