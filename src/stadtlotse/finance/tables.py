"""The medium-term view as tables the finance department takes into its budget: the investment
programme (investment payments, grants towards them, own share) and the running costs
(operating and personnel expenses, grants towards them, savings, balance), per project and year,
with totals. Built from the per-project plans; the same rows serve the page and the exports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .plan import RUNNING_KINDS, ZERO, Plan, Year


@dataclass
class Line:
    label: str
    values: list[Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.values, ZERO)


@dataclass
class Block:
    """The lines of one project (or of the total) in one table."""

    project_id: int | None
    title: str
    budget_lines: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


@dataclass
class Table:
    key: str
    title: str
    years: list[int]
    blocks: list[Block]


Figure = Callable[[Year], Decimal]

INVESTMENT: list[tuple[str, Figure]] = [
    (_("Payments for investment"), lambda y: y.costs["investment"]),
    (_("Grants towards investment"), lambda y: y.grants_by_kind["investment"]),
    (_("Own share"), lambda y: y.own_share_of(["investment"])),
]
RUNNING: list[tuple[str, Figure]] = [
    (_("Operating and personnel expenses"), lambda y: y.running),
    (_("Grants towards running costs"), lambda y: y.running_grants),
    (_("Savings"), lambda y: y.savings),
    (_("Balance (own share − savings)"), lambda y: y.own_share_of(RUNNING_KINDS) - y.savings),
]


def _block(project_id, title, codes, plan: Plan, figures) -> Block:
    lines = [Line(str(label), [figure(y) for y in plan.years]) for label, figure in figures]
    return Block(project_id, title, codes, lines)


def _table(key, title, figures, relevant: Callable[[Plan], bool], total: Plan, by_project, titles, codes) -> Table:
    blocks = [
        _block(pid, titles[pid], codes.get(pid, []), p, figures)
        for pid, p in sorted(by_project.items(), key=lambda item: titles[item[0]])
        if relevant(p)
    ]
    blocks.append(_block(None, str(_("Total")), [], total, figures))
    return Table(key, str(title), [y.year for y in total.years], blocks)


def medium_term_tables(total: Plan, by_project: dict[int, Plan], titles: dict[int, str],
                       codes: dict[int, list[str]]) -> list[Table]:  # fmt: skip
    """The investment programme and the running costs of the projects with such costs in the window."""
    has_investment = lambda p: any(y.costs["investment"] for y in p.years)  # noqa: E731
    has_running = lambda p: any(y.running or y.savings for y in p.years)  # noqa: E731
    return [
        _table("investment", _("Investment programme"), INVESTMENT, has_investment, total, by_project, titles, codes),
        _table("running", _("Running costs and savings"), RUNNING, has_running, total, by_project, titles, codes),
    ]


def table_rows(tables: Iterable[Table]) -> list[list]:
    """All tables as flat rows for CSV and XLSX: table, project, budget lines, line, years…, total."""
    rows = []
    for table in tables:
        for block in table.blocks:
            for line in block.lines:
                rows.append([table.title, block.title, ", ".join(block.budget_lines), line.label, *line.values,
                             line.total])  # fmt: skip
    return rows
