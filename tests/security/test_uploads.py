"""Every upload, through HTTP as an outsider would try it.

Uploads: the project list import (portfolio), the catalogue import (online services) and the
device import (schools), which share one table reader; council paper files; a school's media
concept document. Each refuses content that does not match its extension, files over the
limit and zip bombs; a name with a path in it reaches the file system under a generated or
cleaned name inside ``MEDIA_ROOT``; stored files come back only as downloads with a checked type
and ``nosniff``, only to readers, and no upload has a public address under ``/media/``.
(OParl imports come from an address, not an upload.)
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from stadtlotse.core.models import Visibility
from stadtlotse.council import services as council
from stadtlotse.council.models import OriginatorKind, PaperFile, PaperKind
from stadtlotse.onlineservices.models import CatalogueEntry
from stadtlotse.portfolio.models import Project
from stadtlotse.schools import services as schools
from stadtlotse.schools.models import MediaConcept

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bomb() -> bytes:
    """A workbook's outline whose sheet unpacks to 200 MB of empty rows (a few hundred KB packed)."""
    row = b'<row r="1"><c r="A1"/></row>'
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    sheet += row * (200 * 1024 * 1024 // len(row)) + b"</sheetData></worksheet>"
    return zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                   "xl/worksheets/sheet1.xml": sheet})  # fmt: skip


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = xlsx_bomb()
    assert len(data) < 2 * 1024 * 1024, "the bomb must pass the size limit of the upload itself"
    return data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_under(folder) -> list:
    return [p for p in folder.parent.rglob("*") if p.is_file()] if folder.parent.exists() else []


def page(response) -> str:
    return response.content.decode(errors="replace")


# --- the table imports ----------------------------------------------------------------------------

IMPORTS = {
    "portfolio": "/plauen/intern/projekte/import/",
    "onlineservices": "/plauen/intern/onlinedienste/import/",
    "schools": "/plauen/intern/schulen/geraete/import/",
}


