"""QR codes as SVG, embedded in Typst documents as vector images.

The symbol is segno's (ISO/IEC 18004), built faster for bulk printing: a fixed mask pattern (allowed by the
standard; readers decode any of the 8) skips the evaluation of all eight masks in pure Python (~6 ms per code), and
for a given (version, error level) everything but the data modules is the same in every symbol, so that part is
built once (``_layout``): the matrix with its function patterns, format and version information, and for each
module the bit of the final message that flips it. A code is then segno's own data and error-correction codewords,
spread over the modules by one permutation and one XOR done in C (≈ 0.15 ms instead of 1.8 for segno.make).
tests/editique/test_qr.py checks that the matrices are identical to segno.make's (same mask) for payloads of every
length used, that the SVG draws exactly those modules, and (tests/documents) that a phone's decoder reads them.

The SVG draws each horizontal run of dark modules as one stroked segment one module thick (``h<length>``), and skips
each light module with a relative move, built by bytes operations in C (``_path``). Typst's cost for the image grows
with its path: filled rectangles per run (five operations each) cost ≈ 1 ms of a page's compile, the segments
≈ 0.3 ms less (medians of interleaved compiles of 100 pages on a loaded machine).
"""

import functools
from operator import itemgetter

import segno
from segno import consts
from segno import encoder as enc

