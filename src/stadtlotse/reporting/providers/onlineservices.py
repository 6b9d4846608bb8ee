"""Online services' part of reports: how many services reach which maturity level and the
OZG-compliant share; services for the search and as a public dataset."""

from __future__ import annotations

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadtlotse.onlineservices import figures, selectors

from ..sources import Column, Dataset, Period, Reader, SearchScope, Source, num


class OnlineServicesSource(Source):
    key = "onlineservices"
    label = _("Online services")

    def section(self, reader: Reader, period: Period) -> dict | None:
        """The level distribution (model 1.1) of the services the edition may read (one query of
        value rows)."""
        services = selectors.services_visible_to(reader.user, reader.municipality).select_related(None)
        facts = [figures.ServiceFacts(pk, "", model, level)
                 for pk, model, level in services.values_list("pk", "maturity_model", "maturity_level")]  # fmt: skip
        if not facts:
            return None
        dist = figures.distribution(facts, figures.MODEL_1_1)
        return {"total": dist.total, "levels": [{"level": level, "count": count, "share": num(share)}
                                                 for level, count, share in dist.rows],
                "compliant": dist.compliant, "maturity_share_percent": num(dist.compliant_share)}  # fmt: skip

    def search_scopes(self, reader: Reader) -> list[SearchScope]:
        slug = reader.municipality.slug

        def url(row):
            if reader.internal:
                return reverse("onlineservices:service-detail", kwargs={"slug": slug, "pk": row["pk"]})
            return reverse("onlineservices:public-index", kwargs={"slug": slug}) + f"#service-{row['pk']}"

        return [SearchScope("service", str(_("Online service")),
                            selectors.services_visible_to(reader.user, reader.municipality), "name",
                            ["description", "subject_area"], [], url)]  # fmt: skip

    def datasets(self) -> list[Dataset]:
        return [Dataset(
            "services", str(_("Online services")),
            str(_("The municipality's public services with their maturity level and online features.")),
            [Column("id", str(_("Number")), "integer"), Column("name", str(_("Name"))),
             Column("subject_area", str(_("Subject area"))),
             Column("maturity_level", str(_("Maturity level")), "integer"),
             Column("online_since", str(_("Online since")), "date"), Column("url", str(_("Address"))),
             Column("online_appointment", str(_("Online appointment")), "boolean"),
             Column("online_payment", str(_("Online payment")), "boolean")],
            _rows, lambda m: selectors.public_services(m).aggregate(m=Max("modified"))["m"], ("OZG", "Onlinedienste"),
        )]  # fmt: skip


def _rows(municipality):
    for s in selectors.public_services(municipality).order_by("pk"):
        yield {"id": s.pk, "name": s.name, "subject_area": s.subject_area, "maturity_level": s.maturity_level,
               "online_since": s.online_since, "url": s.url, "online_appointment": s.online_appointment,
               "online_payment": s.online_payment}  # fmt: skip
