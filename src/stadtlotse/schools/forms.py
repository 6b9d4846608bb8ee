"""Forms of the schools pages. They only read input; the services validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.forms import KernFormMixin
from stadtlotse.core.models import Department
from stadtlotse.finance.models import FundingProgramme

from .models import (
    CostCategory,
    InventorySnapshot,
    MediaConcept,
    MediaDevelopmentPlan,
    School,
    SchoolType,
    SchoolYearFigures,
    TargetStandard,
    UnitCost,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchoolForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "school_number", "school_type", "address"]


class FiguresForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = SchoolYearFigures
        fields = ["school_year", "pupils", "classes", "classrooms", "teachers"]

    def validate_unique(self):  # the service replaces that year's figures
        pass


class SnapshotForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = InventorySnapshot
        fields = ["taken_on", "bandwidth_mbit", "rooms", "rooms_with_wlan", "presentation_devices", "pupil_devices",
                  "teacher_devices", "servers", "network_switches", "access_points", "support_model",
                  "response_hours", "note"]  # fmt: skip
        widgets = {"taken_on": DATE}

    def _post_clean(self):  # the service checks the whole snapshot (with the school and the day)
        pass


class ConceptForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = MediaConcept
        fields = ["status", "started_on", "submitted_on", "approved_on", "document", "goals"]
        widgets = {"started_on": DATE, "submitted_on": DATE, "approved_on": DATE,
                   "goals": forms.Textarea(attrs={"rows": 5})}  # fmt: skip

    def _post_clean(self):
        pass


class PlanForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = MediaDevelopmentPlan
        fields = ["name", "first_year", "last_year", "running_until_year", "budget_per_year_eur", "priority",
                  "threshold_percent", "programme", "grant_rate_percent", "grant_cap_eur", "department",
                  "visibility"]  # fmt: skip

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)
        self.fields["programme"].queryset = FundingProgramme.objects.all()

    def _post_clean(self):
        pass


class StandardForm(KernFormMixin, forms.ModelForm):
    school_type = forms.ChoiceField(label=_("school type"), choices=SchoolType.choices)

    class Meta:
        model = TargetStandard
        fields = ["min_bandwidth_mbit", "bandwidth_per_pupil_mbit", "wlan_percent", "displays_per_classroom",
                  "pupils_per_device", "devices_per_teacher", "max_response_hours"]  # fmt: skip

    field_order = ["school_type"]

    def _post_clean(self):
        pass


class UnitCostForm(KernFormMixin, forms.ModelForm):
    category = forms.ChoiceField(label=_("category"), choices=CostCategory.choices)

    class Meta:
        model = UnitCost
        fields = ["investment_eur", "support_eur_per_year", "licence_eur_per_year", "lifetime_years"]

    field_order = ["category"]

    def _post_clean(self):
        pass


class AssetUploadForm(KernFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Device list"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file with the columns Schule, Inventarnummer, Art and, "
                    "optionally, Modell, Anschaffungsjahr, Garantie bis."),
    )  # fmt: skip


class LinkAccountForm(KernFormMixin, forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150)
