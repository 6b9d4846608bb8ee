"""The catalogue import page: upload, assign columns with preview, import all or nothing.

The steps and the way the file travels between them (in a hidden field, nothing kept on the
server) follow ``portfolio.import_views``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadtlotse.core.forms import KernFormMixin
from stadtlotse.core.views import municipality_view
from stadtlotse.portfolio import imports as table_reader
from stadtlotse.portfolio.import_views import pack, unpack

from . import imports

TEMPLATE = "onlineservices/catalogue_import.html"


class UploadForm(KernFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Service catalogue"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a CSV file (.csv) with a header row: LeiKa key, "
                               "name, optionally subject area and department; at most 5,000 rows and 5 MB."),
    )  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > table_reader.MAX_BYTES:
            raise ValidationError(_("The file is larger than %(max)s MB.") % {"max": table_reader.MAX_BYTES // 1024**2})
        self.content = upload.read()
        self.table = table_reader.read_table(upload.name, self.content)
        return upload


class MappingForm(KernFormMixin, forms.Form):
    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)
    content = forms.CharField(widget=forms.HiddenInput)
    ignore_other = forms.BooleanField(label=gettext_lazy("Ignore the columns no field uses"), required=False)

    def __init__(self, *args, table, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("– not in the file –"))] + [(str(i), table.column_label(i)) for i in range(table.width)]
        for target in imports.TARGETS.values():
            field = forms.ChoiceField(label=target.label, required=False, choices=choices)
            field.widget.attrs["class"] = "kern-form-input__select"
            self.fields[f"map_{target.key}"] = field

    def mapping(self) -> dict[str, int]:
        return {key: int(self.cleaned_data[f"map_{key}"]) for key in imports.TARGETS
                if self.cleaned_data.get(f"map_{key}")}  # fmt: skip


@municipality_view(internal=True, perm="onlineservices.import_catalogue")
def catalogue_import(request, municipality):
    step = request.POST.get("step", "upload") if request.method == "POST" else "upload"
    if request.method != "POST":
        return render(request, TEMPLATE, {"step": "upload", "upload_form": UploadForm()})
    if step not in ("mapping", "confirm"):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, TEMPLATE, {"step": "upload", "upload_form": form})
        mapping = imports.guess_mapping(form.table.header)
        initial = {"filename": form.cleaned_data["file"].name, "content": pack(form.content)}
        initial.update({f"map_{key}": str(index) for key, index in mapping.items()})
        result = imports.preview(form.table, mapping, municipality)
        return _render_mapping(request, MappingForm(initial=initial, table=form.table), result, form.table)
    filename = request.POST.get("filename", "")[:255]
    try:
        table = table_reader.read_table(filename, unpack(request.POST.get("content", "")))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(request, TEMPLATE, {"step": "upload", "upload_form": UploadForm()})
    form = MappingForm(request.POST, table=table)
    if not form.is_valid():
        return _render_mapping(request, form, None, table)
    result = imports.preview(table, form.mapping(), municipality, form.cleaned_data["ignore_other"])
    if step == "confirm":
        try:
            counts = imports.apply(result, municipality, request.user)
        except ValidationError as exc:
            messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": " ".join(exc.messages)})
        else:
            messages.success(request, _("Import finished – services: %(created)s new, %(existing)s already there; "
                                        "%(catalogue_added)s new catalogue entries.") % vars(counts))  # fmt: skip
            return redirect("onlineservices:index", slug=municipality.slug)
    return _render_mapping(request, form, result, table)


def _render_mapping(request, form, result, table):
    keys = [key for key in imports.TARGETS if result and key in result.mapping]
    context = {
        "step": "mapping", "mapping_form": form, "preview": result, "table": table,
        "columns": [imports.TARGETS[key] for key in keys],
        "rows": [(row, [row.values.get(key, "") for key in keys]) for row in (result.rows if result else [])],
        "can_import": bool(result and result.rows and not result.has_errors),
    }  # fmt: skip
    return render(request, TEMPLATE, context)
