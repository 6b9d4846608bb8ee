"""The main navigation shows the workspace's parts only to those who may enter the workspace."""

import re

import pytest


def nav_labels(html: str) -> list[str]:
    nav = re.search(r'<nav class="sl-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'class="sl-nav__link"[^>]*>([^<]+)</a>', nav)


@pytest.mark.parametrize("persona", ["citizen", "celle_admin"])
def test_the_no_access_page_shows_the_public_navigation(persona, plauen, request, client_of):
    response = client_of(request.getfixturevalue(persona)).get("/plauen/intern/finanzen/")
    assert response.status_code == 403
    labels = nav_labels(response.content.decode())
    assert "Start" in labels
    assert not {"Übersicht", "Ämter", "Mitteilungen", "Öffentliches Portal"} & set(labels), labels


def test_the_workspace_shows_the_internal_navigation(plauen, reader, client_of):
    labels = nav_labels(client_of(reader).get("/plauen/intern/finanzen/").content.decode())
    assert {"Übersicht", "Finanzen", "Ämter", "Mitteilungen", "Öffentliches Portal"} <= set(labels), labels
