"""Progress of indicators, goals and fields of action: pure functions, no ORM.

Progress is the share of the way from baseline to target that the latest measured value has
covered, clamped to 0–100 %. It is honest in both directions: for "lower is better" the way
runs downwards. The expected progress on a date grows linearly from 0 % on the baseline date
to 100 % on the target date; a value at least as far as expected is on track, one within the
tolerance behind it at risk, anything further behind off track. Past the target date an
unreached indicator is off track.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
DEFAULT_TOLERANCE = Decimal(10)  # percentage points behind the expected progress that count as "at risk"


class Track(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


# Worst first: a roll-up takes the worst status of its parts.
SEVERITY = [Track.OFF_TRACK, Track.AT_RISK, Track.NO_DATA, Track.ON_TRACK, Track.ACHIEVED]


@dataclass(frozen=True)
class Reading:
    on: date
    value: Decimal


@dataclass(frozen=True)
class IndicatorSpec:
    baseline_value: Decimal
    baseline_date: date
    target_value: Decimal
    target_date: date
    higher_is_better: bool = True


@dataclass(frozen=True)
class IndicatorProgress:
    latest: Reading | None
    percent: Decimal | None  # 0..100, None without a reading
    expected_percent: Decimal | None
    track: Track
    overdue: bool


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)



def _clamp(value: Decimal) -> Decimal:
    return max(Decimal(0), min(HUNDRED, value))


def percent_reached(spec: IndicatorSpec, value: Decimal) -> Decimal:
    """Share of the way from baseline to target covered by ``value``, 0–100.

    With a target equal to the baseline (which validation refuses, but old data may hold)
    the target is reached when the value is at least as good as it, in the indicator's direction.
    """
    span = spec.target_value - spec.baseline_value
    if span == 0:
        reached = value >= spec.target_value if spec.higher_is_better else value <= spec.target_value
        return HUNDRED if reached else Decimal(0)
    raw = _clamp((value - spec.baseline_value) / span * HUNDRED)
    # Only a reached target shows as 100 %; 99.96 % is shown as 99.9 %, not rounded up.
    return min(_q(raw), Decimal("99.9")) if raw < HUNDRED else HUNDRED


def expected_percent(spec: IndicatorSpec, on: date) -> Decimal:
    """Linear expectation: 0 % on the baseline date, 100 % on the target date."""
    total = (spec.target_date - spec.baseline_date).days
    if total <= 0:
        return HUNDRED if on >= spec.target_date else Decimal(0)
    return _q(_clamp(Decimal((on - spec.baseline_date).days) / Decimal(total) * HUNDRED))


def indicator_progress(
    spec: IndicatorSpec, readings: Iterable[Reading], today: date, tolerance: Decimal = DEFAULT_TOLERANCE
) -> IndicatorProgress:
    """Progress and track of one indicator from its readings (any order)."""
    latest = max(readings, key=lambda r: r.on, default=None)
    overdue_date = today > spec.target_date
    if latest is None:
        return IndicatorProgress(None, None, None, Track.OFF_TRACK if overdue_date else Track.NO_DATA, overdue_date)
    percent = percent_reached(spec, latest.value)
    expected = expected_percent(spec, latest.on)
    if percent >= HUNDRED:
        track = Track.ACHIEVED
    elif overdue_date:
        track = Track.OFF_TRACK
    elif percent >= expected:
        track = Track.ON_TRACK
    elif percent >= expected - tolerance:
        track = Track.AT_RISK
    else:
        track = Track.OFF_TRACK
    return IndicatorProgress(latest, percent, expected, track, overdue_date and percent < HUNDRED)


@dataclass(frozen=True)
class RollUp:
    percent: Decimal | None
    track: Track
    parts: int
    parts_with_data: int


def roll_up(parts: Sequence[tuple[Decimal | None, Track]]) -> RollUp:
    """Mean progress of the parts that have data; the worst track of all parts."""
    with_data = [percent for percent, _track in parts if percent is not None]
    percent = _q(sum(with_data, Decimal(0)) / len(with_data)) if with_data else None
    tracks = [track for _percent, track in parts]
    track = min(tracks, key=SEVERITY.index) if tracks else Track.NO_DATA
    return RollUp(percent, track, len(parts), len(with_data))


def goal_overdue(target_date: date | None, achieved: bool, today: date) -> bool:
    """A goal past its target date and not reached."""
    return target_date is not None and today > target_date and not achieved
