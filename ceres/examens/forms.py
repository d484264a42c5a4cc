"""Forms check the shape of the input; business refusals come from the services (ValidationError -> add_error)."""

from django import forms

from ceres.comptes.models import User
from ceres.core.forms import DsfrForm, LongSelect, model_choices
from ceres.examens import rules
from ceres.examens.enums import EntretienFinal, ResultatCcpValeur, StatutSession, TypeSession, VoieAcces
from ceres.examens.models import SessionExamen
from ceres.examens.services import SESSION_FIELDS
from ceres.jurys.models import MembreJury
from ceres.jurys.selectors import jurors_habilitated_on
from ceres.referentiels.models import Ccp, Ccs, TitreProfessionnel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ConvocationFollowMixin:
    """The convocation follows the first day (at 08:00, or at the start of the tests if earlier) while the user
    leaves it at the value the page showed: the page carries that value in `convocation_shown` (empty once the
    convocation was set). session_form.js moves both in the browser; without JavaScript the server does the same on
    submit. A following convocation reaches the service as None (rules.next_convocation)."""

    def add_convocation_shown(self, shown: str):
        self.fields["convocation_shown"] = forms.CharField(required=False, widget=forms.HiddenInput, initial=shown)

    def clean(self):
        data = super().clean()
        shown = data.pop("convocation_shown", "")
        if rules.left_as_shown(
            shown=shown, submitted_date=data.get("convocation_date"), submitted_time=data.get("convocation_time")
        ):
            data["convocation_date"] = data["convocation_time"] = None
            if data.get("start_date"):
                # If the page comes back with errors, it shows the convocation that follows the new first day.
                day, time = rules.default_convocation(data["start_date"], data.get("start_time"))
                self.data = self.data.copy()
                self.data.update(
                    {
                        self.add_prefix("convocation_date"): day.isoformat(),
                        self.add_prefix("convocation_time"): f"{time:%H:%M}",
                        self.add_prefix("convocation_shown"): rules.convocation_stamp(day, time),
                    }
                )
        return data


class SessionForm(ConvocationFollowMixin, forms.ModelForm, DsfrForm):
    class Meta:
        model = SessionExamen
        # What the centre chooses once (title, type, CCP/CCS), then what stays editable (services.SESSION_FIELDS).
        fields = ["titre", "type", "ccps", "ccs", *SESSION_FIELDS]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "convocation_date": DATE,
            "start_time": TIME,
            "convocation_time": TIME,
            "ccps": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "start_date": "Initialisée à la date du jour : modifiez-la si besoin.",
            "convocation_date": "Initialisée au premier jour à 08h00 (à l'heure des épreuves si elles commencent "
            "plus tôt), elle suit le premier jour tant que vous ne la modifiez pas ; elle ne peut pas être "
            "postérieure au début des épreuves.",
            "ccps": "Pour une session CCP seulement : les CCP présentés.",
            "ccs": "Pour une session CCS seulement.",
        }

    def __init__(self, *args, centre, record_past=False, **kwargs):
        super().__init__(*args, **kwargs)
        if record_past:
            self.fields["reason"] = forms.CharField(
                label="Motif de l'enregistrement d'une session passée",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Obligatoire si la session a commencé avant aujourd'hui ; conservé dans l'historique.",
            )
        titre_ids = centre.agrements.values("titre_id")
        self.fields["titre"].queryset = TitreProfessionnel.objects.filter(pk__in=titre_ids)
        self.fields["ccps"].queryset = Ccp.objects.filter(titre_id__in=titre_ids).select_related("titre")
        self.fields["ccps"].label_from_instance = lambda c: f"{c.titre.sigle or c.titre.intitule} — {c}"
        self.fields["ccs"].queryset = Ccs.objects.filter(titre_id__in=titre_ids)
        self.fields["site"].queryset = centre.sites.all()
        self.fields["responsable"].queryset = User.objects.filter(centre_memberships__centre=centre, is_active=True)
        initial = self.get_initial_for_field(self.fields["convocation_date"], "convocation_date")
        self.add_convocation_shown(rules.convocation_stamp(initial, rules.DEFAULT_CONVOCATION_TIME) if initial else "")

    def _post_clean(self):
        # The service builds and validates the session (agrément, end of life…): skip ModelForm's instance checks.
        pass

    def clean(self):
        data = super().clean()
        kind = data.get("type")
        if kind != TypeSession.CCP:
            data["ccps"] = []
        if kind != TypeSession.CCS:
            data["ccs"] = None
        return data


