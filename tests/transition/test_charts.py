"""The map's SVG: well-formed, labelled, every phase and step a link, status never colour alone."""

import xml.etree.ElementTree as ET

from cityzero.transition.charts import city_map_svg, public_map_svg, transition_map_svg
from cityzero.transition.phases import PHASES, STEPS

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own markup, parsed to check it is well-formed


def links(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}a"))


def test_the_public_map_is_well_formed_and_labelled_by_its_title_and_description():
    root = parse(public_map_svg())
    assert root.get("role") == "group"
    title_id, desc_id = root.get("aria-labelledby").split()
    titles = {element.get("id"): element.text for element in root if element.get("id")}
    assert titles[title_id] == "Climate Transition Map"
    assert "A cycle of six phases" in titles[desc_id]
    assert "1 Build a strong mandate (5 steps)" in titles[desc_id]


def test_every_phase_and_step_is_a_named_link_to_its_page():
    anchors = links(parse(public_map_svg()))
    assert len(anchors) == len(PHASES) + len(STEPS)
    assert all(a.get("href") and a.get("aria-label") for a in anchors)
    assert all(a.find(f"{SVG}title").text == a.get("aria-label") for a in anchors)
    hrefs = {a.get("href") for a in anchors}
    assert "/transition/mandate/" in hrefs and "/transition/system/baseline-inventory/" in hrefs


def test_names_are_escaped():
    svg = city_map_svg("x", 'Town <script>alert("x")</script> & Co', {})
    parse(svg)
    assert "<script>" not in svg


def test_a_city_map_says_each_steps_status_in_words_and_in_a_symbol():
    statuses = {"political-commitment": "done", "mission-team": "in_progress"}
    root = parse(city_map_svg("aachen", "Aachen", statuses))
    labels = {a.get("aria-label") for a in links(root)}
    assert "1.1 Secure political commitment — Done" in labels
    assert "1.2 Set up a mission team — In progress" in labels
    assert "1.3 Write a shared vision for 2030 — Not started" in labels
    assert "Phase 1: Build a strong mandate — 1 of 5 done" in labels
    classes = [a.get("class") for a in links(root)]
    assert classes.count("tm-step tm-step--done") == 1
    assert classes.count("tm-step tm-step--not_started") == len(STEPS) - 2


def test_a_city_map_has_a_legend_and_a_description_of_the_progress():
    root = parse(city_map_svg("aachen", "Aachen", {"political-commitment": "done"}))
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("Aachen's progress on the map: 1 of 31 steps done, 0 in progress.")
    legend = root.find(f"{SVG}g[@class='tm-legend']")
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["Not started", "In progress", "Done"]


def test_the_map_can_be_drawn_with_any_addresses():
    svg = transition_map_svg(phase_url=lambda p: f"#{p.code}", step_url=lambda s: f"#{s.code}",
                             chart_id="other")  # fmt: skip
    assert parse(svg).get("aria-labelledby") == "other-title other-desc"
