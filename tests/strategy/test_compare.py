"""Comparing two versions item by item (``strategy/compare.py``): on hand-built snapshots, then on
versions written through the services, where a new version is a copy whose items keep their uid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from stadtlotse.strategy import selectors, services
from stadtlotse.strategy.compare import KINDS, Change, compare, summary
from stadtlotse.strategy.models import FieldOfAction, Goal, Indicator, Section

# --- pure: hand-built snapshots ---------------------------------------------------------------

LEFT = {
    "fields": {
        "f1": {"title": "Verwaltung", "description": "", "order": 10},
        "f2": {"title": "Schulen", "description": "WLAN", "order": 20},
    },
    "goals": {
        "g1": {"title": "E-Akte einführen", "field": "Verwaltung", "target_date": "2026-12-31", "order": 10},
    },
    "indicators": {},
    "sections": {
        "s1": {"heading": "Auftrag", "body": "Beschluss 222-21", "order": 10},
        "s2": {"heading": "Beteiligung", "body": "Ausschüsse", "order": 20},
    },
}
RIGHT = {
    "fields": {
        "f2": {"title": "Schulen", "description": "WLAN", "order": 10},  # only moved up
        "f1": {"title": "Verwaltung", "description": "Zentral", "order": 20},  # description changed
        "f3": {"title": "Daten", "description": "", "order": 30},  # new
    },
    "goals": {
        "g1": {"title": "E-Akte stadtweit einführen", "field": "Verwaltung", "target_date": "2027-06-30", "order": 10},
    },
    "indicators": {
        "i1": {"name": "Anteil digitaler Akten", "goal": "E-Akte stadtweit einführen", "order": 10},
    },
    "sections": {
        "s2": {"heading": "Beteiligung", "body": "Ausschüsse", "order": 10},
    },
}


def test_compare_lists_every_item_with_what_happened_to_it():
    diffs = compare(LEFT, RIGHT)
    assert [(d.kind, d.uid, d.change) for d in diffs] == [
        ("fields", "f2", Change.UNCHANGED),
        ("fields", "f1", Change.CHANGED),
        ("fields", "f3", Change.ADDED),
        ("goals", "g1", Change.CHANGED),
        ("indicators", "i1", Change.ADDED),
        ("sections", "s2", Change.UNCHANGED),
        ("sections", "s1", Change.REMOVED),
    ]


def test_compare_names_the_changed_values_and_ignores_the_order():
    by_uid = {d.uid: d for d in compare(LEFT, RIGHT)}
    assert by_uid["f1"].changed_fields == ["description"]
    assert by_uid["g1"].changed_fields == ["title", "target_date"]
    assert by_uid["f2"].changed_fields == []  # order 20 → 10 is no change
    assert by_uid["g1"].left["title"] == "E-Akte einführen"
    assert by_uid["g1"].right["title"] == "E-Akte stadtweit einführen"


def test_added_and_removed_items_carry_only_their_side():
    by_uid = {d.uid: d for d in compare(LEFT, RIGHT)}
    assert by_uid["f3"].left is None and by_uid["f3"].right == RIGHT["fields"]["f3"]
    assert by_uid["s1"].right is None and by_uid["s1"].left == LEFT["sections"]["s1"]
    assert by_uid["s1"].changed_fields == []


def test_title_of_a_diff_is_title_name_or_heading_of_the_newest_side():
    by_uid = {d.uid: d for d in compare(LEFT, RIGHT)}
    assert by_uid["g1"].title == "E-Akte stadtweit einführen"
    assert by_uid["i1"].title == "Anteil digitaler Akten"
    assert by_uid["s1"].title == "Auftrag"  # removed: the left side names it


def test_summary_counts_changes_per_kind():
    assert summary(compare(LEFT, RIGHT)) == {
        "fields": {"added": 1, "removed": 0, "changed": 1, "unchanged": 1},
        "goals": {"added": 0, "removed": 0, "changed": 1, "unchanged": 0},
        "indicators": {"added": 1, "removed": 0, "changed": 0, "unchanged": 0},
        "sections": {"added": 0, "removed": 1, "changed": 0, "unchanged": 1},
    }


def test_a_version_compared_with_itself_has_only_unchanged_items():
    diffs = compare(RIGHT, RIGHT)
    assert diffs and all(d.change == Change.UNCHANGED for d in diffs)


def test_a_kind_missing_from_one_snapshot_counts_as_empty():
    assert [d.change for d in compare({}, {"sections": LEFT["sections"]})] == [Change.ADDED, Change.ADDED]
    assert [d.change for d in compare({"sections": LEFT["sections"]}, {})] == [Change.REMOVED, Change.REMOVED]
    assert set(summary([])) == set(KINDS)


# --- through the services ---------------------------------------------------------------------


@pytest.fixture
def adopted_and_copy(plauen):
    """Version 1 with two fields, goals (one without indicators), an indicator and two sections,
    adopted; and version 2, its copy."""
    strategy = services.create_strategy(municipality=plauen, by=None, title="IT-Strategie 2028")
    v1 = strategy.versions.get()
    admin_field = services.add_field_of_action(version=v1, by=None, title="Verwaltung", description="Intern")
    school_field = services.add_field_of_action(version=v1, by=None, title="Schulen")
    measured = services.add_goal(field=admin_field, by=None, title="E-Akte einführen", target_date=date(2026, 12, 31))
    services.add_indicator(
        goal=measured, by=None, name="Anteil digitaler Akten", unit="%", baseline_value=Decimal(5),
        baseline_date=date(2022, 1, 1), target_value=Decimal(95), target_date=date(2026, 12, 31),
    )  # fmt: skip
    services.add_goal(field=school_field, by=None, title="WLAN in allen Schulen")
    services.add_section(version=v1, by=None, heading="Auftrag", body="Beschluss 222-21")
    services.add_section(version=v1, by=None, heading="Beteiligung", body="Ausschüsse")
    services.adopt_version(version=v1, by=None, adopted_on=date(2022, 5, 17), adopted_by="Stadtrat")
    v2 = services.create_version(strategy=strategy, by=None, label="Fortschreibung")
    return v1, v2


def _uids(model, version) -> set:
    return set(model.objects.filter(version=version).values_list("uid", flat=True))


def test_new_version_is_a_copy_whose_items_keep_their_uid(adopted_and_copy):
    v1, v2 = adopted_and_copy
    assert (v2.number, v2.status, v2.based_on_id) == (2, "draft", v1.pk)
    for model in (FieldOfAction, Goal, Indicator, Section):
        assert _uids(model, v2) == _uids(model, v1) != set()
        old_pks = set(model.objects.filter(version=v1).values_list("pk", flat=True))
        assert old_pks.isdisjoint(model.objects.filter(version=v2).values_list("pk", flat=True))
    # the copies hang below the copies, not below version 1's items
    for goal in Goal.objects.filter(version=v2).select_related("field_of_action"):
        assert goal.field_of_action.version_id == v2.pk
    for indicator in Indicator.objects.filter(version=v2).select_related("goal"):
        assert indicator.goal.version_id == v2.pk


def test_fresh_copy_does_not_differ_from_its_source(adopted_and_copy):
    v1, v2 = adopted_and_copy
    diffs = compare(selectors.snapshot(v1), selectors.snapshot(v2))
    assert len(diffs) == 2 + 2 + 1 + 2
    assert {d.change for d in diffs} == {Change.UNCHANGED}


def test_compare_reports_exactly_a_renamed_goal_an_added_field_and_a_deleted_section(adopted_and_copy):
    v1, v2 = adopted_and_copy
    school_goal = Goal.objects.get(version=v2, title="WLAN in allen Schulen")
    services.update_goal(goal=school_goal, by=None, title="WLAN und Tablets in allen Schulen")
    new_field = services.add_field_of_action(version=v2, by=None, title="Daten und Transparenz")
    doomed = Section.objects.get(version=v2, heading="Beteiligung")
    services.delete_item(item=doomed, by=None)

    diffs = [d for d in compare(selectors.snapshot(v1), selectors.snapshot(v2)) if d.change != Change.UNCHANGED]

    assert [(d.kind, d.change, d.title) for d in diffs] == [
        ("fields", Change.ADDED, "Daten und Transparenz"),
        ("goals", Change.CHANGED, "WLAN und Tablets in allen Schulen"),
        ("sections", Change.REMOVED, "Beteiligung"),
    ]
    assert diffs[0].uid == str(new_field.uid)
    assert diffs[1].uid == str(school_goal.uid)
    assert diffs[1].changed_fields == ["title"]
    assert diffs[1].left["title"] == "WLAN in allen Schulen"
    assert diffs[2].uid == str(doomed.uid)
    counts = summary(compare(selectors.snapshot(v1), selectors.snapshot(v2)))
    assert counts["fields"] == {"added": 1, "removed": 0, "changed": 0, "unchanged": 2}
    assert counts["goals"] == {"added": 0, "removed": 0, "changed": 1, "unchanged": 1}
    assert counts["sections"] == {"added": 0, "removed": 1, "changed": 0, "unchanged": 1}


def test_compare_reports_a_changed_indicator_target_and_a_moved_goal(adopted_and_copy):
    v1, v2 = adopted_and_copy
    indicator = Indicator.objects.get(version=v2)
    services.update_indicator(indicator=indicator, by=None, target_value=Decimal("97.5"))
    goal = Goal.objects.get(version=v2, title="WLAN in allen Schulen")
    services.update_goal(goal=goal, by=None, field_of_action=FieldOfAction.objects.get(version=v2, title="Verwaltung"))

    changed = {d.uid: d for d in compare(selectors.snapshot(v1), selectors.snapshot(v2)) if d.change == "changed"}

    assert set(changed) == {str(indicator.uid), str(goal.uid)}
    assert changed[str(indicator.uid)].changed_fields == ["target"]
    assert changed[str(indicator.uid)].right["target"] == "97.5 (2026-12-31)"
    assert changed[str(indicator.uid)].left["target"] == "95 (2026-12-31)"
    assert changed[str(goal.uid)].changed_fields == ["field"]


def test_reordering_sections_is_no_change(adopted_and_copy):
    v1, v2 = adopted_and_copy
    for section in Section.objects.filter(version=v2):
        services.update_section(section=section, by=None, order=1000 - section.order)
    assert {d.change for d in compare(selectors.snapshot(v1), selectors.snapshot(v2))} == {Change.UNCHANGED}


def test_renaming_a_goal_does_not_report_its_unchanged_indicators_as_changed(adopted_and_copy):
    v1, v2 = adopted_and_copy
    goal = Goal.objects.get(version=v2, title="E-Akte einführen")
    services.update_goal(goal=goal, by=None, title="E-Akte in allen Ämtern einführen")
    changed = [d for d in compare(selectors.snapshot(v1), selectors.snapshot(v2)) if d.change != Change.UNCHANGED]
    assert [(d.kind, d.uid) for d in changed] == [("goals", str(goal.uid))]
