"""Two editors change the same project at once: no update is lost.

Both open the edit form, both submit. The first save wins; the second is refused with a clear
German message, the form comes back with the second editor's input in it (nothing typed is
lost), and after they reload and save again both changes are kept. The same through the API:
a PATCH with the lock version read before someone else's change is refused with 409 Conflict
and the same German message (other refused changes answer 422).
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from stadtlotse.core import services as core_services
from stadtlotse.portfolio import services
from stadtlotse.portfolio.models import Project

STALE = "Jemand anderes hat dieses Projekt inzwischen geändert."


@pytest.fixture
def project(plauen):
    return services.create_project(municipality=plauen, by=None, title="Bürgerportal", summary="Alt",
                                   visibility="public", lead_person="Herr Alt")  # fmt: skip


def _form(page: str) -> dict:
    """The fields of the edit form (the one with the lock version) as the browser sends them back."""
    page = next(form for form in re.findall(r"<form\b.*?</form>", page, re.S) if 'name="lock_version"' in form)
    data = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        name = re.search(r'\bname="([^"]+)"', tag)
        kind = re.search(r'\btype="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in {"submit", "checkbox", "radio"}):
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        data[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, value in re.findall(r'<textarea\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = unescape(value).removeprefix("\n")
    for tag, name, body in re.findall(r'(<select\b[^>]*\bname="([^"]+)"[^>]*>)(.*?)</select>', page, re.S):
        chosen = [unescape(v) for v in re.findall(r'<option\b[^>]*\bvalue="([^"]*)"[^>]*\bselected', body)]
        if " multiple" in tag:
            data[name] = chosen
        else:
            data[name] = chosen[0] if chosen else ""
    return data


def _value_of(page: str, name: str) -> str:
    return _form(page)[name]


def test_two_editors_submit_the_same_project_and_the_second_keeps_their_input(project, staff, admin, client_of):
    url = f"/plauen/intern/projekte/{project.pk}/bearbeiten/"
    first, second = client_of(staff), client_of(admin)
    form_first = _form(first.get(url).content.decode())
    form_second = _form(second.get(url).content.decode())
    assert form_first["lock_version"] == form_second["lock_version"] == "0"

    saved = first.post(url, {**form_first, "summary": "Neu vom Redakteur"})
    assert saved.status_code == 302
    refused = second.post(url, {**form_second, "title": "Bürgerportal 2.0", "lead_person": "Frau Neu"})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert STALE in page
    assert "Laden Sie die Seite neu" in page
    # the second editor's input is still in the form, with the stale version (so it cannot save over)
    assert _value_of(page, "title") == "Bürgerportal 2.0"
    assert _value_of(page, "lead_person") == "Frau Neu"
    assert _value_of(page, "lock_version") == "0"
    stored = Project.objects.get(pk=project.pk)
    assert (stored.title, stored.summary, stored.lead_person, stored.lock_version) == (
        "Bürgerportal", "Neu vom Redakteur", "Herr Alt", 1)  # fmt: skip

    # Resubmitting the same (stale) form is refused again: no silent overwrite.
    again = second.post(url, _form(page))
    assert again.status_code == 200 and STALE in again.content.decode()
    assert Project.objects.get(pk=project.pk).lock_version == 1

    # After reloading, the second editor enters the change again and both changes are kept.
    fresh = _form(second.get(url).content.decode())
    assert fresh["summary"] == "Neu vom Redakteur" and fresh["lock_version"] == "1"
    assert second.post(url, {**fresh, "title": "Bürgerportal 2.0", "lead_person": "Frau Neu"}).status_code == 302
    stored = Project.objects.get(pk=project.pk)
    assert (stored.title, stored.summary, stored.lead_person, stored.lock_version) == (
        "Bürgerportal 2.0", "Neu vom Redakteur", "Frau Neu", 2)  # fmt: skip
    assert [h.history_user for h in stored.history.order_by("history_id")] == [None, staff, admin]


def _patch(client, url: str, data: dict, key: str):
    return client.patch(url, data=json.dumps(data), content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {key}")  # fmt: skip


def test_a_patch_with_a_stale_lock_version_is_refused_with_a_clear_error(project, staff, admin, client):
    _token, staff_key = core_services.create_api_token(user=staff, name="Skript")
    _token, admin_key = core_services.create_api_token(user=admin, name="Skript")
    url = f"/api/v1/plauen/projects/{project.pk}"
    read = client.get(url, HTTP_AUTHORIZATION=f"Bearer {admin_key}").json()
    assert read["lock_version"] == 0

    assert _patch(client, url, {"summary": "Neu", "lock_version": 0}, staff_key).status_code == 200
    refused = _patch(client, url, {"title": "Überschrieben", "lock_version": read["lock_version"]}, admin_key)

    assert refused.status_code == 409, refused.content
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json()["detail"].startswith(STALE)
    stored = Project.objects.get(pk=project.pk)
    assert (stored.title, stored.summary, stored.lock_version) == ("Bürgerportal", "Neu", 1)
    # with the version read anew the change goes through
    assert _patch(client, url, {"title": "Überschrieben", "lock_version": 1}, admin_key).status_code == 200
    assert Project.objects.get(pk=project.pk).title == "Überschrieben"


def test_a_patch_without_a_lock_version_over_a_newer_change_keeps_that_change(project, staff, admin, client):
    """Without a lock version a PATCH changes only the fields it names: the other editor's field stays."""
    _token, staff_key = core_services.create_api_token(user=staff, name="Skript")
    _token, admin_key = core_services.create_api_token(user=admin, name="Skript")
    url = f"/api/v1/plauen/projects/{project.pk}"
    assert _patch(client, url, {"summary": "Vom Redakteur"}, staff_key).status_code == 200
    assert _patch(client, url, {"lead_person": "Frau Admin"}, admin_key).status_code == 200
    stored = Project.objects.get(pk=project.pk)
    assert (stored.summary, stored.lead_person, stored.lock_version) == ("Vom Redakteur", "Frau Admin", 2)
