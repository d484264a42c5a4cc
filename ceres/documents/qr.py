"""QR codes as SVG (segno), embedded in Typst documents as vector images."""

import io

import segno


def qr_svg(payload: str, *, error: str = "m") -> str:
    """SVG text of a QR code without border (the template leaves the quiet zone around it)."""
    qr = segno.make(payload, error=error, micro=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", xmldecl=False, border=4, scale=1, nl=False, dark="#000000", light="#ffffff")
    return out.getvalue().decode()
