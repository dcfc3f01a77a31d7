"""Aachen with an endorsed contract to monitor, and a later inventory to hold against its pathway.

The baseline (2022, from ``tests.contracts.conftest``): buildings 202,000, transport 100,000,
waste 10,000 t CO2e, 312,000 in all. The target (80%) allows 40,400 + 20,000 + 2,000 = 62,400 t
in 2030. On the straight line, 2024 (a quarter of the way) allows buildings 161,600, transport
80,000, waste 8,000: 249,600 t.
"""

import pytest

from cityzero.contracts import services as contracts
from cityzero.ghg.gpc import REFS, Level
from cityzero.inventories import services as inventory_services
from cityzero.reviews import services as reviews
from tests.contracts.conftest import complete, make_baseline
from tests.factories import LabelRoundFactory, UserFactory
from tests.inventories.test_summary import record


def inventory_rows(*, gas_mwh: str, transport_t: str, waste_t: str) -> list[dict]:
    measured = [
        record(gpc_ref="I.1.1", carrier="natural_gas", quantity=gas_mwh, unit="MWh"),
        record(gpc_ref="II.1.1", quantity=transport_t, unit="t CO2"),
        record(gpc_ref="III.1.1", quantity=waste_t, unit="t CO2e"),
    ]
    measured_refs = {row["gpc_ref"] for row in measured}
    return measured + [
        record(gpc_ref=ref, notation_key="NO", explanation="Not occurring in the city")
        for ref, gpc_ref in sorted(REFS.items())
        if Level.BASIC in gpc_ref.levels and ref not in measured_refs
    ]


def make_inventory(city, year, *, visibility="public", **quantities):
    """An inventory of ``year``: gas MWh × 0.202 t (buildings), transport and waste in tonnes."""
    inventory = inventory_services.create_inventory(
        city, year, gwp_set="AR6", by=None, visibility=visibility
    )
    return inventory_services.replace_rows(inventory, inventory_rows(**quantities), by=None)


def endorse(iteration, *, by_editor, by_staff, by_officer, label_round):
    for code, actor in (("submit", by_editor), ("open_feedback", by_staff),
                        ("forward", by_staff), ("endorse", by_officer)):  # fmt: skip
        reviews.take_step(iteration, code, by=actor, message="Because.", label_round=label_round)
    iteration.refresh_from_db()
    return iteration


def endorse_by_roles(iteration, make_person):
    """Endorse the complete draft, each step taken by a new person of the role it needs."""
    return endorse(
        iteration,
        by_editor=make_person("editor"),
        by_staff=make_person("staff"),
        by_officer=make_person("officer"),
        label_round=LabelRoundFactory(),
    )


@pytest.fixture
def endorsed(city, make_person):
    """Aachen's contract iteration 1, complete and endorsed today: three actions (district
    heating, low-emission zone, biowaste collection) and one indicator (homes on district heat)."""
    iteration = contracts.start_contract(city, baseline=make_baseline(city), by=None)
    complete(iteration)
    return endorse_by_roles(iteration, make_person)


@pytest.fixture
def inventory_2024(city, endorsed):
    """Buildings 141,400 (20,200 below the path), transport 90,000 (10,000 above it), waste
    8,000 (on it): 239,400 t in all, 10,200 below the 249,600 the path allows."""
    return make_inventory(city, 2024, gas_mwh="700000", transport_t="90000", waste_t="8000")


@pytest.fixture
def city_editor(city):
    from tests.factories import MembershipFactory

    return MembershipFactory(city=city, role="editor").user


@pytest.fixture
def stranger(db):
    return UserFactory()
