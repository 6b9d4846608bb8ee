"""Geometry of the financial plan chart (server-rendered SVG): stacked costs per year, grants
and own share beside them, the funding cliff marked. The page shows the same figures as a table."""

from __future__ import annotations

from decimal import Decimal

from .plan import Plan

W, H, LEFT, TOP, BOTTOM = 760, 340, 70, 20, 40
COLOURS = {"investment": "#26408b", "operating": "#5b8bd6", "personnel": "#a7c1ea", "grants": "#1f7a3a",
           "own_share": "#b3261e"}  # fmt: skip


def nice_step(top: Decimal, parts: int = 4) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) so that ``parts`` steps reach ``top``."""
    raw = max(top, Decimal(1)) / parts
    power = Decimal(10) ** (len(str(int(raw))) - 1)
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if power * factor >= raw:
            return power * factor
    return power * 10


def plan_chart(plan: Plan) -> dict:
    years = plan.years
    step = nice_step(max([y.cost for y in years] + [y.grants for y in years] + [Decimal(1)]))
    top = step * 4
    plot_h = H - TOP - BOTTOM
    slot = (W - LEFT - 10) / max(1, len(years))
    bar = max(1.5, (slot * 0.8 - 4) / 3)  # three bars and two 2-px gaps fill 80 % of the year's slot
    cliff_years = {c.year for c in plan.cliffs}

    def height(value: Decimal) -> float:
        return round(float(value / top) * plot_h, 1)

    columns = []
    for i, y in enumerate(years):
        x = LEFT + i * slot + slot * 0.1
        stack, base = [], H - BOTTOM
        for kind in ("investment", "operating", "personnel"):
            h = height(y.costs[kind])
            base -= h
            stack.append({"kind": kind, "y": round(base, 1), "h": h, "fill": COLOURS[kind]})
        gh = height(y.grants)
        oh = height(max(y.own_share, Decimal(0)))
        columns.append({
            "year": y.year, "x": round(x, 1), "w": round(bar, 1), "stack": stack,
            "grant_x": round(x + bar + 2, 1), "grant_y": round(H - BOTTOM - gh, 1), "grant_h": gh,
            "own_x": round(x + 2 * bar + 4, 1), "own_y": round(H - BOTTOM - oh, 1), "own_h": oh,
            "label_x": round(x + bar, 1), "cliff": y.year in cliff_years,
        })  # fmt: skip
    ticks = [{"y": round(H - BOTTOM - plot_h * i / 4, 1), "value": step * i} for i in range(5)]
    return {"width": W, "height": H, "left": LEFT, "bottom": H - BOTTOM, "top": TOP, "columns": columns,
            "ticks": ticks, "colours": COLOURS, "right": W - 10}  # fmt: skip
