"""A figure drawn as a horizontal bar chart: the geometry the SVG template
(`templates/dashboard/_chart.html`) draws, nothing else.

Plain SVG from a template rather than a charting library: each bar must be a link to the
pairs behind it, each chart needs its own <title> and <desc> wired with aria-labelledby, a
suppressed number must draw no bar, and the same markup must render in WeasyPrint's PDF;
the candidates (pygal 3.1) draw their own tooltips with JavaScript and would be bent to
each of those, for forty lines of arithmetic.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from mentorpact.dashboard.selectors import Figure, Number

WIDTH = 640
LABEL_WIDTH = 230  # the bars start here
BAR_SPACE = 330  # the longest bar
ROW = 30
BAR_HEIGHT = 20


@dataclass(frozen=True)
class DrawnBar:
    number: Number
    y: int
    text_y: int
    width: int  # 0: suppressed or zero (no bar drawn)
    of_width: int  # the "of" bar (invited) behind it; 0 when there is none
    value_x: int
    href: str


@dataclass(frozen=True)
class Chart:
    figure: Figure
    bars: list[DrawnBar]
    width: int
    height: int
    label_x: int
    bar_x: int


def draw(figure: Figure, *, pairs_url: str, query: dict[str, str]) -> Chart:
    largest = figure.largest
    bars = []
    for i, number in enumerate(figure.counts):
        shown = number.shown or 0
        width = round(BAR_SPACE * shown / largest) if shown else 0
        of = number.of_shown or 0
        of_width = round(BAR_SPACE * of / largest) if of else 0
        href = ""
        if figure.linked and number.shown:
            href = f"{pairs_url}?{urlencode({**query, **number.url_query})}"
        bars.append(
            DrawnBar(
                number,
                y=i * ROW + 5,
                text_y=i * ROW + 5 + BAR_HEIGHT - 5,
                width=width,
                of_width=of_width,
                value_x=LABEL_WIDTH + max(width, of_width) + 6,
                href=href,
            )
        )
    return Chart(
        figure,
        bars,
        WIDTH,
        max(len(bars), 1) * ROW + 10,
        label_x=LABEL_WIDTH - 8,
        bar_x=LABEL_WIDTH,
    )
