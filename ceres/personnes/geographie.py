"""Are two birth places the same place? From the INSEE history (DOMAIN §2 "the same place under two names").

Two birth places are *the same place* when:
- one commune absorbed the other, in either direction and through any chain of events (fusion, commune nouvelle,
  change of code or of département, renaming): Arlod (01018, merged in 1971) and Bellegarde-sur-Valserine (01033);
- one is a municipal arrondissement, a commune déléguée or associée of the other: Lyon 3e and Lyon;
- a country changed its name (same INSEE code: Dahomey / Bénin) or a former French territory became the country
  (Dahomey 98205 until 1960, then 99327).
Two communes both absorbed later by a third one are not one place (neither absorbed the other): the reason says
they are in the same commune today, and the pair stays *probable*.

One ``Geographie`` per check or per batch run: the lineages it reads are memoised for its lifetime only (the
référentiels can be reloaded between two runs). Only pairs whose codes differ ever reach it, so a duplicate check
usually reads nothing here.
"""

from __future__ import annotations

import datetime

from ceres.personnes.identite import IdentityFacts
from ceres.personnes.rules import valid_on
from ceres.referentiels.communes import event_label
from ceres.referentiels.models import Commune, Pays

KIND_OF = {
    Commune.Kind.ARRONDISSEMENT: "un arrondissement municipal",
    Commune.Kind.DELEGUEE: "une commune déléguée",
    Commune.Kind.ASSOCIEE: "une commune associée",
}


class Geographie:
    def __init__(self):
        self._lineages: dict[tuple[str, datetime.date | None], dict[str, str]] = {}

    def lineage(self, code: str, day: datetime.date | None) -> dict[str, str]:
        """Codes this place belongs to or became, each with the French sentence saying how."""
        key = (code, day)
        if key not in self._lineages:
            # 99xxx: a country; 98xxx: a former territory (Pays) or a commune of an overseas collectivity.
            if code.startswith("99") or (code.startswith("98") and Pays.objects.filter(code=code).exists()):
                self._lineages[key] = self._country_lineage(code, day)
            else:
                self._lineages[key] = self._commune_lineage(code, day)
        return self._lineages[key]

    def _rows_on(self, code: str, day) -> list[Commune]:
        """Name periods of `code` valid on `day` (every period when none is): one indexed query."""
        rows = list(Commune.objects.filter(code_insee=code))
        return [row for row in rows if valid_on(row, day)] or rows

    def _commune_lineage(self, code: str, day) -> dict[str, str]:
        found: dict[str, str] = {}
        queue = self._rows_on(code, day)
        seen: set[int] = set()
        while queue:
            row = queue.pop()
            if row.pk in seen or len(seen) > 50:
                continue
            seen.add(row.pk)
            if row.parent_code and row.parent_code != row.code_insee:
                parent = Commune.objects.filter(code_insee=row.parent_code).order_by("end_date").first()
                what = KIND_OF.get(row.kind, "une partie")
                found.setdefault(
                    row.parent_code, f"{row.name} est {what} de {parent.name if parent else row.parent_code}"
                )
            if row.end_date is not None and row.event_successor_code:
                if row.event_successor_code != row.code_insee:
                    found.setdefault(row.event_successor_code, f"{row.name} ({row.code_insee}) {event_label(row)}")
                queue += self._rows_on(row.event_successor_code, row.end_date)
            if row.end_date is not None and row.successor_code and row.successor_code != row.code_insee:
                found.setdefault(
                    row.successor_code,
                    f"{row.name} ({row.code_insee}) est aujourd'hui {row.successor_name} ({row.successor_code})",
                )
        found.pop(code, None)
        return found

    def _country_lineage(self, code: str, day) -> dict[str, str]:
        found: dict[str, str] = {}
        rows = list(Pays.objects.filter(code=code).valid_on(day)) if day else []
        for row in rows or list(Pays.objects.filter(code=code)):
            if row.end_date is None:
                continue
            # A territory that became a country on that day under the same name (Dahomey 98205 -> 99327).
            for later in Pays.objects.filter(start_date=row.end_date, name_key=row.name_key).exclude(code=code):
                found.setdefault(later.code, f"{row.name} ({row.code}) est devenu le pays {later.name} ({later.code})")
        return found

    def relation(self, a: IdentityFacts, b: IdentityFacts) -> tuple[str, str]:
        """("same" | "different", French reason) for two birth places with different codes."""
        la = self.lineage(a.birth_place_code, a.birth_date)
        lb = self.lineage(b.birth_place_code, b.birth_date)
        if b.birth_place_code in la:
            return "same", f"même lieu de naissance sous deux noms : {la[b.birth_place_code]}"
        if a.birth_place_code in lb:
            return "same", f"même lieu de naissance sous deux noms : {lb[a.birth_place_code]}"
        common = sorted(set(la) & set(lb))
        if common:
            return "different", f"lieux de naissance différents, aujourd'hui réunis dans la même commune ({common[0]})"
        return "different", "lieux de naissance différents"
