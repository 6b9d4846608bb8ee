"""The dependency graph (``portfolio/graph.py``): hand-worked examples, then properties on random
graphs, then the two places that use it with the database: the refusal of a dependency that
closes a cycle (named in order) and the order of implementation with its sequencing warnings.

An edge ``(a, b)`` means "a is a foundation for b": b cannot start before a.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from stadtlotse.portfolio import graph, selectors, services
from stadtlotse.portfolio.models import Dependency, Project

from .conftest import SIZES

# --- hand-worked examples --------------------------------------------------------------------


def test_find_path_follows_the_edges_and_gives_none_without_a_path():
    edges = [(1, 2), (2, 3), (3, 4), (5, 4)]
    assert graph.find_path(edges, 1, 4) == [1, 2, 3, 4]
    assert graph.find_path(edges, 2, 2) == [2]
    assert graph.find_path(edges, 4, 1) is None  # edges have a direction
    assert graph.find_path(edges, 1, 5) is None


def test_cycle_if_added_names_the_cycle_from_the_new_edge_back_to_its_start():
    chain = [(1, 2), (2, 3)]
    # Adding "3 is a foundation for 1" closes 3 → 1 → 2 → 3.
    assert graph.cycle_if_added(chain, (3, 1)) == [3, 1, 2, 3]
    assert graph.cycle_if_added(chain, (2, 1)) == [2, 1, 2]
    assert graph.cycle_if_added(chain, (1, 3)) is None  # a shortcut, no cycle
    assert graph.cycle_if_added(chain, (4, 1)) is None


def test_cycle_if_added_refuses_a_project_as_its_own_foundation():
    assert graph.cycle_if_added([], (7, 7)) == [7, 7]


def test_find_cycle_finds_a_closed_walk_or_none():
    assert graph.find_cycle([1, 2, 3], [(1, 2), (2, 3), (1, 3)]) is None
    cycle = graph.find_cycle([1, 2, 3, 4], [(1, 2), (2, 3), (3, 4), (4, 2)])
    assert cycle == [2, 3, 4, 2]
    assert graph.find_cycle([5], [(5, 5)]) == [5, 5]


def test_topological_order_puts_foundations_first_and_breaks_ties_by_key_then_id():
    edges = [(1, 3), (2, 3), (3, 4)]
    assert graph.topological_order([4, 3, 2, 1], edges) == [1, 2, 3, 4]
    # 2 may start earlier than 1, so it comes first; 5 (no key) comes after every dated node.
    starts = {1: date(2026, 1, 1), 2: date(2025, 1, 1), 3: date(2024, 1, 1), 4: date(2027, 1, 1)}
    assert graph.topological_order([1, 2, 3, 4, 5], edges, starts) == [2, 1, 3, 4, 5]
    # Equal keys: the smaller id first.
    same = {n: date(2025, 1, 1) for n in (1, 2, 3)}
    assert graph.topological_order([3, 2, 1], [], same) == [1, 2, 3]


def test_topological_order_refuses_a_cycle():
    with pytest.raises(ValueError, match="cycle"):
        graph.topological_order([1, 2, 3], [(1, 2), (2, 3), (3, 1)])


def test_topological_order_ignores_edges_to_nodes_outside_the_list():
    # The dependent 99 is not among the nodes (e.g. invisible): the edge does not matter.
    assert graph.topological_order([1, 2], [(1, 99), (2, 1)]) == [2, 1]


def test_topological_order_ignores_edges_from_nodes_outside_the_list():
    assert graph.topological_order([1, 2], [(99, 1), (1, 2)]) == [1, 2]


def test_dependents_counts_direct_and_transitive_dependents():
    #   1 → 2 → 4
    #   1 → 3 → 4 → 5
    edges = [(1, 2), (1, 3), (2, 4), (3, 4), (4, 5)]
    assert graph.dependents([1, 2, 3, 4, 5, 6], edges) == {
        1: (2, 4), 2: (1, 2), 3: (1, 2), 4: (1, 1), 5: (0, 0), 6: (0, 0),
    }  # fmt: skip
    # In a cycle a node does not count itself.
    assert graph.dependents([1, 2], [(1, 2), (2, 1)]) == {1: (1, 1), 2: (1, 1)}


def test_sequencing_flags_starts_before_the_foundations_end():
    edges = [(1, 2), (1, 3), (4, 5), (6, 7), (1, 8)]
    starts = {2: date(2025, 5, 31), 3: date(2025, 6, 1), 5: date(2025, 1, 1), 7: None, 8: date(2025, 7, 1)}
    ends = {1: date(2025, 6, 1), 4: None, 6: date(2030, 1, 1)}
    violations = graph.sequencing_violations(edges, starts, ends)
    assert violations == [
        graph.Violation(1, 2, date(2025, 6, 1), date(2025, 5, 31)),  # starts one day before the end
        graph.Violation(4, 5, None, date(2025, 1, 1)),  # the foundation has no planned end
    ]
    # Starting on the day the foundation ends is fine (3), as is a later start (8), and a
    # dependent without a planned start (7) is not flagged.


# --- properties on random graphs ----------------------------------------------------------------


@st.composite
def dags(draw, max_nodes: int = 12):
    """A random directed acyclic graph: nodes with shuffled ids, edges only "forward" in a hidden
    order, so no cycle can arise; plus a random planned start (or none) per node."""
    n = draw(st.integers(min_value=0, max_value=max_nodes))
    ids = draw(st.permutations(list(range(100, 100 + n))))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    edges = [(ids[i], ids[j]) for i, j in chosen]
    key = {
        node: draw(st.one_of(st.none(), st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 1, 10))))
        for node in ids
    }
    return list(ids), edges, key


@st.composite
def graphs(draw, max_nodes: int = 8):
    """Any directed graph without self-loops (it may have cycles)."""
    n = draw(st.integers(min_value=1, max_value=max_nodes))
    nodes = list(range(n))
    pairs = [(a, b) for a in nodes for b in nodes if a != b]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=20)) if pairs else []
    return nodes, edges


def reachable(nodes, edges) -> dict[int, set[int]]:
    """Brute force: node → every node reachable over one or more edges."""
    result = {n: {b for a, b in edges if a == n} for n in nodes}
    changed = True
    while changed:
        changed = False
        for n in nodes:
            more = set().union(*(result.get(m, set()) for m in result[n])) - result[n]
            if more:
                result[n] |= more
                changed = True
    return result


def is_closed_walk(cycle: list[int], edges) -> bool:
    return (
        len(cycle) >= 2
        and cycle[0] == cycle[-1]
        and all((a, b) in set(edges) for a, b in zip(cycle, cycle[1:], strict=False))
    )


@given(dags())
def test_property_topological_order_puts_every_foundation_before_its_dependents(dag):
    nodes, edges, key = dag
    order = graph.topological_order(nodes, edges, key)
    assert sorted(order) == sorted(nodes)  # every node exactly once
    position = {node: index for index, node in enumerate(order)}
    for foundation, dependent in edges:
        assert position[foundation] < position[dependent]


@given(dags())
def test_property_topological_order_starts_with_the_earliest_free_node(dag):
    nodes, edges, key = dag
    order = graph.topological_order(nodes, edges, key)
    free = [n for n in nodes if not any(b == n for _a, b in edges)]
    if nodes:
        # No dependencies to wait for: the earliest planned start (undated last), then the smaller id.
        assert order[0] == min(free, key=lambda n: (key[n] is None, key[n] or date.max, n))


@given(dags())
def test_property_a_dag_has_no_cycle_and_every_back_edge_closes_one(dag):
    nodes, edges, _key = dag
    assert graph.find_cycle(nodes, edges) is None
    for foundation, dependent in edges:
        # The reverse of any edge closes a cycle through that edge.
        cycle = graph.cycle_if_added(edges, (dependent, foundation))
        assert cycle is not None
        assert cycle[0] == cycle[-1] == dependent
        assert cycle[1] == foundation
        assert is_closed_walk(cycle, edges + [(dependent, foundation)])


@given(graphs())
def test_property_cycle_detection_agrees_with_the_topological_order(g):
    nodes, edges = g
    cycle = graph.find_cycle(nodes, edges)
    try:
        graph.topological_order(nodes, edges)
        sortable = True
    except ValueError:
        sortable = False
    assert sortable == (cycle is None)
    if cycle is not None:
        assert is_closed_walk(cycle, edges)
        assert len(set(cycle)) == len(cycle) - 1  # a simple cycle: no node twice


@given(graphs(), st.data())
def test_property_cycle_if_added_is_exactly_a_path_back(g, data):
    nodes, edges = g
    a = data.draw(st.sampled_from(nodes))
    b = data.draw(st.sampled_from(nodes))
    cycle = graph.cycle_if_added(edges, (a, b))
    closes = a == b or a in reachable(nodes, edges)[b]
    assert (cycle is not None) == closes
    if cycle is not None:
        assert is_closed_walk(cycle, edges + [(a, b)])
        assert cycle[:2] == [a, b]


@given(graphs())
def test_property_dependents_match_reachability(g):
    nodes, edges = g
    reach = reachable(nodes, edges)
    counts = graph.dependents(nodes, edges)
    for n in nodes:
        assert counts[n] == (len({b for a, b in edges if a == n}), len(reach[n] - {n}))


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=15),
    st.dictionaries(st.integers(0, 5), st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2025, 1, 20)))),
    st.dictionaries(st.integers(0, 5), st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2025, 1, 20)))),
)
def test_property_sequencing_flags_exactly_the_starts_before_a_foundation_ends(edges, starts, ends):
    violations = graph.sequencing_violations(edges, starts, ends)
    expected = [
        (a, b) for a, b in edges
        if starts.get(b) is not None and (ends.get(a) is None or starts[b] < ends[a])
    ]  # fmt: skip
    assert [(v.foundation, v.dependent) for v in violations] == expected
    for v in violations:
        assert v.dependent_start == starts[v.dependent]
        assert v.foundation_end == ends.get(v.foundation)


# --- with the database: refusing a cycle, the order of implementation --------------------------


def project(municipality, title: str, start: date | None = None, end: date | None = None) -> Project:
    return services.create_project(
        municipality=municipality, by=None, title=title, planned_start=start, planned_end=end, visibility="public"
    )


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_dependency_closing_a_cycle_is_refused_naming_the_cycle_in_order(plauen, admin, english):
    portal, account, payment = (project(plauen, t) for t in ("Bürgerportal", "Servicekonto", "E-Payment"))
    services.add_dependency(foundation=portal, dependent=account, by=admin)
    services.add_dependency(foundation=account, dependent=payment, by=admin)
    with pytest.raises(ValidationError) as caught:
        services.add_dependency(foundation=payment, dependent=portal, by=admin)
    assert caught.value.messages == [
        "This would make a cycle: E-Payment → Bürgerportal → Servicekonto → E-Payment. A project cannot, "
        "directly or indirectly, be a foundation for itself."
    ]
    assert set(Dependency.objects.values_list("foundation__title", "dependent__title")) == {
        ("Bürgerportal", "Servicekonto"), ("Servicekonto", "E-Payment"),
    }  # fmt: skip


def test_dependency_of_a_project_on_itself_is_refused_as_a_cycle(plauen, admin, english):
    portal = project(plauen, "Bürgerportal")
    with pytest.raises(ValidationError, match="Bürgerportal → Bürgerportal"):
        services.add_dependency(foundation=portal, dependent=portal, by=admin)
    assert not Dependency.objects.exists()


def test_dependency_twice_is_refused(plauen, admin, english):
    portal, account = project(plauen, "Bürgerportal"), project(plauen, "Servicekonto")
    services.add_dependency(foundation=portal, dependent=account, by=admin)
    with pytest.raises(ValidationError, match="exists already"):
        services.add_dependency(foundation=portal, dependent=account, by=admin)
    assert Dependency.objects.count() == 1


def test_cycle_message_in_german_on_the_project_page(plauen, admin, client_of):
    portal, account = project(plauen, "Bürgerportal"), project(plauen, "Servicekonto")
    services.add_dependency(foundation=portal, dependent=account, by=admin)
    response = client_of(admin).post(
        f"/plauen/intern/projekte/{portal.pk}/", {"add_dependency": "1", "d-foundation": account.pk, "d-note": ""},
        follow=True,
    )  # fmt: skip
    body = response.content.decode()
    assert "Servicekonto → Bürgerportal → Servicekonto" in body
    assert Dependency.objects.count() == 1


def test_sequencing_orders_foundations_first_and_warns_of_early_starts(plauen, reader):
    # Server → portal → account; the account is planned to start before the portal ends.
    server = project(plauen, "Server", date(2024, 1, 1), date(2024, 12, 31))
    portal = project(plauen, "Portal", date(2025, 1, 1), date(2025, 12, 31))
    account = project(plauen, "Konto", date(2025, 6, 1), date(2026, 6, 30))
    loose = project(plauen, "Frei", date(2023, 1, 1), None)
    services.add_dependency(foundation=server, dependent=portal, by=None)
    services.add_dependency(foundation=portal, dependent=account, by=None)
    result = selectors.sequencing(reader, plauen)
    assert [p.title for p in result.order] == ["Frei", "Server", "Portal", "Konto"]
    assert [(f.title, d.title, v.foundation_end, v.dependent_start) for f, d, v in result.violations] == [
        ("Portal", "Konto", date(2025, 12, 31), date(2025, 6, 1)),
    ]  # fmt: skip
    assert [p.title for p in result.foundations[account.pk]] == ["Portal"]
    assert loose.pk not in result.foundations


@pytest.mark.parametrize("portfolio_world", SIZES, indirect=True)
def test_sequencing_of_the_world_respects_every_visible_dependency(portfolio_world, admin):
    world = portfolio_world
    edges = list(Dependency.objects.values_list("foundation_id", "dependent_id"))
    result = selectors.sequencing(admin, world.municipality)
    position = {p.pk: i for i, p in enumerate(result.order)}
    assert set(position) == {p.pk for p in world.projects} | {world.internal.pk}
    for foundation, dependent in edges:
        assert position[foundation] < position[dependent]
    # Every dependency of the world is flagged: each dependent starts before 2028-12-31, the
    # end of every public foundation, or before 2027-12-31, the end of the internal one.
    assert len(result.violations) == len(edges)

    # Without the right to read internal matters, the internal project and its edges disappear.
    public = selectors.sequencing(AnonymousUser(), world.municipality)
    assert world.internal.pk not in {p.pk for p in public.order}
    assert all(world.internal.pk not in (f.pk, d.pk) for f, d, _v in public.violations)
    assert len(public.violations) == len([e for e in edges if world.internal.pk not in e])


def test_sequencing_places_undated_projects_last_among_free_ones(plauen, reader):
    base = date(2025, 1, 1)
    dated = [project(plauen, f"P{i}", base + timedelta(days=10 - i), base + timedelta(days=400)) for i in range(3)]
    undated = project(plauen, "Ohne Datum")
    order = [p.pk for p in selectors.sequencing(reader, plauen).order]
    assert order == [dated[2].pk, dated[1].pk, dated[0].pk, undated.pk]
