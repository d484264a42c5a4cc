"""Benchmark: a session's lot of parchemins printed by the product's path, beside Typst alone and WeasyPrint.

Three figures in one run, one CPU core:
1. **the product's path**: ``documents.tasks.print_session_lot`` (what the worker runs) on a validated session of
   ``--lot`` certifications in the benchmark's own database: numbers already allocated at validation, one Typst
   compile per chunk of ``services.LOT_CHUNK``, each parchemin's own file cut from it and stored with its SHA-256,
   one edition row and journal entry per document in its own transaction, the lot's single PDF;
2. **Typst alone**: ``editique.pdf.render_documents`` on ``--count`` synthetic parchemins (Faker, fr_FR), in chunks
   of the same size, no database;
3. **WeasyPrint**: the same synthetic pages as HTML (the reference).

Run: ``.venv/bin/python bench/parchemins.py [--quick|--full] [--lot 500] [--count 500] [--baseline-count 200]``
(``make bench`` runs it; --quick: 100, 100 and 25 pages; --full: 500, 1,000 and 500). Prints pages/s in wall-clock
and CPU time (the process's: with PostgreSQL the server's own work is not counted), peak memory, and the ratios.
Target (issue 13): the product's path ≥ 200 pages/s on one core for a 500-page lot and ≥ 5× WeasyPrint.
"""

import datetime
import html
import io
import os
import random
import time
import tracemalloc
from pathlib import Path

import _common

# Django is set up by _common.own_database() in main(): the modules below are imported there.
rules = fonts = pdf = signature = editique_rules = qr_svg = Faker = PdfReader = None


def _imports():
    global rules, fonts, pdf, signature, editique_rules, qr_svg, Faker, PdfReader
    from faker import Faker
    from pypdf import PdfReader

    from ceres.documents import rules
    from ceres.editique import fonts, pdf, signature
    from ceres.editique import rules as editique_rules
    from ceres.editique.qr import qr_svg


TITRES = [
    ("Agent de propreté et d'hygiène", "3", "RNCP34917", ["343t"]),
    ("Cuisinier", "3", "RNCP34875", ["221t"]),
    ("Développeur web et web mobile", "5", "RNCP37674", ["326t"]),
    ("Secrétaire assistant médico-social", "4", "RNCP36805", ["324t", "330t"]),
    ("Conducteur du transport routier de marchandises sur porteur", "3", "RNCP35291", ["311u"]),
    ("Assistant de vie aux familles", "3", "RNCP34690", ["330t"]),
]


def items(count: int) -> list[dict]:
    fake = Faker("fr_FR")
    Faker.seed(2026)
    rnd = random.Random(2026)
    out = []
    for seq in range(1, count + 1):
        libelle, niveau, rncp, nsf = rnd.choice(TITRES)
        civ = rnd.choice(["Mme", "M."])
        prenom = fake.first_name_female() if civ == "Mme" else fake.first_name_male()
        nom = fake.last_name()
        naissance = fake.date_of_birth(minimum_age=18, maximum_age=62)
        deliberation = datetime.date(2026, rnd.randint(1, 10), rnd.randint(1, 28))
        number = editique_rules.format_number(2026, rnd.choice(["01", "38", "69", "2A", "974"]), seq)
        facts = {
            "titre": rncp,
            "initiales": rules.initials(prenom, nom),
            "annee_naissance": naissance.year,
            "date": deliberation.isoformat(),
        }
        out.append(
            {
                "numero": number,
                "qr": signature.verification_url(number, signature.sign(number, facts)),
                "titre": {"libelle": libelle, "niveau": niveau, "rncp": rncp, "nsf": nsf},
                "titulaire": {
                    "civilite": civ,
                    "prenoms": prenom,
                    "nom_naissance": nom,
                    "date_naissance": naissance,
                    "lieu_naissance": f"{fake.city()} ({fake.department_name()})",
                },
                "deliberation_date": deliberation,
                "fait_a": fake.city(),
                "fait_le": deliberation + datetime.timedelta(days=1),
                "signataire": {
                    "qualite": "Pour le ministre et par délégation, le responsable de l'unité départementale"
                },
            }
        )
    return out


