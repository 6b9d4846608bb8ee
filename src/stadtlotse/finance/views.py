"""Pages of the finance part (internal): the financial plan with chart and exports, the long-term
financing view (funding cliffs), a project's money, funding programmes, budget lines."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadtlotse.core.forms import KernFormMixin, option_tags
from stadtlotse.core.numbers import finite_decimal
from stadtlotse.core.views import apply_form, municipality_view
from stadtlotse.portfolio import selectors as portfolio

from . import charts, plan, selectors, services, tables
from .models import BudgetLine, CostItem, CostKind, DiscountRate, FundingProgramme, Grant, HourlyRate, Saving

SCENARIO_LABELS = {
    "approved": gettext_lazy("approved grants only"),
    "applied": gettext_lazy("approved and applied grants"),
    "planned": gettext_lazy("all grants, planned ones too"),
}


class PlanForm(KernFormMixin, forms.Form):
    start = forms.IntegerField(label=gettext_lazy("From year"), min_value=1990, max_value=2100)
    end = forms.IntegerField(label=gettext_lazy("To year"), min_value=1990, max_value=2100)
    scenario = forms.ChoiceField(label=gettext_lazy("Scenario"), choices=list(SCENARIO_LABELS.items()))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            try:
                plan.validate(data["start"], data["end"], data.get("scenario", "approved"), Decimal(0))
            except plan.PlanError:
                raise forms.ValidationError(_("Choose a horizon of 1 to 50 years that ends after it begins.")) from None
        return data


def _plan_request(request, municipality):
    today = timezone.localdate()
    initial = {"start": today.year, "end": today.year + municipality.medium_term_years - 1, "scenario": "approved"}
    form = PlanForm(request.GET or None, initial=initial)
    params = form.cleaned_data if form.is_bound and form.is_valid() else initial
    ids = [int(p) for p in request.GET.getlist("project") if p.isdigit()]
    result = selectors.plan_for(request.user, municipality, first_year=params["start"], last_year=params["end"],
                                scenario=params["scenario"], project_ids=ids or None, on=today)  # fmt: skip
    return form, result, ids


CLIFFS_PER_PAGE = 50


def _project_options(user, municipality, selected: list[int], result) -> str:
    """The choice of projects as <option> elements, built in one pass: a city has thousands. Without
    a choice made, the plan's projects are all the user may see, in the same order."""
    if selected:
        rows = portfolio.projects_visible_to(user, municipality).order_by("title").values_list("pk", "title")
    else:
        rows = result.projects.values()
    return option_tags(rows, selected)


