"""Data of a session's printed documents (Typst templates of ceres/editique/typst/): convocations, one by one or all
of them to post, and the attendance sheets (feuilles d'émargement) of each day. Keys of the convocation data:
``ceres/editique/pdf.py``."""

from django.utils import timezone

from ceres.examens.models import Inscription, MembreConvoque, SessionExamen

JUROR = "Membre du jury"


def _address_lines(obj) -> list[str]:
    commune = getattr(obj, "commune", None)
    second = " ".join(x for x in [getattr(obj, "postal_code", ""), commune.name if commune else ""] if x)
    return [line for line in [getattr(obj, "address", ""), second] if line]


def convocation_data(session: SessionExamen, *, person, role: str = "", candidates: int | None = None) -> dict:
    """Data for documents' convocation_candidat.typ / convocation_jure.typ (keys documented in editique/pdf.py)."""
    titre = session.titre
    site = session.site
    data = {
        "reference": f"SES-{session.start_date:%Y}-{session.pk:05d}",
        "titre": {
            "libelle": titre.intitule or str(titre),
            "code": titre.code_titre,
            "niveau": str(titre.niveau or ""),
            "rncp": titre.code_rncp or "",
        },
        "session": {"start_date": session.start_date, "end_date": session.end_date},
        "lieu": {
            "nom": site.name,
            "adresse": [site.address],
            "code_postal": site.postal_code,
            "commune": site.commune.name if site.commune_id else "",
        },
        "convocation": {"date": session.convocation_date, "heure": session.convocation_time},
        "epreuves": [
            {
                "libelle": f"Début des épreuves ({session.get_type_display()})",
                "date": session.start_date,
                "heure": session.start_time,
            }
        ],
        # The DP is the candidate's file; a juror only proves their identity.
        "documents_a_apporter": ["Pièce d'identité en cours de validité"]
        + ([] if role else ["Dossier professionnel (DP)"]),
        "destinataire": {
            "civilite": person.get_civility_display() if hasattr(person, "get_civility_display") else "",
            # Candidates and jurors alike: the letter is addressed with the first first name only.
            "prenom": person.first_first_name,
            "nom": (person.usage_name or person.birth_name).upper(),
            "adresse": _address_lines(person),
        },
        "centre": {
            "nom": session.centre.name,
            "adresse": [session.centre.address] if session.centre.address else [],
            "telephone": session.centre.phone,
            "courriel": session.centre.email,
        },
        "emis_le": timezone.localdate(),
        "signataire": {"nom": str(session.responsable), "qualite": "Responsable de session"},
    }
    if role:
        data["role"] = role
        data["candidats_prevus"] = session.inscriptions.count() if candidates is None else candidates
    return data


def recipients(session: SessionExamen) -> tuple[list[Inscription], list[MembreConvoque]]:
    """Candidates and jurors of the session, by name, with what their letters print."""
    candidates = list(
        session.inscriptions.select_related("candidat__commune").order_by(
            "candidat__name_key", "candidat__first_names"
        )
    )
    jurors = list(session.jury.select_related("membre__commune").order_by("membre__name_key"))
    return candidates, jurors


def mailing_data(session: SessionExamen, *, without_email_only: bool) -> list[dict]:
    """The convocations to post: every recipient, or those without an e-mail address (not reached by the sending)."""
    candidates, jurors = recipients(session)
    items = [
        convocation_data(session, person=row.candidat, candidates=len(candidates))
        for row in candidates
        if not (without_email_only and row.candidat.email)
    ]
    items += [
        convocation_data(session, person=row.membre, role=JUROR, candidates=len(candidates))
        for row in jurors
        if not (without_email_only and row.membre.email)
    ]
    return items


def emargement_data(session: SessionExamen) -> list[dict]:
    """One attendance sheet per day of the session: candidates and jurors sign each day."""
    candidates, jurors = recipients(session)
    days = session.days
    common = {
        "reference": f"SES-{session.start_date:%Y}-{session.pk:05d}",
        "titre": {
            "libelle": session.titre.intitule,
            "niveau": str(session.titre.niveau or ""),
            "rncp": session.titre.code_rncp,
        },
        "centre": {"nom": session.centre.name},
        "lieu": {"nom": session.site.name, "commune": session.site.commune.name if session.site.commune_id else ""},
        "candidats": [{"nom": row.candidat.display_name, "numero": row.candidat.numero} for row in candidates],
        "jury": [{"nom": str(row.membre), "qualite": JUROR} for row in jurors],
        "responsable": str(session.responsable),
    }
    return [{**common, "jour": day, "jour_n": n, "jours": len(days)} for n, day in enumerate(days, start=1)]
