"""Offline verification of a parchemin's QR code: public keys from settings, no database access."""

from django.core.management.base import CommandError

from ceres.core.command import BaseCommand
from ceres.core.fichiers import parse_date
from ceres.editique import signature
from ceres.editique.rules import check_number


def _iso_date(text: str) -> str:
    try:
        day = parse_date(text, ("%Y-%m-%d", "%d/%m/%Y"))
    except ValueError:
        day = None
    if day is None:
        raise CommandError(f"Date illisible : « {text} » (attendu AAAA-MM-JJ ou JJ/MM/AAAA).")
    return day.isoformat()


class Command(BaseCommand):
    help = "Vérifie hors ligne le contenu du QR code d'un parchemin et les faits imprimés (sans base de données)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("payload", help="Contenu du QR code (adresse de vérification).")
        parser.add_argument("--titre", required=True, help="Code du titre imprimé (RNCP).")
        parser.add_argument("--initiales", required=True, help="Initiales du titulaire, ex. « L. M. ».")
        parser.add_argument("--annee-naissance", required=True, help="Année de naissance du titulaire.")
        parser.add_argument("--date", required=True, help="Date de délibération du jury imprimée.")

    def handle(self, *args, payload, titre, initiales, annee_naissance, date, **options):
        try:
            number, token, edition = signature.parse_payload(payload)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not check_number(number):
            raise CommandError(f"Numéro {number} invalide : le caractère de contrôle ne correspond pas.")
        facts = {"titre": titre, "initiales": initiales, "annee_naissance": annee_naissance, "date": _iso_date(date)}
        # The edition named by the QR code is signed too: a copy's code cannot be passed off as another copy's.
        facts[signature.EDITION_KEY] = edition
        if not signature.verify(number, token, facts):
            raise CommandError(
                f"Signature NON valide pour le numéro {number} : le QR code ou les faits imprimés ont été altérés,"
                " ou la clé n'est pas connue de cette installation."
            )
        key_id = token.partition(".")[0]
        copy = _edition_label(edition)
        self.stdout.write(self.style.SUCCESS(f"Parchemin {number} authentique{copy} (clé « {key_id} »)."))
        self.stdout.write(
            "Vérifiez en ligne qu'il n'a été ni annulé ni remplacé par un duplicata depuis son impression."
        )


def _edition_label(edition: str) -> str:
    if not edition:
        return ""
    return " — original" if edition == "O" else f" — duplicata n° {edition.removeprefix('D')}"
