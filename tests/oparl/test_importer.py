"""The importer on the real samples and on documents written from the specification for each
error class a real server shows; re-runs, incremental sync and deletion."""

from __future__ import annotations

import json

import pytest

from stadtlotse.council.models import AgendaItem, ConsultationStep, Meeting, Paper
from stadtlotse.governance.models import Body, BodyMembership, Faction, LegislativeTerm, Person
from stadtlotse.oparl.importer import run as runner
from stadtlotse.oparl.importer.fetch import Response
from stadtlotse.oparl.models import ImportProblem, OParlObject, RunStatus

from .conftest import PDF, SAMPLES, FakeFetcher

S = "https://schema.oparl.org/1.1/"
R = "https://ris.example.org/oparl"


def _import(municipality, fetcher, entry=f"{R}/body", **kwargs):
    run = runner.start_run(municipality=municipality, source=entry, **kwargs)
    log = runner.execute(run, fetcher=fetcher, entry=entry)
    run.refresh_from_db()
    return run, log


def _body(**lists) -> dict:
    body = {"id": f"{R}/body", "type": S + "Body", "name": "Beispielstadt", "legislativeTerm": []}
    for name in ("organization", "person", "meeting", "paper"):
        body[name] = f"{R}/{name}s"
    body.update(lists)
    return body


def _page(items, next_url=None) -> dict:
    return {"data": items, "links": {"next": next_url} if next_url else {}}


def _org(n, **extra) -> dict:
    return {
        "id": f"{R}/org/{n}",
        "type": S + "Organization",
        "name": f"Ausschuss {n}",
        "organizationType": "Gremium",
        "classification": "Ausschuss",
        **extra,
    }


def _world(**answers) -> FakeFetcher:
    base = {f"{R}/body": _body(), f"{R}/organizations": _page([_org(1)])}
    base.update(answers)
    return FakeFetcher(base)


# The samples ------------------------------------------------------------------------------


def test_the_specification_examples_import_from_a_directory(plauen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fetcher, entry = runner.open_source(str(SAMPLES / "oparl"))
    run, log = _import(plauen, fetcher, entry=entry)
    assert run.status == RunStatus.DONE_WITH_PROBLEMS
    assert run.problem_counts == {"file_unavailable": 2}  # the example files point to example.org
    assert Paper.objects.get(municipality=plauen, reference="1234/2014").title == "Antwort auf Anfrage 1200/2014"
    meeting = Meeting.objects.get(municipality=plauen)
    assert meeting.title == "4. Sitzung des Finanzausschusses"
    assert meeting.location.startswith("Rathaus der Beispielstadt")
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1
    assert Person.objects.filter(municipality=plauen).count() == 1
    assert BodyMembership.objects.filter(municipality=plauen).count() == 1
    assert LegislativeTerm.objects.filter(municipality=plauen).count() == 1
    assert ConsultationStep.objects.filter(paper__municipality=plauen).count() == 1
    assert ImportProblem.objects.filter(run=run, kind="file_unavailable").count() == 2


def test_a_second_run_changes_nothing(plauen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fetcher, entry = runner.open_source(str(SAMPLES / "oparl"))
    _import(plauen, fetcher, entry=entry)
    history = sum(m.history.count() for m in (Paper, Meeting, Person, Body, BodyMembership, AgendaItem))
    mapped = OParlObject.objects.count()
    run, log = _import(plauen, fetcher, entry=entry, incremental=False)
    assert log.total("created") == log.total("updated") == 0
    assert log.total("unchanged") == 5  # term, organization, person, meeting, paper (embedded ones with them)
    assert OParlObject.objects.count() == mapped
    assert sum(m.history.count() for m in (Paper, Meeting, Person, Body, BodyMembership, AgendaItem)) == history


@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLES / "bodies").glob("*.json")))
def test_every_real_body_survives(plauen, name):
    body = json.loads((SAMPLES / "bodies" / name).read_text())
    run, log = _import(plauen, FakeFetcher({body["id"]: body}), entry=body["id"])
    assert run.status in {RunStatus.DONE, RunStatus.DONE_WITH_PROBLEMS}, run.error
    terms = [t for t in body.get("legislativeTerm", []) if isinstance(t, dict)]
    imported = log.counts["LegislativeTerm"]
    assert imported["created"] + imported["skipped"] == len(terms)
    assert LegislativeTerm.objects.filter(municipality=plauen).count() <= len(terms)


