"""Writes of implementation monitoring: progress reports, indicator values, the indicator setup,
the reporting plan, and the reminders. One transaction each; nothing is saved half-way.

Every check raises ``ValidationError`` naming the field that is wrong, so forms and the API show
the reason next to it.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.accounts.selectors import city_editors
from cityzero.cities.models import City
from cityzero.community.services import notify
from cityzero.contracts.models import MAX_EUROS, Action, Indicator
from cityzero.core.uploads import save_files, stored_fields
from cityzero.core.versioning import claim_version
from cityzero.ghg import progress
from cityzero.ghg.units import UnitError, quantity_factor
from cityzero.monitoring import selectors
from cityzero.monitoring.models import (
    MAX_LINKS,
    MAX_MILESTONE,
    MAX_NOTE,
    MAX_SOURCE,
    MAX_URL,
    ActionReport,
    ComputedMetric,
    DataQuality,
    EvidenceFile,
    ImplementationStatus,
    IndicatorSetup,
    IndicatorValue,
    MonitoringPlan,
)

MAX_FILES = 5
#: Reports and values describe the past; nothing before the Paris Agreement is monitoring.
EARLIEST = datetime.date(2015, 1, 1)
#: Beyond this an indicator value cannot be stored (20 digits, 4 after the point).
MAX_VALUE = Decimal("1e15")

validate_link = URLValidator(schemes=["http", "https"])


class EditConflict(Exception):
    """Someone saved the plan after the editor loaded it; nothing was written."""

    def __init__(self, current: MonitoringPlan) -> None:
        super().__init__(f"Monitoring plan of city {current.city_id} is at {current.version}")
        self.current = current


class _Problems:
    """Collects what is wrong, field by field, and raises it all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _check_day(problems: _Problems, name: str, day: datetime.date, today: datetime.date) -> None:
    if day > today:
        problems.add(
            name,
            _("%(day)s is in the future: report what has happened, up to today (%(today)s).")
            % {"day": day.isoformat(), "today": today.isoformat()},
        )
    elif day < EARLIEST:
        problems.add(
            name,
            _("Give a date from %(earliest)s on.") % {"earliest": EARLIEST.isoformat()},
        )


def _check_note(problems: _Problems, note: str) -> str:
    note = (note or "").replace("\r\n", "\n").strip()
    if len(note) > MAX_NOTE:
        problems.add(
            "note",
            _("Keep the note to %(max)s characters; it has %(n)s.")
            % {"max": f"{MAX_NOTE:,}", "n": f"{len(note):,}"},
        )
    return note


def _clean_links(problems: _Problems, links: list[str]) -> list[str]:
    cleaned = [link.strip() for link in links if link and link.strip()]
    if len(cleaned) > MAX_LINKS:
        problems.add("evidence_links", _("Give at most %(n)s links.") % {"n": MAX_LINKS})
    for link in cleaned:
        try:
            if len(link) > MAX_URL:
                raise ValidationError("too long")
            validate_link(link)
        except ValidationError:
            problems.add(
                "evidence_links",
                _("“%(link)s” is not a web address starting with https:// or http://.")
                % {"link": link[:80]},
            )
    return cleaned


# --- progress reports -------------------------------------------------------------------------


@dataclass
class ReportInput:
    reported_on: datetime.date
    status: str
    percent_done: int
    spend_to_date: Decimal | None = None
    next_milestone: str = ""
    milestone_on: datetime.date | None = None
    note: str = ""
    evidence_links: list[str] = field(default_factory=list)
    public: bool = False


