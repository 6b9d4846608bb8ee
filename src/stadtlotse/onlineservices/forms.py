from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadtlotse.core.forms import KernFormMixin
from stadtlotse.core.models import Department

from . import figures
from .models import CatalogueEntry, MaturityModel, Process, ProcessState, Service

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceForm(KernFormMixin, forms.ModelForm):
    catalogue_key = forms.CharField(
        label=gettext_lazy("LeiKa key"), required=False, max_length=14,
        help_text=gettext_lazy("14 digits; the entry of the federal service catalogue this service belongs to."),
    )  # fmt: skip
    url = forms.URLField(
        label=gettext_lazy("link to the online service"), required=False, max_length=500, assume_scheme="https"
    )
    projects = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Projects that raise its level"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = Service
        fields = ["name", "description", "catalogue_key", "subject_area", "department", "online_since", "url",
                  *Service.FEATURES, "visibility", "projects"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "online_since": DATE}

    def __init__(self, *args, municipality, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)
        self.fields["projects"].queryset = projects
        if self.instance.pk:
            self.fields["catalogue_key"].initial = getattr(self.instance.catalogue_entry, "key", "")
            self.fields["projects"].initial = [
                p.pk for p in projects.filter(pk__in=self.instance.projects.values("pk"))
            ]

    def clean_catalogue_key(self):
        key = self.cleaned_data["catalogue_key"].strip()
        if not key:
            return None
        entry = CatalogueEntry.objects.filter(key=key).first()
        if entry is None:
            raise ValidationError(_("The catalogue has no entry with the key %(key)s.") % {"key": key})
        return entry

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("catalogue_key", "projects")}
        data["catalogue_entry"] = self.cleaned_data.get("catalogue_key")
        return data


class AssessmentForm(KernFormMixin, forms.Form):
    model = forms.ChoiceField(label=gettext_lazy("Maturity model"), choices=MaturityModel.choices)
    level = forms.IntegerField(label=gettext_lazy("Maturity level"))
    assessed_on = forms.DateField(label=gettext_lazy("Assessed on"), widget=DATE, initial=date.today)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


class CriteriaForm(KernFormMixin, forms.Form):
    """One select per criterion of one model; the weakest sets the level."""

    assessed_on = forms.DateField(label=gettext_lazy("Assessed on"), widget=DATE, initial=date.today)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)

    def __init__(self, *args, model: str, **kwargs):
        kwargs.setdefault("prefix", "m" + model.replace(".", ""))
        super().__init__(*args, **kwargs)
        self.model = model
        spec = figures.MODELS[model]
        choices = [(str(level), str(level)) for level in spec.level_range]
        for criterion in spec.criteria:
            self.fields[f"c_{criterion.key}"] = forms.TypedChoiceField(
                label=criterion.label, choices=choices, coerce=int, initial="0"
            )
        for name in self.fields:
            if name.startswith("c_"):
                self.fields[name].widget.attrs["class"] = "kern-form-input__select"

    def criteria(self) -> dict[str, int]:
        return {k[2:]: v for k, v in self.cleaned_data.items() if k.startswith("c_")}


class MonthField(forms.CharField):
    """A month as "2026-03" (the browser's month input) or "03/2026"; the first day of it."""

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value) or re.fullmatch(r"(\d{1,2})[./](\d{4})", value)
        if match:
            a, b = match.groups()
            year, month = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
            if 1 <= month <= 12 and 1900 <= year <= 2200:
                return date(year, month, 1)
        raise ValidationError(_("Give the month as YYYY-MM, e.g. 2026-03."))


class UsageForm(KernFormMixin, forms.Form):
    period = MonthField(label=gettext_lazy("Month"), widget=forms.TextInput(attrs={"type": "month"}))
    online = forms.IntegerField(label=gettext_lazy("Online transactions"))
    offline = forms.IntegerField(label=gettext_lazy("Offline transactions"))


class ProcessForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Process
        fields = ["name", "description", "target_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "target_date": DATE}


class RolloutForm(KernFormMixin, forms.Form):
    department = forms.ModelChoiceField(label=gettext_lazy("Department"), queryset=None)
    state = forms.ChoiceField(label=gettext_lazy("State"), choices=ProcessState.choices)
    since = forms.DateField(label=gettext_lazy("Since"), widget=DATE, initial=date.today)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=300)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)
