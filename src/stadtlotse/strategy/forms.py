from django import forms
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.forms import KernFormMixin
from stadtlotse.core.locking import LockedFormMixin
from stadtlotse.core.models import Department

from .models import ConformityReview, FieldOfAction, Goal, Indicator, Section, Strategy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StrategyForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class FieldOfActionForm(LockedFormMixin, KernFormMixin, forms.ModelForm):
    class Meta:
        model = FieldOfAction
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class GoalForm(LockedFormMixin, KernFormMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["field_of_action", "title", "description", "owner_department", "responsible_person", "target_date",
                  "status"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "target_date": DATE}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_of_action"].queryset = FieldOfAction.objects.filter(version=version)
        self.fields["owner_department"].queryset = Department.objects.filter(municipality_id=version.municipality_id)


class IndicatorForm(LockedFormMixin, KernFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "direction", "baseline_value", "baseline_date", "target_value", "target_date"]
        widgets = {"baseline_date": DATE, "target_date": DATE}


class MeasurementForm(KernFormMixin, forms.Form):
    measured_on = forms.DateField(label=_("Date"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4)
    source = forms.CharField(label=_("Source"), max_length=300, required=False,
                             help_text=_("Where the figure comes from, e.g. a statistics office."))  # fmt: skip


class SectionForm(LockedFormMixin, KernFormMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["heading", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}


class VersionForm(KernFormMixin, forms.Form):
    label = forms.CharField(label=_("Label"), max_length=100, required=False,
                            help_text=_("E.g. 'Fortschreibung 2023'."))  # fmt: skip


class AdoptForm(KernFormMixin, forms.Form):
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE)
    adopted_by = forms.CharField(label=_("Adopting body"), max_length=200, help_text=_("E.g. Gemeinderat."))
    resolution_reference = forms.CharField(label=_("Resolution / paper reference"), max_length=100, required=False)


class ReviewForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = ConformityReview
        fields = ["reviewed_on", "body", "result", "remarks"]
        widgets = {"reviewed_on": DATE, "remarks": forms.Textarea(attrs={"rows": 3})}
