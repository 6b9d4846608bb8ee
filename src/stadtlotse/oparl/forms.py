"""The form of the import page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    source = forms.URLField(
        label=_("Address of the OParl system or body"),
        max_length=1000,
        assume_scheme="https",
        help_text=_("E.g. https://ris.example.de/oparl/v1/system – the importer follows its bodies and lists."),
    )
    incremental = forms.BooleanField(
        label=_("Only what changed since the last import of this address"), required=False, initial=True
    )
