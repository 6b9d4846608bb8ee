"""Paper drafts in the standard outline from a project and from a strategy version: the pure
outline with hand-computed money, the DOCX opened and its sections checked, the PDF checked."""

from __future__ import annotations

import io
import re
import zlib
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from docx import Document

from stadtlotse.council.drafts import DraftFacts, FinanceYear, GoalFact, StepFact, build_draft
from stadtlotse.finance import services as finance
from stadtlotse.portfolio import services as portfolio
from stadtlotse.strategy import services as strategy

OUTLINE = ["I. Bezug zu den Fachzielen", "II. Beratungsfolge", "III. Beschlussvorschlag", "IV. Sachverhalt",
           "V. Finanzielle Auswirkungen", "VI. Auswirkung für Integration", "VII. Mitzeichnung/Stellungnahme",
           "VIII. Anlage/n"]  # fmt: skip


def test_outline_is_built_from_the_facts():
    facts = DraftFacts(
        subject_kind="project", title="Schul-WLAN", lead_department="40 Schulreferat",
        facts_text="Absatz eins.\n\nZwei.",
        deciding_body="Stadtrat Plauen", goals=[GoalFact("Schulen", "Alle Schulen im WLAN", date(2026, 7, 31))],
        steps=[StepFact(True, None, "Bildungs- und Sozialausschuss", "zur Vorberatung")],
        finance=[FinanceYear(2027, Decimal("10000"), Decimal("6500.40"), Decimal("3499.60"), Decimal(0)),
                 FinanceYear(2028, Decimal("2500"), Decimal(0), Decimal("2500"), Decimal("300"))],
    )  # fmt: skip
    draft = build_draft(facts, date(2026, 12, 2))
    assert [s.title for s in draft.sections] == OUTLINE
    goals, steps, proposal, facts_s, money = draft.sections[:5]
    assert goals.paragraphs == ["Schulen: Alle Schulen im WLAN (Zieltermin 31.07.2026)"]
    assert steps.table == [["Öffentlich", "Datum", "Gremium", "Rolle"],
                           ["Ö", "–", "Bildungs- und Sozialausschuss", "zur Vorberatung"]]  # fmt: skip
    assert "Stadtrat Plauen" in proposal.paragraphs[0] and "„Schul-WLAN“" in proposal.paragraphs[0]
    assert facts_s.paragraphs == ["Absatz eins.", "Zwei."]
    # 10,000 + 2,500 = 12,500 costs; 6,500.40 grants; own share 3,499.60 + 2,500 = 5,999.60 → 6.000 rounded
    assert money.table[-1] == ["Summe", "12.500", "6.500", "6.000", "300"]
    assert "12.500 EUR" in money.paragraphs[0] and "6.000 EUR" in money.paragraphs[0]


def test_finance_hidden_when_the_reader_may_not_read_it():
    facts = DraftFacts(subject_kind="project", title="X", lead_department="", facts_text="", deciding_body="Rat",
                       finance=None)  # fmt: skip
    money = build_draft(facts, date(2026, 1, 1)).sections[4]
    assert money.table is None and "nicht freigegeben" in money.paragraphs[0]


@pytest.fixture
def project_with_plan(world, plauen):
    s = strategy.create_strategy(municipality=plauen, by=None, title="Digitalagenda Plauen")
    version = s.versions.get()
    field = strategy.add_field_of_action(version=version, by=None, title="Digitale Schule")
    goal = strategy.add_goal(field=field, by=None, title="Gleichwertige Ausstattung aller Schulen",
                             target_date=date(2028, 12, 31))  # fmt: skip
    strategy.add_section(
        version=version, by=None, heading="Ausgangslage", body="Die Schulen sind ungleich ausgestattet."
    )
    project = portfolio.create_project(municipality=plauen, by=None, title="Arbeitsgruppe Schulen einrichten",
                                       summary="Alle Beteiligten an einen Tisch.", visibility="internal",
                                       lead_department=world.department)  # fmt: skip
    portfolio.link_goal(project=project, goal=goal, by=None)
    finance.add_cost_item(project=project, by=None, kind="personnel", description="Moderation",
                          amount_eur=Decimal("12000"), first_year=2027, last_year=2028)  # fmt: skip
    return project, version