@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLES / "systems").glob("*.json")))
def test_every_real_system_leads_to_its_body(plauen, name):
    system = json.loads((SAMPLES / "systems" / name).read_text())
    body_file = SAMPLES / "bodies" / name
    answers = {system["id"]: system}
    if body_file.exists():
        answers[system["body"]] = {"data": [json.loads(body_file.read_text())], "links": {}}
    run, log = _import(plauen, FakeFetcher(answers), entry=system["id"])
    if body_file.exists():
        assert run.status != RunStatus.FAILED, run.error
    else:
        assert run.status == RunStatus.FAILED and "no body" in run.error or "keine" in run.error


def test_a_system_whose_links_are_missing_fails_clearly(plauen):
    system = json.loads((SAMPLES / "oparl-missing" / "system.json").read_text())
    run, log = _import(plauen, FakeFetcher({system["id"]: system}), entry=system["id"])
    assert run.status == RunStatus.FAILED
    assert run.error  # the body list answers 404: the system lists no body


def test_a_meeting_whose_organizations_are_missing_is_skipped_and_logged(plauen):
    body = json.loads((SAMPLES / "oparl-missing" / "body.json").read_text())
    meeting = json.loads((SAMPLES / "oparl-missing" / "meeting.json").read_text())
    fetcher = FakeFetcher({body["id"]: body, body["meeting"]: _page([meeting])})
    run, log = _import(plauen, fetcher, entry=body["id"])
    assert run.status == RunStatus.DONE_WITH_PROBLEMS
    assert log.counts["Meeting"]["skipped"] == 1
    assert log.problem_counts["missing_reference"] == 1  # both organizations answered 404: one meeting skipped
    assert not Meeting.objects.filter(municipality=plauen).exists()


def test_raw_control_characters_in_a_real_answer_are_read(plauen):
    raw = (SAMPLES / "broken_json.broken_json").read_bytes()
    paper = json.loads(raw.decode("utf-8", "replace"), strict=False)
    fetcher = _world(**{f"{R}/papers": b'{"data": [' + raw + b'], "links": {}}'})
    run, log = _import(plauen, fetcher)
    assert log.counts["Paper"]["created"] == 1
    assert Paper.objects.get(municipality=plauen).reference == paper["reference"]


# Error classes ------------------------------------------------------------------------------


def test_html_instead_of_json_and_broken_json_are_logged_and_the_import_goes_on(plauen):
    fetcher = _world(
        **{
            f"{R}/persons": b"<!DOCTYPE html><html><body>Wartungsarbeiten</body></html>",
            f"{R}/meetings": b'{"data": [{"id": "x", ',
        }
    )
    run, log = _import(plauen, fetcher)
    assert run.status == RunStatus.DONE_WITH_PROBLEMS
    assert log.problem_counts["not_json"] == 1 and log.problem_counts["broken_json"] == 1
    assert Body.objects.filter(municipality=plauen, name="Ausschuss 1").exists()


def test_looping_and_broken_next_links_stop_the_list_not_the_import(plauen):
    fetcher = _world(
        **{
            f"{R}/organizations": _page([_org(1)], f"{R}/organizations?page=2"),
            f"{R}/organizations?page=2": _page([_org(2), _org(1)], f"{R}/organizations"),
            f"{R}/persons": {"data": [{"id": f"{R}/p/1", "type": S + "Person", "name": "A"}], "links": {"next": 42}},
        }
    )
    run, log = _import(plauen, fetcher)
    assert log.problem_counts["looping_next"] == 1
    assert log.problem_counts["duplicate"] == 1
    assert log.problem_counts["broken_next"] == 1
    assert Body.objects.filter(municipality=plauen).count() == 2
    assert Person.objects.filter(municipality=plauen).count() == 1
    assert fetcher.requests.count(f"{R}/organizations") == 1