def _check_report(data: ReportInput, today: datetime.date) -> ReportInput:
    problems = _Problems()
    _check_day(problems, "reported_on", data.reported_on, today)
    if data.status not in ImplementationStatus.values:
        problems.add("status", _("Choose one of the statuses listed."))
    if not 0 <= data.percent_done <= 100:
        problems.add("percent_done", _("Give a share from 0 to 100%."))
    elif data.status == ImplementationStatus.COMPLETED and data.percent_done != 100:
        problems.add("percent_done", _("A completed action is 100% done."))
    elif data.status == ImplementationStatus.NOT_STARTED and data.percent_done != 0:
        problems.add("percent_done", _("An action that has not started is 0% done."))
    spend = data.spend_to_date
    if spend is not None and not (spend.is_finite() and 0 <= spend <= MAX_EUROS):
        problems.add(
            "spend_to_date",
            _("Give the euros spent so far, from 0 to %(max)s.") % {"max": f"{MAX_EUROS:,.0f}"},
        )
    milestone = (data.next_milestone or "").strip()
    if len(milestone) > MAX_MILESTONE:
        problems.add(
            "next_milestone",
            _("Keep the milestone to %(max)s characters.") % {"max": MAX_MILESTONE},
        )
    if data.milestone_on and not milestone:
        problems.add("next_milestone", _("Name the milestone expected on that date."))
    note = _check_note(problems, data.note)
    links = _clean_links(problems, data.evidence_links)
    problems.raise_any()
    return ReportInput(
        reported_on=data.reported_on, status=data.status, percent_done=data.percent_done,
        spend_to_date=spend, next_milestone=milestone, milestone_on=data.milestone_on,
        note=note, evidence_links=links, public=data.public,
    )  # fmt: skip


@transaction.atomic
def report_progress(
    city: City,
    action: Action,
    data: ReportInput,
    *,
    files: Sequence[Any] = (),
    by: Any,
    today: datetime.date | None = None,
) -> ActionReport:
    """Record where one action of the city's endorsed contract stands, with its evidence.

    ``files`` are uploads ``CheckedFileField`` checked. A report is never changed afterwards:
    a correction is a newer report.
    """
    endorsed = selectors.endorsed_iteration(city)
    if endorsed is None or action.iteration_id != endorsed.pk:
        raise ValidationError(_("This action is not part of the city's endorsed contract."))
    if len(files) > MAX_FILES:
        raise ValidationError({"files": [_("Attach at most %(n)s files.") % {"n": MAX_FILES}]})
    clean = _check_report(data, today or timezone.localdate())
    report = ActionReport.objects.create(
        city=city,
        action_key=action.key,
        action=action,
        created_by=by,
        **clean.__dict__,
    )
    save_files((EvidenceFile(report=report, **stored_fields(upload, by=by)), upload)
               for upload in files)  # fmt: skip
    return report


# --- indicators -------------------------------------------------------------------------------


@dataclass
class ValueInput:
    measured_on: datetime.date
    value: Decimal
    unit: str
    source: str
    quality: str
    note: str = ""


def _converted(problems: _Problems, data: ValueInput, unit: str) -> Decimal | None:
    try:
        factor = quantity_factor(data.unit, unit)
    except UnitError:
        problems.add(
            "unit",
            _("This indicator is measured in %(unit)s; a value in %(given)s cannot be converted "
              "to it. Give it in %(unit)s.") % {"unit": unit, "given": data.unit[:40]},
        )  # fmt: skip
        return None
    try:
        value = (data.value * Decimal(repr(factor))).quantize(Decimal("0.0001"))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) >= MAX_VALUE:
        problems.add(
            "value",
            _("Give a number smaller than %(max)s in %(unit)s.")
            % {"max": f"{MAX_VALUE:,.0f}", "unit": unit},
        )
        return None
    return value


@transaction.atomic
def record_value(
    city: City, indicator: Indicator, data: ValueInput, *, by: Any,
    today: datetime.date | None = None,
) -> IndicatorValue:  # fmt: skip
    """Record a measured value of one indicator of the endorsed contract, in its unit."""
    endorsed = selectors.endorsed_iteration(city)
    if endorsed is None or indicator.iteration_id != endorsed.pk:
        raise ValidationError(_("This indicator is not part of the city's endorsed contract."))
    setup = IndicatorSetup.objects.filter(city=city, indicator_key=indicator.key).first()
    if setup and setup.computed_from:
        raise ValidationError(
            _(
                "This indicator is computed from the city's GHG inventories; its values cannot be "
                "typed. Change how it is kept first."
            )
        )
    problems = _Problems()
    _check_day(problems, "measured_on", data.measured_on, today or timezone.localdate())
    value = _converted(problems, data, indicator.unit)
    source = (data.source or "").strip()
    if not source:
        problems.add("source", _("Say where the value comes from."))
    elif len(source) > MAX_SOURCE:
        problems.add("source", _("Keep the source to %(max)s characters.") % {"max": MAX_SOURCE})
    if data.quality not in DataQuality.values:
        problems.add("quality", _("Choose how good the data is."))
    note = _check_note(problems, data.note)
    if IndicatorValue.objects.filter(
        city=city, indicator_key=indicator.key, measured_on=data.measured_on
    ).exists():
        problems.add(
            "measured_on",
            _("There is already a value for %(day)s. Values are kept as reported; give a "
              "correction its own date.") % {"day": data.measured_on.isoformat()},
        )  # fmt: skip
    problems.raise_any()
    entered = f"{data.value.normalize():f} {data.unit.strip()}"[:100]
    try:
        with transaction.atomic():
            return IndicatorValue.objects.create(
                city=city, indicator_key=indicator.key, indicator=indicator,
                measured_on=data.measured_on, value=value,
                entered_as=entered if data.unit.strip() != indicator.unit else "",
                source=source, quality=data.quality, note=note, created_by=by,
            )  # fmt: skip
    except IntegrityError:  # the same date saved meanwhile by someone else
        raise ValidationError(
            {"measured_on": [_("A value for this date was saved a moment ago.")]}
        ) from None


