"""Demo référentiel data: one FICTIONAL revised title pair with CCP correspondence and a CCS (DOMAIN §9.2).

No public source gives both CCP lists of a real revision nor a real CCS, so rather than inventing facts on real
titles, the demo gets a clearly labelled fictional title (sigle DEMO, no RNCP number). Idempotent.
"""

import datetime as dt

from ceres.core.text import search_key
from ceres.referentiels.models import Ccp, Ccs, Nsf, TitreProfessionnel

INTITULE = "Agent d'accueil de démonstration (titre fictif)"
NOTE = "Titre FICTIF créé par les données de démonstration (seed_demo) pour montrer une révision avec correspondances."
VERSIONS = {
    "2020": {
        "start_date": dt.date(2020, 1, 6),
        "end_date": dt.date(2025, 1, 6),
        "ccps": ["Accueillir et orienter le public", "Traiter les appels entrants", "Gérer le courrier et les colis"],
    },
    "2025": {
        "start_date": dt.date(2025, 1, 6),
        "end_date": dt.date(2030, 1, 6),
        "ccps": [
            "Accueillir, orienter et informer le public en présentiel et à distance",
            "Gérer les flux logistiques",
        ],
    },
}
# New CCP order -> old CCP orders it replaces.
CORRESPONDANCES = {1: [1, 2], 2: [3]}
CCS = "Accueil en langue des signes (démonstration)"


def seed() -> dict:
    created = 0
    titres = {}
    nsf = Nsf.objects.filter(code="334t").first()
    for millesime, spec in VERSIONS.items():
        titre, was_created = TitreProfessionnel.objects.get_or_create(
            sigle="DEMO",
            millesime=millesime,
            defaults={
                "intitule": INTITULE,
                "intitule_key": search_key(INTITULE),
                "niveau": 3,
                "start_date": spec["start_date"],
                "end_date": spec["end_date"],
                "predecessor": titres.get("2020"),
                "fiabilite": TitreProfessionnel.Fiabilite.BASSE,
                "notes": NOTE,
                "source": "Démonstration",
            },
        )
        created += was_created
        if nsf and not titre.nsf_codes.exists():
            titre.nsf_codes.add(nsf)
        for order, intitule in enumerate(spec["ccps"], start=1):
            created += Ccp.objects.get_or_create(titre=titre, order=order, defaults={"intitule": intitule})[1]
        titres[millesime] = titre
    old, new = titres["2020"], titres["2025"]
    for new_order, old_orders in CORRESPONDANCES.items():
        new.ccps.get(order=new_order).correspond_to.add(*old.ccps.filter(order__in=old_orders))
    created += Ccs.objects.get_or_create(titre=new, intitule=CCS)[1]
    return {"titres, CCP et CCS de démonstration créés": created}
