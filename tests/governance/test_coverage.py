"""Coverage by digital pilots, computed by hand."""

from decimal import Decimal

from stadtlotse.governance.coverage import DepartmentRef, PilotRef, pilot_coverage

MAIN, DIGITAL, FINANCE = DepartmentRef(1, "10", "Hauptamt"), DepartmentRef(2, "12", "Digitalisierung"), DepartmentRef(
    3, "20", "Kämmerei")  # fmt: skip
CITIZENS, SCHOOLS, PLANNING = DepartmentRef(4, "32", "Bürgeramt"), DepartmentRef(5, "40", "Schulen"), DepartmentRef(
    6, "61", "Stadtplanung")  # fmt: skip
ALL = [MAIN, DIGITAL, FINANCE, CITIZENS, SCHOOLS, PLANNING]


def test_only_trained_active_pilots_cover_their_department():
    pilots = [
        PilotRef(1, "trained", "active"),
        PilotRef(1, "trained", "active"),  # a second pilot adds nothing
        PilotRef(2, "trained", "active"),
        PilotRef(3, "in_training", "active"),  # not yet trained
        PilotRef(4, "trained", "inactive"),  # left the role
        PilotRef(5, "planned", "active"),
        PilotRef(5, "trained", "active"),  # one trained pilot is enough
    ]
    coverage = pilot_coverage(ALL, pilots)
    assert coverage.covered == (MAIN, DIGITAL, SCHOOLS)
    assert coverage.uncovered == (FINANCE, CITIZENS, PLANNING)
    # 3 of 6 = 50.0 %
    assert (coverage.total, coverage.percent, coverage.complete) == (6, Decimal("50.0"), False)


def test_five_of_six_rounds_to_one_decimal():
    pilots = [PilotRef(d.id, "trained", "active") for d in ALL[:5]]
    coverage = pilot_coverage(ALL, pilots)
    # 5 / 6 = 83.333… % → 83.3 %
    assert coverage.percent == Decimal("83.3")
    assert [str(d) for d in coverage.uncovered] == ["61 Stadtplanung"]


def test_two_of_three_rounds_half_up():
    coverage = pilot_coverage([MAIN, DIGITAL, FINANCE], [PilotRef(1, "trained", "active"),
                                                        PilotRef(2, "trained", "active")])  # fmt: skip
    assert coverage.percent == Decimal("66.7")  # 66.666… %


def test_every_department_covered_is_complete():
    coverage = pilot_coverage([MAIN], [PilotRef(1, "trained", "active")])
    assert (coverage.percent, coverage.complete, coverage.uncovered) == (Decimal("100.0"), True, ())


def test_pilots_of_unknown_departments_are_ignored_and_none_means_zero():
    coverage = pilot_coverage([MAIN, DIGITAL], [PilotRef(99, "trained", "active")])
    assert (len(coverage.covered), coverage.percent) == (0, Decimal("0.0"))


def test_a_municipality_without_departments_has_nothing_left_to_cover():
    coverage = pilot_coverage([], [])
    assert (coverage.total, coverage.percent, coverage.complete) == (0, Decimal("100.0"), True)