class SessionUpdateForm(ConvocationFollowMixin, forms.ModelForm, DsfrForm):
    class Meta:
        model = SessionExamen
        fields = list(SESSION_FIELDS)
        widgets = SessionForm.Meta.widgets
        help_texts = SessionForm.Meta.help_texts

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.instance
        self.add_convocation_shown(
            ""
            if session.convocation_explicit
            else rules.convocation_stamp(session.convocation_date, session.convocation_time)
        )
        centre = self.instance.centre
        self.fields["site"].queryset = centre.sites.all()
        self.fields["responsable"].queryset = User.objects.filter(centre_memberships__centre=centre, is_active=True)

    def _post_clean(self):
        pass


class SessionFilterForm(DsfrForm):
    status = forms.ChoiceField(label="État", required=False, choices=[("", "Tous")] + StatutSession.choices)
    titre = forms.CharField(label="Titre (intitulé ou sigle)", required=False, max_length=100)
    centre = forms.CharField(label="Centre", required=False, max_length=100)
    start_after = forms.DateField(label="Début après le", required=False, widget=DATE)
    start_before = forms.DateField(label="Début avant le", required=False, widget=DATE)


class CandidatSearchForm(DsfrForm):
    q = forms.CharField(label="Nom de naissance ou d'usage, ou numéro de candidat", max_length=100)
    first_name = forms.CharField(label="Prénom", required=False, max_length=100)
    birth_date = forms.DateField(label="Date de naissance", required=False, widget=DATE)


