"""QR codes as SVG (segno), embedded in Typst documents as vector images."""

import io

import segno

# A fixed mask pattern (allowed by ISO/IEC 18004; readers decode any of the 8) skips segno's evaluation of all
# eight masks in pure Python, which cost ~6 ms per code and capped bulk printing; decoding is checked in tests.
MASK = 4


def qr_svg(payload: str, *, error: str = "m") -> str:
    """SVG text of a QR code with its 4-module quiet zone."""
    qr = segno.make(payload, error=error, micro=False, mask=MASK)
    out = io.BytesIO()
    qr.save(out, kind="svg", xmldecl=False, border=4, scale=1, nl=False, dark="#000000", light="#ffffff")
    return out.getvalue().decode()
