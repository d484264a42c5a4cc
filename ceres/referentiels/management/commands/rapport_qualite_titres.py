from ceres.core.command import BaseCommand
from ceres.referentiels.selectors import rapport_qualite


class Command(BaseCommand):
    help = (
        "Liste les versions de titres qui ne peuvent pas être imprimées sur un parchemin "
        "(sans intitulé, niveau ou code NSF)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--resume", action="store_true", help="N'affiche que les chiffres.")

    def handle(self, *args, resume=False, **options):
        rapport = rapport_qualite()
        if not resume:
            for titre, problems in rapport.lignes:
                label = titre.display_name
                code = titre.code_rncp or titre.code_titre or titre.sigle or "?"
                source = titre.source or "saisie manuelle"
                self.stdout.write(f"{code} — {label} : {' '.join(problems)} [provenance : {source}]")
        self.stdout.write(
            f"{rapport.total} versions de titres, {rapport.imprimables} imprimables, "
            f"{rapport.non_imprimables} non imprimables : {rapport.sans_intitule} sans intitulé, "
            f"{rapport.sans_niveau} sans niveau, {rapport.sans_nsf} sans code NSF."
        )
