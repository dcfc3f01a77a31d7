"""Who may save results to a city, read a saved result, and publish or delete it."""

import pytest

from cityzero.accounts.permissions import can
from cityzero.finance.models import SavedResult
from tests.conftest import ROLE_NAMES

FINANCE_ACTIONS = ("finance.save", "finance.view_result", "finance.manage_result")
EDITORS = {"editor", "coordinator", "staff"}
TEAM_READERS = {"viewer", "editor", "coordinator", "advisor_of_city", "staff"}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_the_citys_coordinators_editors_and_staff_save_results_to_it(make_person, city, role):
    assert can(make_person(role), "finance.save", city) is (role in EDITORS)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("public", [False, True])
def test_a_saved_result_is_read_by_the_team_unless_public(make_person, city, role, public):
    result = SavedResult(city=city, public=public)
    readers = set(ROLE_NAMES) if public else TEAM_READERS
    assert can(make_person(role), "finance.view_result", result) is (role in readers)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("public", [False, True])
def test_only_the_citys_editors_and_staff_publish_or_delete_a_result(make_person, city, role,
                                                                     public):  # fmt: skip
    result = SavedResult(city=city, public=public)
    assert can(make_person(role), "finance.manage_result", result) is (role in EDITORS)
