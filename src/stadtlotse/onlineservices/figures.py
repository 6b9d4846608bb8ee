"""The figures of the online services, as pure functions over plain data (no ORM inside).

- maturity: the OZG maturity models 1.1 (levels 0–4, ten criteria) and 2.0 (levels 0–7,
  thirteen criteria); the weakest criterion sets a service's level; level 3 and up counts as
  OZG-compliant (for model 2.0 we read level 3, the complete online application, the same way);
- usage: online share of transactions and its trend between periods;
- the overview: share of services per level, by group and on dates; the biggest levers;
- internal processes: each department's state on a date and the rollout over time.

Shares are ``Decimal`` percentages rounded half up to one decimal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MODEL_1_1 = "1.1"
MODEL_2_0 = "2.0"
PAPER, HYBRID, DIGITAL = "paper", "hybrid", "digital"
STATES = (PAPER, HYBRID, DIGITAL)
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Criterion:
    key: str
    label: object  # lazy translation


@dataclass(frozen=True)
class ModelSpec:
    key: str
    max_level: int
    compliant_level: int
    criteria: tuple[Criterion, ...]
    levels: tuple[object, ...]  # one definition per level, lazy translations

    @property
    def level_range(self) -> range:
        return range(0, self.max_level + 1)


# Our own wording of the criteria and levels; the official texts are the BMI's documents.
MODELS: dict[str, ModelSpec] = {
    MODEL_1_1: ModelSpec(
        MODEL_1_1, 4, 3,
        tuple(Criterion(k, label) for k, label in (
            ("information", gettext_lazy("Information about the service")),
            ("form", gettext_lazy("Application form")),
            ("identification", gettext_lazy("Identification of the applicant")),
            ("evidence", gettext_lazy("Supporting documents")),
            ("submission", gettext_lazy("Sending the application")),
            ("payment", gettext_lazy("Payment of fees")),
            ("notification", gettext_lazy("Notice and reply channel")),
            ("status", gettext_lazy("Status information")),
            ("once_only", gettext_lazy("Data already held by the administration (once only)")),
            ("usability", gettext_lazy("Ease of use and accessibility")),
        )),
        (
            gettext_lazy("Offline: the service can only be used in person, by post or by phone."),
            gettext_lazy("Information: what the service is, what it needs and where to go is online."),
            gettext_lazy("Form: the application form can be filled in online, but is still sent on paper."),
            gettext_lazy("Online application: the application and its documents are sent online; "
                         "this level counts as OZG-compliant."),
            gettext_lazy("Online transaction: the whole service runs online, the notice included; documents "
                         "the administration holds already are not asked for again (once only)."),
        ),
    ),
    MODEL_2_0: ModelSpec(
        MODEL_2_0, 7, 3,
        tuple(Criterion(k, label) for k, label in (
            ("information", gettext_lazy("Information about the service")),
            ("findability", gettext_lazy("Findable through the portal network")),
            ("form", gettext_lazy("Online application form")),
            ("identification", gettext_lazy("Identification with the federal accounts")),
            ("evidence", gettext_lazy("Supporting documents sent electronically")),
            ("payment", gettext_lazy("Online payment")),
            ("notification", gettext_lazy("Electronic notice to the mailbox")),
            ("status", gettext_lazy("Status monitor")),
            ("backoffice", gettext_lazy("Hand-over to the back-office system without re-typing")),
            ("efile", gettext_lazy("Processing in the electronic file")),
            ("registers", gettext_lazy("Documents fetched from registers (once only)")),
            ("automation", gettext_lazy("Automated processing steps")),
            ("end_to_end", gettext_lazy("End-to-end digital, the archive included")),
        )),
        (
            gettext_lazy("Offline: no online offer."),
            gettext_lazy("Information: the service is described online."),
            gettext_lazy("Form: an online form exists, the result still travels on paper."),
            gettext_lazy("Online application: the application is sent online with its documents "
                         "(the front end is complete)."),
            gettext_lazy("Back-office hand-over: the application reaches the back-office system "
                         "without being typed again."),
            gettext_lazy("Process-oriented: the case is worked in the electronic file."),
            gettext_lazy("Data-centred: documents come from registers instead of from the applicant."),
            gettext_lazy("End to end: the service runs digitally from application to archive."),
        ),
    ),
}  # fmt: skip


def level_range_message(spec: ModelSpec) -> str:
    return _("Model %(model)s has levels from 0 to %(max)s.") % {"model": spec.key, "max": spec.max_level}


def spec_for(model: str) -> ModelSpec:
    try:
        return MODELS[model]
    except KeyError:
        raise ValidationError(_("Unknown maturity model “%(model)s”.") % {"model": model}) from None


def check_level(model: str, level: int) -> int:
    """The level if it lies within the model's range, else a translated ValidationError."""
    spec = spec_for(model)
    if not isinstance(level, int) or isinstance(level, bool) or level not in spec.level_range:
        raise ValidationError({"level": level_range_message(spec)})
    return level


