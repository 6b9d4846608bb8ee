"""The accessibility statement (Erklärung zur Barrierefreiheit) has every part that § 7 BITV 2.0
and the EU model statement (Implementing Decision (EU) 2018/1523) require, per municipality:
the state of compliance, the non-accessible content with reasons, when and how the statement
was made, a feedback contact, and the enforcement procedure with the state's body and the
federal arbitration board under § 16 BGG."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import formats

from stadtlotse.core import accessibility, services
from stadtlotse.core.models import State


def _text(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _section(text: str, heading: str, next_heading: str | None) -> str:
    start = text.index(heading)
    end = text.index(next_heading, start) if next_heading else len(text)
    return text[start:end]


HEADINGS = [
    "Stand der Vereinbarkeit mit den Anforderungen",
    "Nicht barrierefreie Inhalte",
    "Erstellung dieser Erklärung",
    "Feedback und Kontaktangaben",
    "Durchsetzungsverfahren",
]


def _parts(text: str) -> dict[str, str]:
    return {h: _section(text, h, HEADINGS[i + 1] if i + 1 < len(HEADINGS) else None) for i, h in enumerate(HEADINGS)}


@pytest.mark.django_db
def test_a_municipalitys_statement_has_every_required_part(plauen):
    plauen.accessibility_contact = "barrierefreiheit@plauen.example"
    plauen.save()
    response = Client().get("/plauen/barrierefreiheit/", HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    text = _text(response)
    assert "Erklärung zur Barrierefreiheit: Plauen" in text
    assert "Sächsisches Inklusionsgesetz" in text  # Plauen is in Saxony: the state's law
    parts = _parts(text)

    # State of compliance: one of the model statement's three levels, here "teilweise vereinbar".
    assert "teilweise" in parts[HEADINGS[0]] and "vereinbar" in parts[HEADINGS[0]]
    assert "WCAG 2.1" in parts[HEADINGS[0]] and "BITV 2.0" in parts[HEADINGS[0]]

    # Non-accessible content, each item with its reason.
    listed = parts[HEADINGS[1]]
    assert len(accessibility.NON_ACCESSIBLE) >= 1
    for title, reason in accessibility.NON_ACCESSIBLE:
        assert str(title) != str(reason)
    assert "Deutscher Gebärdensprache" in listed and "Leichter Sprache" in listed
    assert listed.count("Begründung:") == len(accessibility.NON_ACCESSIBLE)

    # When and how it was made.
    made = parts[HEADINGS[2]]
    with_date = formats.date_format(accessibility.ASSESSED_ON, "j. F Y")
    assert f"am {with_date} erstellt" in made
    assert "Selbstbewertung" in made and "axe-core" in made and "Tastatur" in made

    # Feedback: the municipality's own address, as a mailto link.
    assert "barrierefreiheit@plauen.example" in parts[HEADINGS[3]]
    assert 'href="mailto:barrierefreiheit@plauen.example?subject=' in html

    # Enforcement: Saxony's body and the federal arbitration board under § 16 BGG.
    enforcement = parts[HEADINGS[4]]
    assert "Sachsen" in enforcement
    assert accessibility.STATE_ENFORCEMENT[State.SN].name in enforcement
    assert "§ 16" in enforcement and "Schlichtungsstelle" in enforcement
    assert 'href="mailto:info@schlichtungsstelle-bgg.de"' in html
    assert 'href="https://www.schlichtungsstelle-bgg.de"' in html


@pytest.mark.django_db
def test_the_enforcement_body_follows_the_state(plauen, celle):
    celle_text = _text(Client().get("/celle/barrierefreiheit/", HTTP_ACCEPT_LANGUAGE="de"))
    assert "Niedersächsisches Behindertengleichstellungsgesetz (NBGG)" in celle_text
    assert "§ 9d NBGG" in celle_text
    assert accessibility.STATE_ENFORCEMENT[State.SN].name not in celle_text
    # A state without a listed body names its commissioner; a municipality can name the exact body.
    hessen = services.create_municipality(
        by=None, slug="wetzlar", name="Wetzlar", ags="06532023", state="HE", population=50000
    )
    text = _text(Client().get("/wetzlar/barrierefreiheit/", HTTP_ACCEPT_LANGUAGE="de"))
    assert "Landesbeauftragter für Menschen mit Behinderungen in Hessen" in text
    hessen.accessibility_enforcement = "Durchsetzungsstelle Beispiel, Musterweg 1, 35578 Wetzlar"
    hessen.save()
    text = _text(Client().get("/wetzlar/barrierefreiheit/", HTTP_ACCEPT_LANGUAGE="de"))
    assert "Durchsetzungsstelle Beispiel, Musterweg 1, 35578 Wetzlar" in text
    assert "Landesbeauftragter für Menschen mit Behinderungen in Hessen" not in text


def test_every_state_has_its_law_and_a_body():
    for state in State:
        assert accessibility.STATE_LAWS[state]
        assert accessibility.enforcement_body(state).name


@pytest.mark.django_db
def test_without_a_contact_address_the_statement_points_to_the_website(plauen):
    plauen.website = "https://www.plauen.de"
    plauen.save()
    response = Client().get("/plauen/barrierefreiheit/", HTTP_ACCEPT_LANGUAGE="de")
    feedback = _parts(_text(response))[HEADINGS[3]]
    assert "Kontaktangaben auf der Website von Plauen" in feedback
    assert 'href="https://www.plauen.de"' in response.content.decode()


@pytest.mark.django_db
def test_the_installation_statement_links_each_municipality_and_the_operator(plauen, celle, settings):
    settings.ACCESSIBILITY_CONTACT = "barrierefreiheit@betreiber.example"
    response = Client().get("/barrierefreiheit/", HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    parts = _parts(_text(response))
    assert "teilweise" in parts[HEADINGS[0]]
    assert 'href="mailto:barrierefreiheit@betreiber.example"' in html
    assert 'href="/plauen/barrierefreiheit/"' in html and 'href="/celle/barrierefreiheit/"' in html
    assert "§ 16" in parts[HEADINGS[4]]


@pytest.mark.django_db
def test_the_footer_links_the_municipalitys_own_statement(plauen):
    html = Client().get("/plauen/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'href="/plauen/barrierefreiheit/"' in html


@pytest.mark.django_db
def test_the_statement_reads_in_english_too(plauen):
    client = Client()
    client.cookies["django_language"] = "en"
    text = _text(client.get("/plauen/barrierefreiheit/", HTTP_ACCEPT_LANGUAGE="en"))
    for heading in ("State of compliance", "Non-accessible content", "Preparation of this statement",
                    "Feedback and contact", "Enforcement procedure"):  # fmt: skip
        assert heading in text
    assert "partially compliant" in text


@pytest.mark.django_db
def test_the_administrator_names_the_contact_in_the_settings(plauen, admin, client_of):
    data = {"name": "Plauen", "state": "SN", "ags": "14523319", "population": "64000", "discount_rate_percent": "3",
            "medium_term_years": "5", "website": "www.plauen.de",
            "accessibility_contact": "barrierefrei@plauen.example"}  # fmt: skip
    response = client_of(admin).post("/plauen/intern/einstellungen/", data, follow=True)
    assert "Die Einstellungen wurden gespeichert." in response.content.decode()
    plauen.refresh_from_db()
    assert (plauen.accessibility_contact, plauen.population) == ("barrierefrei@plauen.example", 64000)
    assert plauen.history.first().accessibility_contact == "barrierefrei@plauen.example"  # one audited save
    html = Client().get("/plauen/barrierefreiheit/").content.decode()
    assert 'href="mailto:barrierefrei@plauen.example?subject=' in html
