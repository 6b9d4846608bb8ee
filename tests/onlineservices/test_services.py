"""Writes of the online services: validation, permissions, audit."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stadtlotse.onlineservices import figures, services
from stadtlotse.onlineservices.models import MaturityAssessment, RolloutStep, Service, Usage

pytestmark = pytest.mark.django_db


def test_assessing_updates_the_service_to_its_latest_level(os_world, admin):
    service = os_world.services[0]
    services.assess_service(service=service, by=admin, model="2.0", assessed_on=date(2026, 5, 1), level=6)
    service.refresh_from_db()
    assert (service.maturity_model, service.maturity_level) == ("2.0", 6)
    # An older assessment recorded later does not overwrite the newer one.
    services.assess_service(service=service, by=admin, model="1.1", assessed_on=date(2020, 1, 1), level=4)
    service.refresh_from_db()
    assert (service.maturity_model, service.maturity_level) == ("2.0", 6)
    assert service.history.first().history_user == admin


@pytest.mark.parametrize(("model", "level"), [("1.1", 5), ("1.1", -1), ("2.0", 8)])
def test_a_level_outside_the_models_range_is_refused_and_nothing_saved(os_world, admin, model, level):
    service = os_world.services[0]
    before = MaturityAssessment.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.assess_service(service=service, by=admin, model=model, assessed_on=date(2026, 1, 1), level=level)
    assert "level" in exc.value.message_dict
    assert MaturityAssessment.objects.count() == before


def test_criteria_set_the_level_and_are_kept(os_world, admin):
    criteria = {c.key: 3 for c in figures.MODELS["1.1"].criteria} | {"once_only": 1}
    a = services.assess_service(service=os_world.services[1], by=admin, model="1.1", assessed_on=date(2026, 2, 1),
                                criteria=criteria)  # fmt: skip
    assert a.level == 1 and a.criteria["once_only"] == 1
    with pytest.raises(ValidationError, match="Stufe 1"):
        services.assess_service(service=os_world.services[1], by=admin, model="1.1", assessed_on=date(2026, 2, 1),
                                criteria=criteria, level=3)  # fmt: skip


def test_usage_with_negative_numbers_or_a_month_twice_is_refused(os_world, admin):
    service = os_world.services[0]
    with pytest.raises(ValidationError) as exc:
        services.record_usage(service=service, by=admin, period=date(2026, 5, 1), online=-3, offline=2)
    assert "online" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_usage(service=service, by=admin, period=date(2026, 1, 17), online=3, offline=2)
    assert "01/2026" in str(exc.value)
    assert Usage.objects.filter(service=service).count() == 3


def test_editor_limited_to_a_department_changes_only_its_services(os_world, office_editor):
    mine, theirs = os_world.services[0], os_world.services[1]
    assert mine.department == os_world.office and theirs.department == os_world.desk
    services.update_service(service=mine, by=office_editor, url="https://example.org/neu")
    with pytest.raises(PermissionDenied):
        services.update_service(service=theirs, by=office_editor, name="x")
    with pytest.raises(PermissionDenied):  # nor move its own service to another department
        services.update_service(service=Service.objects.get(pk=mine.pk), by=office_editor, department=os_world.desk)
    with pytest.raises(PermissionDenied):
        services.create_service(municipality=os_world.municipality, by=office_editor, name="y",
                                department=os_world.desk)  # fmt: skip


@pytest.mark.parametrize("persona", ["pilot", "reader", "council", "citizen", "celle_admin"])
def test_other_roles_cannot_assess(os_world, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.assess_service(service=os_world.services[0], by=user, model="1.1", assessed_on=date(2026, 1, 1),
                                level=2)  # fmt: skip


def test_rollout_steps_by_editor_of_the_department_only(os_world, office_editor, admin):
    services.record_rollout(process=os_world.process, department=os_world.office, state="digital",
                            since=date(2024, 1, 1), by=office_editor)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.record_rollout(process=os_world.process, department=os_world.desk, state="paper",
                                since=date(2024, 1, 1), by=office_editor)  # fmt: skip
    with pytest.raises(ValidationError):
        services.record_rollout(process=os_world.process, department=os_world.office, state="paper",
                                since=date(2024, 1, 1), by=admin)  # fmt: skip
    assert RolloutStep.objects.filter(process=os_world.process).count() == 3


def test_linking_a_project_of_another_municipality_is_refused(os_world, admin, celle):
    from stadtlotse.portfolio import services as portfolio_services

    foreign = portfolio_services.create_project(municipality=celle, by=None, title="Fremd", visibility="public")
    with pytest.raises(ValidationError):
        services.set_service_projects(service=os_world.services[1], projects=[foreign], by=admin)


def test_project_links_are_in_the_audit_trail(os_world, staff):
    service = os_world.services[1]
    services.set_service_projects(service=service, projects=[os_world.public_project], by=staff)
    assert set(service.projects.all()) == {os_world.public_project}
    record = service.history.first()
    assert record.history_user == staff
    assert [p.project_id for p in record.projects.all()] == [os_world.public_project.pk]
