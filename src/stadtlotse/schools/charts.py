"""Geometry of the equity chart (server-rendered SVG): one horizontal bar per school, its index
from 0 to 100 %, the threshold as a line. The page lists the same figures in a table."""

from __future__ import annotations

from decimal import Decimal

from .gaps import SchoolGap

W, LEFT, RIGHT, TOP, ROW, BAR = 760, 250, 60, 24, 26, 16
ABOVE, BELOW = "#26408b", "#b3261e"


def equity_chart(gaps: list[SchoolGap], threshold: Decimal) -> dict:
    """Bars lowest index first; the colour says whether a school lies below the threshold."""
    ranked = sorted((g for g in gaps if g.index is not None), key=lambda g: (g.index, g.name))
    plot_w = W - LEFT - RIGHT

    def x_of(percent: Decimal) -> float:
        return round(LEFT + float(percent) / 100 * plot_w, 1)

    bars = []
    for i, gap in enumerate(ranked):
        y = TOP + i * ROW
        bars.append({"name": gap.name, "index": gap.index, "y": y, "text_y": y + BAR - 3,
                     "w": round(x_of(gap.index) - LEFT, 1), "below": gap.index < threshold,
                     "fill": BELOW if gap.index < threshold else ABOVE,
                     "value_x": round(x_of(gap.index) + 6, 1)})  # fmt: skip
    height = TOP + len(ranked) * ROW + 30
    ticks = [{"x": x_of(Decimal(p)), "label": p} for p in (0, 25, 50, 75, 100)]
    return {"width": W, "height": height, "left": LEFT, "bars": bars, "bar": BAR, "ticks": ticks,
            "threshold_x": x_of(threshold), "axis_y": height - 24, "label_y": height - 8, "top": TOP - 6,
            "above": ABOVE, "below": BELOW}  # fmt: skip
