"""The benchmark data generator at ``small`` size: the counts it reports are the rows in the
database, it refuses a second load under the same name, the same seed gives the same data, and the
main pages of every part answer for the administrator (so the page benchmark finds content)."""

from __future__ import annotations

import pytest
from bench.generate import SIZES, generate
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return generate("small")


def _count(model, municipality, **filters) -> int:
    return model.objects.filter(municipality=municipality, **filters).count()


def test_counts_are_the_rows_in_the_database(data):
    from stadtlotse.council.models import AgendaItem, ConsultationStep, Mandate, Meeting, Paper
    from stadtlotse.governance.models import Body, BodyMembership, Person
    from stadtlotse.portfolio.models import Project

    m, counts = data.municipality, data.counts
    spec = SIZES["small"]
    assert counts["projects"] == spec.projects == _count(Project, m) - counts.get("produced_projects", 0)
    assert counts["papers"] == spec.papers == _count(Paper, m)
    for model, key in ((ConsultationStep, "consultation_steps"), (AgendaItem, "agenda_items"), (Meeting, "meetings"),
                       (Mandate, "mandates"), (Body, "bodies"), (BodyMembership, "body_memberships"),
                       (Person, "people")):  # fmt: skip
        assert counts[key] == _count(model, m) > 0, key
    from stadtlotse.participation.models import Contribution, Profile, StatusChange, Support

    assert counts["comments"] == spec.comments == _count(Contribution, m, kind="comment")
    assert counts["ideas"] == spec.ideas == _count(Contribution, m, kind="idea")
    assert counts["citizens"] == spec.citizens == _count(Profile, m)
    assert counts["supports"] == _count(Support, m) > 0
    assert counts["status_changes"] == _count(StatusChange, m) > 0
    assert _count(Contribution, m, is_official=True) == counts["official_answers"] > 0
    not_shown = _count(Contribution, m, moderation__in=["hidden", "held"])
    assert not_shown == counts["hidden_contributions"] + counts["held_comments"]
    assert 0 < not_shown < counts["comments"] // 4
    from stadtlotse.schools.models import InventorySnapshot, MediaConcept, School

    assert counts["schools"] == spec.schools == _count(School, m)
    assert counts["inventory_snapshots"] == 3 * spec.schools == _count(InventorySnapshot, m)
    assert counts["media_concepts"] == _count(MediaConcept, m)
    assert counts["plan_cost_items"] > 0  # the plan produced a project with cost items
    from stadtlotse.finance.models import CostItem, Grant
    from stadtlotse.onlineservices.models import CatalogueEntry, Service, Usage
    from stadtlotse.reporting.models import PeriodReport

    assert counts["services"] == spec.services == _count(Service, m)
    assert counts["usage_months"] == _count(Usage, m) > 0
    assert CatalogueEntry.objects.count() == counts["catalogue_entries"]
    assert _count(CostItem, m) == counts["finance_cost_items"] + counts["plan_cost_items"]
    assert _count(Grant, m) == counts["finance_grants"] + counts["plan_grants"]
    published = PeriodReport.objects.filter(municipality=m, status="published")
    assert published.count() == counts["published_reports"] == spec.reports
    assert all(r.content.get("public") for r in published)
    # Some papers are not public (internal, confidential, or consulted only in non-public sessions).
    assert 0 < counts["non_public_papers"] < counts["papers"]
    assert all(seconds >= 0 for seconds in data.seconds.values())


def _rows(municipality) -> dict:
    """What the generator drew, without primary keys and timestamps of the database."""
    from stadtlotse.council.models import Paper
    from stadtlotse.participation.models import Contribution
    from stadtlotse.portfolio.models import Project
    from stadtlotse.schools.models import InventorySnapshot

    return {
        "papers": list(Paper.objects.filter(municipality=municipality).order_by("reference")
                       .values_list("reference", "title", "kind", "date", "visibility")),
        "projects": list(Project.objects.filter(municipality=municipality).order_by("external_id", "title")
                         .values_list("external_id", "title", "status", "visibility", "planned_start")),
        "comments": list(Contribution.objects.filter(municipality=municipality).order_by("created", "text")
                         .values_list("created", "text", "moderation", "status", "author_name")),
        "inventories": list(InventorySnapshot.objects.filter(municipality=municipality)
                            .order_by("school__name", "taken_on").values_list("school__name", "taken_on", "rooms")),
    }  # fmt: skip


def test_same_seed_same_data_and_no_second_load(data):
    from django.db import transaction

    with pytest.raises(ValueError):
        generate("small")
    with transaction.atomic():
        first = generate("small", slug="bench-again")
        drawn = _rows(first.municipality)
        transaction.set_rollback(True)
    second = generate("small", slug="bench-again")
    assert _rows(second.municipality) == drawn
    assert second.counts == first.counts
    assert len(drawn["papers"]) == SIZES["small"].papers
    assert _rows(data.municipality)["papers"] != drawn["papers"]  # another slug draws other data
    # The second municipality shares the catalogue with the first.
    from stadtlotse.onlineservices.models import CatalogueEntry

    assert CatalogueEntry.objects.count() == data.counts["catalogue_entries"]


