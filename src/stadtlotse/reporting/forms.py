from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PeriodReport


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "kern-form-input__input", **(attrs or {})}, format="%Y-%m-%d")


class ReportForm(forms.ModelForm):
    class Meta:
        model = PeriodReport
        fields = ["title", "period_start", "period_end", "introduction"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "kern-form-input__input"}),
            "period_start": DateInput(), "period_end": DateInput(),
            "introduction": forms.Textarea(attrs={"class": "kern-form-input__input", "rows": 4}),
        }  # fmt: skip

    def clean(self):
        # The service checks the period (order, overlap) with the same messages as the API.
        return super().clean()

    def _post_clean(self):  # no model validation here: the service validates and saves
        pass


class ComparisonForm(forms.Form):
    opt_in = forms.BooleanField(label=_("take part in the comparison of municipalities"), required=False)
