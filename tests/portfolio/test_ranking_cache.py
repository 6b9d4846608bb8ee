"""The ranking is kept per process (``selectors._RANKINGS``) by everything it is computed from.
These tests run outside a test transaction (only committed rankings are kept): a second read
is served from the cache with two queries fewer, and every change of an input is seen at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from stadtlotse.portfolio import selectors, services
from stadtlotse.portfolio.models import Assessment, Dependency

from .conftest import build_portfolio

pytestmark = pytest.mark.django_db(transaction=True)


def read(user, municipality):
    with CaptureQueriesContext(connection) as queries:
        result = selectors.rank_projects(selectors.open_project_rows(user, municipality), municipality)
    return {pk: (r.rank, r.score, r.contributions) for pk, r in result.by_project.items()}, len(queries)


def fresh(user, municipality):
    selectors._RANKINGS.clear()
    ranking, _count = read(user, municipality)
    return ranking


@pytest.fixture
def world(plauen):
    selectors._RANKINGS.clear()
    yield build_portfolio(plauen, 4)
    selectors._RANKINGS.clear()


def test_a_second_read_is_served_from_the_cache(world):
    visitor = AnonymousUser()  # no role lookups between the reads
    first, first_queries = read(visitor, world.municipality)
    second, second_queries = read(visitor, world.municipality)
    assert second == first and len(first) == 4  # the four public projects
    # settings, criteria, open projects, revision, scores, dependencies; then without the last two
    assert (first_queries, second_queries) == (6, 4)


def test_readers_who_see_other_projects_get_their_own_ranking(world, admin):
    internal, _ = read(admin, world.municipality)
    public, _ = read(AnonymousUser(), world.municipality)
    assert world.internal.pk in internal and world.internal.pk not in public
    assert public == fresh(AnonymousUser(), world.municipality)


def test_a_changed_score_is_seen_at_once(world, admin):
    before, _ = read(admin, world.municipality)
    project = world.projects[1]
    services.assess_project(project=project, by=None, scores={world.criteria["citizen_benefit"].pk: ("5", "")})
    after, queries = read(admin, world.municipality)
    assert after[project.pk] != before[project.pk]
    assert after == fresh(admin, world.municipality)


def test_a_deleted_score_and_a_removed_dependency_are_seen_at_once(world, admin):
    read(admin, world.municipality)
    Assessment.objects.filter(project=world.projects[2]).first().delete()
    after_delete, _ = read(admin, world.municipality)
    assert after_delete == fresh(admin, world.municipality)
    dependency = Dependency.objects.filter(municipality=world.municipality).first()
    read(admin, world.municipality)
    services.remove_dependency(dependency=dependency, by=None)
    after_removal, _ = read(admin, world.municipality)
    assert after_removal == fresh(admin, world.municipality)


def test_changed_weights_and_a_closed_project_are_new_keys(world, admin):
    before, _ = read(admin, world.municipality)
    criterion = world.criteria["citizen_benefit"]
    services.update_criterion(criterion=criterion, by=None, weight=criterion.weight * 5)
    reweighted, _ = read(admin, world.municipality)
    assert reweighted != before and reweighted == fresh(admin, world.municipality)
    services.change_status(project=world.projects[0], by=None, status="completed")
    closed, _ = read(admin, world.municipality)
    assert world.projects[0].pk not in closed


def test_nothing_computed_inside_a_transaction_is_kept(world, admin):
    with transaction.atomic():
        read(admin, world.municipality)
    assert selectors._RANKINGS.entries == {}
    read(admin, world.municipality)
    assert len(selectors._RANKINGS.entries) == 1
