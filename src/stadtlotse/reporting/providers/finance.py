"""The finance part of reports (internal editions only: finance is internal planning data): the
medium-term plan from the period's year with the funding cliff; funding deadlines in the cockpit."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from stadtlotse.core.models import Visibility
from stadtlotse.finance import selectors
from stadtlotse.finance.plan import KINDS

from ..sources import Attention, Period, Reader, Source, num

DEADLINE_DAYS = 90


class FinanceSource(Source):
    key = "finance"
    label = _("Finance")

    def section(self, reader: Reader, period: Period) -> dict | None:
        """The financial plan (approved scenario) of the projects the edition may read, from the
        year the period ends, over the municipality's medium-term horizon (eight queries)."""
        if not reader.internal:
            return None
        first = period.end.year
        last = first + max(1, reader.municipality.medium_term_years) - 1
        result = selectors.plan_for(reader.user, reader.municipality, first_year=first, last_year=last,
                                    on=period.end)  # fmt: skip
        plan = result.plan
        return {
            "years": [{"year": y.year, **{k: num(y.costs[k]) for k in KINDS}, "cost": num(y.cost),
                       "grants": num(y.grants), "own_share": num(y.own_share), "savings": num(y.savings)}
                      for y in plan.years],
            "cliffs": [{"project": result.projects[c.project_id].title if c.project_id in result.projects else "",
                        "year": c.year, "last_grant_year": c.last_grant_year, "running_costs": num(c.running_costs),
                        "uncovered": num(c.uncovered)} for c in plan.cliffs],
            "net_present_value": num(plan.net_present_value),
        }  # fmt: skip

    def attention(self, reader: Reader, today) -> list[Attention]:
        if not reader.internal or Visibility.INTERNAL not in reader.levels:
            return []
        until = today + timedelta(DEADLINE_DAYS)
        soon = [p for p in selectors.open_programmes(today) if p.deadline and p.deadline <= until]
        soon.sort(key=lambda p: p.deadline)
        return [Attention("deadlines", str(_("Deadlines of funding programmes (next %(days)s days)")
                                           % {"days": DEADLINE_DAYS}),
                          [(p.name, f"{p.provider} · {p.deadline:%d.%m.%Y}", p.url) for p in soon])]  # fmt: skip
