"""The demo data of participation, built through its services.

Sindelfingen's draft "Digitale Agenda – Entwurf zur Beteiligung" (the strategy demo's version
in consultation, whose sections are the "Struktur zur Umsetzung der konzentrierten
Digitalstrategie") is open for comments, with the two comments and the office's answer from
the founding document (the names of the citizens are replaced by pseudonyms), supports, an
idea and a hidden comment. Plauen has a closed phase on a public project.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Department, Municipality, Role, User
from stadtlotse.portfolio.models import Project
from stadtlotse.strategy.models import Section, StrategyVersion, VersionStatus

from . import services
from .models import Category, Status

DEMO_PASSWORD = "demo"


def _citizen(municipality: Municipality, username: str, pseudonym: str) -> User:
    user = User.objects.create_user(username=username, password=DEMO_PASSWORD, display_name=pseudonym)
    core_services.grant_role(municipality=municipality, user=user, role=Role.CITIZEN, by=None)
    profile = services.ensure_profile(user, municipality)
    profile.accepted_rules_at = timezone.now()
    profile.save(update_fields=["accepted_rules_at"])
    return user


def _office(municipality: Municipality) -> User:
    return User.objects.get(username=f"{municipality.slug}-admin")


def load() -> None:
    _sindelfingen()
    _plauen()


def _sindelfingen() -> None:
    town = Municipality.objects.get(slug="sindelfingen")
    office = _office(town)
    now = timezone.now()
    version = StrategyVersion.objects.get(municipality=town, status=VersionStatus.CONSULTATION)
    sections = {s.heading: s for s in Section.objects.filter(version=version)}
    phase = services.create_phase(
        municipality=town, by=office, version=version,
        title="Struktur zur Umsetzung der konzentrierten Digitalstrategie – Entwurf",
        description="Machen Sie mit: Schreiben Sie uns Ihre Anmerkungen und Ideen zum Entwurf ins Kommentarfeld.",
        starts_at=now - timedelta(days=30), ends_at=now + timedelta(days=45), allow_anonymous=True,
    )  # fmt: skip
    anna = _citizen(town, "sindelfingen-anna", "Anna aus dem Goldberg")
    karl = _citizen(town, "sindelfingen-karl", "Karl S.")
    bea = User.objects.get(username="sindelfingen-buerger")
    praise = services.post_comment(
        phase=phase, by=karl, section=sections["Amt für Digitalisierung"],
        text="Ich finde, dass das Amt für Digitalisierung mehr gelobt werden sollte. Die leisten eine super "
        "Arbeit.\n\nDas wird in der Öffentlichkeit leider nicht deutlich hervorgehoben.",
    )  # fmt: skip
    transparency = services.post_comment(
        phase=phase, by=anna, section=sections.get("Transparenz"),
        text="Was die Transparenz anbelangt herrscht für mich „Schweigen im Walde“.\n\nKriterien offenlegen und "
        "Entscheidungsprozesse offen führen, welche Hard- und Software angeschafft und verwendet wird.",
    )  # fmt: skip
    services.answer(
        contribution=transparency, by=office,
        text="Hallo Anna aus dem Goldberg,\n\nvielen Dank für Ihren Vorschlag. Die Anregung wurde an das zuständige "
        "Fachamt weitergegeben. Derzeit wird geprüft, ob der Vorschlag in das Strategiedokument aufgenommen wird."
        "\n\nMit freundlichen Grüßen\nAmt für Digitalisierung",
    )  # fmt: skip
    department = Department.objects.get(municipality=town, code="12")
    services.change_status(contribution=transparency, by=office, status=Status.FORWARDED, department=department)
    services.change_status(contribution=transparency, by=office, status=Status.REVIEW,
                           reason="Prüfung, ob der Vorschlag in das Strategiedokument aufgenommen wird.")  # fmt: skip
    for supporter in (karl, bea):
        services.support(contribution=transparency, by=supporter)
    services.support(contribution=praise, by=anna)
    services.reply(parent=praise, by=bea, text="Dem schließe ich mich an – die Online-Termine klappen inzwischen gut.")
    services.post_comment(
        phase=phase, by=bea, section=sections["Digitallotsinnen und -lotsen"],
        text="Wann hat jedes Amt eine Digitallotsin oder einen Digitallotsen? Ein Zeitplan wäre hilfreich.",
    )  # fmt: skip
    services.post_comment(
        phase=phase, by=karl,
        text="Bitte die Beispielprojekte mit Kosten und Zeitplan veröffentlichen, damit man die Prioritäten "
        "nachvollziehen kann.",
    )  # fmt: skip
    spam = services.post_comment(phase=phase, by=karl, section=sections["Weiteres Vorgehen"],
                                 text="Günstige Uhren und Taschen! Jetzt bestellen unter beispiel.invalid")  # fmt: skip
    services.hide(contribution=spam, by=office, reason="Werbung – verstößt gegen Regel 4 der Netiquette.")
    services.post_comment(phase=phase, by=None, name="Gast",
                          text="Gibt es die Unterlagen auch in Leichter Sprache?")  # fmt: skip (held)
    idea = services.propose_idea(
        municipality=town, by=anna, title="Offene Daten zu Beschaffungen", category=Category.TRANSPARENCY,
        text="Ein Open-Data-Portal, in dem die Stadt ihre Beschaffungsentscheidungen zu Hard- und Software mit "
        "den Kriterien veröffentlicht.",
    )  # fmt: skip
    services.support(contribution=idea, by=karl)
    services.support(contribution=idea, by=bea)
    services.propose_idea(municipality=town, by=karl, title="Digitale Sprechstunde der Digitallotsen",
                          category=Category.SERVICES,
                          text="Einmal im Monat eine offene Sprechstunde in der Stadtbibliothek.")  # fmt: skip


def _plauen() -> None:
    town = Municipality.objects.get(slug="plauen")
    office = _office(town)
    now = timezone.now()
    project = Project.objects.filter(municipality=town, visibility="public").order_by("pk").first()
    if project is None:
        return
    phase = services.create_phase(
        municipality=town, by=office, project=project, title=f"Ihre Meinung: {project.title}",
        description="Was ist Ihnen bei diesem Projekt wichtig?",
        starts_at=now - timedelta(days=120), ends_at=now - timedelta(days=60),
    )  # fmt: skip
    citizen = User.objects.get(username="plauen-buerger")
    moment = now - timedelta(days=90)
    comment = services.post_comment(phase=phase, by=citizen, now=moment,
                                    text="Bitte auch an ältere Menschen ohne Smartphone denken.")  # fmt: skip
    services.answer(contribution=comment, by=office,
                    text="Danke! Die Bürgerbüros bleiben als Anlaufstelle erhalten; das Projekt ergänzt sie.")
    services.change_status(contribution=comment, by=office, status=Status.ADOPTED,
                           reason="Ein analoger Zugang bleibt Teil des Projekts.")  # fmt: skip
