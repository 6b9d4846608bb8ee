"""Two editors change the same draft item of a strategy or the same council paper at once: no
update is lost (``core.locking``), as for projects (``test_concurrent_edit``).

The first save wins. The second is refused with a clear German message. The form comes back
with the second editor's input and the version they had seen, so sending it again is refused
again. After a reload their change goes through and both changes are kept. Over the API, a PATCH
with the lock version read before the other change is answered 409 Conflict.
"""

from __future__ import annotations

import pytest

from stadtlotse.core import services as core_services
from stadtlotse.council import services as council
from stadtlotse.council.models import OriginatorKind, Paper, PaperKind
from tests.strategy.conftest import build_strategy

from .test_concurrent_edit import _form, _patch

STALE = "Jemand anderes hat dies inzwischen geändert."

# kind in the URL, the draft item of strategy_world, the field each editor changes, and the API path
ITEMS = [
    ("handlungsfeld", "draft_field", ("title", "description"), "fields"),
    ("ziel", "draft_goal", ("title", "responsible_person"), "goals"),
    ("kennzahl", "draft_indicator", ("name", "unit"), "indicators"),
]


@pytest.fixture
def strategy_world(plauen):
    """Plauen's strategy with an adopted version and a draft (``tests/strategy/conftest``)."""
    return build_strategy(plauen)


@pytest.fixture
def paper(plauen):
    return council.create_paper(municipality=plauen, by=None, kind=PaperKind.MOTION, reference="AN/7/26",
                                date="2026-11-02", title="Antrag WLAN", originator_kind=OriginatorKind.MAYOR,
                                visibility="public", text="Alter Text.")  # fmt: skip


def _two_editors_one_form(url, first, second, mine: dict, theirs: dict, stored, save=None):
    """First saves ``mine``; second, from the same version, is refused with their input kept;
    after a reload second's change goes through and both are stored. ``stored()`` reads the row."""
    extra = {"save": "1"} if save else {}
    form_first, form_second = _form(first.get(url).content.decode()), _form(second.get(url).content.decode())
    assert form_first["lock_version"] == form_second["lock_version"]
    version = int(form_first["lock_version"])
    assert first.post(url, {**form_first, **mine, **extra}).status_code == 302

    refused = second.post(url, {**form_second, **theirs, **extra})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert STALE in page and "Laden Sie die Seite neu" in page
    kept = _form(page)
    assert {name: kept[name] for name in theirs} == theirs and kept["lock_version"] == str(version)
    row = stored()
    assert all(getattr(row, name) == value for name, value in mine.items())
    assert all(getattr(row, name) != value for name, value in theirs.items())
    assert row.lock_version == version + 1
    assert second.post(url, {**kept, **extra}).status_code == 200  # the stale form again: refused again
    assert stored().lock_version == version + 1

    fresh = _form(second.get(url).content.decode())
    assert second.post(url, {**fresh, **theirs, **extra}).status_code == 302
    row = stored()
    assert all(getattr(row, name) == value for name, value in {**mine, **theirs}.items())
    assert row.lock_version == version + 2


@pytest.mark.parametrize(("kind", "attribute", "names", "_path"), ITEMS)
def test_two_editors_of_one_draft_item_lose_nothing(strategy_world, admin, staff, client_of, kind, attribute, names,
                                                     _path):  # fmt: skip
    item = getattr(strategy_world, attribute)
    url = f"/plauen/intern/strategie/{kind}/{item.pk}/"
    mine, theirs = {names[0]: "Vom ersten Bearbeiter"}, {names[1]: "Vom zweiten"}
    _two_editors_one_form(url, client_of(admin), client_of(admin), mine, theirs,
                          lambda: type(item).objects.get(pk=item.pk), save=True)  # fmt: skip


def test_two_editors_of_one_section_lose_nothing(strategy_world, admin, client_of):
    from stadtlotse.strategy.models import Section

    section = Section.objects.get(version=strategy_world.draft, heading="Entwurfstext")
    url = f"/plauen/intern/strategie/abschnitt/{section.pk}/"
    _two_editors_one_form(url, client_of(admin), client_of(admin), {"heading": "Neue Überschrift"},
                          {"body": "Neuer Text des zweiten"}, lambda: Section.objects.get(pk=section.pk),
                          save=True)  # fmt: skip


def test_two_editors_of_one_paper_lose_nothing(paper, admin, client_of):
    url = f"/plauen/intern/rat/vorlagen/{paper.pk}/bearbeiten/"
    _two_editors_one_form(url, client_of(admin), client_of(admin), {"title": "Antrag WLAN an Schulen"},
                          {"text": "Neuer Text."}, lambda: Paper.objects.get(pk=paper.pk))  # fmt: skip


@pytest.mark.parametrize(("path", "model", "change"), [
    ("goals", "draft_goal", {"title": "Per API"}), ("fields", "draft_field", {"title": "Per API"}),
    ("indicators", "draft_indicator", {"name": "Per API"}), ("sections", "section", {"heading": "Per API"}),
])  # fmt: skip
def test_a_stale_patch_of_a_draft_item_is_a_conflict(strategy_world, admin, client, path, model, change):
    from stadtlotse.strategy.models import Section

    if model == "section":
        item = Section.objects.get(version=strategy_world.draft, heading="Entwurfstext")
    else:
        item = getattr(strategy_world, model)
    _token, key = core_services.create_api_token(user=admin, name="Skript")
    url = f"/api/v1/plauen/{path}/{item.pk}"
    read = _patch(client, url, {}, key).json()  # an empty PATCH answers the item as it is (and counts as a save)
    version = read["lock_version"]
    assert _patch(client, url, {**change, "lock_version": version}, key).status_code == 200
    refused = _patch(client, url, {**{k: v + " (alt)" for k, v in change.items()}, "lock_version": version}, key)
    assert refused.status_code == 409, refused.content
    assert refused.json()["detail"].startswith(STALE)
    stored = type(item).objects.get(pk=item.pk)
    assert all(getattr(stored, k) == v for k, v in change.items()) and stored.lock_version == version + 1
    assert _patch(client, url, {**change, "lock_version": version + 1}, key).status_code == 200


def test_a_stale_patch_of_a_paper_is_a_conflict(paper, admin, client):
    _token, key = core_services.create_api_token(user=admin, name="Skript")
    url = f"/api/v1/plauen/council/papers/{paper.pk}"
    read = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert read["lock_version"] == 0
    assert _patch(client, url, {"title": "Antrag WLAN neu", "lock_version": 0}, key).status_code == 200
    refused = _patch(client, url, {"text": "Überschrieben", "lock_version": 0}, key)
    assert refused.status_code == 409, refused.content
    assert refused.json()["detail"].startswith(STALE)
    stored = Paper.objects.get(pk=paper.pk)
    assert (stored.title, stored.text, stored.lock_version) == ("Antrag WLAN neu", "Alter Text.", 1)
    # without a lock version a PATCH changes only the fields it names
    assert _patch(client, url, {"text": "Neuer Text."}, key).status_code == 200
    stored = Paper.objects.get(pk=paper.pk)
    assert (stored.title, stored.text, stored.lock_version) == ("Antrag WLAN neu", "Neuer Text.", 2)
