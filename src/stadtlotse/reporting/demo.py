"""The demo data of this part, built through its services: a published status report for Plauen
and Sindelfingen (the quarter up to today, so the demo's freshly made projects are in it), a
draft for Celle, and Plauen, Sindelfingen and Iserlohn taking part in the comparison."""

from datetime import timedelta

from django.utils import timezone

from stadtlotse.core.models import Municipality

from . import services

PUBLISH = ("plauen", "sindelfingen", "iserlohn")
DRAFT = ("celle",)
COMPARE = ("plauen", "sindelfingen", "iserlohn")


def _report(municipality: Municipality, publish: bool) -> None:
    today = timezone.localdate()
    start = today - timedelta(days=90)
    report = services.create_report(
        municipality=municipality, by=None, title=f"Statusbericht Digitalisierung {municipality.name}",
        period_start=start, period_end=today,
        introduction="Das Büro für Digitalisierung berichtet dem Rat und der Öffentlichkeit regelmäßig über den "
        "Stand der Digitalisierungsprojekte.",
    )  # fmt: skip
    if publish:
        services.publish_report(report_obj=report, by=None)


def load() -> None:
    """Reports and comparison settings; runs after every other part, so the reports hold their data."""
    for municipality in Municipality.objects.filter(slug__in=PUBLISH + DRAFT):
        _report(municipality, municipality.slug in PUBLISH)
    for municipality in Municipality.objects.filter(slug__in=COMPARE):
        services.set_comparison(municipality=municipality, opt_in=True, by=None)
