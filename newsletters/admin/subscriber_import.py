"""The subscriber list's CSV import screen: the addresses a team already emails, added at once."""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone

from blocks.validators import PlainTextValidator

from .. import importing
from ..models import Subscriber

# The rows of each kind the import's report lists (the rest are counted).
SHOWN_ROWS = 1000


class SubscriberImportForm(forms.Form):
    # As the admin marks the labels of fields that must be filled in.
    required_css_class = "required"

    csv_file = forms.FileField(
        label="CSV file",
        help_text="A CSV file of at most 2 MB with a column of email addresses, headed “Email "
        "address” or “Email”. Save a spreadsheet or an Outlook contact list as CSV first.",
    )
    source = forms.CharField(
        label="Where the list comes from",
        max_length=Subscriber._meta.get_field("source").max_length,
        validators=[PlainTextValidator("Where the list comes from")],
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="Kept with each address as the reason we may email it, e.g. “Prevent "
        "newsletter mailing list, Outlook contacts”.",
    )
    list_date = forms.DateField(
        label="Date of the list",
        widget=AdminDateWidget,
        help_text="When the list was last brought up to date, e.g. 01/10/2026.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for update in Subscriber.Update:
            self.fields[update] = forms.BooleanField(
                label=f"Also {update.label.lower()}", required=False
            )

    def update_fields(self):
        return [self[update] for update in Subscriber.Update]

    def clean_list_date(self):
        list_date = self.cleaned_data["list_date"]
        if list_date > timezone.localdate():
            raise ValidationError("The date of the list must be today or in the past.")
        return list_date

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        # Checked before reading, so a very large file is never read into memory.
        if upload.size > importing.MAX_BYTES:
            raise ValidationError(importing.TOO_LARGE)
        try:
            self.addresses = importing.read_addresses(upload.read())
        except importing.ImportProblem as problem:
            raise ValidationError(str(problem)) from problem
        return upload


def import_view(request, *, model_admin):
    if not model_admin.has_import_permission(request):
        raise PermissionDenied
    if request.method == "POST":
        form = SubscriberImportForm(request.POST, request.FILES)
    else:
        form = SubscriberImportForm()
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.opts}
    if request.method == "POST" and form.is_valid():
        user = request.user
        basis = importing.lawful_basis(
            form.cleaned_data["source"],
            form.cleaned_data["list_date"],
            user.get_full_name() or user.get_username(),
        )
        try:
            result = importing.import_addresses(
                form.addresses,
                source=form.cleaned_data["source"],
                basis=basis,
                updates=[update for update in Subscriber.Update if form.cleaned_data[update]],
            )
        except importing.ImportProblem as problem:
            form.add_error(None, str(problem))
        else:
            context |= {
                "title": "Addresses imported",
                "result": result,
                "basis": basis,
                "shown_rows": SHOWN_ROWS,
                "shown_slice": f":{SHOWN_ROWS}",
            }
            return TemplateResponse(
                request, "admin/newsletters/subscriber/import_result.html", context
            )
    context |= {
        "title": "Import addresses",
        "form": form,
        "media": model_admin.media + form.media,
        "max_rows": f"{importing.MAX_ROWS:,}",
    }
    return TemplateResponse(request, "admin/newsletters/subscriber/import.html", context)