HTML_PAGE = """<section class="page">
<div class="coin"><div class="num"><small>N° unique d'identification</small><br><b>{numero}</b></div>
<div class="qr" role="img" aria-label="QR code de vérification">{qr}</div></div>
<div class="etat"><b>RÉPUBLIQUE<br>FRANÇAISE</b><br><i>Liberté<br>Égalité<br>Fraternité</i></div>
<p class="min"><b>Ministère du Travail,<br>de la Santé, des Solidarités et des Familles</b></p>
<div class="center"><p class="nat">TITRE PROFESSIONNEL</p><h1>{libelle}</h1>
<p>Niveau {niveau} — Code(s) NSF : {nsf} — {rncp}</p></div>
<p class="body">Vu le code de l'éducation, notamment ses articles L. 335-5 et L. 335-6 ; vu le code du travail,
notamment ses articles R. 338-1 et suivants ; vu l'arrêté portant création du titre professionnel ; le titre
professionnel <b>{libelle}</b> est délivré à</p>
<div class="center"><h2>{civ} {prenoms} {nom}</h2><p>né(e) le {naissance} à {lieu}</p></div>
<p class="body">a satisfait aux épreuves, au vu des résultats constatés par le jury réuni le {delib}.</p>
<div class="sig">Fait à {fait_a}, le {fait_le}<br><small>{qualite}</small></div>
</section>"""

CSS = """@font-face {{ font-family: Marianne; src: url("{regular}"); }}
@font-face {{ font-family: Marianne; font-weight: bold; src: url("{bold}"); }}
@page {{ size: A4; margin: 1.8cm 2cm 2cm 2cm; }}
body {{ font-family: Marianne; font-size: 10.5pt; }}
.page {{ page-break-after: always; position: relative; height: 25.5cm; }}
.coin {{ position: absolute; top: -0.6cm; right: 0; display: flex; gap: 0.3cm; text-align: right; }}
.qr svg {{ width: 2.6cm; height: 2.6cm; }}
.center {{ text-align: center; }} h1 {{ font-size: 22pt; }} .nat {{ letter-spacing: 0.1em; margin-top: 2.2cm; }}
.body {{ text-align: justify; margin: 0 1cm; }} .sig {{ position: absolute; bottom: 2cm; left: 50%; }}"""


def html_document(chunk: list[dict]) -> str:
    pages = []
    for it in chunk:
        plain = pdf.to_plain(it)
        t, h = plain["titre"], plain["titulaire"]
        pages.append(
            HTML_PAGE.format(
                numero=plain["numero"],
                qr=qr_svg(it["qr"]),
                libelle=html.escape(t["libelle"]),
                niveau=t["niveau"],
                nsf=", ".join(t["nsf"]),
                rncp=t["rncp"],
                civ=h["civilite"],
                prenoms=html.escape(h["prenoms"]),
                nom=html.escape(h["nom_naissance"].upper()),
                naissance=h["date_naissance"],
                lieu=html.escape(h["lieu_naissance"]),
                delib=plain["deliberation_date"],
                fait_a=html.escape(plain["fait_a"]),
                fait_le=plain["fait_le"],
                qualite=html.escape(plain["signataire"]["qualite"]),
            )
        )
    return "<html lang='fr'><body>" + "".join(pages) + "</body></html>"


def _reset_peak_rss():
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (Linux)
    except OSError:
        pass


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _run(render, data: list[dict], chunk_size: int) -> bytes:
    last = b""
    for i in range(0, len(data), chunk_size):
        last = render(data[i : i + chunk_size])
    return last


