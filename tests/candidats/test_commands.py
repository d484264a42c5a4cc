import datetime as dt

from django.core.management import call_command

from ceres.candidats import demo
from ceres.candidats.models import Candidat, DoublonPotentiel
from tests.candidats.factories import CandidatFactory
from tests.referentiels.factories import CommuneFactory


def test_detecter_doublons_dry_run_then_wet_run(capsys):
    birth, place = dt.date(1985, 2, 3), CommuneFactory()
    CandidatFactory(birth_name="Lefèvre", first_names="Hélène", birth_date=birth, birth_commune=place)
    CandidatFactory(birth_name="LEFEVRE", first_names="Helene", birth_date=birth, birth_commune=place)
    CandidatFactory(birth_name="Lefebvre", first_names="Paul", birth_date=birth, birth_commune=place)
    call_command("detecter_doublons")
    out = capsys.readouterr().out
    assert "1 paire(s) détectée(s) : 1 certaine(s), 0 probable(s)." in out
    assert "Essai à blanc" in out
    assert "enregistrée" not in out
    assert not DoublonPotentiel.objects.exists()
    call_command("detecter_doublons", "--wet-run")
    assert DoublonPotentiel.objects.get().level == "certain"


def test_demo_seed_is_idempotent():
    for code in ("69123", "69382", "69266", "01053", "01283"):
        CommuneFactory(code_insee=code)
    first = demo.seed()
    assert first["candidats"] == 6
    assert first["doublons détectés"] >= 2
    second = demo.seed()
    assert second["candidats"] == 0 and second["doublons détectés"] == 0
    assert Candidat.objects.count() == 6


def test_detection_killed_midway_keeps_what_it_stored_and_the_next_run_completes(monkeypatch):
    """Issue #15: the batch detection is resumable per item (pairs committed as they are found, never twice)."""
    import pytest

    from ceres.candidats import selectors
    from ceres.candidats.management.commands import detecter_doublons

    people = (("Lefèvre", "Hélène", 1985), ("Moreau", "Karim", 1971), ("Nguyen", "Thi Lan", 1999))
    for name, first, year in people:  # three people, each typed twice: three certain pairs
        place = CommuneFactory()
        for typed in (name, name.upper()):
            CandidatFactory(birth_name=typed, first_names=first, birth_date=dt.date(year, 5, 6), birth_commune=place)
    monkeypatch.setattr(detecter_doublons, "PAIRS_PER_TRANSACTION", 1)
    real = selectors.doublons_detect

    def killed_after_two():
        for n, pair in enumerate(real()):
            if n == 2:
                raise KeyboardInterrupt  # the worker dies here
            yield pair

    monkeypatch.setattr(selectors, "doublons_detect", killed_after_two)
    with pytest.raises(KeyboardInterrupt):
        call_command("detecter_doublons", "--wet-run")
    assert DoublonPotentiel.objects.count() == 2
    monkeypatch.setattr(selectors, "doublons_detect", real)
    call_command("detecter_doublons", "--wet-run")
    assert DoublonPotentiel.objects.count() == 3
    call_command("detecter_doublons", "--wet-run")
    assert DoublonPotentiel.objects.count() == 3