@transaction.atomic
def set_up_indicator(
    city: City, indicator: Indicator, *, computed_from: str, public: bool, by: Any
) -> IndicatorSetup:
    """Say whether an indicator is typed or computed from the inventories, and whether it is
    public."""
    endorsed = selectors.endorsed_iteration(city)
    if endorsed is None or indicator.iteration_id != endorsed.pk:
        raise ValidationError(_("This indicator is not part of the city's endorsed contract."))
    if computed_from and computed_from not in ComputedMetric.values:
        raise ValidationError({"computed_from": [_("Choose one of the listed ways.")]})
    if computed_from:
        problem = selectors.metric_problem(computed_from, indicator.unit, city.population)
        if problem:
            raise ValidationError({"computed_from": [problem]})
    setup, _created = IndicatorSetup.objects.update_or_create(
        city=city,
        indicator_key=indicator.key,
        defaults={"computed_from": computed_from, "public": public, "updated_by": by},
    )
    return setup


# --- the plan ---------------------------------------------------------------------------------


@transaction.atomic
def update_plan(
    city: City, *, reporting_months: int, publish_emissions: bool, base_version: int, by: Any
) -> MonitoringPlan:
    if reporting_months not in progress.REPORTING_MONTHS:
        raise ValidationError({"reporting_months": [_("Choose one of the periods listed.")]})
    plan = claim_version(
        MonitoringPlan, city=city, base_version=base_version, by=by, conflict=EditConflict
    )
    plan.reporting_months = reporting_months
    plan.publish_emissions = publish_emissions
    plan.save(update_fields=["reporting_months", "publish_emissions"])
    return plan


# --- reminders --------------------------------------------------------------------------------


def remind_editors(today: datetime.date | None = None) -> int:
    """Remind each monitored city's coordinators and editors when a reporting period's reports
    are due within two weeks, and again once they are late. Run daily (cron, or the task queue):
    each reminder goes once, however often this runs."""
    today = today or timezone.localdate()
    iterations = list(selectors.monitored_iterations())
    editors = city_editors(i.contract.city_id for i in iterations)
    sent = 0
    for iteration, reporting in selectors.reporting_by_city(iterations, today):
        kind = progress.remind_on(reporting, today)
        city = iteration.contract.city
        if kind is None or not editors.get(city.pk):
            continue
        title = (
            _("Overdue: %(city)s's progress reports for %(start)s to %(end)s were due on %(due)s")
            if kind == "late"
            else _("Due on %(due)s: %(city)s's progress reports for %(start)s to %(end)s")
        ) % {
            "city": city.name,
            "start": reporting.period.start.isoformat(),
            "end": reporting.period.end.isoformat(),
            "due": reporting.due.isoformat(),
        }
        body = _("%(n)s action(s) of the endorsed contract have no report for this period.") % {
            "n": len(reporting.missing)
        }
        sent += notify(
            editors[city.pk],
            source=f"monitoring:{city.pk}:{reporting.period.end.isoformat()}:{kind}",
            title=title,
            body=body,
            url=reverse("monitoring:city", args=[city.slug]),
        )
    return sent
