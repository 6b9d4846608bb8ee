"""The rules of participation, through the services: phases, threading, support, statuses and
their history, answers and notifications, uptake, ideas → projects, moderation, data rights."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stadtlotse.core.models import Department, Membership, Notification, Role
from stadtlotse.participation import services
from stadtlotse.participation.models import (
    MAX_TEXT,
    Block,
    Contribution,
    Moderation,
    ModerationEntry,
    Profile,
    Status,
    StatusChange,
    Support,
)
from stadtlotse.portfolio.models import Project
from stadtlotse.strategy import services as strategy_services
from stadtlotse.strategy.models import Section

from ..conftest import make_user

PASSWORD = "Lange-Sichere-Phrase-42"


def comment(world, by, text="Ein Hinweis zum Entwurf.", **kw):
    return services.post_comment(phase=world.phase, by=by, text=text, **kw)


def test_citizen_comments_on_a_section_and_it_starts_as_received(world, citizen):
    c = comment(world, citizen, section=world.sections[1])
    assert c.moderation == Moderation.PUBLISHED and c.section == world.sections[1]
    assert list(StatusChange.objects.filter(contribution=c).values_list("status", flat=True)) == [Status.RECEIVED]
    assert c.author_name == "citizen"  # the profile made on first participation


def test_comments_before_and_after_the_phase_are_refused(world, citizen):
    with pytest.raises(ValidationError, match="noch nicht begonnen"):
        comment(world, citizen, now=world.phase.starts_at - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="ist beendet"):
        comment(world, citizen, now=world.phase.ends_at)
    with time_machine.travel(world.phase.ends_at + timedelta(days=1)):
        with pytest.raises(ValidationError, match="nur noch gelesen"):
            comment(world, citizen)
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("text,message", [("", "mindestens 3"), ("  \n ", "mindestens 3"),
                                          ("x" * (MAX_TEXT + 1), "höchstens 5000")])  # fmt: skip
def test_empty_or_oversized_text_is_refused(world, citizen, text, message):
    with pytest.raises(ValidationError, match=message):
        comment(world, citizen, text=text)


def test_a_section_of_another_document_is_refused(world, citizen, plauen):
    other = strategy_services.create_strategy(municipality=plauen, by=None, title="Andere")
    section = strategy_services.add_section(version=other.versions.get(), by=None, heading="Fremd", body="")
    with pytest.raises(ValidationError, match="gehört nicht"):
        comment(world, citizen, section=section)


def test_replies_have_one_level(world, citizen, other_citizen):
    c = comment(world, citizen, section=world.sections[0])
    r = services.reply(parent=c, by=other_citizen, text="Sehe ich genauso.")
    assert r.parent == c and r.section == c.section  # a reply belongs to the comment's section
    with pytest.raises(ValidationError, match="nicht auf eine Antwort"):
        services.reply(parent=r, by=citizen, text="Danke!")


def test_anonymous_and_roleless_people_cannot_comment(world, outsider):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        comment(world, AnonymousUser())
    with pytest.raises(PermissionDenied, match="registrieren"):
        comment(world, outsider)


def test_anonymous_comments_are_held_when_the_phase_admits_them(world, admin):
    services.update_phase(phase=world.phase, by=admin, allow_anonymous=True)
    c = comment(world, None, name="Gast")
    assert c.moderation == Moderation.HELD and c.author is None and c.author_name == "Gast"
    with pytest.raises(ValidationError, match="nicht veröffentlicht"):
        services.answer(contribution=c, by=admin, text="Antwort")
    services.approve(contribution=c, by=admin)
    assert Contribution.objects.get(pk=c.pk).moderation == Moderation.PUBLISHED


def test_support_counts_once_per_person(world, citizen, other_citizen):
    c = comment(world, citizen)
    services.support(contribution=c, by=other_citizen)
    with pytest.raises(ValidationError, match="bereits"):
        services.support(contribution=c, by=other_citizen)
    with pytest.raises(ValidationError, match="eigenen"):
        services.support(contribution=c, by=citizen)
    assert Support.objects.filter(contribution=c).count() == 1


def test_a_blocked_citizen_takes_no_part(world, citizen, admin, plauen):
    services.block_user(municipality=plauen, user=citizen, by=admin, reason="Wiederholte Beleidigungen")
    with pytest.raises(PermissionDenied, match="gesperrt"):
        comment(world, citizen)
    with pytest.raises(ValidationError, match="bereits"):
        services.block_user(municipality=plauen, user=citizen, by=admin, reason="noch einmal")


def test_only_the_office_answers_and_the_author_is_told_in_app_and_by_mail(
    world, citizen, other_citizen, admin, staff, django_capture_on_commit_callbacks
):
    citizen.email = "citizen@example.org"
    citizen.save()
    c = comment(world, citizen)
    with pytest.raises(PermissionDenied):
        services.answer(contribution=c, by=other_citizen, text="Ich antworte amtlich.")
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer(contribution=c, by=staff, text="Vielen Dank für Ihre Anregung.")
    assert answer.is_official and answer.parent == c
    note = Notification.objects.get(user=citizen)
    assert note.url == f"/plauen/beteiligung/beitrag/{c.pk}/" and "Vielen Dank" in note.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["citizen@example.org"]


def test_an_answer_on_a_hidden_comment_or_a_reply_is_refused(world, citizen, other_citizen, admin):
    c = comment(world, citizen)
    r = services.reply(parent=c, by=other_citizen, text="Antwort")
    with pytest.raises(ValidationError, match="nicht eine Antwort"):
        services.answer(contribution=r, by=admin, text="Danke")
    services.hide(contribution=c, by=admin, reason="Beleidigung")
    with pytest.raises(ValidationError, match="nicht veröffentlicht"):
        services.answer(contribution=c, by=admin, text="Danke")


def test_status_history_is_kept_and_rejected_needs_a_reason(world, citizen, admin, plauen):
    dept = Department.objects.create(municipality=plauen, code="12", name="Amt für Digitalisierung")
    c = comment(world, citizen)
    with pytest.raises(ValidationError, match="Fachamt"):
        services.change_status(contribution=c, by=admin, status=Status.FORWARDED)
    services.change_status(contribution=c, by=admin, status=Status.FORWARDED, department=dept)
    services.change_status(contribution=c, by=admin, status=Status.REVIEW)
    with pytest.raises(ValidationError, match="begründen"):
        services.change_status(contribution=c, by=admin, status=Status.REJECTED, reason="  ")
    services.change_status(contribution=c, by=admin, status=Status.REJECTED, reason="Rechtlich nicht möglich.")
    history = list(StatusChange.objects.filter(contribution=c).values_list("status", "department__code", "reason"))
    assert history == [("received", None, ""), ("forwarded", "12", ""), ("review", None, ""),
                       ("rejected", None, "Rechtlich nicht möglich.")]  # fmt: skip
    c.refresh_from_db()
    assert c.status == Status.REJECTED and c.department == dept
    assert Notification.objects.filter(user=citizen).count() == 3  # one per change


def test_notifications_are_not_sent_twice_for_the_same_answer(world, citizen, admin):
    c = comment(world, citizen)
    answer = services.answer(contribution=c, by=admin, text="Danke.")
    services._tell_author(c, key=f"participation-answer-{answer.pk}", subject="x", body="y")
    assert Notification.objects.filter(user=citizen).count() == 1


def test_uptake_links_a_suggestion_to_a_section_of_a_later_version(world, citizen, admin):
    c = comment(world, citizen, section=world.sections[0])
    with pytest.raises(ValidationError, match="späteren Version"):
        services.link_uptake(contribution=c, section=world.sections[0], by=admin)
    strategy_services.adopt_version(version=world.version, by=None, adopted_on=timezone.localdate(),
                                    adopted_by="Stadtrat")  # fmt: skip
    v2 = strategy_services.create_version(strategy=world.strategy, by=None)
    later = Section.objects.get(version=v2, uid=world.sections[0].uid)
    uptake = services.link_uptake(contribution=c, section=later, by=admin, note="Als Ziel aufgenommen")
    assert uptake.section.version == v2
    with pytest.raises(ValidationError, match="bereits"):
        services.link_uptake(contribution=c, section=later, by=admin)


def test_an_idea_becomes_a_project_and_both_link(plauen, citizen, admin, other_citizen):
    idea = services.propose_idea(municipality=plauen, by=citizen, title="Offenes WLAN",
                                 text="WLAN in allen Bibliotheken.", category="infrastructure")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.idea_to_project(idea=idea, by=other_citizen)
    project = services.idea_to_project(idea=idea, by=admin, visibility="public")
    idea.refresh_from_db()
    assert idea.project == project and idea.status == Status.ADOPTED
    assert Project.objects.get(pk=project.pk).title == "Offenes WLAN"
    assert Contribution.objects.get(project=project) == idea  # the link back
    with pytest.raises(ValidationError, match="bereits"):
        services.idea_to_project(idea=idea, by=admin)


def test_an_idea_needs_title_and_category(plauen, citizen):
    with pytest.raises(ValidationError, match="Titel"):
        services.propose_idea(municipality=plauen, by=citizen, title=" ", text="Etwas Text", category="other")
    with pytest.raises(ValidationError, match="Kategorie"):
        services.propose_idea(municipality=plauen, by=citizen, title="Titel", text="Etwas Text", category="x")


def test_hiding_keeps_the_text_and_logs_the_reason(world, citizen, admin, other_citizen):
    c = comment(world, citizen, text="Ein Text, der gegen die Regeln verstößt.")
    services.report(contribution=c, by=other_citizen, reason="Beleidigung")
    with pytest.raises(PermissionDenied):
        services.hide(contribution=c, by=other_citizen, reason="Ich will das nicht")
    with pytest.raises(ValidationError, match="Begründung"):
        services.hide(contribution=c, by=admin, reason="")
    services.hide(contribution=c, by=admin, reason="Beleidigung (Regel 2)")
    c.refresh_from_db()
    assert c.moderation == Moderation.HIDDEN and c.text == "Ein Text, der gegen die Regeln verstößt."
    assert ModerationEntry.objects.get(contribution=c).reason == "Beleidigung (Regel 2)"
    assert c.reports.get().resolved_at is not None


def test_registration_validates_and_grants_the_citizen_role(plauen):
    with pytest.raises(ValidationError) as exc:
        services.register_citizen(municipality=plauen, username="anna", email="kein-mail", password="123",
                                  pseudonym="A", accept_rules=False)  # fmt: skip
    assert set(exc.value.message_dict) == {"email", "password", "pseudonym", "accept_rules"}
    user = services.register_citizen(municipality=plauen, username="anna", email="anna@example.org",
                                     password=PASSWORD, pseudonym="Anna P.", accept_rules=True)  # fmt: skip
    assert Membership.objects.get(user=user).role == Role.CITIZEN
    assert Profile.objects.get(user=user).pseudonym == "Anna P."
    with pytest.raises(ValidationError) as exc:
        services.register_citizen(municipality=plauen, username="ANNA", email="b@example.org",
                                  password=PASSWORD, pseudonym="anna p.", accept_rules=True)  # fmt: skip
    assert set(exc.value.message_dict) == {"username", "pseudonym"}


def test_export_contains_ones_own_contributions_only(world, citizen, other_citizen, plauen):
    mine = comment(world, citizen, text="Mein Beitrag")
    comment(world, other_citizen, text="Fremder Beitrag")
    services.support(contribution=Contribution.objects.get(text="Fremder Beitrag"), by=citizen)
    data = services.export_data(user=citizen, municipality=plauen)
    assert [c["id"] for c in data["contributions"]] == [mine.pk]
    assert data["profile"]["pseudonym"] == "citizen" and len(data["supports"]) == 1


def test_forget_me_pseudonymises_contributions_and_their_history(world, citizen, other_citizen, admin, plauen):
    mine = comment(world, citizen, text="Mein Beitrag")
    hidden = comment(world, citizen, text="Verstoß gegen die Regeln")
    services.hide(contribution=hidden, by=admin, reason="Regel 2")
    theirs = comment(world, other_citizen, text="Anderer Beitrag")
    services.support(contribution=theirs, by=citizen)
    assert services.forget_me(user=citizen, municipality=plauen) == 2
    for c in Contribution.objects.filter(pk__in=[mine.pk, hidden.pk]):
        assert c.author is None and c.author_name == ""
    assert Contribution.objects.get(pk=hidden.pk).text == "Verstoß gegen die Regeln"  # kept for the audit
    assert not Contribution.history.filter(id=mine.pk, author_name="citizen").exists()
    assert not Contribution.history.filter(id=mine.pk, history_user_id=citizen.pk).exists()
    assert Support.objects.get(contribution=theirs).user is None  # the count stays
    assert not Profile.objects.filter(user=citizen).exists()
    assert not Membership.objects.filter(user=citizen, role=Role.CITIZEN).exists()
    assert Contribution.objects.get(pk=theirs.pk).author == other_citizen


def test_staff_cannot_be_blocked(plauen, admin, staff):
    with pytest.raises(ValidationError, match="Beschäftigte"):
        services.block_user(municipality=plauen, user=staff, by=admin, reason="x")
    assert not Block.objects.exists()


def test_phases_are_on_a_version_or_a_project_of_the_same_town(world, admin, celle, plauen):
    now = timezone.now()
    with pytest.raises(ValidationError, match="entweder"):
        services.create_phase(municipality=plauen, by=admin, title="x", starts_at=now, ends_at=now + timedelta(1))
    with pytest.raises(ValidationError, match="anderen Kommune"):
        services.create_phase(municipality=celle, by=None, title="x", version=world.version, starts_at=now,
                              ends_at=now + timedelta(1))  # fmt: skip
    with pytest.raises(ValidationError, match="nach ihrem Beginn enden"):
        services.create_phase(municipality=plauen, by=admin, title="x", version=world.version, starts_at=now,
                              ends_at=now)  # fmt: skip
    citizen = make_user("c2", plauen, Role.CITIZEN)
    with pytest.raises(PermissionDenied):
        services.create_phase(municipality=plauen, by=citizen, title="x", version=world.version, starts_at=now,
                              ends_at=now + timedelta(1))  # fmt: skip


def test_a_profile_created_meanwhile_by_a_concurrent_request_is_used(plauen, citizen, monkeypatch):
    """Two first comments of one person at once: the second insert meets the unique constraint
    and the service reads the profile the first one stored (found by bench/loadtest.py)."""
    from stadtlotse.participation import services as participation_services
    from stadtlotse.participation.models import Profile

    stored = Profile.objects.create(municipality=plauen, user=citizen, pseudonym="Zuerst")
    real = participation_services.profile_of
    calls = []

    def stale_then_real(user, municipality):
        calls.append(1)
        return None if len(calls) == 1 else real(user, municipality)  # the first look misses the other request's row

    monkeypatch.setattr(participation_services, "profile_of", stale_then_real)
    assert participation_services.ensure_profile(citizen, plauen) == stored
    assert Profile.objects.filter(user=citizen, municipality=plauen).count() == 1
    assert len(calls) == 2
