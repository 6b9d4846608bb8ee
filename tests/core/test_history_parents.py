"""The history of a child object (a milestone, a cost item, a dependency) is as confidential as
the project it belongs to, including a project that was confidential only once."""

from datetime import date
from decimal import Decimal

import pytest

from stadtlotse.finance import services as finance_services
from stadtlotse.portfolio import services

MARKER = "GEHEIM-MEILENSTEIN-7Q"


@pytest.fixture
def confidential_project(plauen):
    return services.create_project(municipality=plauen, by=None, title="Vertrauliches Projekt",
                                   visibility="confidential", planned_start=date(2026, 1, 1),
                                   planned_end=date(2027, 12, 31))  # fmt: skip


@pytest.fixture
def milestone(confidential_project):
    return services.add_milestone(project=confidential_project, by=None, title=MARKER, due_date=date(2026, 6, 1))


@pytest.mark.parametrize("persona, status", [("reader", 404), ("pilot", 404), ("staff", 200), ("council", 200)])
def test_milestone_history_follows_the_projects_visibility(persona, status, milestone, request, client_of):
    response = client_of(request.getfixturevalue(persona)).get(f"/plauen/intern/verlauf/milestone/{milestone.pk}/")
    assert response.status_code == status
    assert (MARKER in response.content.decode()) is (status == 200)


def test_cost_item_history_of_a_confidential_project_is_hidden_from_internal_readers(
    confidential_project, reader, finance, client_of
):
    item = finance_services.add_cost_item(project=confidential_project, by=None, kind="operating",
                                          category="software", amount_eur=Decimal(1000), first_year=2026,
                                          last_year=2027, description=MARKER)  # fmt: skip
    url = f"/plauen/intern/verlauf/costitem/{item.pk}/"
    assert client_of(reader).get(url).status_code == 404
    response = client_of(finance).get(url)
    assert response.status_code == 200
    assert MARKER in response.content.decode()


def test_a_project_once_confidential_keeps_its_milestones_history_hidden(
    milestone, confidential_project, reader, client_of
):
    services.update_project(project=confidential_project, by=None, visibility="internal",
                            lock_version=confidential_project.lock_version)  # fmt: skip
    response = client_of(reader).get(f"/plauen/intern/verlauf/milestone/{milestone.pk}/")
    assert response.status_code == 404
