"""Benchmark: 1,000 parchemins through the Typst renderer vs the same pages through a WeasyPrint HTML baseline.

Run: ``.venv/bin/python bench/parchemins.py [--quick|--full] [--count 1000] [--baseline-count 200]
[--chunk-size 25]`` (``make bench`` runs it; --quick: 100 pages and 25 WeasyPrint pages, --full: 1,000 and 500).
Pinned to one CPU core. Prints pages/s, peak Python memory (tracemalloc) and peak RSS for each engine, then the
speed ratio. No database needed: the data is realistic but synthetic (Faker, fr_FR).
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

_common.setup_django(database=False)  # no database: any stray query would go to an in-memory SQLite

from faker import Faker  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from ceres.documents import rules  # noqa: E402
from ceres.editique import fonts, pdf, signature  # noqa: E402
from ceres.editique import rules as editique_rules  # noqa: E402
from ceres.editique.qr import qr_svg  # noqa: E402

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


def main():
    parser = _common.parser(__doc__)
    parser.add_size("--count", quick=100, default=1000, full=1000, help="parchemins rendus par Typst")
    parser.add_size("--baseline-count", quick=25, default=200, full=500, help="pages rendues par WeasyPrint")
    # Typst keeps its memoisation cache for about ten compilations: resident memory plateaus near ten chunks
    # (measured: ~210 MB with 25 parchemins per chunk, ~460 MB with 100), at a few percent of speed.
    parser.add_argument("--chunk-size", type=int, default=25)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, as the target says
    data = items(args.count)
    font_dir = fonts.marianne_dir()
    pdf.render_pdf("parchemin.typ", data[0])  # warm-up: font conversion and first compile
    print(_common.machine())
    print(f"Parchemins A4 avec QR code signé, police {fonts.font_choice().family}, 1 cœur, lots de {args.chunk_size}")
    typst_rate = measure(
        "Typst (PDF/A-2b)",
        lambda chunk: pdf.render_documents("parchemin.typ", chunk),
        data,
        args.chunk_size,
        memory_sample=args.chunk_size * 2,
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
        args.chunk_size,
        memory_sample=min(args.chunk_size, 20),
    )
    wall, cpu = _common.ratio(typst_rate[0], base_rate[0]), _common.ratio(typst_rate[1], base_rate[1])
    print(_common.ratio_line("Typst / WeasyPrint, temps réel", wall) + f" ; ×{_common.fr(cpu, 1)} en temps CPU")
    print(_common.verdict("≥ 100 pages/s sur un cœur (temps CPU)", typst_rate[1] >= 100))
    print(_common.verdict("≥ ×5 WeasyPrint (temps CPU)", cpu >= 5) + " (la machine partagée ralentit le temps réel)")


if __name__ == "__main__":
    main()
