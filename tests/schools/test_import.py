"""Importing devices: preview first, then all rows or none, with messages that name row and column."""

import io

import pytest

from stadtlotse.schools.models import Asset

CSV_OK = ("Schule;Inventarnummer;Art;Modell;Anschaffungsjahr;Garantie bis\n"
          "S000;T-1;Tablet;Tab 10;2024;31.12.2027\n"
          "Schule 00;T-2;Beamer;;2019;\n"
          "S000;INV-0;Laptop;Neu;2025;2028-06-30\n")  # fmt: skip


def upload(client, content: str, name: str = "geraete.csv"):
    data = io.BytesIO(content.encode("utf-8"))
    data.name = name
    return client.post("/plauen/intern/schulen/geraete/import/", {"step": "upload", "file": data})


def confirm(client, response):
    context = response.context
    return client.post("/plauen/intern/schulen/geraete/import/", {"step": "confirm",
                                                                  "filename": context["filename"],
                                                                  "content": context["content"]})  # fmt: skip


def test_preview_then_import_adds_and_updates_devices(school_world, school_user, client_of):
    client = client_of(school_user)
    preview = upload(client, CSV_OK)
    assert preview.status_code == 200
    assert [r.action for r in preview.context["preview"].rows] == ["create", "create", "update"]
    assert Asset.objects.filter(school=school_world.schools[0]).count() == 1  # nothing saved yet
    response = confirm(client, preview)
    assert response.status_code == 302
    assets = {a.inventory_number: a for a in Asset.objects.filter(school=school_world.schools[0])}
    assert set(assets) == {"INV-0", "T-1", "T-2"}
    assert (assets["INV-0"].kind, assets["INV-0"].model_name, str(assets["INV-0"].warranty_end)) == (
        "laptop", "Neu", "2028-06-30")
    assert assets["T-2"].kind == "projector" and assets["T-2"].warranty_end is None


@pytest.mark.parametrize("content, message", [
    ("Schule;Inventarnummer;Art;Farbe\nS000;X;Tablet;rot\n", "Unbekannte Spalten: D: Farbe"),
    ("Schule;Art\nS000;Tablet\n", "Pflichtspalten fehlen: Inventarnummer"),
    ("Schule;Inventarnummer;Art\nS000;X;Tablet\nS000;X;Laptop\n", "steht schon in Zeile 2"),
    ("Schule;Inventarnummer;Art\nS001;X;Tablet\n", "„S001“ ist keine Ihrer Schulen"),
    ("Schule;Inventarnummer;Art\nS000;X;Toaster\n", "„Toaster“ ist unbekannt"),
    ("Schule;Inventarnummer;Art;Anschaffungsjahr\nS000;X;Tablet;neu\n", "„neu“ ist kein Jahr"),
    ("Schule;Inventarnummer;Art;Garantie bis\nS000;X;Tablet;bald\n", "„bald“ ist kein Datum"),
])  # fmt: skip
def test_bad_files_are_refused_with_a_clear_message_and_nothing_is_saved(school_world, school_user, client_of,
                                                                          content, message):  # fmt: skip
    client = client_of(school_user)
    good_rows = "S000;OK-1;Tablet\n"
    response = upload(client, content + (good_rows if content.count(";") and "Farbe" not in content else ""))
    body = response.content.decode()
    assert message in body
    assert response.context["preview"].has_errors
    # confirming anyway imports nothing
    confirm(client, response)
    assert not Asset.objects.filter(inventory_number__in=["X", "OK-1"]).exists()


def test_a_file_of_another_type_is_refused(school_world, staff, client_of):
    response = upload(client_of(staff), "irgendwas", name="geraete.pdf")
    body = response.content.decode()
    assert "kern-alert--danger" in body and "geraete.pdf" in body
    assert response.context["preview"] is None


def test_citizens_cannot_import(school_world, citizen, client_of):
    assert upload(client_of(citizen), CSV_OK).status_code == 403


def test_import_page_needs_a_fixed_number_of_queries(school_world, staff, client_of, django_assert_max_num_queries):
    client = client_of(staff)
    with django_assert_max_num_queries(10):
        assert upload(client, CSV_OK).status_code == 200
    more = CSV_OK + "".join(f"S00{i % 3};N-{i};Tablet\n" for i in range(40))
    with django_assert_max_num_queries(10):
        assert upload(client, more).status_code == 200


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(school_world, school_user, client_of, monkeypatch):
    from django.core.files.uploadedfile import InMemoryUploadedFile, TemporaryUploadedFile

    from stadtlotse.portfolio import imports

    def never(self, *args):
        raise AssertionError("an oversized upload was read into memory")

    monkeypatch.setattr(imports, "MAX_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(InMemoryUploadedFile, "read", never)
    monkeypatch.setattr(TemporaryUploadedFile, "read", never)
    response = upload(client_of(school_user), CSV_OK + "S000;T-9;Tablet\n" * 150_000)  # 2.4 MB
    assert response.status_code == 200
    assert "Die Datei ist größer als 2 MB." in response.content.decode()
    assert response.context["preview"] is None
    assert not Asset.objects.filter(inventory_number="T-9").exists()
