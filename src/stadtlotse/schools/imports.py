"""Import of item-level devices (assets) from XLSX or CSV, all or nothing.

The file is read by the portfolio import's reader (``portfolio.imports.read_table``). Its header
must use known column names only: a misspelt column is an error, not silently ignored. Each row
names its school by official school number or name (one of the schools the importer may keep),
and the device by its inventory number: a known number updates that device, an unknown one adds
it. Two rows with the same school and inventory number are refused. ``preview`` saves nothing;
``apply`` saves an error-free preview in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadtlotse.core.models import User
from stadtlotse.core.services import require, save_audited
from stadtlotse.portfolio.imports import Table, read_table, read_upload  # noqa: F401 (part of this API)

from .models import Asset, AssetKind, School

COLUMNS = {
    "school": (gettext_lazy("School"), ("schule", "schulnummer", "schulname", "school", "schoolnumber")),
    "inventory_number": (gettext_lazy("Inventory number"),
                         ("inventarnummer", "inventarnr", "inventar", "inventorynumber", "nr", "nummer")),
    "kind": (gettext_lazy("Type"), ("art", "typ", "geräteart", "gerätetyp", "type", "kind")),
    "model_name": (gettext_lazy("Model"), ("modell", "bezeichnung", "model")),
    "year_bought": (gettext_lazy("Year bought"), ("anschaffungsjahr", "kaufjahr", "baujahr", "yearbought", "year")),
    "warranty_end": (gettext_lazy("Warranty until"), ("garantiebis", "garantie", "gewährleistung", "warrantyend",
                                                      "warranty")),
}  # fmt: skip
REQUIRED = ("school", "inventory_number", "kind")
KIND_WORDS = {
    "display": ("display", "interaktivesdisplay", "tafel", "digitaletafel", "smartboard", "bildschirm"),
    "projector": ("projector", "beamer", "projektor"),
    "tablet": ("tablet", "ipad"),
    "laptop": ("laptop", "notebook"),
    "desktop": ("desktop", "pc", "desktopcomputer", "rechner"),
    "teacher_device": ("teacherdevice", "lehrkraftgerät", "lehrergerät", "dienstgerät"),
    "server": ("server",),
    "switch": ("switch", "networkswitch", "netzwerkswitch"),
    "access_point": ("accesspoint", "wlanaccesspoint", "ap", "wlanap"),
    "other": ("other", "sonstiges", "andere"),
}  # fmt: skip


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-zäöüß]+", "", str(text).casefold())


def _kind(value: str) -> str | None:
    word = _norm(value)
    for key, label in AssetKind.choices:
        if word in KIND_WORDS.get(key, ()) or word == _norm(str(label)) or word == _norm(key):
            return key
    return None


def _date(value: str) -> date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    action: str = ""  # create | update | unchanged
    school: School | None = None
    existing: Asset | None = None


@dataclass
class Preview:
    municipality_id: int
    columns: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # errors of the whole file
    rows: list[Row] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(r.errors for r in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


def _map_columns(table: Table, preview: Preview) -> None:
    aliases = {alias: key for key, (_label, words) in COLUMNS.items() for alias in words}
    unknown = []
    for index, heading in enumerate(table.header):
        key = aliases.get(_norm(heading))
        if key is None:
            unknown.append(table.column_label(index))
        elif key in preview.columns:
            preview.errors.append(_("The column “%(column)s” appears twice.") % {"column": COLUMNS[key][0]})
        else:
            preview.columns[key] = index
    if unknown:
        preview.errors.append(_("Unknown columns: %(columns)s. Known columns: %(known)s.") % {
            "columns": ", ".join(unknown), "known": ", ".join(str(label) for label, _w in COLUMNS.values())})
    missing = [str(COLUMNS[key][0]) for key in REQUIRED if key not in preview.columns]
    if missing:
        preview.errors.append(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})


def _clean_row(row: Row, cells: list[str], columns: dict[str, int], schools: dict[str, School]) -> None:
    get = {key: cells[index].strip() for key, index in columns.items()}
    label = {key: str(COLUMNS[key][0]) for key in COLUMNS}
    for key in REQUIRED:
        if not get.get(key):
            row.errors.append(_("%(column)s: the value is missing.") % {"column": label[key]})
    if get.get("school"):
        row.school = schools.get(_norm(get["school"]))
        if row.school is None:
            row.errors.append(_("School: “%(value)s” is not one of your schools (give its number or name).")
                              % {"value": get["school"]})  # fmt: skip
    if get.get("inventory_number"):
        if len(get["inventory_number"]) > 60:
            row.errors.append(_("Inventory number: at most 60 characters."))
        row.values["inventory_number"] = get["inventory_number"]
    if get.get("kind"):
        row.values["kind"] = _kind(get["kind"])
        if row.values["kind"] is None:
            row.errors.append(_("Type: “%(value)s” is unknown; use e.g. display, projector, tablet, laptop.")
                              % {"value": get["kind"]})  # fmt: skip
    row.values["model_name"] = get.get("model_name", "")[:200]
    year = get.get("year_bought", "")
    row.values["year_bought"] = None
    if year:
        if not year.isdigit() or not 1990 <= int(year) <= 2100:
            row.errors.append(_("Year bought: “%(value)s” is no year between 1990 and 2100.") % {"value": year})
        else:
            row.values["year_bought"] = int(year)
    warranty = get.get("warranty_end", "")
    row.values["warranty_end"] = None
    if warranty:
        try:
            row.values["warranty_end"] = _date(warranty)
        except ValueError:
            row.errors.append(_("Warranty until: “%(value)s” is no date (e.g. 31.12.2027).") % {"value": warranty})


def preview(table: Table, schools: list[School]) -> Preview:
    """Check every row against the header and the importer's schools; saves nothing."""
    result = Preview(municipality_id=schools[0].municipality_id if schools else 0)
    _map_columns(table, result)
    if result.errors:
        return result
    by_key: dict[str, School] = {}
    for school in schools:
        by_key[_norm(school.name)] = school
        if school.school_number:
            by_key[_norm(school.school_number)] = school
    existing = {(a.school_id, a.inventory_number): a for a in Asset.objects.filter(school__in=schools)}
    seen: dict[tuple[int, str], int] = {}
    for number, cells in zip(table.numbers, table.rows, strict=True):
        row = Row(number)
        _clean_row(row, cells, result.columns, by_key)
        key = (row.school.pk, row.values.get("inventory_number")) if row.school else None
        if key and key[1]:
            if key in seen:
                row.errors.append(_("The inventory number %(number)s of this school appears in row %(row)s already.")
                                  % {"number": key[1], "row": seen[key]})  # fmt: skip
            seen.setdefault(key, number)
            row.existing = existing.get(key)
        if not row.errors:
            if row.existing is None:
                row.action = "create"
            elif any(getattr(row.existing, k) != v for k, v in row.values.items()):
                row.action = "update"
            else:
                row.action = "unchanged"
        result.rows.append(row)
    return result


def apply(result: Preview, schools: list[School], by: User | None) -> dict[str, int]:
    """Save an error-free preview: every row, or on any error none."""
    if result.has_errors:
        raise ValidationError(_("The file still has errors; nothing was imported."))
    for school in {row.school.pk: row.school for row in result.rows}.values():
        require(by, "schools.change_school_data", school)
    counts = {"create": 0, "update": 0, "unchanged": 0}
    with transaction.atomic():
        for row in result.rows:
            counts[row.action] += 1
            if row.action == "unchanged":
                continue
            asset = row.existing or Asset(municipality_id=row.school.municipality_id, school=row.school)
            for key, value in row.values.items():
                setattr(asset, key, value)
            try:
                save_audited(asset, by)
            except ValidationError as exc:
                raise ValidationError(_("Row %(row)s: %(message)s") % {"row": row.number,
                                                                      "message": " ".join(exc.messages)}) from exc
    return counts
