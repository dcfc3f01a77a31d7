"""The cross-city monitoring view for platform staff and advisors: which cities are behind on
reporting, which are off their pathway, and which fields of action see the most delays."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.accounts.permissions import can
from cityzero.contracts.presentation import SECTOR_LABELS
from cityzero.core.charts import bar_chart_svg
from cityzero.ghg.progress import ReportingState
from cityzero.monitoring import selectors

SHOW_CHOICES = [
    ("all", gettext_lazy("All monitored cities")),
    ("behind", gettext_lazy("Behind on reporting")),
    ("off_track", gettext_lazy("Off track against the pathway")),
    ("delayed", gettext_lazy("With delayed actions")),
]
FILTERS = {
    "all": lambda row: True,
    "behind": lambda row: row.behind,
    "off_track": lambda row: row.off_track,
    "delayed": lambda row: row.delayed > 0,
}


class OverviewFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=gettext_lazy("Show"),
        choices=SHOW_CHOICES,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the listed views.")},
    )

    def chosen(self) -> str:
        if not self.is_valid():
            return "all"
        return self.cleaned_data["show"] or "all"


@dataclass(frozen=True)
class Row:
    """One city's row with what the table says in words."""

    data: selectors.CityRow

    @property
    def state(self) -> str:
        reporting = self.data.reporting
        due = reporting.due
        if reporting.state == ReportingState.OVERDUE:
            return _("Overdue since %(due)s") % {"due": _day(due)}
        if reporting.state == ReportingState.DUE:
            return _("Due by %(due)s") % {"due": _day(due)}
        if reporting.state == ReportingState.UPCOMING:
            return _("Up to date; next reports due by %(due)s") % {"due": _day(due)}
        return _("Up to date")

    @property
    def off_track_sectors(self) -> str:
        emissions = self.data.emissions
        if emissions is None:
            return ""
        return ", ".join(str(SECTOR_LABELS[s.sector.value]) for s in emissions.off_track)


def _day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "monitoring.overview", None):
        raise PermissionDenied(
            _(
                "The monitoring overview is for platform staff and city advisors. A city's team "
                "follows its own progress on the city's progress page."
            )
        )
    data = selectors.overview(request.user)
    form = OverviewFilterForm(request.GET or None)
    show = form.chosen()
    rows = [Row(row) for row in data.rows if FILTERS[show](row)]
    delays = data.delays
    return render(
        request,
        "monitoring/overview.html",
        {
            "form": form,
            "show": show,
            "rows": rows,
            "total": len(data.rows),
            "behind": sum(1 for row in data.rows if row.behind),
            "off_track": sum(1 for row in data.rows if row.off_track),
            "delays": delays,
            "delays_svg": bar_chart_svg(
                [(d.field, round(d.share * 100)) for d in delays],
                title=_("Share of actions ever delayed, by field of action (%)"),
                chart_id="delays-chart-title",
            ),
        },
        status=422 if form.errors else 200,
    )
