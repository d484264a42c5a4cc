"""Commune / country loaders on small COG-shaped files written by the test."""

import csv
import datetime as dt
import lzma

import pytest

from ceres.referentiels.loaders.communes import departement_from_code, load_communes, load_pays
from ceres.referentiels.models import Commune, CommuneMot, Pays

HEADERS = {
    "v_commune_depuis_1943": ["TYPECOM", "COM", "TNCC", "NCC", "NCCENR", "LIBELLE", "DATE_DEBUT", "DATE_FIN"],
    "v_commune_outremer_depuis_1943": [
        "NATURE_ZONAGE",
        "COM_COMER",
        "TNCC",
        "NCC",
        "NCCENR",
        "LIBELLE",
        "DATE_DEBUT",
        "DATE_FIN",
    ],  # fmt: skip
    "v_commune_comer_2026": [
        "COM_COMER",
        "TNCC",
        "NCC",
        "NCCENR",
        "LIBELLE",
        "NATURE_ZONAGE",
        "COMER",
        "LIBELLE_COMER",
    ],
    "v_commune_2026": [
        "TYPECOM",
        "COM",
        "REG",
        "DEP",
        "CTCD",
        "ARR",
        "TNCC",
        "NCC",
        "NCCENR",
        "LIBELLE",
        "CAN",
        "COMPARENT",
    ],
    "v_mvt_commune_2026": [
        "MOD",
        "DATE_EFF",
        "TYPECOM_AV",
        "COM_AV",
        "TNCC_AV",
        "NCC_AV",
        "NCCENR_AV",
        "LIBELLE_AV",
        "TYPECOM_AP",
        "COM_AP",
        "TNCC_AP",
        "NCC_AP",
        "NCCENR_AP",
        "LIBELLE_AP",
    ],  # fmt: skip
    "v_pays_et_territoire_depuis_1943": ["COG", "CRPAY", "LIBCOG", "LIBENR", "DATE_DEBUT", "DATE_FIN"],
    "v_tom_depuis_1943": ["COMER", "TNCC", "NCC", "NCCENR", "LIBELLE", "DATE_DEBUT", "DATE_FIN"],
}


def history(kind, code, name, start, end=""):
    return {"TYPECOM": kind, "COM": code, "LIBELLE": name, "DATE_DEBUT": start, "DATE_FIN": end}


def current(kind, code, name, dep, parent=""):
    return {"TYPECOM": kind, "COM": code, "DEP": dep, "LIBELLE": name, "COMPARENT": parent}


def move(mod, day, before, after):
    (kind_av, code_av, name_av), (kind_ap, code_ap, name_ap) = before, after
    return {
        "MOD": mod,
        "DATE_EFF": day,
        "TYPECOM_AV": kind_av,
        "COM_AV": code_av,
        "LIBELLE_AV": name_av,
        "TYPECOM_AP": kind_ap,
        "COM_AP": code_ap,
        "LIBELLE_AP": name_ap,
    }


