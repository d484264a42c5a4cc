"""QR codes as SVG, embedded in Typst documents as vector images.

The symbol is segno's (ISO/IEC 18004), built faster for bulk printing: a fixed mask pattern (allowed by the
standard; readers decode any of the 8) skips the evaluation of all eight masks in pure Python (~6 ms per code), and
for a given (version, error level) everything but the data modules is the same in every symbol, so that part is
built once (``_layout``): the matrix with its function patterns, format and version information, and the place of
each bit of the final message. A code is then segno's own data and error-correction codewords written into a copy
of that matrix (0.7 ms instead of 1.8 for segno.make). tests/editique/test_qr.py checks that the matrices are
identical to segno.make's (same mask) for payloads of every length used, and that a phone's decoder reads them.
"""

import functools
import re
from itertools import chain, zip_longest

import segno
from segno import consts
from segno import encoder as enc

MASK = 4
ERROR = "m"
BORDER = 4  # quiet zone, in modules
DARK_RUNS = re.compile(rb"\x01+")
SET_BITS = tuple(tuple(b for b in range(8) if value >> (7 - b) & 1) for value in range(256))


def _matrix_with(version: int, error: int, bits) -> tuple[bytearray, ...]:
    """segno's construction of a symbol from the bits of its final message (mask MASK)."""
    width = enc.calc_matrix_size(version)
    matrix = enc.make_matrix(width, width)
    enc.add_finder_patterns(matrix, width, width)
    enc.add_alignment_patterns(matrix, width, width)
    enc.add_codewords(matrix, bits, version)
    matrix = enc.find_and_apply_best_mask(matrix, width, width, MASK)[1]
    enc.add_format_info(matrix, version, error, MASK)
    enc.add_version_info(matrix, version)
    return matrix


@functools.lru_cache(maxsize=16)
def _layout(version: int, error: int) -> tuple[tuple[bytes, ...], list[list[tuple[int, int] | None]]]:
    """The symbol of an all-zero message, and for each codeword the module each of its 8 bits lands on (None where
    a later pattern covers it): writing a 1 bit flips that module (the mask is a XOR)."""
    width = enc.calc_matrix_size(version)
    reserved = enc.make_matrix(width, width)
    enc.add_finder_patterns(reserved, width, width)
    enc.add_alignment_patterns(reserved, width, width)
    places = [list(row) for row in reserved]
    count = sum(row.count(0x2) for row in reserved)
    enc.add_codewords(places, list(range(3, 3 + count)), version)  # each module gets the index of its bit (+3)
    cells: list[tuple[int, int] | None] = [None] * count
    for i, row in enumerate(places):
        for j, value in enumerate(row):
            if value >= 3:
                cells[value - 3] = (i, j)
    zero, one = _matrix_with(version, error, [0] * count), _matrix_with(version, error, [1] * count)
    cells = [c if c is not None and zero[c[0]][c[1]] != one[c[0]][c[1]] else None for c in cells]
    return tuple(bytes(row) for row in zero), [cells[k : k + 8] for k in range(0, count - count % 8, 8)]


_BITS_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


@functools.cache
def _rs_table(error_words: int) -> tuple[int, ...]:
    """For each byte f: f times the generator polynomial (leading term dropped), as one integer of error_words
    bytes, so that a Reed-Solomon step is a shift and an XOR of Python integers (done in C)."""
    gen, exp, log = consts.GEN_POLY[error_words], consts.GALIOS_EXP, consts.GALIOS_LOG
    return (0, *(int.from_bytes(bytes(exp[log[f] + g] for g in gen), "big") for f in range(1, 256)))


def _make_blocks(ec_infos, bits: bytearray) -> tuple[list[bytearray], list[bytearray]]:
    """segno's encoder.make_blocks (same blocks, same codewords: tests/editique/test_qr.py), with the bits packed in C
    and the error correction computed as a shift register over integers: qr_svg 1.15 -> 0.63 ms per code."""
    bits = bits + bytes(-len(bits) % 8)
    packed = int(bits.translate(_BITS_AS_DIGITS), 2).to_bytes(len(bits) // 8, "big")
    data_blocks, error_blocks, offset = [], [], 0
    for ec_info in ec_infos:
        error_words = ec_info.num_total - ec_info.num_data
        table, top, mask = _rs_table(error_words), 8 * (error_words - 1), (1 << 8 * error_words) - 1
        for _ in range(ec_info.num_blocks):
            block = bytearray(packed[offset : offset + ec_info.num_data])
            offset += ec_info.num_data
            remainder = 0
            for byte in block:
                remainder = ((remainder << 8) & mask) ^ table[byte ^ (remainder >> top)]
            data_blocks.append(block)
            error_blocks.append(bytearray(remainder.to_bytes(error_words, "big")))
    return data_blocks, error_blocks


def qr_matrix(payload: str, *, error: str = ERROR) -> list[bytearray]:
    """Modules of the QR code of payload (1 dark), without the quiet zone: segno.make(payload, error, mask=MASK)."""
    level = enc.normalize_errorlevel(error)
    segments = enc.prepare_data(payload, None, None)
    version = enc.find_version(segments, level, eci=False, micro=False)
    level = enc.boost_error_level(version, level, segments, False, is_sa=False)
    buff = enc.Buffer()
    for segment in segments:
        enc.write_segment(buff, segment, None, enc.version_range(version), False)
    capacity = consts.SYMBOL_CAPACITY[version][level]
    enc.write_terminator(buff, capacity, None, len(buff))
    enc.write_padding_bits(buff, version, len(buff))
    enc.write_pad_codewords(buff, version, capacity, len(buff))
    data, ecc = _make_blocks(consts.ECC[version][level], buff.getbits())
    interleaved = chain(chain.from_iterable(zip_longest(*data)), chain.from_iterable(zip_longest(*ecc)))
    base, places = _layout(version, level)
    rows = [bytearray(row) for row in base]
    for cells, value in zip(places, (x for x in interleaved if x is not None), strict=True):
        for bit in SET_BITS[value]:
            cell = cells[bit]
            if cell is not None:
                rows[cell[0]][cell[1]] ^= 1
    return rows


def segno_matrix(payload: str, *, error: str = ERROR) -> list[bytearray]:
    """The same modules built by segno.make (reference of the tests)."""
    return [bytearray(row) for row in segno.make(payload, error=error, micro=False, mask=MASK).matrix]


def qr_svg(payload: str, *, error: str = ERROR) -> str:
    """SVG text of a QR code with its 4-module quiet zone: one filled rectangle per horizontal run of dark modules,
    on a white square (segno's SVG writer cost 0.8 ms per code)."""
    matrix = qr_matrix(payload, error=error)
    size = len(matrix) + 2 * BORDER
    runs = []
    for y, row in enumerate(matrix, start=BORDER):
        for run in DARK_RUNS.finditer(row):
            start, end = run.span()
            runs.append(f"M{start + BORDER} {y}h{end - start}v1h-{end - start}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
        f'<path fill="#ffffff" d="M0 0h{size}v{size}h-{size}z"/><path fill="#000000" d="{"".join(runs)}"/></svg>'
    )
