import pytest

from cityzero.accounts.permissions import can
from cityzero.cities.models import Visibility
from cityzero.contracts.models import Contract, Iteration, IterationStatus
from tests.inventories.test_permissions import EDITORS, ROLES, TEAM

CONTRACT_ACTIONS = {"contract.view", "contract.start", "contract.edit", "contract.comment"}
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}

pytestmark = pytest.mark.django_db


def iteration(city, **fields) -> Iteration:
    return Iteration(contract=Contract(city=city), number=1, **fields)


@pytest.mark.parametrize("role", ROLES)
def test_editors_start_and_edit_drafts(make_person, city, role):
    person = make_person(role)
    assert can(person, "contract.start", city) is (role in EDITORS)
    assert can(person, "contract.edit", iteration(city)) is (role in EDITORS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", [IterationStatus.SUBMITTED, IterationStatus.ENDORSED])
def test_a_submitted_iteration_is_edited_by_nobody(make_person, city, role, status):
    assert not can(make_person(role), "contract.edit", iteration(city, status=status))


@pytest.mark.parametrize("role", ROLES)
def test_the_team_and_its_advisors_comment(make_person, city, role):
    assert can(make_person(role), "contract.comment", iteration(city)) is (
        role in EDITORS | {"advisor_of_city"}
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "visibility, readers",
    [(Visibility.TEAM, TEAM), (Visibility.MEMBERS, SIGNED_IN), (Visibility.PUBLIC, EVERYONE)],
)
def test_drafts_are_read_as_far_as_the_city_shares_them(
    make_person, city, role, visibility, readers
):
    assert can(make_person(role), "contract.view", iteration(city, visibility=visibility)) is (
        role in readers
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_endorsed_iteration_is_public(make_person, city, role):
    endorsed = iteration(city, visibility=Visibility.TEAM, status=IterationStatus.ENDORSED)
    assert can(make_person(role), "contract.view", endorsed)
