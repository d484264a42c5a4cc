"""Server-rendered SVG bar charts: accessible (role img, title, description) and always beside their data table."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from ceres.statistiques.rules import fr_number

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 260
BAR_WIDTH = 380
VALUE_WIDTH = 70
MAX_BARS = 25


def bar_chart(*, chart_id: str, title: str, labels: list[str], values: list[float | int | None], unit: str = ""):
    """Horizontal bars, one per label (the MAX_BARS first ones); the table beside gives every figure."""
    pairs = list(zip(labels, values, strict=True))[:MAX_BARS]
    top = max((v for _, v in pairs if v is not None), default=0) or 1
    height = len(pairs) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ceres-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">Diagramme en barres ; les valeurs exactes sont dans le tableau qui suit.</desc>',
    ]
    for index, (label, value) in enumerate(pairs):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = 0 if value is None else max(1, round(BAR_WIDTH * value / top))
        shown = f"{fr_number(value)}{unit}" if value is not None else "—"
        short = label if len(label) <= 38 else label[:37] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" font-size="12" fill="#161616">'
            f"{escape(short)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="#000091"></rect>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}" font-size="12" fill="#161616">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
