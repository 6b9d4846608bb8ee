"""Writes of the finance app. Amounts are Decimal EUR; every write is validated and audited."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stadtlotse.core.models import Municipality, User
from stadtlotse.core.services import apply_changes, require, save_audited
from stadtlotse.portfolio.models import Project

from .models import BudgetAmount, BudgetLine, CostItem, DiscountRate, Grant, HourlyRate, Saving

COST_FIELDS = {"kind", "category", "description", "amount_eur", "first_year", "last_year", "yearly_increase_percent",
               "budget_line", "cash"}  # fmt: skip
SAVING_FIELDS = {"kind", "description", "amount_eur", "first_year", "last_year", "fte", "cash", "cases_per_year",
                 "minutes_saved_per_case", "hourly_rate_eur"}  # fmt: skip
GRANT_FIELDS = {"programme", "name", "status", "requested_eur", "approved_eur", "rate_percent", "eligible_kinds",
                "first_year", "last_year"}  # fmt: skip
FTE_HOURS_PER_YEAR = Decimal(1600)  # net working hours of one full-time equivalent (KGSt order of magnitude)


def _check_budget_line(obj) -> None:
    line = getattr(obj, "budget_line", None)
    if line is not None and line.municipality_id != obj.municipality_id:
        raise ValidationError({"budget_line": _("The budget line belongs to another municipality.")})


def add_cost_item(*, project: Project, by: User | None, **values) -> CostItem:
    """A cost of a project (one-off when first and last year are equal)."""
    require(by, "finance.change_project_finance", project)
    item = CostItem(municipality_id=project.municipality_id, project=project)
    apply_changes(item, values, COST_FIELDS)
    _check_budget_line(item)
    save_audited(item, by)
    return item


def update_cost_item(*, item: CostItem, by: User | None, **changes) -> CostItem:
    require(by, "finance.change_project_finance", item.project)
    apply_changes(item, changes, COST_FIELDS)
    _check_budget_line(item)
    save_audited(item, by)
    return item


def delete_item(*, item, by: User | None) -> None:
    """Delete a cost item, saving or grant (kept in the audit trail)."""
    require(by, "finance.change_project_finance", item.project)
    item._history_user = by
    item.delete()


def savings_proposal(cases_per_year: int, minutes_saved: Decimal, eur_per_hour: Decimal) -> tuple[Decimal, Decimal]:
    """The savings calculator: (EUR per year, full-time equivalents) for a digitized process.

    hours = cases × minutes / 60; saving = hours × cost per hour; FTE = hours / 1,600.
    """
    if cases_per_year < 0 or minutes_saved < 0 or eur_per_hour < 0:
        raise ValidationError(_("Cases, minutes and the hourly rate must not be negative."))
    hours = Decimal(cases_per_year) * Decimal(minutes_saved) / Decimal(60)
    amount = (hours * Decimal(eur_per_hour)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    fte = (hours / FTE_HOURS_PER_YEAR).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return amount, fte


def add_saving(*, project: Project, by: User | None, **values) -> Saving:
    """An expected saving; with calculator inputs and no amount, the calculator proposes it."""
    require(by, "finance.change_project_finance", project)
    saving = Saving(municipality_id=project.municipality_id, project=project)
    calculator = [values.get(k) for k in ("cases_per_year", "minutes_saved_per_case", "hourly_rate_eur")]
    if values.get("amount_eur") is None and all(v is not None for v in calculator):
        values["amount_eur"], values["fte"] = savings_proposal(*calculator)
    if values.get("amount_eur") is None:
        raise ValidationError({"amount_eur": _("Give the amount, or the cases, minutes and hourly rate.")})
    apply_changes(saving, values, SAVING_FIELDS)
    save_audited(saving, by)
    return saving


def update_saving(*, saving: Saving, by: User | None, **changes) -> Saving:
    require(by, "finance.change_project_finance", saving.project)
    apply_changes(saving, changes, SAVING_FIELDS)
    save_audited(saving, by)
    return saving


def _check_grant(grant: Grant) -> None:
    project = grant.project
    if project.planned_start and project.planned_end and grant.first_year and grant.last_year:
        if grant.first_year < project.planned_start.year or grant.last_year > project.planned_end.year:
            raise ValidationError({"last_year": _(
                "The grant covers years outside the project (%(start)s–%(end)s)."
            ) % {"start": project.planned_start.year, "end": project.planned_end.year}})  # fmt: skip
    programme = grant.programme
    if programme and programme.period_start and grant.first_year and grant.first_year < programme.period_start:
        raise ValidationError(
            {"first_year": _("The programme funds from %(year)s on.") % {"year": programme.period_start}}
        )
    if programme and programme.period_end and grant.last_year and grant.last_year > programme.period_end:
        raise ValidationError({"last_year": _("The programme funds until %(year)s.") % {"year": programme.period_end}})


def add_grant(*, project: Project, by: User | None, **values) -> Grant:
    """A grant for a project, planned, applied for or approved."""
    require(by, "finance.change_project_finance", project)
    grant = Grant(municipality_id=project.municipality_id, project=project)
    apply_changes(grant, values, GRANT_FIELDS)
    grant.full_clean()
    _check_grant(grant)
    save_audited(grant, by)
    return grant


def update_grant(*, grant: Grant, by: User | None, **changes) -> Grant:
    require(by, "finance.change_project_finance", grant.project)
    apply_changes(grant, changes, GRANT_FIELDS)
    grant.full_clean()
    _check_grant(grant)
    save_audited(grant, by)
    return grant


@transaction.atomic
def save_budget_line(
    *, municipality: Municipality, by: User | None, code: str, name: str, amounts: dict[int, Decimal],
    projects: list[Project] = (), line: BudgetLine | None = None,
) -> BudgetLine:  # fmt: skip
    """Create or change a budget line with its amounts per year and its projects."""
    require(by, "finance.manage_budget", municipality)
    if any(p.municipality_id != municipality.pk for p in projects):
        raise ValidationError({"projects": _("A project belongs to another municipality.")})
    if any(a is not None and a < 0 for a in amounts.values()):
        raise ValidationError({"amounts": _("Budgeted amounts must not be negative.")})
    line = line or BudgetLine(municipality=municipality)
    line.code, line.name = code, name
    save_audited(line, by)
    line.projects.set(projects)
    existing = {a.year: a for a in BudgetAmount.objects.filter(budget_line=line)}
    for year, amount in amounts.items():
        row = existing.get(year) or BudgetAmount(municipality=municipality, budget_line=line, year=year)
        if amount is None:
            if row.pk:
                row._history_user = by
                row.delete()
            continue
        row.amount_eur = amount
        save_audited(row, by)
    return line


def set_discount_rate(*, municipality: Municipality, by: User | None, valid_from: date, rate_percent: Decimal,
                      source: str = "") -> DiscountRate:  # fmt: skip
    require(by, "finance.manage_budget", municipality)
    rate = DiscountRate.objects.filter(municipality=municipality, valid_from=valid_from).first() or DiscountRate(
        municipality=municipality, valid_from=valid_from
    )
    rate.rate_percent, rate.source = rate_percent, source
    save_audited(rate, by)
    return rate


def set_hourly_rate(*, municipality: Municipality, by: User | None, label: str, eur_per_hour: Decimal,
                    source: str = "") -> HourlyRate:  # fmt: skip
    require(by, "finance.manage_budget", municipality)
    rate = HourlyRate.objects.filter(municipality=municipality, label=label).first() or HourlyRate(
        municipality=municipality, label=label
    )
    rate.eur_per_hour, rate.source = eur_per_hour, source
    save_audited(rate, by)
    return rate
