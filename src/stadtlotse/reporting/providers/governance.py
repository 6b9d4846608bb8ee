"""Governance's part of reports: the digital pilots' coverage of the departments (a share and
the uncovered departments; no person is named)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stadtlotse.governance import selectors

from ..sources import Period, Reader, Source, num


class GovernanceSource(Source):
    key = "governance"
    label = _("Organisation")

    def section(self, reader: Reader, period: Period) -> dict | None:
        coverage = selectors.coverage_of(reader.municipality)
        if not coverage.total:
            return None
        return {"pilot_coverage_percent": num(coverage.percent), "departments": coverage.total,
                "uncovered": [d.name for d in coverage.uncovered]}  # fmt: skip
