"""Forms of the core app; KernFormMixin gives every widget the KERN UX classes."""

from html import escape

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Announcement, Department, Municipality, Role, User

SELECTED = " selected"


class FastSelect(forms.Select):
    """A select of many plain options (hundreds of projects or papers) written in one pass.

    Django renders every option through a template of its own and normalises the choices when
    they are set, which at city size cost far more than the rest of a page. The options come
    from ``rows``, (value, label) pairs read when the select is rendered, for example
    ``rows_of(queryset.values_list("pk", "title"))``; there are no groups. The field's own
    queryset still validates what is posted."""

    rows = ()

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        values = value if isinstance(value, list | tuple) else [value]
        options = option_tags(self.rows, [v for v in values if v is not None and v != ""])
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")  # noqa: S308 (escaped in option_tags)


def option_tags(rows, chosen=()) -> str:
    """``<option>`` elements of (value, label) rows in one pass, every part escaped; the values
    in ``chosen`` (compared as text) are selected. For selects of thousands of options."""
    chosen = {str(v) for v in chosen}
    return mark_safe(  # noqa: S308 (every part escaped)
        "".join(
            f'<option value="{escape(str(key))}"{SELECTED if str(key) in chosen else ""}>{escape(str(label))}</option>'
            for key, label in rows
        )
    )


class rows_of:  # noqa: N801 (used like a function)
    """Options read from a values_list queryset each time they are iterated (not when the form
    is built, so a form that is only validated never reads them), after an empty choice."""

    def __init__(self, queryset, empty: str | None = "---------") -> None:
        self.queryset, self.empty = queryset, empty

    def __iter__(self):
        if self.empty is not None:
            yield ("", self.empty)
        yield from self.queryset.all()


class KernFormMixin:
    """Adds KERN UX classes and ARIA links for hints and errors to every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "kern-form-check__checkbox"
            elif isinstance(widget, forms.Select):
                css = "kern-form-input__select"
            else:
                css = "kern-form-input__input"
            widget.attrs["class"] = css
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_hint"

    def full_clean(self):
        """Validate (after subclasses have narrowed their choices), then mark invalid widgets."""
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["class"] = attrs.get("class", "") + f" {attrs.get('class', '').split(' ')[0]}--error"
            described = attrs.get("aria-describedby", "")
            attrs["aria-describedby"] = f"{described} id_{self.add_prefix(name)}_error".strip()


class MunicipalityForm(KernFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Municipality
        fields = [
            "name", "state", "ags", "population", "discount_rate_percent", "medium_term_years", "website",
            "accessibility_contact", "accessibility_enforcement",
        ]  # fmt: skip
        widgets = {"accessibility_enforcement": forms.Textarea(attrs={"rows": 3})}


class DepartmentForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name", "parent", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Department.objects.filter(municipality=municipality)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class AnnouncementForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["title", "body", "visibility", "department", "published_on"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)


class MembershipForm(KernFormMixin, forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    departments = forms.ModelMultipleChoiceField(
        label=_("Limited to departments"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("For editors and digital pilots: empty means all departments."),
        widget=forms.SelectMultiple,
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(municipality=municipality)

    def clean_username(self):
        username = self.cleaned_data["username"]
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise forms.ValidationError(_("There is no active user with this name.")) from None


class ApiTokenForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the token"), max_length=100, help_text=_("E.g. the program that uses it."))


class LoginForm(KernFormMixin, AuthenticationForm):
    """The login fields in KERN's style like every other form: without it they were unstyled and
    showed only the browser's thin default focus ring (found by the keyboard walk)."""
