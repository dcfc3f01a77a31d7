"""Contract writes: starting, copying, saving modules and parts, and what they refuse."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cityzero.contracts import services
from cityzero.contracts.models import (
    Action,
    ActionFunding,
    ImpactPathway,
    Iteration,
    IterationStatus,
    ModuleContent,
    Signatory,
)
from cityzero.contracts.modules import BY_CODE
from cityzero.inventories import services as inventory_services
from tests.contracts.conftest import add, complete, save_goal
from tests.factories import save_section, stakeholder

pytestmark = pytest.mark.django_db


def submit(iteration: Iteration) -> Iteration:
    # Submission is the review workflow's; here it only has to freeze the iteration.
    Iteration.objects.filter(pk=iteration.pk).update(status=IterationStatus.SUBMITTED)
    iteration.refresh_from_db()
    return iteration


def test_starting_a_contract_makes_iteration_one_with_the_baseline(city, baseline):
    iteration = services.start_contract(city, baseline=baseline, by=None)
    assert (iteration.number, iteration.baseline, iteration.status) == (1, baseline, "draft")
    with pytest.raises(ValidationError, match="already has a contract"):
        services.start_contract(city, baseline=baseline, by=None)


def test_a_baseline_of_another_city_is_refused(city, other_city):
    elsewhere = inventory_services.create_inventory(other_city, 2022, gwp_set="AR6", by=None)
    with pytest.raises(ValidationError, match="one of the city's own inventories"):
        services.start_contract(city, baseline=elsewhere, by=None)
    assert not Iteration.objects.exists()


def test_a_new_contract_starts_from_the_dossiers_barriers_and_stakeholders(city):
    save_section(city, "stakeholders", rows=[stakeholder("Stadtwerke", role="Heat supplier")])
    save_section(city, "barriers", rows=[{"typology": "financial",
                 "description": "No budget for retrofits", "field_of_action": "buildings"}])  # fmt: skip
    iteration = services.start_contract(city, baseline=None, by=None)
    tables = iteration.modules.get(module="barriers").data["tables"]
    assert tables["stakeholders"] == [
        {"stakeholder": "Stadtwerke", "system": "Utility or municipal company",
         "network": "Heat supplier", "influence": "high", "interest": "low"}
    ]  # fmt: skip
    assert tables["barriers"] == [
        {"title": "Financial", "field_of_action": "buildings",
         "description": "No budget for retrofits"}
    ]  # fmt: skip


def test_the_next_iteration_waits_until_the_draft_is_submitted(iteration):
    with pytest.raises(ValidationError, match="still a draft"):
        services.start_next_iteration(iteration.contract, by=None)


def test_the_next_iteration_is_a_copy_with_the_same_keys(iteration):
    complete(iteration)
    action = iteration.actions.get(name="District heating")
    ActionFunding.objects.create(action=action, source="loan", amount=Decimal(1000))
    copy = services.start_next_iteration(submit(iteration).contract, by=None)
    assert (copy.number, copy.copied_from, copy.status) == (2, iteration, "draft")
    for name in ("pathways", "actions", "indicators", "signatories", "removals"):
        old = sorted(p.key for p in getattr(iteration, name).all())
        assert sorted(p.key for p in getattr(copy, name).all()) == old, name
    copied = copy.actions.get(key=action.key)
    assert copied.pk != action.pk and copied.pathway.iteration == copy
    assert [(f.source, f.amount) for f in copied.fundings.all()] == [("loan", Decimal(1000))]
    assert copy.modules.get(module="goal").data == iteration.modules.get(module="goal").data


def test_a_submitted_iteration_cannot_change(iteration):
    complete(iteration)
    submit(iteration)
    with pytest.raises(ValidationError, match="has been submitted"):
        save_goal(iteration, council_decision="Changed")
    with pytest.raises(ValidationError, match="has been submitted"):
        add(iteration, ImpactPathway(name="Late", field_of_action="energy", lever="finance"))
    with pytest.raises(ValidationError, match="has been submitted"):
        services.delete_part(iteration, iteration.actions.first(), by=None)
    assert iteration.actions.count() == 3


def test_saving_a_module_renders_markdown_once_and_sanitised(iteration):
    content = save_goal(iteration, introduction="**Bold** <script>alert(1)</script>")
    assert content.html["introduction"].startswith("<p><strong>Bold</strong>")
    assert "<script" not in content.html["introduction"]
    assert content.data["fields"]["introduction"].endswith("<script>alert(1)</script>")


def test_a_stale_module_save_is_refused_and_nothing_changes(iteration):
    save_goal(iteration, council_decision="First")
    with pytest.raises(services.EditConflict):
        services.save_module(iteration, BY_CODE["goal"], fields={"council_decision": "Second"},
                             tables={}, base_version=0, by=None)  # fmt: skip
    stored = ModuleContent.objects.get(iteration=iteration, module="goal")
    assert (stored.version, stored.data["fields"]["council_decision"]) == (1, "First")


def test_every_save_bumps_the_iterations_version(iteration):
    before = iteration.version
    save_goal(iteration)
    add(iteration, ImpactPathway(name="P", field_of_action="energy", lever="finance"))
    iteration.refresh_from_db()
    assert iteration.version == before + 2


def test_a_stale_part_save_is_refused(iteration):
    pathway = add(iteration, ImpactPathway(name="P", field_of_action="energy", lever="finance"))
    stale = ImpactPathway.objects.get(pk=pathway.pk)
    pathway.name = "Renamed"
    services.save_part(iteration, pathway, base_version=1, by=None)
    stale.name = "Other name"
    with pytest.raises(services.EditConflict):
        services.save_part(iteration, stale, base_version=1, by=None)
    assert ImpactPathway.objects.get(pk=pathway.pk).name == "Renamed"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"capex": Decimal(-1)}, "greater than or equal to 0"),
        ({"reduction_transport": Decimal(-5)}, "greater than or equal to 0"),
        ({"reduction_waste": Decimal("1e13")}, "less than or equal to"),
        ({"name": ""}, "cannot be blank"),
        ({"field_of_action": "space"}, "is not a valid choice"),
    ],
)
def test_bad_actions_are_refused(iteration, fields, message):
    action = Action(iteration=iteration, **{"name": "Retrofits"} | fields)
    with pytest.raises(ValidationError, match=message):
        services.save_part(iteration, action, base_version=None, by=None)
    assert not iteration.actions.exists()


def test_an_action_cannot_use_another_iterations_pathway(iteration, other_city):
    other = services.start_contract(other_city, baseline=None, by=None)
    foreign = add(other, ImpactPathway(name="Theirs", field_of_action="energy", lever="finance"))
    with pytest.raises(ValidationError, match="impact pathway of this iteration"):
        add(iteration, Action(name="Mine", pathway=foreign))
    assert not iteration.actions.exists()


def test_funding_rows_replace_the_actions_funding_all_or_nothing(iteration):
    action = add(iteration, Action(name="Retrofits", capex=Decimal(100)))
    services.save_part(iteration, action, base_version=action.version, by=None,
                       fundings=[{"source": "municipal", "amount": Decimal(60)}])  # fmt: skip
    with pytest.raises(ValidationError):
        services.save_part(iteration, action, base_version=action.version, by=None,
                           fundings=[{"source": "municipal", "amount": Decimal(-1)}])  # fmt: skip
    assert [f.amount for f in action.fundings.all()] == [Decimal(60)]


def test_empty_comments_are_refused(iteration):
    with pytest.raises(ValidationError, match="Write a comment"):
        services.add_comment(iteration, module=BY_CODE["goal"], body="  ", by=None, side="city")


def test_importing_actions_updates_by_key_adds_new_ones_and_drops_the_rest(iteration):
    complete(iteration)
    heating = iteration.actions.get(name="District heating")
    ActionFunding.objects.create(action=heating, source="loan", amount=Decimal(5))
    pathway = heating.pathway
    rows = [
        {"key": None, "name": "Cycle highways", "reduction_transport": Decimal(900),
         "pathway": pathway},
        {"key": heating.key, "name": "District heating, phase 2", "capex": Decimal(1),
         "pathway": pathway},
    ]  # fmt: skip
    services.import_actions(iteration, rows, by=None)
    names = list(iteration.actions.order_by("position").values_list("name", flat=True))
    assert names == ["Cycle highways", "District heating, phase 2"]
    heating.refresh_from_db()
    assert heating.capex == Decimal(1) and heating.version == 2
    assert [f.amount for f in heating.fundings.all()] == [Decimal(5)]


def test_an_import_with_one_bad_action_changes_nothing(iteration):
    complete(iteration)
    before = list(iteration.actions.values_list("name", "reduction_buildings"))
    rows = [{"name": "Fine"}, {"name": "Bad", "capex": Decimal(-1)}]
    with pytest.raises(ValidationError):
        services.import_actions(iteration, rows, by=None)
    assert list(iteration.actions.values_list("name", "reduction_buildings")) == before


def test_a_signatorys_position_is_the_job_title_not_the_sort_order(iteration):
    first = add(iteration, Signatory(institution="City", level="local", responsible_person="Mayor",
                                     job_title="Lord Mayor"))  # fmt: skip
    second = add(iteration, Signatory(institution="Utility", level="local", responsible_person="CEO",
                                      job_title="Chief executive"))  # fmt: skip
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.job_title, second.job_title) == ("Lord Mayor", "Chief executive")
    assert (first.position, second.position) == (0, 1)


def test_changing_a_part_moves_the_iterations_last_change(iteration):
    before = Iteration.objects.get(pk=iteration.pk).updated_at
    add(iteration, ImpactPathway(name="P", field_of_action="energy", lever="finance"))
    assert Iteration.objects.get(pk=iteration.pk).updated_at > before