@municipality_view(internal=True, perm="finance.view_finance")
def plan_page(request, municipality):
    form, result, ids = _plan_request(request, municipality)
    others = request.GET.copy()
    others.pop("page", None)
    context = {"form": form, "result": result, "plan": result.plan, "chart": charts.plan_chart(result.plan),
               "project_options": _project_options(request.user, municipality, ids, result),
               "query": others.urlencode(),
               "page": Paginator(result.plan.cliffs, CLIFFS_PER_PAGE).get_page(request.GET.get("page")),
               "page_query": others.urlencode(), "scenario_label": SCENARIO_LABELS[result.plan.scenario]}  # fmt: skip
    return render(request, "finance/plan.html", context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_COLUMNS = [
    ("year", gettext_lazy("Year")), ("cost_investment", gettext_lazy("Investment")),
    ("cost_operating", gettext_lazy("Operating")), ("cost_personnel", gettext_lazy("Personnel")),
    ("cost", gettext_lazy("Costs")), ("grants", gettext_lazy("Grants")), ("own_share", gettext_lazy("Own share")),
    ("savings", gettext_lazy("Savings")), ("net_burden", gettext_lazy("Net burden")),
    ("budget", gettext_lazy("Budgeted")), ("uncovered", gettext_lazy("Not covered by the budget")),
    ("cash_costs", gettext_lazy("Costs (cash)")), ("imputed_costs", gettext_lazy("Costs (imputed)")),
    ("discounted", gettext_lazy("Discounted (savings − own share)")),
    ("cumulative_own_share", gettext_lazy("Cumulative own share")),
    ("cumulative_savings", gettext_lazy("Cumulative savings")),
]  # fmt: skip


def export_rows(p: plan.Plan) -> list[list]:
    """The plan as rows of values (Decimal), the same for CSV and XLSX."""
    rows = []
    for y in p.years:
        values = {"year": y.year, "cost_investment": y.costs["investment"], "cost_operating": y.costs["operating"],
                  "cost_personnel": y.costs["personnel"], "cost": y.cost, "grants": y.grants, "own_share": y.own_share,
                  "savings": y.savings, "net_burden": y.net_burden, "budget": y.budget, "uncovered": y.uncovered,
                  "cash_costs": y.cash_costs, "imputed_costs": y.imputed_costs, "discounted": y.discounted,
                  "cumulative_own_share": y.cumulative_own_share,
                  "cumulative_savings": y.cumulative_savings}  # fmt: skip
        rows.append([values[key] for key, _label in EXPORT_COLUMNS])
    return rows


def _export(header: list[str], rows: list[list], name: str, fmt: str, title: str) -> HttpResponse:
    """Rows as CSV (semicolons, BOM, decimal point, for Excel and LibreOffice alike) or XLSX (values only)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerows([[f"{v:.2f}" if isinstance(v, Decimal) else v for v in row] for row in rows])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = title[:31]
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, Decimal | float):
                    cell.number_format = "#,##0.00"
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@municipality_view(internal=True, perm="finance.view_finance")
def plan_export(request, municipality, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, result, _ids = _plan_request(request, municipality)
    header = [str(label) for _key, label in EXPORT_COLUMNS]
    p = result.plan
    name = f"finanzplan-{municipality.slug}-{p.first_year}-{p.last_year}-{p.scenario}"
    return _export(header, export_rows(p), name, fmt, _("Financial plan"))


class MediumTermForm(KernFormMixin, forms.Form):
    start = forms.IntegerField(label=gettext_lazy("First year"), min_value=1990, max_value=2100)
    years = forms.IntegerField(label=gettext_lazy("Number of years"), min_value=1, max_value=15)
    scenario = forms.ChoiceField(label=gettext_lazy("Scenario"), choices=list(SCENARIO_LABELS.items()))


def _medium_term(request, municipality):
    today = timezone.localdate()
    initial = {"start": today.year + 1, "years": municipality.medium_term_years, "scenario": "approved"}
    form = MediumTermForm(request.GET or None, initial=initial)
    params = form.cleaned_data if form.is_bound and form.is_valid() else initial
    result = selectors.plan_for(request.user, municipality, first_year=params["start"],
                                last_year=params["start"] + params["years"] - 1, scenario=params["scenario"],
                                on=today, per_project=True)  # fmt: skip
    codes: dict[int, list[str]] = {}
    for project_id, code in (
        BudgetLine.projects.through.objects.filter(
            budgetline__municipality=municipality, project_id__in=list(result.projects)
        )
        .order_by("budgetline__code")
        .values_list("project_id", "budgetline__code")
    ):
        codes.setdefault(project_id, []).append(code)
    titles = {pk: p.title for pk, p in result.projects.items()}
    return form, result, tables.medium_term_tables(result.plan, result.by_project, titles, codes)


@municipality_view(internal=True, perm="finance.view_finance")
def medium_term(request, municipality):
    """The medium-term financial plan window and the investment programme, per project and year."""
    form, result, medium_tables = _medium_term(request, municipality)
    context = {"form": form, "plan": result.plan, "tables": medium_tables, "query": request.GET.urlencode(),
               "scenario_label": SCENARIO_LABELS[result.plan.scenario]}  # fmt: skip
    return render(request, "finance/medium_term.html", context)


@municipality_view(internal=True, perm="finance.view_finance")
def medium_term_export(request, municipality, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, result, medium_tables = _medium_term(request, municipality)
    p = result.plan
    header = [_("Table"), _("Project"), _("Budget lines"), _("Line"), *[str(y.year) for y in p.years], _("Total")]
    name = f"mittelfristig-{municipality.slug}-{p.first_year}-{p.last_year}-{p.scenario}"
    return _export([str(h) for h in header], tables.table_rows(medium_tables), name, fmt, _("Medium-term plan"))


@municipality_view(internal=True, perm="finance.view_finance")
def long_term(request, municipality):
    """The list the council asked for: every project with running costs after its grants end,
    how they are covered, and the uncovered total per year (15 years, applied grants counted)."""
    today = timezone.localdate()
    result = selectors.plan_for(request.user, municipality, first_year=today.year, last_year=today.year + 14,
                                scenario="applied", on=today)  # fmt: skip
    p = result.plan
    by_project: dict[int, dict[int, plan.Cliff]] = {}
    for cliff in p.after_grants:
        by_project.setdefault(cliff.project_id, {})[cliff.year] = cliff
    years = [y.year for y in p.years]
    rows = [
        {"project": result.projects[pid], "cells": [cells.get(year) for year in years],
         "uncovered": sum((c.uncovered for c in cells.values()), Decimal(0))}
        for pid, cells in sorted(by_project.items(), key=lambda item: result.projects[item[0]].title)
    ]  # fmt: skip
    totals = p.uncovered_after_grants()
    context = {"result": result, "plan": p, "years": years, "rows": rows,
               "totals": [totals[year] for year in years], "total": sum(totals.values(), Decimal(0))}  # fmt: skip
    return render(request, "finance/long_term.html", context)


class CostItemForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = CostItem
        fields = ["kind", "category", "description", "amount_eur", "first_year", "last_year",
                  "yearly_increase_percent", "budget_line", "cash"]  # fmt: skip

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(municipality=municipality)


class SavingForm(KernFormMixin, forms.ModelForm):
    pay_grade = forms.ModelChoiceField(
        label=gettext_lazy("Pay grade (hourly rate)"), queryset=HourlyRate.objects.none(), required=False,
        help_text=gettext_lazy("For the calculator, if no cost per hour is given."),
    )  # fmt: skip
    amount_eur = forms.DecimalField(label=gettext_lazy("amount per year (EUR)"), required=False, min_value=0,
                                    max_digits=14, decimal_places=2,
                                    help_text=gettext_lazy("Leave empty to let the calculator propose it."),
                                    )  # fmt: skip

    class Meta:
        model = Saving
        fields = ["kind", "description", "amount_eur", "first_year", "last_year", "fte", "cash", "cases_per_year",
                  "minutes_saved_per_case", "pay_grade", "hourly_rate_eur"]  # fmt: skip

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pay_grade"].queryset = HourlyRate.objects.filter(municipality=municipality)

    def clean(self):
        data = super().clean()
        grade = data.pop("pay_grade", None)
        if grade is not None and data.get("hourly_rate_eur") is None:
            data["hourly_rate_eur"] = grade.eur_per_hour
        return data


class GrantForm(KernFormMixin, forms.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Eligible cost kinds"), choices=CostKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=gettext_lazy("None ticked: the programme's kinds."),
    )  # fmt: skip

    def clean_eligible_kinds(self) -> str:
        return ",".join(self.cleaned_data.get("eligible_kinds") or [])

    class Meta:
        model = Grant
        fields = ["programme", "name", "status", "requested_eur", "approved_eur", "rate_percent", "eligible_kinds",
                  "first_year", "last_year"]  # fmt: skip


@municipality_view(internal=True, perm="finance.view_finance")
def project_finance(request, municipality, pk):
    project = portfolio.get_project_for_user(request.user, municipality, pk)
    can_edit = request.user.has_perm("finance.change_project_finance", project)
    post = request.POST
    cost_form = CostItemForm(post if "add_cost" in post else None, prefix="c", municipality=municipality)
    saving_form = SavingForm(post if "add_saving" in post else None, prefix="s", municipality=municipality)
    grant_form = GrantForm(post if "add_grant" in post else None, prefix="g")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Your role does not allow this."))
        if _handle_project_post(request, project, cost_form, saving_form, grant_form):
            return redirect("finance:project", slug=municipality.slug, pk=pk)
    today = timezone.localdate()
    result = selectors.plan_for(request.user, municipality, first_year=today.year - 3, last_year=today.year + 9,
                                scenario="planned", project_ids=[project.pk], on=today)  # fmt: skip
    kinds = set(CostItem.objects.filter(project=project).values_list("kind", flat=True))
    context = {
        "project": project, "can_edit": can_edit, "cost_form": cost_form, "saving_form": saving_form,
        "grant_form": grant_form, "costs": CostItem.objects.filter(project=project).select_related("budget_line"),
        "savings": Saving.objects.filter(project=project), "result": result, "plan": result.plan,
        "grants": Grant.objects.filter(project=project).select_related("programme"),
        "chart": charts.plan_chart(result.plan),
        "matches": selectors.match(project, municipality.state, kinds, selectors.open_programmes(today)),
    }  # fmt: skip
    return render(request, "finance/project.html", context)


def _handle_project_post(request, project, cost_form, saving_form, grant_form) -> bool:
    post, by = request.POST, request.user
    if "delete" in post:
        model = {"cost": CostItem, "saving": Saving, "grant": Grant}.get(post.get("kind"))
        raw = post.get("delete", "")
        item = model.objects.filter(project=project, pk=int(raw)).first() if model and raw.isdigit() else None
        if item:
            services.delete_item(item=item, by=by)
            messages.success(request, _("Deleted."))
        return True
    for name, form, service in [("add_cost", cost_form, services.add_cost_item),
                                ("add_saving", saving_form, services.add_saving),
                                ("add_grant", grant_form, services.add_grant)]:  # fmt: skip
        if name in post and form.is_valid():
            if apply_form(form, service, project=project, by=by):
                messages.success(request, _("Saved."))
                return True
    return False


@municipality_view(internal=True, perm="finance.view_finance")
def programmes(request, municipality):
    today = timezone.localdate()
    items = FundingProgramme.objects.all()
    projects = list(portfolio.open_projects(request.user, municipality))
    kinds_by_project: dict[int, set[str]] = {}
    for project_id, kind in CostItem.objects.filter(project__in=projects).values_list("project_id", "kind"):
        kinds_by_project.setdefault(project_id, set()).add(kind)
    catalogue = selectors.open_programmes(today)
    matches = []
    for project in projects:
        found = selectors.match(project, municipality.state, kinds_by_project.get(project.pk, set()), catalogue)
        if found:
            matches.append((project, found))
    return render(request, "finance/programmes.html", {"items": items, "matches": matches, "today": today})


def parse_amount(value: str) -> Decimal:
    """An amount as people type it: 1234.56, 1234,56, 1.234,56 or 12.500 (German thousands);
    anything else, NaN and Infinity included, raises ``InvalidOperation``."""
    value = value.strip().replace(" ", "").replace("\u00a0", "")
    if "," in value:
        value = value.replace(".", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
        value = value.replace(".", "")
    return finite_decimal(value)


@municipality_view(internal=True, perm="finance.view_finance")
def budget_lines(request, municipality):
    visible = portfolio.projects_visible_to(request.user, municipality)
    lines = BudgetLine.objects.filter(municipality=municipality).prefetch_related(
        "amounts", Prefetch("projects", queryset=visible.order_by("title"))
    )
    can_manage = request.user.has_perm("finance.manage_budget", municipality)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Your role does not allow this."))
        try:
            amounts = {}
            for key, value in request.POST.items():
                if key.startswith("year_") and value.strip():
                    amounts[int(key[5:])] = parse_amount(value)
            projects = list(portfolio.projects_visible_to(request.user, municipality).filter(
                pk__in=[p for p in request.POST.getlist("projects") if p.isdigit()]))  # fmt: skip
            code = request.POST.get("code", "").strip()
            services.save_budget_line(
                municipality=municipality, by=request.user, code=code, name=request.POST.get("name", "").strip(),
                amounts=amounts, projects=projects,
                line=BudgetLine.objects.filter(municipality=municipality, code=code).first(),
            )  # fmt: skip
            messages.success(request, _("The budget line was saved."))
            return redirect("finance:budget", slug=municipality.slug)
        except (ValidationError, ArithmeticError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [_("Enter the amounts as numbers.")])))
    this_year = timezone.localdate().year
    context = {"lines": lines, "can_manage": can_manage, "years": list(range(this_year, this_year + 5)),
               "projects": portfolio.projects_visible_to(request.user, municipality).order_by("title")}  # fmt: skip
    return render(request, "finance/budget.html", context)


class DiscountRateForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = DiscountRate
        fields = ["valid_from", "rate_percent", "source"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class HourlyRateForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = HourlyRate
        fields = ["label", "eur_per_hour", "source"]


@municipality_view(internal=True, perm="finance.view_finance")
def rates(request, municipality):
    """Dated discount rates (a plan uses the one valid on its calculation date) and the hourly
    rates of pay grades for the savings calculator."""
    can_manage = request.user.has_perm("finance.manage_budget", municipality)
    post = request.POST
    discount_form = DiscountRateForm(post if "add_discount" in post else None, prefix="d")
    hourly_form = HourlyRateForm(post if "add_hourly" in post else None, prefix="h")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Your role does not allow this."))
        for name, form, service in [("add_discount", discount_form, services.set_discount_rate),
                                    ("add_hourly", hourly_form, services.set_hourly_rate)]:  # fmt: skip
            if name in post and form.is_valid() and apply_form(form, service, municipality=municipality,
                                                               by=request.user):  # fmt: skip
                messages.success(request, _("Saved."))
                return redirect("finance:rates", slug=municipality.slug)
    today = timezone.localdate()
    context = {"can_manage": can_manage, "discount_form": discount_form, "hourly_form": hourly_form,
               "discount_rates": DiscountRate.objects.filter(municipality=municipality),
               "hourly_rates": HourlyRate.objects.filter(municipality=municipality),
               "current": selectors.discount_rate_on(municipality, today), "today": today}  # fmt: skip
    return render(request, "finance/rates.html", context)
