"""Writes of the portfolio (``portfolio/services.py``) and the pages that call them: status
transitions, optimistic locking, milestones, dependencies across municipalities, shared templates,
bad numbers (NaN, infinity, out of range) that must be refused with a clear message while nothing
is saved, and who may write at all.

Service messages are checked in English (``translation.override("en")``), page messages in the
German the pages speak.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import constants, get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Role
from stadtlotse.portfolio import selectors, services
from stadtlotse.portfolio.models import (
    TRANSITIONS,
    Assessment,
    Criterion,
    Decision,
    DecisionCriterion,
    DecisionScore,
    Dependency,
    Milestone,
    MilestoneStatus,
    PrioritySettings,
    Project,
    ProjectStatus,
    ProjectTemplate,
    StatusReport,
)

from ..conftest import make_user
from .conftest import make_decision

D = Decimal


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def new_project(municipality, title: str = "Bürgerportal", **fields) -> Project:
    fields.setdefault("visibility", "public")
    return services.create_project(municipality=municipality, by=None, title=title, **fields)


def error_messages(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request) if m.level == constants.ERROR]


# --- status transitions -------------------------------------------------------------------------

PAIRS = [(old, new) for old in ProjectStatus.values for new in ProjectStatus.values]


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{o}-to-{n}" for o, n in PAIRS])
def test_status_changes_follow_the_transitions(plauen, admin, english, old, new):
    project = new_project(plauen, status=old)
    if new in TRANSITIONS[old]:
        services.change_status(project=project, by=admin, status=new, on=date(2026, 3, 2))
        project = Project.objects.get(pk=project.pk)
        assert (project.status, project.lock_version) == (new, 1)
        assert project.history.latest().history_user == admin
    else:
        with pytest.raises(ValidationError) as caught:
            services.change_status(project=project, by=admin, status=new)
        old_label, new_label = ProjectStatus(old).label, ProjectStatus(new).label
        assert caught.value.message_dict == {"status": [f"A project cannot go from “{old_label}” to “{new_label}”."]}
        project = Project.objects.get(pk=project.pk)
        assert (project.status, project.lock_version) == (old, 0)


def test_refused_transition_names_both_statuses(plauen, admin, english):
    project = new_project(plauen)
    with pytest.raises(ValidationError, match="A project cannot go from “idea” to “completed”."):
        services.change_status(project=project, by=admin, status=ProjectStatus.COMPLETED)


def test_unknown_status_is_refused(plauen, admin, english):
    project = new_project(plauen)
    with pytest.raises(ValidationError) as caught:
        services.change_status(project=project, by=admin, status="fertig")
    assert caught.value.message_dict == {"status": ["Unknown status."]}
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.IDEA


def test_starting_sets_the_actual_start_and_completing_the_actual_end(plauen, admin):
    project = new_project(plauen, status=ProjectStatus.APPROVED)
    services.change_status(project=project, by=admin, status=ProjectStatus.IN_PROGRESS, on=date(2026, 1, 5))
    services.change_status(project=project, by=admin, status=ProjectStatus.PAUSED, on=date(2026, 2, 1))
    services.change_status(project=project, by=admin, status=ProjectStatus.IN_PROGRESS, on=date(2026, 3, 1))
    project = Project.objects.get(pk=project.pk)
    assert (project.actual_start, project.actual_end) == (date(2026, 1, 5), None)  # resuming keeps the start
    services.change_status(project=project, by=admin, status=ProjectStatus.COMPLETED, on=date(2026, 9, 30))
    project = Project.objects.get(pk=project.pk)
    assert (project.status, project.actual_start, project.actual_end) == ("completed", date(2026, 1, 5),
                                                                          date(2026, 9, 30))  # fmt: skip
    assert project.lock_version == 4


def test_reopening_a_completed_project_clears_its_actual_end(plauen, admin):
    project = new_project(plauen, status=ProjectStatus.IN_PROGRESS, actual_start=date(2025, 1, 1))
    services.change_status(project=project, by=admin, status=ProjectStatus.COMPLETED, on=date(2025, 6, 30))
    services.change_status(project=project, by=admin, status=ProjectStatus.PROPOSED, on=date(2026, 1, 10))
    assert Project.objects.get(pk=project.pk).actual_end is None


def test_status_cannot_be_changed_through_the_edit(plauen, admin, english):
    project = new_project(plauen)
    with pytest.raises(ValidationError) as caught:
        services.update_project(project=project, by=admin, status=ProjectStatus.COMPLETED)
    assert list(caught.value.message_dict) == ["status"]
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.IDEA


def test_status_buttons_on_the_project_page(plauen, staff, client_of):
    project = new_project(plauen, status=ProjectStatus.APPROVED)
    client = client_of(staff)
    page = client.get(f"/plauen/intern/projekte/{project.pk}/").content.decode()
    offered = set(re.findall(r'name="status" value="(\w+)"', page))
    assert offered == set(TRANSITIONS[ProjectStatus.APPROVED])
    response = client.post(f"/plauen/intern/projekte/{project.pk}/", {"status": "completed"})
    assert response.status_code == 302
    assert error_messages(response) == ["Ein Projekt kann nicht von „genehmigt“ zu „abgeschlossen“ wechseln."]
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.APPROVED
    response = client.post(f"/plauen/intern/projekte/{project.pk}/", {"status": "in_progress"})
    assert response.status_code == 302 and response["Location"].endswith("#status")
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.IN_PROGRESS


# --- optimistic locking -------------------------------------------------------------------------

STALE = "Someone else changed this project in the meantime. Reload the page, check their change, and enter yours again."


def test_second_save_over_a_stale_lock_version_is_refused_and_nothing_is_lost(plauen, staff, admin, english):
    project = new_project(plauen, summary="Alt")
    first, second = Project.objects.get(pk=project.pk), Project.objects.get(pk=project.pk)
    services.update_project(project=first, by=staff, lock_version=0, title="Bürgerportal 2.0")
    with pytest.raises(ValidationError) as caught:
        services.update_project(project=second, by=admin, lock_version=0, summary="Neu")
    assert caught.value.messages == [STALE]
    saved = Project.objects.get(pk=project.pk)
    assert (saved.title, saved.summary, saved.lock_version) == ("Bürgerportal 2.0", "Alt", 1)
    assert saved.history.count() == 2  # created, then the first change only
    assert saved.history.latest().history_user == staff
    # After reloading, the second editor saves on top of the first change.
    services.update_project(project=Project.objects.get(pk=project.pk), by=admin, lock_version=1, summary="Neu")
    saved = Project.objects.get(pk=project.pk)
    assert (saved.title, saved.summary, saved.lock_version) == ("Bürgerportal 2.0", "Neu", 2)


def test_stale_object_without_lock_version_is_refused_too(plauen, admin, english):
    project = new_project(plauen)
    stale = Project.objects.get(pk=project.pk)
    services.update_project(project=project, by=admin, title="Zuerst")
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.update_project(project=stale, by=admin, summary="Danach")
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.change_status(project=stale, by=admin, status=ProjectStatus.PROPOSED)
    saved = Project.objects.get(pk=project.pk)
    assert (saved.title, saved.summary, saved.status, saved.lock_version) == ("Zuerst", "", "idea", 1)


def test_status_change_makes_an_open_edit_form_stale(plauen, admin, english):
    project = new_project(plauen)
    services.change_status(project=Project.objects.get(pk=project.pk), by=admin, status=ProjectStatus.PROPOSED)
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.update_project(project=Project.objects.get(pk=project.pk), by=admin, lock_version=0, title="X")
    assert Project.objects.get(pk=project.pk).title == "Bürgerportal"


def test_refused_change_does_not_bump_the_lock_version(plauen, admin):
    project = new_project(plauen, planned_start=date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.update_project(project=project, by=admin, lock_version=0, planned_end=date(2025, 1, 1))
    assert Project.objects.get(pk=project.pk).lock_version == 0


def form_data(project: Project, **changes) -> dict:
    data = {
        "title": project.title, "external_id": project.external_id, "summary": project.summary,
        "description": project.description, "lead_department": project.lead_department_id or "",
        "lead_person": project.lead_person, "planned_start": project.planned_start or "",
        "planned_end": project.planned_end or "", "tags": project.tags, "visibility": project.visibility,
        "lock_version": project.lock_version,
    }  # fmt: skip
    data.update(changes)
    return data


def test_edit_page_refuses_a_form_opened_before_someone_elses_change(plauen, staff, admin, client_of):
    project = new_project(plauen)
    client = client_of(staff)
    url = f"/plauen/intern/projekte/{project.pk}/bearbeiten/"
    page = client.get(url).content.decode()
    assert re.search(r'name="lock_version" value="0"', page)
    opened = Project.objects.get(pk=project.pk)
    services.update_project(project=Project.objects.get(pk=project.pk), by=admin, lock_version=0, summary="Von Admin")
    response = client.post(url, form_data(opened, title="Vom Redakteur"))
    assert response.status_code == 200
    assert "Jemand anderes hat dieses Projekt inzwischen geändert." in response.content.decode()
    saved = Project.objects.get(pk=project.pk)
    assert (saved.title, saved.summary, saved.lock_version) == ("Bürgerportal", "Von Admin", 1)
    # With the current lock version the same form saves.
    response = client.post(url, form_data(saved, title="Vom Redakteur"))
    assert response.status_code == 302
    saved = Project.objects.get(pk=project.pk)
    assert (saved.title, saved.summary, saved.lock_version) == ("Vom Redakteur", "Von Admin", 2)


# --- milestones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        (MilestoneStatus.OPEN, date(2026, 5, 3), True),
        (MilestoneStatus.OPEN, date(2026, 5, 4), False),  # due today is not yet overdue
        (MilestoneStatus.OPEN, date(2026, 5, 5), False),
        (MilestoneStatus.DONE, date(2020, 1, 1), False),
        (MilestoneStatus.CANCELLED, date(2020, 1, 1), False),
    ],
)
def test_milestone_is_overdue_only_when_open_and_past_its_due_date(status, due, overdue):
    assert Milestone(title="M", due_date=due, status=status).is_overdue(date(2026, 5, 4)) is overdue


@time_machine.travel(date(2026, 5, 4), tick=False)
def test_overdue_milestones_are_counted_and_done_ones_drop_out(portfolio_world, staff, anonymous):
    world = portfolio_world
    rows = selectors.portfolio_rows(staff, world.municipality, today=date(2026, 5, 4))
    assert {(r.project.title, r.overdue_milestones, r.next_milestone.title) for r in rows} == {
        ("Projekt 00", 1, "Ausschreibung 00"), ("Projekt 01", 1, "Ausschreibung 01"),
        ("Projekt 02", 1, "Ausschreibung 02"), (world.internal.title, 1, world.internal.milestones.get().title),
    }  # fmt: skip
    # On its due date a milestone is not overdue yet.
    on_due = selectors.portfolio_rows(staff, world.municipality, today=date(2021, 6, 30))
    assert {r.overdue_milestones for r in on_due} == {0}

    tender = Milestone.objects.get(title="Ausschreibung 00")
    services.update_milestone(milestone=tender, by=staff, status=MilestoneStatus.DONE)
    tender.refresh_from_db()
    assert (tender.status, tender.done_date) == ("done", date(2026, 5, 4))
    row = next(r for r in selectors.portfolio_rows(staff, world.municipality, today=date(2026, 5, 4))
               if r.project == world.projects[0])  # fmt: skip
    assert (row.overdue_milestones, row.next_milestone.title) == (0, "Abnahme 00")
    body = anonymous.get(f"/plauen/projekte/{world.projects[0].pk}/").content.decode()
    assert "überfällig" not in body
    assert "überfällig" in anonymous.get(f"/plauen/projekte/{world.projects[1].pk}/").content.decode()
    # Reopened, it is overdue again and loses its done date.
    services.update_milestone(milestone=tender, by=staff, status=MilestoneStatus.OPEN)
    tender.refresh_from_db()
    assert (tender.status, tender.done_date, tender.is_overdue(date(2026, 5, 4))) == ("open", None, True)


def test_milestone_after_the_planned_end_needs_a_confirmation(plauen, staff, english):
    project = new_project(plauen, planned_start=date(2026, 1, 1), planned_end=date(2026, 12, 31))
    with pytest.raises(ValidationError) as caught:
        services.add_milestone(project=project, by=staff, title="Nachbesserung", due_date=date(2027, 1, 1))
    assert caught.value.message_dict == {"due_date": [
        "The milestone lies after the project's planned end (31.12.2026). Confirm to save it anyway."]}  # fmt: skip
    assert not Milestone.objects.exists()
    services.add_milestone(project=project, by=staff, title="Abschluss", due_date=date(2026, 12, 31))
    services.add_milestone(project=project, by=staff, title="Nachbesserung", due_date=date(2027, 1, 1),
                           confirm_after_end=True)  # fmt: skip
    assert list(Milestone.objects.values_list("title", flat=True)) == ["Abschluss", "Nachbesserung"]


def test_milestone_without_a_due_date_is_refused(plauen, staff, english):
    with pytest.raises(ValidationError, match="needs a due date"):
        services.add_milestone(project=new_project(plauen), by=staff, title="Irgendwann", due_date=None)
    assert not Milestone.objects.exists()


def test_second_report_for_a_period_is_refused(plauen, staff, english):
    project = new_project(plauen)
    report = {"period": "2026-Q1", "scope": "green", "time": "green", "budget": "red", "progress_percent": 10,
              "text": "Läuft"}  # fmt: skip
    services.add_status_report(project=project, by=staff, **report)
    with pytest.raises(ValidationError) as caught:
        services.add_status_report(project=project, by=staff, **{**report, "text": "Doppelt"})
    assert list(caught.value.message_dict) == ["period"]
    with pytest.raises(ValidationError):
        services.add_status_report(
            project=project, by=staff, **{**report, "period": "2026-Q2", "progress_percent": 101}
        )
    assert list(StatusReport.objects.values_list("text", flat=True)) == ["Läuft"]


# --- dependencies across municipalities ------------------------------------------------------------


def test_dependency_across_municipalities_is_refused(plauen, celle, admin, english):
    ours, theirs = new_project(plauen, "Portal Plauen"), new_project(celle, "Portal Celle")
    with pytest.raises(ValidationError) as caught:
        services.add_dependency(foundation=theirs, dependent=ours, by=admin)
    assert caught.value.messages == ["Both projects must belong to the same municipality."]
    with pytest.raises(ValidationError, match="same municipality"):
        services.add_dependency(foundation=theirs, dependent=ours, by=None)
    # Plauen's administrator may not touch Celle's project at all.
    with pytest.raises(PermissionDenied):
        services.add_dependency(foundation=ours, dependent=theirs, by=admin)
    assert not Dependency.objects.exists()


def test_project_page_does_not_offer_or_accept_another_towns_project_as_foundation(plauen, celle, admin, client_of):
    ours, theirs = new_project(plauen, "Portal Plauen"), new_project(celle, "Portal Celle")
    client = client_of(admin)
    url = f"/plauen/intern/projekte/{ours.pk}/"
    assert "Portal Celle" not in client.get(url).content.decode()
    response = client.post(url, {"add_dependency": "1", "d-foundation": theirs.pk, "d-note": ""})
    assert response.status_code == 200
    assert 'id="id_d-foundation_error"' in response.content.decode()
    assert not Dependency.objects.exists()


def test_project_led_by_another_towns_department_is_refused(plauen, celle, admin, english):
    foreign = core_services.create_department(municipality=celle, by=None, code="10", name="Celler Amt")
    with pytest.raises(ValidationError) as caught:
        services.create_project(municipality=plauen, by=admin, title="Fremd", lead_department=foreign)
    assert list(caught.value.message_dict) == ["lead_department"]
    assert not Project.objects.exists()


# --- shared templates ---------------------------------------------------------------------------


@pytest.fixture
def shared(plauen, admin) -> tuple[Project, ProjectTemplate]:
    project = new_project(
        plauen, "Digitale Schulanmeldung", summary="Anmeldung an Grundschulen online", description="Mit Servicekonto.",
        tags="Schule, Online", planned_start=date(2025, 1, 1), planned_end=date(2025, 12, 31),
    )  # fmt: skip
    template = services.publish_template(project=project, by=admin, milestones="Ausschreibung\nAbnahme")
    return project, template


def test_admin_publishes_a_project_as_template_without_dates_people_or_reports(shared, plauen):
    _project, template = shared
    template = ProjectTemplate.objects.get(pk=template.pk)
    assert (template.title, template.summary, template.description, template.tags) == (
        "Digitale Schulanmeldung", "Anmeldung an Grundschulen online", "Mit Servicekonto.", "Schule, Online",
    )  # fmt: skip
    # 364 days are 12.0 months of 30.4375 days.
    assert (template.published_by, template.typical_duration_months, template.milestones) == (
        plauen, 12, "Ausschreibung\nAbnahme",
    )  # fmt: skip


def test_celle_starts_a_project_from_plauens_template(shared, plauen, celle, celle_admin):
    source, template = shared
    project = services.create_from_template(
        template=template, municipality=celle, by=celle_admin, planned_start=date(2026, 3, 1)
    )
    project = Project.objects.get(pk=project.pk)
    assert (project.municipality, project.title, project.summary, project.tags, project.template) == (
        celle, "Digitale Schulanmeldung", "Anmeldung an Grundschulen online", "Schule, Online", template,
    )  # fmt: skip
    assert (project.status, project.visibility) == ("idea", "internal")
    # Twelve months after March 2026 is March 2027; the two milestones split the 365 days in halves.
    assert (project.planned_start, project.planned_end) == (date(2026, 3, 1), date(2027, 3, 1))
    assert list(project.milestones.values_list("municipality__slug", "title", "due_date")) == [
        ("celle", "Ausschreibung", date(2026, 8, 30)), ("celle", "Abnahme", date(2027, 3, 1)),
    ]  # fmt: skip
    # Plauen's project is untouched and keeps its milestones (none).
    assert Project.objects.filter(municipality=plauen).get() == source
    assert not source.milestones.exists()


def test_project_from_template_without_a_start_has_no_dates_or_milestones(shared, celle, celle_admin):
    _source, template = shared
    project = services.create_from_template(template=template, municipality=celle, by=celle_admin)
    assert (project.planned_start, project.planned_end, project.milestones.count()) == (None, None, 0)


def test_only_administrators_publish_templates(plauen, staff, council):
    project = new_project(plauen)
    for person in (staff, council):
        with pytest.raises(PermissionDenied):
            services.publish_template(project=project, by=person)
    assert not ProjectTemplate.objects.exists()


def test_templates_over_the_pages_publish_in_plauen_and_start_in_celle(plauen, celle, admin, celle_admin, client_of):
    source = new_project(plauen, "Digitale Schulanmeldung", planned_start=date(2025, 1, 1),
                         planned_end=date(2025, 12, 31))  # fmt: skip
    services.add_milestone(project=source, by=None, title="Ausschreibung", due_date=date(2025, 3, 1))
    services.add_milestone(project=source, by=None, title="Abnahme", due_date=date(2025, 12, 1))
    response = client_of(admin).post(f"/plauen/intern/projekte/{source.pk}/", {"publish_template": "1"})
    assert response.status_code == 302
    template = ProjectTemplate.objects.get()
    assert template.milestones == "Ausschreibung\nAbnahme"

    client = client_of(celle_admin)
    listing = client.get("/celle/intern/projekte/vorlagen/").content.decode()
    assert "Digitale Schulanmeldung" in listing and "Geteilt von Plauen" in listing
    response = client.post("/celle/intern/projekte/neu/", {"from_template": "1", "t-template": template.pk,
                                                            "t-planned_start": "2026-03-01"})  # fmt: skip
    created = Project.objects.get(municipality=celle)
    assert response.status_code == 302
    assert response["Location"] == f"/celle/intern/projekte/{created.pk}/"
    assert (created.template, created.planned_end, created.milestones.count()) == (template, date(2027, 3, 1), 2)


def test_plauen_staff_cannot_start_a_project_in_celle(shared, celle, staff, client_of):
    _source, template = shared
    with pytest.raises(PermissionDenied):
        services.create_from_template(template=template, municipality=celle, by=staff)
    response = client_of(staff).post("/celle/intern/projekte/neu/", {"from_template": "1", "t-template": template.pk})
    assert response.status_code == 403
    assert not Project.objects.filter(municipality=celle).exists()


# --- bad numbers: refused clearly, nothing saved -------------------------------------------------

NAN_CRASH = "BUG: comparing Decimal('NaN') raises decimal.InvalidOperation"


@pytest.fixture
def assessed(plauen):
    """A project with two scores (3 and 3) on the default criteria."""
    services.ensure_default_criteria(plauen)
    project = new_project(plauen)
    criteria = {c.key: c for c in Criterion.objects.filter(municipality=plauen)}
    services.assess_project(project=project, by=None, scores={criteria["citizen_benefit"].pk: ("3", "gut"),
                                                              criteria["efficiency"].pk: ("3", "")})  # fmt: skip
    return project, criteria


def assessment_snapshot() -> list[tuple]:
    return list(Assessment.objects.order_by("criterion_id").values_list("criterion__key", "score", "note"))


@pytest.mark.parametrize(
    "raw",
    [
        "NaN",  # fmt: skip
        "sNaN",
        "Infinity", "-Infinity", "1e3", "7", "5.5", "-1", "abc", "2.25", "2,25",
    ],
)  # fmt: skip
def test_bad_score_is_refused_and_no_score_of_the_batch_is_saved(assessed, staff, raw):
    project, criteria = assessed
    before = assessment_snapshot()
    scores = {criteria["citizen_benefit"].pk: ("5", "besser"), criteria["efficiency"].pk: (raw, "")}
    with pytest.raises(ValidationError) as caught:
        services.assess_project(project=project, by=staff, scores=scores)
    assert caught.value.messages
    assert assessment_snapshot() == before


def test_empty_score_removes_the_assessment_and_a_comma_is_a_decimal_point(assessed, staff):
    project, criteria = assessed
    scores = {criteria["citizen_benefit"].pk: ("4,5", "besser"), criteria["efficiency"].pk: ("", "")}
    services.assess_project(project=project, by=staff, scores=scores)
    assert assessment_snapshot() == [("citizen_benefit", D("4.5"), "besser")]


def test_score_messages_name_the_criterion_and_its_scale(assessed, staff, english):
    project, criteria = assessed
    efficiency = criteria["efficiency"]
    for raw, message in [
        ("7", "Effizienzgewinn der Verwaltung is scored from 0 to 5."),
        ("Infinity", "Effizienzgewinn der Verwaltung: enter a number with at most one decimal place."),
        ("viel", "Effizienzgewinn der Verwaltung: enter a number with at most one decimal place."),
        ("2.25", "Effizienzgewinn der Verwaltung: enter a number with at most one decimal place."),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.assess_project(project=project, by=staff, scores={efficiency.pk: (raw, "")})
        assert caught.value.message_dict == {f"score_{efficiency.pk}": [message]}
    with pytest.raises(ValidationError, match="decimal place"):
        services.assess_project(project=project, by=staff, scores={efficiency.pk: ("2.25", "")})


def test_derived_or_foreign_criterion_cannot_be_scored(assessed, celle, staff, english):
    project, criteria = assessed
    services.ensure_default_criteria(celle)
    foreign = Criterion.objects.filter(municipality=celle).first()
    for criterion in (criteria["foundation"], foreign):
        with pytest.raises(ValidationError, match="Unknown criterion."):
            services.assess_project(project=project, by=staff, scores={criterion.pk: ("3", "")})
    assert len(assessment_snapshot()) == 2


def test_assessment_form_with_nan_shows_an_error(assessed, staff, client_of):
    project, criteria = assessed
    client = client_of(staff)
    client.raise_request_exception = False
    response = client.post(f"/plauen/intern/projekte/{project.pk}/",
                           {"assess": "1", f"score_{criteria['efficiency'].pk}": "NaN"})  # fmt: skip
    assert response.status_code == 302
    assert error_messages(response)
    assert len(assessment_snapshot()) == 2


def decision_rows() -> tuple[int, list]:
    return Decision.objects.count(), list(DecisionCriterion.objects.values_list("name", "weight"))


@pytest.mark.parametrize(
    "weight",
    [
        "NaN",  # fmt: skip
        "10000",  # fmt: skip
        "Infinity", "-1", "abc", "", "0",
    ],
)  # fmt: skip
def test_bad_decision_weight_is_refused_and_nothing_is_saved(plauen, staff, weight):
    project = new_project(plauen)
    before = decision_rows()
    with pytest.raises(ValidationError) as caught:
        services.create_decision(project=project, by=staff, title="Fachverfahren", options=["A", "B"],
                                 criteria=[("Kosten", weight), ("Datenschutz", "0")])  # fmt: skip
    assert caught.value.messages
    assert decision_rows() == before


def test_decision_needs_two_options_and_a_criterion(plauen, staff, english):
    project = new_project(plauen)
    with pytest.raises(ValidationError) as caught:
        services.create_decision(project=project, by=staff, title="T", options=["A", " "], criteria=[("K", 1)])
    assert caught.value.message_dict == {"options": ["A decision needs at least two options."]}
    with pytest.raises(ValidationError) as caught:
        services.create_decision(project=project, by=staff, title="T", options=["A", "B"], criteria=[(" ", 1)])
    assert caught.value.message_dict == {"criteria": ["A decision needs at least one criterion."]}
    with pytest.raises(ValidationError) as caught:
        services.create_decision(project=project, by=staff, title="T", options=["A", "B"], criteria=[("K", "x")])
    assert caught.value.message_dict == {
        "criteria": ["Every weight must be a number from 0 to 9,999 with at most two decimal places."]
    }
    assert not Decision.objects.exists()


def test_decision_form_with_nan_weight_shows_an_error(plauen, staff, client_of):
    project = new_project(plauen)
    client = client_of(staff)
    client.raise_request_exception = False
    response = client.post(f"/plauen/intern/projekte/{project.pk}/", {
        "add_decision": "1", "n-title": "Fachverfahren", "n-question": "", "n-options": "A\nB",
        "n-criteria": "Kosten; NaN\nDatenschutz; 40"})  # fmt: skip
    assert response.status_code == 200
    assert not Decision.objects.exists()


def score_table(decision) -> dict:
    return {(s.option_id, s.criterion_id): s.score for s in DecisionScore.objects.filter(option__decision=decision)}


@pytest.mark.parametrize(
    "raw",
    [
        "NaN",  # fmt: skip
        "5.55",  # fmt: skip
        "Infinity", "-Infinity", "11", "-0.5", "abc", "1e2",
    ],
)  # fmt: skip
def test_bad_decision_score_is_refused_and_the_old_scores_stay(plauen, staff, raw):
    decision = make_decision(new_project(plauen), "Fachverfahren", decided=False)
    before = score_table(decision)
    option, criterion = decision.options.first(), decision.criteria.first()
    other = decision.options.last()
    with pytest.raises(ValidationError):
        services.set_decision_scores(decision=decision, by=staff, scores={(other.pk, criterion.pk): "7",
                                                                          (option.pk, criterion.pk): raw})  # fmt: skip
    assert score_table(decision) == before
    assert len(before) == 4


def test_scores_of_another_decision_are_refused(plauen, staff, english):
    project = new_project(plauen)
    ours, theirs = make_decision(project, "Eins", decided=False), make_decision(project, "Zwei", decided=False)
    before = score_table(ours)
    foreign_option = theirs.options.first()
    with pytest.raises(ValidationError, match="Unknown option or criterion."):
        services.set_decision_scores(decision=ours, by=staff,
                                     scores={(foreign_option.pk, ours.criteria.first().pk): "5"})  # fmt: skip
    assert score_table(ours) == before


def test_decision_page_with_a_nan_score_shows_an_error(plauen, staff, client_of):
    decision = make_decision(new_project(plauen), "Fachverfahren", decided=False)
    before = score_table(decision)
    option, criterion = decision.options.first(), decision.criteria.first()
    client = client_of(staff)
    client.raise_request_exception = False
    response = client.post(f"/plauen/projekte/entscheidungen/{decision.pk}/",
                           {"scores": "1", f"s_{option.pk}_{criterion.pk}": "NaN"})  # fmt: skip
    assert response.status_code == 302
    assert error_messages(response)
    assert score_table(decision) == before


def test_decision_page_with_an_out_of_range_score_shows_a_german_error(plauen, staff, client_of):
    decision = make_decision(new_project(plauen), "Fachverfahren", decided=False)
    before = score_table(decision)
    option, criterion = decision.options.first(), decision.criteria.first()
    response = client_of(staff).post(f"/plauen/projekte/entscheidungen/{decision.pk}/",
                                     {"scores": "1", f"s_{option.pk}_{criterion.pk}": "12"})  # fmt: skip
    assert response.status_code == 302
    assert error_messages(response) == ["Jede Bewertung muss eine Zahl von 0 bis 10 sein."]
    assert score_table(decision) == before


# --- the criteria page ------------------------------------------------------------------------------

CRITERIA_URL = "/plauen/intern/projekte/kriterien/"


def criteria_form(municipality, **changes) -> dict:
    settings = PrioritySettings.objects.get(municipality=municipality)
    data = {f"weight_{c.pk}": str(c.weight) for c in Criterion.objects.filter(municipality=municipality)}
    data.update(scheme=settings.scheme, quick_win_min_impact=str(settings.quick_win_min_impact),
                quick_win_max_effort=str(settings.quick_win_max_effort),
                quick_win_max_months=str(settings.quick_win_max_months))  # fmt: skip
    data.update(changes)
    return data


def criteria_snapshot(municipality) -> tuple:
    settings = PrioritySettings.objects.get(municipality=municipality)
    return (
        list(Criterion.objects.filter(municipality=municipality).values_list("key", "weight")),
        (settings.scheme, settings.quick_win_min_impact, settings.quick_win_max_effort, settings.quick_win_max_months),
        Criterion.history.count(), PrioritySettings.history.count(),
    )  # fmt: skip


def test_admin_saves_weights_and_thresholds(plauen, admin, client_of):
    services.ensure_default_criteria(plauen)
    benefit = Criterion.objects.get(municipality=plauen, key="citizen_benefit")
    data = criteria_form(plauen, **{f"weight_{benefit.pk}": "25,5", "quick_win_min_impact": "55",
                                    "quick_win_max_months": "9", "scheme": "wibe"})  # fmt: skip
    response = client_of(admin).post(CRITERIA_URL, data)
    assert response.status_code == 302
    benefit.refresh_from_db()
    settings = PrioritySettings.objects.get(municipality=plauen)
    assert benefit.weight == D("25.5")
    assert (settings.scheme, settings.quick_win_min_impact, settings.quick_win_max_months) == ("wibe", D(55), 9)


BAD_CRITERIA = [
    pytest.param("quick_win_max_months", "NaN"),  # fmt: skip
    pytest.param("quick_win_max_months", "Infinity"),  # fmt: skip
    pytest.param("weight", "NaN"),  # fmt: skip
    ("quick_win_max_months", "abc"),
    ("quick_win_max_months", "-1"),
    ("quick_win_min_impact", "NaN"),
    ("quick_win_min_impact", "Infinity"),
    ("quick_win_min_impact", "150"),
    ("quick_win_max_effort", "-5"),
    ("quick_win_max_effort", ""),
    ("weight", "Infinity"),
    ("weight", "-1"),
    ("weight", "viel"),
    ("weight", ""),
]


@pytest.mark.parametrize(("field", "raw"), BAD_CRITERIA)
def test_bad_number_on_the_criteria_page_is_refused_and_nothing_is_saved(plauen, admin, client_of, field, raw):
    services.ensure_default_criteria(plauen)
    effort = Criterion.objects.get(municipality=plauen, key="effort")
    benefit = Criterion.objects.get(municipality=plauen, key="citizen_benefit")
    before = criteria_snapshot(plauen)
    # A valid change goes along with the bad one: it must not be saved alone.
    changes = {f"weight_{benefit.pk}": "33", "quick_win_max_months": "12"}
    changes[f"weight_{effort.pk}" if field == "weight" else field] = raw
    client = client_of(admin)
    client.raise_request_exception = False
    response = client.post(CRITERIA_URL, criteria_form(plauen, **changes))
    assert response.status_code == 200
    assert 'class="kern-alert kern-alert--danger" role="alert"' in response.content.decode()
    assert criteria_snapshot(plauen) == before


def test_criteria_page_names_the_criterion_with_a_bad_weight_in_german(plauen, admin, client_of):
    services.ensure_default_criteria(plauen)
    effort = Criterion.objects.get(municipality=plauen, key="effort")
    response = client_of(admin).post(CRITERIA_URL, criteria_form(plauen, **{f"weight_{effort.pk}": "-1"}))
    assert "Aufwand und Ressourcen: Das Gewicht darf nicht negativ sein." in response.content.decode()
    response = client_of(admin).post(CRITERIA_URL, criteria_form(plauen, quick_win_max_months="sechs"))
    assert "Die Schwellen für Quick Wins müssen Zahlen sein." in response.content.decode()


def test_criteria_page_refuses_all_weights_zero(plauen, admin, client_of):
    services.ensure_default_criteria(plauen)
    before = criteria_snapshot(plauen)
    zero = {f"weight_{c.pk}": "0" for c in Criterion.objects.filter(municipality=plauen, scheme="default")}
    response = client_of(admin).post(CRITERIA_URL, criteria_form(plauen, **zero))
    assert response.status_code == 200
    assert error_messages(response)
    assert criteria_snapshot(plauen) == before


@pytest.mark.parametrize("persona", ["staff", "council", "reader"])
def test_only_administrators_change_criteria(plauen, request, client_of, persona):
    services.ensure_default_criteria(plauen)
    before = criteria_snapshot(plauen)
    benefit = Criterion.objects.get(municipality=plauen, key="citizen_benefit")
    client = client_of(request.getfixturevalue(persona))
    assert client.post(CRITERIA_URL, criteria_form(plauen, **{f"weight_{benefit.pk}": "99"})).status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_criterion(criterion=benefit, by=request.getfixturevalue(persona), weight=D(99))
    with pytest.raises(PermissionDenied):
        services.update_priority_settings(municipality=plauen, by=request.getfixturevalue(persona), scheme="wibe")
    assert criteria_snapshot(plauen) == before


# --- who may write ---------------------------------------------------------------------------------


def world_snapshot(world) -> tuple:
    return (
        list(Project.objects.order_by("pk").values_list("title", "status", "lock_version", "lead_department")),
        Milestone.objects.count(), StatusReport.objects.count(),
        list(Assessment.objects.order_by("pk").values_list("pk", "score")), Decision.objects.count(),
        list(DecisionScore.objects.order_by("pk").values_list("score", flat=True)), Dependency.objects.count(),
        ProjectTemplate.objects.count(),
    )  # fmt: skip


def write_actions(world, project: Project) -> dict:
    """Every write on ``project`` (and the municipality), as functions of the acting person."""
    decision = Decision.objects.filter(project=project).first() or make_decision(project, "Offen", decided=False)
    option, criterion = decision.options.first(), decision.criteria.first()
    return {
        "update_project": lambda by: services.update_project(project=project, by=by, title="Gekapert"),
        "change_status": lambda by: services.change_status(project=project, by=by, status=ProjectStatus.CANCELLED),
        "add_milestone": lambda by: services.add_milestone(
            project=project, by=by, title="M", due_date=date(2027, 1, 1)
        ),
        "add_status_report": lambda by: services.add_status_report(
            project=project,
            by=by,
            period="2026-Q2",
            scope="red",
            time="red",
            budget="red",
            progress_percent=1,
            text="Fremd",
        ),  # fmt: skip
        "assess_project": lambda by: services.assess_project(
            project=project, by=by, scores={world.criteria["efficiency"].pk: ("0", "")}
        ),  # fmt: skip
        "create_decision": lambda by: services.create_decision(
            project=project, by=by, title="T", options=["A", "B"], criteria=[("K", 1)]
        ),  # fmt: skip
        "set_decision_scores": lambda by: services.set_decision_scores(
            decision=decision, by=by, scores={(option.pk, criterion.pk): "0"}
        ),
        # Project 2 is, through the internal project, already a foundation of 0 and 1: no cycle.
        "add_dependency": lambda by: services.add_dependency(foundation=world.projects[2], dependent=project, by=by),
        "publish_template": lambda by: services.publish_template(project=project, by=by),
    }


ACTIONS = ["update_project", "change_status", "add_milestone", "add_status_report", "assess_project",
           "create_decision", "set_decision_scores", "add_dependency", "publish_template"]  # fmt: skip


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", ["citizen", "council", "committee", "reader", "finance", "celle_admin"])
def test_people_without_a_writing_role_cannot_write(portfolio_world, request, persona, action):
    world = portfolio_world
    person = request.getfixturevalue(persona)
    actions = write_actions(world, world.projects[0])
    before = world_snapshot(world)
    with pytest.raises(PermissionDenied):
        actions[action](person)
    assert world_snapshot(world) == before


@pytest.mark.parametrize("persona", ["citizen", "council", "reader", "celle_admin"])
def test_people_without_a_writing_role_cannot_create_projects(plauen, request, persona):
    with pytest.raises(PermissionDenied):
        services.create_project(municipality=plauen, by=request.getfixturevalue(persona), title="Neu")
    assert not Project.objects.exists()


@pytest.fixture
def school_editor(portfolio_world):
    """An editor limited to the schools department (which leads the odd projects)."""
    user = make_user("schulredaktion")
    core_services.grant_role(municipality=portfolio_world.municipality, user=user, role=Role.EDITOR, by=None,
                             departments=[portfolio_world.schools])  # fmt: skip
    return user


@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "publish_template"])
def test_editor_limited_to_another_department_cannot_write(portfolio_world, school_editor, action):
    world = portfolio_world
    it_project = world.projects[0]
    assert it_project.lead_department == world.it
    actions = write_actions(world, it_project)
    before = world_snapshot(world)
    with pytest.raises(PermissionDenied):
        actions[action](school_editor)
    assert world_snapshot(world) == before


@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "publish_template"])
def test_editor_limited_to_a_department_writes_on_its_projects(portfolio_world, school_editor, action):
    world = portfolio_world
    school_project = world.projects[1]
    assert school_project.lead_department == world.schools
    actions = write_actions(world, school_project)
    before = world_snapshot(world)
    actions[action](school_editor)
    assert world_snapshot(world) != before


def test_editor_limited_to_a_department_creates_projects_only_for_it(portfolio_world, school_editor):
    world = portfolio_world
    count = Project.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_project(municipality=world.municipality, by=school_editor, title="Fremd",
                                lead_department=world.it)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.create_project(municipality=world.municipality, by=school_editor, title="Ohne Amt")
    assert Project.objects.count() == count
    services.create_project(municipality=world.municipality, by=school_editor, title="Eigenes",
                            lead_department=world.schools)  # fmt: skip
    assert Project.objects.count() == count + 1


def test_editor_limited_to_a_department_cannot_move_a_project_to_another(portfolio_world, school_editor):
    world = portfolio_world
    project = world.projects[1]
    with pytest.raises(PermissionDenied):
        services.update_project(project=project, by=school_editor, lead_department=world.it)
    assert Project.objects.get(pk=project.pk).lead_department == world.schools


@pytest.mark.parametrize("persona", ["citizen", "council", "reader"])
def test_project_page_refuses_writes_of_people_without_a_writing_role(portfolio_world, request, client_of, persona):
    world = portfolio_world
    before = world_snapshot(world)
    client = client_of(request.getfixturevalue(persona))
    url = f"/plauen/intern/projekte/{world.projects[0].pk}/"
    posts = [
        {"status": "paused"}, {"add_milestone": "1", "m-title": "M", "m-due_date": "2027-01-01"},
        {"assess": "1", f"score_{world.criteria['efficiency'].pk}": "0"}, {"publish_template": "1"},
    ]  # fmt: skip
    for data in posts:
        assert client.post(url, data).status_code == 403, data
    assert client.get(f"{url}bearbeiten/").status_code == 403
    assert world_snapshot(world) == before


def test_project_page_refuses_a_status_change_by_an_editor_of_another_department(
    portfolio_world, school_editor, client_of
):
    world = portfolio_world
    client = client_of(school_editor)
    it_url = f"/plauen/intern/projekte/{world.projects[0].pk}/"
    assert client.post(it_url, {"status": "paused"}).status_code == 403
    assert client.get(f"{it_url}bearbeiten/").status_code == 403
    assert Project.objects.get(pk=world.projects[0].pk).status == ProjectStatus.IN_PROGRESS
    school_url = f"/plauen/intern/projekte/{world.projects[1].pk}/"
    assert client.post(school_url, {"status": "in_progress"}).status_code == 302
    assert Project.objects.get(pk=world.projects[1].pk).status == ProjectStatus.IN_PROGRESS
