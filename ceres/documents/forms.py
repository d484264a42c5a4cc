from django import forms

from ceres.core.forms import DsfrForm
from ceres.documents.models import MotifDuplicata, NatureImpression

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReasonForm(DsfrForm):
    reason = forms.CharField(
        label="Motif", widget=forms.Textarea(attrs={"rows": 3}), help_text="Conservé au journal (10 caractères min.)."
    )


class IdentityForm(DsfrForm):
    """The visitor shows they know the holder before the full identity is displayed."""

    birth_name = forms.CharField(label="Nom de naissance du titulaire", max_length=100)
    birth_date = forms.DateField(label="Date de naissance du titulaire", widget=DATE)


class NumberForm(DsfrForm):
    number = forms.CharField(
        label="Numéro du parchemin", max_length=40, help_text="Imprimé en haut à droite, par ex. TP-2026-069-000123-K."
    )


class PrintLogFilterForm(DsfrForm):
    nature = forms.ChoiceField(label="Nature", required=False, choices=[("", "Toutes"), *NatureImpression.choices])
    start = forms.DateField(label="Imprimé à partir du", required=False, widget=DATE)
    end = forms.DateField(label="Imprimé jusqu'au", required=False, widget=DATE)


class PaperOriginalForm(DsfrForm):
    """First print of a certification awarded before numbering existed (or a lot holding some)."""

    paper_original = forms.TypedChoiceField(
        label="Un original papier a-t-il déjà été remis au titulaire ?",
        choices=[
            ("non", "Non, jamais : le document imprimé est l'original"),
            ("oui", "Oui : le document imprimé est un duplicata, qui porte le nouveau numéro et remplace le papier"),
        ],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
    )


class DuplicataForm(DsfrForm):
    reason = forms.ChoiceField(
        label="Motif du duplicata",
        choices=[("", "Choisir un motif")]
        + [choice for choice in MotifDuplicata.choices if choice[0] != MotifDuplicata.ORIGINAL_PAPIER],
    )
    reason_detail = forms.CharField(
        label="Précision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire pour « Autre motif » ; conservée au journal.",
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SignatoryForm(DsfrForm):
    quality = forms.CharField(
        label="Qualité du signataire",
        max_length=200,
        help_text="Imprimée sous la signature, par ex. « Pour le ministre et par délégation, la directrice "
        "départementale de l'emploi, du travail et des solidarités ».",
    )
    name = forms.CharField(
        label="Prénom et nom du signataire", max_length=120, required=False, help_text="Imprimés sous la qualité."
    )
