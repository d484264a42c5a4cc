import datetime
import io

import pdfplumber
import pytest
from pypdf import PdfReader

from ceres.editique import pdf

CONVOCATION = {
    "reference": "SES-2026-0042",
    "titre": {"libelle": "Agent de propreté et d'hygiène", "niveau": "3", "rncp": "RNCP1234"},
    "session": {"start_date": datetime.date(2026, 3, 2), "end_date": datetime.date(2026, 3, 4)},
    "lieu": {"nom": "Centre de Lyon", "adresse": ["12 rue des Lilas"], "code_postal": "69007", "commune": "Lyon"},
    "convocation": {"date": datetime.date(2026, 3, 2), "heure": datetime.time(8, 30)},
    "epreuves": [
        {"libelle": "Mise en situation professionnelle", "date": datetime.date(2026, 3, 2), "heure": datetime.time(9)}
    ],
    "documents_a_apporter": ["Pièce d'identité en cours de validité"],
    "destinataire": {"civilite": "Mme", "prenom": "Léa", "nom": "Martin", "adresse": ["3 rue Neuve", "69001 Lyon"]},
    "centre": {"nom": "Centre de Lyon", "adresse": ["12 rue des Lilas", "69007 Lyon"]},
    "emis_le": datetime.date(2026, 2, 1),
    "signataire": {"nom": "Jean Dupont", "qualite": "Responsable du centre"},
    "role": "Président du jury",
}


def text_of(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        # Line breaks depend on the font: compare on single-spaced text.
        return " ".join(" ".join(page.extract_text() for page in doc.pages).split())


class TestRenderPdf:
    def test_candidate_convocation(self):
        data = pdf.render_pdf("convocation_candidat.typ", {k: v for k, v in CONVOCATION.items() if k != "role"})
        assert data.startswith(b"%PDF")
        text = text_of(data)
        assert "Convocation à la session d’examen" in text
        assert "Présentez-vous le 2 mars 2026 à 08h30" in text
        assert "du 2 mars 2026 au 4 mars 2026" in text
        assert "Mme Léa MARTIN" in text

    def test_juror_convocation(self):
        text = text_of(pdf.render_pdf("convocation_jure.typ", CONVOCATION))
        assert "en qualité de président du jury" in text

    def test_minimal_data(self):
        text = text_of(pdf.render_pdf("convocation_candidat.typ", {"titre": {"libelle": "Cuisinier"}}))
        assert "Cuisinier" in text

    def test_output_is_pdf_a_2b(self):
        data = pdf.render_pdf("convocation_candidat.typ", CONVOCATION)
        metadata = PdfReader(io.BytesIO(data)).xmp_metadata
        assert b"pdfaid" in data
        assert metadata is not None

    def test_marianne_is_embedded(self, settings):
        settings.CERES_DOCUMENTS_FONT = "marianne"
        fonts = self._fonts(pdf.render_pdf("convocation_candidat.typ", CONVOCATION))
        assert any("Marianne" in name for name in fonts)

    def test_free_font_for_deployments_without_the_state_brand(self, settings):
        settings.CERES_DOCUMENTS_FONT = "libre"
        fonts = self._fonts(pdf.render_pdf("convocation_candidat.typ", CONVOCATION))
        assert fonts and not any("Marianne" in name for name in fonts)
        assert any("Libertinus" in name for name in fonts)

    def test_fonts_converted_once_into_the_cache(self, settings, tmp_path):
        settings.CERES_FONT_CACHE_DIR = tmp_path / "fonts"
        pdf.render_pdf("convocation_candidat.typ", CONVOCATION)
        converted = sorted(p.name for p in (tmp_path / "fonts" / "marianne").iterdir())
        assert "Marianne-Regular.otf" in converted or "Marianne-Regular.ttf" in converted
        assert not any(name.endswith(".part") for name in converted)

    def test_missing_font_is_an_error_not_a_silent_fallback(self, monkeypatch):
        from ceres.editique import fonts

        monkeypatch.setattr(pdf, "font_choice", lambda: fonts.FontChoice(family="Police Inexistante", paths=()))
        with pytest.raises(pdf.RenderError, match="Avertissement Typst"):
            pdf.render_pdf("convocation_candidat.typ", CONVOCATION)

    def test_unknown_template(self):
        with pytest.raises(pdf.RenderError, match="inconnu"):
            pdf.render_pdf("../settings.typ", {})

    def test_render_documents_prints_every_item_in_one_pdf(self):
        items = [dict(CONVOCATION, destinataire={"nom": f"Candidat{i}"}) for i in range(3)]
        content = pdf.render_documents("convocation_candidat.typ", items)
        assert len(PdfReader(io.BytesIO(content)).pages) == 3
        assert "CANDIDAT0" in text_of(content) and "CANDIDAT2" in text_of(content)

    @staticmethod
    def _fonts(data: bytes) -> set[str]:
        names = set()
        for page in PdfReader(io.BytesIO(data)).pages:
            for font in page["/Resources"]["/Font"].values():
                names.add(str(font.get_object()["/BaseFont"]))
        return names
