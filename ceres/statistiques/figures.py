"""The tables (and their charts) of the statistics page, built from the selectors: one builder per table.

A table is what the page shows, what the chart draws and what the CSV download gives: the same rows.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ceres.referentiels import parametres
from ceres.statistiques import charts, rules, selectors

MONTHS = "Mois"


class Reads:
    """The summary-table reads of one page, each done once even when two tables use it."""

    def __init__(self, lecture: selectors.Lecture):
        self.lecture = lecture
        self.user = lecture.user
        self._cache = {}

    def __call__(self, selector, **kwargs):
        key = (selector.__name__, tuple(sorted(kwargs.items())))
        if key not in self._cache:
            self._cache[key] = selector(self.lecture, **kwargs)
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

    @cached_property
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

    @property
    def body_html(self) -> str:
        """The rows of the table, escaped: built here rather than by a template loop (ten years are 120 monthly rows
        in two tables, ≈ 2 500 cells: the template loop took ≈ 30 ms of the page at national volume)."""
        return mark_safe(  # noqa: S308 — every cell is escaped
            "".join(
                f'<tr><th scope="row">{escape(row[0])}</th>{"".join(f"<td>{escape(v)}</td>" for v in row[1:])}</tr>'
                for row in self.display_rows
            )
        )


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
    jures = reads(selectors.juror_activity)
    t = Tableau(
        "sessions-par-jure",
        "Sessions par juré",
        ["Nombre de sessions sur la période", "Jurés"],
        chart_column=1,
        note=f"{jures.count} jurés ont siégé sur la période.",
    )
    t.rows = [[label, n] for label, n in jures.buckets]
    return t


def jures_les_plus_actifs(reads) -> Tableau:
    top = reads(selectors.juror_activity).top
    names = selectors.jurors_named(pk for pk, _ in top)
    t = Tableau("jures-les-plus-actifs", "Jurés les plus sollicités", ["Juré", "Sessions"], chart_column=1)
    t.rows = [[names.get(pk, "?"), n] for pk, n in top]
    return t


def concentration(reads) -> Tableau:
    t = Tableau(
        "concentration",
        "Jurys tenus par les mêmes jurés",
        ["Centre", "Places de juré", "Jurés différents", f"Part des {rules.TOP_JURORS} jurés les plus présents (%)"],
        chart_column=3,
        unit=" %",
        note="Les 30 centres où les mêmes jurés reviennent le plus souvent (IGAS 2025 : couples juré–centre).",
    )
    t.rows = [[name, seats, jurors, share] for _pk, name, seats, jurors, share in reads(selectors.concentration)]
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
        [f"{r['months']} mois", r["agrements"], r["habilitations"]]
        for r in selectors.of_the_day(reads.user, reads.lecture.run, today)["echeances"]
    ]
    return t


def qualite(reads) -> Tableau:
    sessions = sum(r["convocation_before_start"] for r in reads(selectors.sessions_by_month))
    unresolved = sum(r["birth_place_unresolved"] for r in reads(selectors.results_by, group="route"))
    t = Tableau(
        "qualite",
        "Qualité des données",
        ["Point de contrôle", "Nombre"],
        chart_column=None,
        note="Points de la note de version : convocations datées avant le premier jour, lieux de naissance "
        "non rattachés.",
    )
    t.rows = [
        ["Sessions dont la convocation précède le premier jour", sessions],
        ["Candidats inscrits sans commune ni pays de naissance rattaché", unresolved],
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


def tables(lecture: selectors.Lecture, today) -> list[Tableau]:
    reads = Reads(lecture)
    return [build(name, reads, today) for name in BUILDERS]


def page_tables(user, filtres, today, run) -> list[Tableau]:
    """Every table of the page, read from the rollups when they answer the filters (selectors.Lecture). The figures
    only change when the statistics job runs: they are kept in the shared cache until the next run (the key holds
    the run), for everyone with the same scope and filters; the job prepares the default page of every scope."""
    f = filtres
    key = f"{selectors.cache_prefix(user, run)}:{today}:{f.start}:{f.end}:{f.titre_id}"
    key += ":" + hashlib.sha256(f"{f.nsf}|{f.centre_type}".encode()).hexdigest()[:16]
    tableaux = cache.get(key)
    if tableaux is None:
        tableaux = tables(selectors.Lecture(user, filtres, run), today)
        cache.set(key, tableaux, CACHE_SECONDS)
    return tableaux
