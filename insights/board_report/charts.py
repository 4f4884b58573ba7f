"""Bar charts as SVG, drawn in Python: the PDF needs no browser and no JavaScript.

The markup is inline in the report's HTML (WeasyPrint draws SVG itself). Labels come from the
catalogues and from people (a dimension, a stage), so every text is escaped; numbers are
written in the reader's language (``core.formatting``). A chart always has a text
alternative (``<title>``) and the section's table says the same in words.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.formatting import format_number

WIDTH = 520
LABEL_WIDTH = 190
VALUE_WIDTH = 60
BAR_HEIGHT = 18
GAP = 8
# Colours with enough contrast against white for the text beside them (WCAG AA).
COLOURS = {
    "default": "#2f5f8a",
    "on_track": "#2e7d32",
    "at_risk": "#b26a00",
    "off_track": "#b3261e",
}


def bar_chart(title: str, bars: list[tuple[str, object, str]]) -> SafeString:
    """Horizontal bars, one per ``(label, value, colour key)``, scaled to the largest value."""
    largest = max((float(value or 0) for _, value, _ in bars), default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value, colour) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(span * float(value or 0) / largest, 1)
        fill = COLOURS.get(colour, COLOURS["default"])
        middle = y + BAR_HEIGHT / 2 + 4
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{middle}" text-anchor="end" '
            f'font-size="10">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{fill}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 4}" y="{middle}" font-size="10">'
            f"{escape(format_number(value or 0))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
