"""API of the finance part: the financial plan, and the costs, savings and grants of a project.
Finance is internal planning data: only internal roles read it."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from stadtlotse.core import access
from stadtlotse.portfolio import selectors as portfolio

from . import plan, selectors, services
from .models import CostCategory, CostItem, CostKind, FundingProgramme, Grant, GrantStatus, Saving, SavingKind

router = Router(tags=["finance"])


class PlanQuery(Schema):
    from_: int | None = Field(None, alias="from", ge=1990, le=2100)
    to: int | None = Field(None, ge=1990, le=2100)
    scenario: str = "approved"
    project: list[int] = Field(default_factory=list)


def _s(value: Decimal) -> str:
    return f"{value:.2f}"


def _municipality(request, slug: str):
    municipality = access.get_municipality_or_404(slug)
    if not request.auth.has_perm("finance.view_finance", municipality):
        raise PermissionDenied("The financial plan is internal; sign in with a role of this municipality.")
    return municipality


@router.get("/{slug}/finance/plan", summary="The financial plan (years, cliffs, warnings; money as decimal strings)")
def get_plan(request, slug: str, query: Query[PlanQuery]):
    municipality = _municipality(request, slug)
    today = timezone.localdate()
    first = query.from_ or today.year
    last = query.to or first + municipality.medium_term_years - 1
    try:
        result = selectors.plan_for(request.auth, municipality, first_year=first, last_year=last,
                                    scenario=query.scenario, project_ids=query.project or None, on=today)  # fmt: skip
    except plan.PlanError as exc:
        raise ValidationError(str(exc)) from None
    if query.project and len(result.projects) != len(set(query.project)):
        raise Http404
    p = result.plan
    after_grants = p.uncovered_after_grants()
    return {
        "municipality": municipality.slug, "from": p.first_year, "to": p.last_year, "scenario": p.scenario,
        "discount_rate_percent": _s(p.discount_rate_percent), "projects": sorted(result.projects),
        "years": [{
            "year": y.year, **{f"cost_{k}": _s(v) for k, v in y.costs.items()}, "cost": _s(y.cost),
            "grants": _s(y.grants), "own_share": _s(y.own_share), "savings": _s(y.savings), "fte": _s(y.fte),
            "net_burden": _s(y.net_burden), "cash_costs": _s(y.cash_costs), "imputed_costs": _s(y.imputed_costs),
            "cash_savings": _s(y.cash_savings), "imputed_savings": _s(y.imputed_savings), "budget": _s(y.budget),
            "uncovered": _s(y.uncovered), "uncovered_after_grants": _s(after_grants[y.year]),
            "discounted": _s(y.discounted),
            "cumulative_cost": _s(y.cumulative_cost), "cumulative_grants": _s(y.cumulative_grants),
            "cumulative_own_share": _s(y.cumulative_own_share), "cumulative_savings": _s(y.cumulative_savings),
            "cumulative_net_burden": _s(y.cumulative_net_burden),
        } for y in p.years],
        "net_present_value": _s(p.net_present_value), "payback_year": p.payback_year,
        "cliffs": [{
            "project": c.project_id, "title": result.projects[c.project_id].title, "last_grant_year": c.last_grant_year,
            "year": c.year, "running_costs": _s(c.running_costs), "covered_by_savings": _s(c.covered_by_savings),
            "covered_by_budget": _s(c.covered_by_budget), "uncovered": _s(c.uncovered),
        } for c in p.cliffs],
        "warnings": [{"project": w.project_id, "grant": w.grant_id, "year": w.year, "cut": _s(w.cut),
                      "message": w.message} for w in p.warnings],
    }  # fmt: skip


class CostItemOut(Schema):
    id: int
    project_id: int
    kind: CostKind
    category: CostCategory
    description: str
    amount_eur: Decimal
    first_year: int
    last_year: int
    yearly_increase_percent: Decimal
    budget_line_id: int | None
    cash: bool


class CostItemIn(Schema):
    kind: CostKind
    category: CostCategory = CostCategory.OTHER
    description: str = Field("", max_length=200)
    amount_eur: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    first_year: int = Field(..., ge=1990, le=2100)
    last_year: int = Field(..., ge=1990, le=2100)
    yearly_increase_percent: Decimal = Field(Decimal(0), ge=-50, le=50)
    cash: bool = True


class SavingOut(Schema):
    id: int
    project_id: int
    kind: SavingKind
    description: str
    amount_eur: Decimal
    first_year: int
    last_year: int
    fte: Decimal
    cash: bool


class SavingIn(Schema):
    kind: SavingKind
    description: str = Field("", max_length=200)
    amount_eur: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    first_year: int = Field(..., ge=1990, le=2100)
    last_year: int = Field(..., ge=1990, le=2100)
    fte: Decimal = Field(Decimal(0), ge=0)
    cash: bool = True
    cases_per_year: int | None = Field(None, ge=0)
    minutes_saved_per_case: Decimal | None = Field(None, ge=0)
    hourly_rate_eur: Decimal | None = Field(None, ge=0)


class GrantOut(Schema):
    id: int
    project_id: int
    programme_id: int | None
    name: str
    status: GrantStatus
    requested_eur: Decimal | None
    approved_eur: Decimal | None
    rate_percent: Decimal | None
    eligible_kinds: str
    first_year: int
    last_year: int


class GrantIn(Schema):
    programme_id: int | None = None
    name: str = Field("", max_length=200)
    status: GrantStatus = GrantStatus.PLANNED
    requested_eur: Decimal | None = Field(None, ge=0)
    approved_eur: Decimal | None = Field(None, ge=0)
    rate_percent: Decimal | None = Field(None, ge=0, le=100)
    eligible_kinds: str = Field("", max_length=60)
    first_year: int = Field(..., ge=1990, le=2100)
    last_year: int = Field(..., ge=1990, le=2100)


class ProgrammeOut(Schema):
    id: int
    name: str
    provider: str
    level: str
    rate_percent: Decimal
    cap_eur: Decimal | None
    eligible_kinds: str
    deadline: date | None
    url: str
    is_example: bool


def _project(request, slug: str, pk: int):
    municipality = _municipality(request, slug)
    return portfolio.get_project_for_user(request.auth, municipality, pk)


@router.get("/{slug}/projects/{pk}/costs", response=list[CostItemOut], summary="Cost items of a project")
def list_costs(request, slug: str, pk: int):
    return CostItem.objects.filter(project=_project(request, slug, pk))


@router.post("/{slug}/projects/{pk}/costs", response={201: CostItemOut}, summary="Add a cost item")
def add_cost(request, slug: str, pk: int, payload: CostItemIn):
    return 201, services.add_cost_item(project=_project(request, slug, pk), by=request.auth, **payload.dict())


@router.get("/{slug}/projects/{pk}/savings", response=list[SavingOut], summary="Savings of a project")
def list_savings(request, slug: str, pk: int):
    return Saving.objects.filter(project=_project(request, slug, pk))


@router.post("/{slug}/projects/{pk}/savings", response={201: SavingOut}, summary="Add a saving (or compute it)")
def add_saving(request, slug: str, pk: int, payload: SavingIn):
    return 201, services.add_saving(project=_project(request, slug, pk), by=request.auth, **payload.dict())


@router.get("/{slug}/projects/{pk}/grants", response=list[GrantOut], summary="Grants of a project")
def list_grants(request, slug: str, pk: int):
    return Grant.objects.filter(project=_project(request, slug, pk))


@router.post("/{slug}/projects/{pk}/grants", response={201: GrantOut}, summary="Add a grant")
def add_grant(request, slug: str, pk: int, payload: GrantIn):
    data = payload.dict()
    programme_id = data.pop("programme_id")
    data["programme"] = FundingProgramme.objects.filter(pk=programme_id).first() if programme_id else None
    if programme_id and data["programme"] is None:
        raise Http404
    return 201, services.add_grant(project=_project(request, slug, pk), by=request.auth, **data)


@router.get("/funding-programmes", response=list[ProgrammeOut], summary="The shared catalogue of funding programmes")
def list_programmes(request):
    return FundingProgramme.objects.all()
