"""Cut the PDF of one Typst compile into per-document PDFs, and gather pages of several such PDFs into one, by copying
bytes: no PDF library at run time, a fraction of a millisecond per page.

Bulk printing compiles a chunk of documents once (``pdf.render_parts``); each document's own file is cut from that
output (``split``: the objects every document shares are renumbered once for all), and the lot's file gathers the
chunks (``assemble``). Typst writes a classic cross-reference table and direct objects (no
object streams, no incremental updates): each object is copied verbatim, its references renumbered. What a page
needs is the closure of its references (resources, fonts, images, content stream), never its ``/Parent``; the
document-level objects kept are the catalog's XMP metadata, output intents and language (PDF/A-2b identification)
and the information dictionary. A PDF of another shape (object streams, compressed cross-reference) is refused with
``UnsupportedPdf`` rather than cut wrongly.

Tagged PDFs cannot be cut this way (the structure tree spans every page): bulk compiles are untagged, the catalog's
``/StructTreeRoot`` and ``/MarkInfo`` are dropped, so are the pages' ``/StructParents``.
"""

import re
from dataclasses import dataclass, field

OBJ_RE = re.compile(rb"(\d+) 0 obj\s*")
REF_RE = re.compile(rb"(\d+) 0 R\b")
STREAM_RE = re.compile(rb">>\s*stream\r?\n")
DROP_FROM_CATALOG = re.compile(rb"/(StructTreeRoot \d+ 0 R|MarkInfo\s*<<[^>]*>>)")
DROP_FROM_PAGE = re.compile(rb"/(Parent \d+ 0 R|StructParents \d+)")
HEADER = b"%PDF-1.7\n%\x80\x80\x80\x80\n"


class UnsupportedPdf(ValueError):
    """Not a PDF this module can cut (object streams, cross-reference stream, unexpected layout)."""


@dataclass
class ParsedPdf:
    objects: dict[int, bytes]  # number -> the object's body (between "N 0 obj" and "endobj"), verbatim
    pages: list[int]  # page object numbers, in order
    catalog: int
    info: int | None
    file_id: bytes  # the trailer's /ID array, verbatim
    refs: dict[int, list[int]] = field(default_factory=dict)  # cache: references of an object's dictionary


def _dict_part(body: bytes) -> bytes:
    """The dictionary of an object, without its stream data (binary data never holds references)."""
    match = STREAM_RE.search(body)
    return body[: match.start() + 2] if match else body


def parse(content: bytes) -> ParsedPdf:
    if b"/ObjStm" in content or b"/Type/XRef" in content:
        raise UnsupportedPdf("Flux d'objets ou table de références compressée : PDF non découpable.")
    start = content.rfind(b"startxref")
    xref_at = int(content[start + 9 :].split()[0])
    if content[xref_at : xref_at + 4] != b"xref":
        raise UnsupportedPdf("Table de références introuvable.")
    trailer_at = content.index(b"trailer", xref_at)
    rows = content[xref_at:trailer_at].split(b"\n")
    first, count = (int(x) for x in rows[1].split())
    offsets = {}
    for number, row in enumerate(rows[2 : 2 + count], start=first):
        parts = row.split()
        if len(parts) == 3 and parts[2] == b"n":
            offsets[number] = int(parts[0])
    objects = {}
    for number, offset in offsets.items():
        match = OBJ_RE.match(content, offset)
        if match is None or int(match.group(1)) != number:
            raise UnsupportedPdf(f"Objet {number} introuvable à sa position.")
        end = content.index(b"endobj", match.end())
        objects[number] = content[match.end() : end].rstrip()
    trailer = content[trailer_at:start]
    catalog = int(re.search(rb"/Root (\d+) 0 R", trailer).group(1))
    info = re.search(rb"/Info (\d+) 0 R", trailer)
    file_id = re.search(rb"/ID\s*(\[[^\]]*\])", trailer)
    pages_root = int(re.search(rb"/Pages (\d+) 0 R", objects[catalog]).group(1))
    parsed = ParsedPdf(
        objects=objects,
        pages=[],
        catalog=catalog,
        info=int(info.group(1)) if info else None,
        file_id=file_id.group(1) if file_id else b"",
    )
    parsed.pages = _leaves(parsed, pages_root)
    return parsed


