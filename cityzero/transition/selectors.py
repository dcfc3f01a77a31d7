"""Reads of the Climate Transition Map: a city's progress, summaries, linked resources.

Each function reads in a fixed number of queries whatever the number of steps or reports.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityzero.accounts.permissions import roles_of
from cityzero.cities.models import City
from cityzero.contracts.models import Iteration
from cityzero.knowledge.selectors import entries_tagged
from cityzero.transition.models import StepProgress, StepProgressRevision, StepStatus
from cityzero.transition.phases import PHASES, STEPS, Phase, Step, ToolCity

ENTRIES_PER_PAGE = 5


@dataclass(frozen=True)
class StepRow:
    step: Step
    progress: StepProgress | None

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else StepStatus.NOT_STARTED

    @property
    def status_label(self) -> Any:
        return StepStatus(self.status).label

    @property
    def version(self) -> int:
        return self.progress.version if self.progress else 0


@dataclass(frozen=True)
class PhaseProgress:
    phase: Phase
    done: int
    in_progress: int
    rows: list[StepRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.phase.steps)

    @property
    def not_started(self) -> int:
        return self.total - self.done - self.in_progress

    @property
    def state(self) -> str:
        """The phase as a whole: done when every step is, not started when none has begun."""
        if self.done == self.total:
            return StepStatus.DONE
        if self.done or self.in_progress:
            return StepStatus.IN_PROGRESS
        return StepStatus.NOT_STARTED


@dataclass(frozen=True)
class CityProgress:
    phases: list[PhaseProgress]
    statuses: dict[str, str]  # step code → status, for the steps reported on

    @property
    def done(self) -> int:
        return sum(p.done for p in self.phases)

    @property
    def in_progress(self) -> int:
        return sum(p.in_progress for p in self.phases)

    @property
    def total(self) -> int:
        return len(STEPS)

    @property
    def started(self) -> bool:
        return bool(self.done or self.in_progress)

    def citation(self) -> str:
        """One sentence for the contract's work process, e.g. "Phases 1–3 done; phase 4 under
        way (2 of 5 steps done); phases 5–6 not started."
        """
        if not self.started:
            return _("No step reported yet.")
        by_state: dict[str, list[PhaseProgress]] = {}
        for phase in self.phases:
            by_state.setdefault(phase.state, []).append(phase)
        parts = []
        if done := by_state.get(StepStatus.DONE):
            parts.append(_phases_sentence(done, _("%(phases)s done")))
        for phase in by_state.get(StepStatus.IN_PROGRESS, []):
            parts.append(
                _("phase %(number)s under way (%(done)s of %(total)s steps done)")
                % {"number": phase.phase.number, "done": phase.done, "total": phase.total}
            )
        if waiting := by_state.get(StepStatus.NOT_STARTED):
            parts.append(_phases_sentence(waiting, _("%(phases)s not started")))
        sentence = "; ".join(parts)
        return sentence[:1].upper() + sentence[1:] + "."


def _ranges(numbers: list[int]) -> list[str]:
    """[1, 2, 3, 5] → ["1–3", "5"]"""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]


def _phases_sentence(phases: list[PhaseProgress], template: str) -> str:
    numbers = _ranges([p.phase.number for p in phases])
    named = ngettext("phase %(numbers)s", "phases %(numbers)s", len(phases)) % {
        "numbers": ", ".join(numbers)
    }
    return template % {"phases": named}


def _progress(statuses: dict[str, str], records: dict[str, StepProgress]) -> CityProgress:
    phases = []
    for phase in PHASES:
        rows = [StepRow(step, records.get(step.code)) for step in phase.steps]
        codes = [step.code for step in phase.steps]
        phases.append(
            PhaseProgress(
                phase,
                done=sum(statuses.get(code) == StepStatus.DONE for code in codes),
                in_progress=sum(statuses.get(code) == StepStatus.IN_PROGRESS for code in codes),
                rows=rows,
            )
        )
    return CityProgress(phases, statuses)


def city_progress(city: City) -> CityProgress:
    """Every step of the map with the city's report on it (one query)."""
    records = {
        record.step: record
        for record in StepProgress.objects.filter(city=city).select_related("updated_by")
    }
    return _progress({code: r.status for code, r in records.items()}, records)


def progress_summary(city: City | int) -> CityProgress:
    """Counts per phase only, for the dossier and the contract (one query, no notes read)."""
    statuses = dict(
        StepProgress.objects.filter(city=city)
        .exclude(status=StepStatus.NOT_STARTED)
        .values_list("step", "status")
    )
    return _progress(statuses, {})


def _newest_iteration() -> Subquery:
    newest = Iteration.objects.filter(contract__city=OuterRef("pk")).order_by("-number")
    return Subquery(newest.values("number")[:1])


def city_for_map(slug: str) -> City:
    """The city, with ``newest_iteration`` (its newest contract iteration's number, or None)."""
    return (
        City.objects.select_related("country")
        .annotate(newest_iteration=_newest_iteration())
        .get(slug=slug)
    )


def tool_city(city: City) -> ToolCity:
    return ToolCity(city.slug, city.name, getattr(city, "newest_iteration", None))


def team_cities(user: Any) -> list[City]:
    """The cities whose team this person belongs to, by name (one query, none if anonymous)."""
    ids = list(roles_of(user).city_roles)
    if not ids:
        return []
    return list(
        City.objects.filter(pk__in=ids)
        .annotate(newest_iteration=_newest_iteration())
        .order_by("name")
    )


def step_reports(cities: list[City], step: Step) -> list[StepRow]:
    """Each of these cities' progress on one step (one query)."""
    if not cities:
        return []
    records = {
        record.city_id: record
        for record in StepProgress.objects.filter(city__in=cities, step=step.code)
    }
    return [StepRow(step, records.get(city.pk)) for city in cities]


def step_progress(city: City, step: Step) -> StepProgress | None:
    return (
        StepProgress.objects.filter(city=city, step=step.code).select_related("updated_by").first()
    )


def progress_revisions(progress: StepProgress | None) -> QuerySet[StepProgressRevision] | list:
    if progress is None or progress.pk is None:
        return []
    return progress.revisions.select_related("author").order_by("-version")


def step_entries(step: Step) -> list:
    """Published knowledge entries about the step, those sharing most of its tags first."""
    return entries_tagged(step.tags, limit=ENTRIES_PER_PAGE)


def phase_entries(phase: Phase) -> list:
    return entries_tagged([phase.tag], limit=ENTRIES_PER_PAGE)