def write(directory, name, rows):
    with lzma.open(directory / f"{name}.csv.xz", "wt", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADERS[name], quoting=csv.QUOTE_ALL, restval="")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def cog(tmp_path):
    """Arlod (01018) merged in 1971 into Bellegarde (01033), itself the core of Valserhône since 2019;
    Lancrans (01205) merged into Valserhône in 2019 and now a commune déléguée; Ajaccio's code changed in 1976;
    a Paris arrondissement; an Algerian commune; a zero-length period."""
    write(
        tmp_path,
        "v_commune_depuis_1943",
        [
            history("COM", "01018", "Arlod", "1943-01-01", "1971-01-01"),
            history("COM", "01033", "Bellegarde", "1943-01-01", "1956-10-19"),
            history("COM", "01033", "Bellegarde-sur-Valserine", "1956-10-19", "2019-01-01"),
            history("COM", "01033", "Valserhône", "2019-01-01"),
            history("COM", "01205", "Lancrans", "1943-01-01", "2019-01-01"),
            history("COM", "20004", "Ajaccio", "1943-01-01", "1976-01-01"),
            history("COM", "2A004", "Ajaccio", "1976-01-01"),
            history("COM", "75056", "Paris", "1943-01-01"),
            history("ARM", "75101", "Paris 1er Arrondissement", "1943-01-01"),
            history("COM", "44225", "Freigné", "2018-01-01", "2018-01-01"),
        ],
    )
    write(
        tmp_path,
        "v_commune_outremer_depuis_1943",
        [{"NATURE_ZONAGE": "COM", "COM_COMER": "91126", "LIBELLE": "Boufarik", "DATE_DEBUT": "1943-01-01",
          "DATE_FIN": "1962-07-05"}],
    )  # fmt: skip
    write(tmp_path, "v_commune_comer_2026", [])
    write(
        tmp_path,
        "v_commune_2026",
        [
            current("COM", "01033", "Valserhône", "01"),
            current("COMD", "01033", "Bellegarde-sur-Valserine", "01", parent="01033"),
            current("COMD", "01205", "Lancrans", "01", parent="01033"),
            current("COM", "2A004", "Ajaccio", "2A"),
            current("COM", "75056", "Paris", "75"),
            current("ARM", "75101", "Paris 1er Arrondissement", "75", parent="75056"),
        ],
    )
    write(
        tmp_path,
        "v_mvt_commune_2026",
        [
            move("31", "1971-01-01", ("COM", "01018", "Arlod"), ("COM", "01033", "Bellegarde-sur-Valserine")),
            move("32", "2019-01-01", ("COM", "01033", "Bellegarde-sur-Valserine"), ("COM", "01033", "Valserhône")),
            move(
                "32",
                "2019-01-01",
                ("COM", "01033", "Bellegarde-sur-Valserine"),
                ("COMD", "01033", "Bellegarde-sur-Valserine"),
            ),
            move("32", "2019-01-01", ("COM", "01205", "Lancrans"), ("COM", "01033", "Valserhône")),
            move("32", "2019-01-01", ("COM", "01205", "Lancrans"), ("COMD", "01205", "Lancrans")),
            move("41", "1976-01-01", ("COM", "20004", "Ajaccio"), ("COM", "2A004", "Ajaccio")),
        ],
    )
    write(
        tmp_path,
        "v_pays_et_territoire_depuis_1943",
        [
            {"COG": "99350", "LIBCOG": "Maroc", "LIBENR": "Royaume du Maroc", "DATE_DEBUT": "1956-03-02"},
            {"COG": "99333", "LIBCOG": "Madagascar", "LIBENR": "République de Madagascar", "DATE_DEBUT": "1960-06-26"},
        ],
    )
    write(
        tmp_path,
        "v_tom_depuis_1943",
        [
            {"COMER": "98401", "LIBELLE": "Madagascar", "DATE_DEBUT": "1943-01-01", "DATE_FIN": "1960-06-26"},
            {"COMER": "95", "LIBELLE": "Maroc", "DATE_DEBUT": "1943-01-01", "DATE_FIN": "1956-03-02"},
        ],
    )
    return tmp_path


def row(code, kind="COM", start=None):
    queryset = Commune.objects.filter(code_insee=code, kind=kind)
    return queryset.get(start_date=start) if start else queryset.get()


