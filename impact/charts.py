"""Bar charts drawn on the server as SVG (templates/impact/chart.html): no script, a title and
a text alternative, and colours at least 3:1 against the white background and each other."""

from dataclasses import dataclass

from training.models import Confidence

WIDTH = 640
BAR_LEFT = 0
BAR_AREA = 520  # the longest bar; its value is written after it
LABEL_HEIGHT = 20  # each row's label, above its bars
ROW_GAP = 12
BAR_HEIGHT = 20
TOP = 8

# GOV.UK blue (5.2:1 on white) and GOV.UK black (19:1 on white), 3.8:1 against each other.
COLOURS = {"single": "#1d70b8", "before": "#0b0c0c", "after": "#1d70b8"}
BACKGROUND = "#ffffff"


@dataclass
class Bar:
    y: float
    width: float
    value: object
    colour: str
    series: str

    @property
    def text_x(self):
        return BAR_LEFT + self.width + 6

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT - 5


@dataclass
class Row:
    label: str
    label_y: float
    bars: list


def chart(table):
    """What templates/impact/chart.html draws for a Table, or None for an empty one."""
    if table.is_empty:
        return None
    rows = []
    y = TOP
    if table.chart == "paired":
        # Confidence, on its own scale (1 to 5).
        scale, series = max(Confidence.values), [("before", 1), ("after", 2)]
    else:
        scale, series = max(row[-1] for row in table.rows) or 1, [("single", -1)]
    for row in table.rows:
        label_y = y + 14
        y += LABEL_HEIGHT
        bars = []
        for name, column in series:
            value = row[column] or 0
            width = BAR_AREA * value / scale
            bars.append(Bar(y, width, row[column], COLOURS[name], name))
            y += BAR_HEIGHT + 4
        rows.append(Row(str(row[0]), label_y, bars))
        y += ROW_GAP
    return {
        "width": WIDTH,
        "height": y + TOP,
        "rows": rows,
        "paired": table.chart == "paired",
        "colours": COLOURS,
        "background": BACKGROUND,
    }


def relative_luminance(colour):
    def channel(hex_pair):
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second):
    lighter, darker = sorted(map(relative_luminance, (first, second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
