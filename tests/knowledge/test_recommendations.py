"""Recommendations: which entries answer a city's barriers, actions and priorities, and why."""

import pytest
from django.urls import reverse

from cityzero.cities.models import Barrier
from cityzero.contracts import services as contract_services
from cityzero.contracts.models import Action
from cityzero.contracts.modules import BY_CODE
from cityzero.knowledge.models import Entry, EntryStatus, Tag
from cityzero.knowledge.recommendations import (
    Signal,
    action_signals,
    barrier_signals,
    recommend,
)
from cityzero.knowledge.services import load_tags, save_entry
from tests.contracts.conftest import add, make_baseline
from tests.factories import save_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def tags(db):
    load_tags()
    return {tag.code: tag for tag in Tag.objects.all()}


def entry(tags, title, codes, *, body="", published=True):
    made = Entry(title=title, summary=title, body=body, kind="guide", language="en")
    return save_entry(made, tags=[tags[c] for c in codes], by=None, publish=published)


def test_barriers_and_actions_become_tag_signals():
    barrier = Barrier(typology="financial", field_of_action="buildings",
                      description="No money for retrofits")  # fmt: skip
    action = Action(name="Heat pumps", field_of_action="energy", lever="finance")
    signals = barrier_signals([barrier])
    assert [s.tag for s in signals] == ["finance", "green-finance", "buildings"]
    assert {s.reason for s in signals} == {"your barrier “No money for retrofits”"}
    assert action_signals([action]) == [
        Signal("energy", "your action “Heat pumps”"),
        Signal("finance", "your action “Heat pumps”"),
    ]


def test_entries_answering_more_signals_come_first_with_their_reasons(tags):
    both = entry(tags, "Financing heat networks", ["energy", "finance"])
    one = entry(tags, "Energy basics", ["energy"])
    entry(tags, "Cycle lanes", ["mobility"])
    entry(tags, "Unpublished finance", ["finance"], published=False)
    signals = [Signal("energy", "your action “District heating”"),
               Signal("finance", "your barrier “No money”")]  # fmt: skip
    found = recommend(signals)
    assert [r.entry for r in found] == [both, one]
    assert found[0].reasons == ["your action “District heating”", "your barrier “No money”"]
    assert found[1].reasons == ["your action “District heating”"]


def test_priorities_are_searched_as_text(tags):
    assembly = entry(tags, "Running a citizens' assembly", ["democracy"],
                     body="A citizens assembly decides on the climate plan.")  # fmt: skip
    entry(tags, "Bus procurement", ["procurement"])
    found = recommend([], ["Citizens assembly"])
    assert [(r.entry, r.reasons) for r in found] == [
        (assembly, ["your priority “Citizens assembly”"])
    ]


def test_no_signal_no_recommendation(tags):
    entry(tags, "Anything", ["energy"])
    assert recommend([], []) == []
    assert recommend([], ["   "]) == []


def test_at_most_the_limit_and_three_reasons_each(tags):
    for n in range(8):
        entry(tags, f"Entry {n}", ["energy", "finance", "governance", "learning"])
    signals = [Signal(code, f"reason {code}")
               for code in ("energy", "finance", "governance", "learning")]  # fmt: skip
    found = recommend(signals, limit=6)
    assert len(found) == 6
    assert all(len(r.reasons) == 3 for r in found)
    assert found[0].entry.status == EntryStatus.PUBLISHED


def test_the_contract_overview_recommends_entries_for_its_actions(client, tags, make_person):
    editor = make_person("editor")
    city = editor.memberships.get().city
    iteration = contract_services.start_contract(city, baseline=make_baseline(city), by=None)
    add(iteration, Action(name="Heat network", field_of_action="energy", lever="technology"))
    contract_services.save_module(
        iteration, BY_CODE["priorities"], fields={"principles": ""},
        tables={"priorities": [{"priority": "Citizens assembly", "description": ""}]},
        base_version=0, by=None,
    )  # fmt: skip
    heat = entry(tags, "Heat network planning", ["energy", "technology"])
    entry(tags, "Running a citizens' assembly", ["democracy"],
          body="A citizens assembly on climate.")  # fmt: skip
    client.force_login(editor)
    page = client.get(reverse("contracts:overview", args=[city.slug, 1])).content.decode()
    assert heat.title in page and "your action “Heat network”" in page
    assert "Running a citizens&#x27; assembly" in page
    assert "your priority “Citizens assembly”" in page


def test_the_dossier_recommends_to_the_team_only(client, tags, city, make_person):
    barrier = {"typology": "financial", "description": "No money for deep retrofits",
               "field_of_action": "buildings"}  # fmt: skip
    save_section(city, "barriers", "team", rows=[barrier])
    entry(tags, "Green bonds for renovation", ["finance", "buildings"])
    url = reverse("cities:detail", args=[city.slug])
    client.force_login(make_person("editor"))
    page = client.get(url).content.decode()
    assert "Green bonds for renovation" in page
    assert "your barrier “No money for deep retrofits”" in page
    client.logout()
    client.force_login(make_person("member"))
    page = client.get(url).content.decode()
    assert "Recommended from the Knowledge Repository" not in page
    assert "No money for deep retrofits" not in page
