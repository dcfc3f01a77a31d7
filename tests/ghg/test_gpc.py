import pytest

from cityzero.ghg.gpc import REFS, GpcError, Level, parse_ref, refs_at, refs_in_text


@pytest.mark.parametrize(
    ("text", "sector", "subsector", "scope"),
    [
        ("I.1.1", "I", "I.1", 1),
        ("II.1.3", "II", "II.1", 3),
        ("III.1.2", "III", "III.1", 3),
        ("III.1.3", "III", "III.1", 1),
        ("IV.1", "IV", "IV.1", 1),
        ("V.2", "V", "V.2", 1),
        ("VI.1", "VI", "VI.1", 3),
        (" i.4.4 ", "I", "I.4", 1),
    ],
)
def test_parse_ref_reads_sector_subsector_and_scope(text, sector, subsector, scope):
    ref = parse_ref(text)
    assert (ref.sector, ref.subsector, ref.scope) == (sector, subsector, scope)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("I.1.9", "I.1 has I.1.1, I.1.2, I.1.3"),
        ("I.9.1", "no sub-sector I.9"),
        ("1.1.1", "write it like"),
        ("II.5.3", "II.5 has"),
    ],
)
def test_parse_ref_rejects_unknown_references_with_a_hint(text, hint):
    with pytest.raises(GpcError, match=hint):
        parse_ref(text)


def test_basic_covers_stationary_and_transport_scopes_1_2_and_waste_scopes_1_3():
    basic = {r.ref for r in refs_at(Level.BASIC)}
    assert {"I.1.1", "I.1.2", "I.7.1", "I.8.1", "II.5.2", "III.1.1", "III.4.2"} <= basic
    assert not basic & {"I.1.3", "I.4.4", "II.1.3", "III.1.3", "IV.1", "V.1", "VI.1"}
    assert {r.scope for r in refs_at(Level.BASIC) if r.sector == "III"} == {1, 3}


def test_basic_plus_adds_ippu_afolu_td_losses_and_transboundary_transport():
    added = {r.ref for r in refs_at(Level.BASIC_PLUS)} - {r.ref for r in refs_at(Level.BASIC)}
    assert added == {
        *(f"I.{n}.3" for n in range(1, 7)),
        *(f"II.{n}.3" for n in range(1, 5)),
        "IV.1",
        "IV.2",
        "V.1",
        "V.2",
        "V.3",
    }


def test_mission_scope_is_basic_plus_ippu_and_afolu():
    mission = {r.ref for r in refs_at(Level.MISSION)}
    assert mission == {r.ref for r in refs_at(Level.BASIC)} | {"IV.1", "IV.2", "V.1", "V.2", "V.3"}


def test_only_grid_generation_is_reported_separately():
    assert [r.ref for r in REFS.values() if r.reported_separately] == ["I.4.4"]


def test_refs_in_text_finds_references_in_an_explanation():
    assert [r.ref for r in refs_in_text("included in I.2.1 and II.1.1, see p. 4")] == [
        "I.2.1",
        "II.1.1",
    ]
