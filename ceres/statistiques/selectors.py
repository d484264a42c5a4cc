"""Reads of the statistics pages: the summary tables only, scoped (UD: département; DREETS: region; DGEFP: nation)."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import DurationField, ExpressionWrapper, F, Q, Sum

from ceres.centres.enums import DecisionAgrement
from ceres.centres.models import Agrement, Centre
from ceres.comptes.models import User
from ceres.core.dates import add_months, last_day_after_end_of_life
from ceres.examens.enums import VoieAcces
from ceres.jurys.enums import StatutHabilitation
from ceres.jurys.models import Habilitation, MembreJury
from ceres.referentiels import parametres
from ceres.referentiels.models import TitreProfessionnel
from ceres.statistiques.models import CalculStatistiques, StatJury, StatResultats, StatSessions


@dataclass(frozen=True)
class Filtres:
    start: datetime.date  # first day of the first month
    end: datetime.date  # first day of the last month (included)
    titre_id: int | None = None
    nsf: str = ""
    centre_type: str = ""


def scope_q(user) -> Q | None:
    """Cells the user may read (None: no statistics for this user)."""
    if not user.is_authenticated:
        return None
    if user.is_admin_national:
        return Q()
    if user.is_agent_dreets and user.region_id:
        return Q(region_id=user.region_id)
    if user.is_agent_ud and user.ud_id:
        return Q(departement_id=user.ud.departement_id)
    return None


def scope_key(user) -> str:
    """One key per set of readable cells: users with the same key see the same figures (page cache)."""
    if user.is_admin_national:
        return "N"
    if user.is_agent_dreets:
        return f"R{user.region_id}"
    return f"D{user.ud.departement_id}"


def cache_prefix(user) -> str:
    """Cached figures belong to one computation and one scope: a new run of the job makes new keys."""
    run = last_run()
    return f"statistiques:{run.pk if run else 0}:{scope_key(user)}"


def one_user_per_scope():
    """An active agent of each scope that has one (the statistics job prepares their default page)."""
    seen = {}
    agents = User.objects.filter(is_active=True).select_related("ud", "region").order_by("pk")
    for user in agents.iterator():
        if scope_q(user) is not None:
            seen.setdefault(scope_key(user), user)
    return list(seen.values())


def scope_label(user) -> str:
    if user.is_admin_national:
        return "France entière"
    if user.is_agent_dreets:
        return f"Région {user.region.name}"
    return f"Département {user.ud.departement.name} ({user.ud.departement.code})"


def cells(model, user, filtres: Filtres):
    qs = model.objects.filter(scope_q(user), month__gte=filtres.start, month__lte=filtres.end)
    if filtres.titre_id:
        qs = qs.filter(titre_id=filtres.titre_id)
    if filtres.nsf:
        code = filtres.nsf.strip().lower()
        titres = TitreProfessionnel.objects.filter(nsf_codes__code__startswith=code).values("pk")
        qs = qs.filter(titre_id__in=titres)
    if filtres.centre_type:
        qs = qs.filter(centre_type=filtres.centre_type)
    return qs


def titres_in_scope(user):
    """Titles of the filter: those with sessions in the scope, kept until the next run (see figures.page_tables)."""
    key = f"{cache_prefix(user)}:titres"
    ids = cache.get(key)
    if ids is None:
        ids = list(StatSessions.objects.filter(scope_q(user)).values_list("titre_id", flat=True).distinct())
        cache.set(key, ids, 24 * 3600)
    return TitreProfessionnel.objects.filter(pk__in=ids).order_by("intitule", "code_rncp")


def last_run() -> CalculStatistiques | None:
    return CalculStatistiques.objects.first()


SESSION_SUMS = {
    "sessions": Sum("sessions"),
    "candidates": Sum("candidates"),
    "validated": Sum("validated"),
    "delay_results_days": Sum("delay_results_days"),
    "delay_results_count": Sum("delay_results_count"),
    "delay_validation_days": Sum("delay_validation_days"),
    "delay_validation_count": Sum("delay_validation_count"),
    "delay_print_days": Sum("delay_print_days"),
    "delay_print_count": Sum("delay_print_count"),
    "convocation_before_start": Sum("convocation_before_start"),
}
RESULT_SUMS = {
    "registered": Sum("registered"),
    "success": Sum("success"),
    "partial": Sum("partial"),
    "failure": Sum("failure"),
    "absent": Sum("absent"),
    "ccp_presented": Sum("ccp_presented"),
    "ccp_obtained": Sum("ccp_obtained"),
    "birth_place_unresolved": Sum("birth_place_unresolved"),
}


def sessions_by_month(user, filtres):
    return list(cells(StatSessions, user, filtres).values("month").annotate(**SESSION_SUMS).order_by("month"))


def sessions_total(user, filtres) -> dict:
    return cells(StatSessions, user, filtres).aggregate(**SESSION_SUMS)


def results_by(user, filtres, *, group: str, limit: int | None = None):
    """Sums per title, centre or route, largest first."""
    fields = {
        "titre": ("titre_id", "titre__intitule", "titre__code_rncp"),
        "centre": ("centre_id", "centre__name"),
        "route": ("route",),
    }[group]
    qs = cells(StatResultats, user, filtres).values(*fields).annotate(**RESULT_SUMS).order_by("-registered", *fields)
    return list(qs[:limit] if limit else qs)


def results_total(user, filtres) -> dict:
    return cells(StatResultats, user, filtres).aggregate(**RESULT_SUMS)


def route_label(code: str) -> str:
    return dict(VoieAcces.choices).get(code, code)


def seats_per_juror(user, filtres) -> list[tuple[int, int]]:
    return list(
        cells(StatJury, user, filtres)
        .values("membre_id")
        .annotate(n=Sum("seats"))
        .order_by("-n", "membre_id")
        .values_list("membre_id", "n")
    )


def juror_centre_pairs(user, filtres) -> list[tuple[int, int, int]]:
    return list(
        cells(StatJury, user, filtres)
        .values("centre_id", "membre_id")
        .annotate(n=Sum("seats"))
        .order_by()
        .values_list("centre_id", "membre_id", "n")
    )


def _agrement_scope(user) -> Q:
    if user.is_admin_national:
        return Q()
    if user.is_agent_dreets:
        return Q(centre__departement__region_id=user.region_id)
    return Q(centre__departement_id=user.ud.departement_id)


def _habilitation_scope(user) -> Q:
    if user.is_admin_national:
        return Q()
    if user.is_agent_dreets:
        return Q(ud__departement__region_id=user.region_id)
    return Q(ud__departement_id=user.ud.departement_id)


def endings(user, today: datetime.date, months=(3, 6, 12)) -> list[dict]:
    """Accepted agréments and active habilitations ending within each horizon (indexed date ranges).

    A habilitation counts at its effective end, as the juror pages show it (jurys.rules.habilitation_effective_end,
    DOMAIN §7 R3): one running to the title's end of life, by its flag or by an end typed on the title's last valid
    day (docs/decisions/0003), ends 24 months (national parameter) after that last day.
    """
    rows = []
    agrements = Agrement.objects.filter(_agrement_scope(user), decision=DecisionAgrement.ACCEPTEE)
    habilitations = Habilitation.objects.filter(_habilitation_scope(user), status=StatutHabilitation.ACTIVE).alias(
        days_before_end_of_life=ExpressionWrapper(F("titre__end_date") - F("end_date"), output_field=DurationField())
    )
    runs_to_end_of_life = Q(until_end_of_life=True) | Q(days_before_end_of_life__lte=datetime.timedelta(days=1))
    ends_before = Q(until_end_of_life=False) & (
        Q(titre__end_date__isnull=True) | Q(days_before_end_of_life__gt=datetime.timedelta(days=1))
    )
    extension = parametres.get("EXTENSION_HABILITATION_MOIS")
    title_ends = TitreProfessionnel.objects.filter(end_date__isnull=False).values_list("pk", "end_date")
    extended_to = {pk: last_day_after_end_of_life(end, extension) for pk, end in title_ends}
    for horizon in months:
        until = add_months(today, horizon)
        extended_ending = [pk for pk, day in extended_to.items() if today <= day <= until]
        rows.append(
            {
                "months": horizon,
                "agrements": agrements.filter(end_date__gte=today, end_date__lte=until).count(),
                "habilitations": habilitations.filter(
                    (ends_before & Q(end_date__gte=today, end_date__lte=until))
                    | (runs_to_end_of_life & Q(titre_id__in=extended_ending))
                ).count(),
            }
        )
    return rows


def jurors_named(ids) -> dict[int, str]:
    return {m.pk: str(m) for m in MembreJury.objects.filter(pk__in=list(ids))}


def centres_named(ids) -> dict[int, str]:
    return dict(Centre.objects.filter(pk__in=list(ids)).values_list("pk", "name"))
