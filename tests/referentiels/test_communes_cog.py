"""Acceptance on the real INSEE COG 2026 files committed in the repository (full load: a few seconds)."""

import datetime as dt

from ceres.referentiels.communes import search_communes, search_pays
from ceres.referentiels.loaders.communes import load_communes, load_pays
from ceres.referentiels.models import Commune


def test_full_commune_history():
    first = load_communes()
    assert first["créées"] > 45_000 and first["modifiées"] == 0 and first["mots ajoutés"] > 20_000
    assert load_communes() == {
        "créées": 0,
        "modifiées": 0,
        "inchangées": first["créées"],
        "mots ajoutés": 0,
        "mots retirés": 0,
    }

    # Arlod: merged in 1971 into Bellegarde-sur-Valserine, today Valserhône.
    [arlod] = search_communes("arlod", on_date=dt.date(1965, 6, 1))
    assert (arlod["code_insee"], arlod["commune_actuelle"]) == ("01018", {"code_insee": "01033", "nom": "Valserhône"})
    assert arlod["statut"] == (
        "fusionnée le 01/01/1971 dans Bellegarde-sur-Valserine (01033), aujourd'hui Valserhône (01033)"
    )
    assert arlod["evenement"]["commune"] == {"code_insee": "01033", "nom": "Bellegarde-sur-Valserine"}
    assert (arlod["evenement"]["type"], arlod["evenement"]["date"]) == ("fusion", "1971-01-01")
    assert search_communes("arlod", on_date=dt.date(1990, 1, 1)) == []

    # Inner words: the end of a name is enough, whole-name prefixes still come first.
    assert [r["nom"] for r in search_communes("clemenciat")] == ["L'Abergement-Clémenciat"]
    [bellegarde_2000] = search_communes("valserine", on_date=dt.date(2000, 1, 1))
    assert (bellegarde_2000["nom"], bellegarde_2000["type"]) == ("Bellegarde-sur-Valserine", "COM")
    assert bellegarde_2000["statut"] == "devenue le 01/01/2019 commune déléguée de Valserhône (01033)"
    ascq = search_communes("ascq")
    assert [r["nom"] for r in ascq] == ["Ascq", "Villeneuve-d'Ascq"]
    assert ascq[0]["statut"] == "fusionnée le 25/03/1970 dans Villeneuve-d'Ascq (59009)"

    # Other direct events: association, change of département, renaming, split.
    [amareins] = search_communes("amareins", on_date=dt.date(1960, 1, 1))
    assert amareins["statut"] == (
        "devenue le 01/01/1974 commune associée d'Amareins-Francheleins-Cesseins (01165),"
        " aujourd'hui Francheleins (01165)"
    )
    crepieux = search_communes("01132")[0]
    assert crepieux["statut"].startswith("changement de département le 31/12/1967 : devenue Crépieux-la-Pape (69274)")
    assert search_communes("ambérieu", on_date=dt.date(1950, 1, 1))[0]["statut"] == (
        "renommée Ambérieu-en-Bugey (01004) le 31/03/1955"
    )
    # Every vanished name of metropolitan France and the DOM has its direct event (except Algeria, Morocco and
    # Tunisia before 1968, and Mayotte, whose code changes are not in the movements file).
    without_event = Commune.objects.filter(end_date__isnull=False, event="").exclude(
        departement_code__in=["91", "92", "93", "94", "95", "96"], end_date__lte=dt.date(1968, 1, 1)
    )
    assert set(without_event.values_list("departement_code", flat=True)) <= {"976", "985", "987", "989"}

    assert search_communes("st etienne")[0]["libelle"] == "Saint-Étienne (42218) — commune"
    assert search_communes("abergement clem")[0]["code_insee"] == "01001"
    assert search_communes("abergement clem")[0]["nom"] == "L'Abergement-Clémenciat"

    paris = search_communes("paris", limit=25)
    assert paris[0]["code_insee"] == "75056"
    assert {r["code_insee"] for r in paris if r["type"] == "ARM"} == {f"751{n:02d}" for n in range(1, 21)}
    assert search_communes("75113")[0]["statut"] == "arrondissement municipal de Paris"

    # A commune déléguée is selectable, at a date after its creation only.
    deleguees = [r for r in search_communes("bellegarde sur valserine", on_date=dt.date(2024, 1, 1))]
    assert [(r["type"], r["statut"]) for r in deleguees] == [("COMD", "commune déléguée de Valserhône (01033)")]
    assert Commune.objects.filter(kind="COMD", pk=deleguees[0]["id"]).exists()

    # Historical rows: Corsica before 1976, Algeria before 1962, Mayotte's 2007 code change.
    [ajaccio_1960] = search_communes("ajaccio", on_date=dt.date(1960, 1, 1))
    assert (ajaccio_1960["code_insee"], ajaccio_1960["departement"]["code"]) == ("20004", "20")
    assert search_communes("boufarik")[0]["departement"]["nom"] == "Algérie"
    assert search_communes("boufarik", on_date=dt.date(1950, 1, 1))[0]["departement"]["nom"] == (
        "Algérie, département d'Alger"
    )
    assert search_communes("acoua", on_date=dt.date(1990, 1, 1))[0]["commune_actuelle"]["code_insee"] == "97601"


def test_countries_since_1943():
    assert load_pays()["créées"] > 450
    assert [r["code_insee"] for r in search_pays("maroc", on_date=dt.date(1970, 1, 1))] == ["99350"]
    assert [r["code_insee"] for r in search_pays("madagascar", on_date=dt.date(1955, 1, 1))] == ["98401"]
    assert search_pays("99352")[0]["nom"] == "Algérie"
