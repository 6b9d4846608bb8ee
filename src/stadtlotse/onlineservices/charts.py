"""Geometry of the rollout chart, drawn as SVG on the server: one row per department, its
states (paper, hybrid, digital) as coloured segments over time. The page shows the same
facts as a table for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import figures

W, LEFT, RIGHT, ROW_H, TOP = 900, 240, 20, 30, 40
COLOURS = {figures.PAPER: "#b3261e", figures.HYBRID: "#e8a317", figures.DIGITAL: "#1f7a3a"}


@dataclass
class Rect:
    x: float
    width: float
    state: str
    colour: str
    start: date
    end: date


@dataclass
class Row:
    y: int
    label: str
    rects: list[Rect]


def rollout(steps: list[figures.Step], departments: list, today: date) -> dict:
    """Rows for ``departments`` (objects with ``pk`` and ``str()``) from the first step's year
    to the end of the year of ``today`` (or of the last step, if later)."""
    if not steps or not departments:
        return {"rows": [], "years": [], "width": W, "height": 60}
    first = date(min(s.since for s in steps).year, 1, 1)
    last = date(max(today, max(s.since for s in steps)).year + 1, 1, 1)
    span = (last - first).days
    plot = W - LEFT - RIGHT

    def x(day: date) -> float:
        return round(LEFT + (day - first).days / span * plot, 1)

    rows = []
    for i, department in enumerate(departments):
        rects = [Rect(x(seg.start), max(1.0, round(x(seg.end) - x(seg.start), 1)), seg.state, COLOURS[seg.state],
                      seg.start, seg.end)
                 for seg in figures.segments(steps, department.pk, first, last)]  # fmt: skip
        rows.append(Row(TOP + i * ROW_H, str(department), rects))
    years = [(x(date(year, 1, 1)), year) for year in range(first.year, last.year)]
    today_x = x(today) if first <= today < last else None
    return {"rows": rows, "years": years, "width": W, "height": TOP + len(rows) * ROW_H + 10, "today_x": today_x,
            "colours": COLOURS}  # fmt: skip


@dataclass
class LevelBar:
    y: int
    width: float
    level: int
    count: int
    share: object


def level_bars(distribution: figures.Distribution) -> dict:
    """One horizontal bar per level, its length the level's share of the services."""
    left, plot, row_h = 80, 480, 26
    bars = [LevelBar(10 + i * row_h, round(float(share or 0) / 100 * plot, 1), level, count, share)
            for i, (level, count, share) in enumerate(distribution.rows)]  # fmt: skip
    return {"bars": bars, "left": left, "width": left + plot + 80, "height": 20 + len(bars) * row_h,
            "label_x": left + plot + 8}  # fmt: skip
