"""Forms only check the shape of the input; business refusals come from services (ValidationError)."""

from django import forms
from django.utils import timezone

from ceres.centres.enums import DecisionAgrement, StatutAgrement
from ceres.centres.models import Centre, Site
from ceres.comptes.forms import CanonicalEmailField
from ceres.core.forms import DsfrForm
from ceres.referentiels.forms import CommuneField, TitreField
from ceres.referentiels.models import Ccs, Departement, TitreProfessionnel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgrementFilterForm(DsfrForm):
    q = forms.CharField(label="Centre, SIRET ou titre", required=False)
    statut = forms.ChoiceField(label="Statut", required=False, choices=[("", "Tous")] + StatutAgrement.choices)
    departement = forms.ModelChoiceField(
        label="Département", required=False, queryset=Departement.objects.none(), empty_label="Tous"
    )

    def __init__(self, *args, departements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departements is not None:
            self.fields["departement"].queryset = departements


class DecisionForm(DsfrForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[
            (DecisionAgrement.ACCEPTEE, "Accepter"),
            (DecisionAgrement.REFUSEE, "Refuser"),
            (DecisionAgrement.CLASSEE_SANS_SUITE, "Classer sans suite"),
        ],
        widget=forms.RadioSelect,
    )
    decision_date = forms.DateField(label="Date de la décision", widget=DATE, initial=timezone.localdate)
    start_date = forms.DateField(label="Début de l'agrément", widget=DATE, required=False)
    end_date = forms.DateField(
        label="Fin de l'agrément (incluse)",
        widget=DATE,
        required=False,
        help_text="En cas d'acceptation, vous pouvez réduire la période demandée.",
    )
    reason = forms.CharField(
        label="Motif",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Obligatoire pour un refus ou un classement sans suite.",
    )


class WithdrawForm(DsfrForm):
    decision_date = forms.DateField(label="Date du retrait", widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label="Motif du retrait", widget=forms.Textarea(attrs={"rows": 3}))


class CentreForm(forms.ModelForm, DsfrForm):
    # Wider than 14: people paste SIRETs with spaces ("782 345 678 00018").
    siret = forms.CharField(label="SIRET", max_length=20, help_text="14 chiffres ; la clé de contrôle est vérifiée.")
    commune = CommuneField(label="Commune du siège", current_only=True, required=False)

    class Meta:
        model = Centre
        fields = [
            "name",
            "siret",
            "type",
            "departement",
            "address",
            "postal_code",
            "commune",
            "contact_name",
            "email",
            "phone",
        ]

    def __init__(self, *args, departements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departements is not None:
            self.fields["departement"].queryset = departements

    def clean_siret(self):
        return self.cleaned_data["siret"].replace(" ", "")


class SiteForm(forms.ModelForm, DsfrForm):
    # Current communes, communes déléguées/associées and arrondissements; a vanished one is refused with why.
    commune = CommuneField(label="Commune", current_only=True)

    class Meta:
        model = Site
        fields = ["name", "address", "postal_code", "commune"]


class AgrementRequestForm(DsfrForm):
    site = forms.ModelChoiceField(label="Site (plateau technique)", queryset=Site.objects.none())
    titre = TitreField(
        label="Titre professionnel (version)",
        queryset=TitreProfessionnel.objects.current().exclude(intitule="").order_by("intitule"),
    )
    ccs = forms.ModelChoiceField(
        label="CCS (seulement pour un agrément CCS)", queryset=Ccs.objects.select_related("titre"), required=False
    )
    start_date = forms.DateField(label="Début souhaité", widget=DATE)
    end_date = forms.DateField(label="Fin souhaitée (incluse)", widget=DATE)

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centre is not None:
            self.fields["site"].queryset = centre.sites.select_related("commune")


class MembreAddForm(DsfrForm):
    email = CanonicalEmailField(
        label="Adresse e-mail de la personne à inviter",
        help_text=(
            "Elle reçoit une invitation si elle a un compte CERES de gestionnaire de centre, et devient membre quand "
            "elle l'accepte."
        ),
    )
    is_admin = forms.BooleanField(
        label="Administrateur du centre",
        required=False,
        help_text="Un administrateur ajoute des sites, demande des agréments et gère les membres.",
    )