def measure(label: str, render, data: list[dict], chunk_size: int, memory_sample: int) -> tuple[float, float]:
    # Speed pass without tracemalloc (it slows every Python allocation several times), then a memory pass.
    _reset_peak_rss()
    start, cpu_start = time.perf_counter(), time.process_time()
    last = _run(render, data, chunk_size)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rss = _peak_rss_mb()
    # Pages are counted outside the timing: the last chunk must hold what was asked for.
    expected_last = len(data) - ((len(data) - 1) // chunk_size) * chunk_size
    assert len(PdfReader(io.BytesIO(last)).pages) == expected_last, "le dernier lot n'a pas le bon nombre de pages"
    tracemalloc.start()
    _run(render, data[:memory_sample], chunk_size)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pages = len(data)
    rate, cpu_rate = pages / elapsed, pages / cpu
    print(
        f"{label:<28} {pages:>5} pages en {elapsed:6.2f} s : {rate:7.1f} pages/s (temps CPU {cpu:6.2f} s :"
        f" {cpu_rate:7.1f} pages/s) ; pic RSS {rss:6.1f} Mo ; pic mémoire Python {peak / 2**20:5.1f} Mo"
        f" (tracemalloc, {min(memory_sample, pages)} pages)"
    )
    return rate, cpu_rate


def session_lot(count: int):
    """A validated session of ``count`` titles numbered at validation, and a lot of all of them (not printed yet)."""
    from ceres.documents.models import ImpressionLot
    from ceres.editique.numbering import numbers_allocate
    from ceres.examens.enums import TypeCertification
    from tests.documents.factories import ud_agent, validated_session
    from tests.examens.factories import CertificationFactory, InscriptionFactory

    session = validated_session()
    certs = [
        CertificationFactory(inscription=InscriptionFactory(session=session), kind=TypeCertification.TITRE)
        for _ in range(count)
    ]
    numbers = numbers_allocate(year=certs[0].awarded_on.year, departement_code=session.departement.code, count=count)
    for cert, number in zip(certs, numbers, strict=True):
        cert.number = number
        cert.save(update_fields=["number"])
    return ImpressionLot.objects.create(session=session, requested_by=ud_agent(session), total=count)


def measure_product(count: int) -> tuple[float, float]:
    from ceres.documents import services, tasks
    from ceres.documents.models import StatutLot

    tasks.print_session_lot.call(session_lot(2).pk)  # warm-up on another session: first compile, font files
    lot = session_lot(count)
    _reset_peak_rss()
    start, cpu_start = time.perf_counter(), time.process_time()
    tasks.print_session_lot.call(lot.pk)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rss = _peak_rss_mb()
    lot.refresh_from_db()
    assert lot.status == StatutLot.TERMINE and lot.done == count, lot.error
    with lot.file.open("rb") as handle:
        assert len(PdfReader(handle).pages) == count, "le PDF du lot n'a pas toutes les pages"
    rate, cpu_rate = count / elapsed, count / cpu
    print(
        f"{'Produit (print_session_lot)':<28} {count:>5} pages en {elapsed:6.2f} s : {rate:7.1f} pages/s (temps CPU"
        f" {cpu:6.2f} s : {cpu_rate:7.1f} pages/s) ; pic RSS {rss:6.1f} Mo ; lots de {services.LOT_CHUNK},"
        " un fichier par parchemin + le PDF du lot"
    )
    return rate, cpu_rate


def main():
    parser = _common.parser(__doc__)
    parser.add_size("--lot", quick=100, default=500, full=500, help="parchemins du lot imprimé par le produit")
    parser.add_size("--count", quick=100, default=500, full=1000, help="parchemins rendus par Typst seul")
    parser.add_size("--baseline-count", quick=25, default=200, full=500, help="pages rendues par WeasyPrint")
    args = parser.parse_args()
    with _common.own_database("parchemins", keep=args.keep):
        _imports()
        from ceres.documents import services

        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, as the target says
        chunk_size = services.LOT_CHUNK
        print(_common.machine())
        print(f"Parchemins A4 avec QR code signé, police {fonts.font_choice().family}, 1 cœur, lots de {chunk_size}")
        product_rate = measure_product(args.lot)
        data = items(args.count)
        font_dir = fonts.marianne_dir()
        pdf.render_pdf("parchemin.typ", data[0])  # warm-up
        typst_rate = measure(
            "Typst seul (render_documents)",
            lambda chunk: pdf.render_documents("parchemin.typ", chunk),
            data,
            chunk_size,
            memory_sample=chunk_size,
        )

        from weasyprint import CSS as WCSS
        from weasyprint import HTML

        regular = next(font_dir.glob("Marianne-Regular.*")).as_uri()
        bold = next(font_dir.glob("Marianne-Bold.*")).as_uri()
        stylesheet = WCSS(string=CSS.format(regular=regular, bold=bold))
        HTML(string=html_document(data[:1])).write_pdf(stylesheets=[stylesheet])  # warm-up
        base_rate = measure(
            "WeasyPrint (HTML, référence)",
            lambda chunk: HTML(string=html_document(chunk)).write_pdf(stylesheets=[stylesheet]),
            data[: args.baseline_count],
            25,
            memory_sample=20,
        )
    # Rates: ratio(baseline, ours) divides its first argument by the second.
    wall, cpu = _common.ratio(product_rate[0], base_rate[0]), _common.ratio(product_rate[1], base_rate[1])
    print(f"Produit / WeasyPrint : ×{_common.fr(wall, 1)} en temps réel ; ×{_common.fr(cpu, 1)} en temps CPU")
    typst_cpu = _common.ratio(typst_rate[1], base_rate[1])
    print(
        f"Typst seul / WeasyPrint : ×{_common.fr(typst_cpu, 1)} en temps CPU ; produit / Typst seul :"
        f" {_common.fr(100 * product_rate[1] / typst_rate[1])} % en temps CPU (numéros, signatures, fichiers, base)"
    )
    size = " (lot plus petit que la cible : --lot 500)" if args.lot < 500 else ""
    print(_common.verdict("≥ 200 pages/s sur un cœur, chemin du produit (temps CPU)", product_rate[1] >= 200) + size)
    print(_common.verdict("≥ ×5 WeasyPrint, chemin du produit (temps CPU)", cpu >= 5))


if __name__ == "__main__":
    main()
