"""The pages of participation over HTTP: who sees what, spam defence and rate limits, sorting
and filtering, the office's workflow, data rights, and fixed query counts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stadtlotse.core.models import Role, User
from stadtlotse.participation import guard, services
from stadtlotse.participation.models import Contribution, Moderation, Phase, Profile, Status

from ..conftest import make_user
from .conftest import INTERNAL_MARKER, form_data, make_world

HIDDEN_TEXT = "HIDDEN-TEXT-NEVER-PUBLIC"
HELD_TEXT = "HELD-TEXT-NOT-YET-PUBLIC"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>[link](javascript:alert(1))'


@pytest.fixture
def planted_comments(world, citizen, other_citizen, admin):
    """A public comment with an XSS payload, a hidden one, a held one, one on an internal project."""
    public = services.post_comment(phase=world.phase, by=citizen, text="Öffentlicher Beitrag " + XSS)
    hidden = services.post_comment(phase=world.phase, by=other_citizen, text=HIDDEN_TEXT)
    services.hide(contribution=hidden, by=admin, reason="Beleidigung (Regel 2)")
    services.update_phase(phase=world.phase, by=admin, allow_anonymous=True)
    services.post_comment(phase=world.phase, by=None, text=HELD_TEXT)
    internal = services.post_comment(phase=world.internal_phase, by=admin, text=INTERNAL_MARKER)
    return {"public": public, "hidden": hidden, "internal": internal}


def public_urls(world, planted):
    return [
        "/plauen/beteiligung/", f"/plauen/beteiligung/phase/{world.phase.pk}/",
        f"/plauen/beteiligung/beitrag/{planted['public'].pk}/", f"/plauen/beteiligung/beitrag/{planted['hidden'].pk}/",
        "/plauen/beteiligung/moderation/", "/plauen/beteiligung/ideen/",
        f"/plauen/beteiligung/abschnitt/{world.sections[0].pk}/",
        f"/api/v1/plauen/participation/phases/{world.phase.pk}/comments",
        "/api/v1/plauen/participation/phases",
    ]  # fmt: skip


@pytest.mark.parametrize("persona", [None, "citizen", "other_citizen", "admin", "celle_admin"])
def test_hidden_held_and_internal_texts_never_reach_public_pages(request, client_of, world, planted_comments,
                                                                  persona):  # fmt: skip
    client = client_of(request.getfixturevalue(persona) if persona else None)
    for url in public_urls(world, planted_comments):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert HIDDEN_TEXT not in body and HELD_TEXT not in body, url
        if persona != "admin":
            assert INTERNAL_MARKER not in body and "Interne Runde" not in body, url
        if url.startswith("/api/"):
            assert response["Content-Type"] == "application/json; charset=utf-8"
        else:  # the payload arrives escaped and sanitized: no tag, no script link
            assert "<script>alert" not in body and "<img" not in body and 'href="javascript' not in body, url


def test_the_hidden_comment_shows_its_public_reason_and_the_log_lists_it(anonymous, world, planted_comments):
    body = anonymous.get(f"/plauen/beteiligung/beitrag/{planted_comments['hidden'].pk}/").content.decode()
    assert "Beleidigung (Regel 2)" in body and "Ausgeblendet" in body
    log = anonymous.get("/plauen/beteiligung/moderation/").content.decode()
    assert "Beleidigung (Regel 2)" in log and "Entwurf Digitalagenda" in log


@pytest.mark.parametrize("persona,status", [(None, 404), ("citizen", 404), ("celle_admin", 404), ("reader", 200),
                                            ("admin", 200)])  # fmt: skip
def test_phases_on_internal_projects_are_internal(request, client_of, world, planted_comments, persona, status):
    client = client_of(request.getfixturevalue(persona) if persona else None)
    assert client.get(f"/plauen/beteiligung/phase/{world.internal_phase.pk}/").status_code == status
    assert client.get(f"/plauen/beteiligung/beitrag/{planted_comments['internal'].pk}/").status_code == status
    assert client.get(f"/api/v1/plauen/participation/contributions/{planted_comments['internal'].pk}").status_code \
        == status  # fmt: skip


def test_other_municipality_sees_no_plauen_objects_under_its_own_slug(client_of, world, planted_comments,
                                                                      celle_admin, celle):  # fmt: skip
    client = client_of(celle_admin)
    assert client.get(f"/celle/beteiligung/phase/{world.phase.pk}/").status_code == 404
    assert client.get(f"/celle/beteiligung/beitrag/{planted_comments['public'].pk}/").status_code == 404
    assert client.get(f"/celle/intern/beteiligung/beitrag/{planted_comments['public'].pk}/").status_code == 404
    assert client.get(f"/api/v1/celle/participation/contributions/{planted_comments['public'].pk}").status_code == 404


def test_the_phase_page_says_when_comments_are_read_only(client_of, world, citizen, no_min_time):
    client = client_of(citizen)
    now = timezone.now()
    Phase.objects.filter(pk=world.phase.pk).update(starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2))
    body = client.get(f"/plauen/beteiligung/phase/{world.phase.pk}/").content.decode()
    assert "Die Beteiligung beginnt am" in body and "Kommentar veröffentlichen" not in body
    Phase.objects.filter(pk=world.phase.pk).update(starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1))
    body = client.get(f"/plauen/beteiligung/phase/{world.phase.pk}/").content.decode()
    assert "Die Beteiligung endete am" in body and "Kommentar veröffentlichen" not in body
    response = client.post(f"/plauen/beteiligung/phase/{world.phase.pk}/", form_data(text="Zu spät!"))
    assert "nur noch gelesen" in response.content.decode()
    assert not Contribution.objects.filter(text="Zu spät!").exists()


def test_a_citizen_comments_through_the_form(client_of, world, citizen, no_min_time):
    url = f"/plauen/beteiligung/phase/{world.phase.pk}/"
    response = client_of(citizen).post(url, form_data(text="Guter Entwurf!", section=str(world.sections[2].pk)))
    c = Contribution.objects.get(text="Guter Entwurf!")
    assert response.status_code == 302 and response["Location"].endswith(f"#c{c.pk}")
    assert c.section == world.sections[2] and c.author == citizen


def test_anonymous_visitors_are_sent_to_sign_in_unless_the_phase_admits_them(anonymous, world, admin, no_min_time):
    url = f"/plauen/beteiligung/phase/{world.phase.pk}/"
    assert anonymous.post(url, form_data(text="Hallo Welt")).status_code == 302
    assert not Contribution.objects.exists()
    services.update_phase(phase=world.phase, by=admin, allow_anonymous=True)
    anonymous.post(url, form_data(text="Hallo Welt", name="Gast"))
    assert Contribution.objects.get().moderation == Moderation.HELD
    assert "Hallo Welt" not in anonymous.get(url).content.decode()


def test_the_honeypot_and_the_minimum_fill_time_stop_bots(client_of, world, citizen):
    url = f"/plauen/beteiligung/phase/{world.phase.pk}/"
    client = client_of(citizen)
    body = client.post(url, {**form_data(text="Kaufen Sie!"), guard.HONEYPOT_FIELD: "http://spam"}).content.decode()
    assert "Leer lassen" in body
    body = client.post(url, form_data(text="Zu schnell")).content.decode()  # sent at once
    assert "sehr schnell" in body
    body = client.post(url, {"text": "Ohne Stempel", guard.STAMP_FIELD: "forged"}).content.decode()
    assert "abgelaufen" in body
    assert not Contribution.objects.exists()
    data = form_data(text="Mit Bedacht geschrieben")
    with time_machine.travel(timezone.now() + timedelta(seconds=guard.MIN_FILL_SECONDS + 1)):
        assert client.post(url, data).status_code == 302
    assert Contribution.objects.filter(text="Mit Bedacht geschrieben").exists()


def test_the_honeypot_is_hidden_from_screen_readers(client_of, world, citizen):
    body = client_of(citizen).get(f"/plauen/beteiligung/phase/{world.phase.pk}/").content.decode()
    assert '<div hidden aria-hidden="true"><label for="hp">' in body
    assert 'name="homepage" value="" tabindex="-1" autocomplete="off"' in body


def test_rate_limit_per_account_answers_429_and_resets_after_the_window(client_of, world, citizen, no_min_time):
    url = f"/plauen/beteiligung/phase/{world.phase.pk}/"
    client = client_of(citizen)
    start = timezone.now().replace(minute=0, second=1)  # at the start of a window
    with time_machine.travel(start, tick=False):
        for i in range(guard.LIMITS["post-user"].limit):
            assert client.post(url, form_data(text=f"Beitrag {i}")).status_code == 302
        response = client.post(url, form_data(text="Einer zu viel"))
        assert response.status_code == 429 and "zu oft" in response.content.decode()
        assert int(response["Retry-After"]) > 0
    with time_machine.travel(start + timedelta(seconds=guard.LIMITS["post-user"].window), tick=False):
        assert client.post(url, form_data(text="Wieder erlaubt")).status_code == 302
    assert Contribution.objects.count() == guard.LIMITS["post-user"].limit + 1


def test_rate_limit_per_ip_covers_many_accounts(client_of, world, plauen, no_min_time, monkeypatch):
    monkeypatch.setitem(guard.LIMITS, "post-ip", guard.Limit("post-ip", 3, 600))
    url = f"/plauen/beteiligung/phase/{world.phase.pk}/"
    codes = [client_of(make_user(f"c{i}", plauen, Role.CITIZEN)).post(url, form_data(text=f"Text {i}")).status_code
             for i in range(4)]  # fmt: skip
    assert codes == [302, 302, 302, 429]


def test_registration_rate_limit_per_ip(anonymous, plauen, no_min_time, monkeypatch):
    monkeypatch.setitem(guard.LIMITS, "register-ip", guard.Limit("register-ip", 1, 3600))
    pw = "Lange-Sichere-Phrase-42"
    data = {"email": "a@example.org", "password": pw, "password_again": pw, "accept_rules": "on"}
    assert anonymous.post("/plauen/beteiligung/registrieren/", form_data(username="a1", pseudonym="Eins", **data))\
        .status_code == 302  # fmt: skip
    anonymous.logout()
    assert anonymous.post("/plauen/beteiligung/registrieren/", form_data(username="a2", pseudonym="Zwei", **data))\
        .status_code == 429  # fmt: skip
    assert list(User.objects.values_list("username", flat=True)) == ["a1"]


def test_registration_creates_a_signed_in_citizen(anonymous, plauen, no_min_time):
    bad = anonymous.post("/plauen/beteiligung/registrieren/", form_data(
        username="anna", email="anna@example.org", pseudonym="Anna", password="12345678",
        password_again="12345678"))  # fmt: skip
    body = bad.content.decode()
    assert bad.status_code == 200 and "Verhaltensregeln" in body and "numerisch" in body
    response = anonymous.post("/plauen/beteiligung/registrieren/", form_data(
        username="anna", email="anna@example.org", pseudonym="Anna", password="Lange-Sichere-Phrase-42",
        password_again="Lange-Sichere-Phrase-42", accept_rules="on"))  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(username="anna")
    assert user.memberships.get().role == Role.CITIZEN and Profile.objects.get(user=user).pseudonym == "Anna"
    assert anonymous.get("/plauen/beteiligung/").context["may_take_part"] is True


def test_sorting_and_filtering_comments(client_of, world, citizen, other_citizen, admin):
    a = services.post_comment(phase=world.phase, by=citizen, text="Erster", section=world.sections[0])
    b = services.post_comment(phase=world.phase, by=citizen, text="Zweiter", section=world.sections[1])
    c = services.post_comment(phase=world.phase, by=citizen, text="Dritter")
    for earlier, later in ((a, b), (b, c)):
        Contribution.objects.filter(pk=later.pk).update(created=earlier.created + timedelta(minutes=1))
    services.support(contribution=b, by=other_citizen)
    services.answer(contribution=a, by=admin, text="Danke")
    url = f"/plauen/beteiligung/phase/{world.phase.pk}/"
    client = client_of(other_citizen)

    def order(**params):
        return [x.pk for x in client.get(url, params).context["page"].object_list]

    assert order() == [c.pk, b.pk, a.pk]
    assert order(sort="oldest") == [a.pk, b.pk, c.pk]
    assert order(sort="supported")[0] == b.pk
    assert order(sort="answered")[0] == a.pk
    assert order(sort="unanswered") == [c.pk, b.pk, a.pk]
    assert order(abschnitt=str(world.sections[1].pk)) == [b.pk]
    assert order(abschnitt="document") == [c.pk]
    assert order(abschnitt="kaputt") == []


def test_support_and_report_through_the_pages(client_of, world, citizen, other_citizen):
    c = services.post_comment(phase=world.phase, by=citizen, text="Bitte unterstützen")
    client = client_of(other_citizen)
    client.post(f"/plauen/beteiligung/beitrag/{c.pk}/unterstuetzen/")
    response = client.post(f"/plauen/beteiligung/beitrag/{c.pk}/unterstuetzen/", follow=True)
    assert "unterstützen dies bereits" in response.content.decode()
    assert c.supports.count() == 1
    client.post(f"/plauen/beteiligung/beitrag/{c.pk}/melden/", {"reason": "Off-Topic"})
    assert c.reports.get().reason == "Off-Topic"


def test_the_office_answers_and_sets_a_status_in_the_workspace(client_of, world, citizen, staff, reader):
    c = services.post_comment(phase=world.phase, by=citizen, text="Mehr Transparenz bitte")
    url = f"/plauen/intern/beteiligung/beitrag/{c.pk}/"
    assert client_of(reader).get(url).status_code == 403
    assert client_of(citizen).get(url).status_code == 403
    client = client_of(staff)
    client.post(url, {"answer": "1", "answer-text": "Vielen Dank für Ihre Anregung."})
    response = client.post(url, {"status": "1", "status-status": "rejected", "status-reason": ""})
    assert "Begründung" in response.content.decode()  # not adopted needs a reason
    client.post(url, {"status": "1", "status-status": "partly", "status-reason": "Teilweise übernommen."})
    c.refresh_from_db()
    assert c.status == Status.PARTLY
    body = client_of(citizen).get(f"/plauen/beteiligung/beitrag/{c.pk}/").content.decode()
    assert "Antwort der Verwaltung" in body and "Vielen Dank für Ihre Anregung." in body
    assert "teilweise übernommen" in body and "Teilweise übernommen." in body


def test_my_data_export_and_removal(client_of, world, citizen):
    services.post_comment(phase=world.phase, by=citizen, text="Mein Beitrag")
    client = client_of(citizen)
    data = json.loads(client.get("/plauen/beteiligung/meine-daten/export/").content)
    assert [c["text"] for c in data["contributions"]] == ["Mein Beitrag"]
    client.post("/plauen/beteiligung/meine-daten/loeschen/", {})
    assert Contribution.objects.get().author == citizen  # not confirmed: nothing happens
    client.post("/plauen/beteiligung/meine-daten/loeschen/", {"confirm": "yes"})
    c = Contribution.objects.get()
    assert c.author is None and c.text == "Mein Beitrag"
    page = client.get(f"/plauen/beteiligung/phase/{world.phase.pk}/").content.decode()
    article = page[page.index(f'id="c{c.pk}"') :]
    assert "Ohne Namen" in article[:600] and ">citizen<" not in article


def _fill(world, citizens, n: int) -> None:
    """n comments with two replies, an official answer and supports each."""
    admin = make_user(f"admin{n}", world.phase.municipality, Role.ADMIN)
    for i in range(n):
        section = world.sections[i % len(world.sections)]
        c = services.post_comment(phase=world.phase, by=citizens[i % 3], text=f"Kommentar {i}", section=section)
        services.reply(parent=c, by=citizens[(i + 1) % 3], text=f"Antwort {i}")
        services.answer(contribution=c, by=admin, text=f"Amtlich {i}")
        services.support(contribution=c, by=citizens[(i + 2) % 3])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", [None, "citizen"])
def test_the_phase_page_and_the_comments_api_keep_their_query_count(request, client_of, plauen, persona):
    world = make_world(plauen, sections=5)
    citizens = [make_user(f"q{i}", plauen, Role.CITIZEN) for i in range(3)]
    client = client_of(request.getfixturevalue(persona) if persona else None)
    urls = [f"/plauen/beteiligung/phase/{world.phase.pk}/",
            f"/api/v1/plauen/participation/phases/{world.phase.pk}/comments",
            "/plauen/beteiligung/ideen/", "/plauen/beteiligung/"]  # fmt: skip
    _fill(world, citizens, 2)
    small = [_count(client, url) for url in urls]
    _fill(world, citizens, 30)
    large = [_count(client, url) for url in urls]
    assert small == large
    limits = [12, 8, 8, 8] if persona is None else [17, 12, 13, 13]
    for url, n, limit in zip(urls, large, limits, strict=True):
        assert n <= limit, f"{url}: {n} queries"


def test_the_contribution_page_keeps_its_query_count(client_of, world, plauen, citizen):
    citizens = [make_user(f"q{i}", plauen, Role.CITIZEN) for i in range(3)]
    c = services.post_comment(phase=world.phase, by=citizens[0], text="Viel diskutiert")
    client = client_of(citizen)
    url = f"/plauen/beteiligung/beitrag/{c.pk}/"
    services.reply(parent=c, by=citizens[1], text="Eins")
    small = _count(client, url)
    for i in range(20):
        services.reply(parent=c, by=citizens[i % 3], text=f"Antwort {i}")
        services.change_status(contribution=c, by=None, status=Status.REVIEW)
    assert _count(client, url) == small <= 16


def test_the_workspace_index_is_for_internal_roles(client_of, world, citizen, admin, anonymous):
    assert anonymous.get("/plauen/intern/beteiligung/").status_code == 302
    assert client_of(citizen).get("/plauen/intern/beteiligung/").status_code == 403
    body = client_of(admin).get("/plauen/intern/beteiligung/").content.decode()
    assert "Entwurf Digitalagenda" in body and "Neue Beteiligungsphase" in body


def test_the_support_form_does_not_redirect_elsewhere(client_of, world, citizen, other_citizen):
    c = services.post_comment(phase=world.phase, by=citizen, text="Bitte unterstützen")
    url = f"/plauen/beteiligung/beitrag/{c.pk}/unterstuetzen/"
    response = client_of(other_citizen).post(url, {"next": "https://evil.example/"})
    assert response["Location"] == f"/plauen/beteiligung/beitrag/{c.pk}/"
    response = client_of(other_citizen).post(url, {"next": f"/plauen/beteiligung/phase/{world.phase.pk}/#c{c.pk}",
                                                   "withdraw": "1"})  # fmt: skip
    assert response["Location"] == f"/plauen/beteiligung/phase/{world.phase.pk}/#c{c.pk}"


def test_support_counts_are_exact_with_replies_and_answers(client_of, world, citizen, other_citizen, admin):
    """The count is a subquery per comment: replies, answers and other comments' supports do not
    inflate it, and a comment without supports shows 0."""
    crowd = [make_user(f"s{i}", world.phase.municipality, Role.CITIZEN) for i in range(3)]
    a = services.post_comment(phase=world.phase, by=citizen, text="Drei Unterstützungen")
    b = services.post_comment(phase=world.phase, by=citizen, text="Keine Unterstützung")
    for user in crowd:
        services.support(contribution=a, by=user)
        services.reply(parent=a, by=user, text=f"Antwort von {user.username}")
    services.answer(contribution=a, by=admin, text="Amtlich")
    page = client_of(other_citizen).get(f"/plauen/beteiligung/phase/{world.phase.pk}/", {"sort": "supported"})
    items = page.context["page"].object_list
    assert [(c.pk, c.support_count, c.answered, c.supported) for c in items] == [
        (a.pk, 3, True, False), (b.pk, 0, False, False)
    ]  # fmt: skip
    api = client_of(crowd[0]).get(f"/api/v1/plauen/participation/phases/{world.phase.pk}/comments?sort=supported")
    assert [(c["id"], c["support_count"]) for c in api.json()["items"]] == [(a.pk, 3), (b.pk, 0)]


def test_the_workspace_index_keeps_its_query_count(client_of, world, plauen, admin):
    from stadtlotse.portfolio import services as portfolio_services

    client = client_of(admin)
    citizens = [make_user(f"q{i}", plauen, Role.CITIZEN) for i in range(3)]
    _fill(world, citizens, 2)
    small = _count(client, "/plauen/intern/beteiligung/")
    _fill(world, citizens, 20)
    for i in range(20):
        portfolio_services.create_project(municipality=plauen, by=None, title=f"Projekt <{i}> & Co")
    services.update_phase(phase=world.phase, by=admin, allow_anonymous=True)
    for i in range(5):
        services.post_comment(phase=world.phase, by=None, text=f"Gehalten {i}")
    assert _count(client, "/plauen/intern/beteiligung/") == small <= 11
    body = client.get("/plauen/intern/beteiligung/").content.decode()
    assert "Projekt: Projekt &lt;19&gt; &amp; Co</option>" in body and "Gehalten 4" in body


def test_the_phase_form_keeps_the_chosen_target_after_an_error(client_of, world, admin):
    response = client_of(admin).post(
        "/plauen/intern/beteiligung/", {"title": "", "target": f"p{world.internal_project.pk}"}
    )
    body = response.content.decode()
    assert f'<option value="p{world.internal_project.pk}" selected>Projekt: Internes Projekt</option>' in body
    assert 'name="target"' in body and 'id="id_target"' in body


def test_the_office_creates_phases_on_a_project_and_a_version(client_of, world, admin):
    client = client_of(admin)
    dates = {"starts_at": "2026-06-01T09:00", "ends_at": "2026-07-01T18:00"}
    for title, target in (
        ("Runde Projekt", f"p{world.internal_project.pk}"),
        ("Runde Fassung", f"v{world.version.pk}"),
    ):
        response = client.post("/plauen/intern/beteiligung/", {"title": title, "target": target, **dates})
        assert response.status_code == 302
    assert Phase.objects.get(title="Runde Projekt").project == world.internal_project
    assert Phase.objects.get(title="Runde Fassung").version == world.version


@pytest.mark.parametrize("sort", ["newest", "oldest", "supported", "answered", "unanswered"])
def test_pages_cut_by_id_follow_the_order_of_the_whole_list(client_of, world, plauen, admin, monkeypatch, sort):
    from stadtlotse.participation import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    crowd = [make_user(f"p{i}", plauen, Role.CITIZEN) for i in range(3)]
    made = [services.post_comment(phase=world.phase, by=crowd[0], text=f"Beitrag {i}") for i in range(8)]
    for i, c in enumerate(made):
        for user in crowd[1 : 1 + i % 3]:
            services.support(contribution=c, by=user)
        if i % 3 == 0:
            services.answer(contribution=c, by=admin, text="Antwort")
    client = client_of(crowd[1])
    url = f"/plauen/beteiligung/phase/{world.phase.pk}/"
    whole = [c.pk for c in selectors.comments_of_phase(crowd[1], world.phase, sort=sort)]
    paged = [c.pk for n in (1, 2, 3) for c in client.get(url, {"sort": sort, "page": n}).context["page"].object_list]
    assert paged == whole and len(whole) == 8
    api = f"/api/v1/plauen/participation/phases/{world.phase.pk}/comments?sort={sort}&limit=3&offset="
    assert [c["id"] for o in (0, 3, 6) for c in client.get(api + str(o)).json()["items"]] == whole
