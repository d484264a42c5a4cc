"""Every form of CERES that picks a commune: a site, a head office or a residence must be a commune that exists
today (déléguées, associées and arrondissements accepted); a birth commune must have existed under that name on
the birth date. (The exam forms pick no commune: a session takes place at a centre's site.)"""

import datetime as dt
import importlib
import inspect
from pathlib import Path

import pytest
from django import forms

from ceres.candidats.forms import CandidatForm
from ceres.centres.forms import CentreForm, SiteForm
from ceres.jurys.forms import MembreJuryForm
from ceres.referentiels.forms import CommuneField, PaysField
from ceres.referentiels.models import Commune
from tests.referentiels.factories import CommuneFactory

GONE = (
    "« Arlod » (01018) n'est plus une commune : fusionnée le 01/01/1971 dans Bellegarde-sur-Valserine (01033),"
    " aujourd'hui Valserhône (01033). Choisissez une commune actuelle (communes déléguées, associées et"
    " arrondissements municipaux acceptés)."
)


@pytest.fixture
def communes():
    return {
        "arlod": CommuneFactory(arlod=True),
        "valserhone": CommuneFactory(code_insee="01033", name="Valserhône", start_date=dt.date(2019, 1, 1)),
        "deleguee": CommuneFactory(
            code_insee="01033",
            kind=Commune.Kind.DELEGUEE,
            name="Bellegarde-sur-Valserine",
            start_date=dt.date(2019, 1, 1),
            parent_code="01033",
            successor_code="01033",
            successor_name="Valserhône",
        ),
        "arrondissement": CommuneFactory(
            code_insee="69381", kind=Commune.Kind.ARRONDISSEMENT, name="Lyon 1er Arrondissement", parent_code="69123"
        ),
    }


def commune_errors(form_class, data, field="commune"):
    form = form_class(data=data)
    form.is_valid()
    return form.errors.get(field, [])


class TestCurrentCommuneOnly:
    @pytest.mark.parametrize(
        ("form_class", "field"),
        [
            (SiteForm, "commune"),
            (CentreForm, "commune"),
            (MembreJuryForm, "commune"),
            (CandidatForm, "commune"),
        ],
        ids=["site", "siège du centre", "résidence du juré", "résidence du candidat"],
    )
    def test_vanished_commune_refused_current_ones_accepted(self, communes, form_class, field):
        assert commune_errors(form_class, {field: str(communes["arlod"].pk)}, field) == [GONE]
        for name in ("valserhone", "deleguee", "arrondissement"):
            assert commune_errors(form_class, {field: str(communes[name].pk)}, field) == [], name

    def test_a_complete_site_in_a_commune_deleguee(self, communes):
        data = {"name": "Plateau de Bellegarde", "address": "1 rue de la Gare", "postal_code": "01200"}
        form = SiteForm(data={**data, "commune": str(communes["deleguee"].pk)})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["commune"] == communes["deleguee"]

    def test_proposals_are_todays_names(self, communes):
        widget = SiteForm().fields["commune"].widget
        assert widget.get_context("commune", None, {})["widget"]["fixed_date"] == dt.date.today().isoformat()


class TestBirthCommuneAtTheBirthDate:
    @pytest.mark.parametrize("form_class", [MembreJuryForm, CandidatForm], ids=["juré", "candidat"])
    def test_vanished_commune_accepted_when_it_existed(self, communes, form_class):
        arlod = str(communes["arlod"].pk)
        assert commune_errors(form_class, {"birth_date": "1965-06-01", "birth_commune": arlod}, "birth_commune") == []
        assert commune_errors(form_class, {"birth_date": "1990-06-01", "birth_commune": arlod}, "birth_commune") == [
            "La commune « Arlod » n'existait plus sous ce nom le 01/06/1990 (jusqu'au 31/12/1970)."
        ]

    @pytest.mark.parametrize("form_class", [MembreJuryForm, CandidatForm], ids=["juré", "candidat"])
    def test_todays_commune_refused_before_it_existed(self, communes, form_class):
        valserhone = str(communes["valserhone"].pk)
        data = {"birth_date": "1965-06-01", "birth_commune": valserhone}
        assert commune_errors(form_class, data, "birth_commune") == [
            "La commune « Valserhône » n'existait pas encore sous ce nom le 01/06/1965 (depuis le 01/01/2019)."
        ]

    def test_candidate_birth_commune_in_full(self, communes):
        data = {
            "civility": "M",
            "birth_name": "Martin",
            "first_names": "Paul",
            "birth_date": "1965-06-01",
            "birth_commune": str(communes["arlod"].pk),
            "commune": str(communes["valserhone"].pk),
        }
        form = CandidatForm(data=data)
        form.is_valid()
        assert "birth_commune" not in form.errors and "commune" not in form.errors


def all_commune_fields():
    """(form, field name, field) for every CommuneField declared in a ceres/<app>/forms.py."""
    root = Path(__file__).resolve().parents[2] / "ceres"
    for path in sorted(root.glob("*/forms.py")):
        module = importlib.import_module(f"ceres.{path.parent.name}.forms")
        for _, form_class in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form_class, forms.BaseForm) or form_class.__module__ != module.__name__:
                continue
            for name, field in form_class.base_fields.items():
                if isinstance(field, CommuneField) and not isinstance(field, PaysField):
                    yield form_class, name, field


def test_every_commune_field_of_the_product_says_which_communes_it_accepts():
    fields = list(all_commune_fields())
    assert len(fields) >= 6
    for form_class, name, field in fields:
        # Either a commune of today (address) or one valid at a date of the same form (birth).
        assert field.current_only or field.widget.date_field, f"{form_class.__name__}.{name}"
