"""One chart definition for web pages and PDFs: a ``Chart`` holds categories and series, draws
itself as SVG (no JavaScript, the same markup in the browser and in WeasyPrint) and gives the
same figures as a table for screen readers. Builders make charts from a report's content
(a frozen snapshot or the live figures), so a published report's charts never change."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import escape

from django.utils.translation import gettext as _

from stadtlotse.finance.charts import nice_step

TEXT, GRID, AXIS = "#171a2b", "#c8c8d0", "#4a4d5e"
LIGHTS = {"green": "#1f7a3a", "yellow": "#b57d00", "red": "#b3261e"}
BLUES = ["#26408b", "#5b8bd6", "#a7c1ea"]


def dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def de_number(value: Decimal | None, places: int = 0) -> str:
    """A number in German notation (1.234,5); an en dash for none."""
    if value is None:
        return "–"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@dataclass
class Series:
    name: str
    colour: str
    values: list[Decimal | None]


@dataclass
class Chart:
    key: str
    title: str
    description: str
    categories: list[str]
    series: list[Series]
    kind: str = "columns"  # "columns" (grouped) or "bars" (horizontal, one series)
    unit: str = ""
    max_value: Decimal | None = None
    places: int = 0
    notes: dict[int, str] = field(default_factory=dict)  # category index → note (e.g. funding cliff)
    colours: list[str] = field(default_factory=list)  # one colour per category (single-series charts)

    @property
    def empty(self) -> bool:
        return not self.categories or all(v is None for s in self.series for v in s.values)

    def top(self) -> Decimal:
        if self.max_value is not None:
            return self.max_value
        values = [v for s in self.series for v in s.values if v is not None] + [Decimal(1)]
        return nice_step(max(values)) * 4

    def table(self) -> dict:
        """The chart's figures as a table: a header row and one row per category."""
        header = [""] + [s.name + (f" ({self.unit})" if self.unit else "") for s in self.series]
        if self.notes:
            header.append(_("Note"))
        rows = []
        for i, category in enumerate(self.categories):
            row = [category] + [de_number(s.values[i], self.places) for s in self.series]
            if self.notes:
                row.append(self.notes.get(i, ""))
            rows.append(row)
        return {"header": header, "rows": rows}

    def svg(self) -> str:
        return _bars(self) if self.kind == "bars" else _columns(self)


def _open(chart: Chart, width: int, height: int) -> list[str]:
    k = escape(chart.key)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="c-{k}-t c-{k}-d" class="sl-chart">',
        f'<title id="c-{k}-t">{escape(chart.title)}</title><desc id="c-{k}-d">{escape(chart.description)}</desc>',
    ]


def _bars(chart: Chart) -> str:
    """Horizontal bars, one per category (e.g. progress per field of action)."""
    left, width, row = 250, 700, 30
    height = 30 + row * len(chart.categories) + 10
    plot = width - left - 60
    top = chart.top()
    out = _open(chart, width, height)
    for i in range(5):
        x = left + plot * i / 4
        out.append(f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{height - 10}" stroke="{GRID}"/>'
                   f'<text x="{x:.1f}" y="14" font-size="11" fill="{AXIS}" text-anchor="middle">'
                   f'{de_number(top * i / 4)}</text>')  # fmt: skip
    values = chart.series[0].values if chart.series else []
    for i, (label, value) in enumerate(zip(chart.categories, values, strict=False)):
        y = 26 + i * row
        out.append(f'<text x="{left - 8}" y="{y + 15}" font-size="12" fill="{TEXT}" text-anchor="end">'
                   f'{escape(label[:40])}</text>')  # fmt: skip
        if value is None:
            out.append(f'<text x="{left + 4}" y="{y + 15}" font-size="11" fill="{AXIS}">{escape(_("no data"))}</text>')
            continue
        w = max(1.0, float(min(value, top) / top) * plot) if top else 1.0
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="20" fill="{chart.series[0].colour}"/>'
                   f'<text x="{left + w + 4:.1f}" y="{y + 15}" font-size="11" fill="{TEXT}">'
                   f'{de_number(value, chart.places)}{escape(chart.unit and " " + chart.unit)}</text>')  # fmt: skip
    out.append("</svg>")
    return "".join(out)


