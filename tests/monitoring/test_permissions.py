"""Who reports on a city's implementation, who reads what it did not publish, who oversees all."""

import datetime

import pytest

from cityzero.accounts.permissions import can
from cityzero.monitoring.models import ActionReport, EvidenceFile
from tests.conftest import ROLE_NAMES

MONITORING_ACTIONS = (
    "monitoring.report",
    "monitoring.view_all",
    "monitoring.open_evidence",
    "monitoring.overview",
)
EDITORS = {"editor", "coordinator"}
TEAM_READERS = {"viewer", "editor", "coordinator", "advisor_of_city", "staff"}
# Advisors are platform advisors, wherever they advise; the overview shows each only theirs.
OVERSEERS = {"advisor_of_city", "advisor_elsewhere", "staff"}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("action", "allowed"),
    [("monitoring.report", EDITORS), ("monitoring.view_all", TEAM_READERS)],
)
def test_only_the_citys_editors_report_and_the_team_reads_everything(
    make_person, city, role, action, allowed
):
    assert can(make_person(role), action, city) is (role in allowed)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_advisors_and_staff_oversee_monitoring(make_person, role):
    assert can(make_person(role), "monitoring.overview", None) is (role in OVERSEERS)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("public", [True, False])
def test_evidence_follows_its_report(make_person, city, role, public):
    report = ActionReport(city=city, reported_on=datetime.date(2026, 1, 1), public=public)
    evidence = EvidenceFile(report=report)
    allowed = role in TEAM_READERS or public
    assert can(make_person(role), "monitoring.open_evidence", evidence) is allowed
