"""Pure rules on habilitations and jury composition (no database; tested without one).

Habilitation dates are inclusive: a habilitation "jusqu'au 31/07/2030" covers a session on 31/07/2030.
A title's end of life (``TitreProfessionnel.end_date``) is exclusive, read once for every rule (ceres.core.dates,
docs/decisions/0003): a title ending 01/08/2028 lets CFA/CRP sessions run until 31/07/2030 (24 months counted from
its last valid day), so the extended habilitation ends then.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ceres.core.dates import fr_date, last_day_after_end_of_life, runs_to_end_of_life
from ceres.jurys.enums import StatutHabilitation

MIN_JURY_SIZE = 2  # Arrêté du 22 décembre 2015, art. 6.


@dataclass(frozen=True)
class EffectiveEnd:
    date: datetime.date | None  # None: no end known yet (title without end of life)
    extended: bool
    explanation: str


def habilitation_effective_end(
    *,
    end_date: datetime.date | None,
    until_end_of_life: bool,
    titre_end_of_life: datetime.date | None,
    extension_months: int,
) -> EffectiveEnd:
    """Release note CERES 1.2 (DOMAIN §7 R3): a habilitation ending at the title's end of life is extended by
    ``extension_months`` so that CFA/CRP sessions after the end of life can be staffed; an earlier end is kept."""
    # Same reading as centres.rules.agrement_covers: an end on the title's last valid day or on its end-of-life
    # date means "until the end of life".
    ends_at_end_of_life = until_end_of_life or runs_to_end_of_life(end_date, titre_end_of_life)
    if ends_at_end_of_life and titre_end_of_life is not None:
        # Last day a CFA/CRP session may run (examens.rules.title_examinability uses the same helper).
        extended_to = last_day_after_end_of_life(titre_end_of_life, extension_months)
        return EffectiveEnd(
            extended_to,
            True,
            f"Prolongée jusqu'au {fr_date(extended_to)} : fin de vie du titre le {fr_date(titre_end_of_life)}, "
            f"sessions CFA/CRP possibles {extension_months} mois au-delà.",
        )
    if ends_at_end_of_life:
        return EffectiveEnd(
            None,
            False,
            "Jusqu'à la fin de vie du titre, qui n'est pas encore fixée : pas de date de fin pour l'instant.",
        )
    if end_date is None:
        return EffectiveEnd(None, False, "Sans date de fin.")
    reason = (
        f"avant la fin de vie du titre le {fr_date(titre_end_of_life)}"
        if titre_end_of_life
        else "titre sans fin de vie"
    )
    return EffectiveEnd(
        end_date, False, f"Fin le {fr_date(end_date)}, date fixée par la décision ({reason}) : non prolongée."
    )


def habilitation_covers(
    *,
    status: str,
    start_date: datetime.date,
    effective_end: datetime.date | None,
    days: Iterable[datetime.date],
) -> list[str]:
    """French reasons why the habilitation does not cover every session day (empty list: it covers them)."""
    errors = []
    if status == StatutHabilitation.SUSPENDUE:
        errors.append("L'habilitation est suspendue.")
    elif status == StatutHabilitation.RETIREE:
        errors.append("L'habilitation a été retirée.")
    days = sorted(set(days))
    if not days:
        return errors + ["Aucune date de session n'est indiquée."]
    before = [d for d in days if d < start_date]
    if before:
        errors.append(f"L'habilitation ne commence que le {fr_date(start_date)} (session le {fr_date(before[0])}).")
    if effective_end is not None:
        after = [d for d in days if d > effective_end]
        if after:
            errors.append(f"L'habilitation prend fin le {fr_date(effective_end)} (session le {fr_date(after[-1])}).")
    return errors


def _norm_siret(value: str) -> str:
    return "".join(c for c in (value or "") if c.isdigit())


# Impartiality (DOMAIN §4.3; reading in docs/decisions/0007). A juror who trained or accompanied a candidate of the
# session cannot evaluate nor deliberate: a refusal. Working for the candidate's employer, or for the examining centre
# itself, only bars the juror from deliberating about the candidates concerned, and the current wording is unsure:
# a warning, shown when composing the jury and at every re-check, never a silent pass.


def juror_conflicts(
    *, membre_id, trainer_membre_ids: Iterable = (), trainees: Mapping[int, Iterable[str]] | None = None
) -> list[str]:
    """Refusals: this juror trained or accompanied (VAE) a registered candidate (DOMAIN §4.3, first rule).
    `trainees` (membre id -> names of the candidates they trained), when known, names them in the refusal."""
    names = sorted(set((trainees or {}).get(membre_id, ())))
    if names:
        registered = "inscrit(e) à la session" if len(names) == 1 else "inscrits à la session"
        return [f"Ce juré a formé ou accompagné {_names(names)}, {registered}."]
    if membre_id in set(trainer_membre_ids):
        return ["Ce juré a formé ou accompagné un candidat inscrit à la session."]
    return []


@dataclass(frozen=True)
class CandidateLinks:
    """What a registration says about a candidate's links (entered on the registration page)."""

    name: str
    employer_siret: str = ""
    employer_name_key: str = ""  # ceres.core.text.fold
    trainer_name_key: str = ""  # trainer or accompanier typed as a free name, folded


@dataclass(frozen=True)
class JurorIdentity:
    employer_siret: str = ""
    employer_name_key: str = ""
    name_keys: frozenset[str] = frozenset()  # folded birth and usage names
    first_name_key: str = ""  # first word of the folded first names


SIREN_LENGTH = 9  # the company (SIREN) is the first nine digits of an establishment's SIRET (INSEE)


