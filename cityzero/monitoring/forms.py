"""Forms of the city's progress pages: a progress report on an action, a value of an indicator,
how an indicator is kept, and the reporting plan. The services check everything again and name
the field that is wrong; these forms turn text into the types the services take."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.contracts.models import MAX_EUROS
from cityzero.core.uploads import DOCUMENTS
from cityzero.knowledge.forms import CheckedFilesField
from cityzero.monitoring.models import (
    MAX_MILESTONE,
    MAX_NOTE,
    MAX_SOURCE,
    ComputedMetric,
    DataQuality,
    ImplementationStatus,
    MonitoringPlan,
)
from cityzero.monitoring.services import MAX_FILES, MAX_VALUE, ReportInput, ValueInput

MAX_FILE_BYTES = 10 * 2**20
MAX_UNIT = 60
FILE_HELP = gettext_lazy(
    "PDF, Word, Excel, OpenDocument, PNG, JPEG, CSV, text or Markdown; at most 10 MB each and "
    "5 files. Whoever may read the report may download them: everyone, once it is published."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class EvidenceFilesField(CheckedFilesField):
    """Up to :data:`~cityzero.monitoring.services.MAX_FILES` documents, each checked by content."""

    def clean(self, data, initial=None):
        uploads = [u for u in (data if isinstance(data, list | tuple) else [data]) if u]
        if len(uploads) > MAX_FILES:  # before reading any of them
            raise forms.ValidationError(_("Attach at most %(n)s files.") % {"n": MAX_FILES})
        return super().clean(uploads, initial)


def evidence_files_field() -> EvidenceFilesField:
    return EvidenceFilesField(
        label=gettext_lazy("Evidence files"), kinds=DOCUMENTS, max_bytes=MAX_FILE_BYTES,
        required=False, help_text=FILE_HELP,
    )  # fmt: skip


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


class ReportForm(forms.Form):
    """Where one action stands: every field of :class:`~cityzero.monitoring.services.ReportInput`."""

    reported_on = _date_field(
        gettext_lazy("Situation on"),
        help_text=gettext_lazy("The day the report describes: today or earlier."),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ImplementationStatus.choices)
    percent_done = forms.IntegerField(
        label=gettext_lazy("Done (%)"), min_value=0, max_value=100,
        help_text=gettext_lazy("From 0 to 100. A completed action is 100% done."),
    )  # fmt: skip
    spend_to_date = forms.DecimalField(
        label=gettext_lazy("Spent to date (€)"), required=False, decimal_places=2,
        help_text=gettext_lazy("Everything spent on the action so far, in euros. Leave empty if "
                               "not known."),
    )  # fmt: skip
    next_milestone = forms.CharField(
        label=gettext_lazy("Next milestone"), max_length=MAX_MILESTONE, required=False
    )
    milestone_on = _date_field(
        gettext_lazy("Milestone expected on"), required=False,
        help_text=gettext_lazy("May be in the future."),
    )  # fmt: skip
    note = forms.CharField(
        label=gettext_lazy("Progress note"), max_length=MAX_NOTE, required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What happened since the last report, in a few sentences. Up to "
                               "2,000 characters."),
    )  # fmt: skip
    evidence_links = forms.CharField(
        label=gettext_lazy("Evidence links"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Up to 5 web addresses starting with https://, one per line."),
    )  # fmt: skip
    files = evidence_files_field()
    public = forms.BooleanField(
        label=gettext_lazy("Publish on the public progress page"), required=False,
        help_text=gettext_lazy("Unpublished reports are seen only by the city's team, its "
                               "advisors and the platform staff."),
    )  # fmt: skip

    def clean_spend_to_date(self) -> Decimal | None:
        spend = self.cleaned_data.get("spend_to_date")
        if spend is not None and not 0 <= spend <= MAX_EUROS:
            raise ValidationError(
                _("Give the euros spent so far, from 0 to %(max)s.") % {"max": f"{MAX_EUROS:,.0f}"}
            )
        return spend

    def clean_evidence_links(self) -> list[str]:
        text = self.cleaned_data.get("evidence_links") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            reported_on=data["reported_on"], status=data["status"],
            percent_done=data["percent_done"], spend_to_date=data["spend_to_date"],
            next_milestone=data["next_milestone"], milestone_on=data["milestone_on"],
            note=data["note"], evidence_links=data["evidence_links"], public=data["public"],
        )  # fmt: skip


def report_initial(latest, today: datetime.date | None = None) -> dict:
    """A new report starts from the previous one: its status, share done, spend and publicity."""
    initial: dict = {"reported_on": today or timezone.localdate()}
    if latest is not None:
        initial |= {"status": latest.status, "percent_done": latest.percent_done,
                    "spend_to_date": latest.spend_to_date, "public": latest.public}  # fmt: skip
    else:
        initial |= {"status": ImplementationStatus.NOT_STARTED, "percent_done": 0}
    return initial


class ValueForm(forms.Form):
    """A measured value of an indicator, in its unit or another unit of the same measure."""

    measured_on = _date_field(
        gettext_lazy("Date"), help_text=gettext_lazy("The day (or period end) the value is for.")
    )
    value = forms.DecimalField(label=gettext_lazy("Value"))
    unit = forms.CharField(
        label=gettext_lazy("Unit"), max_length=MAX_UNIT,
        help_text=gettext_lazy("The indicator's unit, or another unit of the same measure "
                               "(e.g. kt for t): the value is converted."),
    )  # fmt: skip
    source = forms.CharField(
        label=gettext_lazy("Source"), max_length=MAX_SOURCE,
        help_text=gettext_lazy("Where the value comes from, e.g. “Utility annual report 2025”."),
    )  # fmt: skip
    quality = forms.ChoiceField(label=gettext_lazy("Data quality"), choices=DataQuality.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=MAX_NOTE, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def clean_value(self) -> Decimal:
        value = self.cleaned_data["value"]
        if abs(value) >= MAX_VALUE:
            raise ValidationError(
                _("Give a number smaller than %(max)s.") % {"max": f"{MAX_VALUE:,.0f}"}
            )
        return value

    def value_input(self) -> ValueInput:
        data = self.cleaned_data
        return ValueInput(
            measured_on=data["measured_on"], value=data["value"], unit=data["unit"].strip(),
            source=data["source"], quality=data["quality"], note=data["note"],
        )  # fmt: skip


TYPED = ""


class SetupForm(forms.Form):
    """How the city keeps an indicator: typed, or computed from its GHG inventories."""

    computed_from = forms.ChoiceField(
        label=gettext_lazy("Values"),
        choices=[(TYPED, gettext_lazy("Typed by the city")), *ComputedMetric.choices],
        required=False,
        help_text=gettext_lazy("Computed values come from the city's inventories, one a year, "
                               "and cannot be typed."),
    )  # fmt: skip
    public = forms.BooleanField(
        label=gettext_lazy("Publish on the public progress page"), required=False
    )


class PlanForm(forms.Form):
    reporting_months = forms.TypedChoiceField(
        label=gettext_lazy("Reporting period"),
        choices=MonitoringPlan._meta.get_field("reporting_months").choices,
        coerce=int,
        help_text=gettext_lazy("Every action still open reports once per period, within 30 days "
                               "after it ends."),
    )  # fmt: skip
    publish_emissions = forms.BooleanField(
        label=gettext_lazy("Publish emissions against the pathway"), required=False,
        help_text=MonitoringPlan._meta.get_field("publish_emissions").help_text,
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
