"""Reporting progress: statuses, bad input, conflicts, history."""

import pytest
from django.core.exceptions import ValidationError

from cityzero.core.cache import public_data_version
from cityzero.transition.models import StepProgress, StepProgressRevision, StepStatus
from cityzero.transition.services import EditConflict, report_progress
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STEP = "baseline-inventory"


def report(city, step=STEP, *, version=0, by=None, **fields):
    values = {"status": StepStatus.IN_PROGRESS, "note": "", "evidence_url": ""} | fields
    return report_progress(city, step, base_version=version, by=by, **values)


@pytest.mark.parametrize("status", StepStatus.values)
def test_each_status_can_be_reported(city, status):
    report(city, status=status, note="Started with the utility's data.")
    assert StepProgress.objects.get(city=city, step=STEP).status == status


def test_a_report_is_recorded_with_who_when_and_what(city):
    author = UserFactory()
    revision = report(city, status="done", note="Finalised.", evidence_url="https://example.org/x",
                      by=author)  # fmt: skip
    progress = StepProgress.objects.get(city=city, step=STEP)
    assert (progress.version, progress.updated_by, progress.status) == (1, author, "done")
    assert (revision.version, revision.author, revision.changed) == (
        1, author, ["status", "note", "evidence_url"]
    )  # fmt: skip
    assert revision.created_at is not None and progress.updated_at is not None


def test_every_change_adds_a_revision_naming_the_changed_fields(city):
    report(city, status="in_progress", note="Collecting data.")
    second = report(city, version=1, status="in_progress", note="Collecting data.",
                    evidence_url="https://example.org/data")  # fmt: skip
    third = report(city, version=2, status="done", note="Collecting data.",
                   evidence_url="https://example.org/data")  # fmt: skip
    assert (second.changed, third.changed) == (["evidence_url"], ["status"])
    history = StepProgressRevision.objects.filter(progress__city=city)
    assert list(history.values_list("version", "status")) == [
        (3, "done"), (2, "in_progress"), (1, "in_progress")
    ]  # fmt: skip


def test_saving_the_same_values_writes_nothing(city):
    report(city, note="Same")
    assert report(city, version=1, note="Same") is None
    assert StepProgress.objects.get(city=city, step=STEP).version == 1


def test_reporting_not_started_on_a_step_never_reported_writes_nothing(city):
    assert report(city, status="not_started") is None
    assert not StepProgress.objects.exists()


def test_a_stale_version_is_a_conflict_and_writes_nothing(city):
    report(city, note="First")
    report(city, version=1, note="Second")
    with pytest.raises(EditConflict) as raised:
        report(city, version=1, note="Overwrite")
    assert raised.value.current.note == "Second"
    assert StepProgress.objects.get(city=city, step=STEP).note == "Second"
    assert StepProgressRevision.objects.count() == 2


def test_two_first_reports_on_the_same_step_conflict(city):
    report(city, note="Mine")
    with pytest.raises(EditConflict):
        report(city, version=0, note="Theirs")


def test_a_version_for_a_step_never_reported_is_a_conflict(city):
    with pytest.raises(EditConflict):
        report(city, version=3, note="From a stale page")


def errors_of(raised) -> dict:
    return raised.value.message_dict


def test_an_unknown_step_is_refused(city):
    with pytest.raises(ValidationError) as raised:
        report(city, step="build-a-rocket")
    assert "There is no step “build-a-rocket” on the map." in errors_of(raised)["step"]
    assert not StepProgress.objects.exists()


def test_an_unknown_status_is_refused(city):
    with pytest.raises(ValidationError) as raised:
        report(city, status="finished")
    assert "status" in errors_of(raised)


def test_a_huge_note_is_refused_with_its_length(city):
    with pytest.raises(ValidationError) as raised:
        report(city, note="x" * 2001)
    assert errors_of(raised)["note"] == ["Keep the note to 2,000 characters; it has 2,001."]


def test_a_note_of_2000_characters_with_windows_line_breaks_fits(city):
    report(city, note=("x" * 99 + "\r\n") * 20)
    assert len(StepProgress.objects.get().note) == 1999  # stripped of its last line break


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html,<script>",
     "ftp://example.org/file", "not a link", "https://", "http://exa mple.org"],
)  # fmt: skip
def test_a_bad_or_dangerous_evidence_link_is_refused(city, url):
    with pytest.raises(ValidationError) as raised:
        report(city, evidence_url=url)
    assert "evidence_url" in errors_of(raised)
    assert not StepProgress.objects.exists()


def test_a_too_long_evidence_link_is_refused(city):
    with pytest.raises(ValidationError) as raised:
        report(city, evidence_url="https://example.org/" + "a" * 500)
    assert errors_of(raised)["evidence_url"] == ["Keep the link to 500 characters."]


def test_reporting_refreshes_cached_public_pages(city, django_capture_on_commit_callbacks):
    before = public_data_version()
    with django_capture_on_commit_callbacks(execute=True):
        report(city, status="done")
    assert public_data_version() > before
