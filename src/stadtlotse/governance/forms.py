"""Forms of the governance part; choices are narrowed to the municipality's own objects."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.forms import KernFormMixin
from stadtlotse.core.models import Department, User

from .models import (
    Body,
    BodyMembership,
    CompositionRule,
    DigitalPilot,
    Faction,
    LegislativeTerm,
    MemberRole,
    Person,
    StakeholderGroup,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(KernFormMixin, forms.ModelForm):
    username = forms.CharField(
        label=_("Linked user account"), required=False, max_length=150,
        help_text=_("User name of an account with a role here; empty: the person has no account."),
    )  # fmt: skip

    class Meta:
        model = Person
        fields = ["name", "form_of_address", "email", "phone", "department", "faction", "visibility"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)
        self.fields["faction"].queryset = Faction.objects.filter(municipality=municipality)
        if self.instance.pk and self.instance.user_id:
            self.fields["username"].initial = self.instance.user.username

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        if not name:
            return None
        try:
            return User.objects.get(username=name)
        except User.DoesNotExist:
            raise forms.ValidationError(_("There is no account with this user name.")) from None

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["user"] = data.pop("username")
        return data


class FactionForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Faction
        fields = ["name", "short_name", "active_from", "active_until"]
        widgets = {"active_from": DATE, "active_until": DATE}


class GroupForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = StakeholderGroup
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TermForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = LegislativeTerm
        fields = ["name", "start", "end"]
        widgets = {"start": DATE, "end": DATE}


class BodyForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "short_name", "kind", "is_deciding", "parent", "department", "term", "description",
                  "start", "end", "visibility"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "start": DATE, "end": DATE}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Body.objects.filter(municipality=municipality)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)
        self.fields["term"].queryset = LegislativeTerm.objects.filter(municipality=municipality)


class MembershipForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = BodyMembership
        fields = ["person", "role", "faction", "stakeholder_group", "start", "end"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(municipality=municipality)
        self.fields["faction"].queryset = Faction.objects.filter(municipality=municipality)
        self.fields["stakeholder_group"].queryset = StakeholderGroup.objects.filter(municipality=municipality)

    def _post_clean(self):
        # The service validates the whole membership (overlaps, dates); the form only parses.
        pass


class RuleForm(KernFormMixin, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Counted roles"), choices=MemberRole.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every role except guest and deputy."),
    )  # fmt: skip

    class Meta:
        model = CompositionRule
        fields = ["kind", "label", "count", "exact", "roles", "stakeholder_groups"]
        widgets = {"stakeholder_groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_groups"].queryset = StakeholderGroup.objects.filter(municipality=municipality)

    def _post_clean(self):
        pass


class PilotForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = DigitalPilot
        fields = ["person", "department", "training", "training_status", "training_start", "training_end",
                  "status", "note"]  # fmt: skip
        widgets = {"training_start": DATE, "training_end": DATE}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(municipality=municipality)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)

    def _post_clean(self):
        pass
