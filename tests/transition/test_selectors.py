"""Reading progress: fixed query counts, counts per phase, the contract's citation."""

import pytest

from cityzero.transition import selectors
from cityzero.transition.phases import PHASES, STEPS
from cityzero.transition.services import report_progress

pytestmark = pytest.mark.django_db


def mark(city, steps, status="done"):
    for step in steps:
        report_progress(city, step.code, status=status, base_version=0, by=None)


@pytest.mark.parametrize("reported", [1, len(STEPS)])
def test_a_citys_progress_is_read_in_one_query(city, django_assert_num_queries, reported):
    mark(city, STEPS[:reported])
    with django_assert_num_queries(1):
        progress = selectors.city_progress(city)
        notes = [row.progress.updated_by for phase in progress.phases for row in phase.rows
                 if row.progress]  # fmt: skip
    assert len(notes) == reported and progress.done == reported


def test_the_summary_counts_steps_per_phase(city, other_city):
    mark(city, PHASES[0].steps[:2])
    mark(city, PHASES[0].steps[2:3], "in_progress")
    mark(city, PHASES[1].steps[:1], "not_started")
    mark(other_city, PHASES[0].steps)
    summary = selectors.progress_summary(city)
    first = summary.phases[0]
    assert (first.done, first.in_progress, first.not_started, first.total) == (2, 1, 2, 5)
    assert (summary.done, summary.in_progress, summary.total) == (2, 1, 31)


def test_the_citation_groups_phases_into_ranges(city):
    for phase in PHASES[:3]:
        mark(city, phase.steps)
    mark(city, PHASES[3].steps[:2])
    mark(city, PHASES[3].steps[2:3], "in_progress")
    assert selectors.progress_summary(city).citation() == (
        "Phases 1–3 done; phase 4 under way (2 of 5 steps done); phases 5–6 not started."
    )


def test_the_citation_names_single_phases_and_gaps(city):
    mark(city, PHASES[0].steps)
    mark(city, PHASES[2].steps)
    assert selectors.progress_summary(city).citation() == (
        "Phases 1, 3 done; phases 2, 4–6 not started."
    )


def test_the_citation_of_a_city_that_has_not_started(city):
    assert selectors.progress_summary(city).citation() == "No step reported yet."
