"""Pure figures of the statistics pages: rates, averages, buckets, concentration (no ORM)."""

from collections import defaultdict

# Sessions per juror over the period (IGAS 2025 asks for the distribution, not only the mean).
SEAT_BUCKETS = ((1, 1, "1 session"), (2, 3, "2 à 3"), (4, 6, "4 à 6"), (7, 12, "7 à 12"), (13, None, "13 et plus"))
TOP_JURORS = 3
NATION = "N"


def perimetres(departement_id: int, region_id: int) -> tuple[str, str, str]:
    """The scopes a centre's figures count for, as stored in the rollups: the nation, its region, its département
    (the keys of selectors.scope_key)."""
    return (NATION, region_key(region_id), departement_key(departement_id))


def region_key(region_id: int) -> str:
    return f"R{region_id}"


def departement_key(departement_id: int) -> str:
    return f"D{departement_id}"


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def mean(total: int, count: int) -> float | None:
    return round(total / count, 1) if count else None


def presented(registered: int, absent: int) -> int:
    return registered - absent


def seat_buckets(seats_per_juror: list[int]) -> list[tuple[str, int]]:
    counts = {label: 0 for _, _, label in SEAT_BUCKETS}
    for seats in seats_per_juror:
        for low, high, label in SEAT_BUCKETS:
            if seats >= low and (high is None or seats <= high):
                counts[label] += 1
                break
    return list(counts.items())


def concentration(pairs: list[tuple[int, int, int]]) -> dict[int, dict]:
    """Per centre, from (centre, juror, seats): seats, distinct jurors and the share of seats held by its
    TOP_JURORS most frequent jurors (100 % = always the same jurors; IGAS 2025, juror–centre pairs)."""
    by_centre: defaultdict[int, list[int]] = defaultdict(list)
    for centre, _juror, seats in pairs:
        by_centre[centre].append(seats)
    result = {}
    for centre, juror_seats in by_centre.items():
        total = sum(juror_seats)
        top = sum(sorted(juror_seats, reverse=True)[:TOP_JURORS])
        result[centre] = {"seats": total, "jurors": len(juror_seats), "top_share": rate(top, total)}
    return result


def most_concentrated(per_centre: dict[int, dict], limit: int) -> list[tuple[int, dict]]:
    """The `limit` centres of `concentration` where the same jurors come back most: highest share, then most seats,
    then lowest centre id."""
    return sorted(per_centre.items(), key=lambda item: (-(item[1]["top_share"] or 0), -item[1]["seats"], item[0]))[
        :limit
    ]


def fr_number(value) -> str:
    """French display: decimal comma, narrow no-break space between thousands; « — » for no value."""
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:,.1f}"
    else:
        text = f"{value:,}"
    return text.replace(",", "\u202f").replace(".", ",")