def _same_employer(siret_a: str, name_a: str, siret_b: str, name_b: str) -> bool:
    """Same company: same SIREN (two establishments of one company are one employer, docs/decisions/0007), or, when
    a SIRET is missing on either side, the same folded name."""
    a, b = _norm_siret(siret_a), _norm_siret(siret_b)
    if len(a) >= SIREN_LENGTH and len(b) >= SIREN_LENGTH:
        return a[:SIREN_LENGTH] == b[:SIREN_LENGTH]
    return bool(name_a) and name_a == name_b


def _names(names: Iterable[str]) -> str:
    names = sorted(set(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def juror_warnings(
    juror: JurorIdentity,
    *,
    candidates: Iterable[CandidateLinks] = (),
    centre_siret: str = "",
    centre_name_key: str = "",
    centre_staff: bool = False,
) -> list[str]:
    """Warnings (the jury may still be composed): same employer as a candidate, employed by the examining centre
    (its company, or a member of its staff in CERES: `centre_staff`), a free-name trainer who may be this juror.
    Each names the candidates concerned."""
    candidates = list(candidates)
    warnings = []
    if centre_staff:
        warnings.append(
            "Membre de l'équipe du centre qui organise la session (compte CERES du centre) : ne doit pas délibérer "
            "sur les candidats que le centre a formés (à vérifier)."
        )
    elif _same_employer(juror.employer_siret, juror.employer_name_key, centre_siret, centre_name_key):
        warnings.append(
            "Employé(e) par le centre qui organise la session : ne doit pas délibérer sur les candidats que le "
            "centre a formés (à vérifier)."
        )
    colleagues = [
        c.name
        for c in candidates
        if _same_employer(juror.employer_siret, juror.employer_name_key, c.employer_siret, c.employer_name_key)
    ]
    if colleagues:
        warnings.append(
            f"Même employeur que {_names(colleagues)} : ne doit pas délibérer sur "
            f"{'ce candidat' if len(set(colleagues)) == 1 else 'ces candidats'}."
        )
    if juror.first_name_key and juror.name_keys:
        trained = [
            c.name
            for c in candidates
            if c.trainer_name_key
            and set(juror.first_name_key.split()) <= set(c.trainer_name_key.split())
            and any(set(key.split()) <= set(c.trainer_name_key.split()) for key in juror.name_keys if key)
        ]
        if trained:
            warnings.append(
                f"Formateur ou accompagnateur de {_names(trained)} saisi sans fiche de juré sous un nom identique : "
                "si c'est ce juré, il ne peut pas siéger."
            )
    return warnings


def jury_size_errors(count: int) -> list[str]:
    """The one jury-size rule: ``count`` members able to sit (habilitated on every day, without conflict) must be
    at least MIN_JURY_SIZE (arrêté du 22 décembre 2015, art. 6). Checked by examens at every step that relies on
    the jury."""
    if count < MIN_JURY_SIZE:
        return [f"Le jury doit compter au moins {MIN_JURY_SIZE} membres habilités (il en compte {count})."]
    return []


def distance_rank(
    *,
    juror_departement: str,
    centre_departement: str | None,
    neighbours: Iterable[str] = (),
    same_region: Iterable[str] = (),
) -> int:
    """0 same département, 1 neighbouring (or, if neighbours are unknown, same region), 2 same region, 3 elsewhere."""
    if not centre_departement:
        return 0
    if juror_departement == centre_departement:
        return 0
    neighbours = set(neighbours)
    if juror_departement in neighbours:
        return 1
    if juror_departement in set(same_region):
        return 2
    return 3


DISTANCE_LABELS = {0: "Même département", 1: "Département limitrophe", 2: "Même région", 3: "Autre région"}


def habilitation_status_errors(current: str, target: str) -> list[str]:
    """Allowed transitions: active ↔ suspendue, active/suspendue → retirée (final)."""
    allowed: dict[str, set[str]] = {
        StatutHabilitation.ACTIVE: {StatutHabilitation.SUSPENDUE, StatutHabilitation.RETIREE},
        StatutHabilitation.SUSPENDUE: {StatutHabilitation.ACTIVE, StatutHabilitation.RETIREE},
        StatutHabilitation.RETIREE: set(),
    }
    if target not in allowed.get(current, set()):
        labels = dict(StatutHabilitation.choices)
        return [
            f"Une habilitation « {labels.get(current, current)} » ne peut pas passer à "
            f"« {labels.get(target, target)} »."
        ]
    return []


def habilitation_dates_errors(
    *,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    until_end_of_life: bool,
    titre_start: datetime.date | None,
    titre_end_of_life: datetime.date | None,
    decision_date: datetime.date | None = None,
) -> list[str]:
    """Coherence of a habilitation's dates (used by the form service and by the reprise import)."""
    errors = []
    if start_date is None:
        return ["La date de début de l'habilitation est obligatoire."]
    if not until_end_of_life and end_date is None:
        errors.append("Indiquez une date de fin ou cochez « jusqu'à la fin de vie du titre ».")
    if end_date is not None and end_date < start_date:
        errors.append(f"La fin ({fr_date(end_date)}) précède le début ({fr_date(start_date)}).")
    if titre_end_of_life is not None and start_date > titre_end_of_life:
        errors.append(
            f"Le début ({fr_date(start_date)}) est postérieur à la fin de vie du titre ({fr_date(titre_end_of_life)})."
        )
    if end_date is not None and titre_end_of_life is not None and end_date > titre_end_of_life:
        errors.append(
            f"La fin ({fr_date(end_date)}) dépasse la fin de vie du titre ({fr_date(titre_end_of_life)}) : "
            "une habilitation "
            "vaut au plus jusqu'à la fin de vie du titre."
        )
    if decision_date is not None and decision_date > start_date:
        errors.append(f"La décision ({fr_date(decision_date)}) est postérieure au début de l'habilitation.")
    return errors
