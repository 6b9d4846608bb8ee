"""Every page type in a real browser: it renders, has no axe-core violations, logs no errors."""

from stadtlotse.core.models import Announcement, Department, Municipality, Visibility


def test_public_pages_are_accessible(visit):
    announcement = Announcement.objects.filter(municipality__slug="plauen", visibility=Visibility.PUBLIC).first()
    for name, path, status in [
        ("home", "/", 200),
        ("portal", "/plauen/", 200),
        ("part-coming", "/plauen/strategie/", 200),
        ("announcement", f"/plauen/mitteilungen/{announcement.pk}/", 200),
        ("login", "/konto/anmelden/", 200),
        ("accessibility", "/barrierefreiheit/", 200),
        ("not-found", "/atlantis/", 404),
    ]:
        visit.goto(path, status)
        visit.check(name)


def test_workspace_pages_are_accessible_for_an_administrator(visit):
    plauen = Municipality.objects.get(slug="plauen")
    department = Department.objects.filter(municipality=plauen).first()
    announcement = Announcement.objects.filter(municipality=plauen).first()
    visit.login("plauen-admin")
    for name, path in [
        ("workspace", "/plauen/intern/"),
        ("announcements", "/plauen/intern/mitteilungen/"),
        ("announcement-edit", f"/plauen/intern/mitteilungen/{announcement.pk}/bearbeiten/"),
        ("departments", "/plauen/intern/abteilungen/"),
        ("department-edit", f"/plauen/intern/abteilungen/{department.pk}/bearbeiten/"),
        ("roles", "/plauen/intern/rollen/"),
        ("settings", "/plauen/intern/einstellungen/"),
        ("history", f"/plauen/intern/verlauf/department/{department.pk}/"),
        ("audit-log", "/plauen/intern/protokoll/"),
        ("finance-plan", "/plauen/intern/finanzen/"),
        ("account", "/konto/"),
    ]:
        visit.goto(path)
        visit.check(name)


def test_citizen_sees_the_no_access_page_for_the_workspace(visit):
    visit.login("plauen-buerger")
    visit.goto("/plauen/intern/", 403)
    assert "Kein Zugang" in visit.page.content()
    visit.check("forbidden")
