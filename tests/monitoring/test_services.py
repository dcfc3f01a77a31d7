"""Progress reports, indicator values, the indicator setup and the plan, written through the
services: what they keep, and everything they refuse with nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cityzero.contracts import services as contracts
from cityzero.contracts.models import Action, Indicator
from cityzero.core.uploads import PDF
from cityzero.monitoring import selectors
from cityzero.monitoring.models import (
    ActionReport,
    EvidenceFile,
    IndicatorSetup,
    IndicatorValue,
    MonitoringPlan,
)
from cityzero.monitoring.services import (
    EditConflict,
    ReportInput,
    ValueInput,
    record_value,
    report_progress,
    set_up_indicator,
    update_plan,
)
from tests.contracts.conftest import complete, make_baseline
from tests.core.test_uploads import PDF_BYTES
from tests.factories import LabelRoundFactory
from tests.monitoring.conftest import endorse

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)


def pdf(name="minutes.pdf"):
    """A PDF upload as ``CheckedFileField`` leaves it: checked, with its kind."""
    upload = SimpleUploadedFile(name, PDF_BYTES)
    upload.kind = PDF
    return upload


def actions_of(iteration):
    return {a.name: a for a in Action.objects.filter(iteration=iteration)}


@pytest.fixture
def heating(endorsed):
    return actions_of(endorsed)["District heating"]


@pytest.fixture
def homes(endorsed):
    return Indicator.objects.get(iteration=endorsed)


def report(**fields):
    data = {"reported_on": datetime.date(2026, 3, 1), "status": "in_progress", "percent_done": 30}
    return ReportInput(**(data | fields))


def stored_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


@pytest.fixture
def nothing_saved(media_root):
    """Asserts, after the test, that no report, file row or stored file was added."""
    before = (ActionReport.objects.count(), EvidenceFile.objects.count(), stored_files(media_root))
    yield
    after = (ActionReport.objects.count(), EvidenceFile.objects.count(), stored_files(media_root))
    assert after == before


# --- progress reports --------------------------------------------------------------------------


def test_report_progress_keeps_the_report_with_its_links_and_files(
    city, heating, city_editor, media_root
):
    data = report(
        reported_on=datetime.date(2026, 3, 10),
        status="in_progress",
        percent_done=40,
        spend_to_date=Decimal("125000000.50"),
        next_milestone="  Second heat plant commissioned ",
        milestone_on=datetime.date(2026, 9, 30),
        note="Pipes laid in the east.\r\nOn schedule.",
        evidence_links=["https://aachen.de/heat", "  ", "http://example.org/minutes"],
        public=True,
    )
    saved = report_progress(
        city, heating, data, files=[pdf("Council minutes.pdf"), pdf()], by=city_editor, today=TODAY
    )
    saved.refresh_from_db()
    assert saved.city == city
    assert saved.action == heating
    assert saved.action_key == heating.key
    assert saved.reported_on == datetime.date(2026, 3, 10)
    assert (saved.status, saved.percent_done) == ("in_progress", 40)
    assert saved.spend_to_date == Decimal("125000000.50")
    assert saved.next_milestone == "Second heat plant commissioned"
    assert saved.milestone_on == datetime.date(2026, 9, 30)
    assert saved.note == "Pipes laid in the east.\nOn schedule."
    assert saved.evidence_links == ["https://aachen.de/heat", "http://example.org/minutes"]
    assert saved.public is True
    assert saved.created_by == city_editor
    files = list(saved.files.order_by("name"))
    assert [(f.name, f.content_type, f.size) for f in files] == [
        ("Council_minutes.pdf", "application/pdf", len(PDF_BYTES)),
        ("minutes.pdf", "application/pdf", len(PDF_BYTES)),
    ]
    assert all(f.uploaded_by == city_editor for f in files)
    assert len(stored_files(media_root)) == 2
    for stored in files:
        with stored.file.open("rb") as handle:
            assert handle.read() == PDF_BYTES


def test_a_report_dated_today_is_accepted(city, heating, city_editor):
    saved = report_progress(city, heating, report(reported_on=TODAY), by=city_editor, today=TODAY)
    assert saved.reported_on == TODAY


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reported_on": TODAY + datetime.timedelta(days=1)}, "reported_on"),
        ({"reported_on": datetime.date(2014, 12, 31)}, "reported_on"),
        ({"status": "finished"}, "status"),
        ({"status": ""}, "status"),
        ({"percent_done": 101}, "percent_done"),
        ({"percent_done": -1}, "percent_done"),
        ({"status": "completed", "percent_done": 99}, "percent_done"),
        ({"status": "not_started", "percent_done": 1}, "percent_done"),
        ({"spend_to_date": Decimal("-0.01")}, "spend_to_date"),
        ({"spend_to_date": Decimal("10000000000000.01")}, "spend_to_date"),
        ({"spend_to_date": Decimal("1e30")}, "spend_to_date"),
        ({"spend_to_date": Decimal("NaN")}, "spend_to_date"),
        ({"spend_to_date": Decimal("sNaN")}, "spend_to_date"),
        ({"spend_to_date": Decimal("Infinity")}, "spend_to_date"),
        ({"milestone_on": datetime.date(2026, 6, 1)}, "next_milestone"),
        ({"milestone_on": datetime.date(2026, 6, 1), "next_milestone": "   "}, "next_milestone"),
        ({"next_milestone": "m" * 201}, "next_milestone"),
        ({"evidence_links": [f"https://aachen.de/{n}" for n in range(6)]}, "evidence_links"),
        ({"evidence_links": ["ftp://aachen.de/plan.pdf"]}, "evidence_links"),
        ({"evidence_links": ["javascript:alert(1)"]}, "evidence_links"),
        ({"evidence_links": ["aachen.de/plan"]}, "evidence_links"),
        ({"evidence_links": ["https://aachen.de/" + "a" * 500]}, "evidence_links"),
        ({"note": "n" * 2001}, "note"),
    ],
)
def test_report_progress_refuses_bad_input_and_saves_nothing(
    city, heating, city_editor, nothing_saved, fields, field
):
    with pytest.raises(ValidationError) as error:
        report_progress(city, heating, report(**fields), files=[pdf()], by=city_editor, today=TODAY)
    assert list(error.value.message_dict) == [field]


def test_every_problem_of_a_report_is_named_at_once(city, heating, city_editor, nothing_saved):
    data = report(
        reported_on=datetime.date(2030, 1, 1),
        percent_done=150,
        spend_to_date=Decimal(-5),
        note="n" * 2001,
    )
    with pytest.raises(ValidationError) as error:
        report_progress(city, heating, data, by=city_editor, today=TODAY)
    assert set(error.value.message_dict) == {"reported_on", "percent_done", "spend_to_date", "note"}


def test_a_completed_action_at_100_and_an_unstarted_one_at_0_are_accepted(
    city, endorsed, city_editor
):
    actions = actions_of(endorsed)
    done = report_progress(city, actions["District heating"], report(status="completed",
                           percent_done=100), by=city_editor, today=TODAY)  # fmt: skip
    waiting = report_progress(city, actions["Biowaste collection"], report(status="not_started",
                              percent_done=0), by=city_editor, today=TODAY)  # fmt: skip
    assert (done.percent_done, waiting.percent_done) == (100, 0)


def test_a_spend_beyond_the_budget_is_kept_and_flagged_not_refused(city, heating, city_editor):
    # District heating costs 400,000,000 € in the contract.
    report_progress(city, heating, report(spend_to_date=Decimal("400000000.01")), by=city_editor,
                    today=TODAY)  # fmt: skip
    item = next(
        a for a in selectors.city_monitoring(city, city_editor).actions if a.action == heating
    )
    assert item.budget == 400_000_000
    assert item.over_budget


def test_at_most_five_files(city, heating, city_editor, nothing_saved):
    files = [pdf(f"p{n}.pdf") for n in range(6)]
    with pytest.raises(ValidationError) as error:
        report_progress(city, heating, report(), files=files, by=city_editor, today=TODAY)
    assert list(error.value.message_dict) == ["files"]


def test_five_files_are_accepted(city, heating, city_editor, media_root):
    files = [pdf(f"p{n}.pdf") for n in range(5)]
    saved = report_progress(city, heating, report(), files=files, by=city_editor, today=TODAY)
    assert saved.files.count() == 5
    assert len(stored_files(media_root)) == 5


class BrokenUpload(SimpleUploadedFile):
    """An upload whose content cannot be read when it is stored (a disk or network error)."""

    def chunks(self, chunk_size=None):
        raise OSError("connection reset")


def store_with_a_broken_file(city, heating, city_editor):
    broken = BrokenUpload("broken.pdf", PDF_BYTES)
    broken.kind = PDF
    with pytest.raises(OSError, match="connection reset"):
        report_progress(city, heating, report(), files=[pdf(), broken], by=city_editor,
                        today=TODAY)  # fmt: skip


def test_a_file_that_fails_to_store_leaves_no_report_and_removes_the_stored_ones(
    city, heating, city_editor, media_root
):
    store_with_a_broken_file(city, heating, city_editor)
    assert (ActionReport.objects.count(), EvidenceFile.objects.count()) == (0, 0)
    assert [path for path in stored_files(media_root) if path.stat().st_size] == []


def test_a_file_that_fails_to_store_leaves_no_partial_file(city, heating, city_editor, media_root):
    store_with_a_broken_file(city, heating, city_editor)
    assert stored_files(media_root) == []


def test_an_action_of_another_city_is_refused(other_city, heating, nothing_saved):
    # Valencia has no endorsed contract; Aachen's action is not Valencia's either way.
    with pytest.raises(ValidationError) as error:
        report_progress(other_city, heating, report(), files=[pdf()], by=None, today=TODAY)
    assert not hasattr(error.value, "error_dict")
    assert "endorsed contract" in error.value.messages[0]


def test_an_action_of_another_endorsed_city_is_refused(
    city, other_city, heating, make_person, nothing_saved
):
    valencia = contracts.start_contract(other_city, baseline=make_baseline(other_city), by=None)
    complete(valencia)
    endorse(valencia, by_editor=make_person("editor_of_other_city"),
            by_staff=make_person("staff"), by_officer=make_person("officer"),
            label_round=LabelRoundFactory())  # fmt: skip
    valencia_heating = actions_of(valencia)["District heating"]
    # Aachen's editor reporting Valencia's action under Aachen, and the other way round.
    for where, action in ((city, valencia_heating), (other_city, heating)):
        with pytest.raises(ValidationError, match="endorsed contract"):
            report_progress(where, action, report(), files=[pdf()], by=None, today=TODAY)


def test_an_action_of_a_draft_iteration_is_refused(city, endorsed, city_editor, nothing_saved):
    draft = contracts.start_next_iteration(endorsed.contract, by=None)
    with pytest.raises(ValidationError, match="endorsed contract"):
        report_progress(city, actions_of(draft)["District heating"], report(), files=[pdf()],
                        by=city_editor, today=TODAY)  # fmt: skip


def test_a_city_without_an_endorsed_contract_cannot_report(city, city_editor, media_root):
    iteration = contracts.start_contract(city, baseline=make_baseline(city), by=None)
    complete(iteration)
    with pytest.raises(ValidationError, match="endorsed contract"):
        report_progress(city, actions_of(iteration)["District heating"], report(), by=city_editor,
                        today=TODAY)  # fmt: skip
    assert ActionReport.objects.count() == 0


def test_once_a_newer_iteration_is_endorsed_the_older_ones_actions_are_refused(
    city, endorsed, city_editor, make_person
):
    old_heating = actions_of(endorsed)["District heating"]
    report_progress(city, old_heating, report(reported_on=datetime.date(2026, 1, 5)),
                    by=city_editor, today=TODAY)  # fmt: skip
    newer = contracts.start_next_iteration(endorsed.contract, by=None)
    endorse(newer, by_editor=make_person("editor"), by_staff=make_person("staff"),
            by_officer=make_person("officer"), label_round=LabelRoundFactory())  # fmt: skip
    assert selectors.endorsed_iteration(city) == newer
    with pytest.raises(ValidationError, match="endorsed contract"):
        report_progress(city, old_heating, report(), by=city_editor, today=TODAY)
    new_heating = actions_of(newer)["District heating"]
    report_progress(city, new_heating, report(), by=city_editor, today=TODAY)
    # The history reads on across iterations: the key is the same.
    _action, history = selectors.action_history(city, new_heating.key, city_editor)
    assert [(r.reported_on, r.action_id) for r in history] == [
        (datetime.date(2026, 3, 1), new_heating.pk),
        (datetime.date(2026, 1, 5), old_heating.pk),
    ]


def test_the_history_of_an_action_reads_back_newest_first(city, endorsed, city_editor):
    heating, zone = (
        actions_of(endorsed)["District heating"],
        actions_of(endorsed)["Low-emission zone"],
    )
    for when, status, percent in [
        (datetime.date(2025, 9, 30), "in_progress", 20),
        (datetime.date(2024, 3, 31), "planned", 0),
        (datetime.date(2026, 2, 28), "delayed", 35),
        (datetime.date(2025, 3, 31), "in_progress", 10),
        (datetime.date(2026, 2, 28), "in_progress", 40),  # a correction on the same date
    ]:
        report_progress(city, heating, report(reported_on=when, status=status,
                        percent_done=percent), by=city_editor, today=TODAY)  # fmt: skip
    report_progress(city, zone, report(), by=city_editor, today=TODAY)
    action, history = selectors.action_history(city, heating.key, city_editor)
    assert action == heating
    assert [(r.reported_on.isoformat(), r.status, r.percent_done) for r in history] == [
        ("2026-02-28", "in_progress", 40),
        ("2026-02-28", "delayed", 35),
        ("2025-09-30", "in_progress", 20),
        ("2025-03-31", "in_progress", 10),
        ("2024-03-31", "planned", 0),
    ]


# --- indicator values --------------------------------------------------------------------------


def value(**fields):
    data = {"measured_on": datetime.date(2026, 1, 31), "value": Decimal(1200), "unit": "homes",
            "source": "Stadtwerke Aachen connection register", "quality": "measured"}  # fmt: skip
    return ValueInput(**(data | fields))


@pytest.fixture
def tonnes_indicator(endorsed):
    """A second indicator of the endorsed contract, in t CO2e (added directly: the contract is
    endorsed, so the services would refuse to change it)."""
    homes = Indicator.objects.get(iteration=endorsed)
    return Indicator.objects.create(iteration=endorsed, pathway=homes.pathway,
                                    name="Emissions of the city fleet", unit="t CO2e",
                                    baseline_value=Decimal(5000), target_2030=Decimal(1000))  # fmt: skip


def test_record_value_in_the_indicators_unit(city, homes, city_editor):
    saved = record_value(city, homes, value(note=" From the register. "), by=city_editor,
                         today=TODAY)  # fmt: skip
    saved.refresh_from_db()
    assert (saved.indicator, saved.indicator_key) == (homes, homes.key)
    assert saved.value == Decimal(1200)
    assert saved.entered_as == ""
    assert saved.source == "Stadtwerke Aachen connection register"
    assert (saved.quality, saved.note, saved.created_by) == ("measured", "From the register.",
                                                             city_editor)  # fmt: skip


def test_record_value_converts_kilotonnes_to_tonnes_and_keeps_what_was_entered(
    city, tonnes_indicator, city_editor
):
    saved = record_value(city, tonnes_indicator, value(value=Decimal("4.25"), unit="kt CO2e"),
                         by=city_editor, today=TODAY)  # fmt: skip
    saved.refresh_from_db()
    assert saved.value == Decimal(4250)
    assert saved.entered_as == "4.25 kt CO2e"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"unit": "MWh"}, "unit"),
        ({"unit": "%"}, "unit"),
        ({"unit": ""}, "unit"),
        ({"unit": "9**9**9"}, "unit"),
        ({"measured_on": TODAY + datetime.timedelta(days=1)}, "measured_on"),
        ({"measured_on": datetime.date(2010, 1, 1)}, "measured_on"),
        ({"source": ""}, "source"),
        ({"source": "   "}, "source"),
        ({"source": "s" * 201}, "source"),
        ({"quality": "guessed"}, "quality"),
        ({"quality": ""}, "quality"),
        ({"value": Decimal("1e15")}, "value"),
        ({"value": Decimal("-1e15")}, "value"),
        ({"value": Decimal("1e40")}, "value"),
        ({"value": Decimal("NaN")}, "value"),
        ({"value": Decimal("sNaN")}, "value"),
        ({"value": Decimal("Infinity")}, "value"),
        ({"note": "n" * 2001}, "note"),
    ],
)
def test_record_value_refuses_bad_input(city, homes, city_editor, fields, field):
    with pytest.raises(ValidationError) as error:
        record_value(city, homes, value(**fields), by=city_editor, today=TODAY)
    assert list(error.value.message_dict) == [field]
    assert IndicatorValue.objects.count() == 0


def test_record_value_refuses_a_second_value_on_the_same_date(city, homes, city_editor):
    record_value(city, homes, value(), by=city_editor, today=TODAY)
    with pytest.raises(ValidationError) as error:
        record_value(city, homes, value(value=Decimal(1300)), by=city_editor, today=TODAY)
    assert list(error.value.message_dict) == ["measured_on"]
    assert list(IndicatorValue.objects.values_list("value", flat=True)) == [Decimal(1200)]


def test_record_value_converted_beyond_the_limit_is_refused(city, tonnes_indicator, city_editor):
    with pytest.raises(ValidationError) as error:
        record_value(city, tonnes_indicator, value(value=Decimal("1e12"), unit="kt CO2e"),
                     by=city_editor, today=TODAY)  # fmt: skip
    assert list(error.value.message_dict) == ["value"]


def test_a_computed_indicator_takes_no_typed_values(city, tonnes_indicator, city_editor):
    set_up_indicator(city, tonnes_indicator, computed_from="total", public=False, by=city_editor)
    with pytest.raises(ValidationError, match="computed from the city's GHG inventories"):
        record_value(city, tonnes_indicator, value(unit="t CO2e"), by=city_editor, today=TODAY)
    assert IndicatorValue.objects.count() == 0


def test_an_indicator_of_another_iteration_is_refused(city, endorsed, city_editor):
    draft = contracts.start_next_iteration(endorsed.contract, by=None)
    with pytest.raises(ValidationError, match="not part of the city's endorsed contract"):
        record_value(city, Indicator.objects.get(iteration=draft), value(), by=city_editor,
                     today=TODAY)  # fmt: skip
    assert IndicatorValue.objects.count() == 0


# --- the indicator setup -----------------------------------------------------------------------


def test_an_indicator_in_tonnes_can_be_computed_from_the_total(city, tonnes_indicator, city_editor):
    setup = set_up_indicator(city, tonnes_indicator, computed_from="total", public=True,
                             by=city_editor)  # fmt: skip
    assert (setup.computed_from, setup.public, setup.updated_by) == ("total", True, city_editor)
    again = set_up_indicator(city, tonnes_indicator, computed_from="", public=False, by=None)
    assert again.pk == setup.pk
    assert IndicatorSetup.objects.get().computed_from == ""


def test_an_indicator_in_homes_cannot_be_computed_from_emissions(city, homes, city_editor):
    with pytest.raises(ValidationError) as error:
        set_up_indicator(city, homes, computed_from="total", public=True, by=city_editor)
    assert error.value.message_dict == {
        "computed_from": [
            "An inventory gives t CO2e, which cannot be converted to this indicator's unit, homes."
        ]
    }
    assert IndicatorSetup.objects.count() == 0


def test_per_capita_needs_the_population(city, endorsed, city_editor):
    homes = Indicator.objects.get(iteration=endorsed)
    per_capita = Indicator.objects.create(iteration=endorsed, pathway=homes.pathway,
                                          name="Emissions per resident", unit="t CO2e/capita")  # fmt: skip
    city.population = None
    city.save()
    with pytest.raises(ValidationError) as error:
        set_up_indicator(city, per_capita, computed_from="per_capita", public=True, by=city_editor)
    assert list(error.value.message_dict) == ["computed_from"]
    assert "population is not known" in error.value.message_dict["computed_from"][0]
    city.population = 250_000
    city.save()
    setup = set_up_indicator(city, per_capita, computed_from="per_capita", public=True, by=None)
    assert setup.computed_from == "per_capita"


def test_an_unknown_metric_is_refused(city, tonnes_indicator, city_editor):
    with pytest.raises(ValidationError) as error:
        set_up_indicator(city, tonnes_indicator, computed_from="gdp", public=True, by=city_editor)
    assert list(error.value.message_dict) == ["computed_from"]


# --- the plan ----------------------------------------------------------------------------------


def test_update_plan_creates_then_advances_the_version(city, city_editor):
    plan = update_plan(city, reporting_months=3, publish_emissions=True, base_version=0,
                       by=city_editor)  # fmt: skip
    plan.refresh_from_db()
    assert (plan.reporting_months, plan.publish_emissions, plan.version) == (3, True, 1)
    assert plan.updated_by == city_editor
    plan = update_plan(city, reporting_months=12, publish_emissions=False, base_version=1, by=None)
    plan.refresh_from_db()
    assert (plan.reporting_months, plan.publish_emissions, plan.version) == (12, False, 2)


@pytest.mark.parametrize("base_version", [0, 1, 3])
def test_update_plan_from_a_stale_version_is_a_conflict(city, city_editor, base_version):
    update_plan(city, reporting_months=3, publish_emissions=True, base_version=0, by=city_editor)
    update_plan(city, reporting_months=6, publish_emissions=True, base_version=1, by=city_editor)
    with pytest.raises(EditConflict) as conflict:
        update_plan(city, reporting_months=12, publish_emissions=False, base_version=base_version,
                    by=None)  # fmt: skip
    assert conflict.value.current.version == 2
    plan = MonitoringPlan.objects.get(city=city)
    assert (plan.reporting_months, plan.publish_emissions, plan.version) == (6, True, 2)


@pytest.mark.parametrize("months", [0, 1, 4, 24, "6"])
def test_update_plan_refuses_other_periods(city, city_editor, months):
    with pytest.raises(ValidationError) as error:
        update_plan(city, reporting_months=months, publish_emissions=True, base_version=0,
                    by=city_editor)  # fmt: skip
    assert list(error.value.message_dict) == ["reporting_months"]
    assert MonitoringPlan.objects.count() == 0
