"""Open data: every public collection as CSV, JSON and XLSX, and the catalogue entries in a
DCAT-AP style (title, description, fields, licence, update time, distributions)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from .sources import Dataset, available_sources

LICENCE = "https://www.govdata.de/dl-de/by-2-0"
LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


def datasets() -> dict[str, Dataset]:
    return {d.key: d for source in available_sources() for d in source.datasets()}


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(dataset: Dataset, rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in dataset.columns])
    for row in rows:
        writer.writerow(["" if row.get(c.name) is None else _plain(row.get(c.name)) for c in dataset.columns])
    return ("\ufeff" + buffer.getvalue()).encode()


def to_json(dataset: Dataset, rows: list[dict]) -> bytes:
    data = [{c.name: _plain(row.get(c.name)) for c in dataset.columns} for row in rows]
    return json.dumps({"dataset": dataset.key, "rows": data}, ensure_ascii=False, indent=1).encode()


def to_xlsx(dataset: Dataset, rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(dataset.key[:31])
    sheet.append([c.name for c in dataset.columns])
    for row in rows:
        values = []
        for c in dataset.columns:
            value = row.get(c.name)
            if isinstance(value, datetime) and timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            values.append(value)
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS = {"csv": to_csv, "json": to_json, "xlsx": to_xlsx}


def catalogue_entry(municipality, dataset: Dataset, base_url: str) -> dict:
    """One dataset described in DCAT-AP terms (as JSON-LD-like plain data)."""
    modified = dataset.modified(municipality)
    slug = municipality.slug
    return {
        "identifier": f"{base_url}{reverse('reporting:dataset', kwargs={'slug': slug, 'key': dataset.key})}",
        "key": dataset.key, "title": dataset.title, "description": dataset.description,
        "publisher": municipality.name, "keywords": list(dataset.keywords),
        "license": LICENCE, "license_name": LICENCE_NAME,
        "modified": _plain(modified) if modified else None,
        "fields": [{"name": c.name, "label": c.label, "type": c.type} for c in dataset.columns],
        "distributions": [{"format": fmt.upper(), "media_type": media,
                           "download_url": base_url + reverse("reporting:download",
                                                              kwargs={"slug": slug, "key": dataset.key, "fmt": fmt})}
                          for fmt, media in FORMATS.items()],
    }  # fmt: skip
