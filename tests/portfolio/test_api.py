"""The portfolio API (``portfolio/api.py``) under /api/v1/: its contract, errors as JSON, who may
read and write from outside (anonymous, citizens, another town's administrator), that the internal
project never leaks, and query counts that do not grow with the portfolio."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Role
from stadtlotse.portfolio import services
from stadtlotse.portfolio.models import (
    Assessment,
    Criterion,
    Dependency,
    Milestone,
    Project,
    ProjectStatus,
    StatusReport,
)

from ..conftest import make_user
from .conftest import INTERNAL_MARKER, SIZES, PortfolioWorld

API = "/api/v1/plauen"
PROJECT_KEYS = {
    "id", "external_id", "title", "summary", "description", "lead_department_id", "lead_person", "status",
    "planned_start", "planned_end", "actual_start", "actual_end", "tags", "visibility", "lock_version",
}  # fmt: skip


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def key_of(db):
    """An API token for a person: ``key_of(user)`` gives the headers to send."""

    def make(user) -> dict[str, str]:
        _token, key = core_services.create_api_token(user=user, name="Skript")
        return bearer(key)

    return make


def send(client: Client, method: str, url: str, data=None, **extra):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json", **extra)


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["detail"]
    return data


# --- reading ------------------------------------------------------------------------------------


def test_anonymous_lists_the_public_projects_page_by_page(portfolio_world, anonymous):
    world = portfolio_world
    data = anonymous.get(f"{API}/projects").json()
    assert data["count"] == 3
    assert [p["id"] for p in data["items"]] == [p.pk for p in world.projects]
    first = data["items"][0]
    assert set(first) == PROJECT_KEYS
    assert first == {
        "id": world.projects[0].pk, "external_id": "P-00", "title": "Projekt 00", "summary": "Zusammenfassung 00",
        "description": "", "lead_department_id": world.it.pk, "lead_person": "", "status": "in_progress",
        "planned_start": "2022-01-01", "planned_end": "2028-12-31", "actual_start": "2022-02-01", "actual_end": None,
        "tags": "Infrastruktur", "visibility": "public", "lock_version": 0,
    }  # fmt: skip
    page = anonymous.get(f"{API}/projects?limit=1&offset=1").json()
    assert (page["count"], [p["title"] for p in page["items"]]) == (3, ["Projekt 01"])


def test_project_list_filters_and_sorts(portfolio_world, anonymous, key_of, reader):
    world = portfolio_world

    def titles(query: str, **extra) -> list[str]:
        return [p["title"] for p in anonymous.get(f"{API}/projects?{query}", **extra).json()["items"]]

    assert titles("status=approved") == ["Projekt 01"]
    assert titles("q=projekt 02") == ["Projekt 02"]
    assert titles("q=P-01") == ["Projekt 01"]  # the own project number
    assert titles(f"department={world.schools.pk}") == ["Projekt 01"]
    # By priority: 55, 49 and 40 points for the public (see test_ranking).
    assert titles("sort=priority") == ["Projekt 00", "Projekt 01", "Projekt 02"]
    assert titles("sort=start") == ["Projekt 00", "Projekt 01", "Projekt 02"]
    # Inside, the internal project with 95 points comes first.
    assert titles("sort=priority", **key_of(reader)) == [world.internal.title, "Projekt 02", "Projekt 01",
                                                          "Projekt 00"]  # fmt: skip


@pytest.mark.parametrize(
    "query", ["sort=bogus", "status=fertig", "department=abc", "limit=-1", "quick_wins=vielleicht"]
)
def test_invalid_list_parameters_are_refused_as_json(portfolio_world, anonymous, query):
    assert_json_error(anonymous.get(f"{API}/projects?{query}"), 422)


def test_one_project_and_its_milestones_reports_and_foundations(portfolio_world, anonymous, key_of, reader):
    world = portfolio_world
    p0, p1 = world.projects[0], world.projects[1]
    assert anonymous.get(f"{API}/projects/{p0.pk}").json()["title"] == "Projekt 00"
    milestones = anonymous.get(f"{API}/projects/{p0.pk}/milestones").json()
    assert [(m["title"], m["due_date"], m["status"], m["done_date"]) for m in milestones] == [
        ("Ausschreibung 00", "2021-06-30", "open", None), ("Abnahme 00", "2028-06-30", "open", None),
    ]  # fmt: skip
    reports = anonymous.get(f"{API}/projects/{p0.pk}/reports").json()
    assert [(r["period"], r["scope"], r["time"], r["progress_percent"], r["text"]) for r in reports] == [
        ("2025-Q4", "green", "green", 10, "Bericht 00"),
    ]  # fmt: skip
    foundations = anonymous.get(f"{API}/projects/{p1.pk}/dependencies").json()
    assert [(d["foundation_id"], d["dependent_id"]) for d in foundations] == [(p0.pk, p1.pk)]
    # The internal foundation of project 00 is left out for the public, not for the administration.
    assert anonymous.get(f"{API}/projects/{p0.pk}/dependencies").json() == []
    inside = anonymous.get(f"{API}/projects/{p0.pk}/dependencies", **key_of(reader)).json()
    assert [d["foundation_id"] for d in inside] == [world.internal.pk]


def test_ranking_by_hand(portfolio_world, anonymous, key_of, admin):
    world = portfolio_world
    data = anonymous.get(f"{API}/ranking").json()
    assert data["scheme"] == "default"
    assert [c["key"] for c in data["criteria"]] == [key for key, *_rest in services.DEFAULT_CRITERIA]
    assert [(r["title"], r["rank"], r["score"], r["quick_win"], r["complete"]) for r in data["ranking"]] == [
        ("Projekt 00", 1, "55.0", False, True), ("Projekt 01", 2, "49.0", False, True),
        ("Projekt 02", 3, "40.0", False, True),
    ]  # fmt: skip
    first = data["ranking"][0]
    assert (first["impact"], first["effort"]) == ("51.3", "30.0")
    assert first["contributions"][str(world.criteria["foundation"].pk)] == "15.0"
    inside = anonymous.get(f"{API}/ranking", **key_of(admin)).json()
    top_two = [(r["project_id"], r["score"]) for r in inside["ranking"]][:2]
    assert top_two == [(world.internal.pk, "95.0"), (world.projects[2].pk, "55.0")]
    wibe = anonymous.get(f"{API}/ranking?scheme=wibe").json()
    assert wibe["scheme"] == "wibe"
    assert [c["scale_max"] for c in wibe["criteria"]] == [10] * 7
    assert {r["score"] for r in wibe["ranking"]} == {"0.0"}  # nobody is assessed in WiBe


def test_ranking_errors_are_json(portfolio_world, anonymous):
    assert_json_error(anonymous.get(f"{API}/ranking?scheme=bogus"), 422)
    Criterion.objects.filter(municipality=portfolio_world.municipality, scheme="default").update(weight=0)
    data = assert_json_error(anonymous.get(f"{API}/ranking"), 422)
    assert data["errors"] == {"__all__": ["The weights of the criteria sum to zero."]}


def test_sequencing_for_the_public_and_for_the_administration(portfolio_world, anonymous, key_of, admin):
    world = portfolio_world
    p0, p1, p2 = world.projects
    public = anonymous.get(f"{API}/sequencing").json()
    assert public == {
        "order": [p0.pk, p1.pk, p2.pk],
        "violations": [{"foundation_id": p0.pk, "dependent_id": p1.pk, "foundation_end": "2028-12-31",
                        "dependent_start": "2023-01-01"}],
    }  # fmt: skip
    inside = anonymous.get(f"{API}/sequencing", **key_of(admin)).json()
    # Project 2 → internal → project 0 → project 1.
    assert inside["order"] == [p2.pk, world.internal.pk, p0.pk, p1.pk]
    assert len(inside["violations"]) == 3


def test_decisions_with_their_weighted_totals(portfolio_world, anonymous, key_of, reader):
    world = portfolio_world
    data = anonymous.get(f"{API}/decisions").json()
    assert [d["id"] for d in data] == [d.pk for d in world.decisions]
    decision = data[0]
    chosen = world.decisions[0].chosen
    assert (decision["title"], decision["visibility"], decision["chosen_id"], decision["decided_on"]) == (
        "Beschaffung Projekt 00", "public", chosen.pk, "2025-03-01",
    )  # fmt: skip
    assert [(c["name"], c["weight"]) for c in decision["criteria"]] == [("Kosten", "60.00"), ("Datenschutz", "40.00")]
    # (60 × 6 + 40 × 9) / 100 = 7.2 and (60 × 8 + 40 × 5) / 100 = 6.8.
    assert [(o["name"], o["total"], o["rank"]) for o in decision["options"]] == [
        ("Produkt A", "7.20", 1), ("Produkt B", "6.80", 2),
    ]  # fmt: skip
    inside = anonymous.get(f"{API}/decisions", **key_of(reader)).json()
    assert world.internal_decision.pk in {d["id"] for d in inside}


# --- writing ------------------------------------------------------------------------------------


def test_admin_creates_a_project(plauen, celle, anonymous, key_of, admin):
    it = core_services.create_department(municipality=plauen, by=None, code="10", name="IT")
    payload = {"title": "E-Akte", "lead_department_id": it.pk, "planned_start": "2026-01-01"}
    response = send(anonymous, "post", f"{API}/projects", payload, **key_of(admin))
    assert response.status_code == 201, response.content
    data = response.json()
    project = Project.objects.get(pk=data["id"])
    assert (project.municipality, project.title, project.lead_department, project.status, project.visibility) == (
        plauen, "E-Akte", it, "idea", "internal",
    )  # fmt: skip
    assert (data["status"], data["visibility"], data["lock_version"], data["planned_start"]) == (
        "idea", "internal", 0, "2026-01-01",
    )  # fmt: skip
    assert project.history.get().history_user == admin
    foreign = core_services.create_department(municipality=celle, by=None, code="10", name="Celler Amt")
    assert_json_error(send(anonymous, "post", f"{API}/projects", {"title": "X", "lead_department_id": foreign.pk},
                           **key_of(admin)), 404)  # fmt: skip
    assert_json_error(send(anonymous, "post", f"{API}/projects", {"title": ""}, **key_of(admin)), 422)
    assert_json_error(send(anonymous, "post", f"{API}/projects", {"title": "X", "visibility": "geheim"},
                           **key_of(admin)), 422)  # fmt: skip
    data = assert_json_error(send(anonymous, "post", f"{API}/projects", {"title": "X", "planned_start": "2026-02-01",
                                  "planned_end": "2026-01-01"}, **key_of(admin)), 422)  # fmt: skip
    assert list(data["errors"]) == ["planned_end"]
    assert Project.objects.count() == 1


def test_patch_with_lock_version_refuses_a_stale_write(portfolio_world, anonymous, key_of, admin, staff):
    project = portfolio_world.projects[0]
    url = f"{API}/projects/{project.pk}"
    response = send(anonymous, "patch", url, {"summary": "Neu", "lock_version": 0}, **key_of(staff))
    assert response.status_code == 200, response.content
    assert (response.json()["summary"], response.json()["lock_version"]) == ("Neu", 1)
    stale = assert_json_error(send(anonymous, "patch", url, {"title": "Überschrieben", "lock_version": 0},
                                   **key_of(admin)), 409)  # fmt: skip
    assert stale["detail"].startswith("Jemand anderes hat dieses Projekt inzwischen geändert.")
    saved = Project.objects.get(pk=project.pk)
    assert (saved.title, saved.summary, saved.lock_version) == ("Projekt 00", "Neu", 1)
    # A field not in the schema, like the status, is not changed by PATCH.
    response = send(anonymous, "patch", url, {"status": "completed", "lead_person": "Frau Muster"}, **key_of(admin))
    assert response.status_code == 200
    saved = Project.objects.get(pk=project.pk)
    assert (saved.status, saved.lead_person, saved.lock_version) == ("in_progress", "Frau Muster", 2)


def test_status_changes_along_the_transitions(portfolio_world, anonymous, key_of, staff):
    project = portfolio_world.projects[0]
    url = f"{API}/projects/{project.pk}/status"
    refused = assert_json_error(send(anonymous, "post", url, {"status": "idea"}, **key_of(staff)), 422)
    assert refused["errors"] == {"status": ["Ein Projekt kann nicht von „in Arbeit“ zu „Idee“ wechseln."]}
    assert_json_error(send(anonymous, "post", url, {"status": "fertig"}, **key_of(staff)), 422)
    response = send(anonymous, "post", url, {"status": "completed"}, **key_of(staff))
    assert response.status_code == 200
    assert response.json()["status"] == "completed" and response.json()["actual_end"] is not None
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.COMPLETED


def test_milestones_over_the_api(portfolio_world, anonymous, key_of, staff):
    project = portfolio_world.projects[0]
    url = f"{API}/projects/{project.pk}/milestones"
    late = assert_json_error(send(anonymous, "post", url, {"title": "Nachlauf", "due_date": "2029-03-01"},
                                  **key_of(staff)), 422)  # fmt: skip
    assert list(late["errors"]) == ["due_date"]
    response = send(anonymous, "post", url, {"title": "Nachlauf", "due_date": "2029-03-01", "confirm_after_end": True},
                    **key_of(staff))  # fmt: skip
    assert response.status_code == 201
    milestone = Milestone.objects.get(pk=response.json()["id"])
    assert (milestone.project, milestone.title, milestone.due_date) == (project, "Nachlauf", date(2029, 3, 1))
    acceptance = Milestone.objects.get(project=project, title="Abnahme 00")
    response = send(anonymous, "patch", f"{API}/milestones/{acceptance.pk}", {"status": "done"}, **key_of(staff))
    assert response.status_code == 200
    assert response.json()["status"] == "done" and response.json()["done_date"] is not None
    assert_json_error(send(anonymous, "post", url, {"title": "", "due_date": "2026-01-01"}, **key_of(staff)), 422)
    assert_json_error(send(anonymous, "post", url, {"title": "Ohne Datum"}, **key_of(staff)), 422)
    assert_json_error(send(anonymous, "patch", f"{API}/milestones/{acceptance.pk}", {"status": "vielleicht"},
                           **key_of(staff)), 422)  # fmt: skip
    assert Milestone.objects.filter(project=project).count() == 3


def test_confirmed_late_milestone_can_be_marked_done(portfolio_world, anonymous, key_of, staff):
    project = portfolio_world.projects[0]
    late = services.add_milestone(project=project, by=None, title="Nachlauf", due_date=date(2029, 3, 1),
                                  confirm_after_end=True)  # fmt: skip
    response = send(anonymous, "patch", f"{API}/milestones/{late.pk}", {"status": "done"}, **key_of(staff))
    assert response.status_code == 200, response.content
    assert Milestone.objects.get(pk=late.pk).status == "done"


def test_dependencies_over_the_api(portfolio_world, celle, anonymous, key_of, admin):
    world = portfolio_world
    p0, p1, p2 = world.projects
    url = f"{API}/projects/{p0.pk}/dependencies"
    # 0 → 1 exists: 1 as a foundation of 0 closes a cycle, named in order.
    cycle = assert_json_error(send(anonymous, "post", url, {"foundation_id": p1.pk}, **key_of(admin)), 422)
    assert "Projekt 01 → Projekt 00 → Projekt 01" in cycle["detail"]
    theirs = services.create_project(municipality=celle, by=None, title="Celle", visibility="public")
    assert_json_error(send(anonymous, "post", url, {"foundation_id": theirs.pk}, **key_of(admin)), 404)
    response = send(anonymous, "post", url, {"foundation_id": p2.pk, "note": "Server zuerst"}, **key_of(admin))
    assert response.status_code == 201
    assert response.json() == {"id": response.json()["id"], "foundation_id": p2.pk, "dependent_id": p0.pk,
                               "note": "Server zuerst"}  # fmt: skip
    assert Dependency.objects.filter(foundation=p2, dependent=p0).exists()


def test_status_reports_over_the_api(portfolio_world, anonymous, key_of, pilot):
    project = portfolio_world.projects[0]
    url = f"{API}/projects/{project.pk}/reports"
    report = {"period": "2026-Q1", "scope": "green", "time": "yellow", "budget": "red", "progress_percent": 40,
              "text": "Ausschreibung läuft"}  # fmt: skip
    response = send(anonymous, "post", url, report, **key_of(pilot))  # digital pilots report too
    assert response.status_code == 201, response.content
    assert response.json()["reported_on"] is not None
    twice = assert_json_error(send(anonymous, "post", url, report, **key_of(pilot)), 422)
    assert list(twice["errors"]) == ["period"]
    assert_json_error(send(anonymous, "post", url, {**report, "period": "2026-Q2", "progress_percent": 101},
                           **key_of(pilot)), 422)  # fmt: skip
    assert_json_error(send(anonymous, "post", url, {**report, "period": "2026-Q2", "scope": "blau"},
                           **key_of(pilot)), 422)  # fmt: skip
    assert StatusReport.objects.filter(project=project).count() == 2


def scores_of(project) -> list[tuple]:
    return list(
        Assessment.objects.filter(project=project).order_by("criterion_id").values_list("criterion_id", "score")
    )


def test_assessment_over_the_api(portfolio_world, anonymous, key_of, staff):
    world = portfolio_world
    project = world.projects[0]
    url = f"{API}/projects/{project.pk}/assessment"
    efficiency, benefit = world.criteria["efficiency"].pk, world.criteria["citizen_benefit"].pk
    response = send(anonymous, "put", url, [{"criterion_id": efficiency, "score": "4.5", "note": "zwei Ämter"},
                                            {"criterion_id": benefit, "score": None}], **key_of(staff))  # fmt: skip
    assert response.status_code == 204
    assessment = Assessment.objects.get(project=project, criterion_id=efficiency)
    assert (assessment.score, assessment.note) == (Decimal("4.5"), "zwei Ämter")
    assert not Assessment.objects.filter(project=project, criterion_id=benefit).exists()
    before = scores_of(project)
    for bad in ("NaN", "Infinity", "-Infinity", "7", "2.25", "viel"):
        payload = [{"criterion_id": benefit, "score": "3"}, {"criterion_id": efficiency, "score": bad}]
        assert_json_error(send(anonymous, "put", url, payload, **key_of(staff)), 422)
    out_of_range = assert_json_error(send(anonymous, "put", url, [{"criterion_id": efficiency, "score": 7}],
                                          **key_of(staff)), 422)  # fmt: skip
    assert out_of_range["errors"] == {
        f"score_{efficiency}": ["Effizienzgewinn der Verwaltung wird von 0 bis 5 bewertet."]
    }
    derived = world.criteria["foundation"].pk
    assert_json_error(send(anonymous, "put", url, [{"criterion_id": derived, "score": 3}], **key_of(staff)), 422)
    assert scores_of(project) == before


# --- errors as JSON -------------------------------------------------------------------------------


def test_unknown_things_answer_json_404(portfolio_world, anonymous):
    for url in ("/api/v1/atlantis/projects", f"{API}/projects/999999", f"{API}/projects/999999/milestones",
                f"{API}/projects/999999/dependencies", "/api/v1/atlantis/ranking", "/api/v1/atlantis/sequencing",
                "/api/v1/atlantis/decisions"):  # fmt: skip
        assert assert_json_error(anonymous.get(url), 404) == {"detail": "Not found."}, url


def test_malformed_requests_answer_json(portfolio_world, anonymous, key_of, admin):
    assert_json_error(anonymous.get(f"{API}/projects/abc"), 422)
    response = anonymous.post(f"{API}/projects", data="{nicht json", content_type="application/json", **key_of(admin))
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert_json_error(send(anonymous, "put", f"{API}/projects/{portfolio_world.projects[0].pk}/assessment",
                           {"criterion_id": 1}, **key_of(admin)), 422)  # fmt: skip


# --- who may do what, from outside ------------------------------------------------------------------


def write_requests(world: PortfolioWorld) -> list[tuple[str, str, object]]:
    p0, p1 = world.projects[0], world.projects[1]
    milestone = Milestone.objects.filter(project=p0).first()
    return [
        ("post", f"{API}/projects", {"title": "Neu"}),
        ("patch", f"{API}/projects/{p0.pk}", {"title": "Gekapert"}),
        ("post", f"{API}/projects/{p0.pk}/status", {"status": "cancelled"}),
        ("post", f"{API}/projects/{p0.pk}/milestones", {"title": "M", "due_date": "2027-01-01"}),
        ("patch", f"{API}/milestones/{milestone.pk}", {"status": "cancelled"}),
        ("post", f"{API}/projects/{p1.pk}/dependencies", {"foundation_id": world.projects[2].pk}),
        ("post", f"{API}/projects/{p0.pk}/reports", {"period": "2026-Q2", "scope": "red", "time": "red",
                                                     "budget": "red", "progress_percent": 1, "text": "Fremd"}),
        ("put", f"{API}/projects/{p0.pk}/assessment", [{"criterion_id": world.criteria["efficiency"].pk, "score": 0}]),
    ]  # fmt: skip


def api_snapshot() -> tuple:
    return (
        list(Project.objects.order_by("pk").values_list("title", "status", "lock_version")),
        list(Milestone.objects.order_by("pk").values_list("status", flat=True)), Dependency.objects.count(),
        StatusReport.objects.count(), list(Assessment.objects.order_by("pk").values_list("score", flat=True)),
    )  # fmt: skip


def test_anonymous_writes_get_401(portfolio_world, anonymous):
    before = api_snapshot()
    for method, url, payload in write_requests(portfolio_world):
        assert_json_error(send(anonymous, method, url, payload), 401)
    assert api_snapshot() == before


@pytest.mark.parametrize("persona", ["citizen", "council", "reader", "celle_admin"])
def test_people_without_a_writing_role_get_403_in_german(portfolio_world, anonymous, key_of, request, persona):
    headers = key_of(request.getfixturevalue(persona))
    before = api_snapshot()
    for method, url, payload in write_requests(portfolio_world):
        data = assert_json_error(send(anonymous, method, url, payload, **headers), 403)
        assert data == {"detail": "Das dürfen Sie nicht."}, (method, url)
    assert api_snapshot() == before


def test_editor_of_another_department_gets_403_on_its_projects(portfolio_world, anonymous, key_of):
    world = portfolio_world
    editor = make_user("schulredaktion")
    core_services.grant_role(municipality=world.municipality, user=editor, role=Role.EDITOR, by=None,
                             departments=[world.schools])  # fmt: skip
    headers = key_of(editor)
    before = api_snapshot()
    it_project = world.projects[0]
    assert_json_error(send(anonymous, "patch", f"{API}/projects/{it_project.pk}", {"title": "X"}, **headers), 403)
    assert_json_error(send(anonymous, "post", f"{API}/projects/{it_project.pk}/status", {"status": "paused"},
                           **headers), 403)  # fmt: skip
    assert_json_error(send(anonymous, "post", f"{API}/projects", {"title": "Fremd", "lead_department_id": world.it.pk},
                           **headers), 403)  # fmt: skip
    assert api_snapshot() == before
    response = send(anonymous, "patch", f"{API}/projects/{world.projects[1].pk}", {"summary": "Schule"}, **headers)
    assert response.status_code == 200


@pytest.mark.parametrize("persona", [None, "citizen", "celle_admin"])
def test_internal_project_does_not_exist_from_outside(portfolio_world, anonymous, key_of, request, persona):
    world = portfolio_world
    headers = key_of(request.getfixturevalue(persona)) if persona else {}
    internal = world.internal
    milestone = Milestone.objects.get(project=internal)
    for url in (f"{API}/projects/{internal.pk}", f"{API}/projects/{internal.pk}/milestones",
                f"{API}/projects/{internal.pk}/reports", f"{API}/projects/{internal.pk}/dependencies"):  # fmt: skip
        assert assert_json_error(anonymous.get(url, **headers), 404) == {"detail": "Not found."}, url
    assert_json_error(send(anonymous, "patch", f"{API}/milestones/{milestone.pk}", {"title": "X"}, **headers), 404)
    assert_json_error(send(anonymous, "post", f"{API}/projects/{world.projects[0].pk}/dependencies",
                           {"foundation_id": internal.pk}, **headers), 404)  # fmt: skip


def read_urls(world: PortfolioWorld) -> list[str]:
    p0 = world.projects[0]
    urls = [f"{API}/projects", f"{API}/projects?sort=priority", f"{API}/projects?q=GEHEIM-1",
            f"{API}/projects?q={INTERNAL_MARKER}", f"{API}/projects?status=in_progress", f"{API}/ranking",
            f"{API}/ranking?scheme=wibe", f"{API}/sequencing", f"{API}/decisions"]  # fmt: skip
    for project in world.projects:
        urls += [f"{API}/projects/{project.pk}", f"{API}/projects/{project.pk}/dependencies"]
    urls += [f"{API}/projects/{p0.pk}/milestones", f"{API}/projects/{p0.pk}/reports"]
    return urls


@pytest.mark.parametrize("portfolio_world", SIZES, indirect=True)
def test_nothing_internal_reaches_the_api_from_outside(portfolio_world, anonymous, key_of, citizen, celle_admin):
    world = portfolio_world
    for headers in ({}, key_of(citizen), key_of(celle_admin)):
        for url in read_urls(world):
            response = anonymous.get(url, **headers)
            assert response.status_code == 200, url
            body = response.content.decode()
            for secret in (INTERNAL_MARKER, "GEHEIM-1", "Nur intern"):
                assert secret not in body, (url, secret)
        ids = {p["id"] for p in anonymous.get(f"{API}/projects?limit=100", **headers).json()["items"]}
        assert ids == {p.pk for p in world.projects}
        ranked = {r["project_id"] for r in anonymous.get(f"{API}/ranking", **headers).json()["ranking"]}
        assert ranked == {p.pk for p in world.projects}
        assert world.internal.pk not in anonymous.get(f"{API}/sequencing", **headers).json()["order"]
        decisions = {d["id"] for d in anonymous.get(f"{API}/decisions", **headers).json()}
        assert decisions == {d.pk for d in world.decisions}


# --- query counts ----------------------------------------------------------------------------------

# Anonymous: municipality first; a token adds its lookup, its last use and the person's roles.
QUERIES = {
    "/projects": 3,  # municipality, count, one page (the ranking only where a filter or the order needs it)
    "/projects?limit=5": 3,
    "/projects?sort=priority&q=Projekt&quick_wins=true": 8,
    "/projects/{p0}": 3,
    "/projects/{p0}/milestones": 4,
    "/projects/{p0}/reports": 4,
    "/projects/{p0}/dependencies": 5,
    "/ranking": 7,
    "/ranking?scheme=wibe": 7,
    "/sequencing": 3,
    "/decisions": 5,
}
TOKEN_EXTRA = 3
# Readers of finance get each project's net present value in the WiBe ranking.
NPV_EXTRA = {"/ranking?scheme=wibe": 5}


@pytest.mark.parametrize("portfolio_world", SIZES, indirect=True)
def test_query_counts_do_not_grow_with_the_portfolio(portfolio_world, anonymous, key_of, admin):
    headers = key_of(admin)
    problems = []
    for path, expected in QUERIES.items():
        url = API + path.format(p0=portfolio_world.projects[0].pk)
        for extra, label in (({}, "anonymous"), (headers, "token")):
            wanted = expected + (TOKEN_EXTRA + NPV_EXTRA.get(path, 0) if extra else 0)
            with CaptureQueriesContext(connection) as queries:
                response = anonymous.get(url, **extra)
            if response.status_code != 200:
                problems.append(f"{label} {path}: {response.status_code}")
            elif len(queries) != wanted:
                problems.append(f"{label} {path}: {len(queries)} queries instead of {wanted}")
    assert not problems, "\n".join(problems)


def test_every_portfolio_api_path_is_covered():
    """A new path in portfolio/api.py must be added to QUERIES (reads) or to write_requests (writes)."""
    from stadtlotse.portfolio.api import router

    paths = {path for path in router.path_operations}
    assert paths == {
        "/{slug}/projects", "/{slug}/projects/{pk}", "/{slug}/projects/{pk}/status", "/{slug}/projects/{pk}/milestones",
        "/{slug}/milestones/{pk}", "/{slug}/projects/{pk}/dependencies", "/{slug}/projects/{pk}/reports",
        "/{slug}/projects/{pk}/assessment", "/{slug}/ranking", "/{slug}/sequencing", "/{slug}/decisions",
    }  # fmt: skip