def _docx_text(content: bytes) -> tuple[list[str], str]:
    document = Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    return headings, "\n".join(p.text for p in document.paragraphs) + "\n" + cells


@time_machine.travel(date(2027, 3, 1), tick=False)
def test_project_draft_as_docx(client_of, staff, world, project_with_plan, django_assert_max_num_queries):
    project, _version = project_with_plan
    client = client_of(staff)
    url = f"/plauen/intern/rat/entwurf/projekt/{project.pk}/"
    assert client.get(url).status_code == 200  # the form
    with django_assert_max_num_queries(25):
        response = client.get(url, {"format": "docx", "bodies": [world.committee.pk, world.council_body.pk]})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and ".docx" in response["Content-Disposition"]
    headings, text = _docx_text(response.content)
    assert headings == OUTLINE
    assert "Digitale Schule: Gleichwertige Ausstattung aller Schulen" in text
    assert "Verwaltungsausschuss" in text and "zur Vorberatung" in text and "zur Entscheidung" in text
    assert "Der/Die Stadtrat Plauen stimmt dem Projekt „Arbeitsgruppe Schulen einrichten“" in text
    assert "Alle Beteiligten an einen Tisch." in text
    # 12,000 EUR personnel costs in 2027 and 2028 → 24,000 EUR within the medium-term plan (2027–2031).
    assert "24.000" in text and "12.000" in text


@time_machine.travel(date(2027, 3, 1), tick=False)
def test_strategy_version_draft_as_pdf(client_of, admin, world, project_with_plan):
    _project, version = project_with_plan
    response = client_of(admin).get(f"/plauen/intern/rat/entwurf/strategie/{version.pk}/", {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-32:]
    titles = pdf_outline_titles(pdf)
    for heading in OUTLINE:
        assert heading in titles
    assert "Digitalagenda Plauen" in titles


def pdf_outline_titles(pdf: bytes) -> list[str]:
    """The bookmark titles WeasyPrint writes for every heading (PDF outline), decoded from the
    (possibly compressed) objects: the text of the headings as they were rendered."""
    chunks = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            pass
    titles = []
    for chunk in chunks:
        for match in re.finditer(rb"/Title\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))", chunk):
            titles.append(_pdf_string(match.group(1)))
    return titles


def _pdf_string(raw: bytes) -> str:
    if raw.startswith(b"<"):
        data = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode())
    else:
        data = re.sub(rb"\\([\\()])", rb"\1", raw[1:-1])
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be")
    return data.decode("latin-1")


@pytest.mark.parametrize("who, status", [("council", 403), ("reader", 403), ("citizen", 403), ("celle_admin", 404)])
def test_drafts_are_for_the_administration(client_of, request, world, project_with_plan, who, status):
    project, version = project_with_plan
    client = client_of(request.getfixturevalue(who))
    if who == "celle_admin":
        assert client.get(f"/celle/intern/rat/entwurf/projekt/{project.pk}/", {"format": "docx"}).status_code == 404
        return
    assert client.get(f"/plauen/intern/rat/entwurf/projekt/{project.pk}/", {"format": "docx"}).status_code == status
    assert client.get(f"/plauen/intern/rat/entwurf/strategie/{version.pk}/", {"format": "pdf"}).status_code == status


def test_draft_of_another_municipalitys_project_is_404(client_of, admin, world, celle):
    project = portfolio.create_project(municipality=celle, by=None, title="Celler Projekt", visibility="public")
    assert client_of(admin).get(f"/plauen/intern/rat/entwurf/projekt/{project.pk}/").status_code == 404
    assert client_of(admin).get("/plauen/intern/rat/entwurf/projekt/999999/").status_code == 404
    assert client_of(admin).get("/plauen/intern/rat/entwurf/strategie/999999/").status_code == 404
