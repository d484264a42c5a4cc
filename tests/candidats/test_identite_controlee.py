"""Identity takeover across centres (issue #16, hole 1): locked identities, UD-approved corrections, restricted
national lookup."""

import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceres.candidats.models import CorrectionIdentite
from ceres.core.models import JournalEntry
from tests.centres.factories import MembreCentreFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import CertificationFactory, InscriptionFactory, SessionExamenFactory
from tests.referentiels.factories import UniteDepartementaleFactory


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def holder():
    """A title holder certified in the Ain (01), by a centre of the Ain."""
    cert = CertificationFactory(
        inscription__candidat__birth_name="Lefèvre",
        inscription__candidat__first_names="Hélène",
        inscription__candidat__birth_date=dt.date(1980, 5, 1),
    )
    return cert.candidat


@pytest.fixture
def other_centre_user(holder):
    """A centre manager of another département who registers the holder in one of his sessions."""
    session = SessionExamenFactory()
    user = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=user, centre=session.centre)
    InscriptionFactory(session=session, candidat=holder)
    return user


def identity_post(candidat, **changes):
    data = {
        "civility": str(getattr(candidat.civility, "value", candidat.civility)),
        "birth_name": candidat.birth_name,
        "usage_name": candidat.usage_name,
        "first_names": candidat.first_names,
        "birth_date": candidat.birth_date.isoformat(),
        "birth_commune": candidat.birth_commune_id or "",
        "birth_country": candidat.birth_country_id or "",
        "birth_town_abroad": candidat.birth_town_abroad,
        "address": candidat.address,
        "postal_code": candidat.postal_code,
        "email": candidat.email,
        "phone": candidat.phone,
    }
    return data | changes


class TestLockedIdentity:
    def test_another_centre_cannot_rewrite_a_title_holder_identity(self, client, holder, other_centre_user):
        # Before: the other centre edited birth name and birth date, and the public verification of the holder's
        # parchemin then showed the forged identity.
        client.force_login(other_centre_user)
        url = reverse("candidats:update", args=[holder.public_id])
        response = client.post(url, identity_post(holder, birth_name="Usurpateur", birth_date="1990-01-01"))
        assert response.status_code == 200
        assert "L'identité de ce candidat ne se corrige plus directement" in text(response)
        assert "il détient 1 certification" in text(response)
        holder.refresh_from_db()
        assert (holder.birth_name, holder.birth_date) == ("Lefèvre", dt.date(1980, 5, 1))

    def test_contact_data_can_still_be_updated(self, client, holder, other_centre_user):
        client.force_login(other_centre_user)
        client.post(reverse("candidats:update", args=[holder.public_id]), identity_post(holder, phone="0600000000"))
        holder.refresh_from_db()
        assert holder.phone == "0600000000"

    def test_the_creating_centre_still_corrects_a_person_known_nowhere_else(self, client):
        inscription = InscriptionFactory()
        user = UserFactory(gestionnaire_centre=True)
        MembreCentreFactory(user=user, centre=inscription.session.centre)
        candidat = inscription.candidat
        client.force_login(user)
        client.post(
            reverse("candidats:update", args=[candidat.public_id]), identity_post(candidat, birth_name="Corrigé")
        )
        candidat.refresh_from_db()
        assert candidat.birth_name == "Corrigé"

    def test_correction_request_approved_by_the_ud_of_the_certifications(self, client, holder, other_centre_user):
        client.force_login(other_centre_user)
        page = client.get(reverse("candidats:detail", args=[holder.public_id]))
        assert "Demander une correction d'identité" in text(page)
        url = reverse("candidats:correction_request", args=[holder.public_id])
        data = identity_post(holder, birth_name="Lefebvre")
        data |= {"reason": "Erreur de transcription", "proof": SimpleUploadedFile("acte.pdf", b"%PDF-1.4 acte")}
        assert client.post(url, data).status_code == 302
        request = CorrectionIdentite.objects.get()
        holder.refresh_from_db()
        assert holder.birth_name == "Lefèvre"  # nothing changes before the UD decides

        # Another UD does not see it; the UD of the certification's département decides.
        client.force_login(UserFactory(agent_ud=True))
        assert client.get(reverse("candidats:correction_decide", args=[request.public_id])).status_code == 404
        ud = UniteDepartementaleFactory(departement=holder.certifications.get().session.departement)
        client.force_login(UserFactory(agent_ud=True, ud=ud))
        assert holder.numero in text(client.get(reverse("candidats:corrections")))
        decide = reverse("candidats:correction_decide", args=[request.public_id])
        assert client.post(decide, {"decision": "approuver", "reason": "Acte de naissance vu"}).status_code == 302
        holder.refresh_from_db()
        assert holder.birth_name == "Lefebvre"
        former = holder.identity_history.order_by("-id").first()
        assert former.identity["birth_name"] == "Lefèvre" and "Acte de naissance vu" in former.reason
        operations = set(
            JournalEntry.objects.filter(object_id=str(holder.public_id)).values_list("operation", flat=True)
        )
        assert {"demande_correction_identite", "correction_identite_approuvee"} <= operations


class TestNationalLookup:
    def url(self, user):
        session = SessionExamenFactory()
        MembreCentreFactory(user=user, centre=session.centre)
        return reverse("examens:inscription_add", args=[session.public_id])

    def test_a_letter_and_a_birth_date_no_longer_list_everyone_born_that_day(self, client, holder):
        user = UserFactory(gestionnaire_centre=True)
        url = self.url(user)
        client.force_login(user)
        found = text(client.get(url, {"q": "L", "birth_date": "1980-05-01"}))
        assert str(holder.public_id) not in found
        found = text(client.get(url, {"q": "Lefè", "first_name": "Hélène", "birth_date": "1980-05-01"}))
        assert str(holder.public_id) not in found  # birth name must be exact
        found = text(client.get(url, {"q": "Lefevre", "first_name": "helene", "birth_date": "1980-05-01"}))
        assert str(holder.public_id) in found
        # Minimum to identify: no contact data, no results elsewhere.
        assert holder.email not in found and holder.address not in found
        entry = JournalEntry.objects.filter(operation="recherche_nationale_candidat").order_by("-id").first()
        assert entry.actor == user and entry.changes["dossiers"] == [holder.numero]

    def test_national_lookups_are_rate_limited_per_user(self, client, holder):
        user = UserFactory(gestionnaire_centre=True)
        url = self.url(user)
        client.force_login(user)
        params = {"q": "Lefevre", "first_name": "Hélène", "birth_date": "1980-05-01"}
        for _ in range(30):
            client.get(url, params)
        refused = text(client.get(url, params))
        assert "Trop de recherches dans le fichier national" in refused
        assert str(holder.public_id) not in refused
