"""Forms of the council app; choices are narrowed to the municipality (and to what the user reads)."""

from __future__ import annotations

from django import forms
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.forms import FastSelect, KernFormMixin, rows_of
from stadtlotse.core.locking import LockedFormMixin
from stadtlotse.core.models import Department
from stadtlotse.governance.models import Body, Faction

from .models import (
    AgendaItem,
    ConsultationResult,
    ConsultationRole,
    Mandate,
    Meeting,
    Paper,
    PaperKind,
    RelationKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PaperForm(LockedFormMixin, KernFormMixin, forms.ModelForm):
    class Meta:
        model = Paper
        fields = ["kind", "reference", "date", "title", "originator_kind", "originator_faction",
                  "originator_department",
                  "lead_department", "text", "visibility", "strategies", "goals", "projects"]  # fmt: skip
        widgets = {"date": DATE, "text": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, municipality, user, **kwargs):
        super().__init__(*args, **kwargs)
        from stadtlotse.core.access import visibility_levels
        from stadtlotse.portfolio import selectors as portfolio
        from stadtlotse.strategy import selectors as strategy
        from stadtlotse.strategy.models import Goal

        self.instance.municipality = municipality
        levels = visibility_levels(user, municipality)
        self.fields["originator_faction"].queryset = Faction.objects.filter(municipality=municipality)
        departments = Department.objects.filter(municipality=municipality)
        self.fields["originator_department"].queryset = departments
        self.fields["lead_department"].queryset = departments
        self.fields["strategies"].queryset = strategy.strategies_visible_to(user, municipality)
        self.fields["goals"].queryset = Goal.objects.filter(
            municipality=municipality, version__visibility__in=levels
        ).select_related("version__strategy")
        self.fields["projects"].queryset = portfolio.projects_visible_to(user, municipality)
        for name in ("strategies", "goals", "projects"):
            self.fields[name].required = False


def paper_options(papers):
    """The options of a paper select as plain rows, labelled as ``Paper.__str__`` does."""
    return rows_of(papers.annotate(label=Concat("reference", Value(" "), "title")).values_list("pk", "label"))


class RelationForm(KernFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("relation"), choices=RelationKind.choices)
    target = forms.ModelChoiceField(label=_("related paper"), queryset=Paper.objects.none(), widget=FastSelect)

    def __init__(self, *args, papers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = papers
        self.fields["target"].widget.rows = paper_options(papers)


class FileForm(KernFormMixin, forms.Form):
    upload = forms.FileField(label=_("file"), help_text=_("PDF, office documents, images or text; at most 10 MB."))


class StepForm(KernFormMixin, forms.Form):
    body = forms.ModelChoiceField(label=_("body"), queryset=Body.objects.none())
    date = forms.DateField(label=_("date"), required=False, widget=DATE)
    meeting = forms.ModelChoiceField(label=_("meeting"), queryset=Meeting.objects.none(), required=False)
    public = forms.BooleanField(label=_("public session"), required=False, initial=True)
    role = forms.ChoiceField(label=_("role"), choices=ConsultationRole.choices)
    result = forms.ChoiceField(
        label=_("result"), choices=ConsultationResult.choices, initial=ConsultationResult.PENDING
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(municipality=municipality)
        self.fields["meeting"].queryset = Meeting.objects.filter(municipality=municipality).select_related("body")


class MandateForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Mandate
        fields = ["title", "due_date", "due_text", "department", "description"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)
        self.fields["due_date"].error_messages["required"] = _("A mandate needs a due date.")

    def _post_clean(self):  # the service validates the whole mandate
        pass


class FulfilForm(KernFormMixin, forms.Form):
    fulfilled_on = forms.DateField(label=_("fulfilled on"), widget=DATE)
    fulfilled_by = forms.ModelChoiceField(
        label=_("fulfilled by paper"), queryset=Paper.objects.none(), required=False, widget=FastSelect
    )
    note = forms.CharField(label=_("report"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, papers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fulfilled_by"].queryset = papers
        self.fields["fulfilled_by"].widget.rows = paper_options(papers)


class MeetingForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["body", "title", "start", "end", "location"]
        widgets = {"start": DATETIME, "end": DATETIME}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["body"].queryset = Body.objects.filter(municipality=municipality)


class AgendaItemForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["number", "title", "public", "paper"]
        widgets = {"paper": FastSelect}

    def __init__(self, *args, papers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paper"].queryset = papers
        self.fields["paper"].widget.rows = paper_options(papers)

    def _post_clean(self):
        pass


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", _("all kinds")), *PaperKind.choices])
    year = forms.IntegerField(label=_("year"), required=False, min_value=1900, max_value=2200)


class DraftForm(KernFormMixin, forms.Form):
    bodies = forms.ModelMultipleChoiceField(
        label=_("consultation sequence"), queryset=Body.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("In this order; the last body decides."),
    )  # fmt: skip
    format = forms.ChoiceField(label=_("format"), choices=[("docx", "DOCX"), ("pdf", "PDF")])

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = Body.objects.filter(municipality=municipality).order_by("kind", "name")
