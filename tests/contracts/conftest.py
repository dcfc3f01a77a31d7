"""A city with a baseline inventory and a contract whose iteration passes every mission rule."""

from decimal import Decimal

import pytest

from cityzero.contracts import services
from cityzero.contracts.models import Action, ImpactPathway, Indicator, Removal, Signatory
from cityzero.contracts.modules import BY_CODE
from cityzero.ghg.gpc import REFS, Level
from cityzero.inventories import services as inventory_services
from tests.inventories.test_summary import record

# Mission scope by sector (AR6): buildings 1,000,000 MWh gas × 0.202 = 202,000 t;
# transport 100,000 t CO2 reported directly; waste 10,000 t CO2e. Baseline 312,000 t CO2e.
MEASURED = [
    record(gpc_ref="I.1.1", carrier="natural_gas", quantity="1000000", unit="MWh"),
    record(gpc_ref="II.1.1", quantity="100000", unit="t CO2"),
    record(gpc_ref="III.1.1", quantity="10000", unit="t CO2e"),
]
# Every other BASIC reference "not occurring", so the baseline is complete.
BASELINE_ROWS = MEASURED + [
    record(gpc_ref=ref, notation_key="NO", explanation="Not occurring in the city")
    for ref, gpc_ref in sorted(REFS.items())
    if Level.BASIC in gpc_ref.levels and ref not in {r["gpc_ref"] for r in MEASURED}
]
BASELINE_TCO2E = 312_000


def make_baseline(city):
    """The city's complete 2022 inventory: 312,000 t CO2e in the mission scope."""
    inventory = inventory_services.create_inventory(
        city, 2022, gwp_set="AR6", by=None, visibility="public"
    )
    return inventory_services.replace_rows(inventory, BASELINE_ROWS, by=None)


@pytest.fixture
def baseline(city):
    return make_baseline(city)


@pytest.fixture
def iteration(city, baseline):
    return services.start_contract(city, baseline=baseline, by=None)


def save_goal(iteration, **fields):
    data = {"introduction": "", "council_decision": "Council decision 2023/117",
            "council_decision_date": "2023-05-04", "exclusions": ""} | fields  # fmt: skip
    content = iteration.modules.filter(module="goal").first()
    return services.save_module(iteration, BY_CODE["goal"], fields=data, tables={},
                                base_version=content.version if content else 0, by=None)  # fmt: skip


def add(iteration, part):
    part.iteration = iteration
    return services.save_part(iteration, part, base_version=None, by=None)


def complete(iteration):
    """Everything the checklist asks for: 80% of each sector's baseline is reduced
    (buildings 161,600 of 202,000; transport 80,000 of 100,000; waste 8,000 of 10,000; in all
    249,600 of 312,000 t CO2e/yr) and the residual 62,400 t CO2e/yr is met by a sink."""
    save_goal(iteration)
    pathway = add(iteration, ImpactPathway(name="Heat without gas", field_of_action="energy",
                                           lever="technology"))  # fmt: skip
    add(iteration, Action(name="District heating", field_of_action="energy", lever="technology",
                          pathway=pathway, reduction_buildings=Decimal(161_600),
                          capex=Decimal(400_000_000)))  # fmt: skip
    add(iteration, Action(name="Low-emission zone", field_of_action="mobility",
                          lever="governance", pathway=pathway,
                          reduction_transport=Decimal(80_000), opex=Decimal(20_000_000)))  # fmt: skip
    add(iteration, Action(name="Biowaste collection", field_of_action="waste", lever="social_innovation",
                          pathway=pathway, reduction_waste=Decimal(8_000), capex=Decimal(2_000_000)))  # fmt: skip
    add(iteration, Indicator(name="Homes on district heat", pathway=pathway, unit="homes"))
    add(iteration, Removal(name="City forest", kind="sink", tco2e=Decimal(62_400)))
    services.save_module(iteration, BY_CODE["residual"], fields={"strategy": "Plant forests."},
                         tables={}, base_version=0, by=None)  # fmt: skip
    add(iteration, Signatory(institution="City of Aachen", level="local",
                             responsible_person="Mayor", commitment="We commit."))  # fmt: skip
    return iteration
