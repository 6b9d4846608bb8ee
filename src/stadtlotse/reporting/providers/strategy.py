"""The strategy's part of reports: progress per field of action, goal and indicator, from the
current (adopted, else in consultation) version the reader may read."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadtlotse.strategy import selectors
from stadtlotse.strategy.models import FieldOfAction, Goal, Section, VersionStatus

from ..sources import Column, Dataset, Period, Reader, SearchScope, Source, num

LIVE = [VersionStatus.ADOPTED, VersionStatus.CONSULTATION, VersionStatus.DRAFT]


class StrategySource(Source):
    key = "strategy"
    label = _("Strategy")

    def _versions(self, reader: Reader):
        return list(selectors.versions_visible_to(reader.user, reader.municipality).filter(status__in=LIVE))

    def section(self, reader: Reader, period: Period) -> dict | None:
        """Per strategy: its current version's fields of action with goals and indicators, as of
        the end of the period (readings after it are not counted)."""
        by_strategy: dict[int, list] = {}
        for version in self._versions(reader):
            by_strategy.setdefault(version.strategy_id, []).append(version)
        strategies = []
        for versions in by_strategy.values():
            version = selectors.current_version(versions)
            overview = selectors.version_overview(version, period.end)
            strategies.append({
                "title": version.strategy.title, "version": version.label or str(version.number),
                "status": version.get_status_display(), "fields": [_field(row, period) for row in overview.fields],
            })  # fmt: skip
        return {"strategies": strategies} if strategies else None

    def search_scopes(self, reader: Reader) -> list[SearchScope]:
        levels = list(reader.levels)
        slug = reader.municipality.slug

        def goal_url(row):
            return reverse("strategy:version-detail", kwargs={"slug": slug, "pk": row["version__strategy_id"],
                                                              "vpk": row["version_id"]})  # fmt: skip

        common = {"municipality": reader.municipality, "version__visibility__in": levels, "version__status__in": LIVE}
        return [
            SearchScope("goal", str(_("Goal")), Goal.objects.filter(**common), "title", ["description"],
                        ["version_id", "version__strategy_id"], goal_url),
            SearchScope("field", str(_("Field of action")), FieldOfAction.objects.filter(**common), "title",
                        ["description"], ["version_id", "version__strategy_id"], goal_url),
            SearchScope("section", str(_("Strategy text")), Section.objects.filter(**common), "heading", ["body"],
                        ["version_id", "version__strategy_id"], goal_url),
        ]  # fmt: skip

    def datasets(self) -> list[Dataset]:
        return [Dataset(
            "indicators", str(_("Indicators of the digital strategy")),
            str(_("Every indicator of the published strategy with baseline, target and the latest measured value.")),
            [Column("strategy", str(_("Strategy"))), Column("field_of_action", str(_("Field of action"))),
             Column("goal", str(_("Goal"))), Column("indicator", str(_("Indicator"))), Column("unit", str(_("Unit"))),
             Column("baseline", str(_("Baseline value")), "decimal"),
             Column("target", str(_("Target value")), "decimal"), Column("target_date", str(_("Target date")), "date"),
             Column("latest", str(_("Latest value")), "decimal"), Column("latest_date", str(_("Measured on")), "date"),
             Column("percent", str(_("Progress (%)")), "decimal")],
            _indicator_rows, _strategy_modified, ("Strategie", "Indikatoren"),
        )]  # fmt: skip


def _field(row, period: Period) -> dict:
    return {
        "title": row.field.title, "percent": num(row.rollup.percent), "track": str(row.rollup.track),
        "goals": [{
            "title": g.goal.title, "percent": num(g.rollup.percent), "track": str(g.rollup.track), "overdue": g.overdue,
            "indicators": [_indicator(i, period) for i in g.indicators],
        } for g in row.goals],
    }  # fmt: skip


def _indicator(row, period: Period) -> dict:
    readings = [r for r in row.readings if r.on <= period.end]
    latest = readings[-1] if readings else None
    return {
        "name": row.indicator.name, "unit": row.indicator.unit, "baseline": num(row.indicator.baseline_value),
        "target": num(row.indicator.target_value), "target_date": row.indicator.target_date.isoformat(),
        "latest": num(latest.value) if latest else None, "latest_date": latest.on.isoformat() if latest else None,
        "percent": num(row.result.percent), "track": str(row.result.track),
    }  # fmt: skip


def _public_overviews(municipality):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    today = timezone.localdate()
    versions = list(selectors.versions_visible_to(AnonymousUser(), municipality).filter(status__in=LIVE))
    by_strategy: dict[int, list] = {}
    for version in versions:
        by_strategy.setdefault(version.strategy_id, []).append(version)
    return [selectors.version_overview(selectors.current_version(v), today) for v in by_strategy.values()]


def _indicator_rows(municipality):
    for overview in _public_overviews(municipality):
        for field_row in overview.fields:
            for goal_row in field_row.goals:
                for i in goal_row.indicators:
                    latest = i.result.latest
                    yield {
                        "strategy": overview.version.strategy.title, "field_of_action": field_row.field.title,
                        "goal": goal_row.goal.title, "indicator": i.indicator.name, "unit": i.indicator.unit,
                        "baseline": i.indicator.baseline_value, "target": i.indicator.target_value,
                        "target_date": i.indicator.target_date, "latest": latest.value if latest else None,
                        "latest_date": latest.on if latest else None, "percent": i.result.percent,
                    }  # fmt: skip


def _strategy_modified(municipality):
    from django.db.models import Max

    from stadtlotse.strategy.models import Measurement, StrategyVersion

    a = StrategyVersion.objects.filter(municipality=municipality, visibility="public").aggregate(m=Max("modified"))["m"]
    b = Measurement.objects.filter(municipality=municipality).aggregate(m=Max("created"))["m"]
    return max([d for d in (a, b) if d], default=None)
