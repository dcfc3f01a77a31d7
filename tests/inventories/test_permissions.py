import pytest

from cityzero.accounts.permissions import can
from cityzero.cities.models import Visibility
from cityzero.inventories.models import Inventory, InventoryStatus

EDITORS = {"editor", "coordinator", "staff"}
TEAM = {"viewer", "editor", "coordinator", "advisor_of_city", "staff"}
ROLES = [
    "anonymous", "member", "viewer", "editor", "coordinator", "editor_of_other_city",
    "advisor_of_city", "advisor_elsewhere", "reviewer", "officer", "staff",
]  # fmt: skip
INVENTORY_ACTIONS = {"inventory.view", "inventory.create", "inventory.edit", "inventory.finalise"}

pytestmark = pytest.mark.django_db


def inventory(city, **fields) -> Inventory:
    return Inventory(city=city, year=2022, gwp_set="AR6", **fields)


@pytest.mark.parametrize("role", ROLES)
def test_editors_create_and_edit_drafts(make_person, city, role):
    person = make_person(role)
    assert can(person, "inventory.create", city) is (role in EDITORS)
    assert can(person, "inventory.edit", inventory(city)) is (role in EDITORS)


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_and_staff_finalise(make_person, city, role):
    assert can(make_person(role), "inventory.finalise", inventory(city)) is (
        role in {"coordinator", "staff"}
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_final_inventory_is_edited_by_nobody(make_person, city, role):
    final = inventory(city, status=InventoryStatus.FINAL)
    assert not can(make_person(role), "inventory.edit", final)
    assert not can(make_person(role), "inventory.finalise", final)


@pytest.mark.parametrize("role", ROLES)
def test_team_inventories_are_read_by_the_team_only(make_person, city, role):
    assert can(
        make_person(role), "inventory.view", inventory(city, visibility=Visibility.TEAM)
    ) is (role in TEAM)
    assert can(make_person(role), "inventory.view", inventory(city, visibility=Visibility.PUBLIC))
