"""Forms of the import and export pages (issue 11): the shape of the input only."""

from __future__ import annotations

from django import forms

from reference.models import Jurisdiction
from transfer.importer import DEFAULT_SOURCE

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TOO_LARGE = "The file is larger than 20 MB; split it into several files."
NO_FILE = "Choose a CSV or Excel (.xlsx) file to import."


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet to import",
        help_text=(
            "A CSV (UTF-8) or Excel workbook (.xlsx) that follows the import template, or a "
            "zip written by the export. At most 20 MB."
        ),
        error_messages={"required": NO_FILE, "empty": NO_FILE},
    )
    source = forms.CharField(
        label="Source system",
        max_length=80,
        initial=DEFAULT_SOURCE,
        help_text=(
            "A name for the system the records come from. External IDs are unique within it: "
            "importing the same rows again under the same source changes nothing."
        ),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        return upload


class ExportForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(
        label="State or Territory",
        queryset=Jurisdiction.objects.order_by("name"),
        required=False,
        empty_label="All States and Territories",
        to_field_name="code",
        help_text="Export every record, or only one State's or Territory's.",
    )
