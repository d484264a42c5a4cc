"""Builds the labelled evaluation set of duplicate pairs (tests/personnes/evaluation/*.json), from the
INSEE history shipped in ceres/referentiels/data/cog (never from the blocking-key generator).

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python tests/personnes/evaluation/construire.py

Output: paires.json (the labelled pairs) and communes.json (the référentiel rows they need).
Each pair is two identities as two agents could type them, with its truth (same person or not) and its family:
- ``orthographe``  same person, spelling only (case, accents, hyphens/spaces, particles, St/Saint, apostrophes,
  "Jean Marc"/"Jean-Marc", only the first first names typed) — expected *certain*;
- ``geographie``   same person, birth place typed under an equivalent name taken from the INSEE history: a commune
  and the commune that absorbed it (fusion, commune déléguée or associée, chains of events), a city and its
  municipal arrondissement, a renamed country — expected *certain*;
- ``variation``    same person with one real variation (name/first name swapped, compound name vs one part, date one
  day off, day/month swapped, typo, same pronunciation, usage name typed as birth name, first names reordered,
  compound first name vs part) — expected *probable* (or certain);
- ``autre``        two different people that look alike: twins ("Jean Marc"/"Jean Luc"), the same identity born in
  two communes that are different places (two communes absorbed later by a third one, two arrondissements, two
  unrelated communes), parent and child, dates two days apart — must never be *certain*.
The Commune rows the pairs need (and every row their events lead to) are frozen in evaluation_communes.json, so the
test loads a few hundred rows instead of the 45,000 of the COG.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from ceres.referentiels.loaders.communes import build_communes, build_pays  # noqa: E402

SURNAMES = [
    "Lefèvre", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Garçon", "Rousseau", "Vincent", "Fournier",
    "Girard", "Bonnet", "Dupuis", "Lambert", "Fontaine", "Chevalier", "Robin", "Mercier", "Blanchard", "Guérin",
    "Boyer", "Garnier", "Chauvin", "Faure", "Rolland", "Perrin", "Morel", "Brunet", "Roche", "Renaud",
    "Barbier", "Arnaud", "Masson", "Marchand", "Duval", "Denis", "Lemaire", "Noël", "Meunier", "Brun",
    "Aubert", "Pelletier", "Caron", "Bertin", "Hoarau", "Payet", "Nguyen", "Benali", "Haddad", "Kowalski",
]  # fmt: skip
FIRST_F = ["Hélène", "Sophie", "Chloé", "Anaïs", "Maëlle", "Léa", "Inès", "Zoé", "Noémie", "Agnès", "Éloïse"]
FIRST_M = ["Jérôme", "François", "Benoît", "Gaël", "Loïc", "Mathéo", "Noël", "Raphaël", "Cédric", "Hervé", "Joël"]
COMPOUND_F = ["Marie-Claire", "Anne-Sophie", "Marie-Hélène", "Rose-Marie"]
COMPOUND_M = ["Jean-Marc", "Jean-Luc", "Pierre-Yves", "Jean-François"]
PARTICLE_NAMES = ["de la Fontaine", "Le Goff", "D'Angelo", "de Saint-Exupéry", "Du Pont", "Van der Berg"]
SAINT_NAMES = [("Saint-Martin", "St Martin"), ("Sainte-Marie", "Ste-Marie"), ("Saint-Cyr", "ST CYR")]


def strip(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class Builder:
    def __init__(self):
        self.rng = random.Random(1943)
        self.communes = build_communes()
        self.pays = build_pays()
        self.rows_by_code: dict[str, list[tuple]] = {}
        for key in self.communes:
            self.rows_by_code.setdefault(key[0], []).append(key)
        self.pairs: list[dict] = []
        self.codes: set[str] = set()
        self.country_codes: set[str] = set()
        self.used_names = 0

    # Identities --------------------------------------------------------------------------------------------
    def person(self, birth: dt.date) -> dict:
        """A distinct person per pair (the name pool cycles with a suffix-free combination)."""
        rng = self.rng
        female = rng.random() < 0.5
        self.used_names += 1
        return {
            "civility": "MME" if female else "M",
            "birth_name": SURNAMES[self.used_names % len(SURNAMES)],
            "usage_name": "",
            "first_names": ", ".join(
                [rng.choice(FIRST_F if female else FIRST_M)] + ([rng.choice(FIRST_F)] if rng.random() < 0.3 else [])
            ),
            "birth_date": birth,
        }

    def valid(self, key: tuple, day: dt.date) -> bool:
        start, end = key[2], self.communes[key]["end_date"]
        return (start is None or start <= day) and (end is None or day < end)

    def rows_on(self, code: str, day: dt.date) -> list[tuple]:
        return [k for k in self.rows_by_code.get(code, []) if self.valid(k, day)]

    def add(self, family: str, same: bool, label: str, a: dict, a_place: tuple, b: dict, b_place: tuple):
        for place in (a_place, b_place):
            if place[0] == "commune":
                self.codes.add(place[1])
            else:
                self.country_codes.add(place[1])
        self.pairs.append(
            {"famille": family, "meme_personne": same, "cas": label, "a": a | place_dict(a_place)}
            | {"b": b | place_dict(b_place)}
        )

    # Geography from the INSEE history ------------------------------------------------------------------------
    def absorbed_pairs(self, event: str, count: int, label: str):
        """A commune ended by `event` and the commune it went into, both valid on a birth day before the event."""
        keys = [k for k, v in self.communes.items() if v["event"] == event and v["event_successor_code"] != k[0]]
        self.rng.shuffle(keys)
        made = 0
        for key in keys:
            row = self.communes[key]
            end = row["end_date"]
            start = max(key[2] or dt.date(1943, 1, 1), dt.date(1950, 1, 1))
            if end is None or end <= start + dt.timedelta(days=400):
                continue
            last = min(end, dt.date(2006, 12, 31))  # candidates are adults
            birth = start + dt.timedelta(days=self.rng.randrange(max(1, (last - start).days - 1)))
            target = [k for k in self.rows_on(row["event_successor_code"], birth) if k[1] == "COM"]
            if not target:
                continue
            a, b = self.same_identity(birth)
            self.add(
                "geographie",
                True,
                f"{label} : {row['name']} ({key[0]}) / {self.communes[target[0]]['name']} ({target[0][0]})",
                a,
                ("commune", key[0], key[1], key[2]),
                b,
                ("commune", target[0][0], target[0][1], target[0][2]),
            )
            made += 1
            if made >= count:
                return

    def same_identity(self, birth: dt.date) -> tuple:
        a = self.person(birth)
        return (a, dict(a))

    def chain_pairs(self, count: int):
        """A → B → C: the first commune and the last one (both valid on the birth day)."""
        made = 0
        keys = [k for k, v in self.communes.items() if v["event"] in ("fusion", "deleguee", "associee")]
        self.rng.shuffle(keys)
        for key in keys:
            row = self.communes[key]
            end = row["end_date"]
            if end is None or end.year > 2006 or end.year < 1960:
                continue
            middle = [k for k in self.rows_on(row["event_successor_code"], end) if k[1] == "COM"]
            if not middle:
                continue
            mrow = self.communes[middle[0]]
            if not mrow["event_successor_code"] or mrow["event_successor_code"] in (key[0], middle[0][0]):
                continue
            birth = dt.date(max(1950, (key[2] or dt.date(1943, 1, 1)).year + 1), 6, 15)
            if not self.valid(key, birth):
                continue
            last = [k for k in self.rows_on(mrow["event_successor_code"], birth) if k[1] == "COM"]
            if not last:
                continue
            a, b = self.same_identity(birth)
            self.add(
                "geographie",
                True,
                f"chaîne : {row['name']} → {mrow['name']} → {self.communes[last[0]]['name']}",
                a,
                ("commune", key[0], key[1], key[2]),
                b,
                ("commune", last[0][0], last[0][1], last[0][2]),
            )
            made += 1
            if made >= count:
                return

    def deleguee_pairs(self, count: int):
        """A commune déléguée (today) and its commune, for a birth after the déléguée was created."""
        keys = [k for k in self.communes if k[1] in ("COMD", "COMA") and k[2] and k[2].year <= 2005]
        self.rng.shuffle(keys)
        made = 0
        for key in keys:
            row = self.communes[key]
            birth = key[2] + dt.timedelta(days=400 + self.rng.randrange(3000))
            if birth.year > 2007:
                continue
            parent = [k for k in self.rows_on(row["parent_code"], birth) if k[1] == "COM"]
            if not parent or parent[0][0] == key[0]:
                continue
            a, b = self.same_identity(birth)
            self.add(
                "geographie",
                True,
                f"commune {'déléguée' if key[1] == 'COMD' else 'associée'} : {row['name']} / "
                f"{self.communes[parent[0]]['name']}",
                a,
                ("commune", key[0], key[1], key[2]),
                b,
                ("commune", parent[0][0], parent[0][1], parent[0][2]),
            )
            made += 1
            if made >= count:
                return

    def arrondissement_pairs(self):
        cities = {"75056": [f"751{n:02d}" for n in range(1, 21)], "69123": [f"6938{n}" for n in range(1, 10)]}
        cities["13055"] = [f"132{n:02d}" for n in range(1, 17)]
        for city, arms in cities.items():
            for arm in self.rng.sample(arms, 5):
                birth = dt.date(1966 + self.rng.randrange(40), 1 + self.rng.randrange(12), 1 + self.rng.randrange(28))
                a_rows, c_rows = self.rows_on(arm, birth), self.rows_on(city, birth)
                if not a_rows or not c_rows:
                    continue
                a, b = self.same_identity(birth)
                self.add(
                    "geographie",
                    True,
                    f"arrondissement : {self.communes[a_rows[0]]['name']} / {self.communes[c_rows[0]]['name']}",
                    a,
                    ("commune", *a_rows[0]),
                    b,
                    ("commune", *c_rows[0]),
                )
            # Two arrondissements of the same city: two places (another person with the same identity).
            x, y = self.rng.sample(arms, 2)
            birth = dt.date(1985, 3, 14)
            rx, ry = self.rows_on(x, birth), self.rows_on(y, birth)
            if rx and ry:
                a, b = self.same_identity(birth)
                self.add("autre", False, "deux arrondissements", a, ("commune", *rx[0]), b, ("commune", *ry[0]))

    def sibling_pairs(self, count: int):
        """Two communes absorbed later by the same third one: neither absorbed the other, two places."""
        by_target: dict[tuple, list[tuple]] = {}
        for key, row in self.communes.items():
            if row["event"] == "fusion" and row["end_date"] and 1960 < row["end_date"].year < 2010:
                by_target.setdefault((row["event_successor_code"], row["end_date"]), []).append(key)
        # The commune they went into must be neither of them (else that one absorbed the other: one place).
        groups = [[k for k in g if k[0] != target[0]] for target, g in by_target.items()]
        groups = [g for g in groups if len(g) >= 2]
        self.rng.shuffle(groups)
        for group in groups[:count]:
            x, y = group[0], group[1]
            birth = dt.date(max(1950, (x[2] or dt.date(1943, 1, 1)).year + 1), 9, 9)
            if not (self.valid(x, birth) and self.valid(y, birth)):
                continue
            a, b = self.same_identity(birth)
            target = self.communes[x]["event_successor_name"]
            self.add(
                "autre",
                False,
                f"communes sœurs : {self.communes[x]['name']} / {self.communes[y]['name']} (puis {target})",
                a,
                ("commune", *x),
                b,
                ("commune", *y),
            )

    def unrelated_pairs(self, count: int):
        current = [k for k, v in self.communes.items() if k[1] == "COM" and v["end_date"] is None and k[2] is None]
        current += [k for k, v in self.communes.items() if k[1] == "COM" and v["end_date"] is None and k[2]]
        for _ in range(count):
            x, y = self.rng.sample(current, 2)
            birth = dt.date(1990, 2, 3)
            if not (self.valid(x, birth) and self.valid(y, birth)):
                continue
            a, b = self.same_identity(birth)
            self.add("autre", False, "homonymes nés dans deux communes", a, ("commune", *x), b, ("commune", *y))

    def country_pairs(self):
        """Renamed countries: the same INSEE code under its name of the birth date and its later name."""
        renamed = {}
        for key in self.pays:
            renamed.setdefault(key[0], []).append(key)
        codes = sorted(c for c, keys in renamed.items() if len(keys) >= 2 and c.startswith("99"))
        for code in self.rng.sample(codes, min(8, len(codes))):
            keys = sorted(renamed[code], key=lambda k: k[1] or dt.date(1943, 1, 1))
            old = keys[0]
            birth = (old[1] or dt.date(1950, 1, 1)) + dt.timedelta(days=200)
            if self.pays[old]["end_date"] and birth >= self.pays[old]["end_date"]:
                continue
            a, b = self.same_identity(birth)
            town = "Capitale"
            self.add(
                "geographie",
                True,
                f"pays renommé : {self.pays[old]['name']} / {self.pays[keys[-1]]['name']}",
                a | {"birth_town_abroad": town},
                ("pays", code, old[1]),
                b | {"birth_town_abroad": town},
                ("pays", code, keys[-1][1]),
            )

    # Spelling and variations -----------------------------------------------------------------------------------
    def any_place(self, birth: dt.date) -> tuple:
        while True:
            code = self.rng.choice(["01053", "69123", "13055", "33063", "59350", "67482", "31555", "44109", "97411"])
            rows = [k for k in self.rows_on(code, birth) if k[1] == "COM"]
            if rows:
                return ("commune", *rows[0])

    def spelling_pairs(self):
        rng = self.rng
        cases = []
        for _ in range(6):
            cases.append(("majuscules et accents", lambda p: p | {"birth_name": strip(p["birth_name"]).upper()}))
        for _ in range(5):
            cases.append(("prénoms sans accents", lambda p: p | {"first_names": strip(p["first_names"]).lower()}))
        for name in PARTICLE_NAMES:
            glued = name.replace(" ", "").replace("'", "")
            cases.append((f"particule : {name} / {glued}", lambda p, n=name, g=glued: (p | {"birth_name": n}, g)))
        for full, short in SAINT_NAMES:
            cases.append((f"Saint / St : {full} / {short}", lambda p, f=full, s=short: (p | {"birth_name": f}, s)))
        for first in COMPOUND_M[:2] + COMPOUND_F[:2]:
            cases.append(
                (
                    f"prénom composé, espace ou trait d'union : {first}",
                    lambda p, f=first: (p | {"first_names": f}, None, f.replace("-", " ")),
                )
            )
        for _ in range(4):
            cases.append(("seulement le premier prénom", "premier"))
        for _ in range(3):
            cases.append(("nom composé avec espace ou trait d'union", "compose"))
        for _ in range(3):
            cases.append(("apostrophe typographique", "apostrophe"))
        for label, change in cases:
            birth = dt.date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1 + rng.randrange(28))
            a = self.person(birth)
            place = self.any_place(birth)
            if change == "premier":
                a["first_names"] = f"{a['first_names'].split(',')[0]}, {rng.choice(FIRST_F + FIRST_M)}"
                b = a | {"first_names": a["first_names"].split(",")[0]}
            elif change == "compose":
                a["birth_name"] = f"{a['birth_name']}-{rng.choice(SURNAMES)}"
                b = a | {"birth_name": a["birth_name"].replace("-", " ")}
            elif change == "apostrophe":
                a["birth_name"] = rng.choice(["D'Amico", "N'Diaye", "O'Neill"])
                b = a | {"birth_name": a["birth_name"].replace("'", "’")}
            else:
                result = change(dict(a))
                if isinstance(result, tuple):
                    a = result[0]
                    b = dict(a)
                    if result[1] is not None:
                        b["birth_name"] = result[1]
                    if len(result) > 2:
                        b["first_names"] = result[2]
                else:
                    b = result
            self.add("orthographe", True, label, a, place, b, place)

    def variation_pairs(self):
        rng = self.rng

        def one_day(p):
            return p | {"birth_date": p["birth_date"] + dt.timedelta(days=1)}

        def swap_day_month(p):
            d = p["birth_date"]
            return p | {"birth_date": d.replace(day=d.month, month=d.day)}

        def typo(p):
            n = strip(p["birth_name"])
            i = 1 + rng.randrange(len(n) - 2)
            return p | {"birth_name": n[:i] + n[i + 1] + n[i] + n[i + 2 :]}

        def swap_fields(p):
            return p | {"birth_name": p["first_names"].split(",")[0], "first_names": p["birth_name"]}

        def compound_part(p):
            return p | {"birth_name": p["birth_name"].split("-")[0]}

        def usage(p):
            return p | {"birth_name": p["usage_name"], "usage_name": ""}

        def reorder(p):
            names = [n.strip() for n in p["first_names"].split(",")]
            return p | {"first_names": ", ".join(reversed(names))}

        def phonetic(p):
            return p | {
                "birth_name": {"Dupont": "Dupond", "Lefèvre": "Lefebvre", "Renaud": "Renault"}[p["birth_name"]]
            }

        def compound_first(p):
            return p | {"first_names": p["first_names"].split("-")[0]}

        families = [("date à un jour près", one_day, {}), ("jour et mois inversés", swap_day_month, {"day": 5})]
        families += [("faute de frappe dans le nom", typo, {}), ("nom et prénom inversés", swap_fields, {})]
        families += [("nom composé et l'une de ses parties", compound_part, {"compound": True})]
        families += [("nom d'usage saisi comme nom de naissance", usage, {"usage": True})]
        families += [("prénoms dans un autre ordre", reorder, {"two_first": True})]
        families += [("même prononciation", phonetic, {"phonetic": True})]
        families += [("prénom composé et l'un de ses éléments", compound_first, {"compound_first": True})]
        for label, change, needs in families:
            for _ in range(5):
                birth = dt.date(
                    1950 + rng.randrange(55), 1 + rng.randrange(12), needs.get("day", 1 + rng.randrange(28))
                )
                a = self.person(birth)
                if needs.get("compound"):
                    a["birth_name"] = f"{a['birth_name']}-{rng.choice(SURNAMES)}"
                if needs.get("usage"):
                    a["usage_name"] = rng.choice(SURNAMES)
                    a["civility"] = "MME"
                if needs.get("two_first"):
                    a["first_names"] = f"{rng.choice(FIRST_M)}, {rng.choice(FIRST_F)}"
                if needs.get("phonetic"):
                    a["birth_name"] = rng.choice(["Dupont", "Lefèvre", "Renaud"])
                if needs.get("compound_first"):
                    a["first_names"] = rng.choice(COMPOUND_M + COMPOUND_F)
                place = self.any_place(birth)
                b = change(dict(a))
                self.add("variation", True, label, a, place, b, place)

    def other_people(self):
        rng = self.rng
        for first, second in [("Jean Marc", "Jean Luc"), ("Marie Claire", "Marie Anne"), ("Anne Sophie", "Anne Lise")]:
            for _ in range(4):
                birth = dt.date(1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28))
                a = self.person(birth) | {"first_names": first}
                place = self.any_place(birth)
                self.add("autre", False, f"jumeaux : {first} / {second}", a, place, a | {"first_names": second}, place)
        for _ in range(8):
            birth = dt.date(1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(27))
            a = self.person(birth)
            place = self.any_place(birth)
            b = a | {"birth_date": birth + dt.timedelta(days=2)}
            self.add("autre", False, "dates à deux jours d'écart", a, place, b, place)
        for _ in range(8):
            birth = dt.date(1955 + rng.randrange(20), 1 + rng.randrange(12), 1 + rng.randrange(28))
            a = self.person(birth)
            place = self.any_place(birth)
            b = a | {"birth_date": birth.replace(year=birth.year + 27)}
            self.add("autre", False, "parent et enfant (même nom et prénom)", a, place, b, place)
        for _ in range(8):
            birth = dt.date(1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28))
            a = self.person(birth)
            place = self.any_place(birth)
            other = rng.choice([f for f in FIRST_F + FIRST_M if f not in a["first_names"]])
            self.add("autre", False, "frères et sœurs nés le même jour", a, place, a | {"first_names": other}, place)

    # Output ------------------------------------------------------------------------------------------------------
    def closure(self) -> list[dict]:
        """Every Commune row of the codes used, and of every code their events, parents and successors lead to."""
        todo, done = set(self.codes), set()
        while todo:
            code = todo.pop()
            done.add(code)
            for key in self.rows_by_code.get(code, []):
                row = self.communes[key]
                for other in (row["parent_code"], row["successor_code"], row["event_successor_code"]):
                    if other and other not in done:
                        todo.add(other)
        rows = []
        for code in sorted(done):
            for key in sorted(self.rows_by_code.get(code, []), key=lambda k: (k[1], k[2] or dt.date(1900, 1, 1))):
                row = self.communes[key]
                rows.append(
                    {"code_insee": key[0], "kind": key[1], "start_date": iso(key[2])}
                    | {k: iso(v) if v is None or isinstance(v, dt.date) else str(v) for k, v in row.items()}
                )
        return rows

    def countries(self) -> list[dict]:
        rows = []
        for key, row in sorted(self.pays.items(), key=lambda kv: (kv[0][0], kv[0][1] or dt.date(1900, 1, 1))):
            if key[0] in self.country_codes or row["name_key"] in {
                self.pays[k]["name_key"] for k in self.pays if k[0] in self.country_codes
            }:
                rows.append({"code": key[0], "start_date": iso(key[1])} | {k: iso(v) for k, v in row.items()})
        return rows


def iso(value):
    return value.isoformat() if isinstance(value, dt.date) else (value if value is not None else None)


def place_dict(place: tuple) -> dict:
    if place[0] == "commune":
        return {"commune": [place[1], place[2], iso(place[3])]}
    return {"pays": [place[1], iso(place[2])]}


def main():
    builder = Builder()
    builder.spelling_pairs()
    builder.absorbed_pairs("fusion", 22, "fusion")
    builder.absorbed_pairs("deleguee", 10, "devenue commune déléguée")
    builder.absorbed_pairs("associee", 8, "devenue commune associée")
    builder.chain_pairs(6)
    builder.deleguee_pairs(8)
    builder.arrondissement_pairs()
    builder.country_pairs()
    builder.variation_pairs()
    builder.other_people()
    builder.sibling_pairs(10)
    builder.unrelated_pairs(10)
    pairs = builder.pairs
    for pair in pairs:
        for side in ("a", "b"):
            pair[side]["birth_date"] = pair[side]["birth_date"].isoformat()
    (HERE / "paires.json").write_text(json.dumps(pairs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (HERE / "communes.json").write_text(
        json.dumps({"communes": builder.closure(), "pays": builder.countries()}, ensure_ascii=False, indent=0) + "\n",
        encoding="utf-8",
    )
    print(f"{len(pairs)} paires, {len(builder.closure())} lignes Commune")


if __name__ == "__main__":
    main()
