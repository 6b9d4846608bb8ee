"""Writes of the council: relations shown both ways, bad input refused with clear messages and
nothing lost, files checked by content, permissions of the write paths."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from stadtlotse.council import services
from stadtlotse.council.models import (
    ConsultationRole,
    ConsultationStep,
    Mandate,
    Meeting,
    OriginatorKind,
    Paper,
    PaperFile,
    PaperKind,
    RelationKind,
)
from stadtlotse.governance.models import Body, BodyKind

from .conftest import at


def messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def test_relations_are_shown_both_ways(client_of, admin, world):
    client = client_of(admin)
    motion_page = client.get(f"/plauen/intern/rat/vorlagen/{world.motion.pk}/").content.decode()
    statement_page = client.get(f"/plauen/intern/rat/vorlagen/{world.statement.pk}/").content.decode()
    assert "beantwortet durch" in motion_page and world.statement.title in motion_page
    assert "beantwortet" in statement_page and world.motion.title in statement_page
    public = client_of(None).get(f"/plauen/rat/vorlagen/{world.motion.pk}/").content.decode()
    assert world.statement.title in public


def test_relation_to_a_confidential_paper_is_not_shown_to_the_public(client_of, world):
    services.relate_papers(source=world.secret, target=world.motion, kind=RelationKind.FOLLOWS_UP, by=None)
    page = client_of(None).get(f"/plauen/rat/vorlagen/{world.motion.pk}/").content.decode()
    assert world.secret.title not in page


def test_duplicate_reference_number_is_refused_and_the_first_paper_kept(world, admin):
    with pytest.raises(ValidationError) as exc:
        services.create_paper(municipality=world.municipality, by=admin, kind=PaperKind.MOTION, reference="222-21",
                              date=date(2022, 1, 1), title="Doppelt", originator_kind=OriginatorKind.MAYOR)  # fmt: skip
    assert "222-21" in messages_of(exc.value) and "bereits" in messages_of(exc.value)
    assert Paper.objects.get(municipality=world.municipality, reference="222-21").title == world.motion.title


def test_same_reference_number_in_another_municipality_is_fine(world, celle_admin):
    paper = services.create_paper(municipality=world.celle_paper.municipality, by=celle_admin, kind=PaperKind.MOTION,
                                  reference="222-21", date=date(2022, 1, 1), title="Celle",
                                  originator_kind=OriginatorKind.MAYOR)  # fmt: skip
    assert paper.pk


def test_duplicate_reference_on_the_form_shows_the_message(client_of, admin, world):
    response = client_of(admin).post("/plauen/intern/rat/vorlagen/neu/", {
        "kind": "motion", "reference": "222-21", "date": "2022-01-01", "title": "Doppelt", "originator_kind": "mayor",
        "visibility": "public"})  # fmt: skip
    assert response.status_code == 200
    assert "Das Aktenzeichen 222-21 trägt bereits eine andere Vorlage." in response.content.decode()
    assert Paper.objects.filter(reference="222-21").count() == 1


def test_consultation_in_a_body_of_another_municipality_is_refused(world, admin, celle):
    foreign = Body.objects.create(municipality=celle, name="Rat der Stadt Celle", kind=BodyKind.COUNCIL)
    before = ConsultationStep.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.add_step(paper=world.motion, by=admin, body=foreign, date=date(2021, 10, 1), public=True,
                          role=ConsultationRole.ADVICE)  # fmt: skip
    assert "anderen Kommune" in messages_of(exc.value)
    assert ConsultationStep.objects.count() == before


def test_consultation_via_api_in_a_foreign_body_gets_a_clear_422(client_of, admin, world, celle):
    foreign = Body.objects.create(municipality=celle, name="Rat der Stadt Celle", kind=BodyKind.COUNCIL)
    response = client_of(admin).post(f"/api/v1/plauen/council/papers/{world.motion.pk}/steps",
                                     {"body_id": foreign.pk, "date": "2021-10-01", "role": "advice"},
                                     content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    assert "anderen Kommune" in response.json()["detail"]


def test_consultation_needs_a_date_or_a_meeting(world, admin):
    with pytest.raises(ValidationError) as exc:
        services.add_step(paper=world.motion, by=admin, body=world.committee, public=True, role=ConsultationRole.ADVICE)
    assert "Datum" in messages_of(exc.value)


def test_meeting_end_before_start_is_refused(world, admin):
    with pytest.raises(ValidationError) as exc:
        services.create_meeting(municipality=world.municipality, by=admin, body=world.committee,
                                start=at(date(2022, 1, 2), 18), end=at(date(2022, 1, 2), 16))  # fmt: skip
    assert "Ende" in messages_of(exc.value)
    assert not Meeting.objects.filter(start=at(date(2022, 1, 2), 18)).exists()


def test_meeting_end_before_start_on_the_form(client_of, admin, world):
    response = client_of(admin).post("/plauen/intern/rat/sitzungen/", {
        "body": world.committee.pk, "start": "2022-01-02T18:00", "end": "2022-01-02T16:00"})  # fmt: skip
    assert response.status_code == 200
    assert "Das Ende liegt vor dem Beginn." in response.content.decode()


def test_mandate_without_due_date_is_refused(world, admin):
    before = Mandate.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_mandate(paper=world.motion, by=admin, title="Ohne Frist", due_date=None)
    assert "Frist" in messages_of(exc.value)
    assert Mandate.objects.count() == before


def test_mandate_without_due_date_via_api_and_form(client_of, admin, world):
    client = client_of(admin)
    response = client.post(f"/api/v1/plauen/council/papers/{world.motion.pk}/mandates", {"title": "Ohne Frist"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 422 and "Frist" in response.json()["detail"]
    page = client.post(f"/plauen/intern/rat/vorlagen/{world.motion.pk}/",
                       {"action": "mandate", "mandate-title": "Ohne Frist"})  # fmt: skip
    assert page.status_code == 400 and "Ein Auftrag braucht eine Frist." in page.content.decode()
    assert not Mandate.objects.filter(title="Ohne Frist").exists()


def test_only_motions_and_resolutions_give_mandates(world, admin):
    with pytest.raises(ValidationError):
        services.create_mandate(paper=world.statement, by=admin, title="Nein", due_date=date(2030, 1, 1))


def test_fulfilling_needs_a_paper_or_a_report(world, admin):
    with pytest.raises(ValidationError):
        services.fulfil_mandate(mandate=world.mandate, by=admin, fulfilled_on=date(2021, 12, 1))
    services.fulfil_mandate(mandate=world.mandate, by=admin, fulfilled_on=date(2021, 12, 1),
                            fulfilled_by=world.statement)  # fmt: skip
    world.mandate.refresh_from_db()
    assert world.mandate.status_on(date(2031, 1, 1)) == "fulfilled"
    assert world.mandate.history.first().history_user == admin


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, data, content_type", [
    ("antrag.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", "application/pdf"),
    ("plan.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("liste.csv", "Schule;Geräte\nA;12\n".encode(), "text/csv"),
])  # fmt: skip
def test_allowed_files_are_stored_under_a_generated_name(world, admin, settings, tmp_path, name, data, content_type):
    settings.MEDIA_ROOT = tmp_path
    stored = services.attach_file(paper=world.motion, by=admin, upload=SimpleUploadedFile(name, data, "x/y"))
    assert stored.content_type == content_type and stored.size == len(data)
    assert name.rsplit(".", 1)[0] not in stored.file.name
    assert stored.file.name.startswith(f"council/{world.municipality.pk}/")
    assert (tmp_path / stored.file.name).read_bytes() == data


@pytest.mark.parametrize("name, data", [
    ("script.pdf", b"<script>alert(1)</script>"),  # claims PDF, is not
    ("programm.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
    ("seite.html", b"<html><script>alert(1)</script></html>"),
    ("archiv.docx", b"PK\x03\x04" + b"\x00" * 30),  # a broken zip
    ("leer.txt", b""),
])  # fmt: skip
def test_forbidden_file_types_are_refused(world, admin, settings, tmp_path, name, data):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as exc:
        services.attach_file(paper=world.motion, by=admin, upload=SimpleUploadedFile(name, data))
    assert "nicht erlaubt" in messages_of(exc.value) or "leer" in messages_of(exc.value)
    assert not PaperFile.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_too_large_file_is_refused(world, admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = b"%PDF-1.7\n" + b"0" * 2048
    with pytest.raises(ValidationError) as exc:
        services.attach_file(paper=world.motion, by=admin, upload=SimpleUploadedFile("gross.pdf", data), max_bytes=1024)
    assert "zu groß" in messages_of(exc.value)
    assert not PaperFile.objects.exists()


def test_upload_form_reports_the_error_and_keeps_the_paper(client_of, admin, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client_of(admin).post(
        f"/plauen/intern/rat/vorlagen/{world.motion.pk}/",
        {"action": "file", "file-upload": SimpleUploadedFile("x.exe", b"MZ\x90\x00")},
    )
    assert response.status_code == 400
    assert "Dieser Dateityp ist nicht erlaubt" in response.content.decode()
    world.motion.refresh_from_db()
    assert world.motion.title == "Ganzheitliche Digitalstrategie"


def test_files_are_served_only_to_readers_of_the_paper(client_of, admin, member, citizen, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = b"%PDF-1.7\nvertraulich"
    stored = services.attach_file(paper=world.secret, by=admin, upload=SimpleUploadedFile("anlage.pdf", data))
    url = f"/plauen/rat/vorlagen/{world.secret.pk}/dateien/{stored.pk}/"
    response = client_of(member).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"].startswith("attachment;") and "anlage.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    for client in (client_of(None), client_of(citizen)):
        assert client.get(url).status_code == 404
    # The file under a public paper's address is still the secret paper's: 404.
    assert client_of(None).get(f"/plauen/rat/vorlagen/{world.motion.pk}/dateien/{stored.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["council", "member", "reader", "pilot", "citizen", "finance", "celle_admin"])
def test_only_admin_and_editors_write(request, world, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.create_paper(municipality=world.municipality, by=user, kind=PaperKind.MOTION, reference="Neu-1",
                              date=date(2022, 1, 1), title="Neu", originator_kind=OriginatorKind.MAYOR)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.create_mandate(paper=world.motion, by=user, title="x", due_date=date(2030, 1, 1))


def test_editor_writes_and_the_audit_trail_names_them(world, staff):
    paper = services.create_paper(municipality=world.municipality, by=staff, kind=PaperKind.PROPOSAL,
                                  reference="BV-1", date=date(2022, 1, 1), title="Beschlussvorlage",
                                  originator_kind=OriginatorKind.MAYOR)  # fmt: skip
    assert paper.history.get().history_user == staff


def test_pages_refuse_writes_to_council_members(client_of, council, world):
    client = client_of(council)
    assert client.get("/plauen/intern/rat/vorlagen/neu/").status_code == 403
    response = client.post(f"/plauen/intern/rat/vorlagen/{world.motion.pk}/", {"action": "mandate"})
    assert response.status_code == 403
    assert client.post("/api/v1/plauen/council/papers", {
        "kind": "motion", "reference": "Z", "date": "2022-01-01", "title": "Z", "originator_kind": "mayor"},
        content_type="application/json").status_code == 403  # fmt: skip
    assert not Paper.objects.filter(reference="Z").exists()
