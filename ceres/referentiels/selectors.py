"""Reads of the titles référentiel. Titles are public open data: every user (even anonymous) sees all of them."""

import re
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from ceres.core.text import search_key
from ceres.referentiels import parametres, rules
from ceres.referentiels.models import Ccp, Nsf, TitreProfessionnel
from ceres.referentiels.rules import Statut


def titres_visible_for(user):
    """Public référentiel: the same for everyone (anonymous included)."""
    return TitreProfessionnel.objects.all()


def prolongation_months() -> tuple[int, int]:
    return parametres.get("DELAI_PROLONGATION_MOIS"), parametres.get("PROLONGATION_CFA_CRP_MOIS")


def statut_q(statut: str, today) -> Q:
    """Query for a life-cycle state; mirrors rules.titre_cycle_de_vie (tested against it)."""
    general, cfa_crp = prolongation_months()
    cutoff = rules.prolongation_cutoff(today, max(general, cfa_crp))
    started = Q(start_date__isnull=True) | Q(start_date__lte=today)
    if statut == Statut.ACTIF:
        return started & (Q(end_date__gt=today) | Q(end_date__isnull=True, start_date__isnull=False))
    if statut == Statut.PROLONGATION:
        return started & Q(end_date__lte=today, end_date__gt=cutoff)
    if statut == Statut.TERMINE:
        return started & Q(end_date__lte=cutoff)
    if statut == Statut.A_VENIR:
        return Q(start_date__gt=today)
    if statut == Statut.INCONNU:
        return Q(start_date__isnull=True, end_date__isnull=True)
    return Q()


def titres_search(user, *, q="", niveau=None, nsf="", statut="", today=None):
    """Filtered list for the public page. Named titles first (France Compétences fiches without name last)."""
    today = today or timezone.localdate()
    qs = titres_visible_for(user)
    if q:
        key = search_key(q)
        code = q.strip().upper().replace(" ", "")
        qs = qs.filter(
            Q(intitule_key__contains=key) | Q(sigle__iexact=q.strip()) | Q(code_rncp=code) | Q(code_titre=code)
        )
    if niveau:
        qs = qs.filter(niveau=niveau)
    if nsf:
        code = rules.normalize_nsf(nsf)
        # A group (e.g. 326) matches its lettered codes (326p, 326t…).
        qs = qs.filter(nsf_codes__code__startswith=code) if len(code) <= 3 else qs.filter(nsf_codes__code=code)
    if statut:
        qs = qs.filter(statut_q(statut, today))
    return (
        qs.distinct()
        .annotate(sans_nom=Case(When(intitule="", then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("sans_nom", "intitule_key", "-start_date", "code_rncp")
        .prefetch_related(Prefetch("nsf_codes", queryset=Nsf.objects.order_by("code")))
    )


def titre_detail(user, public_id):
    return (
        titres_visible_for(user)
        .select_related("predecessor")
        .prefetch_related(
            Prefetch("nsf_codes", queryset=Nsf.objects.order_by("code")),
            Prefetch(
                "ccps", queryset=Ccp.objects.prefetch_related("correspond_to__titre", "corresponding_from__titre")
            ),
            "ccs",
            "successors",
        )
        .get(public_id=public_id)
    )


def cycle_de_vie(titre, today=None, months=None):
    """Life-cycle of one version; pass `months` (prolongation_months()) when looping over many titles."""
    general, cfa_crp = months or prolongation_months()
    return rules.titre_cycle_de_vie(
        titre.start_date,
        titre.end_date,
        today or timezone.localdate(),
        prolongation_months=general,
        prolongation_cfa_crp_months=cfa_crp,
    )


def printable_problems(titre) -> list[str]:
    return rules.titre_printable_problems(titre.intitule, titre.niveau, [n.code for n in titre.nsf_codes.all()])


@dataclass
class RapportQualite:
    total: int
    imprimables: int
    sans_intitule: int
    sans_niveau: int
    sans_nsf: int
    lignes: list  # [(titre, [problems])], non printable titles only

    @property
    def non_imprimables(self):
        return self.total - self.imprimables


def rapport_qualite() -> RapportQualite:
    """Titles that cannot be printed on a parchemin (no name, no level or no NSF: DOMAIN R6), with counts."""
    qs = TitreProfessionnel.objects.annotate(nb_nsf=Count("nsf_codes"))
    non_printable = (
        qs.filter(Q(intitule="") | Q(niveau__isnull=True) | Q(nb_nsf=0))
        .prefetch_related("nsf_codes")
        .order_by("intitule_key", "code_rncp", "sigle")
    )
    lignes = [(titre, printable_problems(titre)) for titre in non_printable]
    return RapportQualite(
        total=qs.count(),
        imprimables=qs.exclude(intitule="").filter(niveau__isnull=False, nb_nsf__gt=0).count(),
        sans_intitule=qs.filter(intitule="").count(),
        sans_niveau=qs.filter(niveau__isnull=True).count(),
        sans_nsf=qs.filter(nb_nsf=0).count(),
        lignes=lignes,
    )


def nsf_groupes():
    """NSF groups used by at least one title, for the filter's choices."""
    return Nsf.objects.filter(letter="", code__regex=r"^\d{3}$", group__in=_used_groups()).order_by("code")


def _used_groups():
    return TitreProfessionnel.nsf_codes.through.objects.values_list("nsf__group", flat=True).distinct()


def search_titres(query: str, *, on_date=None, limit: int = 20) -> list[dict]:
    """Title versions for a picker: by code titre (TP-01293), RNCP number (38667, RNCP38667) or words of the name.

    Every word typed must start a word of the name (accents, case and articles ignored). Current versions first.
    """
    query = (query or "")[:100]
    words = search_key(query, drop_article=False).split()
    if not words:
        return []
    qs = TitreProfessionnel.objects.all()
    compact = query.replace(" ", "").upper()
    if code := re.fullmatch(r"TP-?(\d+)", compact):
        digits = code.group(1)
        qs = qs.filter(Q(code_titre__startswith=f"TP-{digits}") | Q(code_titre=f"TP-{digits.zfill(5)}"))
    elif code := re.fullmatch(r"(?:RNCP)?(\d+)", compact):
        qs = qs.filter(code_rncp__startswith=f"RNCP{code.group(1)}")
    else:
        for word in words:
            qs = qs.filter(Q(intitule_key__startswith=word) | Q(intitule_key__contains=f" {word}"))
    if on_date is not None:
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gt=on_date))
    rows = qs.order_by(F("end_date").desc(nulls_first=True), "intitule_key", "code_rncp")[:limit]
    return [
        {
            "id": titre.pk,
            "libelle": titre.display_name,
            "details": " · ".join(
                part
                for part in (
                    titre.code_rncp or "",
                    titre.code_titre,
                    f"niveau {titre.niveau}" if titre.niveau else "",
                    f"fin de vie le {titre.end_date:%d/%m/%Y}" if titre.end_date else "",
                )
                if part
            ),
        }
        for titre in rows
    ]