def _leaves(pdf: ParsedPdf, node: int) -> list[int]:
    body = pdf.objects[node]
    if re.search(rb"/Type\s*/Page\b(?!s)", body):
        return [node]
    kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
    if kids is None:
        raise UnsupportedPdf("Arbre des pages illisible.")
    return [leaf for ref in REF_RE.findall(kids.group(1)) for leaf in _leaves(pdf, int(ref))]


def _references(pdf: ParsedPdf, number: int) -> list[int]:
    if number not in pdf.refs:
        body = pdf.objects[number]
        if number in pdf.pages:
            body = DROP_FROM_PAGE.sub(b"", body)
        pdf.refs[number] = [int(r) for r in REF_RE.findall(_dict_part(body))]
    return pdf.refs[number]


def _closure(pdf: ParsedPdf, roots: list[int], seen: dict[int, None]) -> None:
    stack = list(roots)
    while stack:
        number = stack.pop()
        if number in seen or number not in pdf.objects:
            continue
        seen[number] = None
        stack.extend(_references(pdf, number))


def _renumber(body: bytes, mapping: dict[int, int]) -> bytes:
    """References of the object's dictionary renumbered; stream data copied untouched."""
    head = _dict_part(body)
    # A reference outside what was copied (another document's page, a dropped structure element) becomes null.
    head = REF_RE.sub(lambda m: b"%d 0 R" % mapping[int(m.group(1))] if int(m.group(1)) in mapping else b"null", head)
    return head + body[len(_dict_part(body)) :]


def assemble(selection: list[tuple[ParsedPdf, list[int]]]) -> bytes:
    """One PDF holding, in order, the given pages (0-based indexes) of the given parsed PDFs. The first source gives
    the document-level objects (metadata, output intents, information dictionary, identifier)."""
    if not selection:
        raise ValueError("Aucune page à assembler.")
    # Pass 1: a new number for every object needed; 1 is the new page tree, then the catalog.
    entries: list[tuple[ParsedPdf, int]] = []  # (source, old number) of new objects 3, 4, ...
    mappings: dict[int, dict[int, int]] = {}

    def number_of(pdf: ParsedPdf, old: int) -> int:
        mapping = mappings.setdefault(id(pdf), {})
        if old not in mapping:
            entries.append((pdf, old))
            mapping[old] = len(entries) + 2
        return mapping[old]

    out_pages = []
    for pdf, indexes in selection:
        for index in indexes:
            needed: dict[int, None] = {}
            _closure(pdf, [pdf.pages[index]], needed)
            for old in needed:
                number_of(pdf, old)
            out_pages.append(number_of(pdf, pdf.pages[index]))
    first = selection[0][0]
    catalog_body = DROP_FROM_CATALOG.sub(b"", first.objects[first.catalog])
    catalog_body = re.sub(rb"/Pages \d+ 0 R", b"", catalog_body)
    document_level: dict[int, None] = {}
    _closure(first, [int(r) for r in REF_RE.findall(_dict_part(catalog_body))], document_level)
    if first.info is not None:
        _closure(first, [first.info], document_level)
    for old in document_level:
        number_of(first, old)
    # Pass 2: write every object, references renumbered, then the cross-reference table.
    out = [HEADER]
    size = len(HEADER)
    offsets = [0] * (len(entries) + 2)

    def write(number: int, body: bytes) -> None:
        nonlocal size
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        offsets[number - 1] = size
        out.append(chunk)
        size += len(chunk)

    kids = b" ".join(b"%d 0 R" % n for n in out_pages)
    write(1, b"<</Type/Pages/Count %d/Kids[%s]>>" % (len(out_pages), kids))
    catalog_body = _renumber(catalog_body, mappings.get(id(first), {}))
    write(2, catalog_body[: catalog_body.rindex(b">>")] + b"/Pages 1 0 R>>")
    for number, (pdf, old) in enumerate(entries, start=3):
        body = pdf.objects[old]
        if old in pdf.pages:
            body = _renumber(DROP_FROM_PAGE.sub(b"", body), mappings[id(pdf)])
            write(number, body[: body.rindex(b">>")] + b"/Parent 1 0 R>>")
        else:
            write(number, _renumber(body, mappings[id(pdf)]))
    xref = [b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(offsets) + 1)]
    xref += [b"%010d 00000 n\r\n" % offset for offset in offsets]
    trailer = b"trailer\n<</Size %d/Root 2 0 R" % (len(offsets) + 1)
    if first.info is not None:
        trailer += b"/Info %d 0 R" % mappings[id(first)][first.info]
    if first.file_id:
        trailer += b"/ID" + first.file_id
    out += xref + [trailer + b">>\nstartxref\n%d\n%%%%EOF\n" % size]
    return b"".join(out)


