"""The weighing table: figures (hand-computed), suggested groups (TF-IDF), groups answered once,
and the exports for the council — with fixed query counts and only for the office."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadtlotse.core.models import Notification, Role
from stadtlotse.participation import services
from stadtlotse.participation.evaluation import Item, phase_figures
from stadtlotse.participation.models import Contribution, Group, Status
from stadtlotse.participation.similarity import Text, cosine, suggest_groups, tokens, vectors

from ..conftest import make_user

T0 = datetime(2026, 3, 1, 9, 0)


def test_figures_are_computed_as_by_hand():
    items = [
        Item(T0, "u1", "received", T0 + timedelta(hours=2)),
        Item(T0, "u1", "review", T0 + timedelta(hours=10)),
        Item(T0 + timedelta(hours=1), None, "received"),
    ]
    f = phase_figures(items)
    assert (f.comments, f.participants, f.answered) == (3, 2, 2)  # u1 once, the anonymous comment as one
    assert f.answered_percent == Decimal("66.7")  # 2 of 3
    assert f.median_answer_hours == Decimal("6.0")  # median of 2 h and 10 h
    assert f.by_status == {"received": 2, "review": 1}


def test_figures_of_an_empty_phase():
    f = phase_figures([])
    assert (f.comments, f.participants, f.answered_percent, f.median_answer_hours) == (0, 0, None, None)


def test_tokens_drop_stop_words_and_stem():
    assert tokens("Die Kriterien der Beschaffungen offenlegen!") == ["kriteri", "beschaff", "offenleg"]
    assert tokens("Beschaffung") == ["beschaff"]  # singular and plural share the stem


def test_similar_comments_are_suggested_as_a_group():
    texts = [
        Text(1, "Kriterien für die Beschaffung von Software offenlegen"),
        Text(2, "Bitte die Kriterien der Software-Beschaffung offenlegen"),
        Text(3, "Mehr Radwege in der Innenstadt"),
        Text(4, "Das Amt für Digitalisierung leistet gute Arbeit"),
    ]
    vs = vectors(texts)
    assert cosine(vs[1], vs[1]) == pytest.approx(1.0)
    assert cosine(vs[1], vs[3]) == 0
    assert suggest_groups(texts) == [[1, 2]]


@pytest.fixture
def crowd(plauen):
    return [make_user(f"w{i}", plauen, Role.CITIZEN) for i in range(3)]


def test_a_group_is_answered_once_for_all_its_members(world, crowd, admin, reader):
    a, b, c = (services.post_comment(phase=world.phase, by=u, text=f"Kriterien offenlegen {i}")
               for i, u in enumerate(crowd))  # fmt: skip
    services.answer(contribution=c, by=admin, text="Schon beantwortet")
    with pytest.raises(PermissionDenied):  # a reader is no office
        services.create_group(phase=world.phase, by=reader, title="Transparenz", members=[a])
    group = services.create_group(phase=world.phase, by=admin, title="Transparenz", members=[a, b, c])
    assert services.answer_group(group=group, by=admin, text="Wir prüfen das.", status=Status.REVIEW) == 2
    for member in (a, b):
        member.refresh_from_db()
        assert member.status == Status.REVIEW and member.replies.get(is_official=True).text == "Wir prüfen das."
    assert Notification.objects.filter(user__in=crowd[:2]).count() == 4  # answer and status, each
    assert not Contribution.objects.filter(parent=c, text="Wir prüfen das.").exists()


def test_groups_stay_within_their_phase(world, crowd, admin):
    c = services.post_comment(phase=world.internal_phase, by=admin, text="Intern")
    group = Group.objects.create(municipality=world.phase.municipality, phase=world.phase, title="G")
    with pytest.raises(ValidationError, match="anderen Beteiligung"):
        services.set_group(contribution=c, group=group, by=admin)


def _fill(world, crowd, admin, n):
    group = Group.objects.create(municipality=world.phase.municipality, phase=world.phase, title=f"G{n}")
    for i in range(n):
        c = services.post_comment(phase=world.phase, by=crowd[i % 3], text=f"Kriterien Beschaffung {i} offenlegen",
                                  section=world.sections[i % 3])  # fmt: skip
        services.answer(contribution=c, by=admin, text=f"Antwort {i}")
        services.change_status(contribution=c, by=admin, status=Status.REVIEW, reason=f"Grund {i}")
        services.set_group(contribution=c, group=group, by=admin)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_the_weighing_page_keeps_its_query_count(client_of, world, crowd, admin):
    client = client_of(admin)
    url = f"/plauen/intern/beteiligung/phase/{world.phase.pk}/abwaegung/"
    _fill(world, crowd, admin, 2)
    small, _ = _count(client, url)
    _fill(world, crowd, admin, 25)
    large, response = _count(client, url)
    assert small == large <= 16
    body = response.content.decode()
    assert "Abwägungstabelle" in body and "Antwort 24" in body and "Grund 24" in body


@pytest.mark.parametrize("fmt,type_,marker", [
    ("xlsx", "spreadsheetml", b"PK"), ("docx", "wordprocessingml", b"PK"), ("pdf", "pdf", b"%PDF"),
    ("csv", "text/csv", b"Kriterien"),
])  # fmt: skip
def test_the_weighing_table_exports(client_of, world, crowd, admin, fmt, type_, marker):
    _fill(world, crowd, admin, 3)
    response = client_of(admin).get(f"/plauen/intern/beteiligung/phase/{world.phase.pk}/abwaegung/?format={fmt}")
    assert response.status_code == 200 and type_ in response["Content-Type"]
    assert marker in response.content
    if fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["D2"].value == "Vorschlag" and sheet["D3"].value.startswith("Kriterien Beschaffung 0")
        assert sheet["F3"].value == "Antwort 0" and sheet["G3"].value == "in Prüfung" and sheet["C3"].value == "G3"


@pytest.mark.parametrize("persona,status", [("reader", 403), ("citizen", 403), ("celle_admin", 403)])
def test_the_weighing_table_is_for_the_office(request, client_of, world, persona, status):
    client = client_of(request.getfixturevalue(persona))
    assert client.get(f"/plauen/intern/beteiligung/phase/{world.phase.pk}/abwaegung/").status_code == status


def test_grouping_and_answering_through_the_page(client_of, world, crowd, admin):
    a = services.post_comment(phase=world.phase, by=crowd[0], text="Kriterien offenlegen")
    b = services.post_comment(phase=world.phase, by=crowd[1], text="Kriterien bitte offenlegen")
    client = client_of(admin)
    url = f"/plauen/intern/beteiligung/phase/{world.phase.pk}/abwaegung/"
    assert "Kriterien bitte offenlegen" in client.get(url).content.decode()
    client.post(url, {"group": "1", "group-title": "Transparenz", "member": [a.pk, b.pk]})
    group = Group.objects.get(title="Transparenz")
    client.post(url, {"template": "1", "template-title": "Weitergeleitet",
                      "template-text": "Ihre Anregung wurde an das zuständige Fachamt weitergegeben."})  # fmt: skip
    template = group.phase.municipality and services.AnswerTemplate.objects.get(title="Weitergeleitet")
    response = client.post(url, {"answer": "1", "group_id": group.pk, "answer-template": template.pk,
                                 "answer-text": "", "answer-status": "", "answer-reason": ""})  # fmt: skip
    assert response.status_code == 302
    assert Contribution.objects.filter(is_official=True, text__startswith="Ihre Anregung").count() == 2


def test_the_office_gets_one_digest_per_phase_and_day(world, crowd, admin, staff, reader, celle_admin):
    from django.core.management import call_command

    for i in range(3):
        services.post_comment(phase=world.phase, by=crowd[i], text=f"Neu {i}")
    assert services.send_digests() == 2  # admin and editor, not the reader, not Celle
    note = Notification.objects.get(user=staff)
    assert note.subject == "3 neue Kommentare in „Entwurf Digitalagenda“"
    assert note.url == f"/plauen/intern/beteiligung/phase/{world.phase.pk}/abwaegung/"
    call_command("participation_digest", stdout=io.StringIO())  # the same day: nothing new is stored
    assert Notification.objects.filter(subject__contains="neue Kommentare").count() == 2


def test_the_database_figures_equal_the_computed_ones(world, crowd, admin):
    """``selectors.phase_figures`` counts in SQL what ``evaluation.phase_figures`` counts from
    every row: participants with accounts, with a name only and without a name, answered share
    and median (even and odd number of answers)."""
    from stadtlotse.participation import selectors

    services.update_phase(phase=world.phase, by=admin, allow_anonymous=True)
    comments = [services.post_comment(phase=world.phase, by=crowd[i % 3], text=f"Beitrag {i}") for i in range(5)]
    for name in ("Anna", "Anna", "", ""):
        c = services.post_comment(phase=world.phase, by=None, text="Ohne Konto", name=name)
        services.approve(contribution=c, by=admin)
        comments.append(c)
    for hours, c in zip((1, 5, 2, 30), comments[::2], strict=False):
        answer = services.answer(contribution=c, by=admin, text="Antwort")
        Contribution.objects.filter(pk=answer.pk).update(created=c.created + timedelta(hours=hours))
    services.change_status(contribution=comments[1], by=admin, status=Status.REVIEW)
    expected = phase_figures(selectors.evaluation_items(world.phase))
    assert selectors.phase_figures(world.phase) == expected
    assert (expected.comments, expected.participants, expected.answered) == (9, 3 + 1 + 2, 4)
    assert expected.median_answer_hours == Decimal("3.5")
    services.answer(contribution=comments[1], by=admin, text="Noch eine")
    expected = phase_figures(selectors.evaluation_items(world.phase))
    assert selectors.phase_figures(world.phase) == expected and expected.answered == 5


def test_the_weighing_table_is_paged_in_document_order(client_of, world, crowd, admin, monkeypatch):
    from stadtlotse.participation import selectors

    monkeypatch.setattr(selectors, "WEIGHING_PAGE_SIZE", 4)
    made = [services.post_comment(phase=world.phase, by=crowd[i % 3], text=f"Kriterien offenlegen {i}",
                                  section=world.sections[(2 - i) % 3]) for i in range(9)]  # fmt: skip
    order = [c.pk for c in sorted(made, key=lambda c: (world.sections.index(c.section), c.created, c.pk))]
    client = client_of(admin)
    url = f"/plauen/intern/beteiligung/phase/{world.phase.pk}/abwaegung/"
    pages = [client.get(url, {"page": n}).context for n in (1, 2, 3)]
    assert [[(r.number, r.pk) for r in p["rows"]] for p in pages] == [
        list(zip(range(1, 5), order[:4], strict=True)), list(zip(range(5, 9), order[4:8], strict=True)),
        [(9, order[8])],
    ]  # fmt: skip
    assert all(row.pk in {r.pk for r in p["rows"]} for p in pages for group in p["suggested"] for row in group)
    assert "Vorschläge 5 bis 8 von 9" in client.get(url, {"page": 2}).content.decode()
    csv = client.get(url, {"format": "csv"}).content.decode()
    assert all(f"Kriterien offenlegen {i}" in csv for i in range(9))
