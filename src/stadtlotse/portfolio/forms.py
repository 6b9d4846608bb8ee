from django import forms
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.forms import FastSelect, KernFormMixin, rows_of
from stadtlotse.core.models import Department

from .models import Light, Milestone, Project, ProjectStatus, ProjectTemplate, StatusReport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(KernFormMixin, forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = ["title", "external_id", "summary", "description", "lead_department", "lead_person",
                  "other_departments", "planned_start", "planned_end", "tags", "visibility"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "planned_start": DATE, "planned_end": DATE,
                   "other_departments": forms.SelectMultiple(attrs={"size": 5})}  # fmt: skip

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(municipality=municipality)
        self.fields["lead_department"].queryset = departments
        self.fields["other_departments"].queryset = departments
        if self.instance.pk:
            self.fields["lock_version"].initial = self.instance.lock_version
        else:
            del self.fields["lock_version"]


class TemplateStartForm(KernFormMixin, forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=ProjectTemplate.objects.all())
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DATE)


class MilestoneForm(KernFormMixin, forms.ModelForm):
    confirm_after_end = forms.BooleanField(label=_("Save even if it lies after the project's end"), required=False)

    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DATE}


class DependencyForm(KernFormMixin, forms.Form):
    foundation = forms.ModelChoiceField(
        label=_("This project builds on"), queryset=Project.objects.none(), widget=FastSelect
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["foundation"].queryset = projects
        self.fields["foundation"].widget.rows = rows_of(projects.values_list("pk", "title"))


class StatusReportForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = StatusReport
        fields = ["period", "scope", "time", "budget", "progress_percent", "text", "next_steps"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "next_steps": forms.Textarea(attrs={"rows": 3}),
                   "scope": forms.Select(choices=Light.choices)}  # fmt: skip


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(choices=ProjectStatus.choices)


class DecisionForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(label=_("What is to be decided"), widget=forms.Textarea(attrs={"rows": 2}),
                               required=False)  # fmt: skip
    options = forms.CharField(label=_("Options"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("One option per line, at least two."))  # fmt: skip
    criteria = forms.CharField(
        label=_("Criteria with weights"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One criterion per line: name; weight – e.g. “Datenschutz; 30”."),
    )  # fmt: skip

    def clean_criteria(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, weight = line.rpartition(";")
            if not sep or not name.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: write the criterion, a semicolon and its weight.") % {"n": number}
                )
            rows.append((name.strip(), weight.strip()))
        return rows

    def clean_options(self):
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]
