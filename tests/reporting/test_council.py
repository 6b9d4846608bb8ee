"""What reporting takes from the council: mandates in report and cockpit, meetings and mandate
due dates in the calendar, papers in the search, and the report as a council paper (DOCX)."""

from __future__ import annotations

import io

import pytest
from docx import Document

from stadtlotse.reporting import services

from .conftest import CONFIDENTIAL
from .test_feeds import parse_ical


@pytest.fixture
def published(world, admin):
    report = services.create_report(municipality=world.municipality, by=admin, title="Bericht Rat",
                                    period_start=world.start, period_end=world.end)  # fmt: skip
    return services.publish_report(report_obj=report, by=admin)


def test_report_lists_open_mandates_by_edition(published):
    public = published.content["public"]["sections"]["council"]["open_mandates"]
    assert [m["title"] for m in public] == ["Online-Termine einführen"] and public[0]["overdue"]
    internal = published.content["internal"]["sections"]["council"]["open_mandates"]
    assert CONFIDENTIAL not in str(internal)
    assert CONFIDENTIAL in str(published.content["confidential"]["sections"]["council"])


def test_cockpit_shows_open_mandates(world, admin, pilot, client_of):
    html = client_of(admin).get("/plauen/intern/berichte/").content.decode()
    assert "Offene Ratsaufträge" in html and "Online-Termine einführen" in html and CONFIDENTIAL in html
    html = client_of(pilot).get("/plauen/intern/berichte/").content.decode()
    assert "Online-Termine einführen" in html and CONFIDENTIAL not in html


def test_calendar_has_meetings_and_mandates(world, anonymous):
    events = parse_ical(anonymous.get("/plauen/berichte/kalender/alle.ics").content.decode())
    summaries = [e["SUMMARY"] for e in events]
    assert "Sitzung des Stadtrats" in summaries
    assert any("Online-Termine einführen" in s for s in summaries)
    assert not any(CONFIDENTIAL in s for s in summaries)
    meetings = parse_ical(anonymous.get("/plauen/berichte/kalender/sitzungen.ics").content.decode())
    assert [e["SUMMARY"] for e in meetings] == ["Sitzung des Stadtrats"]


def test_search_finds_papers_by_visibility(world, anonymous, admin, client_of):
    html = anonymous.get("/plauen/berichte/suche/", {"q": "Antrag"}).content.decode()
    assert "Antrag Online-Termine" in html and CONFIDENTIAL not in html
    html = client_of(admin).get("/plauen/berichte/suche/", {"q": "Antrag"}).content.decode()
    assert CONFIDENTIAL in html


def test_council_paper_docx_in_the_outline(published, admin, pilot, client_of, anonymous):
    response = client_of(admin).get(f"/plauen/intern/berichte/{published.pk}/ratsvorlage.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert headings[0] == "I. Bezug zu den Fachzielen"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Informationsvorlage" in text and "Projekte: 5" in text
    pilot_doc = client_of(pilot).get(f"/plauen/intern/berichte/{published.pk}/ratsvorlage.docx").content
    pilot_doc = Document(io.BytesIO(pilot_doc))
    assert "Projekte: 4" in "\n".join(p.text for p in pilot_doc.paragraphs)
    assert anonymous.get(f"/plauen/intern/berichte/{published.pk}/ratsvorlage.docx").status_code == 302