def _pages(data) -> list[str]:
    from stadtlotse.council.models import Meeting, Paper

    slug = data.municipality.slug
    paper = Paper.objects.filter(municipality=data.municipality).first()
    meeting = Meeting.objects.filter(municipality=data.municipality).first()
    kw = {"slug": slug}
    return [
        reverse("governance:public-index", kwargs=kw),
        reverse("governance:index", kwargs=kw),
        reverse("governance:body-detail", kwargs={**kw, "pk": data.ids["body"]}),
        reverse("council:public-paper-list", kwargs=kw),
        reverse("council:paper-list", kwargs=kw),
        reverse("council:paper-detail", kwargs={**kw, "pk": paper.pk}),
        reverse("council:public-meeting-detail", kwargs={**kw, "pk": meeting.pk}),
        reverse("participation:public-index", kwargs=kw),
        reverse("participation:phase-detail", kwargs={**kw, "pk": data.ids["phase"]}),
        reverse("participation:contribution-detail", kwargs={**kw, "pk": data.ids["comment"]}),
        reverse("participation:idea-list", kwargs=kw),
        reverse("participation:moderation-log", kwargs=kw),
        reverse("schools:public-index", kwargs=kw),
        reverse("schools:index", kwargs=kw),
        reverse("schools:school-detail", kwargs={**kw, "pk": data.ids["school"]}),
        reverse("schools:plan-detail", kwargs={**kw, "pk": data.ids["plan"]}),
        reverse("onlineservices:public-index", kwargs=kw),
        reverse("onlineservices:index", kwargs=kw),
        reverse("onlineservices:overview", kwargs=kw),
        reverse("onlineservices:service-detail", kwargs={**kw, "pk": data.ids["service"]}),
        reverse("onlineservices:process-detail", kwargs={**kw, "pk": data.ids["process"]}),
        reverse("finance:plan", kwargs=kw),
        reverse("finance:budget", kwargs=kw),
        reverse("reporting:public-index", kwargs=kw),
        reverse("reporting:report", kwargs={**kw, "pk": data.ids["report"]}),
        reverse("reporting:index", kwargs=kw),
    ]


def test_key_pages_answer_for_the_administrator(data):
    client = Client()
    client.force_login(data.admin)
    for url in _pages(data):
        response = client.get(url)
        assert response.status_code == 200, url


def test_rules_the_services_enforce_hold(data):
    """Rows the generator bulk-inserts keep the rules the services would have checked."""
    from collections import Counter

    from django.db.models import F

    from stadtlotse.council.models import ConsultationStep, Mandate
    from stadtlotse.governance.models import BodyMembership
    from stadtlotse.onlineservices.models import MaturityAssessment, Service
    from stadtlotse.participation.models import Contribution, StatusChange, Support

    m = data.municipality
    current = Counter(BodyMembership.objects.filter(municipality=m, end__isnull=True)
                      .values_list("body_id", "person_id", "role"))  # fmt: skip
    assert current and max(current.values()) == 1  # nobody twice in one role of one body at a time
    steps = ConsultationStep.objects.filter(municipality=m)
    assert not steps.filter(date__isnull=True, meeting__isnull=True).exists()
    assert not steps.filter(meeting__isnull=False).exclude(meeting__body_id=F("body_id")).exists()
    assert not Mandate.objects.filter(municipality=m).exclude(paper__kind__in=["motion", "resolution"]).exists()
    replies = Contribution.objects.filter(municipality=m, parent__isnull=False)
    assert replies.exists()
    assert not replies.filter(parent__parent__isnull=False).exists()  # one level of replies
    assert not replies.exclude(parent__moderation="published").exists()
    assert not replies.exclude(phase_id=F("parent__phase_id")).exists()
    assert not Support.objects.filter(municipality=m, user_id=F("contribution__author_id")).exists()
    assert not Support.objects.filter(municipality=m, contribution__parent__isnull=False).exists()
    top = Contribution.objects.filter(municipality=m, parent__isnull=True)
    received = set(StatusChange.objects.filter(municipality=m, status="received").values_list("contribution_id",
                                                                                              flat=True))  # fmt: skip
    assert received == set(top.values_list("pk", flat=True))  # every suggestion starts "received"
    assert not top.filter(status="forwarded", department__isnull=True).exists()
    assert not StatusChange.objects.filter(municipality=m, status="rejected", reason="").exists()
    held = top.filter(moderation="held")
    assert not held.filter(author__isnull=False).exists() and not held.filter(phase__allow_anonymous=False).exists()
    for service in Service.objects.filter(municipality=m):
        latest = MaturityAssessment.objects.filter(service=service).order_by("-assessed_on", "-id").first()
        assert (latest.model, latest.level) == (service.maturity_model, service.maturity_level)
