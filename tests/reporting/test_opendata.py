"""Open data: the catalogue and every dataset as CSV, JSON and XLSX, re-read and compared."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from .conftest import CELLE, CONFIDENTIAL, INTERNAL

KEYS = {"projects", "milestones", "indicators", "consultations", "reports"}


def test_catalogue_describes_every_dataset(world, anonymous, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = anonymous.get("/plauen/berichte/daten/")
    assert response.status_code == 200 and "Datenlizenz Deutschland" in response.content.decode()
    data = anonymous.get("/plauen/berichte/daten/?format=json").json()
    assert data["@type"] == "dcat:Catalog"
    entries = {e["key"]: e for e in data["dataset"]}
    assert KEYS <= set(entries)
    projects = entries["projects"]
    assert projects["license"].startswith("https://www.govdata.de/dl-de/by-2-0") and projects["modified"]
    assert {d["format"] for d in projects["distributions"]} == {"CSV", "JSON", "XLSX"}
    assert "title" in [f["name"] for f in projects["fields"]]
    assert anonymous.get("/plauen/berichte/daten/projects/").status_code == 200
    assert anonymous.get("/plauen/berichte/daten/gibtsnicht/").status_code == 404


def _rows(anonymous, key):
    by_format = {}
    text = anonymous.get(f"/plauen/berichte/daten/{key}.csv").content.decode("utf-8-sig")
    by_format["csv"] = list(csv.DictReader(io.StringIO(text)))
    by_format["json"] = anonymous.get(f"/plauen/berichte/daten/{key}.json").json()["rows"]
    book = load_workbook(io.BytesIO(anonymous.get(f"/plauen/berichte/daten/{key}.xlsx").content))
    sheet = list(book.active.values)
    by_format["xlsx"] = [dict(zip(sheet[0], row, strict=True)) for row in sheet[1:]]
    return by_format


def test_every_format_gives_the_same_public_rows(world, anonymous, django_assert_max_num_queries):
    for key in KEYS:
        with django_assert_max_num_queries(8 if key != "indicators" else 9):  # indicators: + the overview revision
            assert anonymous.get(f"/plauen/berichte/daten/{key}.csv").status_code == 200
        found = _rows(anonymous, key)
        for fmt, rows in found.items():
            blob = json.dumps(rows, default=str)
            assert INTERNAL not in blob and CONFIDENTIAL not in blob and CELLE not in blob, (key, fmt)
        assert len(found["csv"]) == len(found["json"]) == len(found["xlsx"]), key
    projects = _rows(anonymous, "projects")
    assert [r["title"] for r in projects["csv"]] == [r["title"] for r in projects["json"]] == [
        r["title"] for r in projects["xlsx"]] == ["Projekt 00", "Projekt 01", "Projekt 02"]  # fmt: skip
    assert [int(r["id"]) for r in projects["csv"]] == [r["id"] for r in projects["json"]] == [
        r["id"] for r in projects["xlsx"]]  # fmt: skip
    indicators = _rows(anonymous, "indicators")
    assert indicators["json"][0]["latest"] == "50" and indicators["csv"][0]["latest"] == "50"


def test_unknown_format_is_404(world, anonymous):
    assert anonymous.get("/plauen/berichte/daten/projects.exe").status_code == 404
    assert anonymous.get("/nirgendwo/berichte/daten/projects.csv").status_code == 404
