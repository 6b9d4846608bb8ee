"""Import of a city's project list (XLSX/CSV): reading, guessing the columns, the preview with
every row's errors, the all-or-nothing import keyed by the city's own project ids, and the
three steps of the page over HTTP.

Messages are checked in English (``translation.override("en")`` and the language cookie), so
that the tests do not depend on the state of the German catalogue.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Department
from stadtlotse.portfolio import import_views, imports, services
from stadtlotse.portfolio.models import Milestone, Project, ProjectStatus

URL = "/plauen/intern/projekte/import/"
LIST_URL = "/plauen/intern/projekte/"
# session, user, municipality, roles, departments, projects, milestones
PREVIEW_QUERIES = 7

HEADER = ["Nr.", "Titel", "Amt", "Status", "Beginn", "Ende", "Meilenstein", "fällig"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def departments(plauen) -> dict[str, Department]:
    return {
        name: core_services.create_department(municipality=plauen, by=None, code=code, name=name)
        for code, name in (("10", "Hauptamt"), ("20", "Kämmerei"), ("IT", "Digitalisierung"))
    }


def csv_bytes(rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    return "\r\n".join(delimiter.join(row) for row in rows).encode(encoding)


def xlsx_bytes(rows: list[list], start_row: int = 1) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=start_row + offset, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table(rows: list[list[str]]) -> imports.Table:
    return imports.read_table("liste.csv", csv_bytes(rows))


def check(rows: list[list[str]], municipality) -> imports.Preview:
    t = table(rows)
    return imports.preview(t, imports.guess_mapping(t.header), municipality)


FIRST_LIST = [
    HEADER,
    ["P-1", "Bürgerportal", "IT", "in Arbeit", "01.03.2024", "31.12.2025", "Ausschreibung", "30.06.2024"],
    ["P-1", "Bürgerportal", "IT", "in Arbeit", "01.03.2024", "31.12.2025", "Go-live", "01.10.2025"],
    ["P-2", "E-Akte", "Hauptamt", "beschlossen", "2024-09-01", "2026-06-30", "", ""],
    ["P-3", "Glasfaser Schulen", "20", "Idee", "", "", "", ""],
]


# Reading ----------------------------------------------------------------------------------


def test_reads_xlsx_with_the_header_below_empty_rows_dates_as_iso_and_row_numbers_as_in_excel():
    data = xlsx_bytes(
        [
            ["Nr.", "Titel", "Beginn", "Ende"],
            [17.0, "Bürgerportal", datetime(2024, 3, 1), date(2025, 12, 31)],
            [None, None, None, None],
            ["P-2", "  E-Akte  ", "01.09.2024", None],
        ],
        start_row=3,
    )
    t = imports.read_table("Projektliste.XLSX", data)
    assert t.header == ["Nr.", "Titel", "Beginn", "Ende"]
    assert t.rows == [["17", "Bürgerportal", "2024-03-01", "2025-12-31"], ["P-2", "E-Akte", "01.09.2024", ""]]
    assert t.numbers == [4, 6]
    assert t.header_number == 3


def test_reads_csv_with_semicolons_in_windows_1252():
    data = csv_bytes([["Nr.", "Titel", "Amt"], ["1", "Bürgerportal für Ölstädte", "Kämmerei"]], encoding="cp1252")
    t = imports.read_table("liste.csv", data)
    assert t.header == ["Nr.", "Titel", "Amt"]
    assert t.rows == [["1", "Bürgerportal für Ölstädte", "Kämmerei"]]


def test_reads_csv_with_commas_quotes_and_a_utf8_bom():
    data = "\ufeffNr.,Titel,Schlagworte\r\n1,\"Portal; neu\",\"a, b\"\r\n\r\n2,Akte,\r\n".encode()
    t = imports.read_table("liste.csv", data)
    assert t.header == ["Nr.", "Titel", "Schlagworte"]
    assert t.rows == [["1", "Portal; neu", "a, b"], ["2", "Akte", ""]]
    assert t.numbers == [2, 4]


def test_reads_csv_whose_delimiter_only_the_sniffer_can_tell():
    data = b"Titel\tNr\r\nPortal\t1\r\n"
    assert imports.read_table("liste.csv", data).rows == [["Portal", "1"]]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("liste.pdf", b"%PDF-1.4", "Upload an Excel workbook (.xlsx) or a CSV file (.csv); “liste.pdf” is neither."),
        ("liste.xls", b"\xd0\xcf\x11\xe0", "Old Excel files (.xls) cannot be read"),
        ("liste.csv", b"", "The file is empty."),
        ("liste.csv", b" \r\n;;\r\n", "The file is empty."),
        ("liste.csv", b"Nr;Titel\r\n", "The file has a header row but no rows below it."),
        ("liste.xlsx", b"PK\x03\x04 kaputt", "The file could not be read as an Excel workbook (.xlsx)."),
        ("liste.csv", b"x" * (5 * 1024 * 1024 + 1), "The file is larger than 5 MB."),
        ("liste.csv", b"Nr;Titel\r\n" + b"1;A\r\n" * 5001, "The file has more than 5000 rows"),
    ],
)
def test_refuses_wrong_types_empty_damaged_oversized_and_overlong_files(filename, data, message):
    with pytest.raises(ValidationError) as exc:
        imports.read_table(filename, data)
    assert message in exc.value.messages[0]


def test_reads_5000_rows_from_xlsx_but_not_5001():
    rows = [["Nr.", "Titel"]] + [[f"P-{i}", f"Projekt {i}"] for i in range(5000)]
    assert len(imports.read_table("liste.xlsx", xlsx_bytes(rows)).rows) == 5000
    with pytest.raises(ValidationError, match="more than 5000 rows"):
        imports.read_table("liste.xlsx", xlsx_bytes(rows + [["P-x", "Einer zu viel"]]))


# Guessing the columns ---------------------------------------------------------------------


def test_guesses_german_headings():
    header = ["Lfd. Nr.", "Projekt", "Kurzbeschreibung", "Federführendes Amt", "Projektleitung", "Status",
              "Beginn (geplant)", "Ende", "Sichtbarkeit", "Schlagworte", "Meilenstein", "fällig am",
              "Bemerkung"]  # fmt: skip
    assert imports.guess_mapping(header) == {
        "external_id": 0, "title": 1, "summary": 2, "lead_department": 3, "lead_person": 4, "status": 5,
        "planned_start": 6, "planned_end": 7, "visibility": 8, "tags": 9, "milestone_title": 10, "milestone_due": 11,
    }  # fmt: skip


def test_guesses_english_headings_and_the_short_german_ones():
    header = ["Project ID", "Title", "Department", "Status", "Start", "End", "Milestone", "Due"]
    assert imports.guess_mapping(header) == {
        "external_id": 0, "title": 1, "lead_department": 2, "status": 3, "planned_start": 4, "planned_end": 5,
        "milestone_title": 6, "milestone_due": 7,
    }  # fmt: skip
    assert imports.guess_mapping(["Projekt-ID", "Titel", "Federführung", "Meilenstein fällig", "Meilenstein"]) == {
        "external_id": 0, "title": 1, "lead_department": 2, "milestone_due": 3, "milestone_title": 4,
    }  # fmt: skip
    assert imports.guess_mapping(["Kunde", "Betrag"]) == {}


# Preview ----------------------------------------------------------------------------------


def test_preview_of_a_new_list_cleans_every_value_and_plans_to_create(plauen, departments):
    result = check(FIRST_LIST, plauen)
    assert not result.has_errors
    assert [(r.number, r.action) for r in result.rows] == [(2, "create"), (3, "create"), (4, "create"), (5, "create")]
    first = result.rows[0].values
    assert first["lead_department"] == departments["Digitalisierung"]  # by code
    assert first["status"] == ProjectStatus.IN_PROGRESS
    assert (first["planned_start"], first["planned_end"]) == (date(2024, 3, 1), date(2025, 12, 31))
    assert result.rows[2].values["lead_department"] == departments["Hauptamt"]  # by name
    assert result.rows[2].values["status"] == ProjectStatus.APPROVED
    assert result.counts == {"create": 3, "update": 0, "unchanged": 0, "milestones_create": 2, "milestones_update": 0}
    assert Project.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "value"),
    [("in progress", "in_progress"), ("IN_PROGRESS", "in_progress"), ("Abgeschlossen", "completed"),
     ("cancelled", "cancelled"), ("pausiert", "paused"), ("vorgeschlagen", "proposed"), ("Idea", "idea")],
)  # fmt: skip
def test_status_in_german_or_english_labels_or_values(plauen, text, value):
    result = check([["Nr.", "Titel", "Status"], ["1", "A", text]], plauen)
    assert result.rows[0].values["status"] == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("öffentlich", "public"), ("Intern", "internal"), ("VERTRAULICH", "confidential"), ("public", "public")],
)
def test_visibility_in_german_or_english(plauen, text, value):
    result = check([["Nr.", "Titel", "Sichtbarkeit"], ["1", "A", text]], plauen)
    assert result.rows[0].values["visibility"] == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("01.03.2024", date(2024, 3, 1)), ("1.3.2024", date(2024, 3, 1)), ("2024-03-01", date(2024, 3, 1)),
     ("2024-03-01 00:00:00", date(2024, 3, 1)), ("45352", date(2024, 3, 1))],
)  # fmt: skip
def test_dates_as_german_iso_or_excel_day_numbers(plauen, text, value):
    result = check([["Nr.", "Titel", "Beginn"], ["1", "A", text]], plauen)
    assert result.rows[0].values["planned_start"] == value


def test_wrong_columns_are_reported_before_any_row(plauen):
    result = check([["Kunde", "Betrag", "Datum"], ["Müller", "12,50", "01.01.2024"]], plauen)
    assert result.has_errors
    assert result.rows == []
    assert result.errors == [
        "Choose the column that holds “Project ID”; it is required.",
        "Choose the column that holds “Title”; it is required.",
    ]


def test_a_column_chosen_twice_or_outside_the_file_is_reported(plauen):
    t = table([["Nr.", "Titel"], ["1", "A"]])
    result = imports.preview(t, {"external_id": 0, "title": 1, "summary": 1, "tags": 7}, plauen)
    assert "The column “B: Titel” is chosen both for “Title” and for “Summary”." in result.errors
    assert "The column chosen for “Tags” is not in the file." in result.errors


def test_bad_dates_name_row_and_field(plauen):
    result = check([HEADER, ["1", "A", "", "", "", "", "", ""], ["2", "B", "", "", "", "", "", ""],
                    ["3", "C", "", "", "31.02.2024", "März 2025", "Abnahme", "bald"]], plauen)  # fmt: skip
    assert result.rows[2].errors == [
        "Row 4, Planned start: “31.02.2024” is not a valid date.",
        "Row 4, Planned end: “März 2025” is not a valid date.",
        "Row 4, Milestone due: “bald” is not a valid date.",
    ]
    assert result.rows[2].action == ""
    assert [r.errors for r in result.rows[:2]] == [[], []]


def test_unknown_department_status_and_visibility_name_row_and_field(plauen, departments):
    result = check([["Nr.", "Titel", "Amt", "Status", "Sichtbarkeit"], ["1", "A", "Bauamt", "erledigt?", "geheim"]],
                   plauen)  # fmt: skip
    errors = result.rows[0].errors
    assert errors[0] == "Row 2, Lead department: There is no department “Bauamt” in Plauen (neither code nor name)."
    assert errors[1].startswith("Row 2, Status: “erledigt?” is not a known status. Possible: idea, proposed,")
    assert errors[2] == (
        "Row 2, Visibility: “geheim” is not a known visibility. Possible: public, internal, confidential."
    )


def test_departments_by_code_name_or_both_ignoring_case(plauen, departments):
    result = check([["Nr.", "Titel", "Amt"], ["1", "A", "KÄMMEREI"], ["2", "B", "20  Kämmerei"], ["3", "C", "20"],
                    ["4", "D", "it"]], plauen)  # fmt: skip
    assert [r.values["lead_department"] for r in result.rows] == [departments["Kämmerei"]] * 3 + [
        departments["Digitalisierung"]
    ]
    core_services.create_department(municipality=plauen, by=None, code="it", name="IT-Sicherheit")
    result = check([["Nr.", "Titel", "Amt"], ["1", "A", "It"]], plauen)
    assert result.rows[0].errors == [
        "Row 2, Lead department: “It” is the code of several departments; use the name instead."
    ]


def test_a_department_of_another_municipality_is_unknown(plauen, celle):
    core_services.create_department(municipality=celle, by=None, code="50", name="Stadtplanung")
    result = check([["Nr.", "Titel", "Amt"], ["1", "A", "Stadtplanung"]], plauen)
    assert result.rows[0].errors == [
        "Row 2, Lead department: There is no department “Stadtplanung” in Plauen (neither code nor name)."
    ]


def test_missing_id_or_title_too_long_text_and_end_before_start(plauen):
    result = check([["Nr.", "Titel", "Beginn", "Ende"], ["", "Ohne Nummer", "", ""], ["2", "", "", ""],
                    ["3", "T" * 201, "", ""], ["4", "D", "01.06.2025", "01.01.2025"]], plauen)  # fmt: skip
    assert [r.errors for r in result.rows] == [
        ["Row 2, Project ID: The value is missing."],
        ["Row 3, Title: The value is missing."],
        ["Row 4, Title: At most 200 characters are allowed (here 201)."],
        ["Row 5, Planned end: The end (01.01.2025) lies before the start (01.06.2025)."],
    ]


def test_milestone_without_due_date_or_due_date_without_milestone(plauen):
    result = check([HEADER, ["1", "A", "", "", "", "", "Abnahme", ""], ["2", "B", "", "", "", "", "", "01.01.2025"]],
                   plauen)  # fmt: skip
    assert result.rows[0].errors == ["Row 2, Milestone due: A milestone needs a due date."]
    assert result.rows[1].errors == ["Row 3, Milestone: There is a due date but no milestone."]


def test_duplicate_rows_are_errors_naming_both_rows(plauen):
    result = check([
        HEADER,
        ["P-1", "Portal", "", "", "", "", "Go-live", "01.10.2025"],
        ["P-1", "Portal", "", "", "", "", "go-live", "01.11.2025"],  # same milestone again
        ["P-2", "Akte", "", "", "", "", "", ""],
        ["P-2", "Akte", "", "", "", "", "", ""],  # the same row twice
        ["P-1", "Portal neu", "", "", "", "", "Abnahme", "01.12.2025"],  # conflicting title
    ], plauen)  # fmt: skip
    assert [r.errors for r in result.rows] == [
        [],
        ["Row 3, Milestone: The milestone “go-live” of project “P-1” is already in row 2."],
        [],
        ["Row 5, Project ID: The project “P-2” is already in row 4."],
        ["Row 6, Title: “Portal neu” differs from row 2 (“Portal”) with the same project ID."],
    ]
    assert result.has_errors


def test_rows_of_one_project_with_other_milestones_may_leave_project_cells_empty(plauen):
    result = check([
        HEADER,
        ["P-1", "Portal", "", "in Arbeit", "", "", "Ausschreibung", "01.05.2024"],
        ["P-1", "", "", "", "", "", "Go-live", "01.10.2025"],
    ], plauen)  # fmt: skip
    assert not result.has_errors
    plan = result.plans["P-1"]
    assert plan.fields["title"] == "Portal" and plan.fields["status"] == "in_progress"
    assert [(title, due) for _row, title, due in plan.milestones] == [
        ("Ausschreibung", date(2024, 5, 1)), ("Go-live", date(2025, 10, 1))
    ]


# Import -----------------------------------------------------------------------------------


def import_list(rows, municipality, by):
    return imports.apply(check(rows, municipality), municipality, by)


def test_import_creates_projects_and_milestones_through_the_services(plauen, admin, departments):
    counts = import_list(FIRST_LIST, plauen, admin)
    assert vars(counts) == {"created": 3, "updated": 0, "unchanged": 0, "milestones_created": 2,
                            "milestones_updated": 0}  # fmt: skip
    portal = Project.objects.get(municipality=plauen, external_id="P-1")
    assert portal.title == "Bürgerportal"
    assert portal.status == ProjectStatus.IN_PROGRESS  # set directly, not along the usual steps
    assert portal.lead_department == departments["Digitalisierung"]
    assert portal.history.first().history_user == admin
    assert list(portal.milestones.values_list("title", "due_date")) == [
        ("Ausschreibung", date(2024, 6, 30)), ("Go-live", date(2025, 10, 1))
    ]
    idea = Project.objects.get(external_id="P-3")
    assert (idea.status, idea.visibility, idea.planned_start) == ("idea", "internal", None)


def test_reimporting_an_updated_list_updates_instead_of_duplicating(plauen, admin, departments):
    import_list(FIRST_LIST, plauen, admin)
    portal = Project.objects.get(external_id="P-1")
    lock_version = portal.lock_version
    updated = [
        HEADER,
        ["P-1", "Bürgerportal", "IT", "abgeschlossen", "01.03.2024", "31.12.2025", "Ausschreibung", "30.06.2024"],
        ["P-1", "Bürgerportal", "IT", "abgeschlossen", "01.03.2024", "31.12.2025", "Go-live", "15.11.2025"],
        ["P-1", "Bürgerportal", "IT", "abgeschlossen", "01.03.2024", "31.12.2025", "Abnahme", "01.12.2025"],
        ["P-2", "E-Akte", "Hauptamt", "beschlossen", "2024-09-01", "2026-06-30", "", ""],
        ["P-4", "Ratsinformationssystem", "10", "vorgeschlagen", "", "", "", ""],
    ]
    result = check(updated, plauen)
    assert [(r.number, r.action) for r in result.rows] == [(2, "update"), (3, "update"), (4, "update"),
                                                          (5, "unchanged"), (6, "create")]  # fmt: skip
    assert result.rows[0].changes == ["Status"]
    assert result.rows[1].changes == ["milestone “Go-live” due on 15.11.2025"]
    assert result.rows[2].changes == ["new milestone “Abnahme”"]

    counts = imports.apply(result, plauen, admin)
    assert vars(counts) == {"created": 1, "updated": 1, "unchanged": 1, "milestones_created": 1,
                            "milestones_updated": 1}  # fmt: skip
    assert Project.objects.filter(municipality=plauen).count() == 4
    assert sorted(Project.objects.values_list("external_id", flat=True)) == ["P-1", "P-2", "P-3", "P-4"]
    portal.refresh_from_db()
    assert portal.status == ProjectStatus.COMPLETED  # in progress → completed directly
    assert portal.lock_version == lock_version + 1  # an editor's open form is refused afterwards
    assert list(portal.milestones.values_list("title", "due_date")) == [
        ("Ausschreibung", date(2024, 6, 30)), ("Go-live", date(2025, 11, 15)), ("Abnahme", date(2025, 12, 1))
    ]
    assert Milestone.objects.count() == 3
    assert Project.objects.get(external_id="P-3").title == "Glasfaser Schulen"  # not in the list: left alone

    again = check(updated, plauen)
    assert {r.action for r in again.rows} == {"unchanged"}
    assert vars(imports.apply(again, plauen, admin)) == {"created": 0, "updated": 0, "unchanged": 3,
                                                         "milestones_created": 0, "milestones_updated": 0}  # fmt: skip


def test_an_empty_cell_clears_text_and_dates_but_keeps_status_and_visibility(plauen, admin):
    rows = [["Nr.", "Titel", "Projektleitung", "Status", "Sichtbarkeit", "Beginn"],
            ["P-1", "Portal", "Frau Roth", "beschlossen", "öffentlich", "01.01.2025"]]  # fmt: skip
    import_list(rows, plauen, admin)
    import_list([rows[0], ["P-1", "Portal", "", "", "", ""]], plauen, admin)
    project = Project.objects.get(external_id="P-1")
    assert (project.lead_person, project.planned_start) == ("", None)
    assert (project.status, project.visibility) == ("approved", "public")


def test_the_import_is_keyed_per_municipality(plauen, celle, admin, celle_admin):
    import_list([["Nr.", "Titel"], ["P-1", "Plauener Portal"]], plauen, admin)
    import_list([["Nr.", "Titel"], ["P-1", "Celler Portal"]], celle, celle_admin)
    assert sorted(Project.objects.values_list("municipality__slug", "title")) == [
        ("celle", "Celler Portal"), ("plauen", "Plauener Portal")
    ]


def test_a_list_with_one_bad_row_imports_nothing(plauen, admin, departments):
    rows = FIRST_LIST + [["P-9", "Kaputt", "", "", "31.02.2024", "", "", ""]]
    result = check(rows, plauen)
    assert result.has_errors and len(result.error_rows) == 1
    with pytest.raises(ValidationError, match="The list still has errors; nothing was imported."):
        imports.apply(result, plauen, admin)
    assert Project.objects.count() == 0 and Milestone.objects.count() == 0


def test_a_failure_while_saving_rolls_back_everything(plauen, admin, departments, monkeypatch):
    result = check(FIRST_LIST, plauen)
    real = services.add_milestone
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["title"])
        if len(calls) == 2:
            raise ValidationError("Datenbank weg")
        return real(**kwargs)

    monkeypatch.setattr(services, "add_milestone", failing)
    with pytest.raises(ValidationError, match="Row 2: Datenbank weg"):
        imports.apply(result, plauen, admin)
    assert Project.objects.count() == 0 and Milestone.objects.count() == 0


@pytest.mark.parametrize("persona", ["staff", "citizen", "celle_admin", "council"])
def test_only_administrators_of_the_municipality_may_import(plauen, persona, request):
    result = check([["Nr.", "Titel"], ["P-1", "Portal"]], plauen)
    with pytest.raises(PermissionDenied):
        imports.apply(result, plauen, request.getfixturevalue(persona))
    assert not Project.objects.exists()


def test_a_preview_of_one_municipality_cannot_be_applied_to_another(plauen, celle, celle_admin):
    result = check([["Nr.", "Titel"], ["P-1", "Portal"]], plauen)
    with pytest.raises(ValidationError):
        imports.apply(result, celle, celle_admin)
    assert not Project.objects.exists()


# The page ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(admin, client_of):
    client = client_of(admin)
    client.cookies["django_language"] = "en"
    return client


def upload(client, rows, name="liste.csv", data=None):
    file = io.BytesIO(data if data is not None else csv_bytes(rows))
    file.name = name
    return client.post(URL, {"step": "upload", "file": file})


def carried(response) -> dict[str, str]:
    """The hidden fields and chosen columns of the mapping form, as the browser would send them."""
    form = response.context["mapping_form"]
    return {field.html_name: field.value() or "" for field in form}


def test_the_upload_page_is_german_and_its_queries_are_bounded(plauen, admin, client_of,
                                                               django_assert_max_num_queries):  # fmt: skip
    client = client_of(admin)
    with django_assert_max_num_queries(4):  # session, user, municipality, roles
        response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert response["Content-Language"] == "de"
    assert "<h1 class=\"kern-heading-x-large\">Projekte importieren</h1>" in body
    assert 'enctype="multipart/form-data"' in body
    assert '<input type="hidden" name="step" value="upload">' in body
    assert 'type="file" name="file"' in body


def test_three_steps_upload_check_and_import(plauen, admin_client, departments, django_assert_max_num_queries):
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        response = upload(admin_client, FIRST_LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["step"] == "mapping"
    assert response.context["can_import"]
    assert 'id="row-5"' in body and "Glasfaser Schulen" in body
    assert "The import will change – projects: 3 new, 0 changed, 0 unchanged; milestones: 2 new, 0 changed." in body
    data = carried(response)
    assert data["map_external_id"] == "0" and data["map_milestone_due"] == "7" and data["map_summary"] == ""
    assert data["filename"] == "liste.csv"
    assert not Project.objects.exists()

    # Check again with the status column left out.
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        response = admin_client.post(URL, {**data, "step": "mapping", "map_status": ""})
    assert response.status_code == 200
    assert response.context["mapping_form"].errors == {}
    assert "status" not in response.context["preview"].mapping
    data = carried(response)
    assert data["map_status"] == ""

    response = admin_client.post(URL, {**data, "step": "confirm"})
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Import finished – projects: 3 new, 0 changed, 0 unchanged; milestones: 2 new, 0 changed."
    ]
    assert Project.objects.filter(municipality=plauen).count() == 3
    assert set(Project.objects.values_list("status", flat=True)) == {"idea"}  # the status column was left out
    assert Milestone.objects.count() == 2


@pytest.mark.parametrize("size", [3, 60])
def test_the_preview_needs_the_same_number_of_queries_for_any_number_of_rows(
    size, plauen, admin, admin_client, departments, django_assert_max_num_queries
):
    rows = [HEADER] + [[f"P-{i}", f"Projekt {i}", "IT", "Idee", "", "", f"M {i}", "01.01.2026"] for i in range(size)]
    import_list(rows[: size // 2 + 1], plauen, admin)  # half of them are known already
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        response = upload(admin_client, rows)
    assert len(response.context["rows"]) == size
    assert [r.action for r in response.context["preview"].rows].count("create") == size - size // 2


def test_a_list_with_errors_shows_them_linked_to_the_rows_and_cannot_be_imported(plauen, admin_client):
    response = upload(admin_client, [HEADER, ["P-1", "Portal", "", "", "31.02.2024", "", "", ""]])
    body = response.content.decode()
    assert not response.context["can_import"]
    assert 'href="#row-2">Row 2, Planned start: “31.02.2024” is not a valid date.</a>' in body
    assert 'aria-describedby="row-2-errors"' in body and 'id="row-2-errors"' in body
    assert '<td class="kern-table__cell">31.02.2024</td>' in body  # the cell's text, as it is in the file
    assert 'name="step" value="confirm"' not in body

    # A forged confirmation is refused as well.
    response = admin_client.post(URL, {**carried(response), "step": "confirm"})
    assert response.status_code == 200
    assert "The list still has errors; nothing was imported." in response.content.decode()
    assert not Project.objects.exists()


def test_a_file_with_wrong_columns_names_the_missing_fields(plauen, admin_client):
    response = upload(admin_client, [["Kunde", "Betrag"], ["Müller", "12"]])
    body = response.content.decode()
    assert "Choose the column that holds “Project ID”; it is required." in body
    assert not response.context["can_import"]
    response = admin_client.post(URL, {**carried(response), "step": "mapping"})
    assert 'aria-invalid="true"' in response.content.decode()
    assert response.context["mapping_form"].errors["map_title"] == [
        "Choose the column that holds “Title”; it is required."
    ]


def test_an_unreadable_upload_is_an_error_at_the_file_field(plauen, admin_client):
    response = upload(admin_client, None, name="liste.pdf", data=b"%PDF")
    assert response.status_code == 200
    assert response.context["step"] == "upload"
    body = response.content.decode()
    assert "Upload an Excel workbook (.xlsx) or a CSV file (.csv); “liste.pdf” is neither." in body
    assert 'aria-invalid="true"' in body and 'aria-describedby="id_file_hint id_file_error"' in body


def test_damaged_carried_content_sends_back_to_the_upload(plauen, admin_client):
    response = admin_client.post(URL, {"step": "confirm", "filename": "liste.csv", "content": "kein base64!",
                                       "map_external_id": "0", "map_title": "1"})  # fmt: skip
    assert response.status_code == 200
    assert response.context["step"] == "upload"
    assert "The file was lost between the steps; please upload it again." in response.content.decode()


def test_an_xlsx_file_goes_through_the_steps(plauen, admin_client):
    data = xlsx_bytes([["Projekt-ID", "Titel", "Beginn"], ["P-1", "Portal", datetime(2024, 3, 1)]])
    response = upload(admin_client, None, name="Liste.xlsx", data=data)
    assert response.context["can_import"]
    response = admin_client.post(URL, {**carried(response), "step": "confirm"})
    assert response.status_code == 302
    assert Project.objects.get(external_id="P-1").planned_start == date(2024, 3, 1)


def test_pack_and_unpack_carry_the_file_and_refuse_too_much():
    data = csv_bytes(FIRST_LIST)
    assert import_views.unpack(import_views.pack(data)) == data
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        import_views.unpack(import_views.pack(b"0" * (5 * 1024 * 1024 + 1)))
    for damaged in ("", "kein base64!", import_views.pack(data)[:-12]):
        with pytest.raises(ValidationError, match="The file was lost between the steps"):
            import_views.unpack(damaged)


@pytest.mark.parametrize(
    ("persona", "reason"),
    [("staff", "Ihre Rolle erlaubt das nicht."),
     ("citizen", "Dieser Bereich ist der Verwaltung und dem Rat vorbehalten."),
     ("celle_admin", "Dieser Bereich ist der Verwaltung und dem Rat vorbehalten.")],
)  # fmt: skip
def test_others_get_the_403_page_and_cannot_post(plauen, persona, reason, request, client_of):
    client = client_of(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Kein Zugang" in body and reason in body
    file = io.BytesIO(csv_bytes([["Nr.", "Titel"], ["P-1", "Portal"]]))
    file.name = "liste.csv"
    assert client.post(URL, {"step": "upload", "file": file}).status_code == 403
    data = {"step": "confirm", "filename": "liste.csv", "map_external_id": "0", "map_title": "1",
            "content": import_views.pack(csv_bytes([["Nr.", "Titel"], ["P-1", "Portal"]]))}  # fmt: skip
    assert client.post(URL, data).status_code == 403
    assert not Project.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(plauen, anonymous):
    response = anonymous.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/?next=")
