"""The cockpit's counts read in SQL give what the full objects give: the open mandates in the
order and number of ``council.selectors.open_mandates``, the unanswered contributions as counted
one by one, and the services' levels as the whole services yield them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from stadtlotse.council import selectors as council_selectors
from stadtlotse.council import services as council
from stadtlotse.council.models import Paper
from stadtlotse.onlineservices import figures
from stadtlotse.onlineservices import selectors as service_selectors
from stadtlotse.onlineservices import services as onlineservices
from stadtlotse.participation import services as participation
from stadtlotse.participation.models import Contribution, Moderation
from stadtlotse.reporting.sources import Period, available_sources, reader_at, reader_for


def _source(key):
    return next(s for s in available_sources() if s.key == key)


def _attention(key, reader, kind):
    return next(a for a in _source(key).attention(reader, timezone.localdate()) if a.kind == kind)


@pytest.mark.parametrize("who", ["admin", "pilot"])
def test_open_mandates_come_in_the_order_and_number_of_the_full_list(world, admin, pilot, who):
    today = timezone.localdate()
    paper = Paper.objects.get(municipality=world.municipality, reference="AN/1/26")
    secret = Paper.objects.get(municipality=world.municipality, reference="AN/2/26")
    for days in (-40, -1, 0, 1, 5, 9, 12, 30, 60, 90, -15, 200):  # more than the ten shown, both sides of today
        council.create_mandate(paper=paper if days % 2 else secret, by=None, title=f"Auftrag {days:+d}",
                               due_date=today + timedelta(days))  # fmt: skip
    done = council.create_mandate(paper=paper, by=None, title="Erledigter Auftrag", due_date=today - timedelta(9))
    council.fulfil_mandate(mandate=done, by=None, fulfilled_on=today, note="Erledigt im Ausschuss.")
    user = {"admin": admin, "pilot": pilot}[who]
    reader = reader_for(user, world.municipality)
    expected = council_selectors.open_mandates(user, world.municipality, today)
    found = _attention("council", reader, "mandates")
    assert found.count == len(expected) > (10 if who == "admin" else 5)
    assert [title for title, _, _ in found.items] == [m.title for m in expected[:10]]
    assert "Erledigter Auftrag" not in str(found.items)
    assert ("AN/2/26" in str(found.items)) == (who == "admin")  # the confidential paper's mandates


def _unanswered_one_by_one(municipality, visible_phases) -> set[int]:
    """Top-level published contributions without any official reply, phase readable, counted in Python."""
    answered = {c.parent_id for c in Contribution.objects.filter(municipality=municipality, is_official=True)}
    return {c.pk for c in Contribution.objects.filter(municipality=municipality)
            if c.parent_id is None and c.moderation == Moderation.PUBLISHED and c.pk not in answered
            and (c.phase_id is None or c.phase_id in visible_phases)}  # fmt: skip


def test_unanswered_and_answered_counts_match_one_by_one(world, admin, pilot, citizen):
    phase = world.comment.phase
    open_ones = [participation.post_comment(phase=phase, by=citizen, text=f"Noch offen {i}") for i in range(3)]
    participation.reply(parent=open_ones[0], by=citizen, text="Eine Antwort, aber keine amtliche.")
    hidden_answer = participation.answer(contribution=open_ones[1], by=admin, text="Amtlich, dann verborgen.")
    participation.hide(contribution=hidden_answer, by=admin, reason="Test")
    hidden = participation.post_comment(phase=phase, by=citizen, text="Wird verborgen.")
    participation.hide(contribution=hidden, by=admin, reason="Test")
    from stadtlotse.participation import selectors as participation_selectors

    for user in (admin, pilot):
        reader = reader_for(user, world.municipality)
        phases = set(participation_selectors.phases_visible_to(user, world.municipality).values_list("pk", flat=True))
        expected = _unanswered_one_by_one(world.municipality, phases)
        found = _attention("participation", reader, "unanswered")
        assert found.count == len(expected) >= 3
    # the period's figures: answered means a published official reply
    reader = reader_at(world.municipality, "confidential")
    today = timezone.localdate()
    section = _source("participation").figures(reader, Period(today - timedelta(30), today))
    published_answers = {c.parent_id for c in Contribution.objects.filter(
        municipality=world.municipality, is_official=True, moderation=Moderation.PUBLISHED)}  # fmt: skip
    top = [c for c in Contribution.objects.filter(municipality=world.municipality, parent__isnull=True,
                                                  moderation=Moderation.PUBLISHED)]  # fmt: skip
    assert section["contributions"] == len(top)
    # the hidden answer does not count
    assert section["answered"] == sum(1 for c in top if c.pk in published_answers) == 1


def test_service_levels_equal_those_of_the_whole_services(world, admin):
    today = timezone.localdate()
    for i, (level, visibility) in enumerate([(0, "public"), (2, "public"), (3, "internal"), (4, "public"),
                                             (3, "confidential"), (1, "public")]):  # fmt: skip
        service = onlineservices.create_service(municipality=world.municipality, by=None, name=f"Dienst {i}",
                                                visibility=visibility)  # fmt: skip
        onlineservices.assess_service(service=service, by=None, model=figures.MODEL_1_1, assessed_on=today, level=level)
    for edition in ("public", "internal", "confidential"):
        reader = reader_at(world.municipality, edition)
        services = list(service_selectors.services_visible_to(reader.user, world.municipality))
        whole = figures.distribution(service_selectors.facts(services), figures.MODEL_1_1)
        section = _source("onlineservices").figures(reader, Period(today - timedelta(30), today))
        assert section["total"] == whole.total == {"public": 4, "internal": 5, "confidential": 6}[edition]
        assert [(r["level"], r["count"]) for r in section["levels"]] == [(lvl, n) for lvl, n, _ in whole.rows]
        assert section["compliant"] == whole.compliant
