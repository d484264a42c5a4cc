"""Reading of the CSV files given to the four imports (VALCE, reprise des jurys, candidats, RNCP), of the XLSX
workbooks the imports run from the browser also accept (``read_columns(..., xlsx=True)``), and their summary line.

Exports of old ministry tools come in UTF-8 (with or without BOM) or Windows-1252, `;`, `,` or tab separated, with
CRLF or LF line endings: all are read alike. Anything else (a spreadsheet, a PDF, UTF-16, an empty file) is refused
upfront with one French sentence, never a traceback. In core so that every app holding an import can use it.
Dates typed in those files are read by ``parse_date``.
"""

import csv
import datetime
import io
import re

from django.core.exceptions import FieldDoesNotExist

from ceres.core.text import fold

# C0 controls other than tab / LF / CR, and the C1 controls a Windows-1252 decode lets through: never in a text file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x81\x8d\x8f\x90\x9d]")
NOT_TEXT = (
    "Le fichier n'est pas un fichier CSV (texte) lisible : enregistrez-le depuis le tableur au format "
    "« CSV (séparateur : point-virgule) », en UTF-8 ou Windows-1252."
)
_SIGNATURES = {
    b"PK\x03\x04": "Le fichier est un classeur (xlsx, ods) et non un CSV : enregistrez-le au format CSV.",
    b"\xd0\xcf\x11\xe0": "Le fichier est un classeur Excel (xls) et non un CSV : enregistrez-le au format CSV.",
    b"%PDF": "Le fichier est un PDF et non un CSV.",
    b"\xff\xfe": "Le fichier est encodé en UTF-16 : enregistrez-le en « CSV UTF-8 » ou en Windows-1252.",
    b"\xfe\xff": "Le fichier est encodé en UTF-16 : enregistrez-le en « CSV UTF-8 » ou en Windows-1252.",
}
# UTF-8 bytes of the characters of French text (é à ç É… = C3 xx; no-break space « » ° = C2 xx; œ = C5 93;
# ’ – — … = E2 80 xx). Read as Windows-1252 they are « Ã© », « Â« », « â€™ »: never seen in a real file, whereas
# a mere accented letter followed by a no-break space (« REFUSÉ : », C9 A0) is.
_UTF8_SEQUENCE = re.compile(rb"\xc3[\x80-\xbf]|\xc2[\xa0-\xbf]|\xc5[\x92\x93]|\xe2\x80[\x90-\xbf]")
# A field longer than this is a broken file (an unclosed quote swallowing the rest), not a value.
FIELD_LIMIT = 100_000


# Dates as typed in a file: French day first, then ISO. Imports accepting more spellings pass their own list.
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


class FileRefused(ValueError):
    """The whole file is refused before any line is read; the message is the French reason."""


def decode(data: bytes | str) -> str:
    """Text of the file: UTF-8 (BOM dropped), else Windows-1252; FileRefused if it is not a text file."""
    if isinstance(data, bytes):
        for signature, message in _SIGNATURES.items():
            if data.startswith(signature):
                raise FileRefused(message)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if _UTF8_SEQUENCE.search(data):
                # Decoding it all as Windows-1252 would turn every UTF-8 accent into « Ã© »: refuse instead.
                line = data[: exc.start].count(b"\n") + 1
                raise FileRefused(
                    f"Le fichier mélange deux encodages (UTF-8, et Windows-1252 à la ligne {line}) : ses accents "
                    "seraient altérés. Enregistrez-le de nouveau depuis le tableur en « CSV UTF-8 »."
                ) from None
            try:
                text = data.decode("cp1252")  # Excel and old ministry tools
            except UnicodeDecodeError:
                raise FileRefused(NOT_TEXT) from None
    else:
        text = data.lstrip("\ufeff")
    if _CONTROL.search(text):
        raise FileRefused(NOT_TEXT)
    if not text.strip():
        raise FileRefused("Le fichier est vide.")
    return text


def parse_date(value: str | None, formats: tuple[str, ...] = DATE_FORMATS) -> datetime.date | None:
    """The date typed in a cell, tried against ``formats`` in order; empty → None; unreadable → ValueError carrying
    the value as typed (each import turns it into its own refusal)."""
    value = (value or "").strip()
    if not value:
        return None
    for pattern in formats:
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def sniff_delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of `;`, `,` and tab."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    return max(";,\t", key=first_line.count)


def read_table(text: str, *, delimiter: str | None = None):
    """(header, rows, ragged): rows are (line number as a spreadsheet shows it, values) for the non-blank lines
    having the header's column count; ragged lists (line, French reason) for the others. FileRefused when the
    file has no data line or cannot be parsed as CSV."""
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header, rows, ragged = None, [], []
    previous_limit = csv.field_size_limit(FIELD_LIMIT)
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if header is None:
                header = [v.strip().lstrip("\ufeff") for v in values]
                continue
            # Strict on purpose: a shifted line (unquoted separator) whose last cell is empty must not load.
            if len(values) != len(header):
                ragged.append(
                    (
                        reader.line_num,
                        f"La ligne a {len(values)} colonnes au lieu de {len(header)} : une valeur contient-elle "
                        f"un « {delimiter_label(delimiter)} » sans guillemets ? Ligne non lue.",
                    )
                )
                continue
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise FileRefused(
            f"Le fichier n'est pas un CSV lisible à la ligne {reader.line_num} (guillemet non fermé ou valeur "
            "de plus de 100 000 caractères)."
        ) from exc
    finally:
        csv.field_size_limit(previous_limit)
    if header is None:
        raise FileRefused("Le fichier est vide.")
    if not rows and not ragged:
        raise FileRefused("Le fichier ne contient que la ligne d'en-tête : aucune ligne à importer.")
    return header, rows, ragged


