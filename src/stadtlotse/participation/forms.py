"""Forms of the participation app (KERN UX widgets through KernFormMixin)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.forms import FastSelect, KernFormMixin
from stadtlotse.core.models import Department, Visibility
from stadtlotse.strategy.models import Section

from .models import MAX_TEXT, Category, Status

TEXT_HELP = _("Plain text; **bold**, *italic*, lists and links are possible. At most 5,000 characters.")


class RegisterForm(KernFormMixin, forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150,
                               help_text=_("For signing in; it is not shown publicly."))  # fmt: skip
    email = forms.EmailField(label=_("E-mail address"), help_text=_("For notifications when your comment is answered."))
    pseudonym = forms.CharField(label=_("Pseudonym"), max_length=60,
                                help_text=_("Shown with your comments instead of your name."))  # fmt: skip
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )  # fmt: skip
    password_again = forms.CharField(label=_("Password (again)"), widget=forms.PasswordInput(render_value=False))
    accept_rules = forms.BooleanField(label=_("I accept the rules of conduct."), required=False)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class CommentForm(KernFormMixin, forms.Form):
    section = forms.ChoiceField(label=_("About"), required=False)
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=MAX_TEXT, help_text=TEXT_HELP)  # fmt: skip
    name = forms.CharField(label=_("Name or pseudonym"), max_length=60, required=False)

    def __init__(self, *args, sections=(), anonymous: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("The whole document"))] + [(str(s.pk), s.heading) for s in sections]
        if not sections:
            del self.fields["section"]
        if not anonymous:
            del self.fields["name"]


class ReplyForm(KernFormMixin, forms.Form):
    text = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT,
                           help_text=TEXT_HELP)  # fmt: skip


class IdeaForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Title of your idea"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "–")] + Category.choices)
    text = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_TEXT,
                           help_text=TEXT_HELP)  # fmt: skip


class ReportForm(KernFormMixin, forms.Form):
    reason = forms.CharField(label=_("Which rule does it break?"), max_length=500)


class PhaseForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("What the consultation is about and what happens with the comments."),
    )  # fmt: skip
    target = forms.ChoiceField(label=_("Consultation on"), widget=FastSelect)
    starts_at = forms.DateTimeField(label=_("Start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("End"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    allow_anonymous = forms.BooleanField(label=_("Admit anonymous comments (held for moderation)"), required=False)

    def __init__(self, *args, versions=(), projects=None, **kwargs):
        """``projects``: a queryset of the projects the user may choose; only their ids and
        titles are read for the options (thousands in a city), the chosen one on saving."""
        super().__init__(*args, **kwargs)
        strategy, project = str(_("Strategy")), str(_("Project"))  # translated once, not per option
        titles = list(projects.values_list("pk", "title")) if projects is not None else []
        choices = [("", "–")] + [
            (f"v{v.pk}", f"{strategy}: {v}") for v in versions
        ] + [(f"p{pk}", f"{project}: {title}") for pk, title in titles]  # fmt: skip
        self.fields["target"].choices = choices
        self.fields["target"].widget.rows = choices  # written in one pass (thousands of projects in a city)
        self._versions = {f"v{v.pk}": v for v in versions}
        self._projects = projects

    def target_fields(self) -> dict:
        key = self.cleaned_data["target"]
        chosen = self._projects.get(pk=key[1:]) if key.startswith("p") and self._projects is not None else None
        return {"version": self._versions.get(key), "project": chosen}


class AnswerForm(KernFormMixin, forms.Form):
    text = forms.CharField(label=_("Answer of the administration"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=MAX_TEXT)  # fmt: skip


class StatusForm(KernFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    department = forms.ModelChoiceField(label=_("Forwarded to department"), queryset=Department.objects.none(),
                                        required=False)  # fmt: skip
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             help_text=_("Required for 'not adopted'; shown publicly."))  # fmt: skip

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)


class HideForm(KernFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Public reason"), max_length=300,
        help_text=_("Shown in the public moderation log; the text is kept for the audit."),
    )  # fmt: skip


class UptakeForm(KernFormMixin, forms.Form):
    section = forms.ModelChoiceField(label=_("Section of a later version"), queryset=Section.objects.none())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = (
            Section.objects.filter(municipality=municipality)
            .select_related("version__strategy")
            .order_by("version__strategy__title", "-version__number", "order")
        )
        self.fields["section"].label_from_instance = lambda s: (
            f"{s.version.strategy.title} – {_('Version')} {s.version.number}: {s.heading}"
        )


class ProjectFromIdeaForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=200)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices, initial=Visibility.PUBLIC)


class BlockForm(KernFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for blocking the author"), max_length=300)


class GroupForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Title of the group"), max_length=200)


class GroupAnswerForm(KernFormMixin, forms.Form):
    template = forms.ChoiceField(label=_("Answer template"), required=False)
    text = forms.CharField(label=_("Answer to every suggestion of the group"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=MAX_TEXT, required=False,
                           help_text=_("Leave empty to use the template."))  # fmt: skip
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("keep"))] + Status.choices, required=False)
    reason = forms.CharField(label=_("Reason"), required=False)

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._templates = {str(t.pk): t for t in templates}  # loaded once, rendered once per group
        self.fields["template"].choices = [("", "–")] + [(str(t.pk), t.title) for t in templates]

    def clean(self):
        data = super().clean()
        template = self._templates.get(data.get("template") or "")
        if not data.get("text") and template:
            data["text"] = template.text
        if not data.get("text"):
            self.add_error("text", _("Write an answer or choose a template."))
        return data


class AnswerTemplateForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Title of the template"), max_length=200)
    text = forms.CharField(label=_("Text of the template"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=MAX_TEXT)  # fmt: skip