def test_empty_lists_as_404_or_bare_list_are_empty(plauen):
    fetcher = _world(**{f"{R}/persons": [], f"{R}/papers": {"data": [], "links": {}}})
    run, log = _import(plauen, fetcher)
    assert run.status == RunStatus.DONE
    assert run.problem_counts == {}


def test_a_next_link_that_drops_the_filter_gets_it_back(plauen):
    _import(plauen, _world())
    fetcher = FakeFetcher({})
    run = runner.start_run(municipality=plauen, source=f"{R}/body")
    assert run.modified_since is not None
    stamp = runner.format_datetime(run.modified_since, runner.timezone.get_default_timezone())
    from urllib.parse import urlencode

    filtered = f"{R}/organizations?{urlencode({'modified_since': stamp})}"
    fetcher.answers = {
        f"{R}/body": _body(),
        filtered: _page([_org(3)], f"{R}/organizations?page=2"),
        f"{R}/organizations?page=2&{urlencode({'modified_since': stamp})}": _page([_org(4)]),
    }
    runner.execute(run, fetcher=fetcher, entry=f"{R}/body")
    assert f"{R}/organizations?page=2&{urlencode({'modified_since': stamp})}" in fetcher.requests
    assert Body.objects.filter(municipality=plauen, name="Ausschuss 4").exists()


def test_odd_dates_wrong_types_and_placeholders_are_repaired_and_counted(plauen):
    meetings = [
        {
            "id": f"{R}/m/1",
            "type": S + "Meeting",
            "name": 17,
            "start": "2025-03-04T17:00:00",
            "end": "0000-00-00",
            "organization": [f"{R}/org/1"],
            "location": "N/A",
        },
        {
            "id": f"{R}/m/2",
            "type": S + "Meeting",
            "name": "",
            "start": "2025-03-11T17:00:00+01::00",
            "organization": {"id": f"{R}/org/1"},
        },
        {"id": f"{R}/m/3", "type": S + "Meeting", "name": "Ohne Beginn", "organization": [f"{R}/org/1"]},
        {
            "id": f"{R}/m/4",
            "type": S + "Meeting",
            "name": "Deutsch",
            "start": "18.03.2025 17:00",
            "organization": [f"{R}/org/1"],
        },
    ]
    people = [
        {
            "id": f"{R}/p/1",
            "type": S + "Person",
            "familyName": "Muster",
            "givenName": "Erika",
            "email": "erika@example.org",
            "phone": ["", "0341 1"],
            "formOfAddress": "N/A",
        },
        {"id": f"{R}/p/2", "type": S + "Person", "name": ["kaputt"]},
    ]
    fetcher = _world(**{f"{R}/meetings": _page(meetings), f"{R}/persons": _page(people)})
    run, log = _import(plauen, fetcher)
    by_start = {m.start.isoformat(): m for m in Meeting.objects.filter(municipality=plauen)}
    assert sorted(by_start) == ["2025-03-04T16:00:00+00:00", "2025-03-11T16:00:00+00:00", "2025-03-18T16:00:00+00:00"]
    first = by_start["2025-03-04T16:00:00+00:00"]
    assert first.title == "17" and first.end is None and first.location == ""
    assert log.problem_counts["bad_date"] >= 4
    assert log.counts["Meeting"] == {"created": 3, "skipped": 1}
    assert log.problem_counts["missing_field"] == 2  # the meeting without start, the person without name
    erika = Person.objects.get(municipality=plauen, name="Erika Muster")
    assert erika.email == "erika@example.org" and erika.phone == "0341 1" and erika.form_of_address == ""
    assert log.counts["Person"]["skipped"] == 1


