"""National parameters with their regulatory defaults (DOMAIN.md §10: every deadline is a parameter)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Defaut:
    label: str
    value: int
    unit: str = "mois"


DEFAUTS = {
    # Release note CERES 1.2: CFA/CRP may run sessions up to 24 months after a title's end of life.
    "PROLONGATION_CFA_CRP_MOIS": Defaut("Sessions CFA/CRP possibles après la fin de vie du titre", 24),
    # Release note CERES 1.2: a habilitation ending at the title's end of life is extended by 24 months.
    "EXTENSION_HABILITATION_MOIS": Defaut("Prolongation des habilitations jusqu'à la fin de vie du titre", 24),
    # Arrêté du 22 décembre 2015, art. 3: délai de prolongation of one year after end of validity.
    "DELAI_PROLONGATION_MOIS": Defaut("Délai de prolongation après la fin de vie du titre", 12),
    # Règlement général des sessions (arrêté du 21 juillet 2016): re-sit within one year.
    "DELAI_REPASSAGE_MOIS": Defaut("Délai pour repasser une session (voie formation)", 12),
    # Arrêté du 22 décembre 2015: VAE admissibility valid one year.
    "VALIDITE_RECEVABILITE_VAE_MOIS": Defaut("Validité de la recevabilité VAE", 12),
    "ALERTE_FIN_AGREMENT_MOIS": Defaut("Alerte avant la fin d'un agrément", 3),
    # Release note R4 sets the convocation on the first day; an explicit one may precede it by a few days at most
    # (docs/decisions/0008: value chosen for CERES, no text fixes it).
    "CONVOCATION_AVANCE_MAX_JOURS": Defaut("Convocation au plus tôt avant le premier jour de la session", 3, "jours"),
    # Règlement général des sessions: results are entered "in the days following" the session (DOMAIN §5.3); late
    # sessions are flagged on the lists beyond this delay (docs/decisions/0008).
    "DELAI_SAISIE_RESULTATS_JOURS": Defaut("Transmission des résultats après la session", 15, "jours"),
}


def get(code: str) -> int:
    from ceres.referentiels.models import Parametre

    row = Parametre.objects.filter(code=code).only("value").first()
    return row.value if row else DEFAUTS[code].value


@dataclass(frozen=True)
class Ligne:
    code: str
    label: str
    value: int
    default: int
    unit: str

    @property
    def modified(self) -> bool:
        return self.value != self.default


def lignes() -> list[Ligne]:
    """Every parameter read by CERES with its current value (default until the administrator sets it)."""
    from ceres.referentiels.models import Parametre

    values = dict(Parametre.objects.filter(code__in=DEFAUTS).values_list("code", "value"))
    return [
        Ligne(code, defaut.label, values.get(code, defaut.value), defaut.value, defaut.unit)
        for code, defaut in DEFAUTS.items()
    ]
