"""Per-document PDFs cut from one compile, and pages of several PDFs gathered into one (editique.pdfparts)."""

import io
import re

import pytest
from pypdf import PdfReader

from ceres.editique import pdf, pdfparts
from tests.editique.test_pdf import CONVOCATION, text_of

pytestmark = pytest.mark.no_django_db


def convocation(name: str, epreuves: int = 1) -> dict:
    item = dict(CONVOCATION, destinataire=dict(CONVOCATION["destinataire"], nom=name))
    return dict(item, epreuves=CONVOCATION["epreuves"] * epreuves)


def test_each_document_cut_from_one_compile():
    items = [convocation("Martin"), convocation("Bernard", epreuves=45), convocation("Petit")]
    whole, pages, parts = pdf.render_parts("convocation_candidat.typ", items)
    assert pages == [[0], [1, 2], [3]]  # a document longer than a page keeps all its pages
    for part, name, count in zip(parts, ("MARTIN", "BERNARD", "PETIT"), (1, 2, 1), strict=True):
        reader = PdfReader(io.BytesIO(part), strict=True)
        assert len(reader.pages) == count
        text = text_of(part)
        assert name in text and {"MARTIN", "BERNARD", "PETIT"} - {name} & set(text.split()) == set()
        # PDF/A-2b identification kept: XMP metadata and output intent of the compile.
        root = reader.trailer["/Root"]
        assert b"pdfaid:part" in root["/Metadata"].get_object().get_data() and "/OutputIntents" in root
        assert "/StructTreeRoot" not in root  # bulk compiles are untagged: nothing cut in half


def test_documents_split_at_once_hold_what_each_assembled_alone_holds():
    """pdfparts.split (what render_parts uses) numbers the objects every document shares once for all: each file
    holds the same objects and pages as assemble() makes for that document alone."""
    items = [convocation("Martin"), convocation("Bernard", epreuves=45), convocation("Petit"), convocation("Durand")]
    whole, pages, parts = pdf.render_parts("convocation_candidat.typ", items)

    def objects(content: bytes) -> list[bytes]:  # bodies with references blanked: numbering differs
        return sorted(re.sub(rb"\d+ 0 R", b"R", body) for body in pdfparts.parse(content).objects.values())

    for part, item_pages in zip(parts, pages, strict=True):
        alone = pdfparts.assemble([(whole, item_pages)])
        assert objects(part) == objects(alone)
        texts = [page.extract_text() for page in PdfReader(io.BytesIO(part), strict=True).pages]
        assert texts == [page.extract_text() for page in PdfReader(io.BytesIO(alone), strict=True).pages]


def test_pages_of_several_pdfs_gathered_in_order():
    _, _, first = pdf.render_parts("convocation_candidat.typ", [convocation("Martin"), convocation("Bernard")])
    second = pdf.render_pdf("convocation_candidat.typ", convocation("Petit"))  # a tagged one: its tags are dropped
    sources = [pdfparts.parse(part) for part in first] + [pdfparts.parse(second)]
    gathered = pdfparts.assemble([(sources[2], [0]), (sources[0], [0]), (sources[1], [0])])
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(gathered), strict=True).pages]
    assert len(texts) == 3 and "PETIT" in texts[0] and "MARTIN" in texts[1] and "BERNARD" in texts[2]


def test_other_pdf_layouts_refused_rather_than_cut_wrongly():
    with pytest.raises(pdfparts.UnsupportedPdf):
        pdfparts.parse(b"%PDF-1.7\n1 0 obj\n<</Type/ObjStm/N 3>>\nendobj\n")
