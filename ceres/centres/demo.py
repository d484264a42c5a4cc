"""Demo centres, sites, members and agréments (idempotent; référentiels must be loaded first)."""

import datetime

from django.utils import timezone

from ceres.centres.enums import DecisionAgrement, TypeCentre
from ceres.centres.models import Agrement, Centre, MembreCentre, Site
from ceres.comptes.models import User
from ceres.core.dates import add_months
from ceres.core.seeding import update_or_create_if_changed
from ceres.core.validators import luhn_ok
from ceres.referentiels.models import Commune, Departement, TitreProfessionnel


def siret_with_key(first13: str) -> str:
    """The 14-digit SIRET whose last digit is the Luhn key of the first 13."""
    return next(first13 + str(k) for k in range(10) if luhn_ok(first13 + str(k)))


# (SIRET without key, name, type, département, site name, address, postcode, INSEE code, member of centre@ceres.demo)
CENTRES = [
    (
        "8123456780001",
        "Formapro Ain",
        TypeCentre.ORGANISME_PRIVE,
        "01",
        "Plateau Bourg",
        "12 rue des Ateliers",
        "01000",
        "01053",
        True,
    ),
    (
        "1980123450003",
        "AFPA Villeurbanne",
        TypeCentre.AFPA,
        "69",
        "Centre AFPA",
        "5 avenue Galline",
        "69100",
        "69266",
        False,
    ),
    (
        "1969123450002",
        "GRETA Lyon Métropole",
        TypeCentre.GRETA,
        "69",
        "Lycée de la Martinière",
        "31 rue de la Bourse",
        "69002",
        "69382",
        True,
    ),
    (
        "4412345670002",
        "CFA des Métiers de l'Ain",
        TypeCentre.CFA,
        "01",
        "Site d'Oyonnax",
        "3 rue de la Plasturgie",
        "01100",
        "01283",
        True,
    ),
    (
        "7755443320001",
        "CRP Les Tilleuls",
        TypeCentre.CRP,
        "01",
        "Site principal",
        "8 chemin des Tilleuls",
        "01500",
        "01004",
        False,
    ),
]

# (centre name, RNCP number, kind) — kind: valide, fin_proche, instruction, refusee
AGREMENTS = [
    ("Formapro Ain", "RNCP37098", "valide"),
    ("Formapro Ain", "RNCP38667", "fin_proche"),
    ("AFPA Villeurbanne", "RNCP37098", "valide"),
    ("GRETA Lyon Métropole", "RNCP38667", "valide"),
    ("CFA des Métiers de l'Ain", "RNCP37098", "instruction"),
    ("CRP Les Tilleuls", "RNCP38667", "refusee"),
]


def _period(kind: str, today: datetime.date, titre: TitreProfessionnel) -> tuple[datetime.date, datetime.date]:
    start = add_months(today, -12)
    end = datetime.date(today.year + 3, 12, 31)
    if kind == "fin_proche":
        end = today + datetime.timedelta(days=45)
    elif kind == "instruction":
        start, end = add_months(today, 2), datetime.date(today.year + 4, 12, 31)
    if titre.end_date and end > titre.end_date:
        end = titre.end_date
    return start, end


def seed() -> dict[str, int]:
    today = timezone.localdate()
    counters = {"centres": 0, "sites": 0, "membres": 0, "agréments": 0, "ignorés (référentiel absent)": 0}
    centres = {}
    gestionnaire = User.objects.filter(email="centre@ceres.demo").first()
    for first13, name, type_centre, dep_code, site_name, address, postal_code, insee, member in CENTRES:
        departement = Departement.objects.filter(code=dep_code).first()
        commune = Commune.objects.current().filter(code_insee=insee).order_by("kind").first()
        if departement is None or commune is None:
            counters["ignorés (référentiel absent)"] += 1
            continue
        centre, created = update_or_create_if_changed(
            Centre,
            siret=siret_with_key(first13),
            defaults={
                "name": name,
                "type": type_centre,
                "departement": departement,
                "address": address,
                "postal_code": postal_code,
                "commune": commune,
                "contact_name": "Accueil examens",
                "email": f"examens@{name.lower().split()[0]}.demo",
            },
        )
        counters["centres"] += created
        site = Site.objects.filter(centre=centre, commune=commune, address=address).first()
        if site is None:
            site = Site(centre=centre, name=site_name, address=address, postal_code=postal_code, commune=commune)
            site.full_clean()
            site.save()
            counters["sites"] += 1
        centres[name] = (centre, site)
        if member and gestionnaire is not None:
            _, created = MembreCentre.objects.get_or_create(
                user=gestionnaire, centre=centre, defaults={"is_admin": name == "Formapro Ain"}
            )
            counters["membres"] += created
    for centre_name, rncp, kind in AGREMENTS:
        titre = TitreProfessionnel.objects.filter(code_rncp=rncp).first()
        if titre is None or centre_name not in centres:
            counters["ignorés (référentiel absent)"] += 1
            continue
        centre, site = centres[centre_name]
        start, end = _period(kind, today, titre)
        if end < start:
            counters["ignorés (référentiel absent)"] += 1
            continue
        decision = {
            "valide": DecisionAgrement.ACCEPTEE,
            "fin_proche": DecisionAgrement.ACCEPTEE,
            "instruction": DecisionAgrement.EN_INSTRUCTION,
            "refusee": DecisionAgrement.REFUSEE,
        }[kind]
        _, created = update_or_create_if_changed(
            Agrement,
            centre=centre,
            site=site,
            titre=titre,
            ccs=None,
            defaults={
                "start_date": start,
                "end_date": end,
                "decision": decision,
                "decision_date": None if kind == "instruction" else add_months(today, -13),
                "decision_reason": "Plateau technique non conforme au REAC" if kind == "refusee" else "",
            },
        )
        counters["agréments"] += created
    return counters
