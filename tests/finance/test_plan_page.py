"""The plan page at city size: the funding cliffs are paged (every cliff on some page) and the
project choice still offers every visible project."""

from __future__ import annotations

import re

import pytest

from stadtlotse.finance import views

from .conftest import CONFIDENTIAL_MARKER, SIZES

BASE = "/plauen/intern/finanzen/"


def _cliff_titles(html: str) -> list[str]:
    section = html[html.index('id="cliff-h"') :]
    return re.findall(r'scope="row"><a class="kern-link" href="[^"]+">([^<]+)</a>', section)


@pytest.mark.parametrize("finance_world", [SIZES[1]], indirect=True)
def test_every_funding_cliff_is_on_one_of_the_pages(finance_world, finance, client_of, monkeypatch):
    monkeypatch.setattr(views, "CLIFFS_PER_PAGE", 10)
    client = client_of(finance)
    first = client.get(BASE)
    cliffs = first.context["plan"].cliffs
    pages = -(-len(cliffs) // 10)
    assert len(cliffs) > 20 and f"Seite 1 von {pages}" in first.content.decode()
    titles = []
    for number in range(1, pages + 1):
        html = client.get(BASE, {"page": number}).content.decode()
        shown = _cliff_titles(html)
        assert len(shown) == (10 if number < pages else len(cliffs) - 10 * (pages - 1))
        titles += shown
    projects = first.context["result"].projects
    assert titles == [projects[c.project_id].title for c in cliffs]


@pytest.mark.parametrize("finance_world", [SIZES[1]], indirect=True)
def test_project_choice_offers_every_visible_project_and_keeps_the_selection(finance_world, reader, client_of):
    chosen = finance_world.projects[3]
    html = client_of(reader).get(BASE, {"project": chosen.pk}).content.decode()
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', html)
    titles = {title for _pk, _sel, title in options}
    assert {p.title for p in finance_world.projects} <= titles and CONFIDENTIAL_MARKER not in html
    assert [pk for pk, sel, _t in options if sel] == [str(chosen.pk)]
