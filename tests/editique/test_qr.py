"""The fast QR construction gives segno's symbol, module for module (editique/qr.py)."""

import random

import pytest

from ceres.editique import qr, signature
from ceres.editique.rules import format_number

pytestmark = pytest.mark.no_django_db


def test_same_modules_as_segno_for_every_length_and_real_payloads():
    rnd = random.Random(13)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/?=&%é"
    payloads = ["".join(rnd.choice(alphabet) for _ in range(n)) for n in range(1, 400, 3)]
    payloads += ["12345678901234567890", "HTTPS://CERES.EXAMPLE/V/1"]  # numeric and alphanumeric modes
    for seq in range(1, 40):
        number = format_number(2026, "069", seq)
        facts = {
            "titre": "RNCP1",
            "initiales": "L. M.",
            "annee_naissance": 1990,
            "date": "2026-03-04",
            "edition": "D1",
        }
        payloads.append(signature.verification_url(number, signature.sign(number, facts), "D1"))
    for payload in payloads:
        assert qr.qr_matrix(payload) == qr.segno_matrix(payload), payload


def test_svg_draws_every_dark_module_in_its_quiet_zone():
    svg = qr.qr_svg("https://ceres.example.gouv.fr/documents/verifier/TP-2026-069-000123-K")
    size = len(qr.qr_matrix("https://ceres.example.gouv.fr/documents/verifier/TP-2026-069-000123-K")) + 8
    assert f'viewBox="0 0 {size} {size}"' in svg and svg.count("z") > 50
