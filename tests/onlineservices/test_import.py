"""The catalogue import: reading, mapping, preview, all-or-nothing saving, the page."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from stadtlotse.onlineservices import imports
from stadtlotse.onlineservices.models import CatalogueEntry, Service

pytestmark = pytest.mark.django_db

CSV = ("LeiKa-Schlüssel;Leistung;Sachgebiet;Amt\n"
       "99100000000001;Hund anmelden;Steuern;Kämmerei\n"
       "99100000000002;Wohnsitz anmelden;Meldewesen;50\n"
       "99100000000003;Fundsache melden;;\n").encode()  # fmt: skip


def _preview(data: bytes, municipality, name="liste.csv", ignore_other=False, mapping=None):
    table = imports.read_table(name, data)
    return imports.preview(table, mapping or imports.guess_mapping(table.header), municipality, ignore_other)


def test_guessed_columns_and_a_clean_preview(os_world):
    result = _preview(CSV, os_world.municipality)
    assert result.mapping == {"key": 0, "name": 1, "subject_area": 2, "department": 3}
    assert not result.has_errors
    assert result.counts == {"create": 3, "exists": 0}
    assert result.rows[0].department == os_world.desk and result.rows[1].department == os_world.office


def test_apply_adds_catalogue_entries_and_services_and_a_second_run_adds_nothing(os_world, admin):
    result = _preview(CSV, os_world.municipality)
    counts = imports.apply(result, os_world.municipality, admin)
    assert (counts.created, counts.existing, counts.catalogue_added) == (3, 0, 3)
    service = Service.objects.get(municipality=os_world.municipality, catalogue_entry__key="99100000000001")
    assert (service.name, service.subject_area, service.department, service.maturity_level) == (
        "Hund anmelden",
        "Steuern",
        os_world.desk,
        0,
    )
    assert service.history.first().history_user == admin
    again = imports.apply(_preview(CSV, os_world.municipality), os_world.municipality, admin)
    assert (again.created, again.existing, again.catalogue_added) == (0, 3, 0)


def test_the_shared_catalogue_is_shared_and_not_overwritten(os_world, admin, celle_admin, celle):
    imports.apply(_preview(CSV, os_world.municipality), os_world.municipality, admin)
    renamed = CSV.replace(b"Hund anmelden", b"Hundesteuer")
    preview = _preview(renamed, celle, mapping={"key": 0, "name": 1, "subject_area": 2}, ignore_other=True)
    counts = imports.apply(preview, celle, celle_admin)
    assert (counts.created, counts.catalogue_added) == (3, 0)
    assert CatalogueEntry.objects.get(key="99100000000001").name == "Hund anmelden"
    assert Service.objects.get(municipality=celle, catalogue_entry__key="99100000000001").name == "Hundesteuer"


def test_unknown_columns_are_an_error_unless_ignored(os_world):
    data = CSV.decode().replace("Amt\n", "Amt;Bemerkung\n", 1).encode()
    result = _preview(data, os_world.municipality)
    assert result.has_errors and "E: Bemerkung" in result.errors[0]
    assert not _preview(data, os_world.municipality, ignore_other=True).has_errors


def test_duplicate_keys_bad_keys_and_unknown_departments_are_named_by_row(os_world):
    data = (CSV.decode() + "99100000000002;Noch einmal;;\n123;Kurz;;\n99100000000009;X;;Bauamt\n").encode()
    result = _preview(data, os_world.municipality)
    errors = result.all_errors
    assert "Zeile 5: Der Schlüssel 99100000000002 steht schon in Zeile 3." in errors
    assert "Zeile 6: „123“ ist kein LeiKa-Schlüssel (14 Ziffern)." in errors
    assert "Zeile 7: Das Amt „Bauamt“ ist unbekannt." in errors


def test_an_import_with_errors_saves_nothing(os_world, admin):
    data = (CSV.decode() + "99100000000002;Doppelt;;\n").encode()
    result = _preview(data, os_world.municipality)
    before = (Service.objects.count(), CatalogueEntry.objects.count())
    with pytest.raises(ValidationError):
        imports.apply(result, os_world.municipality, admin)
    assert (Service.objects.count(), CatalogueEntry.objects.count()) == before


def test_a_failure_midway_rolls_everything_back(os_world, admin, monkeypatch):
    from stadtlotse.onlineservices import services

    real = services.create_service
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ValidationError("boom")
        return real(**kwargs)

    monkeypatch.setattr(services, "create_service", failing)
    before = (Service.objects.count(), CatalogueEntry.objects.count())
    with pytest.raises(ValidationError):
        imports.apply(_preview(CSV, os_world.municipality), os_world.municipality, admin)
    assert (Service.objects.count(), CatalogueEntry.objects.count()) == before


def test_required_columns_must_be_mapped(os_world):
    result = _preview(CSV, os_world.municipality, mapping={"name": 1})
    assert result.has_errors and "LeiKa-Schlüssel" in result.errors[0]


def test_xlsx_is_read_too(os_world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Schlüssel", "Bezeichnung"])
    sheet.append([99100000000001, "Hund anmelden"])  # a number cell, as Excel stores long keys
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = _preview(buffer.getvalue(), os_world.municipality, name="katalog.xlsx")
    assert not result.has_errors and result.rows[0].values["key"] == "99100000000001"


def test_only_the_administration_imports(os_world, staff):
    with pytest.raises(PermissionDenied):
        imports.apply(_preview(CSV, os_world.municipality), os_world.municipality, staff)


def test_import_page_upload_preview_confirm(os_world, admin, client_of, django_assert_max_num_queries):
    client = client_of(admin)
    upload = SimpleUploadedFile("liste.csv", CSV, content_type="text/csv")
    response = client.post("/plauen/intern/onlinedienste/import/", {"step": "upload", "file": upload})
    assert response.status_code == 200 and response.context["can_import"]
    form = response.context["mapping_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["step"] = "confirm"
    with django_assert_max_num_queries(60):
        response = client.post("/plauen/intern/onlinedienste/import/", data)
    assert response.status_code == 302
    assert Service.objects.filter(municipality=os_world.municipality, catalogue_entry__isnull=False).count() == 3


def test_import_page_refuses_a_list_with_errors_in_german(os_world, admin, client_of):
    client = client_of(admin)
    data = (CSV.decode() + "99100000000001;Doppelt;;\n").encode()
    upload = SimpleUploadedFile("liste.csv", data, content_type="text/csv")
    response = client.post("/plauen/intern/onlinedienste/import/", {"step": "upload", "file": upload},
                           HTTP_ACCEPT_LANGUAGE="de")  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and "steht schon in Zeile 2" in body and not response.context["can_import"]
    assert not Service.objects.filter(catalogue_entry__isnull=False).exists()


@pytest.mark.parametrize("persona", ["staff", "pilot", "citizen", "celle_admin"])
def test_import_page_is_for_the_administration(os_world, persona, request, client_of):
    assert client_of(request.getfixturevalue(persona)).get("/plauen/intern/onlinedienste/import/").status_code == 403
