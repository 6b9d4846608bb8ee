"""Import of a municipality's existing project list from XLSX or CSV.

Three steps, each a plain function, so that pages, command line and tests share them:

1. ``read_table(filename, data)`` turns the file into a ``Table`` (header and rows of strings);
2. ``preview(table, mapping, municipality)`` cleans every row against the chosen column mapping
   and says per row what would happen (create / update / unchanged) and what is wrong with it;
   nothing is saved;
3. ``apply(preview, municipality, by)`` saves an error-free preview in one transaction.

Projects are keyed by the city's own project id (``Project.external_id``), so importing an
updated list updates projects and milestones instead of adding them twice. A list may hold one
row per project or one row per milestone: rows with the same project id and different
milestones add those milestones to the one project. Projects that are missing from the list are
left alone; the import never deletes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadtlotse.core.models import Department, Municipality, User, Visibility
from stadtlotse.core.services import apply_changes, require, save_audited

from . import services
from .models import Milestone, Project, ProjectStatus

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # 5,000 rows of a real list unpack to a few MB
MAX_ROWS = 5000

# Reading ----------------------------------------------------------------------------------


@dataclass
class Table:
    """A read file: the header row and the data rows, every cell a stripped string.

    ``numbers`` holds each data row's number as in the file (the spreadsheet row, or the CSV
    record), so messages can point to the row the person sees in Excel.
    """

    header: list[str]
    rows: list[list[str]]
    numbers: list[int] = field(default_factory=list)
    header_number: int = 1

    def __post_init__(self) -> None:
        if not self.numbers:
            self.numbers = list(range(self.header_number + 1, self.header_number + 1 + len(self.rows)))

    @property
    def width(self) -> int:
        return len(self.header)

    def column_label(self, index: int) -> str:
        """“B: Titel” – the spreadsheet column letter and the heading."""
        letter = column_letter(index)
        heading = self.header[index] if index < len(self.header) else ""
        return f"{letter}: {heading}" if heading else letter


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refused by its size before anything is read into memory
    (Django keeps large uploads in a temporary file; reading a huge one would fill the memory)."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(max)s MB.") % {"max": MAX_BYTES // (1024 * 1024)})
    return upload.read()


def read_table(filename: str, data: bytes) -> Table:
    """Read an uploaded .xlsx or .csv file; refuse other types, oversized and empty files."""
    name = (filename or "").strip()
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "xls":
        raise ValidationError(_("Old Excel files (.xls) cannot be read; save the list as .xlsx or .csv."))
    if suffix not in ("xlsx", "csv"):
        raise ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv); “%(name)s” is neither.")
                              % {"name": name or "?"})  # fmt: skip
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(max)s MB.") % {"max": MAX_BYTES // (1024 * 1024)})
    if not data.strip():
        raise ValidationError(_("The file is empty."))
    raw = _read_xlsx(data) if suffix == "xlsx" else _read_csv(data)
    return _to_table(raw)


def _to_table(raw) -> Table:
    """From (row number, cells) pairs: skip empty rows, take the first non-empty one as header."""
    header: list[str] | None = None
    header_number = 1
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, cells in raw:
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if header is None:
            header, header_number = cells, number
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(_("The file has more than %(max)s rows; split it into several files.")
                                  % {"max": MAX_ROWS})  # fmt: skip
        rows.append(cells)
        numbers.append(number)
    if header is None:
        raise ValidationError(_("The file is empty."))
    if not rows:
        raise ValidationError(_("The file has a header row but no rows below it."))
    width = max(len(header), *(len(row) for row in rows))
    header = header + [""] * (width - len(header))
    rows = [row + [""] * (width - len(row)) for row in rows]
    return Table(header=header, rows=rows, numbers=numbers, header_number=header_number)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return " ".join(str(value).split())


def _check_unpacked_size(data: bytes) -> None:
    """A workbook is a zip: refuse one that unpacks to far more than any real project list
    (a zip bomb would keep the server busy, or fill its memory, while openpyxl reads it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(_("The workbook unpacks to more than %(max)s MB; this is not a project list.")
                              % {"max": MAX_UNPACKED_BYTES // (1024 * 1024)})  # fmt: skip


def _read_xlsx(data: bytes):
    import openpyxl  # imported here: only the import needs it

    _check_unpacked_size(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign file: openpyxl raises many kinds of errors
        raise ValidationError(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.active if workbook.active is not None else workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write wrong dimensions; read what is there
        rows = []
        seen = 0
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if any(cells):
                seen += 1
                if seen > MAX_ROWS + 1:  # header plus the allowed rows; _to_table says why it stops
                    rows.append((number, cells))
                    break
            rows.append((number, cells))
    except ValidationError:
        raise
    except Exception as exc:
        raise ValidationError(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    finally:
        workbook.close()
    return rows


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (Excel's "CSV" in Germany)."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The text encoding of the file was not recognized; save it as UTF-8.")) from exc


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Count outside quotes, so that "Amt, Abteilung" in a ;-file does not count.
    bare = re.sub(r'"[^"]*"', "", first)
    semicolons, commas, tabs = bare.count(";"), bare.count(","), bare.count("\t")
    if tabs > max(semicolons, commas):
        return "\t"
    if semicolons != commas:
        return ";" if semicolons > commas else ","
    try:
        return csv.Sniffer().sniff(text[:20000], delimiters=";,\t|").delimiter
    except csv.Error:
        return ","


def _read_csv(data: bytes):
    text = _decode(data)
    if "\x00" in text:
        raise ValidationError(_("The file could not be read as CSV."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows = []
    seen = 0
    try:
        for number, cells in enumerate(reader, start=1):
            cells = [_cell_text(c) for c in cells]
            rows.append((number, cells))
            seen += any(cells)
            if seen > MAX_ROWS + 1:  # header plus the allowed rows; _to_table says why it stops
                break
    except csv.Error as exc:
        raise ValidationError(_("The file could not be read as CSV (near row %(row)s).")
                              % {"row": reader.line_num}) from exc  # fmt: skip
    return rows


# Targets and mapping ----------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str
    label: Any  # lazy translation
    required: bool = False
    aliases: tuple[str, ...] = ()  # normalized header names that mean this target
    prefixes: tuple[str, ...] = ()  # header starts or ends with one of these (a weaker guess)


TARGETS: dict[str, Target] = {t.key: t for t in (
    Target("external_id", gettext_lazy("Project ID"), True,
           ("nr", "nummer", "projektnr", "projektnummer", "projektid", "id", "kennung", "projektkennung",
            "lfdnr", "laufendenummer", "vorhabennr", "massnahmennr", "maßnahmennr", "externalid", "projectid",
            "projectno", "projectnumber", "no", "number", "ref", "referenz"),
           ("projektid", "projektnr", "projektnummer", "kennung", "projectid", "nr")),
    Target("title", gettext_lazy("Title"), True,
           ("titel", "projekt", "projekttitel", "projektname", "projektbezeichnung", "name", "bezeichnung",
            "vorhaben", "maßnahme", "massnahme", "title", "project", "projectname", "projecttitle"),
           ("titel", "bezeichnung", "title")),
    Target("summary", gettext_lazy("Summary"), False,
           ("kurzbeschreibung", "beschreibung", "zusammenfassung", "ziel", "inhalt", "summary", "description"),
           ("beschreibung", "description", "summary")),
    Target("lead_department", gettext_lazy("Lead department"), False,
           ("amt", "federführung", "federführendesamt", "fachbereich", "fachamt", "fachdienst",
            "organisationseinheit", "oe", "zuständigkeit", "zuständigesamt", "verantwortlichesamt", "department",
            "leaddepartment", "unit"),
           ("amt", "fachbereich", "federführ", "department")),
    Target("lead_person", gettext_lazy("Project lead"), False,
           ("projektleitung", "projektleiter", "projektleiterin", "projektverantwortlich", "ansprechpartner",
            "ansprechpartnerin", "ansprechperson", "verantwortlich", "leitung", "lead", "projectlead",
            "projectmanager", "owner", "contact"),
           ("projektleit", "ansprechp", "projectlead")),
    Target("status", gettext_lazy("Status"), False,
           ("status", "stand", "projektstatus", "state", "phase"), ("status",)),
    Target("planned_start", gettext_lazy("Planned start"), False,
           ("beginn", "start", "startdatum", "projektbeginn", "geplanterbeginn", "beginngeplant", "von", "ab",
            "plannedstart", "startdate", "begin"),
           ("beginn", "start")),
    Target("planned_end", gettext_lazy("Planned end"), False,
           ("ende", "enddatum", "projektende", "geplantesende", "endegeplant", "bis", "abschluss", "laufzeitbis",
            "plannedend", "end", "enddate", "finish"),
           ("ende", "end")),
    Target("visibility", gettext_lazy("Visibility"), False,
           ("sichtbarkeit", "veröffentlichung", "öffentlich", "freigabe", "visibility"), ("sichtbar", "visib")),
    Target("tags", gettext_lazy("Tags"), False,
           ("schlagworte", "schlagwörter", "stichworte", "stichwörter", "themen", "kategorie", "kategorien",
            "tags", "keywords"),
           ("schlagw", "stichw", "tag")),
    Target("milestone_title", gettext_lazy("Milestone"), False,
           ("meilenstein", "meilensteine", "meilensteintitel", "meilensteinbezeichnung", "milestone", "milestones"),
           ("meilenstein", "milestone")),
    Target("milestone_due", gettext_lazy("Milestone due"), False,
           ("fällig", "fälligkeit", "fälligam", "meilensteinfällig", "meilensteinfälligam", "meilensteindatum",
            "meilensteintermin", "termin", "due", "duedate", "milestonedue", "milestonedate"),
           ("fällig", "termin", "due")),
)}  # fmt: skip

PROJECT_TARGETS = ("title", "summary", "lead_department", "lead_person", "status", "planned_start", "planned_end",
                   "visibility", "tags")  # fmt: skip
MAX_LENGTHS = {"external_id": 50, "title": 200, "summary": 500, "lead_person": 200, "tags": 300,
               "milestone_title": 200}  # fmt: skip
# For these an empty cell keeps the project's value; for the others it clears it.
KEEP_IF_EMPTY = {"status", "visibility"}


def _normalize_header(text: str) -> str:
    return re.sub(r"[^0-9a-zäöüß]+", "", str(text).casefold())


def guess_mapping(header: list[str]) -> dict[str, int]:
    """Guess target → column index from German and English headings; each column once."""
    names = [_normalize_header(h) for h in header]
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for target in TARGETS.values():  # exact names first
        for index, name in enumerate(names):
            if index not in used and name and name in target.aliases:
                mapping[target.key] = index
                used.add(index)
                break
    # Then headings that start or end with a telling word; the specific targets first.
    order = ("milestone_due", "milestone_title", "external_id", "lead_person", "lead_department", "planned_start",
             "planned_end", "title", "summary", "status", "visibility", "tags")  # fmt: skip
    for key in order:
        if key in mapping:
            continue
        target = TARGETS[key]
        for index, name in enumerate(names):
            if index in used or not name:
                continue
            if any(name.startswith(p) or name.endswith(p) for p in target.prefixes):
                mapping[key] = index
                used.add(index)
                break
    return mapping


# Cleaning single values -------------------------------------------------------------------

_GERMAN_STATUS = {
    ProjectStatus.IDEA: ("idee",),
    ProjectStatus.PROPOSED: ("vorgeschlagen", "vorschlag", "beantragt"),
    ProjectStatus.APPROVED: ("beschlossen", "genehmigt", "freigegeben", "bewilligt"),
    ProjectStatus.IN_PROGRESS: ("in arbeit", "in umsetzung", "in bearbeitung", "laufend", "läuft", "aktiv"),
    ProjectStatus.PAUSED: ("pausiert", "ruht", "zurückgestellt"),
    ProjectStatus.COMPLETED: ("abgeschlossen", "erledigt", "fertig"),
    ProjectStatus.CANCELLED: ("abgebrochen", "eingestellt", "verworfen", "canceled"),
}
_GERMAN_VISIBILITY = {
    Visibility.PUBLIC: ("öffentlich",),
    Visibility.INTERNAL: ("intern",),
    Visibility.CONFIDENTIAL: ("vertraulich",),
}


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


def _choice_lookup(choices, extra: dict) -> dict[str, str]:
    """value, English label, German label and the synonyms → value (case-insensitive)."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[_key(value)] = value
        for language in ("en", "de"):
            with translation.override(language):
                lookup[_key(str(label))] = value
    for value, words in extra.items():
        for word in words:
            lookup[_key(word)] = value
    return lookup


_DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
)
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(text: str) -> date:
    """DD.MM.YYYY, YYYY-MM-DD (also with a time) or an Excel day number; ValueError otherwise."""
    text = text.strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
    if text.isdigit() and 20000 <= int(text) <= 80000:  # an Excel date written as a number (1954–2119)
        return _EXCEL_EPOCH + timedelta(days=int(text))
    raise ValueError(text)


def _format_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


# Preview ----------------------------------------------------------------------------------

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class Row:
    """One data row of the file: its number, cleaned values, action and errors."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)  # target → cleaned value (None = empty or invalid)
    raw: dict[str, str] = field(default_factory=dict)  # target → the text of the cell
    invalid: set[str] = field(default_factory=set)  # targets whose cell could not be read
    errors: list[str] = field(default_factory=list)
    action: str = ""  # create / update / unchanged; empty while the row has errors
    changes: list[str] = field(default_factory=list)  # what an update changes, for the preview

    @property
    def external_id(self) -> str:
        return self.values.get("external_id") or ""

    def display(self, key: str) -> str:
        """The cleaned value as the preview shows it; the cell's text if it could not be read."""
        if key in self.invalid:
            return self.raw.get(key, "")
        return display_value(key, self.values.get(key))


@dataclass
class ProjectPlan:
    """What the file says about one project: its fields and its milestones."""

    external_id: str
    first_row: int
    fields: dict[str, Any] = field(default_factory=dict)  # model field → value, mapped fields only
    sources: dict[str, int] = field(default_factory=dict)  # model field → row number of a non-empty value
    milestones: list[tuple[int, str, date]] = field(default_factory=list)  # (row number, title, due date)
    existing: Project | None = None
    action: str = ""
    changed: list[str] = field(default_factory=list)  # model field names


@dataclass
class Preview:
    """The outcome of checking a file: nothing saved yet. ``apply`` saves an error-free one."""

    municipality_id: int
    mapping: dict[str, int]
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the mapping, before any row
    plans: dict[str, ProjectPlan] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def error_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def all_errors(self) -> list[str]:
        return self.errors + [message for row in self.rows for message in row.errors]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(row.errors for row in self.rows)


def _row_error(row: Row, target: str, message: str) -> None:
    row.errors.append(_("Row %(row)s, %(field)s: %(message)s")
                      % {"row": row.number, "field": TARGETS[target].label, "message": message})  # fmt: skip


def check_mapping(table: Table, mapping: dict[str, int]) -> list[str]:
    """Errors of the column mapping itself: a required target without a column, a column used twice."""
    errors = []
    for target in TARGETS.values():
        if target.required and target.key not in mapping:
            errors.append(_("Choose the column that holds “%(field)s”; it is required.") % {"field": target.label})
    seen: dict[int, str] = {}
    for key, index in mapping.items():
        if key not in TARGETS:
            errors.append(_("Unknown field: %(field)s") % {"field": key})
        elif not 0 <= index < table.width:
            errors.append(_("The column chosen for “%(field)s” is not in the file.") % {"field": TARGETS[key].label})
        elif index in seen:
            errors.append(_("The column “%(column)s” is chosen both for “%(first)s” and for “%(second)s”.")
                          % {"column": table.column_label(index), "first": TARGETS[seen[index]].label,
                             "second": TARGETS[key].label})  # fmt: skip
        else:
            seen[index] = key
    return errors


class _Cleaner:
    """Turns the text of one cell into the value for the model, or says what is wrong."""

    def __init__(self, municipality: Municipality):
        self.municipality = municipality
        self.statuses = _choice_lookup(ProjectStatus, _GERMAN_STATUS)
        self.visibilities = _choice_lookup(Visibility, _GERMAN_VISIBILITY)
        self.by_name: dict[str, Department] = {}
        self.by_code: dict[str, list[Department]] = defaultdict(list)
        for department in Department.objects.filter(municipality=municipality):
            self.by_name.setdefault(_words(department.name), department)
            self.by_name.setdefault(_words(str(department)), department)  # "20 Kämmerei", as the pages show it
            if department.code.strip():
                self.by_code[_words(department.code)].append(department)

    def clean(self, key: str, text: str) -> Any:
        """The value, or None for an empty cell; raises ValueError with the message otherwise."""
        if not text:
            return None
        if key in MAX_LENGTHS and len(text) > MAX_LENGTHS[key]:
            raise ValueError(_("At most %(max)s characters are allowed (here %(length)s).")
                             % {"max": MAX_LENGTHS[key], "length": len(text)})  # fmt: skip
        if key in ("planned_start", "planned_end", "milestone_due"):
            try:
                return parse_date(text)
            except ValueError:
                raise ValueError(_("“%(value)s” is not a valid date.") % {"value": text}) from None
        if key == "status":
            if _key(text) not in self.statuses:
                raise ValueError(_("“%(value)s” is not a known status. Possible: %(choices)s.")
                                 % {"value": text, "choices": ", ".join(str(s.label) for s in ProjectStatus)})
            return self.statuses[_key(text)]
        if key == "visibility":
            if _key(text) not in self.visibilities:
                raise ValueError(_("“%(value)s” is not a known visibility. Possible: %(choices)s.")
                                 % {"value": text, "choices": ", ".join(str(v.label) for v in Visibility)})
            return self.visibilities[_key(text)]
        if key == "lead_department":
            return self.department(text)
        if key == "tags":
            return ", ".join(t.strip() for t in re.split(r"[;,]", text) if t.strip())
        return text

    def department(self, text: str) -> Department:
        wanted = _words(text)
        if wanted in self.by_name:
            return self.by_name[wanted]
        found = self.by_code.get(wanted, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValueError(_("“%(value)s” is the code of several departments; use the name instead.")
                             % {"value": text})  # fmt: skip
        raise ValueError(_("There is no department “%(value)s” in %(municipality)s (neither code nor name).")
                         % {"value": text, "municipality": self.municipality.name})  # fmt: skip


def display_value(key: str, value: Any) -> str:
    """A cleaned value as the preview shows it."""
    if isinstance(value, date):
        return _format_date(value)
    if key == "status" and value:
        return str(ProjectStatus(value).label)
    if key == "visibility" and value:
        return str(Visibility(value).label)
    return str(value) if value is not None else ""


def preview(table: Table, mapping: dict[str, int], municipality: Municipality) -> Preview:
    """Check every row against the mapping and the municipality's data; save nothing.

    Errors name the row (as in the file) and the field. A missing required column is reported
    before any row is looked at.
    """
    mapping = {k: int(v) for k, v in mapping.items() if v is not None and v != ""}
    result = Preview(municipality_id=municipality.pk, mapping=mapping)
    result.errors = check_mapping(table, mapping)
    if result.errors:
        return result
    cleaner = _Cleaner(municipality)

    # 1. Clean each cell.
    for number, cells in zip(table.numbers, table.rows, strict=True):
        row = Row(number=number)
        for key, index in mapping.items():
            row.raw[key] = cells[index]
            try:
                row.values[key] = cleaner.clean(key, cells[index])
            except ValueError as exc:
                _row_error(row, key, str(exc))
                row.values[key] = None
                row.invalid.add(key)
        if not row.values.get("external_id") and "external_id" not in row.invalid:
            _row_error(row, "external_id", _("The value is missing."))
        title, due = row.values.get("milestone_title"), row.values.get("milestone_due")
        invalid = row.invalid
        if title and due is None and "milestone_due" not in invalid:
            _row_error(row, "milestone_due", _("A milestone needs a due date."))
        if due and not title and "milestone_title" not in invalid:
            _row_error(row, "milestone_title", _("There is a due date but no milestone."))
        result.rows.append(row)

    # 2. Group the rows by project id; find conflicts and duplicates.
    plans: dict[str, ProjectPlan] = {}
    first_row: dict[str, Row] = {}
    plain_row: dict[str, int] = {}  # project id → the row without milestone
    milestone_row: dict[tuple[str, str], int] = {}
    for row in result.rows:
        external_id = row.external_id
        if not external_id:
            continue
        plan = plans.get(external_id)
        if plan is None:
            plan = plans[external_id] = ProjectPlan(external_id, row.number)
            first_row[external_id] = row
        milestone = row.values.get("milestone_title")
        if milestone:
            key = (external_id, milestone.casefold())
            if key in milestone_row:
                _row_error(row, "milestone_title",
                           _("The milestone “%(title)s” of project “%(id)s” is already in row %(other)s.")
                           % {"title": milestone, "id": external_id, "other": milestone_row[key]})  # fmt: skip
                continue
            milestone_row[key] = row.number
        elif "milestone_title" not in row.invalid:
            if external_id in plain_row:
                _row_error(row, "external_id", _("The project “%(id)s” is already in row %(other)s.")
                           % {"id": external_id, "other": plain_row[external_id]})  # fmt: skip
                continue
            plain_row[external_id] = row.number
        invalid = row.invalid
        for key in PROJECT_TARGETS:
            if key not in mapping or key in invalid:
                continue
            value = row.values.get(key)
            if value is None:
                plan.fields.setdefault(key, None)
                continue
            if plan.fields.get(key) is None:
                plan.fields[key] = value
                plan.sources[key] = row.number
            elif plan.fields[key] != value:
                _row_error(row, key, _("“%(value)s” differs from row %(other)s (“%(first)s”) with the same project "
                                       "ID.") % {"value": display_value(key, value), "other": plan.sources[key],
                                                 "first": display_value(key, plan.fields[key])})  # fmt: skip
        if milestone and row.values.get("milestone_due"):
            plan.milestones.append((row.number, milestone, row.values["milestone_due"]))

    # 3. Compare with what is saved; check each project as a whole.
    existing = {p.external_id: p for p in _keyed_projects(municipality) if p.external_id in plans}
    saved_milestones = _saved_milestones(municipality)
    counts = dict.fromkeys(("create", "update", "unchanged", "milestones_create", "milestones_update"), 0)
    milestone_actions: dict[int, tuple[str, str]] = {}  # row number → (action, description)
    for external_id, plan in plans.items():
        row = first_row[external_id]
        project = existing.get(external_id)
        plan.existing = project
        if not plan.fields.get("title") and "title" not in row.invalid:
            _row_error(row, "title", _("The value is missing."))
        start = _effective(plan, project, "planned_start")
        end = _effective(plan, project, "planned_end")
        if start and end and end < start:
            _row_error(row, "planned_end", _("The end (%(end)s) lies before the start (%(start)s).")
                       % {"end": _format_date(end), "start": _format_date(start)})  # fmt: skip
        if project is None:
            plan.action = CREATE
            counts["create"] += 1
        else:
            plan.changed = [k for k in plan.fields if _changes(project, k, plan.fields[k])]
            plan.action = UPDATE if plan.changed else UNCHANGED
            counts["update" if plan.changed else "unchanged"] += 1
        for number, title, due in plan.milestones:
            saved = saved_milestones.get((project.pk, title.casefold())) if project else None
            if saved is None:
                counts["milestones_create"] += 1
                milestone_actions[number] = (CREATE, _("new milestone “%(title)s”") % {"title": title})
            elif saved.due_date != due or saved.title != title:
                counts["milestones_update"] += 1
                milestone_actions[number] = (UPDATE, _("milestone “%(title)s” due on %(date)s")
                                             % {"title": title, "date": _format_date(due)})  # fmt: skip
            else:
                milestone_actions[number] = (UNCHANGED, "")
    result.plans = plans
    result.counts = counts

    # 4. Each row's action.
    for row in result.rows:
        if row.errors:
            continue
        plan = plans[row.external_id]
        milestone_action, description = milestone_actions.get(row.number, (UNCHANGED, ""))
        if plan.first_row == row.number and plan.action == UPDATE:
            row.changes = [str(TARGETS[k].label) for k in plan.changed]
        if description:
            row.changes.append(description)
        if plan.action == CREATE:
            row.action = CREATE
        elif (plan.first_row == row.number and plan.action == UPDATE) or milestone_action != UNCHANGED:
            row.action = UPDATE
        else:
            row.action = UNCHANGED
    return result


def _keyed_projects(municipality: Municipality):
    """The municipality's projects that carry an own project id (a whole list: no long IN clause)."""
    return Project.objects.filter(municipality=municipality).exclude(external_id="")


def _saved_milestones(municipality: Municipality) -> dict[tuple[int, str], Milestone]:
    """(project, title ignoring case) → milestone, for the projects with an own id (one query)."""
    saved: dict[tuple[int, str], Milestone] = {}
    for m in Milestone.objects.filter(project__in=_keyed_projects(municipality).values("pk")).order_by("id"):
        saved.setdefault((m.project_id, m.title.casefold()), m)
    return saved


def _effective(plan: ProjectPlan, project: Project | None, key: str):
    if key in plan.fields:
        return plan.fields[key]
    return getattr(project, key) if project else None


def _changes(project: Project, key: str, value) -> bool:
    if value is None and key in KEEP_IF_EMPTY:
        return False
    if key == "lead_department":
        return project.lead_department_id != (value.pk if value else None)
    current = getattr(project, key)
    if value is None:
        return current not in (None, "")
    return current != value


def _field_values(plan: ProjectPlan) -> dict[str, Any]:
    """The model values of a plan: empty cells clear text, dates and the department, but keep
    status and visibility (a new project then gets the defaults)."""
    values = {}
    for key, value in plan.fields.items():
        if value is None:
            if key in KEEP_IF_EMPTY:
                continue
            value = "" if key in ("summary", "lead_person", "tags", "title") else None
        values[key] = value
    return values


# Saving -----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    milestones_created: int = 0
    milestones_updated: int = 0


def apply(preview: Preview, municipality: Municipality, by: User | None) -> ImportResult:
    """Save an error-free preview: all of it or, on any error, nothing.

    New projects are created through ``services.create_project``; existing ones (same
    municipality and own project id) are changed field by field and saved with the audit
    trail. An import may set any status directly, without the usual steps of
    ``TRANSITIONS``: the list mirrors the city's own records, which are the authority here.
    The actual start and end are left as they are. Milestones are matched by project and
    title (ignoring case): a known one gets the new due date, an unknown one is added, even
    after the planned end. Projects and milestones missing from the list are left alone.
    """
    require(by, "portfolio.import_projects", municipality)
    if preview.municipality_id != municipality.pk:
        raise ValidationError(_("This preview belongs to another municipality."))
    if preview.has_errors:
        raise ValidationError(_("The list still has errors; nothing was imported."))
    result = ImportResult()
    plans = sorted(preview.plans.values(), key=lambda p: p.first_row)
    with transaction.atomic():
        existing = {p.external_id: p for p in _keyed_projects(municipality).select_for_update()}
        saved_milestones = _saved_milestones(municipality)
        for plan in plans:
            try:
                project = _save_project(plan, existing.get(plan.external_id), municipality, by, result)
                for _number, title, due in plan.milestones:
                    saved = saved_milestones.get((project.pk, title.casefold()))
                    if saved is None:
                        services.add_milestone(project=project, by=by, title=title, due_date=due,
                                               confirm_after_end=True)  # fmt: skip
                        result.milestones_created += 1
                    elif saved.due_date != due or saved.title != title:
                        saved.project = project
                        services.update_milestone(milestone=saved, by=by, title=title, due_date=due,
                                                  confirm_after_end=True)  # fmt: skip
                        result.milestones_updated += 1
            except ValidationError as exc:
                raise ValidationError(
                    _("Row %(row)s: %(message)s") % {"row": plan.first_row, "message": " ".join(exc.messages)}
                ) from exc
    return result


def _save_project(
    plan: ProjectPlan, project: Project | None, municipality: Municipality, by: User | None, result: ImportResult
) -> Project:
    values = _field_values(plan)
    if project is None:
        result.created += 1
        return services.create_project(municipality=municipality, by=by, external_id=plan.external_id, **values)
    changes = {key: value for key, value in values.items() if _changes(project, key, plan.fields[key])}
    if not changes:
        result.unchanged += 1
        return project
    apply_changes(project, changes, services.PROJECT_FIELDS)
    project.lock_version += 1  # an editor's form opened before the import is refused on save
    save_audited(project, by)
    result.updated += 1
    return project