class TestLoadCommunes:
    def test_every_name_period_with_its_current_successor(self, cog):
        assert load_communes(cog) == {
            "créées": 12,
            "modifiées": 0,
            "inchangées": 0,
            "mots ajoutés": 4,
            "mots retirés": 0,
        }
        arlod = row("01018")
        assert (arlod.start_date, arlod.end_date) == (dt.date(1943, 1, 1), dt.date(1971, 1, 1))
        # Merged into Bellegarde-sur-Valserine, which is Valserhône today: followed transitively.
        assert (arlod.successor_code, arlod.successor_name, arlod.departement_code) == ("01033", "Valserhône", "01")
        old_name = row("01033", start=dt.date(1956, 10, 19))
        assert (old_name.name, old_name.successor_code, old_name.successor_name) == (
            "Bellegarde-sur-Valserine",
            "01033",
            "Valserhône",
        )
        assert row("01033", start=dt.date(2019, 1, 1)).successor_code == ""
        assert row("20004").successor_code == "2A004"
        assert (row("20004").departement_code, row("2A004").departement_code) == ("20", "2A")

    def test_communes_deleguees_start_when_they_were_created(self, cog):
        load_communes(cog)
        lancrans = row("01205", kind="COMD")
        assert (lancrans.start_date, lancrans.end_date) == (dt.date(2019, 1, 1), None)
        assert (lancrans.parent_code, lancrans.successor_name) == ("01033", "Valserhône")
        assert row("01205", kind="COM").successor_name == "Valserhône"

    def test_arrondissements_overseas_and_zero_length_periods(self, cog):
        load_communes(cog)
        assert row("75101", kind="ARM").parent_code == "75056"
        boufarik = row("91126")
        assert (boufarik.end_date, boufarik.successor_code) == (dt.date(1962, 7, 5), "")
        assert not Commune.objects.filter(code_insee="44225").exists()  # valid on no day

    def test_second_load_changes_nothing(self, cog):
        load_communes(cog)
        before = {c.pk: c.updated_at for c in Commune.objects.all()}
        assert load_communes(cog) == {
            "créées": 0,
            "modifiées": 0,
            "inchangées": 12,
            "mots ajoutés": 0,
            "mots retirés": 0,
        }
        assert {c.pk: c.updated_at for c in Commune.objects.all()} == before

    def test_reload_only_writes_differences_and_keeps_rows(self, cog):
        load_communes(cog)
        arlod = row("01018")
        Commune.objects.filter(pk=arlod.pk).update(name="Arlod (modifié à la main)", successor_name="")
        CommuneMot.objects.create(commune=arlod, word_key="modifie a la main")
        CommuneMot.objects.filter(word_key="valserine").first().delete()
        assert load_communes(cog) == {
            "créées": 0,
            "modifiées": 1,
            "inchangées": 11,
            "mots ajoutés": 1,
            "mots retirés": 1,
        }
        arlod.refresh_from_db()
        assert (arlod.name, arlod.successor_name) == ("Arlod", "Valserhône")  # same row (same pk) corrected
        assert sorted(CommuneMot.objects.values_list("word_key", flat=True)) == [
            "1er arrondissement",
            "arrondissement",
            "valserine",
            "valserine",
        ]

    def test_direct_event_of_each_vanished_name(self, cog):
        load_communes(cog)
        arlod, bellegarde, lancrans = row("01018"), row("01033", start=dt.date(1956, 10, 19)), row("01205")
        assert (arlod.event, arlod.event_successor_code, arlod.event_successor_name) == (
            Commune.Event.FUSION,
            "01033",
            "Bellegarde-sur-Valserine",  # its name that day, not today's Valserhône
        )
        # Commune nouvelle: the commune it became a déléguée of, not the déléguée itself.
        assert (bellegarde.event, bellegarde.event_successor_name) == (Commune.Event.DELEGUEE, "Valserhône")
        assert (lancrans.event, lancrans.event_successor_code) == (Commune.Event.DELEGUEE, "01033")
        assert (row("20004").event, row("20004").event_successor_code) == (Commune.Event.CODE_DEPARTEMENT, "2A004")
        # No movement recorded: no event (Algeria; the name Bellegarde changed before the movements file says so).
        assert row("91126").event == ""
        assert row("01033", start=dt.date(1943, 1, 1)).event == ""
        assert row("01033", kind="COMD").event == ""

    def test_departement_from_code(self):
        assert [departement_from_code(c) for c in ("01018", "2A004", "20004", "97101", "98715")] == [
            "01",
            "2A",
            "20",
            "971",
            "987",
        ]


class TestLoadPays:
    def test_countries_and_former_territories(self, cog):
        assert load_pays(cog) == {"créées": 3, "modifiées": 0, "inchangées": 0}
        assert load_pays(cog) == {"créées": 0, "modifiées": 0, "inchangées": 3}
        madagascar = Pays.objects.get(code="98401")
        assert (madagascar.name, madagascar.end_date) == ("Madagascar", dt.date(1960, 6, 26))
        assert Pays.objects.get(code="99350").official_name == "Royaume du Maroc"
