"""Status reports: freezing, editions, bad input, permissions, pages and PDFs from the outside."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stadtlotse.portfolio import services as portfolio
from stadtlotse.reporting import services
from stadtlotse.reporting.models import PeriodReport, RenderStatus, ReportFile

from .conftest import CELLE, CONFIDENTIAL, INTERNAL


def make(world, by, **kw):
    fields = {"title": "Statusbericht Herbst", "period_start": world.start, "period_end": world.end} | kw
    return services.create_report(municipality=world.municipality, by=by, **fields)


@pytest.fixture
def published(world, admin, django_capture_on_commit_callbacks):
    report = make(world, admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_report(report_obj=report, by=admin)
    report.refresh_from_db()
    return report


def pdf_text(data: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


# Freezing ---------------------------------------------------------------------------------


def test_published_report_does_not_change_with_the_data(world, published, anonymous, admin):
    before = anonymous.get(f"/plauen/berichte/{published.pk}/").content.decode()
    assert "Projekt 00" in before
    project = world.projects[0]
    portfolio.update_project(project=project, by=None, title="Umbenannt NEU")
    portfolio.create_project(municipality=world.municipality, by=None, title="Ganz neues Projekt", visibility="public")
    after = anonymous.get(f"/plauen/berichte/{published.pk}/").content.decode()
    assert "Umbenannt NEU" not in after and "Ganz neues Projekt" not in after
    assert "Projekt 00" in after
    assert PeriodReport.objects.get(pk=published.pk).content == published.content


def test_publishing_twice_is_refused_and_changes_nothing(published, admin):
    content = published.content
    with pytest.raises(ValidationError, match="bereits veröffentlicht"):
        services.publish_report(report_obj=published, by=admin)
    with pytest.raises(ValidationError, match="kann nicht geändert"):
        services.update_report(report_obj=published, by=admin, title="Neu")
    published.refresh_from_db()
    assert published.content == content and published.title == "Statusbericht Herbst"


def test_next_report_shows_changes_since_the_last(world, published):
    portfolio.create_project(municipality=world.municipality, by=None, title="Nachzügler", visibility="public")
    portfolio.change_status(project=world.projects[1], by=None, status="paused")
    content = services.report.build_editions(world.municipality, services.Period(world.start, world.end),
                                             published.content)["public"]  # fmt: skip
    assert content["changes"]["new"] == ["Nachzügler"]
    assert [c["title"] for c in content["changes"]["status"]] == ["Projekt 01"]


# Bad input --------------------------------------------------------------------------------


def test_period_ending_before_it_starts_is_refused(world, admin):
    with pytest.raises(ValidationError, match="endet vor seinem Beginn"):
        make(world, admin, period_start=world.end, period_end=world.start)


def test_period_overlapping_a_published_one_is_refused(world, published, admin):
    with pytest.raises(ValidationError, match="überschneidet sich"):
        make(world, admin, period_start=world.start + timedelta(10), period_end=world.end)


def test_period_in_the_future_and_too_long_are_refused(world, admin):
    with pytest.raises(ValidationError, match="noch nicht begonnen"):
        make(world, admin, period_start=world.end + timedelta(5), period_end=world.end + timedelta(9))
    with pytest.raises(ValidationError, match="zwei Jahre"):
        make(world, admin, period_start=world.end - timedelta(900))


def test_period_without_data_cannot_be_published(celle, celle_admin):
    from datetime import date

    report = services.create_report(municipality=celle, by=celle_admin, title="Leer", period_start=date(2024, 1, 1),
                                    period_end=date(2024, 3, 31))  # fmt: skip
    with pytest.raises(ValidationError, match="keine Daten"):
        services.publish_report(report_obj=report, by=celle_admin)
    report.refresh_from_db()
    assert not report.is_published and report.content == {}


def test_editor_may_draft_but_not_publish(world, staff):
    report = make(world, staff)
    with pytest.raises(PermissionDenied):
        services.publish_report(report_obj=report, by=staff)


def test_form_shows_the_period_error_and_saves_nothing(world, admin, client_of):
    response = client_of(admin).post("/plauen/intern/berichte/", {
        "title": "X", "period_start": world.end.isoformat(), "period_end": world.start.isoformat()})  # fmt: skip
    assert response.status_code == 200
    assert "endet vor seinem Beginn" in response.content.decode()
    assert not PeriodReport.objects.exists()


def test_publish_twice_over_http_gives_a_message(world, published, admin, client_of):
    response = client_of(admin).post(f"/plauen/intern/berichte/{published.pk}/veroeffentlichen/", follow=True)
    assert response.status_code == 200
    assert "bereits veröffentlicht" in response.content.decode()


# Editions ---------------------------------------------------------------------------------


def test_public_edition_has_no_internal_or_confidential_marker(published, anonymous, citizen, client_of, tmp_path):
    for client in (anonymous, client_of(citizen)):
        html = client.get(f"/plauen/berichte/{published.pk}/").content.decode()
        assert "Projekt 00" in html
        assert INTERNAL not in html and CONFIDENTIAL not in html and CELLE not in html
    pdf = anonymous.get(f"/plauen/berichte/{published.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content, tmp_path)
    assert "Zusammenfassung" in text and "Inhalt" in text and "Projekt 00" in text
    assert "Seite 1 von" in text
    assert INTERNAL not in text and CONFIDENTIAL not in text
    assert INTERNAL not in str(published.content["public"]) and CONFIDENTIAL not in str(published.content["public"])


def test_internal_edition_follows_the_readers_role(published, pilot, admin, client_of, tmp_path):
    html = client_of(pilot).get(f"/plauen/intern/berichte/{published.pk}/").content.decode()
    assert INTERNAL in html and CONFIDENTIAL not in html
    html = client_of(admin).get(f"/plauen/intern/berichte/{published.pk}/").content.decode()
    assert INTERNAL in html and CONFIDENTIAL in html
    assert "Finanzplan" in html  # finance appears in internal editions only
    text = pdf_text(client_of(pilot).get(f"/plauen/intern/berichte/{published.pk}/pdf/").content, tmp_path)
    assert INTERNAL in text and CONFIDENTIAL not in text
    text = pdf_text(client_of(admin).get(f"/plauen/intern/berichte/{published.pk}/pdf/").content, tmp_path)
    assert CONFIDENTIAL in text and "Finanzplan" in text


def test_pdf_is_tagged_and_rendered_in_the_background(published, tmp_path):
    files = ReportFile.objects.filter(report=published)
    assert sorted(f.edition for f in files) == ["confidential", "internal", "public"]
    assert all(f.status == RenderStatus.READY for f in files)
    data = bytes(files.get(edition="public").pdf)
    path = tmp_path / "p.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    assert "Tagged:          yes" in info and "Pages:" in info



def test_pdf_not_rendered_yet_says_so(world, admin, anonymous):
    report = make(world, admin)
    services.publish_report(report_obj=report, by=admin)  # on_commit never runs inside the test transaction
    response = anonymous.get(f"/plauen/berichte/{report.pk}/pdf/")
    assert response.status_code == 202 and "wird vorbereitet" in response.content.decode()


def test_drafts_are_hidden_outside(world, admin, anonymous, citizen, celle_admin, client_of):
    draft = make(world, admin)
    assert anonymous.get(f"/plauen/berichte/{draft.pk}/").status_code == 404
    assert client_of(citizen).get(f"/plauen/berichte/{draft.pk}/").status_code == 404
    assert client_of(celle_admin).get(f"/plauen/intern/berichte/{draft.pk}/").status_code == 403
    assert client_of(celle_admin).get(f"/celle/intern/berichte/{draft.pk}/").status_code == 404
    assert anonymous.get(f"/plauen/intern/berichte/{draft.pk}/").status_code == 302
    html = client_of(admin).get(f"/plauen/intern/berichte/{draft.pk}/").content.decode()
    assert "Entwurf" in html and CONFIDENTIAL in html


def test_published_report_of_plauen_is_404_under_celle(published, client_of, celle_admin):
    assert client_of(celle_admin).get(f"/celle/berichte/{published.pk}/").status_code == 404
    assert client_of(celle_admin).get(f"/celle/berichte/{published.pk}/pdf/").status_code == 404


def test_publish_over_http_and_delete_draft(world, admin, client_of, django_capture_on_commit_callbacks):
    client = client_of(admin)
    response = client.post("/plauen/intern/berichte/", {
        "title": "Bericht HTTP", "period_start": world.start.isoformat(), "period_end": world.end.isoformat()})
    report = PeriodReport.objects.get(title="Bericht HTTP")
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/plauen/intern/berichte/{report.pk}/veroeffentlichen/")
    report.refresh_from_db()
    assert report.is_published and set(report.content) == {"public", "internal", "confidential"}
    assert client.post(f"/plauen/intern/berichte/{report.pk}/loeschen/").status_code == 302
    assert PeriodReport.objects.filter(pk=report.pk).exists()
    draft = make(world, admin, title="Zweiter", period_start=world.start - timedelta(30),
                 period_end=world.start - timedelta(1))
    client.post(f"/plauen/intern/berichte/{draft.pk}/loeschen/")
    assert not PeriodReport.objects.filter(pk=draft.pk).exists()


def test_reader_cannot_post(world, reader, client_of):
    assert client_of(reader).post("/plauen/intern/berichte/", {"title": "x"}).status_code == 403


# Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["world", "big_world"])
def test_pages_keep_a_fixed_number_of_queries(size, request, admin, client_of, django_assert_max_num_queries,
                                              django_capture_on_commit_callbacks):  # fmt: skip
    world = request.getfixturevalue(size)
    report = make(world, admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_report(report_obj=report, by=admin)
    client = client_of(admin)
    pages = {f"/plauen/berichte/{report.pk}/": 12, f"/plauen/intern/berichte/{report.pk}/": 14,
             f"/plauen/berichte/{report.pk}/pdf/": 12, "/plauen/berichte/": 40, "/plauen/intern/berichte/": 60}
    for url, limit in pages.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url
