"""Fonts for official documents.

Marianne (the State's typeface, reserved to State services) ships inside django-dsfr as woff2 only, which Typst
cannot read: we convert it with fontTools to OTF/TTF at first use into ``settings.CERES_FONT_CACHE_DIR``.
Deployments not entitled to the State's brand set ``CERES_DOCUMENTS_FONT=libre`` and get Libertinus Serif, a free
font embedded in Typst itself (nothing to download).
"""

import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MARIANNE_STYLES = ("Regular", "Bold", "Medium", "Light", "Regular_Italic", "Bold_Italic")


@dataclass(frozen=True)
class FontChoice:
    family: str
    paths: tuple[str, ...]  # folders handed to the Typst compiler


_lock = threading.Lock()


def _dsfr_fonts_dir() -> Path:
    import dsfr

    return Path(dsfr.__file__).parent / "static" / "dsfr" / "dist" / "fonts"


def _convert(source: Path, target_dir: Path) -> Path:
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    font.flavor = None
    ext = ".otf" if font.sfntVersion == "OTTO" else ".ttf"
    target = target_dir / (source.stem + ext)
    if target.exists():
        return target
    # Write to a temp file in the same folder then rename: atomic, safe with concurrent workers.
    fd, tmp = tempfile.mkstemp(dir=target_dir, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            font.save(fh)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def marianne_dir() -> Path:
    """Folder of converted Marianne fonts, converted on first use."""
    target_dir = Path(settings.CERES_FONT_CACHE_DIR) / "marianne"
    if target_dir.is_dir() and len(list(target_dir.glob("Marianne-*.[ot]tf"))) >= len(MARIANNE_STYLES):
        return target_dir
    with _lock:
        target_dir.mkdir(parents=True, exist_ok=True)
        source_dir = _dsfr_fonts_dir()
        for style in MARIANNE_STYLES:
            source = source_dir / f"Marianne-{style}.woff2"
            if not source.exists():
                raise ImproperlyConfigured(f"Police Marianne introuvable dans django-dsfr : {source}")
            _convert(source, target_dir)
    return target_dir


def font_choice() -> FontChoice:
    name = (settings.CERES_DOCUMENTS_FONT or "marianne").lower()
    if name == "marianne":
        return FontChoice(family="Marianne", paths=(str(marianne_dir()),))
    if name in ("libre", "libertinus"):
        return FontChoice(family="Libertinus Serif", paths=())
    raise ImproperlyConfigured(f"CERES_DOCUMENTS_FONT inconnu : {name!r} (valeurs : « marianne », « libre »).")
