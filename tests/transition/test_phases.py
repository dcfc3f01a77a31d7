"""The map's content: six phases, four to six steps each, every tool and tag real."""

import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from cityzero.core.markdown import render_markdown
from cityzero.knowledge.taxonomy import BY_CODE as TAGS
from cityzero.transition.phases import PHASES, STEP_BY_CODE, STEPS, ToolCity, neighbours

WITH_CONTRACT = ToolCity("aachen", "Aachen", iteration_number=2)
WITHOUT_CONTRACT = ToolCity("aachen", "Aachen")


def test_the_map_has_the_six_phases_of_the_mission_in_order():
    assert [(p.number, p.code, str(p.title)) for p in PHASES] == [
        (1, "mandate", "Build a strong mandate"),
        (2, "system", "Understand the system"),
        (3, "portfolio", "Co-design a portfolio"),
        (4, "act", "Act"),
        (5, "learn", "Learn & reflect"),
        (6, "normal", "Make it the new normal"),
    ]


@pytest.mark.parametrize("phase", PHASES, ids=lambda p: p.code)
def test_every_phase_has_four_to_six_steps(phase):
    assert 4 <= len(phase.steps) <= 6


def test_step_codes_are_unique_and_fit_an_address():
    codes = [step.code for step in STEPS]
    assert len(codes) == len(set(codes)) == len(STEP_BY_CODE)
    assert all(re.fullmatch(r"[a-z][a-z0-9-]{2,59}", code) for code in codes)


def test_steps_are_numbered_within_their_phase():
    assert [step.number for step in PHASES[2].steps] == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
    assert {step.phase for step in PHASES[2].steps} == {"portfolio"}


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.code)
def test_every_step_is_written_out_and_translatable(step):
    texts = [step.title, step.goal, step.guidance, *step.outputs, *(t.label for t in step.tools)]
    assert all(isinstance(text, Promise) for text in texts)
    assert step.outputs and step.tools
    assert str(step.guidance).count("\n\n") >= 2  # a few paragraphs
    assert render_markdown(str(step.guidance)).startswith("<p>")


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.code)
def test_every_tag_of_a_step_is_in_the_taxonomy_and_the_phase_tag_comes_first(step):
    assert step.tags[0] == f"phase-{step.phase}"
    assert set(step.tags) <= set(TAGS)
    assert len(step.tags) >= 2  # its phase and at least one theme, field, lever or contract part


def test_every_phase_tag_exists():
    assert {phase.tag for phase in PHASES} <= set(TAGS)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.code)
@pytest.mark.parametrize(
    "city", [None, WITHOUT_CONTRACT, WITH_CONTRACT], ids=["none", "new", "contract"]
)
def test_every_tool_resolves_to_a_page_with_or_without_a_city(step, city):
    for tool in step.tools:
        try:
            link = tool.link(city)
        except NoReverseMatch as error:  # pragma: no cover - the failure message
            pytest.fail(f"{step.code}: {tool.url_name}: {error}")
        assert link.url.startswith("/")


def test_a_tool_opens_the_citys_page_when_there_is_a_city():
    tool = STEP_BY_CODE["baseline-inventory"].tools[0]
    assert tool.link(WITH_CONTRACT).url == reverse("inventories:list", args=["aachen"])
    visitor = tool.link(None)
    assert visitor.url == reverse("cities:list") and visitor.note


def test_a_contract_module_tool_opens_the_newest_iteration_or_the_contract_home():
    tool = STEP_BY_CODE["impact-pathways"].tools[0]
    assert tool.link(WITH_CONTRACT).url == reverse(
        "contracts:module", args=["aachen", 2, "pathways"]
    )
    assert tool.link(WITHOUT_CONTRACT).url == reverse("contracts:home", args=["aachen"])


def test_a_query_tool_takes_the_city_as_a_filter():
    compare = STEP_BY_CODE["update-inventory"].tools[1]
    assert compare.link(WITH_CONTRACT).url == reverse("inventories:compare") + "?cities=aachen"


def test_the_steps_form_a_cycle():
    first, last = STEPS[0], STEPS[-1]
    assert neighbours(first) == (last, STEPS[1])
    assert neighbours(last) == (STEPS[-2], first)
