"""Schools' part of reports: the equity view of the current media development plan the edition
may read (lowest, median and highest index of the schools, and how many lag behind)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stadtlotse.schools import selectors

from ..sources import Period, Reader, Source, num


class SchoolsSource(Source):
    key = "schools"
    label = _("Schools")

    def section(self, reader: Reader, period: Period) -> dict | None:
        """The plan's spread of the equity index as of the period's end (six queries)."""
        plan = selectors.current_plan(reader.user, reader.municipality)
        if plan is None:
            return None
        evaluation = selectors.evaluate(plan, on=period.end)
        spread = evaluation.spread
        if spread is None:
            return None
        return {"plan": str(plan), "schools": spread.count, "lowest": num(spread.lowest), "median": num(spread.median),
                "highest": num(spread.highest), "below_threshold": len(spread.below),
                "equity_index": num(spread.median)}  # fmt: skip
