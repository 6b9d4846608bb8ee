"""Comparing two strategy versions item by item: pure functions over snapshots.

A snapshot maps each kind (fields of action, goals, indicators, sections) to its items by
``uid``, each item a dict of the compared values. Items with the same ``uid`` in both versions
are the same item; their differing values are listed field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Snapshot = dict[str, dict[str, dict[str, Any]]]

KINDS = ("fields", "goals", "indicators", "sections")
# Not compared: the order, and the parent's title (shown for context; the parent's uid under
# "_field" / "_goal" is compared instead, so renaming a goal does not mark its indicators).
NOT_COMPARED = {"order", "field", "goal"}


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass
class ItemDiff:
    kind: str
    uid: str
    change: Change
    left: dict[str, Any] | None
    right: dict[str, Any] | None
    changed_fields: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        item = self.right or self.left or {}
        return str(item.get("title") or item.get("name") or item.get("heading") or "")


def compare(left: Snapshot, right: Snapshot) -> list[ItemDiff]:
    """Every item of both versions with what happened to it from ``left`` to ``right``.

    Order: kinds in ``KINDS`` order; within a kind, the right version's order, removed items last.
    """
    result: list[ItemDiff] = []
    for kind in KINDS:
        old, new = left.get(kind, {}), right.get(kind, {})
        for uid, item in new.items():
            if uid not in old:
                result.append(ItemDiff(kind, uid, Change.ADDED, None, item))
                continue
            differ = [name for name in item if name not in NOT_COMPARED and item.get(name) != old[uid].get(name)]
            changed = [name for name in differ if not name.startswith("_")]
            changed += [parent for parent in ("field", "goal") if f"_{parent}" in differ]  # a move: show the titles
            change = Change.CHANGED if changed else Change.UNCHANGED
            result.append(ItemDiff(kind, uid, change, old[uid], item, changed))
        for uid, item in old.items():
            if uid not in new:
                result.append(ItemDiff(kind, uid, Change.REMOVED, item, None))
    return result


def summary(diffs: list[ItemDiff]) -> dict[str, dict[str, int]]:
    """Counts per kind and change, e.g. ``{"goals": {"added": 2, "changed": 1, …}}``."""
    counts: dict[str, dict[str, int]] = {kind: {c.value: 0 for c in Change} for kind in KINDS}
    for diff in diffs:
        counts[diff.kind][diff.change.value] += 1
    return counts
