from ceres.candidats.models import CandidatCle
from ceres.candidats.rules import numero_format
from tests.candidats.factories import CandidatFactory


def test_candidat_factory_gives_numbered_file_with_keys():
    candidat = CandidatFactory()
    assert numero_format(int(candidat.numero[:-1])) == candidat.numero  # Luhn key
    assert candidat.name_key
    assert CandidatCle.objects.filter(candidat=candidat).exists()


def test_abroad_trait():
    candidat = CandidatFactory(abroad=True)
    assert candidat.birth_country and candidat.birth_commune is None
    assert candidat.birth_place_code.startswith("99")
