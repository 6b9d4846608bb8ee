"""Import of a service catalogue (e.g. the federal LeiKa list) from XLSX or CSV.

The same three steps as the project import (``portfolio.imports``), whose file reading this
module reuses:

1. ``portfolio.imports.read_table(filename, data)`` reads the file into a ``Table``;
2. ``preview(table, mapping, municipality, ignore_other=False)`` checks every row against the
   chosen columns and says what would happen; nothing is saved;
3. ``apply(preview, municipality, by)`` saves an error-free preview in one transaction.

A row is a LeiKa key, a name and optionally a subject area and a responsible department. The
shared catalogue gains the keys it does not know yet (existing entries are left as they are:
they are shared by every municipality); the municipality gains one service per key that it
does not have yet. Columns the mapping does not use are an error unless the person chooses
to ignore them, so that a misread file is not imported silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadtlotse.core.models import Department, Municipality, User, Visibility
from stadtlotse.core.services import require, save_audited
from stadtlotse.portfolio.imports import Table, read_table  # noqa: F401  (read_table: part of this API)

from . import services
from .models import CatalogueEntry, Service

CREATE, EXISTS = "create", "exists"


@dataclass(frozen=True)
class Target:
    key: str
    label: Any
    required: bool
    aliases: tuple[str, ...]


TARGETS: dict[str, Target] = {t.key: t for t in (
    Target("key", gettext_lazy("LeiKa key"), True,
           ("leikaschlüssel", "leikaschluessel", "leika", "leikakey", "schlüssel", "key", "leistungsschlüssel",
            "leistungsschluessel", "kennung", "id")),
    Target("name", gettext_lazy("Name"), True,
           ("name", "leistung", "leistungsname", "bezeichnung", "leistungsbezeichnung", "titel", "service")),
    Target("subject_area", gettext_lazy("Subject area"), False,
           ("sachgebiet", "themenfeld", "thema", "lebenslage", "bereich", "subjectarea", "subject", "kategorie")),
    Target("department", gettext_lazy("Responsible department"), False,
           ("amt", "fachbereich", "fachdienst", "zuständigkeit", "zuständigesamt", "department", "oe")),
)}  # fmt: skip
KEY_PATTERN = re.compile(r"^\d{14}$")


def _normalize(text: str) -> str:
    return re.sub(r"[^0-9a-zäöüß]+", "", str(text).casefold())


def guess_mapping(header: list[str]) -> dict[str, int]:
    """Target → column index from the headings; each column at most once."""
    mapping: dict[str, int] = {}
    for target in TARGETS.values():
        for index, heading in enumerate(header):
            if index not in mapping.values() and _normalize(heading) in target.aliases:
                mapping[target.key] = index
                break
    return mapping


@dataclass
class Row:
    number: int
    values: dict[str, str]
    action: str = ""
    errors: list[str] = field(default_factory=list)
    department: Department | None = None


@dataclass
class Preview:
    municipality_id: int
    mapping: dict[str, int]
    rows: list[Row]
    errors: list[str] = field(default_factory=list)  # about the file as a whole
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(r.errors for r in self.rows)

    @property
    def error_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def all_errors(self) -> list[str]:
        return self.errors + [e for r in self.rows for e in r.errors]


def preview(table: Table, mapping: dict[str, int], municipality: Municipality, ignore_other: bool = False) -> Preview:
    """Check every row against the mapping (a few queries, whatever the number of rows)."""
    result = Preview(municipality.pk, dict(mapping), [])
    for target in TARGETS.values():
        if target.required and target.key not in mapping:
            result.errors.append(
                _("Choose the column that holds “%(field)s”; it is required.") % {"field": target.label}
            )
    if any(not 0 <= i < table.width for i in mapping.values()) or len(set(mapping.values())) < len(mapping):
        result.errors.append(_("Each column can hold one field only, and only columns of the file can be chosen."))
    if result.errors:
        return result
    unknown = [table.column_label(i) for i in range(table.width) if i not in mapping.values() and table.header[i]]
    if unknown and not ignore_other:
        result.errors.append(_("The file has columns that no field uses: %(columns)s. Assign them or choose "
                               "to ignore them.") % {"columns": ", ".join(unknown)})  # fmt: skip
    departments = {}
    for d in Department.objects.filter(municipality=municipality):
        if d.code:
            departments.setdefault(d.code.casefold(), d)
        departments.setdefault(d.name.casefold(), d)
        departments.setdefault(str(d).casefold(), d)
    have = set(Service.objects.filter(municipality=municipality, catalogue_entry__isnull=False)
               .values_list("catalogue_entry__key", flat=True))  # fmt: skip
    first_row: dict[str, int] = {}
    for number, cells in zip(table.numbers, table.rows, strict=True):
        row = Row(number, {key: cells[i].strip() for key, i in mapping.items()})
        _check_row(row, departments, first_row)
        if not row.errors:
            row.action = EXISTS if row.values["key"] in have else CREATE
        result.rows.append(row)
    result.counts = {CREATE: sum(r.action == CREATE for r in result.rows),
                     EXISTS: sum(r.action == EXISTS for r in result.rows)}  # fmt: skip
    return result


def _check_row(row: Row, departments: dict[str, Department], first_row: dict[str, int]) -> None:
    key, name = row.values.get("key", ""), row.values.get("name", "")
    if not KEY_PATTERN.match(key):
        row.errors.append(_("Row %(row)s: “%(key)s” is no LeiKa key (14 digits).") % {"row": row.number, "key": key})
    elif key in first_row:
        row.errors.append(_("Row %(row)s: the key %(key)s appears in row %(first)s already.")
                          % {"row": row.number, "key": key, "first": first_row[key]})  # fmt: skip
    else:
        first_row[key] = row.number
    if not name:
        row.errors.append(_("Row %(row)s: the name is missing.") % {"row": row.number})
    elif len(name) > 300:
        row.errors.append(_("Row %(row)s: the name is longer than 300 characters.") % {"row": row.number})
    if len(row.values.get("subject_area", "")) > 200:
        row.errors.append(_("Row %(row)s: the subject area is longer than 200 characters.") % {"row": row.number})
    wanted = row.values.get("department", "")
    if wanted:
        row.department = departments.get(wanted.casefold())
        if row.department is None:
            row.errors.append(
                _("Row %(row)s: the department “%(name)s” is unknown.") % {"row": row.number, "name": wanted}
            )


@dataclass
class ImportResult:
    created: int = 0
    existing: int = 0
    catalogue_added: int = 0


def apply(result: Preview, municipality: Municipality, by: User | None) -> ImportResult:
    """Save an error-free preview, all or nothing: missing catalogue entries are added to the
    shared catalogue, and each key the municipality has no service for becomes a public service
    at level 0 (model 1.1) until it is assessed."""
    require(by, "onlineservices.import_catalogue", municipality)
    if result.municipality_id != municipality.pk:
        raise ValidationError(_("This preview belongs to another municipality."))
    if result.has_errors:
        raise ValidationError(_("The list still has errors; nothing was imported."))
    counts = ImportResult()
    with transaction.atomic():
        keys = [r.values["key"] for r in result.rows]
        entries = {e.key: e for e in CatalogueEntry.objects.filter(key__in=keys)}
        have = set(Service.objects.filter(municipality=municipality, catalogue_entry__key__in=keys)
                   .values_list("catalogue_entry__key", flat=True))  # fmt: skip
        for row in result.rows:
            key = row.values["key"]
            entry = entries.get(key)
            if entry is None:
                entry = CatalogueEntry(
                    key=key, name=row.values["name"], subject_area=row.values.get("subject_area", "")
                )
                save_audited(entry, by)
                entries[key] = entry
                counts.catalogue_added += 1
            if key in have:
                counts.existing += 1
                continue
            services.create_service(
                municipality=municipality, by=by, name=row.values["name"], catalogue_entry=entry,
                subject_area=row.values.get("subject_area", "") or entry.subject_area, department=row.department,
                visibility=Visibility.PUBLIC,
            )  # fmt: skip
            have.add(key)
            counts.created += 1
    return counts