def _columns(chart: Chart) -> str:
    """Grouped columns per category with a legend (e.g. projects by status, the financial plan)."""
    width, height, left, bottom, top_pad = 720, 300, 70, 50, 30
    plot_h = height - bottom - top_pad
    n = max(1, len(chart.categories))
    slot = (width - left - 10) / n
    count = max(1, len(chart.series))
    bar = max(2.0, (slot * 0.8) / count)
    top = chart.top()
    out = _open(chart, width, height)
    for i in range(5):
        y = height - bottom - plot_h * i / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="{GRID}"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" fill="{AXIS}" text-anchor="end">'
                   f'{de_number(top * i / 4)}</text>')  # fmt: skip
    for c, label in enumerate(chart.categories):
        x0 = left + c * slot + slot * 0.1
        for s, series in enumerate(chart.series):
            value = series.values[c]
            if value is None or value <= 0:
                continue
            h = float(min(value, top) / top) * plot_h
            fill = chart.colours[c] if chart.colours and len(chart.series) == 1 else series.colour
            out.append(f'<rect x="{x0 + s * bar:.1f}" y="{height - bottom - h:.1f}" width="{bar - 1:.1f}" '
                       f'height="{h:.1f}" fill="{fill}"/>')  # fmt: skip
        cx = left + c * slot + slot / 2
        out.append(f'<text x="{cx:.1f}" y="{height - bottom + 16}" font-size="11" fill="{TEXT}" '
                   f'text-anchor="middle">{escape(label[:16])}</text>')  # fmt: skip
        if c in chart.notes:
            out.append(f'<text x="{cx:.1f}" y="{top_pad - 8}" font-size="11" fill="{LIGHTS["red"]}" '
                       f'text-anchor="middle">▼ {escape(chart.notes[c][:18])}</text>')  # fmt: skip
    if len(chart.series) > 1:
        x = left
        for series in chart.series:
            out.append(f'<rect x="{x}" y="{height - 18}" width="12" height="12" fill="{series.colour}"/>'
                       f'<text x="{x + 16}" y="{height - 8}" font-size="11" fill="{TEXT}">{escape(series.name)}</text>')
            x += 30 + 7 * len(series.name)
    out.append("</svg>")
    return "".join(out)


# Builders: content (snapshot) → charts ---------------------------------------------------


def field_progress(content: dict) -> list[Chart]:
    """Progress per field of action, one chart per strategy."""
    charts = []
    for i, strategy in enumerate(content["sections"].get("strategy", {}).get("strategies", [])):
        fields = strategy["fields"]
        charts.append(Chart(
            f"fields-{i}", _("Progress per field of action: %(title)s") % {"title": strategy["title"]},
            _("Share of the way from baseline to target, averaged over the goals of each field of action."),
            [f["title"] for f in fields], [Series(_("Progress"), BLUES[0], [dec(f["percent"]) for f in fields])],
            kind="bars", unit="%", max_value=Decimal(100), places=1,
        ))  # fmt: skip
    return charts


def projects_by_status(content: dict) -> Chart | None:
    rows = content["sections"].get("portfolio", {}).get("by_status", [])
    if not rows:
        return None
    return Chart("status", _("Projects by status"), _("Number of projects in each status."),
                 [r["label"] for r in rows], [Series(_("Projects"), BLUES[0], [Decimal(r["count"]) for r in rows])])


def traffic_lights(content: dict) -> Chart | None:
    lights = content["sections"].get("portfolio", {}).get("lights", {})
    if not lights:
        return None
    order = [("green", _("green")), ("yellow", _("yellow")), ("red", _("red"))]
    return Chart("lights", _("Traffic lights of the latest status reports"),
                 _("Number of projects whose worst traffic light in the period is green, yellow or red."),
                 [str(label) for _k, label in order],
                 [Series(_("Projects"), LIGHTS["red"], [Decimal(lights.get(k, 0)) for k, _l in order])],
                 colours=[LIGHTS[k] for k, _l in order])


def financial_plan(content: dict) -> Chart | None:
    finance = content["sections"].get("finance")
    if not finance or not finance["years"]:
        return None
    years = finance["years"]
    cliff_years = {c["year"] for c in finance["cliffs"]}
    notes = {i: _("funding cliff") for i, y in enumerate(years) if y["year"] in cliff_years}
    return Chart(
        "plan", _("Financial plan and funding cliff"),
        _("Costs, grants and own share per year (EUR); years where grants end and running costs remain are marked."),
        [str(y["year"]) for y in years],
        [Series(_("Costs"), BLUES[0], [dec(y["cost"]) for y in years]),
         Series(_("Grants"), LIGHTS["green"], [dec(y["grants"]) for y in years]),
         Series(_("Own share"), LIGHTS["red"], [dec(y["own_share"]) for y in years])],
        unit="EUR", notes=notes,
    )  # fmt: skip


def service_maturity(content: dict) -> Chart | None:
    services = content["sections"].get("onlineservices")
    if not services:
        return None
    levels = services["levels"]
    return Chart("maturity", _("Maturity of the online services"),
                 _("Number of services on each maturity level (0–4)."),
                 [str(r["level"]) for r in levels],
                 [Series(_("Services"), BLUES[0], [Decimal(r["count"]) for r in levels])])


def school_equity(content: dict) -> Chart | None:
    schools = content["sections"].get("schools")
    if not schools:
        return None
    labels = [_("lowest"), _("median"), _("highest")]
    values = [dec(schools["lowest"]), dec(schools["median"]), dec(schools["highest"])]
    return Chart("equity", _("School equity"),
                 _("Equity index of the schools (percent of the target standard reached)."),
                 [str(x) for x in labels], [Series(_("Index"), BLUES[1], values)], kind="bars", unit="%",
                 max_value=Decimal(100), places=1)  # fmt: skip


def charts_of(content: dict) -> list[Chart]:
    """All charts of a report's content, in the order the report shows them."""
    found = field_progress(content) + [projects_by_status(content), traffic_lights(content), financial_plan(content),
                                       service_maturity(content), school_equity(content)]
    return [c for c in found if c is not None and not c.empty]