MASK = 4
ERROR = "m"
BORDER = 4  # quiet zone, in modules
_BITS_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_DIGITS_AS_BITS = bytes.maketrans(b"01", b"\x00\x01")


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
def _layout(version: int, error: int) -> tuple[int, int, itemgetter]:
    """The symbol of an all-zero message (its modules as one integer, row after row), and a function picking, for
    each module, the bit that flips it (writing a 1 bit flips its module, since the mask is a XOR) among the bits of
    the codewords in block order (every data block, then every error-correction block), with a 0 appended that
    modules no bit flips pick. Interleaving the blocks is part of that permutation."""
    width = enc.calc_matrix_size(version)
    reserved = enc.make_matrix(width, width)
    enc.add_finder_patterns(reserved, width, width)
    enc.add_alignment_patterns(reserved, width, width)
    places = [list(row) for row in reserved]
    count = sum(row.count(0x2) for row in reserved)
    enc.add_codewords(places, list(range(3, 3 + count)), version)  # each module gets the index of its bit (+3)
    zero, one = _matrix_with(version, error, [0] * count), _matrix_with(version, error, [1] * count)
    # Codeword order: position in the interleaved message -> position in block order (ISO/IEC 18004 §7.6).
    blocks = [
        (ec.num_data, ec.num_total - ec.num_data) for ec in consts.ECC[version][error] for _ in range(ec.num_blocks)
    ]
    order = []
    for part, start in ((0, 0), (1, sum(data for data, _ in blocks))):
        starts = [start + sum(block[part] for block in blocks[:b]) for b in range(len(blocks))]
        for i in range(max(block[part] for block in blocks)):
            order += [starts[b] + i for b, block in enumerate(blocks) if i < block[part]]
    message_bits = 8 * len(order)  # whole codewords; the remainder bits are always 0
    source = []
    for i, row in enumerate(places):
        for j, value in enumerate(row):
            bit = value - 3
            flips = value >= 3 and bit < message_bits and zero[i][j] != one[i][j]
            source.append(8 * order[bit // 8] + bit % 8 if flips else message_bits)
    return width, int.from_bytes(b"".join(bytes(row) for row in zero), "big"), itemgetter(*source)


def _segments(payload: str) -> enc.Segments:
    """segno's prepare_data(payload, None, None), with the bits of a byte-mode segment (every URL) made in C."""
    data, length, encoding = enc.data_to_bytes(payload, None)
    if enc.find_mode(data) != consts.MODE_BYTE:
        return enc.prepare_data(payload, None, None)
    segments = enc.Segments()
    bits = f"{int.from_bytes(data, 'big'):0{8 * length}b}".encode().translate(_DIGITS_AS_BITS)
    segments.add_segment(enc._Segment(bytearray(bits), length, consts.MODE_BYTE, encoding))
    return segments


def _codewords(ec_infos, bits: bytearray) -> bytes:
    """The data and error-correction codewords of segno's encoder.make_blocks, in block order (every data block,
    then every error-correction block): the bits packed in C, the error correction computed as a shift register over
    integers (tests/editique/test_qr.py: same symbols)."""
    bits = bits + bytes(-len(bits) % 8)
    packed = int(bits.translate(_BITS_AS_DIGITS), 2).to_bytes(len(bits) // 8, "big")
    error_blocks, offset = [], 0
    for ec_info in ec_infos:
        error_words = ec_info.num_total - ec_info.num_data
        table, top, mask = _rs_table(error_words), 8 * (error_words - 1), (1 << 8 * error_words) - 1
        for _ in range(ec_info.num_blocks):
            remainder = 0
            for byte in packed[offset : offset + ec_info.num_data]:
                remainder = ((remainder << 8) & mask) ^ table[byte ^ (remainder >> top)]
            offset += ec_info.num_data
            error_blocks.append(remainder.to_bytes(error_words, "big"))
    return packed[:offset] + b"".join(error_blocks)  # segno's buffer may hold more bits than the blocks take


@functools.cache
def _rs_table(error_words: int) -> tuple[int, ...]:
    """For each byte f: f times the generator polynomial (leading term dropped), as one integer of error_words
    bytes, so that a Reed-Solomon step is a shift and an XOR of Python integers (done in C)."""
    gen, exp, log = consts.GEN_POLY[error_words], consts.GALIOS_EXP, consts.GALIOS_LOG
    return (0, *(int.from_bytes(bytes(exp[log[f] + g] for g in gen), "big") for f in range(1, 256)))


def _modules(payload: str, error: str = ERROR) -> tuple[int, bytes]:
    """Width of the symbol of payload and its modules (1 dark), row after row, without the quiet zone."""
    level = enc.normalize_errorlevel(error)
    segments = _segments(payload)
    version = enc.find_version(segments, level, eci=False, micro=False)
    level = enc.boost_error_level(version, level, segments, False, is_sa=False)
    buff = enc.Buffer()
    for segment in segments:
        enc.write_segment(buff, segment, None, enc.version_range(version), False)
    capacity = consts.SYMBOL_CAPACITY[version][level]
    enc.write_terminator(buff, capacity, None, len(buff))
    enc.write_padding_bits(buff, version, len(buff))
    enc.write_pad_codewords(buff, version, capacity, len(buff))
    codewords = _codewords(consts.ECC[version][level], buff.getbits())
    width, zero, pick = _layout(version, level)
    # One bit per byte, then the 0 that modules outside the message pick.
    bits = f"{int.from_bytes(codewords, 'big'):0{8 * len(codewords)}b}0".encode().translate(_DIGITS_AS_BITS)
    flips = int.from_bytes(bytes(pick(bits)), "big")
    return width, (zero ^ flips).to_bytes(width * width, "big")


def qr_matrix(payload: str, *, error: str = ERROR) -> list[bytearray]:
    """Modules of the QR code of payload (1 dark), without the quiet zone: segno.make(payload, error, mask=MASK)."""
    width, modules = _modules(payload, error)
    return [bytearray(modules[i : i + width]) for i in range(0, width * width, width)]


def segno_matrix(payload: str, *, error: str = ERROR) -> list[bytearray]:
    """The same modules built by segno.make (reference of the tests)."""
    return [bytearray(row) for row in segno.make(payload, error=error, micro=False, mask=MASK).matrix]


@functools.lru_cache(maxsize=16)
def _tokens(width: int) -> tuple[bytes, tuple[bytes, ...]]:
    """Row separator, and path text by piece length: a run of dark modules (``h<length>``), or for the separator's
    piece (longer than any run) the move to the start of the next row."""
    separator = b"\x02" * (width + 1)
    return b"\x00" + separator + b"\x00", (b"", *(b"h%d" % k for k in range(1, width + 1)), b"m-%d 1" % (width + 2))


def _path(width: int, modules: bytes) -> bytes:
    """Path data drawing the dark modules as horizontal segments one module thick, centred on their row: the modules
    split on the light ones (each a move of one module), pieces turned into text by their length."""
    separator, tokens = _tokens(width)
    pieces = separator.join(modules[i : i + width] for i in range(0, width * width, width)).split(b"\x00")
    return b"M%d %d.5" % (BORDER, BORDER) + b"m1 0".join(map(tokens.__getitem__, map(len, pieces)))


def qr_svg(payload: str, *, error: str = ERROR) -> str:
    """SVG text of a QR code with its 4-module quiet zone: the dark modules stroked one module thick, row by row,
    on a white square."""
    width, modules = _modules(payload, error)
    size = width + 2 * BORDER
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
        f'<path fill="#ffffff" d="M0 0h{size}v{size}h-{size}z"/><path fill="none" stroke="#000000" stroke-width="1"'
        f' stroke-linecap="butt" d="{_path(width, modules).decode()}"/></svg>'
    )
