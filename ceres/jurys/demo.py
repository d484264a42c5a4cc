"""Demo jurors (idempotent): one habilitated until a title's end of life to show the 24-month extension,
one with an earlier fixed end (not extended), one suspended, and the file of jury@ceres.demo."""

import datetime

from ceres.comptes.models import User
from ceres.core.seeding import update_or_create_if_changed
from ceres.jurys.enums import Civilite, StatutHabilitation, StatutProfessionnel
from ceres.jurys.models import Habilitation, MembreJury
from ceres.referentiels.models import Commune, TitreProfessionnel, UniteDepartementale

D = datetime.date

# (former_id, ud département, civility, birth name, first names, birth date, birth commune, employer, e-mail)
MEMBRES = [
    (
        "DEMO-J1",
        "69",
        Civilite.MONSIEUR,
        "Juré",
        "Jules Henri",
        D(1972, 4, 18),
        "69123",
        "Office de tourisme de Lyon",
        "jury@ceres.demo",
    ),
    (
        "DEMO-J2",
        "69",
        Civilite.MADAME,
        "Fabre",
        "Lucie",
        D(1980, 9, 2),
        "69123",
        "Camping des Monts d'Or",
        "lucie.fabre@exemple.fr",
    ),
    (
        "DEMO-J3",
        "01",
        Civilite.MADAME,
        "Girard",
        "Nadia",
        D(1968, 1, 30),
        "01053",
        "Ain Tourisme",
        "nadia.girard@exemple.fr",
    ),
    (
        "DEMO-J4",
        "01",
        Civilite.MONSIEUR,
        "Morel",
        "Antoine",
        D(1975, 11, 11),
        "01053",
        "Cabinet Morel",
        "antoine.morel@exemple.fr",
    ),
    (
        "DEMO-J5",
        "69",
        Civilite.MONSIEUR,
        "Lambert",
        "Hugo",
        D(1985, 6, 21),
        "69123",
        "Boutique Lambert",
        "hugo.lambert@exemple.fr",
    ),
]
# (former_id, juror, RNCP, start, fixed end or None for "until end of life", status, reason)
HABILITATIONS = [
    ("DEMO-H1", "DEMO-J1", "RNCP37396", D(2024, 1, 15), None, StatutHabilitation.ACTIVE, ""),
    ("DEMO-H2", "DEMO-J2", "RNCP37396", D(2024, 3, 1), D(2027, 1, 1), StatutHabilitation.ACTIVE, ""),
    ("DEMO-H3", "DEMO-J3", "RNCP37396", D(2023, 10, 1), None, StatutHabilitation.ACTIVE, ""),
    ("DEMO-H4", "DEMO-J4", "RNCP38667", D(2024, 9, 1), None, StatutHabilitation.ACTIVE, ""),
    (
        "DEMO-H5",
        "DEMO-J5",
        "RNCP37098",
        D(2023, 5, 1),
        None,
        StatutHabilitation.SUSPENDUE,
        "Suspendue à la demande du juré (indisponible jusqu'à nouvel ordre).",
    ),
    ("DEMO-H6", "DEMO-J1", "RNCP37098", D(2024, 2, 1), None, StatutHabilitation.ACTIVE, ""),
    # Enough active habilitations on the demo centres' titles (Conseiller de vente, Assistant de direction)
    # for a centre to compose a jury of two in the demo.
    ("DEMO-H7", "DEMO-J3", "RNCP37098", D(2023, 6, 1), None, StatutHabilitation.ACTIVE, ""),
    ("DEMO-H8", "DEMO-J4", "RNCP37098", D(2024, 1, 10), None, StatutHabilitation.ACTIVE, ""),
    ("DEMO-H9", "DEMO-J3", "RNCP38667", D(2024, 9, 1), None, StatutHabilitation.ACTIVE, ""),
    ("DEMO-H10", "DEMO-J2", "RNCP38667", D(2024, 10, 1), None, StatutHabilitation.ACTIVE, ""),
]


def _commune(code, day):
    rows = sorted(Commune.objects.filter(code_insee=code).valid_on(day), key=lambda c: c.kind != Commune.Kind.COMMUNE)
    return rows[0] if rows else None


def seed() -> dict[str, int]:
    membres = created_m = created_h = 0
    by_id = {}
    for former_id, dep, civility, name, first_names, birth_date, commune, employer, email in MEMBRES:
        ud = UniteDepartementale.objects.filter(departement__code=dep).first()
        if ud is None:
            continue
        user = User.objects.filter(email=email).first() if email.endswith("@ceres.demo") else None
        membre, created = update_or_create_if_changed(
            MembreJury,
            former_id=former_id,
            defaults={
                "user": user,
                "civility": civility,
                "birth_name": name,
                "first_names": first_names,
                "birth_date": birth_date,
                "birth_commune": _commune(commune, birth_date),
                "commune": _commune(commune, datetime.date.today()),
                "email": email,
                "phone": "0472000000",
                "profession": "Professionnel du métier",
                "employer_name": employer,
                "status": StatutProfessionnel.SALARIE,
                "years_experience": 12,
                "ud": ud,
            },
        )
        by_id[former_id] = membre
        membres += 1
        created_m += created
    for former_id, membre_id, rncp, start, end, status, reason in HABILITATIONS:
        titre = TitreProfessionnel.objects.filter(code_rncp=rncp).first()
        membre = by_id.get(membre_id)
        if titre is None or membre is None:
            continue
        _, created = update_or_create_if_changed(
            Habilitation,
            former_id=former_id,
            defaults={
                "membre": membre,
                "titre": titre,
                "start_date": start,
                "end_date": end if end else titre.end_date,
                "until_end_of_life": end is None,
                "ud": membre.ud,
                "decision_date": start,
                "status": status,
                "status_reason": reason,
            },
        )
        created_h += created
    return {"membres de jury": membres, "membres créés": created_m, "habilitations créées": created_h}
