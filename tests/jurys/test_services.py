import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ceres.core.journal import journal_for
from ceres.jurys import services
from ceres.jurys.enums import Civilite, StatutHabilitation
from ceres.jurys.models import MembreJury
from tests.jurys.factories import HabilitationFactory, MembreJuryFactory
from tests.referentiels.factories import CommuneFactory, TitreProfessionnelFactory, UniteDepartementaleFactory


@pytest.fixture
def ud():
    return UniteDepartementaleFactory()


def identity(**overrides):
    values = {
        "civility": Civilite.MADAME,
        "birth_name": "Dupont",
        "first_names": "Marie Louise",
        "birth_date": dt.date(1975, 3, 12),
        "birth_commune": CommuneFactory(code_insee="69123", name="Lyon"),
        "email": "marie.dupont@exemple.fr",
    }
    return values | overrides


class TestMembreCreate:
    def test_creates_and_journals(self, ud):
        membre = services.membre_create(ud=ud, by=None, **identity())
        assert membre.name_key == "dupont"
        assert membre.first_names_key == "marielouise"
        assert journal_for(membre).filter(action="create").count() == 1

    def test_existing_person_is_proposed_instead_of_a_second_file(self, ud):
        existing = services.membre_create(ud=ud, by=None, **identity())
        with pytest.raises(services.DuplicateMembre) as exc:
            services.membre_create(
                ud=ud,
                by=None,
                **identity(birth_name="DUPONT", first_names="Marie", birth_commune=existing.birth_commune),
            )
        assert exc.value.certain
        assert exc.value.duplicates[0].membre == existing
        # Even with the confirmation, a certain match is refused.
        with pytest.raises(services.DuplicateMembre):
            services.membre_create(
                ud=ud, by=None, confirm_other_person=True, **identity(birth_commune=existing.birth_commune)
            )

    def test_probable_match_can_be_confirmed_as_another_person(self, ud):
        existing = services.membre_create(ud=ud, by=None, **identity())
        similar = identity(birth_name="Dupond", birth_commune=existing.birth_commune)
        with pytest.raises(services.DuplicateMembre) as exc:
            services.membre_create(ud=ud, by=None, **similar)
        assert not exc.value.certain
        membre = services.membre_create(ud=ud, by=None, confirm_other_person=True, **similar)
        assert "Homonyme probable" in journal_for(membre).get().reason

    def test_identity_corrected_into_another_jurors_identity_is_refused(self, ud):
        existing = services.membre_create(ud=ud, by=None, **identity())
        other = services.membre_create(
            ud=ud, by=None, **identity(birth_name="Martin", first_names="Paul", birth_commune=existing.birth_commune)
        )
        with pytest.raises(services.DuplicateMembre) as exc:
            services.membre_update(membre=other, by=None, birth_name="Dupont", first_names="Marie")
        assert exc.value.duplicates[0].membre == existing
        assert "déjà celle d'un autre membre de jury" in exc.value.messages[0]
        other.refresh_from_db()
        assert other.birth_name == "Martin"
        # Contact changes on a file whose identity is unchanged are not blocked.
        services.membre_update(membre=existing, by=None, email="nouvelle@exemple.fr")

    def test_birth_commune_must_exist_at_birth_date(self, ud):
        merged = CommuneFactory(code_insee="01999", name="Nouvelle-Commune", start_date=dt.date(2016, 1, 1))
        with pytest.raises(ValidationError) as exc:
            services.membre_create(ud=ud, by=None, **identity(birth_commune=merged))
        assert "n'existait pas sous ce nom le 12/03/1975" in exc.value.messages[0]

    def test_birth_place_required(self, ud):
        with pytest.raises(ValidationError) as exc:
            services.membre_create(ud=ud, by=None, **identity(birth_commune=None))
        assert exc.value.messages == ["Indiquez la commune de naissance (en France) ou le pays de naissance."]


class TestHabilitation:
    def test_until_end_of_life_stores_the_title_end(self):
        membre = MembreJuryFactory()
        titre = TitreProfessionnelFactory(start_date=dt.date(2023, 8, 1), end_date=dt.date(2028, 8, 1))
        habilitation = services.habilitation_create(
            membre=membre, titre=titre, start_date=dt.date(2024, 1, 1), until_end_of_life=True, ud=membre.ud, by=None
        )
        assert habilitation.end_date == dt.date(2028, 8, 1)
        assert journal_for(habilitation).count() == 1

    def test_overlap_on_same_title_refused(self):
        existing = HabilitationFactory()
        with pytest.raises(ValidationError) as exc:
            services.habilitation_create(
                membre=existing.membre,
                titre=existing.titre,
                start_date=dt.date(2025, 1, 1),
                end_date=dt.date(2026, 1, 1),
                ud=existing.ud,
                by=None,
            )
        assert "déjà habilité(e) pour ce titre" in exc.value.messages[0]

    def test_suspend_requires_reason_and_withdraw_is_final(self):
        habilitation = HabilitationFactory()
        with pytest.raises(ValidationError) as exc:
            services.habilitation_set_status(
                habilitation=habilitation, status=StatutHabilitation.SUSPENDUE, reason="", by=None
            )
        assert exc.value.messages == [
            "Indiquez le motif : il est communiqué au membre de jury et conservé au journal."
        ]
        services.habilitation_set_status(
            habilitation=habilitation, status=StatutHabilitation.RETIREE, reason="Manquement à la charte", by=None
        )
        habilitation.refresh_from_db()
        assert habilitation.status == StatutHabilitation.RETIREE
        with pytest.raises(ValidationError):
            services.habilitation_set_status(
                habilitation=habilitation, status=StatutHabilitation.ACTIVE, reason="", by=None
            )


@pytest.mark.django_db(transaction=True)
def test_two_agents_creating_the_same_juror_at_the_same_moment_make_one_file(monkeypatch):
    """Two UD agents (two départements) create the same person at once: one file, the other agent is shown it.
    The duplicate read is slowed down so that, without the lock, both checks would see no file and both insert."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite sérialise les écritures : le verrou de ligne n'est vérifiable que sur PostgreSQL.")
    person = identity()
    uds = [UniteDepartementaleFactory(), UniteDepartementaleFactory()]
    read_duplicates = services.membre_duplicates

    def slow_duplicates(membre):
        found = read_duplicates(membre)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "membre_duplicates", slow_duplicates)
    created, refused, errors = [], [], []
    barrier = threading.Barrier(len(uds))

    def agent(ud):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            created.append(services.membre_create(ud=ud, by=None, **person))
        except services.DuplicateMembre as exc:
            refused.append(exc)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=agent, args=(ud,)) for ud in uds]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert MembreJury.objects.count() == 1
    assert len(created) == 1 and len(refused) == 1
    assert refused[0].certain and refused[0].duplicates[0].membre == created[0]
