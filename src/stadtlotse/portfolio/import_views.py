"""The import page: upload a project list, assign its columns, check the preview, import.

One view handles all steps by the hidden field ``step``:

- ``upload`` (or a GET): the file field; a valid file leads to the mapping step;
- ``mapping``: one select per target, pre-filled by ``imports.guess_mapping``, and the preview
  of every row with its errors; "Check again" re-runs the preview with the chosen columns;
- ``confirm``: posts the same mapping and file again; an error-free preview is imported in one
  transaction, then the portfolio list shows the counts.

The file travels between the steps in the page itself (zlib-compressed, base64 in a hidden
field, with its original name); nothing is kept on the server between requests.
"""

from __future__ import annotations

import base64
import binascii
import zlib

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadtlotse.core.forms import KernFormMixin
from stadtlotse.core.views import municipality_view

from . import imports

TEMPLATE = "portfolio/project_import.html"


def pack(data: bytes) -> str:
    """File content → text for a hidden field."""
    return base64.urlsafe_b64encode(zlib.compress(data, 6)).decode("ascii")  # no "+" to percent-encode


def unpack(text: str) -> bytes:
    """The reverse of ``pack``; refuses damaged content and more than the allowed file size."""
    lost = _("The file was lost between the steps; please upload it again.")
    try:
        compressed = base64.b64decode(text.encode("ascii"), altchars=b"-_", validate=True)
        inflater = zlib.decompressobj()
        data = inflater.decompress(compressed, imports.MAX_BYTES + 1)
    except (ValueError, binascii.Error, zlib.error, UnicodeEncodeError) as exc:
        raise ValidationError(lost) from exc
    if len(data) > imports.MAX_BYTES or inflater.unconsumed_tail:
        raise ValidationError(_("The file is larger than %(max)s MB.") % {"max": imports.MAX_BYTES // (1024 * 1024)})
    if not inflater.eof:  # cut off on the way
        raise ValidationError(lost)
    return data


class UploadForm(KernFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Project list"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a CSV file (.csv) with at most 5,000 rows and 5 MB. "
                               "The first row names the columns. Of a workbook, the sheet that was open when it "
                               "was last saved is read."),
    )  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content = imports.read_upload(upload)
        self.table = imports.read_table(upload.name, self.content)
        return upload


NOT_IN_FILE = gettext_lazy("– not in the file –")


class MappingForm(KernFormMixin, forms.Form):
    """One select per target (``map_<target>``), plus the carried file."""

    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)
    content = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, table: imports.Table, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", NOT_IN_FILE)] + [(str(i), table.column_label(i)) for i in range(table.width)]
        for target in imports.TARGETS.values():
            field = self.fields[f"map_{target.key}"]
            field.choices = choices
            if target.required:
                field.error_messages["required"] = _("Choose the column that holds “%(field)s”; it is required.") % {
                    "field": target.label
                }

    def mapping(self) -> dict[str, int]:
        return {
            key: int(self.cleaned_data[f"map_{key}"]) for key in imports.TARGETS if self.cleaned_data.get(f"map_{key}")
        }


for _target in imports.TARGETS.values():
    MappingForm.base_fields[f"map_{_target.key}"] = forms.ChoiceField(
        label=_target.label, required=_target.required, choices=()
    )


@municipality_view(internal=True, perm="portfolio.import_projects")
def project_import(request, municipality):
    step = request.POST.get("step", "upload") if request.method == "POST" else "upload"
    if request.method != "POST":
        return _render_upload(request, UploadForm())
    if step not in ("mapping", "confirm"):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _render_upload(request, form)
        table = form.table
        filename = form.cleaned_data["file"].name
        mapping = imports.guess_mapping(table.header)
        initial = {"filename": filename, "content": pack(form.content)}
        initial.update({f"map_{key}": str(index) for key, index in mapping.items()})
        mapping_form = MappingForm(initial=initial, table=table)
        return _render_mapping(request, mapping_form, imports.preview(table, mapping, municipality), table, filename)

    filename = request.POST.get("filename", "")[:255]
    try:
        table = imports.read_table(filename, unpack(request.POST.get("content", "")))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_upload(request, UploadForm())
    form = MappingForm(request.POST, table=table)
    if not form.is_valid():
        return _render_mapping(request, form, None, table, filename)
    result = imports.preview(table, form.mapping(), municipality)
    if step == "confirm":
        if result.has_errors:
            messages.error(request, _("The list still has errors; nothing was imported."))
        else:
            try:
                counts = imports.apply(result, municipality, request.user)
            except ValidationError as exc:
                messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": " ".join(exc.messages)})
            else:
                messages.success(
                    request,
                    _("Import finished – projects: %(created)s new, %(updated)s changed, %(unchanged)s unchanged; "
                      "milestones: %(milestones_created)s new, %(milestones_updated)s changed.") % vars(counts),
                )  # fmt: skip
                return redirect("portfolio:list", slug=municipality.slug)
    return _render_mapping(request, form, result, table, filename)


def _render_upload(request, form):
    return render(request, TEMPLATE, {"step": "upload", "upload_form": form})


def _render_mapping(request, form, result, table, filename):
    keys = [key for key in imports.TARGETS if result and key in result.mapping]
    context = {
        "step": "mapping",
        "mapping_form": form,
        "preview": result,
        "filename": filename,
        "table": table,
        "columns": [imports.TARGETS[key] for key in keys],
        "rows": [(row, [row.display(key) for key in keys]) for row in (result.rows if result else [])],
        "can_import": bool(result and result.rows and not result.has_errors),
    }
    return render(request, TEMPLATE, context)