def maturity_from_criteria(model: str, criteria: dict[str, int]) -> int:
    """The level of a service: the lowest level its criteria reach (the weakest one decides).

    Every criterion of the model must be rated, each within the model's range.
    """
    spec = spec_for(model)
    keys = [c.key for c in spec.criteria]
    unknown = sorted(set(criteria) - set(keys))
    if unknown:
        raise ValidationError(_("Unknown criteria: %(keys)s") % {"keys": ", ".join(unknown)})
    missing = [str(c.label) for c in spec.criteria if c.key not in criteria]
    if missing:
        raise ValidationError(_("Rate every criterion; missing: %(names)s") % {"names": ", ".join(missing)})
    for key in keys:
        check_level(model, criteria[key])
    return min(criteria[key] for key in keys)


def is_compliant(model: str, level: int) -> bool:
    spec = MODELS.get(model)
    return bool(spec) and level >= spec.compliant_level


def level_definition(model: str, level: int) -> str:
    spec = MODELS.get(model)
    if not spec or level not in spec.level_range:
        return ""
    return str(spec.levels[level])


def percent(part: int, whole: int) -> Decimal | None:
    """part/whole in percent, one decimal, rounded half up; None when whole is 0."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


# Usage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UsagePoint:
    service_id: int
    period: date
    online: int
    offline: int

    @property
    def total(self) -> int:
        return self.online + self.offline

    @property
    def online_share(self) -> Decimal | None:
        return percent(self.online, self.total)


@dataclass(frozen=True)
class Trend:
    """The online share of the latest and of the previous period and the change between them
    in percentage points; ``direction`` is "up", "down", "flat" or "" (fewer than two periods)."""

    latest: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    direction: str


def online_share(points: Iterable[UsagePoint]) -> Decimal | None:
    """Share of online transactions over all given periods (sum online / sum of all)."""
    points = list(points)
    return percent(sum(p.online for p in points), sum(p.total for p in points))


def trend(points: Iterable[UsagePoint]) -> Trend:
    """Change of the online share from the second-latest to the latest period with transactions."""
    shares = [(p.period, p.online_share) for p in sorted(points, key=lambda p: p.period)]
    shares = [s for _period, s in shares if s is not None]
    if not shares:
        return Trend(None, None, None, "")
    if len(shares) == 1:
        return Trend(shares[-1], None, None, "")
    latest, previous = shares[-1], shares[-2]
    change = latest - previous
    direction = "up" if change > 0 else "down" if change < 0 else "flat"
    return Trend(latest, previous, change, direction)


def check_usage(online: int, offline: int) -> None:
    """Refuse negative or non-integer transaction counts with a translated message."""
    errors = {}
    for name, value in (("online", online), ("offline", offline)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[name] = _("The number of transactions must be a whole number of 0 or more.")
    if errors:
        raise ValidationError(errors)


# Overview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceFacts:
    service_id: int
    name: str
    model: str
    level: int
    subject_area: str = ""
    department: str = ""
    online_offer: bool = False


@dataclass
class Distribution:
    """How many services sit on each level (by one model) and the share of each level."""

    model: str
    total: int
    counts: dict[int, int]
    shares: dict[int, Decimal | None]
    compliant: int
    compliant_share: Decimal | None
    other_model: int = 0  # services assessed by the other model, not counted here

    @property
    def rows(self) -> list[tuple[int, int, Decimal | None]]:
        return [(level, self.counts[level], self.shares[level]) for level in sorted(self.counts)]


def distribution(facts: Iterable[ServiceFacts], model: str = MODEL_1_1) -> Distribution:
    """Share of services per level of ``model``; services assessed by another model are only
    counted in ``other_model``. OZG-compliant: level ≥ the model's compliant level."""
    spec = spec_for(model)
    facts = list(facts)
    mine = [f for f in facts if f.model == model]
    counts = Counter(f.level for f in mine)
    total = len(mine)
    compliant = sum(1 for f in mine if f.level >= spec.compliant_level)
    return Distribution(
        model, total, {lvl: counts.get(lvl, 0) for lvl in spec.level_range},
        {lvl: percent(counts.get(lvl, 0), total) for lvl in spec.level_range},
        compliant, percent(compliant, total), len(facts) - total,
    )  # fmt: skip


