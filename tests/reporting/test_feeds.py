"""Calendar and news feeds, parsed as a client would; internal items only with a valid token."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from stadtlotse.core import services as core_services

from .conftest import CELLE, CONFIDENTIAL, INTERNAL

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_ical(text: str) -> list[dict]:
    """A strict little RFC 5545 reader: CRLF lines, unfolding, nested BEGIN/END, required fields."""
    assert text.endswith("\r\n")
    raw = text.split("\r\n")[:-1]
    lines: list[str] = []
    for line in raw:
        assert len(line.encode()) <= 75, line
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events, current, stack = [], None, []
    for line in lines:
        name, _sep, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                for key in ("UID", "DTSTAMP", "SUMMARY"):
                    assert key in current, current
                assert any(k.startswith("DTSTART") for k in current)
                events.append(current)
                current = None
        elif current is not None:
            current[name] = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
    assert not stack
    return events


def parse_atom(data: bytes) -> list[dict]:
    root = ET.fromstring(data)
    assert root.tag == ATOM + "feed"
    for required in ("id", "title", "updated"):
        assert root.find(ATOM + required) is not None
    entries = []
    for entry in root.findall(ATOM + "entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(ATOM + required) is not None
        entries.append({"title": entry.find(ATOM + "title").text, "id": entry.find(ATOM + "id").text})
    assert len({e["id"] for e in entries}) == len(entries)
    return entries


@pytest.fixture
def token(pilot):
    _token, key = core_services.create_api_token(user=pilot, name="Kalender")
    return _token, key


def test_public_calendar_has_public_milestones_and_phases_only(world, anonymous, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = anonymous.get("/plauen/berichte/kalender/alle.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = parse_ical(response.content.decode())
    summaries = " ".join(e["SUMMARY"] for e in events)
    assert "Meilenstein offen Projekt 00" in summaries and "Dialog Digitalagenda" in summaries
    assert INTERNAL not in summaries and CONFIDENTIAL not in summaries and CELLE not in summaries
    only = parse_ical(anonymous.get("/plauen/berichte/kalender/meilensteine.ics").content.decode())
    assert only and all(e["CATEGORIES"] == "milestone" for e in only)


def test_internal_calendar_needs_a_valid_token(world, anonymous, token):
    obj, key = token
    assert anonymous.get("/plauen/intern/berichte/kalender/alle.ics").status_code == 401
    wrong = anonymous.get("/plauen/intern/berichte/kalender/alle.ics?token=falsch")
    assert wrong.status_code == 401 and "unbekannt oder widerrufen" in wrong.content.decode()
    events = parse_ical(anonymous.get(f"/plauen/intern/berichte/kalender/alle.ics?token={key}").content.decode())
    summaries = " ".join(e["SUMMARY"] for e in events)
    assert INTERNAL in summaries and CONFIDENTIAL not in summaries  # a pilot reads internal, not confidential
    core_services.revoke_api_token(token=obj, by=obj.user)
    assert anonymous.get(f"/plauen/intern/berichte/kalender/alle.ics?token={key}").status_code == 401


def test_token_of_another_municipality_gives_404(world, anonymous, celle_admin):
    _obj, key = core_services.create_api_token(user=celle_admin, name="x")
    assert anonymous.get(f"/plauen/intern/berichte/kalender/alle.ics?token={key}").status_code == 404
    assert anonymous.get(f"/plauen/intern/berichte/neuigkeiten/alle.atom?token={key}").status_code == 404


def test_unknown_feed_names_are_404(world, anonymous):
    assert anonymous.get("/plauen/berichte/kalender/geheim.ics").status_code == 404
    assert anonymous.get("/plauen/berichte/neuigkeiten/geheim.atom").status_code == 404


def test_public_atom_has_reports_projects_and_answers(world, anonymous, admin, django_assert_max_num_queries,
                                                      django_capture_on_commit_callbacks):  # fmt: skip
    from stadtlotse.reporting import services

    report = services.create_report(municipality=world.municipality, by=admin, title="Bericht Atom",
                                    period_start=world.start, period_end=world.end)  # fmt: skip
    services.publish_report(report_obj=report, by=admin)
    with django_assert_max_num_queries(8):
        response = anonymous.get("/plauen/berichte/neuigkeiten/alle.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = " ".join(e["title"] for e in parse_atom(response.content))
    assert "Bericht Atom" in titles and "Projekt 00" in titles and "Online-Termine" in titles
    assert INTERNAL not in titles and CONFIDENTIAL not in titles and CELLE not in titles
    answers = parse_atom(anonymous.get("/plauen/berichte/neuigkeiten/antworten.atom").content)
    assert len(answers) == 1


def test_internal_atom_with_token(world, anonymous, token, django_assert_max_num_queries):
    _obj, key = token
    with django_assert_max_num_queries(10):
        response = anonymous.get(f"/plauen/intern/berichte/neuigkeiten/projekte.atom?token={key}")
    titles = " ".join(e["title"] for e in parse_atom(response.content))
    assert INTERNAL in titles and CONFIDENTIAL not in titles