def split(pdf: ParsedPdf, documents: list[list[int]]) -> list[bytes]:
    """Each document's own PDF: ``[assemble([(pdf, pages)]) for pages in documents]``, the same objects and pages,
    made faster for the many documents of one compile. The objects every document needs (fonts, output intent,
    metadata: most of a file) get the same numbers in every file, so they are renumbered and written once; each file
    is that block plus its own pages, content streams and resources."""
    if len(documents) < 2:
        return [assemble([(pdf, pages)]) for pages in documents]
    catalog_body = re.sub(rb"/Pages \d+ 0 R", b"", DROP_FROM_CATALOG.sub(b"", pdf.objects[pdf.catalog]))
    document_level: dict[int, None] = {}
    _closure(pdf, [int(r) for r in REF_RE.findall(_dict_part(catalog_body))], document_level)
    if pdf.info is not None:
        _closure(pdf, [pdf.info], document_level)
    needs = []
    for pages in documents:
        needed: dict[int, None] = {}
        _closure(pdf, [pdf.pages[index] for index in pages], needed)
        needs.append(needed)
    shared = sorted((set(needs[0]).intersection(*needs[1:]) - set(pdf.pages)) | set(document_level))
    mapping = {old: number for number, old in enumerate(shared, start=3)}
    if any(ref not in mapping for old in shared for ref in _references(pdf, old) if ref in pdf.objects):
        return [assemble([(pdf, pages)]) for pages in documents]  # a shared object pointing at one document's: rare
    block, offsets = [], []
    size = len(HEADER)
    for old in shared:
        chunk = b"%d 0 obj\n%s\nendobj\n" % (mapping[old], _renumber(pdf.objects[old], mapping))
        offsets.append(size)
        block.append(chunk)
        size += len(chunk)
    shared_block, shared_end = b"".join(block), size
    catalog = _renumber(catalog_body, mapping)
    catalog = b"2 0 obj\n%s/Pages 1 0 R>>\nendobj\n" % catalog[: catalog.rindex(b">>")]
    tail = (b"/Info %d 0 R" % mapping[pdf.info] if pdf.info is not None else b"") + (
        b"/ID" + pdf.file_id if pdf.file_id else b""
    )
    files = []
    for pages, needed in zip(documents, needs, strict=True):
        own = [pdf.pages[index] for index in pages]
        own += [old for old in needed if old not in mapping and old not in own]
        numbers = dict(mapping)
        numbers.update((old, number) for number, old in enumerate(own, start=3 + len(shared)))
        kids = b" ".join(b"%d 0 R" % numbers[pdf.pages[index]] for index in pages)
        chunks = [b"1 0 obj\n<</Type/Pages/Count %d/Kids[%s]>>\nendobj\n" % (len(pages), kids), catalog]
        chunks += [b"%d 0 obj\n%s\nendobj\n" % (numbers[old], _own_object(pdf, old, numbers)) for old in own]
        own_offsets, size = [], shared_end
        for chunk in chunks:  # the shared block comes first in the file, objects 1, 2 and the document's after it
            own_offsets.append(size)
            size += len(chunk)
        entries = own_offsets[:2] + offsets + own_offsets[2:]
        xref = b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(entries) + 1)
        xref += b"".join(b"%010d 00000 n\r\n" % offset for offset in entries)
        trailer = b"trailer\n<</Size %d/Root 2 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (len(entries) + 1, tail, size)
        files.append(b"".join([HEADER, shared_block, *chunks, xref, trailer]))
    return files


def _own_object(pdf: ParsedPdf, old: int, numbers: dict[int, int]) -> bytes:
    if old in pdf.pages:
        body = _renumber(DROP_FROM_PAGE.sub(b"", pdf.objects[old]), numbers)
        return body[: body.rindex(b">>")] + b"/Parent 1 0 R>>"
    return _renumber(pdf.objects[old], numbers)
