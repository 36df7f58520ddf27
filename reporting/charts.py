"""Charts drawn once on the server as inline SVG, used by the dashboard and the PDF alike (no
JavaScript, no external files: CSP and WeasyPrint both accept them)."""
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Colour-blind-safe (Okabe–Ito), each with enough contrast against white for thin marks.
GROUP_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"]
TEXT = "#262626"
GRID = "#c6c2bf"


def _svg(width: int, height: int, title: str, description: str, body: str) -> SafeString:
    # `body` is built only from numbers and texts passed through escape().
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-t" aria-describedby="{id}-d" class="chart" font-family="Source Sans Pro, Arial, sans-serif">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{body}</svg>',
        w=width, h=height, id=_chart_id(title), title=title, desc=description, body=mark_safe(body),  # noqa: S308
    )


def _chart_id(title: str) -> str:
    return "graf-" + "".join(ch if ch.isalnum() else "-" for ch in title.lower())[:40]


def _month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{number}.{year[2:]}"


def stacked_bars(rows: list[dict], series: list[tuple[str, str]], title: str) -> SafeString:
    """Bars per month, stacked by series (key, label), with a legend; `rows` like
    participants_by_month."""
    width, height, left, bottom, top = 640, 260, 40, 40, 36
    plot_w, plot_h = width - left - 10, height - top - bottom
    highest = max([row["total"] for row in rows] + [1])
    step = plot_w / max(len(rows), 1)
    bar_w = max(min(step * 0.7, 40), 2)
    parts = []
    for tick in _ticks(highest):
        y = top + plot_h - tick / highest * plot_h
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.5"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{TEXT}">{tick}</text>')
    label_every = max(1, len(rows) // 12 + (len(rows) % 12 > 0))
    for index, row in enumerate(rows):
        x = left + index * step + (step - bar_w) / 2
        y = top + plot_h
        for (key, label), colour in zip(series, GROUP_COLOURS, strict=False):
            value = row.get(key, 0)
            if not value:
                continue
            bar_h = value / highest * plot_h
            y -= bar_h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" fill="{colour}">'
                         f'<title>{escape(_month_label(row["month"]))}: {escape(label)} {value}</title></rect>')
        if index % label_every == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" '
                         f'fill="{TEXT}">{escape(_month_label(row["month"]))}</text>')
    parts.append(_legend(series, left, 14))
    total = rows[-1]["total"] if rows else 0
    description = f"{len(rows)} måneder; {total} aktive deltakere ved siste månedsslutt."
    return _svg(width, height, title, description, "".join(parts))


# The small trend chart of one target: its size and margins.
TREND_WIDTH, TREND_HEIGHT, TREND_LEFT, TREND_RIGHT, TREND_BOTTOM, TREND_TOP = 300, 150, 38, 14, 26, 10


def target_trend(points: list[tuple[str, float | None]], target: float, comparison: str, title: str) -> SafeString:
    """A target's value at each month end (a line) against its måltall (a dashed line). The
    axis goes below zero when a value is negative (recipients that rose instead of fell)."""
    values = [value for _, value in points if value is not None]
    lowest, highest = _share_axis(values, target)
    plot_h = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM

    def y_of(value: float) -> float:
        return TREND_TOP + plot_h - (value - lowest) / (highest - lowest) * plot_h

    parts = [f'<line x1="{TREND_LEFT}" x2="{TREND_WIDTH - TREND_RIGHT}" y1="{y_of(0):.1f}" y2="{y_of(0):.1f}" '
             f'stroke="{GRID}"/>']
    for tick in sorted({lowest, 0.0, highest / 2, highest}):
        parts.append(f'<text x="{TREND_LEFT - 4}" y="{y_of(tick) + 4:.1f}" text-anchor="end" font-size="10" '
                     f'fill="{TEXT}">{tick * 100:.0f} %</text>')
    parts.append(f'<line x1="{TREND_LEFT}" x2="{TREND_WIDTH - TREND_RIGHT}" y1="{y_of(target):.1f}" '
                 f'y2="{y_of(target):.1f}" stroke="{TEXT}" stroke-dasharray="4 3" stroke-width="1"/>')
    parts.extend(_trend_line(points, y_of))
    parts.extend(_first_and_last_month(points))
    return _svg(TREND_WIDTH, TREND_HEIGHT, title, _trend_description(values, target, comparison), "".join(parts))


def _share_axis(values: list[float], target: float) -> tuple[float, float]:
    """The axis from (lowest, highest): a little room above the highest value or the måltall,
    capped at 100 % for shares; below zero only when a value is negative."""
    highest = max([*values, target, 0.1])
    highest = min(1.0, round(highest * 1.15 + 0.05, 1)) if highest <= 1 else round(highest * 1.1, 1)
    lowest = min([*values, 0.0])
    lowest = round(lowest * 1.1 - 0.05, 1) if lowest < 0 else 0.0
    return lowest, highest


def _trend_line(points: list[tuple[str, float | None]], y_of) -> list[str]:
    """The line through the months that have a value, and a dot with its tooltip on each;
    a month without a value leaves a gap in the dots."""
    step = (TREND_WIDTH - TREND_LEFT - TREND_RIGHT) / max(len(points) - 1, 1)
    present = [(index, month, value) for index, (month, value) in enumerate(points) if value is not None]
    coordinates = [(TREND_LEFT + index * step, y_of(value)) for index, _, value in present]
    parts = []
    if len(coordinates) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{GROUP_COLOURS[0]}" stroke-width="2"/>')
    for (x, y), (_, month, value) in zip(coordinates, present, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{GROUP_COLOURS[0]}">'
                     f'<title>{escape(_month_label(month))}: {value * 100:.1f} %</title></circle>')
    return parts


def _first_and_last_month(points: list[tuple[str, float | None]]) -> list[str]:
    """Only the first and the last month are named under the axis (one label for one month)."""
    parts = []
    for index in sorted({0, len(points) - 1}) if points else []:
        anchor = "start" if index == 0 else "end"
        x = TREND_LEFT if index == 0 else TREND_WIDTH - TREND_RIGHT + 4
        parts.append(f'<text x="{x:.1f}" y="{TREND_HEIGHT - 8}" text-anchor="{anchor}" font-size="10" '
                     f'fill="{TEXT}">{escape(_month_label(points[index][0]))}</text>')
    return parts


def _trend_description(values: list[float], target: float, comparison: str) -> str:
    """The chart's text for screen readers: the måltall and the last value."""
    wording = "minst" if comparison == ">=" else "høyst"
    last = f"Siste verdi {values[-1] * 100:.1f} %." if values else "Ingen verdi ennå."
    return f"Måltall {wording} {target * 100:.0f} %. {last} Tallene per måned står i tabellen under diagrammene."


def _ticks(highest: int) -> list[int]:
    step = max(1, round(highest / 4))
    return list(range(0, highest + 1, step))


def _legend(series: list[tuple[str, str]], x: int, y: int) -> str:
    parts, offset = [], x
    for (_, label), colour in zip(series, GROUP_COLOURS, strict=False):
        parts.append(f'<rect x="{offset}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{offset + 14}" y="{y}" font-size="11" fill="{TEXT}">{escape(label)}</text>')
        offset += 24 + len(label) * 6
    return "".join(parts)
