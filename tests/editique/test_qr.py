"""The fast QR construction gives segno's symbol, module for module (editique/qr.py)."""

import random
import re

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


def drawn_modules(svg: str) -> list[list[int]]:
    """The modules an SVG of qr_svg paints dark: its path followed command by command, each horizontal segment
    (stroked one module thick, centred on its row) painting the modules it covers."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    path = re.search(r'<path fill="none" stroke="#000000" stroke-width="1" stroke-linecap="butt" d="([^"]+)"', svg)
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for command, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?: (-?[\d.]+))?", path.group(1)):
        if command in "Mm":
            x, y = (float(a), float(b)) if command == "M" else (x + float(a), y + float(b))
            continue
        assert command == "h" and float(a) > 0 and y % 1 == 0.5, (command, a, y)
        for column in range(int(x), int(x + float(a))):
            grid[int(y)][column] += 1
        x += float(a)
    return grid


def test_svg_draws_exactly_the_dark_modules_in_their_quiet_zone():
    payloads = [
        "a",
        "HTTPS://CERES.EXAMPLE/V/1",
        "https://ceres.example.gouv.fr/documents/verifier/TP-2026-069-000123-K",
    ]
    payloads.append(signature.verification_url("TP-2026-069-000123-K", "dev." + "A" * 86, "D12"))
    for payload in payloads:
        matrix = qr.qr_matrix(payload)
        quiet = [0] * qr.BORDER
        blank = [[0] * (len(matrix) + 2 * qr.BORDER)] * qr.BORDER
        expected = blank + [quiet + list(row) + quiet for row in matrix] + blank
        assert drawn_modules(qr.qr_svg(payload)) == expected, payload  # each dark module once, nothing else
