import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ceres.editique import signature
from ceres.editique.checks import signing_key_configured
from ceres.editique.rules import format_number

pytestmark = pytest.mark.no_django_db

NUMBER = format_number(2026, "69", 123)
FACTS = {"titre": "RNCP1234", "initiales": "L. M.", "annee_naissance": 1990, "date": "2026-03-04"}


class TestSignature:
    def test_dev_key_signs_and_verifies(self):
        token = signature.sign(NUMBER, FACTS)
        assert token.startswith("dev.")
        assert signature.verify(NUMBER, token, FACTS)

    def test_altered_fact_or_number_fails(self):
        token = signature.sign(NUMBER, FACTS)
        assert not signature.verify(NUMBER, token, dict(FACTS, initiales="J. D."))
        assert not signature.verify(format_number(2026, "69", 124), token, FACTS)
        assert not signature.verify(NUMBER, token[:-2] + "AA", FACTS)
        assert not signature.verify(NUMBER, "inconnue." + token.partition(".")[2], FACTS)
        assert not signature.verify(NUMBER, "", FACTS)

    def test_key_rotation_keeps_old_parchemins_valid(self, settings):
        old, new = signature.generate_private_key(), signature.generate_private_key()
        settings.CERES_SIGNING_KEYS = {"k2025": old}
        settings.CERES_SIGNING_KEY_ID = "k2025"
        old_token = signature.sign(NUMBER, FACTS)
        settings.CERES_SIGNING_KEYS = {"k2025": old, "k2026": new}
        settings.CERES_SIGNING_KEY_ID = "k2026"
        new_token = signature.sign(NUMBER, FACTS)
        assert old_token.startswith("k2025.") and new_token.startswith("k2026.")
        assert signature.verify(NUMBER, old_token, FACTS)
        assert signature.verify(NUMBER, new_token, FACTS)

    def test_payload_round_trip(self):
        token = signature.sign(NUMBER, FACTS)
        url = signature.verification_url(NUMBER, token)
        assert f"/documents/verifier/{NUMBER}?s=" in url
        assert signature.parse_payload(url) == (NUMBER, token, "")
        url = signature.verification_url(NUMBER, token, "D2")
        assert f"/documents/verifier/{NUMBER}?e=D2&s=" in url
        assert signature.parse_payload(url) == (NUMBER, token, "D2")

    def test_the_edition_is_signed(self):
        original = signature.sign(NUMBER, dict(FACTS, edition="O"))
        duplicata = signature.sign(NUMBER, dict(FACTS, edition="D1"))
        assert original != duplicata  # two copies of one certification no longer share their QR code
        assert signature.verify(NUMBER, duplicata, dict(FACTS, edition="D1"))
        assert not signature.verify(NUMBER, original, dict(FACTS, edition="D1"))
        assert not signature.verify(NUMBER, duplicata, dict(FACTS, edition="O"))
        assert not signature.verify(NUMBER, duplicata, FACTS)  # an edition cannot be dropped either

    def test_parchemins_signed_before_editions_keep_verifying(self):
        token = signature.sign(NUMBER, FACTS)  # version 1 message: no edition
        assert signature.verify(NUMBER, token, dict(FACTS, edition=""))

    def test_production_without_key_fails_the_deploy_check(self, settings, monkeypatch):
        monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.prod")
        settings.DEBUG = False
        settings.CERES_SIGNING_KEYS = {}
        assert [e.id for e in signing_key_configured(None)] == ["documents.E001"]
        settings.CERES_SIGNING_KEYS = {"k1": signature.generate_private_key()}
        assert signing_key_configured(None) == []


class TestOfflineCommand:
    def test_authentic(self, capsys):
        url = signature.verification_url(NUMBER, signature.sign(NUMBER, FACTS))
        call_command(
            "verifier_qr", url, titre="RNCP1234", initiales="L. M.", annee_naissance="1990", date="04/03/2026"
        )
        assert "authentique" in capsys.readouterr().out

    def test_edition_in_the_payload_is_checked(self, capsys):
        facts = dict(FACTS, edition="D1")
        url = signature.verification_url(NUMBER, signature.sign(NUMBER, facts), "D1")
        args = {"titre": "RNCP1234", "initiales": "L. M.", "annee_naissance": "1990", "date": "2026-03-04"}
        call_command("verifier_qr", url, **args)
        assert "duplicata n° 1" in capsys.readouterr().out
        with pytest.raises(CommandError, match="NON valide"):
            call_command("verifier_qr", url.replace("e=D1", "e=O"), **args)

    def test_altered(self):
        url = signature.verification_url(NUMBER, signature.sign(NUMBER, FACTS))
        with pytest.raises(CommandError, match="NON valide"):
            call_command(
                "verifier_qr", url, titre="RNCP9999", initiales="L. M.", annee_naissance="1990", date="2026-03-04"
            )
