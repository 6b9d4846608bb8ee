"""The chart definition and the pure parts of the report: hand-checked figures."""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree as ET

from stadtlotse.reporting import charts, report


def content(**sections):
    return {"sections": sections}


def test_field_progress_chart_and_table():
    c = content(strategy={"strategies": [{"title": "Agenda", "fields": [
        {"title": "Bürgerservice", "percent": "50"}, {"title": "Schule <&>", "percent": None}]}]})  # fmt: skip
    (chart,) = charts.field_progress(c)
    assert chart.table()["rows"] == [["Bürgerservice", "50,0"], ["Schule <&>", "–"]]
    assert len(chart.table()["header"]) == 2
    svg = ET.fromstring(chart.svg())
    assert svg.get("role") == "img"
    assert "Schule &lt;&amp;&gt;" in chart.svg()
    bars = [e for e in svg.iter() if e.tag.endswith("rect")]
    assert len(bars) == 1 and bars[0].get("width") == "195.0"  # 50 % of 390 px


def test_financial_plan_marks_the_cliff():
    c = content(finance={"years": [
        {"year": 2026, "cost": "1000", "grants": "800", "own_share": "200"},
        {"year": 2027, "cost": "500", "grants": "0", "own_share": "500"}],
        "cliffs": [{"year": 2027, "project": "A", "uncovered": "500"}]})  # fmt: skip
    chart = charts.financial_plan(c)
    table = chart.table()
    assert table["rows"][0][1:4] == ["1.000", "800", "200"]
    assert table["rows"][1][-1] and not table["rows"][0][-1]
    ET.fromstring(chart.svg())


def test_de_number():
    assert charts.de_number(Decimal("1234567.891"), 2) == "1.234.567,89"
    assert charts.de_number(None) == "–"


def test_changes_between_reports():
    prev = content(portfolio={"projects": [
        {"id": 1, "title": "A", "status": "approved", "status_label": "genehmigt", "light": "green"},
        {"id": 2, "title": "B", "status": "in_progress", "status_label": "in Arbeit", "light": "green"}]})
    cur = content(portfolio={"projects": [
        {"id": 1, "title": "A", "status": "in_progress", "status_label": "in Arbeit", "light": "green"},
        {"id": 2, "title": "B", "status": "in_progress", "status_label": "in Arbeit", "light": "red"},
        {"id": 3, "title": "C", "status": "idea", "status_label": "Idee", "light": None}]})
    result = report.changes(prev, cur)
    assert result == {"first": False, "new": ["C"], "status": [{"title": "A", "from": "genehmigt", "to": "in Arbeit"}],
                      "lights": [{"title": "B", "from": "green", "to": "red"}]}  # fmt: skip
    assert report.changes(None, cur)["first"] is True


def test_summary_counts():
    c = content(portfolio={"projects": [{"status": "in_progress", "light": "red"}, {"status": "idea", "light": None}],
                           "reached": [{}], "missed": [{}, {}], "completed_in_period": 1, "completed_total": 4})
    s = report.summary(c)
    figures = (s["projects"], s["in_progress"], s["red"], s["milestones_reached"], s["milestones_missed"])
    assert figures == (2, 1, 1, 1, 2)
    assert s["completed_total"] == 4


def test_default_period_is_the_last_quarter():
    from datetime import date

    p = report.default_period(date(2026, 12, 2))
    assert (p.start, p.end) == (date(2026, 7, 1), date(2026, 9, 30))
    p = report.default_period(date(2026, 2, 10))
    assert (p.start, p.end) == (date(2025, 10, 1), date(2025, 12, 31))