def test_embedded_and_referenced_objects_both_work(plauen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    consultation = {
        "id": f"{R}/c/1",
        "type": S + "Consultation",
        "organization": [f"{R}/org/1"],
        "meeting": f"{R}/m/1",
        "agendaItem": f"{R}/ai/1",
        "role": "Vorberatung",
    }
    item = {
        "id": f"{R}/ai/1",
        "type": S + "AgendaItem",
        "number": "Ö 1",
        "order": 1,
        "name": "Vorlage",
        "public": True,
        "result": "ungeändert beschlossen",
    }
    meeting = {
        "id": f"{R}/m/1",
        "type": S + "Meeting",
        "start": "2025-03-04T17:00:00+01:00",
        "organization": [_org(1)],
        "agendaItem": [f"{R}/ai/1"],
    }
    paper = {
        "id": f"{R}/paper/1",
        "type": S + "Paper",
        "name": "Vorlage",
        "reference": "V/1",
        "date": "2025-02-01",
        "paperType": "Beschlussvorlage",
        "consultation": [f"{R}/c/1"],
        "mainFile": {"id": f"{R}/f/1", "type": S + "File", "accessUrl": f"{R}/f/1.pdf", "fileName": "v.pdf"},
        "auxiliaryFile": [f"{R}/f/2"],
    }
    fetcher = _world(
        **{
            f"{R}/meetings": _page([meeting]),
            f"{R}/papers": _page([paper]),
            f"{R}/c/1": consultation,
            f"{R}/ai/1": item,
            f"{R}/f/2": Response(f"{R}/f/2", problem="http_error", detail="HTTP 401"),
        }
    )
    fetcher.files = {f"{R}/f/1.pdf": PDF}
    run, log = _import(plauen, fetcher)
    paper_row = Paper.objects.get(municipality=plauen, reference="V/1")
    step = paper_row.steps.get()
    assert step.meeting.start.isoformat() == "2025-03-04T16:00:00+00:00" and step.role == "advice"
    assert step.result == "adopted"
    assert AgendaItem.objects.get(meeting=step.meeting).paper == paper_row
    assert paper_row.files.get().content_type == "application/pdf"
    assert log.problem_counts["missing_reference"] == 1  # the file answered 401


def test_pseudo_agenda_items_set_the_public_flag(plauen):
    items = [
        {"id": f"{R}/ai/{n}", "type": S + "AgendaItem", "name": name, "order": n}
        for n, name in enumerate(
            ["A Öffentliche Sitzung", "Eröffnung", "B Nichtöffentliche Sitzung", "Grundstücksangelegenheit"]
        )
    ]
    meeting = {
        "id": f"{R}/m/1",
        "type": S + "Meeting",
        "start": "2025-03-04T17:00:00+01:00",
        "organization": [f"{R}/org/1"],
        "agendaItem": items,
    }
    _import(plauen, _world(**{f"{R}/meetings": _page([meeting])}))
    assert dict(AgendaItem.objects.values_list("title", "public")) == {
        "Eröffnung": True,
        "Grundstücksangelegenheit": False,
    }


def test_deleted_objects_without_type_remove_what_was_imported(plauen):
    people = [{"id": f"{R}/p/1", "type": S + "Person", "name": "Erika Muster"}]
    _import(plauen, _world(**{f"{R}/persons": _page(people)}))
    assert Person.objects.filter(municipality=plauen).count() == 1
    run, log = _import(
        plauen, _world(**{f"{R}/persons": _page([{"id": f"{R}/p/1", "deleted": True}])}), incremental=False
    )
    assert log.counts["Person"]["deleted"] == 1
    assert not Person.objects.filter(municipality=plauen).exists()
    assert Person.history.filter(history_type="-").count() == 1


def test_an_object_our_rules_reject_is_skipped_and_the_rest_imported(plauen):
    organizations = [
        _org(1),
        _org(1, id=f"{R}/org/1b"),
        {"id": f"{R}/org/2", "type": S + "Person", "name": "x"},
        {"id": f"{R}/org/3", "type": S + "Organization", "name": "Partei X", "organizationType": "Partei"},
        {"id": f"{R}/org/4", "type": S + "Organization", "name": "CDU-Fraktion", "organizationType": "Fraktion"},
        "kein Objekt",
    ]
    run, log = _import(plauen, _world(**{f"{R}/organizations": _page(organizations)}))
    assert Body.objects.filter(municipality=plauen).count() == 1  # the second "Ausschuss 1" adopts the first
    assert Faction.objects.filter(municipality=plauen, name="CDU-Fraktion").exists()
    assert log.problem_counts["unexpected_type"] == 2
    assert run.status == RunStatus.DONE_WITH_PROBLEMS


def test_memberships_map_roles_factions_and_dates(plauen):
    faction = {"id": f"{R}/org/9", "type": S + "Organization", "name": "Grüne", "organizationType": "Fraktion"}
    person = {
        "id": f"{R}/p/1",
        "type": S + "Person",
        "name": "Erika Muster",
        "membership": [
            {
                "id": f"{R}/mem/1",
                "type": S + "Membership",
                "organization": f"{R}/org/1",
                "role": "Stellv. Vorsitzende",
                "startDate": "2024-07-01",
                "endDate": "2020-01-01",
                "onBehalfOf": f"{R}/org/9",
            },
            {"id": f"{R}/mem/2", "type": S + "Membership", "organization": f"{R}/org/9", "role": "Mitglied"},
            {"id": f"{R}/mem/3", "type": S + "Membership", "organization": f"{R}/org/404"},
        ],
    }
    run, log = _import(
        plauen, _world(**{f"{R}/organizations": _page([_org(1), faction]), f"{R}/persons": _page([person])})
    )
    seat = BodyMembership.objects.get(municipality=plauen)
    assert (seat.role, seat.faction.name, str(seat.start), seat.end) == ("deputy", "Grüne", "2024-07-01", None)
    assert Person.objects.get(municipality=plauen).faction.name == "Grüne"
    assert log.counts["Membership"]["skipped"] == 1 and log.problem_counts["missing_reference"] == 1


def test_incremental_run_asks_only_for_changes(plauen):
    fetcher = _world()
    first, _ = _import(plauen, fetcher)
    second = runner.start_run(municipality=plauen, source=f"{R}/body")
    assert second.modified_since == first.started
    fetcher.requests.clear()
    runner.execute(second, fetcher=fetcher, entry=f"{R}/body")
    lists = [u for u in fetcher.requests if u.startswith(f"{R}/organizations")]
    assert lists and all("modified_since=" in u for u in lists)
    full = runner.start_run(municipality=plauen, source=f"{R}/body", incremental=False)
    assert full.modified_since is None


def test_a_changed_object_updates_the_same_row(plauen):
    _import(plauen, _world())
    body = Body.objects.get(municipality=plauen)
    run, log = _import(
        plauen, _world(**{f"{R}/organizations": _page([_org(1, name="Ausschuss für Bildung")])}), incremental=False
    )
    assert log.counts["Organization"] == {"updated": 1}
    body.refresh_from_db()
    assert body.name == "Ausschuss für Bildung"
    assert Body.objects.filter(municipality=plauen).count() == 1


def test_a_defect_marks_the_run_failed_instead_of_running_for_ever(plauen, monkeypatch):
    from stadtlotse.oparl.importer import mapping

    def broken(self, obj):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(mapping.Mapper, "import_organization", broken)
    run = runner.start_run(municipality=plauen, source=f"{R}/body")
    with pytest.raises(RuntimeError):
        runner.execute(run, fetcher=_world(), entry=f"{R}/body")
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "kaputt" in run.error and run.finished
