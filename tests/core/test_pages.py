"""Every HTML page of the core app, over HTTP: who may see it, that it speaks German, and that
its number of queries does not grow with the data; then the forms behind the pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import resolve

from stadtlotse.core import audit, services
from stadtlotse.core.models import Announcement, Department, Membership, Role, Visibility

from ..conftest import make_user

SIZES = (3, 40)


@dataclass
class World:
    """Extra data of one size in Plauen, all of it written through the services."""

    size: int
    departments: list[Department]
    announcements: list[Announcement]
    public: Announcement  # a public announcement with a department
    tracked: Announcement  # confidential, changed ``size`` times (title and department)
    department: Department  # renamed ``size`` times
    membership: Membership  # an editor limited to two departments


@pytest.fixture
def world(request, plauen, celle, admin) -> World:
    """``size`` departments (a tree), announcements of every visibility, people with roles,
    API tokens of the admin and a history of ``size`` changes. Parametrize it indirectly."""
    size = getattr(request, "param", SIZES[0])
    departments: list[Department] = []
    for i in range(size):
        parent = departments[i // 2] if i else None
        departments.append(
            services.create_department(
                municipality=plauen, by=admin, code=f"{i + 10}", name=f"Fachbereich {i}", parent=parent
            )
        )
    visibilities = list(Visibility.values)
    announcements = []
    for i in range(size):
        announcements.append(
            services.create_announcement(
                municipality=plauen,
                by=admin,
                title=f"Mitteilung Nummer {i}",
                body=f"Inhalt {i}",
                visibility=visibilities[i % 3],
                department=departments[i % size],
                published_on=date(2024, 1, 1) + timedelta(days=i),
            )  # fmt: skip
        )
    roles = [role for role in Role.values if role != Role.ADMIN]
    for i in range(size):
        role = roles[i % len(roles)]
        limited = [departments[i % size]] if role in (Role.EDITOR, Role.PILOT) else None
        services.grant_role(municipality=plauen, user=make_user(f"person{i}"), role=role, by=admin, departments=limited)
    membership = services.grant_role(
        municipality=plauen, user=make_user("begrenzt"), role=Role.EDITOR, by=admin, departments=departments[:2]
    )
    public = services.create_announcement(
        municipality=plauen, by=admin, title="Öffentliche Nachricht", body="Für alle",
        visibility=Visibility.PUBLIC, department=departments[0], published_on=date(2025, 6, 1),
    )  # fmt: skip
    tracked = services.create_announcement(
        municipality=plauen, by=admin, title="Vertrauliche Vorlage", body="Nur für den Rat",
        visibility=Visibility.CONFIDENTIAL, department=departments[0], published_on=date(2025, 6, 2),
    )  # fmt: skip
    department = departments[-1]
    for i in range(size):
        services.update_announcement(
            announcement=tracked, by=admin, title=f"Vertrauliche Vorlage, Fassung {i}", department=departments[i % size]
        )
        services.update_department(department=department, by=admin, name=f"Fachbereich Stand {i}")
        services.create_api_token(user=admin, name=f"Skript {i}")
    return World(size, departments, announcements, public, tracked, department, membership)


@dataclass(frozen=True)
class Page:
    persona: str | None  # fixture name, None for an anonymous visitor
    url: str  # formatted with the ids of the world
    texts: tuple[str, ...]  # German texts that must appear
    max_queries: int  # the same at every size
    latest: str = ""  # text of the newest data, formatted with last=size-1: the page shows all of it
    per_audited_model: bool = False  # the audit log reads each audited model once; other apps add models


PAGES: dict[str, Page] = {
    "home": Page(None, "/", ("Digitalstrategie, offen gesteuert", "Plauen", "Celle"), 1),
    "home-signed-in": Page("citizen", "/", ("Die Kommunen dieser Installation", "Abmelden"), 3),
    "login": Page(None, "/konto/anmelden/", ("Anmelden", "Benutzername", "Passwort"), 1),
    "account": Page("admin", "/konto/", ("Ihr Konto", "Ihre Rollen", "Token erstellen", "Benachrichtigungen"), 5,
                    "Skript {last}"),
    "accessibility": Page(None, "/barrierefreiheit/", ("Erklärung zur Barrierefreiheit", "Rückmeldung"), 1),
    "municipality-accessibility": Page(None, "/plauen/barrierefreiheit/",
                                       ("Erklärung zur Barrierefreiheit", "Plauen", "Sachsen"), 1),
    "portal": Page(None, "/plauen/", ("Neuigkeiten", "Themen", "Öffentliche Nachricht"), 2),
    "portal-signed-in": Page("reader", "/plauen/", ("Neuigkeiten", "Arbeitsbereich"), 5),
    "announcement-public": Page(None, "/plauen/mitteilungen/{public}/", ("Öffentliche Nachricht", "öffentlich"), 2),
    "announcement-confidential": Page("council", "/plauen/mitteilungen/{tracked}/", ("vertraulich",), 5,
                                      "Vertrauliche Vorlage, Fassung {last}"),
    "workspace": Page("reader", "/plauen/intern/", ("Arbeitsbereich", "Ihre Rollen hier:", "Interne Leserechte"), 5),
    "announcement-list-reader": Page("pilot", "/plauen/intern/mitteilungen/", ("Mitteilungen", "Verlauf"), 5),
    "announcement-list-editor": Page("staff", "/plauen/intern/mitteilungen/", ("Mitteilungen", "Neue Mitteilung"), 7,
                                     "Mitteilung Nummer {last}"),
    "announcement-edit": Page("staff", "/plauen/intern/mitteilungen/{tracked}/bearbeiten/",
                              ("Mitteilung bearbeiten", "Änderungsverlauf anzeigen", "Löschen"), 7),
    "department-list-reader": Page("reader", "/plauen/intern/abteilungen/", ("Ämter", "Fachbereich 0"), 5,
                                   "Fachbereich Stand {last}"),
    "department-list-admin": Page("admin", "/plauen/intern/abteilungen/", ("Ämter", "Neues Amt", "Kennung"), 6,
                                  "Fachbereich Stand {last}"),
    "department-edit": Page("admin", "/plauen/intern/abteilungen/{department}/bearbeiten/",
                            ("Amt bearbeiten", "Übergeordnete Einheit"), 6),
    "roles": Page("admin", "/plauen/intern/rollen/", ("Rollen", "Rolle vergeben", "Beschränkt auf Ämter"), 7,
                  "person{last}"),
    "settings": Page("admin", "/plauen/intern/einstellungen/",
                     ("Einstellungen", "Amtlicher Gemeindeschlüssel (AGS)"), 4),
    "audit-log": Page("admin", "/plauen/intern/protokoll/", ("Änderungsprotokoll", "geändert", "angelegt"), 11,
                      "Fachbereich Stand {last}", per_audited_model=True),
    "history-announcement": Page("finance", "/plauen/intern/verlauf/announcement/{tracked}/",
                                 ("Änderungsverlauf", "Vorher", "Nachher", "Titel"), 9, "Fassung {last}"),
    "history-department": Page("reader", "/plauen/intern/verlauf/department/{department}/",
                               ("Änderungsverlauf", "geändert"), 5, "Fachbereich Stand {last}"),
    "history-membership": Page("admin", "/plauen/intern/verlauf/membership/{membership}/",
                               ("Änderungsverlauf", "angelegt", "Redaktion (Fachamt, Projektleitung)"), 9),
    "history-municipality": Page("committee", "/plauen/intern/verlauf/municipality/{municipality}/",
                                 ("Änderungsverlauf", "Plauen", "angelegt"), 5),
    "notification-list": Page("citizen", "/konto/benachrichtigungen/", ("Benachrichtigungen",), 5),
}  # fmt: skip

def page_params():
    for key in PAGES:
        for size in SIZES:
            yield pytest.param(key, size, id=f"{key}-{size}")


def url_of(page: Page, world: World) -> str:
    return page.url.format(
        public=world.public.pk, tracked=world.tracked.pk, department=world.department.pk,
        membership=world.membership.pk, municipality=world.tracked.municipality_id,
    )  # fmt: skip


@pytest.mark.parametrize(("key", "world"), list(page_params()), indirect=["world"])
def test_persona_sees_page_in_german_with_queries_bounded_whatever_the_data(
    key, world, request, client_of, django_assert_max_num_queries
):
    page = PAGES[key]
    client = client_of(request.getfixturevalue(page.persona) if page.persona else None)
    url = url_of(page, world)
    bound = page.max_queries + (len(audit.registered()) if page.per_audited_model else 0)
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    assert '<html lang="de"' in body
    for text in page.texts:
        assert text in body, f"{text!r} missing on {url}"
    if page.latest:
        assert page.latest.format(last=world.size - 1) in body


def test_every_core_page_is_in_the_page_table():
    """A new page in core/urls.py must be added to PAGES; the rest answer POST only."""
    from stadtlotse.core.urls import urlpatterns

    post_only = {"token-revoke", "announcement-delete", "department-delete", "membership-delete",
                 "notification-read-all"}
    redirects = {"notification-open"}  # tested in test_notifications.py
    ids = {"public": 1, "tracked": 1, "department": 1, "membership": 1, "municipality": 1}
    covered = {resolve(page.url.format(**ids)).url_name for page in PAGES.values()}
    assert covered == {pattern.name for pattern in urlpatterns} - post_only - redirects


# --- who may not see the workspace pages ------------------------------------------------

WORKSPACE_URLS = ["/plauen/intern/", "/plauen/intern/mitteilungen/", "/plauen/intern/abteilungen/",
                  "/plauen/intern/finanzen/"]  # fmt: skip
ADMIN_URLS = ["/plauen/intern/rollen/", "/plauen/intern/einstellungen/", "/plauen/intern/protokoll/"]


@pytest.mark.parametrize("url", WORKSPACE_URLS + ADMIN_URLS)
def test_anonymous_visitor_is_sent_to_the_login_from_workspace_pages(url, plauen, anonymous):
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/?next=")


@pytest.mark.parametrize("persona", ["citizen", "outsider", "celle_admin"])
@pytest.mark.parametrize("url", WORKSPACE_URLS)
def test_people_outside_the_administration_get_403_in_german_on_workspace_pages(
    persona, url, plauen, request, client_of, django_assert_max_num_queries
):
    client = client_of(request.getfixturevalue(persona))
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Kein Zugang" in body
    assert "Dieser Bereich ist der Verwaltung und dem Rat vorbehalten." in body


@pytest.mark.parametrize("persona", ["staff", "finance", "council", "reader"])
@pytest.mark.parametrize("url", ADMIN_URLS)
def test_internal_roles_other_than_admin_get_403_on_administration_pages(persona, url, request, client_of):
    response = client_of(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 403
    assert "Ihre Rolle erlaubt das nicht." in response.content.decode()


def test_public_part_of_the_portal_hides_internal_only_parts(plauen, anonymous):
    assert anonymous.get("/plauen/finanzen/").status_code == 404
    response = anonymous.get("/plauen/gibtsnicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


# --- forms: departments -------------------------------------------------------------------


def test_admin_creates_department_through_the_form(plauen, admin, client_of):
    top = services.create_department(municipality=plauen, by=None, code="10", name="Hauptverwaltung")
    client = client_of(admin)
    data = {"code": "10.2", "name": "IT-Service", "parent": top.pk, "description": "Netze und Geräte"}
    response = client.post("/plauen/intern/abteilungen/", data)
    assert response.status_code == 302
    assert response["Location"] == "/plauen/intern/abteilungen/"
    created = Department.objects.get(municipality=plauen, code="10.2")
    assert (created.name, created.parent, created.description) == ("IT-Service", top, "Netze und Geräte")
    assert created.history.get().history_user == admin
    page = client.get(response["Location"]).content.decode()
    assert "Das Amt wurde gespeichert." in page
    assert "IT-Service" in page


def test_admin_cannot_save_department_without_name(plauen, admin, client_of):
    response = client_of(admin).post("/plauen/intern/abteilungen/", {"code": "20", "name": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in body
    assert 'aria-invalid="true"' in body
    assert not Department.objects.exists()


def test_admin_cannot_place_department_below_its_own_sub_unit(plauen, admin, client_of):
    top = services.create_department(municipality=plauen, by=None, code="10", name="Hauptverwaltung")
    child = services.create_department(municipality=plauen, by=None, code="10.1", name="Personal", parent=top)
    grandchild = services.create_department(municipality=plauen, by=None, code="10.1.1", name="Lohn", parent=child)
    data = {"code": "10", "name": "Hauptverwaltung", "parent": grandchild.pk}
    response = client_of(admin).post(f"/plauen/intern/abteilungen/{top.pk}/bearbeiten/", data)
    assert response.status_code == 200
    assert "Eine Einheit kann nicht unter sich selbst stehen." in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None
    assert top.history.count() == 1


def test_admin_cannot_choose_a_department_as_its_own_parent(plauen, admin, client_of):
    unit = services.create_department(municipality=plauen, by=None, code="10", name="Hauptverwaltung")
    data = {"code": "10", "name": "Hauptverwaltung", "parent": unit.pk}
    response = client_of(admin).post(f"/plauen/intern/abteilungen/{unit.pk}/bearbeiten/", data)
    assert response.status_code == 200
    assert 'id="id_parent_error"' in response.content.decode()
    unit.refresh_from_db()
    assert unit.parent is None


def test_admin_cannot_create_department_with_a_code_already_used_in_the_town(plauen, celle, admin, client_of):
    services.create_department(municipality=plauen, by=None, code="10", name="Hauptverwaltung")
    services.create_department(municipality=celle, by=None, code="20", name="Kämmerei")
    client = client_of(admin)
    response = client.post("/plauen/intern/abteilungen/", {"code": "10", "name": "Zweites Amt"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bitte korrigieren Sie Folgendes:" in body
    assert not Department.objects.filter(name="Zweites Amt").exists()
    # The same code in another town is no conflict.
    assert client.post("/plauen/intern/abteilungen/", {"code": "20", "name": "Zweites Amt"}).status_code == 302


def test_duplicate_department_code_error_names_the_code_not_the_database_constraint(plauen, admin, client_of):
    services.create_department(municipality=plauen, by=None, code="10", name="Hauptverwaltung")
    response = client_of(admin).post("/plauen/intern/abteilungen/", {"code": "10", "name": "Zweites Amt"})
    body = response.content.decode()
    assert "department_unique_code_per_municipality" not in body
    assert "Kennung" in body.split("Bitte korrigieren Sie Folgendes:")[1].split("</ul>")[0]


def test_admin_cannot_create_department_with_a_name_already_used_in_the_town(plauen, admin, client_of):
    services.create_department(municipality=plauen, by=None, code="10", name="Hauptverwaltung")
    response = client_of(admin).post("/plauen/intern/abteilungen/", {"code": "11", "name": "Hauptverwaltung"})
    assert response.status_code == 200
    assert "Ein Amt mit diesem Namen gibt es bereits." in response.content.decode()
    assert Department.objects.count() == 1


def test_admin_cannot_delete_department_that_has_sub_units(plauen, admin, client_of):
    top = services.create_department(municipality=plauen, by=None, code="10", name="Hauptverwaltung")
    services.create_department(municipality=plauen, by=None, code="10.1", name="Personal", parent=top)
    response = client_of(admin).post(f"/plauen/intern/abteilungen/{top.pk}/loeschen/", follow=True)
    assert response.status_code == 200
    assert "Diese Einheit hat noch Untereinheiten" in response.content.decode()
    assert Department.objects.filter(pk=top.pk).exists()


def test_editor_cannot_create_departments(plauen, staff, client_of):
    response = client_of(staff).post("/plauen/intern/abteilungen/", {"code": "30", "name": "Neues Amt"})
    assert response.status_code == 403
    assert not Department.objects.exists()


# --- forms: announcements -----------------------------------------------------------------


def test_admin_creates_announcement_through_the_form(plauen, admin, client_of):
    unit = services.create_department(municipality=plauen, by=None, code="10", name="Hauptverwaltung")
    client = client_of(admin)
    data = {"title": "Glasfaser kommt", "body": "Ab Mai im Ortsteil Haselbrunn.", "visibility": "public",
            "department": unit.pk, "published_on": "2025-05-02"}  # fmt: skip
    response = client.post("/plauen/intern/mitteilungen/", data)
    assert response.status_code == 302
    created = Announcement.objects.get(municipality=plauen)
    assert (created.title, created.visibility, created.department, created.published_on) == (
        "Glasfaser kommt", "public", unit, date(2025, 5, 2),
    )  # fmt: skip
    assert created.history.get().history_user == admin
    assert "Die Mitteilung wurde gespeichert." in client.get(response["Location"]).content.decode()
    assert "Glasfaser kommt" in client.get("/plauen/").content.decode()


def test_admin_cannot_save_announcement_without_title_or_with_a_bad_date(plauen, admin, client_of):
    data = {"title": "", "body": "Text", "visibility": "internal", "published_on": "31.02.2025"}
    response = client_of(admin).post("/plauen/intern/mitteilungen/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in body
    assert "Bitte ein gültiges Datum eingeben." in body
    assert not Announcement.objects.exists()


def test_admin_cannot_pick_a_department_of_another_town_for_an_announcement(plauen, celle, admin, client_of):
    foreign = services.create_department(municipality=celle, by=None, code="10", name="Celler Amt")
    data = {"title": "T", "body": "B", "visibility": "internal", "department": foreign.pk, "published_on": "2025-01-01"}
    response = client_of(admin).post("/plauen/intern/mitteilungen/", data)
    assert response.status_code == 200
    assert 'id="id_department_error"' in response.content.decode()
    assert not Announcement.objects.exists()


def test_reader_cannot_post_announcements(plauen, reader, client_of):
    data = {"title": "T", "body": "B", "visibility": "internal", "published_on": "2025-01-01"}
    response = client_of(reader).post("/plauen/intern/mitteilungen/", data)
    assert response.status_code == 403
    assert not Announcement.objects.exists()


@pytest.fixture
def limited_editor(plauen):
    """An editor of Plauen limited to the department "Schulverwaltung"; a second department exists."""
    own = services.create_department(municipality=plauen, by=None, code="40", name="Schulverwaltung")
    other = services.create_department(municipality=plauen, by=None, code="20", name="Kämmerei")
    user = make_user("schulredaktion")
    services.grant_role(municipality=plauen, user=user, role=Role.EDITOR, by=None, departments=[own])
    return user, own, other


def announcement_in(plauen, department, title):
    return services.create_announcement(
        municipality=plauen, by=None, title=title, body="Text", visibility=Visibility.INTERNAL,
        department=department, published_on=date(2025, 3, 1),
    )  # fmt: skip


def form_data(announcement, **changes):
    data = {
        "title": announcement.title,
        "body": announcement.body,
        "visibility": announcement.visibility,
        "department": announcement.department_id or "",
        "published_on": announcement.published_on.isoformat(),
    }
    data.update(changes)
    return data


def test_editor_limited_to_a_department_edits_announcements_of_that_department(plauen, limited_editor, client_of):
    user, own, _other = limited_editor
    mine = announcement_in(plauen, own, "Tablets für die Grundschulen")
    client = client_of(user)
    assert client.get(f"/plauen/intern/mitteilungen/{mine.pk}/bearbeiten/").status_code == 200
    response = client.post(
        f"/plauen/intern/mitteilungen/{mine.pk}/bearbeiten/", form_data(mine, title="Tablets für alle Grundschulen")
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "Tablets für alle Grundschulen"
    assert mine.history.latest().history_user == user


def test_editor_limited_to_a_department_gets_403_for_another_departments_announcement(
    plauen, limited_editor, client_of
):
    user, _own, other = limited_editor
    foreign = announcement_in(plauen, other, "Haushaltssperre")
    client = client_of(user)
    url = f"/plauen/intern/mitteilungen/{foreign.pk}/bearbeiten/"
    page = client.get(url)
    assert page.status_code == 403
    assert "Kein Zugang" in page.content.decode()
    assert client.post(url, form_data(foreign, title="Gekapert")).status_code == 403
    assert client.post(f"/plauen/intern/mitteilungen/{foreign.pk}/loeschen/").status_code == 403
    foreign.refresh_from_db()
    assert foreign.title == "Haushaltssperre"


def test_editor_limited_to_a_department_cannot_move_an_announcement_to_another_department(
    plauen, limited_editor, client_of
):
    user, own, other = limited_editor
    mine = announcement_in(plauen, own, "Medienentwicklungsplan")
    response = client_of(user).post(
        f"/plauen/intern/mitteilungen/{mine.pk}/bearbeiten/", form_data(mine, department=other.pk)
    )
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.department == own


def test_editor_limited_to_a_department_cannot_edit_announcements_without_department(plauen, limited_editor, client_of):
    user, _own, _other = limited_editor
    general = announcement_in(plauen, None, "Allgemeine Mitteilung")
    assert client_of(user).get(f"/plauen/intern/mitteilungen/{general.pk}/bearbeiten/").status_code == 403


def test_editor_deletes_announcement_through_the_page(plauen, staff, client_of):
    doomed = announcement_in(plauen, None, "Veraltet")
    response = client_of(staff).post(f"/plauen/intern/mitteilungen/{doomed.pk}/loeschen/", follow=True)
    assert response.status_code == 200
    assert "Die Mitteilung wurde gelöscht." in response.content.decode()
    assert not Announcement.objects.filter(pk=doomed.pk).exists()


def test_delete_needs_a_post(plauen, staff, client_of):
    target = announcement_in(plauen, None, "Bleibt")
    assert client_of(staff).get(f"/plauen/intern/mitteilungen/{target.pk}/loeschen/").status_code == 405
    assert Announcement.objects.filter(pk=target.pk).exists()


# --- forms: roles -----------------------------------------------------------------------------


def test_admin_grants_a_role_through_the_form(plauen, admin, outsider, client_of):
    client = client_of(admin)
    response = client.post("/plauen/intern/rollen/", {"username": "outsider", "role": Role.READER})
    assert response.status_code == 302
    assert Membership.objects.filter(user=outsider, municipality=plauen, role=Role.READER).exists()
    assert "Die Rolle wurde vergeben." in client.get(response["Location"]).content.decode()


def test_admin_grants_an_editor_role_limited_to_a_department_through_the_form(plauen, admin, outsider, client_of):
    unit = services.create_department(municipality=plauen, by=None, code="40", name="Schulverwaltung")
    data = {"username": "outsider", "role": Role.EDITOR, "departments": [unit.pk]}
    response = client_of(admin).post("/plauen/intern/rollen/", data)
    assert "Bitte eine gültige Auswahl treffen." not in response.content.decode()
    assert response.status_code == 302
    assert list(Membership.objects.get(user=outsider).departments.all()) == [unit]


def test_department_form_refuses_a_parent_of_another_town_as_an_invalid_choice(plauen, celle, admin, client_of):
    foreign = services.create_department(municipality=celle, by=None, code="10", name="Celler Amt")
    response = client_of(admin).post("/plauen/intern/abteilungen/", {"code": "11", "name": "Neu", "parent": foreign.pk})
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen." in response.content.decode()


def test_admin_cannot_grant_a_role_twice_or_to_an_unknown_person(plauen, admin, reader, client_of):
    client = client_of(admin)
    twice = client.post("/plauen/intern/rollen/", {"username": "reader", "role": Role.READER})
    assert twice.status_code == 200
    assert "Diese Person hat diese Rolle hier bereits." in twice.content.decode()
    unknown = client.post("/plauen/intern/rollen/", {"username": "niemand", "role": Role.READER})
    assert unknown.status_code == 200
    assert "Es gibt keine aktive Person mit diesem Benutzernamen." in unknown.content.decode()
    assert Membership.objects.filter(user=reader).count() == 1


def test_admin_cannot_revoke_the_last_admin_role(plauen, admin, client_of):
    own = Membership.objects.get(user=admin, role=Role.ADMIN)
    response = client_of(admin).post(f"/plauen/intern/rollen/{own.pk}/entziehen/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/plauen/intern/rollen/", 302)]
    assert "Eine Kommune behält mindestens eine Administration." in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_admin_revokes_a_role_when_another_admin_remains(plauen, admin, client_of):
    second = make_user("zweite-admin", plauen, Role.ADMIN)
    theirs = Membership.objects.get(user=second)
    response = client_of(admin).post(f"/plauen/intern/rollen/{theirs.pk}/entziehen/", follow=True)
    assert "Die Rolle wurde entzogen." in response.content.decode()
    assert not Membership.objects.filter(pk=theirs.pk).exists()


def test_admin_of_celle_cannot_revoke_a_role_in_plauen_through_celles_address(plauen, celle_admin, reader, client_of):
    theirs = Membership.objects.get(user=reader)
    assert client_of(celle_admin).post(f"/celle/intern/rollen/{theirs.pk}/entziehen/").status_code == 404
    assert client_of(celle_admin).post(f"/plauen/intern/rollen/{theirs.pk}/entziehen/").status_code == 403
    assert Membership.objects.filter(pk=theirs.pk).exists()


# --- forms: settings and account ---------------------------------------------------------------


def test_admin_changes_the_municipality_settings(plauen, admin, client_of):
    data = {"name": "Plauen", "state": "SN", "ags": "14523319", "population": "64000", "discount_rate_percent": "3",
            "medium_term_years": "5", "website": "www.plauen.de"}  # fmt: skip
    response = client_of(admin).post("/plauen/intern/einstellungen/", data, follow=True)
    assert "Die Einstellungen wurden gespeichert." in response.content.decode()
    plauen.refresh_from_db()
    assert (plauen.population, plauen.website) == (64000, "https://www.plauen.de")


def test_admin_cannot_give_an_ags_of_another_state(plauen, admin, client_of):
    data = {"name": "Plauen", "state": "SN", "ags": "03351006", "discount_rate_percent": "2.5",
            "medium_term_years": "5"}  # fmt: skip
    response = client_of(admin).post("/plauen/intern/einstellungen/", data)
    assert response.status_code == 200
    assert "Dieser AGS gehört zu Niedersachsen." in response.content.decode()
    plauen.refresh_from_db()
    assert plauen.ags == "14523319"


def test_citizen_creates_an_api_token_and_sees_the_key_once(plauen, citizen, client_of):
    client = client_of(citizen)
    response = client.post("/konto/", {"name": "Mein Skript"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "kopieren Sie ihn jetzt" in body
    token = citizen.api_tokens.get()
    assert token.name == "Mein Skript"
    again = client.get("/konto/").content.decode()
    assert "kopieren Sie ihn jetzt" not in again
    assert f"({token.prefix}…)" in again


def test_nobody_revokes_another_persons_token(plauen, citizen, outsider, client_of):
    token, _key = services.create_api_token(user=citizen, name="Fremd")
    assert client_of(outsider).post(f"/konto/token/{token.pk}/widerrufen/").status_code == 404
    token.refresh_from_db()
    assert token.revoked is None
    response = client_of(citizen).post(f"/konto/token/{token.pk}/widerrufen/", follow=True)
    assert "Der Token wurde widerrufen." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked is not None


def test_anonymous_visitor_is_sent_to_the_login_from_the_account(anonymous, db):
    response = anonymous.get("/konto/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_person_signs_in_through_the_login_form(plauen, citizen):
    client = Client()
    response = client.post("/konto/anmelden/", {"username": "citizen", "password": "pw-citizen", "next": "/plauen/"})
    assert response.status_code == 302
    assert response["Location"] == "/plauen/"
    assert "Abmelden" in client.get("/plauen/").content.decode()


def test_login_with_a_wrong_password_is_refused_in_german(plauen, citizen):
    response = Client().post("/konto/anmelden/", {"username": "citizen", "password": "falsch"})
    assert response.status_code == 200
    assert "Bitte Benutzername und Passwort eingeben." in response.content.decode()


# --- language ------------------------------------------------------------------------------


def test_visitor_switches_to_english_and_the_next_page_is_english(plauen, anonymous):
    assert "Neuigkeiten" in anonymous.get("/plauen/").content.decode()
    switch = anonymous.post("/sprache/", {"language": "en", "next": "/plauen/"})
    assert switch.status_code == 302
    assert switch["Location"] == "/plauen/"
    body = anonymous.get("/plauen/").content.decode()
    assert '<html lang="en"' in body
    assert "News" in body and "Neuigkeiten" not in body
    assert "Deutsch" in body  # the way back
    back = anonymous.post("/sprache/", {"language": "de", "next": "/plauen/"})
    assert back.status_code == 302
    assert "Neuigkeiten" in anonymous.get("/plauen/").content.decode()


def test_browser_asking_for_english_still_gets_german_without_the_switch(plauen, anonymous):
    response = anonymous.get("/plauen/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "de"
    assert "Neuigkeiten" in response.content.decode()


def test_unknown_language_in_the_cookie_falls_back_to_german(plauen, anonymous):
    anonymous.cookies["django_language"] = "fr"
    assert "Neuigkeiten" in anonymous.get("/plauen/").content.decode()


def test_signed_in_person_gets_english_workspace_after_the_switch(plauen, reader, client_of):
    client = client_of(reader)
    client.post("/sprache/", {"language": "en", "next": "/plauen/intern/"})
    body = client.get("/plauen/intern/").content.decode()
    assert "Workspace" in body and "Arbeitsbereich" not in body