def upload_table(client: Client, url: str, name: str, data: bytes):
    return client.post(url, {"step": "upload", "file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize("part", IMPORTS)
@pytest.mark.parametrize(("name", "data", "message"), [
    ("liste.xlsx", HTML, "Excel-Arbeitsmappe"),  # HTML under a workbook's name
    ("liste.xlsx", zipped({"word/document.xml": b"<w/>"}), "Excel-Arbeitsmappe"),  # a Word file renamed
    ("liste.csv", EXE, "CSV"),  # a program under a CSV name
    ("liste.svg", SVG, "liste.svg"),  # neither type: named in the refusal
    ("liste.csv", b"Nr;Titel\n" + b"P-1;Portal\n" * 600_000, "MB"),  # 6.6 MB, over the 5 MB limit
])  # fmt: skip
def test_the_table_imports_refuse_wrong_content_and_oversized_files(admin, school, part, name, data, message,
                                                                      media):  # fmt: skip
    client = Client()
    client.force_login(admin)
    response = upload_table(client, IMPORTS[part], name, data)
    assert response.status_code == 200, response.status_code  # the upload form again, with the reason
    assert message in page(response)
    assert 'name="content"' not in page(response), "no file is carried on to the next step"
    assert not Project.objects.exists() and not CatalogueEntry.objects.filter(name__contains="Portal").exists()
    assert not files_under(media), "a refused upload leaves nothing behind"


@pytest.mark.parametrize("part", IMPORTS)
def test_the_table_imports_refuse_a_zip_bomb_without_unpacking_it(admin, school, part, bomb, media):
    client = Client()
    client.force_login(admin)
    response = upload_table(client, IMPORTS[part], "liste.xlsx", bomb)
    assert response.status_code == 200
    assert "entpackt sich zu mehr als 100 MB" in page(response)


@pytest.mark.parametrize("part", IMPORTS)
def test_a_workbook_with_paths_in_its_members_is_refused_and_nothing_is_extracted(admin, school, part, media,
                                                                                 tmp_path):  # fmt: skip
    data = zipped({"../../../../tmp/stadtlotse-pwned.txt": b"x", "/etc/stadtlotse-pwned": b"x",
                   "[Content_Types].xml": b"<Types/>"})  # fmt: skip
    client = Client()
    client.force_login(admin)
    response = upload_table(client, IMPORTS[part], "liste.xlsx", data)
    assert response.status_code == 200
    assert "Excel-Arbeitsmappe" in page(response)
    assert not any(tmp_path.rglob("*pwned*")) and not files_under(media)


@pytest.mark.parametrize("part", IMPORTS)
@pytest.mark.parametrize("who", [None, "citizen", "celle_admin", "reader"])
def test_only_the_towns_staff_may_upload_a_table(request, part, who, media, school):
    client = Client()
    if who:
        client.force_login(request.getfixturevalue(who))
    response = upload_table(client, IMPORTS[part], "liste.csv", b"Nr;Titel\nP-1;Portal\n")
    if who is None:
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
    else:
        assert response.status_code in (403, 404), (who, response.status_code)
    assert 'name="content"' not in page(response)


# --- council paper files --------------------------------------------------------------------------


@pytest.fixture
def paper(plauen, admin):
    return council.create_paper(municipality=plauen, by=admin, kind=PaperKind.MOTION, reference="A-1/2026",
                                date=date(2026, 1, 1), title="Antrag", originator_kind=OriginatorKind.MAYOR,
                                visibility=Visibility.PUBLIC)  # fmt: skip


def attach(client: Client, paper, name: str, data: bytes):
    return client.post(f"/plauen/intern/rat/vorlagen/{paper.pk}/",
                       {"action": "file", "file-upload": SimpleUploadedFile(name, data)})  # fmt: skip


@pytest.mark.parametrize(("name", "data"), [
    ("beschluss.pdf", HTML), ("plan.svg", SVG), ("plan.pdf", SVG), ("seite.html", HTML), ("setup.docx", EXE),
    ("bombe.odt", zipped({"mimetype": b"application/vnd.oasis.opendocument.text" + b" " * 50_000_000})),
    ("gross.pdf", PDF + b"0" * (10 * 1024 * 1024)),
])  # fmt: skip
def test_a_paper_file_of_the_wrong_kind_or_size_is_refused(admin, paper, media, name, data):
    client = Client()
    client.force_login(admin)
    response = attach(client, paper, name, data)
    assert response.status_code == 400
    assert "nicht erlaubt" in page(response) or "zu groß" in page(response)
    assert not PaperFile.objects.exists()
    assert not files_under(media)


def test_a_paper_file_is_stored_under_a_generated_name_and_served_only_as_a_download(admin, paper, media, citizen):
    client = Client()
    client.force_login(admin)
    response = attach(client, paper, "../../../etc/<b>anlage</b>.pdf", PDF)
    assert response.status_code == 302
    stored = PaperFile.objects.get()
    path = media / stored.file.name
    assert path.is_file() and path.resolve().is_relative_to(media.resolve())
    assert "anlage" not in stored.file.name and ".." not in stored.file.name
    assert "/" not in stored.name and "<" not in stored.name

    url = f"/plauen/rat/vorlagen/{paper.pk}/dateien/{stored.pk}/"
    for reader in (Client(), client):
        download = reader.get(url)
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == PDF
    assert Client().get(f"/media/{stored.file.name}").status_code == 404
    assert Client().get(f"/{stored.file.name}").status_code == 404

    paper.visibility = Visibility.INTERNAL
    paper.save(update_fields=["visibility"])
    for outsider in (None, citizen):
        other = Client()
        if outsider:
            other.force_login(outsider)
        assert other.get(url).status_code == 404


def test_another_towns_administrator_cannot_attach_a_file(celle_admin, paper, media):
    client = Client()
    client.force_login(celle_admin)
    response = attach(client, paper, "anlage.pdf", PDF)
    assert response.status_code in (403, 404)
    assert not PaperFile.objects.exists()


# --- a school's media concept ---------------------------------------------------------------------


@pytest.fixture
def school(plauen, admin):
    return schools.create_school(municipality=plauen, by=admin, name="Diesterweg-Gymnasium", school_type="grammar")


def send_concept(client: Client, school, name: str, data: bytes):
    return client.post(f"/plauen/intern/schulen/{school.pk}/medienkonzept/",
                       {"status": "missing", "goals": "", "document": SimpleUploadedFile(name, data)})  # fmt: skip


@pytest.mark.parametrize(("name", "data"), [
    ("konzept.pdf", HTML), ("konzept.pdf", SVG), ("konzept.docx", EXE), ("konzept.odt", b"PK\x03\x04" + b"\0" * 40),
    ("konzept.pdf", PDF + b"0" * (10 * 1024 * 1024)),
])  # fmt: skip
def test_a_media_concept_document_of_the_wrong_kind_or_size_is_refused(admin, school, media, name, data):
    client = Client()
    client.force_login(admin)
    response = send_concept(client, school, name, data)
    assert response.status_code == 200  # the form again, with the reason
    assert "nicht erlaubt" in page(response) or "zu groß" in page(response) or "Medienkonzept muss" in page(response)
    assert not MediaConcept.objects.exclude(document="").exists()
    assert not files_under(media)


def test_a_media_concept_document_is_kept_inside_media_and_served_only_as_a_download(admin, school, media,
                                                                                     celle_admin):  # fmt: skip
    client = Client()
    client.force_login(admin)
    response = send_concept(client, school, "../../konzept.pdf", PDF)
    assert response.status_code == 302, page(response)[:500]
    concept = MediaConcept.objects.get(school=school)
    assert (media / concept.document.name).resolve().is_relative_to(media.resolve())
    url = f"/plauen/intern/schulen/{school.pk}/medienkonzept/dokument/"
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    assert Client().get(f"/media/{concept.document.name}").status_code == 404
    other = Client()
    other.force_login(celle_admin)
    assert other.get(url).status_code in (403, 404)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/konto/anmelden/" in anonymous["Location"]


def test_schools_service_checks_the_document_too(admin, school, media):
    """Not only the page: the service itself refuses the content (the API and scripts use it)."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        schools.update_media_concept(school=school, by=admin, document=SimpleUploadedFile("k.pdf", HTML))
    assert "document" in exc.value.message_dict