XLSX_SIGNATURE = b"PK\x03\x04"


def is_xlsx(data: bytes | str) -> bool:
    return isinstance(data, bytes) and data.startswith(XLSX_SIGNATURE)


def _cell_text(value) -> str:
    """A cell as the same text a CSV export would hold: dates in French, whole numbers without « .0 »."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time(0) else value
        if isinstance(value, datetime.datetime):
            return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx_table(data: bytes):
    """(header, rows, ragged) of the first sheet of an XLSX workbook, as ``read_table`` gives them for a CSV: line
    numbers are the sheet's row numbers; a value right of the last named column makes the line ragged."""
    from openpyxl import load_workbook  # only for the imports that accept workbooks

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign workbook: one French sentence, never a traceback
        raise FileRefused(
            "Le classeur n'est pas un fichier XLSX lisible (enregistrez-le depuis le tableur au format « Classeur "
            "Excel (.xlsx) » ou en CSV)."
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        header, rows, ragged = None, [], []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = [_cell_text(v) for v in cells]
            if not any(v.strip() for v in values):
                continue
            if header is None:
                while values and not values[-1].strip():
                    values.pop()
                header = values
                continue
            extra = values[len(header) :]
            if any(v.strip() for v in extra):
                ragged.append(
                    (number, f"La ligne a des valeurs au-delà des {len(header)} colonnes nommées. Ligne non lue.")
                )
                continue
            rows.append((number, (values + [""] * len(header))[: len(header)]))
    finally:
        workbook.close()
    if header is None:
        raise FileRefused("Le classeur est vide.")
    if not rows and not ragged:
        raise FileRefused("Le classeur ne contient que la ligne d'en-tête : aucune ligne à importer.")
    return header, rows, ragged


def read_columns(
    data: bytes | str, columns: dict[str, tuple[str, ...]], required, *, strip: bool = True, xlsx: bool = False
):
    """(file errors, rows, ragged) for a file whose headers may use any of the accepted spellings of each column
    (``columns``: canonical name → spellings, compared folded, `_` as a space, first match wins). Rows are
    (line, {canonical name: value}) with every canonical name present; a refused file gives ([reason], [], []).
    ``xlsx``: an XLSX workbook is read too (its first sheet), else it is refused like any non-CSV file."""
    try:
        if xlsx and isinstance(data, bytes) and is_xlsx(data):
            header, values, ragged = read_xlsx_table(data)
        else:
            header, values, ragged = read_table(decode(data))
    except FileRefused as exc:
        return [str(exc)], [], []
    aliases = {_header_key(a): canon for canon, names in columns.items() for a in names}
    mapping: dict[int, str] = {}
    for index, name in enumerate(header):
        canon = aliases.get(_header_key(name))
        if canon and canon not in mapping.values():
            mapping[index] = canon
    missing = [c for c in required if c not in mapping.values()]
    if missing:
        return [missing_columns_message(missing)], [], []
    rows = []
    for line, cells in values:
        row = dict.fromkeys(columns, "")
        for index, canon in mapping.items():
            row[canon] = cells[index].strip() if strip else cells[index]
        rows.append((line, row))
    return [], rows, ragged


def _header_key(name: str) -> str:
    return fold(name).replace("_", " ")


def delimiter_label(delimiter: str) -> str:
    return {";": ";", ",": ",", "\t": "tabulation"}.get(delimiter, delimiter)


def missing_columns_message(missing) -> str:
    return f"Colonnes obligatoires absentes : {', '.join(missing)}."


def count(number: int, singular: str, plural: str | None = None) -> str:
    """« 0 créé », « 1 créé », « 2 créés » (French: 0 and 1 take the singular)."""
    return f"{number} {singular if number <= 1 else (plural or singular + 's')}"


def summary_line(
    subject: str,
    *,
    lines: int | None,
    created: int,
    updated: int,
    unchanged: int,
    rejected: int,
    feminine: bool = False,
    extra: tuple[str, ...] = (),
) -> str:
    """The one summary line format of every import: « Agréments : 16 lignes lues, 0 créé, 0 modifié, 7 inchangés,
    8 rejetés. » (feminine: « créée », « modifiée »…), followed by the import's own counters."""
    e = "e" if feminine else ""
    parts = [count(lines, "ligne lue", "lignes lues")] if lines is not None else []
    parts += [
        count(created, f"créé{e}"),
        count(updated, f"modifié{e}"),
        count(unchanged, f"inchangé{e}"),
        count(rejected, f"rejeté{e}"),
        *extra,
    ]
    return f"{subject} : {', '.join(parts)}."


def validation_reason(exc, *models) -> str:
    """A model ValidationError as one French sentence naming the fields (« Nom de naissance : Assurez-vous que cette
    valeur comporte au plus 150 caractères… »): the bare message does not say which column of the file is wrong."""
    if not hasattr(exc, "error_dict"):
        return " ".join(dict.fromkeys(exc.messages))
    parts, seen = [], set()
    for name, errors in exc.error_dict.items():
        label = ""
        for model in models:
            try:
                label = str(model._meta.get_field(name).verbose_name)
                break
            except FieldDoesNotExist:  # also NON_FIELD_ERRORS: the message alone
                continue
        for message in (m for error in errors for m in error.messages):
            if message not in seen:  # a derived field (search key) repeats its source field's message
                seen.add(message)
                parts.append(f"{label[:1].upper()}{label[1:]} : {message}" if label else message)
    return " ".join(parts)
