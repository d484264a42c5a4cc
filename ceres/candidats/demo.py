"""Demo candidate files (idempotent): the R7 example (Jean-Pierre DUPONT / Dupond), a married name, a pair
already detected for the duplicates page. Inserted without the duplicate check on purpose."""

import datetime

from ceres.candidats import selectors, services
from ceres.candidats.models import Candidat, Civilite
from ceres.centres.models import Centre
from ceres.referentiels.models import Commune

D = datetime.date

# (civility, birth name, usage name, first names, birth date, birth INSEE, residence INSEE, centre name, e-mail)
CANDIDATS = [
    (Civilite.MONSIEUR, "DUPONT", "", "Jean-Pierre, Louis", D(1980, 5, 1), "69123", "69382", "GRETA Lyon Métropole",
     "jp.dupont@exemple.fr"),
    (Civilite.MONSIEUR, "Dupond", "", "Jean Pierre", D(1980, 5, 1), "69123", "69266", "AFPA Villeurbanne", ""),
    (Civilite.MADAME, "Martin", "Durand", "Sophie, Anne", D(1991, 3, 12), "01053", "01053", "Formapro Ain",
     "sophie.durand@exemple.fr"),
    (Civilite.MADAME, "Durand", "", "Sophie", D(1991, 3, 12), "01053", "01053", "Formapro Ain", ""),
    (Civilite.MADAME, "Lefèvre", "", "Hélène", D(1975, 11, 23), "01053", "01283", "CFA des Métiers de l'Ain", ""),
    (Civilite.MONSIEUR, "Nguyen", "", "Minh", D(1999, 7, 8), "69123", "69382", "GRETA Lyon Métropole", ""),
]  # fmt: skip


def seed() -> dict[str, int]:
    counters = {"candidats": 0, "doublons détectés": 0, "ignorés (référentiel absent)": 0}
    for civility, name, usage, firsts, birth, birth_code, home_code, centre_name, email in CANDIDATS:
        birth_commune = Commune.objects.valid_on(birth).filter(code_insee=birth_code).order_by("kind").first()
        commune = Commune.objects.current().filter(code_insee=home_code).order_by("kind").first()
        if birth_commune is None:
            counters["ignorés (référentiel absent)"] += 1
            continue
        if Candidat.objects.filter(birth_name=name, first_names=firsts, birth_date=birth).exists():
            continue
        services.candidat_insert(
            Candidat(
                civility=civility,
                birth_name=name,
                usage_name=usage,
                first_names=firsts,
                birth_date=birth,
                birth_commune=birth_commune,
                commune=commune,
                email=email,
                created_by_centre=Centre.objects.filter(name=centre_name).first(),
            )
        )
        counters["candidats"] += 1
    counters["doublons détectés"] = services.doublons_store(list(selectors.doublons_detect()))
    return counters
