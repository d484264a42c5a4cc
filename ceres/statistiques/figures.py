"""The tables (and their charts) of the statistics page, built from the selectors: one builder per table.

A table is what the page shows, what the chart draws and what the CSV download gives: the same rows.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.formats import date_format

from ceres.referentiels import parametres
from ceres.statistiques import charts, rules, selectors

MONTHS = "Mois"


class Reads:
    """The summary-table reads of one page, each done once even when two tables use it."""

    def __init__(self, user, filtres):
        self.user, self.filtres = user, filtres
        self._cache = {}

    def __call__(self, selector, **kwargs):
        key = (selector.__name__, tuple(sorted(kwargs.items())))
        if key not in self._cache:
            self._cache[key] = selector(self.user, self.filtres, **kwargs)
        return self._cache[key]


@dataclass
class Tableau:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart_column: int | None = None  # the column drawn (row label = first column)
    unit: str = ""
    note: str = ""

    @property
    def chart(self):
        if self.chart_column is None or not self.rows:
            return ""
        return charts.bar_chart(
            chart_id=f"graphique-{self.key}",
            title=f"{self.title} — {self.headers[self.chart_column]}",
            labels=[str(row[0]) for row in self.rows],
            values=[row[self.chart_column] for row in self.rows],
            unit=self.unit,
        )

    @property
    def display_rows(self):
        return [
            [rules.fr_number(v) if isinstance(v, int | float) or v is None else v for v in row] for row in self.rows
        ]


def _month(day: datetime.date) -> str:
    return date_format(day, "F Y")


def sessions_par_mois(reads) -> Tableau:
    t = Tableau(
        "sessions-par-mois", "Sessions et candidats par mois", [MONTHS, "Sessions", "Candidats"], chart_column=2
    )
    t.rows = [[_month(r["month"]), r["sessions"], r["candidates"]] for r in reads(selectors.sessions_by_month)]
    return t


def delais(reads) -> Tableau:
    t = Tableau(
        "delais",
        "Délais moyens (jours)",
        [MONTHS, "Fin de session → résultats saisis", "Résultats saisis → validation", "Validation → 1re impression"],
        chart_column=1,
        unit=" j",
        note="Mois du premier jour de la session ; moyenne des sessions arrivées à chaque étape.",
    )
    for r in reads(selectors.sessions_by_month):
        t.rows.append(
            [
                _month(r["month"]),
                rules.mean(r["delay_results_days"], r["delay_results_count"]),
                rules.mean(r["delay_validation_days"], r["delay_validation_count"]),
                rules.mean(r["delay_print_days"], r["delay_print_count"]),
            ]
        )
    return t


RESULT_HEADERS = ["Inscrits", "Présents", "Réussite (%)", "Réussite partielle (%)", "CCP obtenus (%)"]


def _result_cells(r) -> list:
    present = rules.presented(r["registered"], r["absent"])
    return [
        r["registered"],
        present,
        rules.rate(r["success"], present),
        rules.rate(r["partial"], present),
        rules.rate(r["ccp_obtained"], r["ccp_presented"]),
    ]


def reussite_par_titre(reads) -> Tableau:
    t = Tableau("reussite-par-titre", "Réussite par titre", ["Titre", *RESULT_HEADERS], chart_column=3, unit=" %")
    for r in reads(selectors.results_by, group="titre", limit=50):
        label = f"{r['titre__intitule'] or '(sans intitulé)'} ({r['titre__code_rncp'] or '—'})"
        t.rows.append([label, *_result_cells(r)])
    return t


def reussite_par_centre(reads) -> Tableau:
    t = Tableau(
        "reussite-par-centre",
        "Réussite par centre",
        ["Centre", *RESULT_HEADERS],
        chart_column=3,
        unit=" %",
        note="Les 50 centres qui ont le plus de candidats sur la période.",
    )
    t.rows = [[r["centre__name"], *_result_cells(r)] for r in reads(selectors.results_by, group="centre", limit=50)]
    return t


def reussite_par_voie(reads) -> Tableau:
    t = Tableau(
        "reussite-par-voie", "Réussite par voie d'accès", ["Voie d'accès", *RESULT_HEADERS], chart_column=3, unit=" %"
    )
    t.rows = [
        [selectors.route_label(r["route"]), *_result_cells(r)] for r in reads(selectors.results_by, group="route")
    ]
    return t


def sessions_par_jure(reads) -> Tableau:
    seats = reads(selectors.seats_per_juror)
    t = Tableau(
        "sessions-par-jure",
        "Sessions par juré",
        ["Nombre de sessions sur la période", "Jurés"],
        chart_column=1,
        note=f"{len(seats)} jurés ont siégé sur la période.",
    )
    t.rows = [[label, n] for label, n in rules.seat_buckets([n for _, n in seats])]
    return t


def jures_les_plus_actifs(reads) -> Tableau:
    seats = reads(selectors.seats_per_juror)[:20]
    names = selectors.jurors_named(pk for pk, _ in seats)
    t = Tableau("jures-les-plus-actifs", "Jurés les plus sollicités", ["Juré", "Sessions"], chart_column=1)
    t.rows = [[names.get(pk, "?"), n] for pk, n in seats]
    return t


def concentration(reads) -> Tableau:
    per_centre = rules.concentration(reads(selectors.juror_centre_pairs))
    ranked = sorted(per_centre.items(), key=lambda item: (-(item[1]["top_share"] or 0), -item[1]["seats"]))[:30]
    names = selectors.centres_named(pk for pk, _ in ranked)
    t = Tableau(
        "concentration",
        "Jurys tenus par les mêmes jurés",
        ["Centre", "Places de juré", "Jurés différents", f"Part des {rules.TOP_JURORS} jurés les plus présents (%)"],
        chart_column=3,
        unit=" %",
        note="Les 30 centres où les mêmes jurés reviennent le plus souvent (IGAS 2025 : couples juré–centre).",
    )
    t.rows = [[names.get(pk, "?"), c["seats"], c["jurors"], c["top_share"]] for pk, c in ranked]
    return t


def echeances(reads, today) -> Tableau:
    t = Tableau(
        "echeances",
        "Agréments et habilitations arrivant à échéance",
        ["Dans les", "Agréments acceptés", "Habilitations actives"],
        chart_column=1,
        note=(
            "Habilitations à leur fin effective, comme sur les fiches des jurés : une habilitation qui court jusqu'à "
            f"la fin de vie du titre est prolongée de {parametres.get('EXTENSION_HABILITATION_MOIS')} mois après son "
            "dernier jour valable."
        ),
    )
    t.rows = [
        [f"{r['months']} mois", r["agrements"], r["habilitations"]] for r in selectors.endings(reads.user, today)
    ]
    return t


def qualite(reads) -> Tableau:
    sessions = reads(selectors.sessions_total)
    results = reads(selectors.results_total)
    t = Tableau(
        "qualite",
        "Qualité des données",
        ["Point de contrôle", "Nombre"],
        chart_column=None,
        note="Points de la note de version : convocations datées avant le premier jour, lieux de naissance "
        "non rattachés.",
    )
    t.rows = [
        ["Sessions dont la convocation précède le premier jour", sessions["convocation_before_start"] or 0],
        ["Candidats inscrits sans commune ni pays de naissance rattaché", results["birth_place_unresolved"] or 0],
    ]
    return t


BUILDERS = {
    "sessions-par-mois": sessions_par_mois,
    "delais": delais,
    "reussite-par-titre": reussite_par_titre,
    "reussite-par-centre": reussite_par_centre,
    "reussite-par-voie": reussite_par_voie,
    "sessions-par-jure": sessions_par_jure,
    "jures-les-plus-actifs": jures_les_plus_actifs,
    "concentration": concentration,
    "echeances": echeances,
    "qualite": qualite,
}


def build(key: str, reads: Reads, today) -> Tableau:
    builder = BUILDERS[key]
    return builder(reads, today) if key == "echeances" else builder(reads)


CACHE_SECONDS = 24 * 3600


def page_tables(user, filtres, today) -> list[Tableau]:
    """Every table of the page. The figures only change when the statistics job runs: they are kept in the shared
    cache until the next run (the key holds the run), for everyone with the same scope and filters; the job prepares
    the default page of every scope (issue #18: the national page took 1.8 s on 2 M files)."""
    f = filtres
    key = f"{selectors.cache_prefix(user)}:{today}:{f.start}:{f.end}:{f.titre_id}"
    key += ":" + hashlib.sha256(f"{f.nsf}|{f.centre_type}".encode()).hexdigest()[:16]
    tableaux = cache.get(key)
    if tableaux is None:
        reads = Reads(user, filtres)
        tableaux = [build(name, reads, today) for name in BUILDERS]
        cache.set(key, tableaux, CACHE_SECONDS)
    return tableaux
