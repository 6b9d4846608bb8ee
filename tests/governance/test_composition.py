"""The composition of a body, computed by hand: every rule kind, dated memberships, surplus seats."""

from datetime import date

import pytest

from stadtlotse.governance.composition import (
    EACH_FACTION,
    EACH_GROUP,
    ROLE_COUNT,
    Named,
    Rule,
    Seat,
    evaluate,
    evaluate_rule,
)

DAY = date(2025, 3, 1)
CDU, SPD, GREEN = Named(1, "CDU"), Named(2, "SPD"), Named(3, "Grüne", active_until=date(2024, 12, 31))
PUPILS, PARENTS, TEACHERS = Named(10, "Kreisschülerrat"), Named(11, "Eltern"), Named(12, "Lehrerschaft")


def seat(pid, role="member", faction=None, group=None, start=None, end=None):
    return Seat(pid, f"Person {pid}", role, faction, group, start, end)


def test_it_counts_council_members_and_expert_citizens_separately():
    # Sindelfingen: 13 council members (chair counts), 12 expert citizens.
    council = Rule(1, ROLE_COUNT, 13, roles=frozenset({"chair", "deputy_chair", "member"}), label="Gemeinderat")
    experts = Rule(2, ROLE_COUNT, 12, roles=frozenset({"expert_citizen"}), label="Sachkundige")
    seats = [seat(1, "chair")] + [seat(i) for i in range(2, 12)] + [seat(i, "expert_citizen") for i in range(20, 29)]
    seats.append(seat(99, "guest"))
    result = evaluate([council, experts], seats, DAY)
    (c,), (e,) = result.rules[0].lines, result.rules[1].lines
    assert (c.label, c.required, c.filled, c.missing) == ("Gemeinderat", 13, 11, 2)
    assert (e.required, e.filled, e.missing) == (12, 9, 3)
    assert (result.required, result.filled, result.missing, result.ok) == (25, 20, 5, False)


def test_it_gives_every_active_faction_exactly_one_seat_and_reports_surplus():
    rule = Rule(1, EACH_FACTION, 1, exact=True)
    seats = [seat(1, faction=1), seat(2, faction=1), seat(3, faction=3)]  # two CDU, Greens no longer active
    result = evaluate_rule(rule, seats, DAY, factions=[CDU, SPD, GREEN])
    lines = {line.label: line for line in result.lines}
    assert set(lines) == {"CDU", "SPD"}
    assert (lines["CDU"].filled, lines["CDU"].surplus, lines["CDU"].ok) == (2, 1, False)
    assert (lines["SPD"].filled, lines["SPD"].missing) == (0, 1)
    # The CDU's second person is not a filled seat: 1 of 2 seats filled, 1 missing.
    assert (result.required, result.filled, result.missing, result.ok) == (2, 1, 1, False)


def test_at_least_rules_never_report_surplus():
    rule = Rule(1, EACH_GROUP, 1, exact=False, group_ids=frozenset({10, 11}))
    seats = [seat(1, group=11), seat(2, group=11), seat(3, group=12)]
    result = evaluate_rule(rule, seats, DAY, groups=[PUPILS, PARENTS, TEACHERS])
    assert [(line.label, line.filled, line.missing, line.surplus) for line in result.lines] == [
        ("Kreisschülerrat", 0, 1, 0), ("Eltern", 2, 0, 0),
    ]  # fmt: skip
    assert result.missing == 1


def test_a_group_rule_without_groups_means_every_group():
    rule = Rule(1, EACH_GROUP, 2, exact=False)
    result = evaluate_rule(rule, [seat(1, group=10)], DAY, groups=[PUPILS, PARENTS])
    assert [(line.label, line.required, line.filled, line.missing) for line in result.lines] == [
        ("Kreisschülerrat", 2, 1, 1), ("Eltern", 2, 0, 2),
    ]  # fmt: skip


@pytest.mark.parametrize(("day", "filled"), [
    (date(2024, 12, 31), 1),  # only person 1 (ends this day)
    (date(2025, 1, 1), 1),  # person 2 starts, person 1 has left
    (date(2025, 6, 30), 2),  # person 2 and person 3 (starts this day)
    (date(2025, 7, 1), 1),  # person 2 only; person 3 ended the day before
])  # fmt: skip
def test_it_counts_only_memberships_current_on_the_day(day, filled):
    rule = Rule(1, ROLE_COUNT, 3, roles=frozenset({"member"}))
    seats = [seat(1, end=date(2024, 12, 31)), seat(2, start=date(2025, 1, 1)),
             seat(3, start=date(2025, 6, 30), end=date(2025, 6, 30))]  # fmt: skip
    assert evaluate([rule], seats, day).filled == filled


def test_a_person_counts_once_per_line_and_default_roles_leave_out_guests_and_deputies():
    rule = Rule(1, EACH_FACTION, 1)
    seats = [seat(1, "member", faction=1), seat(1, "chair", faction=1), seat(2, "deputy", faction=2),
             seat(3, "guest", faction=2)]  # fmt: skip
    lines = evaluate_rule(rule, seats, DAY, factions=[CDU, SPD]).lines
    assert [(line.label, line.filled, line.holders) for line in lines] == [("CDU", 1, ("Person 1",)), ("SPD", 0, ())]


def test_a_body_without_rules_is_complete():
    result = evaluate([], [seat(1)], DAY)
    assert (result.required, result.missing, result.ok) == (0, 0, True)


def test_missing_lines_name_each_open_seat():
    rules = [Rule(1, EACH_GROUP, 1, exact=False), Rule(2, EACH_FACTION, 1)]
    result = evaluate(rules, [seat(1, group=11, faction=1)], DAY, factions=[CDU, SPD], groups=[PUPILS, PARENTS])
    assert [(line.label, line.missing) for line in result.missing_lines()] == [("Kreisschülerrat", 1), ("SPD", 1)]


def test_an_unknown_rule_kind_is_an_error():
    with pytest.raises(ValueError):
        evaluate([Rule(1, "majority", 1)], [], DAY)
