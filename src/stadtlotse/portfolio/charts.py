"""Chart geometry for server-rendered SVG (no JavaScript): the impact/effort matrix, the
roadmap, and the decision table. Every chart comes with the figures for a text table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import ranking

W, H, PAD = 640, 420, 48


@dataclass
class Point:
    x: float
    y: float
    label: str
    number: int
    quick_win: bool
    impact: Decimal
    effort: Decimal
    project_id: int


def matrix(result, rows=None, start: int = 1) -> dict:
    """Impact (y) against effort (x), both 0–100; quick wins sit top left. ``rows`` (default: all
    of the result) are numbered from ``start``, as in the ranking table beside the chart."""
    if result.error or result.scheme != "default":
        return {"points": [], "width": W, "height": H}
    settings = result.settings
    plot_w, plot_h = W - 2 * PAD, H - 2 * PAD
    points = []
    for number, (project, ranked) in enumerate(result.rows if rows is None else rows, start=start):
        x = PAD + float(ranked.effort) / 100 * plot_w
        y = H - PAD - float(ranked.impact) / 100 * plot_h
        points.append(Point(round(x, 1), round(y, 1), project.title, number, ranked.quick_win, ranked.impact,
                            ranked.effort, project.pk))  # fmt: skip
    return {
        "points": points, "width": W, "height": H, "pad": PAD, "right": W - PAD, "bottom": H - PAD,
        "mid_x": PAD + plot_w / 2, "mid_y": PAD + plot_h / 2,
        "qw_x": PAD + float(settings.quick_win_max_effort) / 100 * plot_w,
        "qw_y": H - PAD - float(settings.quick_win_min_impact) / 100 * plot_h,
    }  # fmt: skip


@dataclass
class Bar:
    y: int
    x: float
    width: float
    label: str
    project_id: int
    start: date | None
    end: date | None
    milestones: list[tuple[float, str, date, bool]]


def roadmap(rows, today: date) -> dict:
    """One bar per project between start and end on a yearly axis; milestones as marks."""
    dated = [r for r in rows if r.start and r.end]
    if not dated:
        return {"bars": [], "rows": rows, "years": [], "width": 900, "height": 60}
    first = min(r.start for r in dated)
    last = max(max([r.end] + [m.due_date for m in r.milestones]) for r in dated)
    first, last = date(first.year, 1, 1), date(last.year + 1, 1, 1)
    left, width, row_h = 260, 900 - 260 - 20, 28
    span = (last - first).days

    def x(d: date) -> float:
        return round(left + (min(max(d, first), last) - first).days / span * width, 1)

    bars = []
    for i, r in enumerate(dated):
        y = 40 + i * row_h
        marks = [(x(m.due_date), m.title, m.due_date, m.status == "done") for m in r.milestones]
        bars.append(Bar(y, x(r.start), max(2.0, x(r.end) - x(r.start)), r.project.title, r.project.pk,
                        r.start, r.end, marks))  # fmt: skip
    years = [(x(date(year, 1, 1)), year) for year in range(first.year, last.year)]
    return {"bars": bars, "rows": rows, "years": years, "width": 900, "height": 40 + len(dated) * row_h + 20,
            "today_x": x(today) if first <= today <= last else None, "left": left}  # fmt: skip


def decision_table(decision) -> dict:
    """Options × criteria with scores, weighted totals and ranks (three queries, none when
    options, their scores and the criteria are prefetched)."""
    options = list(decision.options.all())
    criteria = list(decision.criteria.all())
    scores = {(s.option_id, s.criterion_id): s.score for o in options for s in o.scores.all()}
    weights = {c.pk: c.weight for c in criteria}
    totals = {}
    try:
        totals = {t.option_id: t for t in ranking.decision_totals(weights, scores, [o.pk for o in options])}
    except ValueError:
        pass
    rows = [(o, [(c, scores.get((o.pk, c.pk))) for c in criteria], totals.get(o.pk)) for o in options]
    weight_sum = sum(weights.values(), Decimal(0))
    return {"decision": decision, "criteria": criteria, "rows": rows, "weight_sum": weight_sum,
            "project": decision.project}  # fmt: skip