class InscriptionForm(DsfrForm):
    candidat = forms.UUIDField(widget=forms.HiddenInput)
    route = forms.ChoiceField(label="Voie d'accès", choices=VoieAcces.choices)
    vae_admissibility_date = forms.DateField(label="Date de recevabilité VAE", required=False, widget=DATE)
    training_start_date = forms.DateField(
        label="Début de la formation",
        required=False,
        widget=DATE,
        help_text="Nécessaire pour un titre en délai de prolongation ou un repassage au-delà d'un an.",
    )
    employer_name = forms.CharField(label="Employeur du candidat", required=False, max_length=200)
    employer_siret = forms.CharField(label="SIRET de l'employeur", required=False, max_length=14)
    ccps = forms.ModelMultipleChoiceField(
        label="CCP visés", queryset=Ccp.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    trainer = forms.ModelChoiceField(
        label="Formateur ou accompagnateur, s'il est juré",
        queryset=MembreJury.objects.none(),
        required=False,
        widget=LongSelect,
        help_text="Jurés de la région habilités sur ce titre : celui que vous choisissez ne pourra pas siéger à cette "
        "session (d'une autre région : indiquez son nom ci-dessous).",
    )
    trainer_name = forms.CharField(
        label="Ou formateur ou accompagnateur hors annuaire (nom et prénom)",
        required=False,
        max_length=200,
        help_text="Signalé à la composition du jury si un juré porte ce nom.",
    )
    remote = forms.BooleanField(label="Épreuves à distance pour ce candidat", required=False)
    identity_checked = forms.BooleanField(
        label="J'atteste avoir vérifié la pièce d'identité du candidat et recueilli sa demande d'inscription",
        required=False,
        help_text="Obligatoire pour un dossier ouvert hors de votre centre (attestation journalisée).",
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        # The jurors of the session's region: a title may have thousands nationally (an unreadable list, and 2 s to
        # render on the national volume); a trainer from elsewhere is named in the free field, matched at composition.
        self.fields["trainer"].queryset = jurors_habilitated_on(session.titre).filter(
            ud__departement__region_id=session.departement.region_id
        )
        self.fields["trainer"].to_field_name = "public_id"
        if session.type == TypeSession.CCP:
            self.fields["ccps"].queryset = session.ccps.all()
        else:
            del self.fields["ccps"]
        # Read the choices once, in one query, not at each render; of the jurors, what their label shows.
        self.fields["trainer"].choices = model_choices(
            self.fields["trainer"], only=("public_id", "birth_name", "usage_name", "first_names")
        )
        if "ccps" in self.fields:
            self.fields["ccps"].choices = model_choices(self.fields["ccps"])


class ReasonForm(DsfrForm):
    """Confirmation step of a destructive action: the reason goes to the journal (mandatory)."""

    reason = forms.CharField(label="Motif (obligatoire)", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TransitionForm(DsfrForm):
    target = forms.ChoiceField(choices=StatutSession.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 2}))


ABSENCE_CHOICES = [("", "—"), ("oui", "Absence justifiée"), ("non", "Absence non justifiée")]


class ResultatsForm(DsfrForm):
    entretien_final = forms.ChoiceField(label="Entretien final", choices=EntretienFinal.choices)
    absence = forms.ChoiceField(label="Si le candidat est absent", choices=ABSENCE_CHOICES, required=False)
    incidents = forms.CharField(label="Incidents", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, inscription, correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        session = inscription.session
        self.ccp_fields = []
        if session.type == TypeSession.CCS:
            self.fields["ccs_result"] = forms.ChoiceField(label=str(session.ccs), choices=ResultatCcpValeur.choices)
            del self.fields["entretien_final"]
        for ccp in inscription.ccps.order_by("order"):
            name = f"ccp_{ccp.pk}"
            self.fields[name] = forms.ChoiceField(
                label=str(ccp), choices=[("", "—")] + ResultatCcpValeur.choices, required=True
            )
            self.ccp_fields.append((name, ccp))
        if correction:
            self.fields["reason"] = forms.CharField(
                label="Motif de la correction (obligatoire)", widget=forms.Textarea(attrs={"rows": 2})
            )
        order = [n for n, _ in self.ccp_fields] + ["ccs_result", "entretien_final", "absence", "incidents", "reason"]
        self.order_fields(order)

    @staticmethod
    def initial_for(inscription) -> dict:
        initial = {
            "entretien_final": inscription.entretien_final,
            "ccs_result": inscription.ccs_result,
            "incidents": inscription.incidents,
            "absence": {True: "oui", False: "non"}.get(inscription.absence_justified, ""),
        }
        for r in inscription.resultats.all():
            initial[f"ccp_{r.ccp_id}"] = r.value
        return initial

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "ccp_results": {ccp.pk: data[name] for name, ccp in self.ccp_fields},
            "entretien_final": data.get("entretien_final") or EntretienFinal.SANS_OBJET,
            "ccs_result": data.get("ccs_result", ""),
            "absence_justified": {"oui": True, "non": False}.get(data.get("absence") or ""),
            "incidents": data.get("incidents", ""),
        }


class ResultatsLigneForm(ResultatsForm):
    """One candidate's row of the whole-session grid (prefix per inscription): the same fields and checks as the
    candidate's page, compact widgets, labels naming the candidate (read by screen readers, hidden on screen)."""

    def __init__(self, *args, inscription, **kwargs):
        super().__init__(*args, inscription=inscription, prefix=f"r{inscription.pk}", **kwargs)
        self.fields["incidents"].widget = forms.TextInput(attrs={"maxlength": 500})
        who = str(inscription.candidat)
        for name, field in self.fields.items():
            field.label = f"{field.label} — {who}"
            css = "fr-input" if name == "incidents" else "fr-select"
            field.widget.attrs["class"] = css

    @property
    def ccp_by_id(self) -> dict[int, str]:
        return {ccp.pk: name for name, ccp in self.ccp_fields}

    def mark_refused(self, error_id: str):
        for field in self.fields.values():
            field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": error_id})


class SubmitForm(DsfrForm):
    pv_signed = forms.BooleanField(
        label="Je confirme que le procès-verbal a été signé par les membres du jury", required=False
    )


class ValidationForm(DsfrForm):
    """Validation only: returning the session to the centre has its own confirmation step (with its reason)."""

    pv_number = forms.CharField(label="Numéro de procès-verbal", required=False, max_length=50)


class PvSigneForm(DsfrForm):
    file = forms.FileField(
        label="PV signé par le jury (PDF)",
        help_text="Le PV imprimé, signé et numérisé au format PDF (10 Mo au plus).",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
