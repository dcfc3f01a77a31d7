"""Writes through the progress pages: a valid report with its files, and every kind of bad input,
which is refused with 422, the reason next to the field, and nothing saved. Who may post."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityzero.contracts import services as contracts
from cityzero.contracts.models import Action, Indicator
from cityzero.monitoring.models import (
    ActionReport,
    EvidenceFile,
    IndicatorSetup,
    IndicatorValue,
)
from tests.contracts.conftest import make_baseline
from tests.core.test_uploads import PDF_BYTES, PNG_BYTES
from tests.monitoring.pages import (
    action_named,
    indicator_named,
    login,
    report,
    text,
    today,
    value,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def heating(endorsed):
    return action_named(endorsed, "District heating")


@pytest.fixture
def homes(endorsed):
    return indicator_named(endorsed, "Homes on district heat")


@pytest.fixture
def tonnes(endorsed):
    """An indicator measured in t CO2e (added to the endorsed iteration for the test)."""
    return Indicator.objects.create(iteration=endorsed, name="Emissions of the fleet",
                                    unit="t CO2e")  # fmt: skip


@pytest.fixture
def editor_client(client, city_editor):
    login(client, city_editor)
    return client


def action_url(action, slug="aachen"):
    return reverse("monitoring:action", args=[slug, action.key])


def indicator_url(indicator):
    return reverse("monitoring:indicator", args=["aachen", indicator.key])


def form(**changes):
    data = {"reported_on": today().isoformat(), "status": "in_progress", "percent_done": "40",
            "spend_to_date": "", "next_milestone": "", "milestone_on": "", "note": "",
            "evidence_links": ""}  # fmt: skip
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- a valid report ---------------------------------------------------------------------------


def test_editor_reports_progress_with_evidence_files(editor_client, city, heating, city_editor):
    response = editor_client.post(
        action_url(heating),
        form(
            status="in_progress", percent_done="35", spend_to_date="1250000.50",
            next_milestone="Pipes laid in the old town", milestone_on="2031-03-01",
            note="Tender awarded.", evidence_links="https://example.org/a\n\nhttps://example.org/b",
            public="on",
            files=[SimpleUploadedFile("minutes.pdf", PDF_BYTES),
                   SimpleUploadedFile("site.png", PNG_BYTES)],
        ),
    )  # fmt: skip

    saved = ActionReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{action_url(heating)}#report-{saved.pk}"
    assert (saved.city, saved.action, saved.action_key, saved.created_by) == (
        city, heating, heating.key, city_editor
    )  # fmt: skip
    assert (saved.reported_on, saved.status, saved.percent_done, saved.spend_to_date) == (
        today(), "in_progress", 35, Decimal("1250000.50")
    )  # fmt: skip
    assert (saved.next_milestone, saved.milestone_on, saved.note, saved.public) == (
        "Pipes laid in the old town", datetime.date(2031, 3, 1), "Tender awarded.", True
    )  # fmt: skip
    assert saved.evidence_links == ["https://example.org/a", "https://example.org/b"]
    assert sorted(saved.files.values_list("name", "content_type")) == [
        ("minutes.pdf", "application/pdf"), ("site.png", "image/png")
    ]  # fmt: skip


def test_spend_beyond_budget_is_saved_with_a_warning(editor_client, heating):
    response = editor_client.post(action_url(heating), form(spend_to_date="400000001"), follow=True)

    assert ActionReport.objects.get().spend_to_date == Decimal("400000001")
    page = text(response)
    assert (
        "Spend beyond budget: 400,000,001.00 € spent to date, while the contract budgets "
        "400,000,000.00 € for the action."
    ) in page
    # and in the history
    assert "⚠ Spend beyond budget: 400,000,001 € spent to date, while the contract budgets " in page


def test_spend_within_budget_gets_no_warning(editor_client, heating):
    response = editor_client.post(action_url(heating), form(spend_to_date="400000000"), follow=True)

    assert ActionReport.objects.count() == 1
    assert "Spend beyond budget" not in text(response)


# --- bad reports ------------------------------------------------------------------------------


def files(*pairs):
    return [SimpleUploadedFile(name, content) for name, content in pairs]


BAD_REPORTS = {
    "future date": (
        lambda: form(reported_on=(today() + datetime.timedelta(days=1)).isoformat()),
        "is in the future: report what has happened",
    ),
    "no date": (lambda: form(reported_on=""), "This field is required."),
    "not a date": (lambda: form(reported_on="yesterday"), "Enter a valid date."),
    "before 2015": (lambda: form(reported_on="2014-12-31"), "Give a date from 2015-01-01 on."),
    "unknown status": (lambda: form(status="finished"), "Select a valid choice."),
    "percent 150": (lambda: form(percent_done="150"), "less than or equal to 100"),
    "percent negative": (lambda: form(percent_done="-1"), "greater than or equal to 0"),
    "percent not a number": (lambda: form(percent_done="half"), "Enter a whole number."),
    "completed with 50%": (
        lambda: form(status="completed", percent_done="50"),
        "A completed action is 100% done.",
    ),
    "not started with 10%": (
        lambda: form(status="not_started", percent_done="10"),
        "An action that has not started is 0% done.",
    ),
    "spend abc": (lambda: form(spend_to_date="abc"), "Enter a number."),
    "spend 1e20": (
        lambda: form(spend_to_date="1e20"),
        "Give the euros spent so far, from 0 to 10,000,000,000,000.",
    ),
    "spend negative": (
        lambda: form(spend_to_date="-5"),
        "Give the euros spent so far, from 0 to 10,000,000,000,000.",
    ),
    "spend NaN": (lambda: form(spend_to_date="NaN"), "Enter a number."),
    "milestone date without a milestone": (
        lambda: form(milestone_on="2030-01-01"),
        "Name the milestone expected on that date.",
    ),
    "note too long": (lambda: form(note="x" * 2001), "at most 2000 characters"),
    "6 links": (
        lambda: form(evidence_links="\n".join(f"https://example.org/{n}" for n in range(6))),
        "Give at most 5 links.",
    ),
    "javascript link": (
        lambda: form(evidence_links="javascript:alert(1)"),
        "“javascript:alert(1)” is not a web address starting with https:// or http://.",
    ),
    "6 files": (
        lambda: form(files=files(*((f"p{n}.pdf", PDF_BYTES) for n in range(6)))),
        "Attach at most 5 files.",
    ),
    ".exe file": (
        lambda: form(files=files(("run.exe", b"MZ\x90\x00"))),
        "Files of this type are not accepted.",
    ),
    "png named pdf": (
        lambda: form(files=files(("plan.pdf", PNG_BYTES))),
        "The file's content is not a .pdf file",
    ),
}


@pytest.mark.parametrize("case", BAD_REPORTS)
def test_bad_report_is_refused_and_nothing_is_saved(editor_client, heating, case):
    data, reason = BAD_REPORTS[case]

    response = editor_client.post(action_url(heating), data())

    assert response.status_code == 422
    assert reason in text(response)
    assert "Nothing was saved. Correct what is marked below" in text(response)
    assert ActionReport.objects.count() == 0 and EvidenceFile.objects.count() == 0


def test_file_over_10_mb_is_refused(editor_client, heating, settings):
    big = SimpleUploadedFile("plan.pdf", PDF_BYTES + b" " * (10 * 2**20))

    response = editor_client.post(action_url(heating), form(files=[big]))

    assert response.status_code == 422
    assert "the limit is 10 MB" in text(response)
    assert ActionReport.objects.count() == 0


def test_refused_report_keeps_what_was_typed(editor_client, heating):
    response = editor_client.post(
        action_url(heating), form(percent_done="150", note="Keep this text")
    )

    content = response.content.decode()
    assert "Keep this text</textarea>" in content
    # the summary above the form leads to the field
    assert '<li><a href="#id_percent_done">Done (%)</a>: Ensure this value is less than' in content


# --- who may post -------------------------------------------------------------------------------


@pytest.fixture
def published(city, heating):
    """A published report, so that everyone may know of the action."""
    return report(city, heating, by=None, public=True)


def test_anonymous_post_is_sent_to_sign_in(client, heating, published):
    response = client.post(action_url(heating), form())

    assert response.status_code == 302 and "/login/" in response["Location"]
    assert ActionReport.objects.count() == 1


@pytest.mark.parametrize("role", ["anonymous", "member", "editor_of_other_city"])
def test_outsiders_do_not_learn_of_an_action_the_city_published_nothing_on(
    client, make_person, heating, role
):
    login(client, make_person(role))

    assert client.get(action_url(heating)).status_code == 404
    assert client.post(action_url(heating), form()).status_code == 404
    assert ActionReport.objects.count() == 0


@pytest.mark.parametrize(
    "role", ["viewer", "advisor_of_city", "staff", "editor_of_other_city", "member", "officer"]
)
def test_those_who_may_not_report_get_403_with_the_reason(
    client, make_person, settings_without_mfa, heating, published, role
):
    login(client, make_person(role))

    response = client.post(action_url(heating), form())

    assert response.status_code == 403
    assert "Only the city's coordinators and editors report its progress." in text(response)
    assert ActionReport.objects.count() == 1


def test_coordinator_may_report(client, make_person, heating):
    login(client, make_person("coordinator"))

    assert client.post(action_url(heating), form()).status_code == 302
    assert ActionReport.objects.count() == 1


def test_other_city_s_action_key_is_not_found(editor_client, city, other_city, endorsed):
    iteration = contracts.start_contract(other_city, baseline=make_baseline(other_city), by=None)
    theirs = Action.objects.create(iteration=iteration, name="Their tram")

    response = editor_client.post(action_url(theirs), form())

    assert response.status_code == 404
    assert ActionReport.objects.count() == 0


def test_action_under_another_city_s_address_is_not_found(
    editor_client, other_city, heating, make_person
):
    response = editor_client.post(action_url(heating, slug="valencia"), form())

    assert response.status_code == 404
    assert ActionReport.objects.count() == 0


def test_action_of_a_non_endorsed_iteration_is_not_found(editor_client, endorsed):
    draft = contracts.start_next_iteration(endorsed.contract, by=None)
    new = Action.objects.create(iteration=draft, name="Only in the draft")

    response = editor_client.post(action_url(new), form())

    assert response.status_code == 404
    assert ActionReport.objects.count() == 0


def test_city_without_endorsed_contract_has_no_action_to_report_on(editor_client, city):
    iteration = contracts.start_contract(city, baseline=make_baseline(city), by=None)
    draft_action = Action.objects.create(iteration=iteration, name="Drafted")

    assert editor_client.post(action_url(draft_action), form()).status_code == 404


# --- indicator values -----------------------------------------------------------------------


def value_form(**changes):
    data = {"what": "value", "measured_on": "2024-06-30", "value": "700", "unit": "homes",
            "source": "Stadtwerke", "quality": "measured", "note": ""}  # fmt: skip
    data.update(changes)
    return data


def test_editor_records_a_value(editor_client, city, homes, city_editor):
    response = editor_client.post(indicator_url(homes), value_form(note="First count."))

    assert response.status_code == 302
    saved = IndicatorValue.objects.get()
    assert (saved.measured_on, saved.value, saved.entered_as, saved.source, saved.quality,
            saved.note, saved.created_by) == (
        datetime.date(2024, 6, 30), Decimal("700"), "", "Stadtwerke", "measured", "First count.",
        city_editor)  # fmt: skip


def test_value_given_in_kt_is_stored_in_tonnes(editor_client, tonnes):
    response = editor_client.post(indicator_url(tonnes), value_form(value="2.5", unit="kt CO2e"))

    assert response.status_code == 302
    saved = IndicatorValue.objects.get()
    assert (saved.value, saved.entered_as) == (Decimal("2500"), "2.5 kt CO2e")


BAD_VALUES = {
    "wrong unit": (
        value_form(value="5000", unit="MWh"),
        "This indicator is measured in homes; a value in MWh cannot be converted to it.",
    ),
    "future date": (
        value_form(measured_on=(today() + datetime.timedelta(days=3)).isoformat()),
        "is in the future",
    ),
    "not a number": (value_form(value="many"), "Enter a number."),
    "infinity": (value_form(value="Infinity"), "Enter a number."),
    "too big": (value_form(value="1e15"), "Give a number smaller than 1,000,000,000,000,000."),
    "no source": (value_form(source=""), "This field is required."),
    "unknown quality": (value_form(quality="guessed"), "Select a valid choice."),
    "no unit": (value_form(unit=""), "This field is required."),
}


@pytest.mark.parametrize("case", BAD_VALUES)
def test_bad_value_is_refused_and_nothing_is_saved(editor_client, homes, case):
    data, reason = BAD_VALUES[case]

    response = editor_client.post(indicator_url(homes), data)

    assert response.status_code == 422
    assert reason in text(response)
    assert IndicatorValue.objects.count() == 0


def test_value_beyond_the_limit_after_conversion_is_refused(editor_client, tonnes):
    response = editor_client.post(indicator_url(tonnes), value_form(value="1e13", unit="kt CO2e"))

    assert response.status_code == 422
    assert "Give a number smaller than 1,000,000,000,000,000 in t CO2e." in text(response)
    assert IndicatorValue.objects.count() == 0


def test_second_value_on_the_same_date_is_refused(editor_client, city, homes, city_editor):
    value(city, homes, by=city_editor, day=datetime.date(2024, 6, 30), amount=Decimal(700))

    response = editor_client.post(indicator_url(homes), value_form(value="710"))

    assert response.status_code == 422
    assert "There is already a value for 2024-06-30." in text(response)
    assert list(IndicatorValue.objects.values_list("value", flat=True)) == [Decimal("700")]


def test_computed_indicator_takes_no_typed_value(editor_client, city, tonnes):
    IndicatorSetup.objects.create(city=city, indicator_key=tonnes.key, computed_from="total")

    response = editor_client.post(indicator_url(tonnes), value_form(unit="t CO2e"))

    assert response.status_code == 422
    assert "its values cannot be typed" in text(response)
    assert IndicatorValue.objects.count() == 0


@pytest.mark.parametrize("role", ["viewer", "staff", "advisor_of_city"])
def test_team_members_who_do_not_report_cannot_record_values(
    client, make_person, settings_without_mfa, homes, role
):
    login(client, make_person(role))

    response = client.post(indicator_url(homes), value_form())

    assert response.status_code == 403
    assert IndicatorValue.objects.count() == 0


def test_anonymous_value_post_is_sent_to_sign_in(client, homes, city, city_editor):
    IndicatorSetup.objects.create(city=city, indicator_key=homes.key, public=True)

    response = client.post(indicator_url(homes), value_form())

    assert response.status_code == 302 and "/login/" in response["Location"]


# --- the indicator's setup --------------------------------------------------------------------


def test_editor_publishes_an_indicator_computed_from_the_inventories(editor_client, city, tonnes):
    response = editor_client.post(
        indicator_url(tonnes), {"what": "setup", "computed_from": "total", "public": "on"}
    )

    assert response.status_code == 302
    setup = IndicatorSetup.objects.get()
    assert (setup.indicator_key, setup.computed_from, setup.public) == (tonnes.key, "total", True)


def test_editor_sets_an_indicator_back_to_typed_and_unpublished(editor_client, city, tonnes):
    IndicatorSetup.objects.create(city=city, indicator_key=tonnes.key, computed_from="total",
                                  public=True)  # fmt: skip

    response = editor_client.post(indicator_url(tonnes), {"what": "setup", "computed_from": ""})

    assert response.status_code == 302
    assert IndicatorSetup.objects.values_list("computed_from", "public").get() == ("", False)


def test_indicator_cannot_be_computed_in_a_unit_inventories_do_not_give(editor_client, homes):
    response = editor_client.post(indicator_url(homes), {"what": "setup", "computed_from": "total"})

    assert response.status_code == 422
    assert (
        "An inventory gives t CO2e, which cannot be converted to this indicator's unit, homes."
        in text(response)
    )
    assert not IndicatorSetup.objects.exists()


def test_unknown_metric_is_refused(editor_client, tonnes):
    response = editor_client.post(indicator_url(tonnes), {"what": "setup", "computed_from": "gdp"})

    assert response.status_code == 422
    assert not IndicatorSetup.objects.exists()
