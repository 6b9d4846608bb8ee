"""The dependency graph of a portfolio: pure functions over ids and edges, no ORM.

An edge ``(a, b)`` means "a is a foundation for b": b cannot start before a.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

Edge = tuple[int, int]


def _successors(edges: Iterable[Edge]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for a, b in edges:
        out[a].append(b)
    return out


def find_path(edges: Iterable[Edge], start: int, goal: int) -> list[int] | None:
    """A path start → … → goal along the edges, or None (iterative depth-first search)."""
    succ = _successors(edges)
    stack: list[tuple[int, list[int]]] = [(start, [start])]
    seen = {start}
    while stack:
        node, path = stack.pop()
        if node == goal:
            return path
        for nxt in succ.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def cycle_if_added(edges: Iterable[Edge], new: Edge) -> list[int] | None:
    """The cycle that adding ``new = (a, b)`` would close, as ``[a, b, …, a]``, or None."""
    a, b = new
    if a == b:
        return [a, a]
    path = find_path(edges, b, a)
    return [a] + path if path else None


def find_cycle(nodes: Iterable[int], edges: Iterable[Edge]) -> list[int] | None:
    """Any cycle in the graph as ``[n1, n2, …, n1]``, or None."""
    succ = _successors(edges)
    state: dict[int, int] = {}  # 1 = on the stack, 2 = done
    for root in nodes:
        if state.get(root):
            continue
        stack = [(root, iter(succ.get(root, [])))]
        path = [root]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(succ.get(nxt, []))))
                path.append(nxt)
    return None


def topological_order(
    nodes: Iterable[int], edges: Iterable[Edge], key: Mapping[int, object] | None = None
) -> list[int]:
    """Nodes so that every foundation comes before what builds on it (Kahn's algorithm).

    Among nodes that are free at the same time, the smaller ``key`` (e.g. planned start)
    comes first, then the smaller id. Raises ValueError on a cycle.
    """
    nodes = list(nodes)
    key = key or {}
    indegree = {n: 0 for n in nodes}
    succ = _successors([e for e in edges if e[0] in indegree and e[1] in indegree])  # only edges among the nodes
    for targets in succ.values():
        for b in targets:
            if b in indegree:
                indegree[b] += 1
    heap = [(_sort_key(key.get(n)), n) for n, d in indegree.items() if d == 0]
    heapq.heapify(heap)
    order = []
    while heap:
        _k, n = heapq.heappop(heap)
        order.append(n)
        for b in succ.get(n, []):
            if b in indegree:
                indegree[b] -= 1
                if indegree[b] == 0:
                    heapq.heappush(heap, (_sort_key(key.get(b)), b))
    if len(order) != len(indegree):
        raise ValueError("The dependency graph has a cycle.")
    return order


def _sort_key(value) -> tuple:
    return (value is None, value or date.max)


def dependents(nodes: Iterable[int], edges: Iterable[Edge]) -> dict[int, tuple[int, int]]:
    """For every node: (number of direct dependents, number of transitive dependents)."""
    succ = _successors(edges)
    result = {}
    for n in nodes:
        direct = set(succ.get(n, []))
        seen: set[int] = set()
        stack = list(direct)
        while stack:
            m = stack.pop()
            if m in seen or m == n:
                continue
            seen.add(m)
            stack.extend(succ.get(m, []))
        result[n] = (len(direct), len(seen))
    return result


@dataclass(frozen=True)
class Violation:
    foundation: int
    dependent: int
    foundation_end: date | None
    dependent_start: date


def sequencing_violations(
    edges: Iterable[Edge], starts: Mapping[int, date | None], ends: Mapping[int, date | None]
) -> list[Violation]:
    """Planned starts that lie before the planned end of a foundation (or whose foundation has
    no planned end while the dependent has a start)."""
    result = []
    for a, b in edges:
        start = starts.get(b)
        if start is None:
            continue
        end = ends.get(a)
        if end is None or start < end:
            result.append(Violation(a, b, end, start))
    return result