def distribution_by(
    facts: Iterable[ServiceFacts], group: str, model: str = MODEL_1_1
) -> list[tuple[str, Distribution]]:
    """One distribution per value of ``group`` ("subject_area" or "department"), by name;
    services without a value form the group ""."""
    groups: dict[str, list[ServiceFacts]] = defaultdict(list)
    for f in facts:
        groups[getattr(f, group)].append(f)
    return [
        (name, distribution(items, model))
        for name, items in sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]


@dataclass(frozen=True)
class AssessmentFact:
    service_id: int
    assessed_on: date
    model: str
    level: int
    order: int = 0  # tie-breaker for two assessments on one day (the later one wins)


def levels_on(assessments: Iterable[AssessmentFact], day: date) -> dict[int, AssessmentFact]:
    """Each service's latest assessment on or before ``day``."""
    latest: dict[int, AssessmentFact] = {}
    for a in assessments:
        if a.assessed_on > day:
            continue
        known = latest.get(a.service_id)
        if known is None or (a.assessed_on, a.order) > (known.assessed_on, known.order):
            latest[a.service_id] = a
    return latest


def distribution_over_time(
    assessments: Sequence[AssessmentFact], days: Iterable[date], model: str = MODEL_1_1
) -> list[tuple[date, Distribution]]:
    """The distribution on each date, from the assessments known then (services not yet
    assessed on a date are not counted on it)."""
    result = []
    for day in days:
        facts = [ServiceFacts(a.service_id, "", a.model, a.level) for a in levels_on(assessments, day).values()]
        result.append((day, distribution(facts, model)))
    return result


def year_ends(first: date, last: date) -> list[date]:
    """31 December of every year from ``first`` to ``last``, then ``last`` itself."""
    days = [date(year, 12, 31) for year in range(first.year, last.year)]
    return days + [last]


def twelve_months_until(latest: date) -> date:
    """The first day of the twelve-month window that ends with the month of ``latest``."""
    year, month = latest.year, latest.month - 11
    if month <= 0:
        year, month = year - 1, month + 12
    return date(year, month, 1)


@dataclass(frozen=True)
class Lever:
    service_id: int
    name: str
    offline: int
    online: int


def levers(
    facts: Iterable[ServiceFacts], usage: Iterable[UsagePoint], since: date | None = None, limit: int = 10
) -> list[Lever]:
    """The biggest levers: services without an online offer, by offline transactions (since
    ``since``, inclusive) in descending order; ties by name. Services with no offline
    transactions are no lever."""
    offline: Counter[int] = Counter()
    online: Counter[int] = Counter()
    for p in usage:
        if since is None or p.period >= since:
            offline[p.service_id] += p.offline
            online[p.service_id] += p.online
    rows = [Lever(f.service_id, f.name, offline[f.service_id], online[f.service_id])
            for f in facts if not f.online_offer and offline[f.service_id] > 0]  # fmt: skip
    rows.sort(key=lambda r: (-r.offline, r.name))
    return rows[:limit]


# Internal processes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    department_id: int
    since: date
    state: str


def state_on(steps: Iterable[Step], department_id: int, day: date) -> str:
    """A department's state on ``day``: that of its latest step on or before it; paper before
    its first step."""
    found = PAPER
    found_since: date | None = None
    for s in steps:
        if s.department_id == department_id and s.since <= day and (found_since is None or s.since >= found_since):
            found, found_since = s.state, s.since
    return found


@dataclass
class RolloutCount:
    day: date
    counts: dict[str, int] = field(default_factory=dict)
    digital_share: Decimal | None = None


def rollout_on(steps: Sequence[Step], department_ids: Iterable[int], day: date) -> RolloutCount:
    """How many of the departments work paper, hybrid or digital on ``day``, and the share digital."""
    department_ids = list(department_ids)
    counts = Counter(state_on(steps, d, day) for d in department_ids)
    return RolloutCount(
        day, {s: counts.get(s, 0) for s in STATES}, percent(counts.get(DIGITAL, 0), len(department_ids))
    )


def rollout_over_time(steps: Sequence[Step], department_ids: Iterable[int], days: Iterable[date]) -> list[RolloutCount]:
    department_ids = list(department_ids)
    return [rollout_on(steps, department_ids, day) for day in days]


@dataclass(frozen=True)
class Segment:
    start: date
    end: date  # exclusive
    state: str


def segments(steps: Iterable[Step], department_id: int, first: date, last: date) -> list[Segment]:
    """A department's states as consecutive segments between ``first`` and ``last``."""
    mine = sorted((s for s in steps if s.department_id == department_id), key=lambda s: s.since)
    result: list[Segment] = []
    cursor, state = first, state_on(mine, department_id, first)
    for s in mine:
        if s.since <= first or s.since >= last:
            continue
        if s.state != state:
            result.append(Segment(cursor, s.since, state))
            cursor, state = s.since, s.state
    result.append(Segment(cursor, last, state))
    return result
