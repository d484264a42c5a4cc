"""One PDF renderer for every official document: Typst templates fed with JSON data, PDF/A-2b output.

Templates are real ``.typ`` files in ``ceres/editique/typst/``. Each call copies them into a temporary folder
with a ``data.json`` file ``{"font": <family>, "items": [<item>, ...]}``; the template loops over ``items`` and
prints one document per item (a page or more). ``render_pdf(name, data)`` renders ONE item; ``render_documents``
renders a bounded list of items as ONE PDF (one compile); ``render_parts`` renders a bounded list in ONE compile and
also cuts each item's own PDF from it (``pdfparts``): bulk printing (a chunk of a lot) stores one file per document
from the same pass. The caller bounds the list: memory grows with the pages of one compile.

Values are made JSON-ready before rendering: ``date`` → « 2 mars 2026 », ``datetime`` → « 2 mars 2026 à 08h30 »,
``time`` → « 08h30 », ``Decimal``/``UUID`` → str. Any key named ``qr`` holding a string is replaced by
``{"payload": <string>, "svg": <SVG of the QR code>}`` (the template prints it with an alternative text).

Any Typst warning (notably a missing font) is an error: a document never degrades silently.

Data keys of the convocation templates (agreed with the sessions app)
--------------------------------------------------------------------
``convocation_candidat.typ``, ``convocation_jure.typ`` and ``convocations_courrier.typ`` (a session's convocations to
post, candidates' and jurors' mixed; the address sits in the window of a DL envelope) take one dict per convocation::

    {
      "reference": "SES-2026-0042",                  # session reference (optional)
      "titre": {"libelle": "Agent de propreté et d'hygiène", "code": "TP-00321", "niveau": "3", "rncp": "RNCP1234"},
      "session": {"start_date": date, "end_date": date},
      "lieu": {"nom": "Centre AFPA", "adresse": ["12 rue …"], "code_postal": "69007", "commune": "Lyon"},
      "convocation": {"date": date, "heure": time},  # when the recipient must be present
      "epreuves": [{"libelle": "Mise en situation professionnelle", "date": date, "heure": time, "duree": "3 h"}],
      "documents_a_apporter": ["Pièce d'identité en cours de validité", …],
      "destinataire": {"civilite": "Mme", "prenom": "Léa", "nom": "Martin", "adresse": ["3 rue …", "69001 Lyon"]},
      "centre": {"nom": "…", "adresse": ["…"], "telephone": "…", "courriel": "…"},
      "emis_le": date,                                # date printed under the letter
      "signataire": {"nom": "…", "qualite": "Responsable du centre"},
      # a juror's convocation only (its presence makes the letter a juror's):
      "role": "Président du jury" | "Membre du jury",
      "candidats_prevus": 8,                          # optional
    }

Every key is optional except ``titre.libelle`` and ``destinataire``; missing lists print nothing.
"""

import datetime
import decimal
import json
import shutil
import tempfile
import uuid
from pathlib import Path

import typst

from ceres.editique import pdfparts
from ceres.editique.fonts import font_choice
from ceres.editique.qr import qr_svg
from ceres.editique.rules import french_date, french_time

TEMPLATES_DIR = Path(__file__).parent / "typst"
PDF_STANDARD = "a-2b"


class RenderError(RuntimeError):
    """Typst failed or warned: the document is not produced."""


def to_plain(value):
    """JSON-ready copy of value, with French renderings of dates and QR codes as SVG."""
    if value is None or isinstance(value, str | int | float):  # most values: checked first (bulk printing)
        return value
    if isinstance(value, dict):
        out = {}
        for key, val in value.items():
            if key == "qr" and isinstance(val, str):
                out[key] = {"payload": val, "svg": qr_svg(val)}
            else:
                out[str(key)] = to_plain(val)
        return out
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return f"{french_date(value.date())} à {french_time(value.time())}"
    if isinstance(value, datetime.date):
        return french_date(value)
    if isinstance(value, datetime.time):
        return french_time(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def template_path(template_name: str) -> Path:
    path = (TEMPLATES_DIR / template_name).resolve()
    if path.parent != TEMPLATES_DIR.resolve() or not path.is_file():
        raise RenderError(f"Gabarit de document inconnu : {template_name}")
    return path


def _compile(template_name: str, items: list, *, tagged: bool = True) -> bytes:
    source = template_path(template_name)
    font = font_choice()
    payload = {"font": font.family, "items": to_plain(items)}
    with tempfile.TemporaryDirectory(prefix="ceres-typst-") as tmp:
        root = Path(tmp)
        # Real files, not bytes: a compiler built from template bytes failed on its second compile (typst 0.15.2).
        for typ in TEMPLATES_DIR.glob("*.typ"):
            shutil.copyfile(typ, root / typ.name)
        (root / "data.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        compiler = typst.Compiler(root=str(root), font_paths=list(font.paths), ignore_system_fonts=True)
        try:
            pdf, warnings = compiler.compile_with_warnings(
                input=str(root / source.name), format="pdf", pdf_standards=[PDF_STANDARD], pdf_tags=tagged
            )
        except typst.TypstError as exc:
            raise RenderError(f"Échec du rendu de {template_name} : {exc.message}") from exc
    if warnings:
        raise RenderError(
            f"Avertissement Typst pour {template_name} (traité comme une erreur) : "
            + " ; ".join(w.message for w in warnings)
        )
    return pdf


def render_pdf(template_name: str, data: dict) -> bytes:
    """PDF/A-2b bytes of one document."""
    return _compile(template_name, [data])


def render_documents(template_name: str, items: list[dict]) -> bytes:
    """ONE PDF holding every item (one compile): the caller bounds len(items) to bound memory."""
    return _compile(template_name, list(items))


def render_parts(template_name: str, items: list[dict]) -> tuple[pdfparts.ParsedPdf, list[list[int]], list[bytes]]:
    """ONE compile for every item: the parsed PDF of the whole, the pages (0-based) of each item in it, and each
    item's own PDF cut from it. Untagged PDF/A-2b: a structure tree spans every page and cannot be cut (single
    documents, ``render_pdf``, stay tagged)."""
    items = list(items)
    whole = pdfparts.parse(_compile(template_name, items, tagged=False))
    if len(whole.pages) == len(items):
        pages = [[i] for i in range(len(items))]
    else:  # some document is longer than a page (rare): count each one's pages alone, layout does not depend on others
        counts = [len(pdfparts.parse(_compile(template_name, [item], tagged=False)).pages) for item in items]
        starts = [sum(counts[:i]) for i in range(len(items))]
        pages = [list(range(start, start + count)) for start, count in zip(starts, counts, strict=True)]
        if sum(counts) != len(whole.pages):
            raise RenderError(f"Pages de {template_name} impossibles à attribuer à chaque document.")
    return whole, pages, pdfparts.split(whole, pages)
