"""The city's progress pages for each role: what is shown to whom, the reporting state, the
emissions against the pathway, indicators, the plan, evidence downloads and query counts.

Aachen's endorsed contract (tests/monitoring/conftest.py): District heating (budget 400,000,000 €),
Low-emission zone (20,000,000 €), Biowaste collection (2,000,000 €); indicator "Homes on district
heat" (homes); baseline 2022: 312,000 t CO2e.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityzero.contracts import services as contracts
from cityzero.contracts.models import Action, Indicator
from cityzero.core.cache import public_data_version
from cityzero.core.uploads import PDF
from cityzero.ghg import progress
from cityzero.monitoring import presentation, services
from cityzero.monitoring.models import EvidenceFile, IndicatorSetup, MonitoringPlan
from cityzero.reviews.models import Transition
from tests.core.test_uploads import PDF_BYTES
from tests.monitoring.conftest import make_inventory
from tests.monitoring.pages import (
    OUTSIDERS,
    TEAM,
    action_named,
    indicator_named,
    login,
    report,
    text,
    today,
    value,
)

pytestmark = pytest.mark.django_db


def progress_url(slug="aachen"):
    return reverse("monitoring:city", args=[slug])


def action_url(action, slug="aachen"):
    return reverse("monitoring:action", args=[slug, action.key])


def indicator_url(indicator, slug="aachen"):
    return reverse("monitoring:indicator", args=[slug, indicator.key])


@pytest.fixture
def heating(endorsed):
    return action_named(endorsed, "District heating")


@pytest.fixture
def homes(endorsed):
    """Baseline 0 homes in 2022; targets 1,000 (2025), 3,000 (2027), 6,000 (2030)."""
    indicator = indicator_named(endorsed, "Homes on district heat")
    Indicator.objects.filter(pk=indicator.pk).update(
        baseline_value=Decimal(0), target_2025=Decimal(1000), target_2027=Decimal(3000),
        target_2030=Decimal(6000),
    )  # fmt: skip
    indicator.refresh_from_db()
    return indicator


@pytest.fixture
def reported(city, heating, city_editor):
    """District heating: a published report ten days ago, and today an unpublished one."""
    published = report(
        city, heating, by=city_editor, day=today() - datetime.timedelta(days=10),
        next_milestone="Tender published", note="Public note", public=True,
    )  # fmt: skip
    private = report(
        city, heating, by=city_editor, status="delayed", percent_done=45,
        next_milestone="Secret milestone", note="Secret note",
    )  # fmt: skip
    return published, private


# --- the progress page ------------------------------------------------------------------------


def test_unknown_city_is_not_found_with_a_reason(client, db):
    response = client.get(progress_url("atlantis"))
    assert response.status_code == 404


def test_city_without_endorsed_contract_says_monitoring_starts_with_the_endorsement(client, city):
    response = client.get(progress_url())

    assert response.status_code == 200
    assert "Monitoring starts once the city's Climate City Contract is endorsed" in text(response)
    assert f'href="{reverse("contracts:home", args=["aachen"])}"' in response.content.decode()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_see_only_published_reports_on_the_progress_page(
    client, make_person, settings_without_mfa, reported, role
):
    login(client, make_person(role))

    page = text(client.get(progress_url()))

    assert "Tender published" in page and "In progress" in page
    assert "Secret milestone" not in page and "not public" not in page
    assert "Reporting period" not in page  # the reporting state is the team's


@pytest.mark.parametrize("role", TEAM)
def test_team_advisors_and_staff_see_unpublished_reports_marked(
    client, make_person, settings_without_mfa, reported, role
):
    login(client, make_person(role))

    page = text(client.get(progress_url()))

    assert "Secret milestone" in page and "Delayed" in page and "not public" in page
    assert "Tender published" not in page  # only the latest report is in the table
    assert "Reporting period: Every half year." in page


def test_outsiders_do_not_see_actions_without_a_published_report(client, reported):
    page = text(client.get(progress_url()))

    assert "District heating" in page
    assert "Low-emission zone" not in page and "Biowaste collection" not in page


def test_team_sees_every_action_and_counts_by_status_and_field(client, city_editor, reported):
    login(client, city_editor)

    response = client.get(progress_url())
    page = text(response)

    assert "Low-emission zone" in page and "Biowaste collection" in page
    assert "Actions by status Status Actions Delayed 1 No report yet 2" in page
    # field of action, then Not started … Cancelled, No report yet, All
    assert "Energy systems 0 0 0 0 1 0 0 1" in page
    assert "Mobility & transport 0 0 0 0 0 0 1 1" in page
    content = response.content.decode()
    assert 'aria-labelledby="status-chart-title"' in content
    assert 'aria-labelledby="field-chart-title"' in content


def test_only_editors_get_links_to_report_each_action(client, make_person, heating, endorsed):
    for role, shown in (("editor", True), ("coordinator", True), ("viewer", False)):
        client.logout()
        login(client, make_person(role))
        content = client.get(progress_url()).content.decode()
        assert (f'{action_url(heating)}#report"' in content) is shown, role


def test_staff_do_not_get_report_links(client, make_person, settings_without_mfa, heating):
    login(client, make_person("staff"))
    assert f'{action_url(heating)}#report"' not in client.get(progress_url()).content.decode()


def test_team_sees_which_actions_have_not_reported_this_period(client, city_editor, reported):
    login(client, city_editor)

    page = text(client.get(progress_url()))

    assert (
        "2 actions have no report for this period yet: Low-emission zone Biowaste collection"
        in page
    )


def test_spend_beyond_budget_is_said_in_words_not_only_colour(client, city, heating, city_editor):
    report(city, heating, by=city_editor, spend_to_date=Decimal("400000000.01"), public=True)

    page = text(client.get(progress_url()))

    assert "400,000,000 € of 400,000,000 € budgeted ⚠ Spend beyond budget" in page


def test_spend_within_budget_is_not_flagged(client, city, heating, city_editor):
    report(city, heating, by=city_editor, spend_to_date=Decimal("400000000"), public=True)

    page = text(client.get(progress_url()))

    assert "400,000,000 € of 400,000,000 € budgeted" in page
    assert "Spend beyond budget" not in page


def test_annual_reports_are_listed_from_the_endorsement_year_to_this_year(
    client, endorsed, city_editor
):
    Transition.objects.filter(iteration=endorsed, step="endorse").update(
        created_at=datetime.datetime(today().year - 2, 3, 1, 12, tzinfo=datetime.UTC)
    )
    login(client, city_editor)

    content = client.get(progress_url()).content.decode()

    years = [today().year - n for n in (0, 1, 2)]
    for year in years:
        assert reverse("monitoring:pdf", args=["aachen", year]) in content
    assert reverse("monitoring:pdf", args=["aachen", years[-1] - 1]) not in content


def test_progress_page_of_anonymous_visitors_is_cached_until_a_report_is_saved(
    client, city, heating, city_editor, reported, django_assert_num_queries
):
    client.get(progress_url())
    with django_assert_num_queries(0):
        client.get(progress_url())
    version = public_data_version()

    report(city, heating, by=city_editor, next_milestone="Pipes laid", public=True)

    assert public_data_version() > version
    assert "Pipes laid" in text(client.get(progress_url()))


# --- emissions against the pathway -------------------------------------------------------------


def test_team_sees_each_sector_against_the_pathway(client, city_editor, inventory_2024):
    login(client, city_editor)

    response = client.get(progress_url())
    page = text(response)

    assert (
        "2024 by sector against the pathway (t CO2e) Sector Actual Pathway allows Distance "
        "Standing Buildings (stationary energy) 141,400 161,600 20,200 below On track "
        "Transport 90,000 80,000 10,000 above Off track Waste 8,000 8,000 on the path On track "
        "Total 239,400 249,600 10,200 below On track"
    ) in page
    assert "2022 312,000 312,000 2023 280,800 – 2024 249,600 239,400" in page
    assert 'aria-labelledby="emissions-chart-title"' in response.content.decode()


def test_emissions_are_hidden_from_visitors_until_the_city_publishes_them(
    client, city, inventory_2024, reported
):
    assert "The city has not published its emissions against the pathway." in text(
        client.get(progress_url())
    )
    MonitoringPlan.objects.create(city=city, publish_emissions=True)

    page = text(client.get(progress_url()))

    assert "Transport 90,000 80,000 10,000 above Off track" in page


def test_visitors_never_see_an_inventory_that_is_not_public(client, city, endorsed, reported):
    make_inventory(city, 2024, visibility="team", gas_mwh="700000", transport_t="90000",
                   waste_t="8000")  # fmt: skip
    MonitoringPlan.objects.create(city=city, publish_emissions=True)

    page = text(client.get(progress_url()))

    assert "There is no inventory after the base year yet" in page
    assert "239,400" not in page


# --- indicators -----------------------------------------------------------------------------


def test_indicator_is_off_track_behind_its_target_path(client, city, homes, city_editor):
    # 2024 lies two thirds of the way from 0 (2022) to 1,000 (2025): 666.67 homes expected.
    value(city, homes, by=city_editor, day=datetime.date(2024, 6, 30), amount=Decimal(500))
    login(client, city_editor)

    page = text(client.get(progress_url()))

    assert (
        "Latest value 500 homes (June 30, 2024) Target 2025 1,000 homes Target 2027 3,000 homes "
        "Target 2030 6,000 homes Standing Off track (the target path expects 666.67 homes in "
        "2024)"
    ) in page


def test_indicator_is_on_track_ahead_of_its_target_path(client, city, homes, city_editor):
    value(city, homes, by=city_editor, day=datetime.date(2024, 6, 30), amount=Decimal(700))
    login(client, city_editor)

    page = text(client.get(indicator_url(homes)))

    assert "Standing On track" in page
    assert "2024 700 666.67 2025 – 1,000" in page  # the chart's table


def test_indicator_chart_compares_values_with_the_target_path(client, city, homes, city_editor):
    value(city, homes, by=city_editor, day=datetime.date(2024, 6, 30), amount=Decimal(500))
    login(client, city_editor)

    response = client.get(progress_url())
    content = response.content.decode()

    assert 'aria-labelledby="indicator-chart-1"' in content
    assert "Measured 2024: 500 homes" in content and "Target path 2025: 1,000 homes" in content
    assert "2023 – 333.33 2024 500 666.67 2025 – 1,000" in text(response)


def test_unpublished_indicator_is_not_shown_to_visitors(client, city, homes, reported):
    assert "Homes on district heat" not in text(client.get(progress_url()))
    assert client.get(indicator_url(homes)).status_code == 404


def test_published_indicator_is_shown_to_visitors(client, city, homes, city_editor, reported):
    IndicatorSetup.objects.create(city=city, indicator_key=homes.key, public=True)
    value(city, homes, by=city_editor, day=datetime.date(2024, 6, 30), amount=Decimal(700),
          source="Stadtwerke annual report")  # fmt: skip

    page = text(client.get(indicator_url(homes)))

    assert "Homes on district heat" in page and "Stadtwerke annual report" in page
    assert "Add a value" not in page


def test_indicator_page_shows_metadata_series_and_forms_for_editors(
    client, city, homes, city_editor
):
    Indicator.objects.filter(pk=homes.pk).update(
        definition="Dwellings heated by the network.", data_source="Stadtwerke",
        interval="yearly",
    )  # fmt: skip
    value(city, homes, by=city_editor, day=datetime.date(2024, 6, 30), amount=Decimal(700),
          source="Stadtwerke annual report", quality="estimated")  # fmt: skip
    login(client, city_editor)

    response = client.get(indicator_url(homes))
    page = text(response)

    assert "Unit homes Data source Stadtwerke Collection interval yearly Baseline 0 homes" in page
    assert "Dwellings heated by the network." in page
    assert "June 30, 2024 700 – Stadtwerke annual report Estimated" in page
    assert "Add a value" in page and "How the indicator is kept" in page
    assert 'name="unit" value="homes"' in response.content.decode()


def test_viewers_see_an_indicator_but_get_no_forms(client, homes, make_person):
    login(client, make_person("viewer"))

    page = text(client.get(indicator_url(homes)))

    assert "Homes on district heat" in page and "not public" in page
    assert "Add a value" not in page and "How the indicator is kept" not in page


def test_computed_indicator_shows_its_inventory_values(client, city, endorsed, inventory_2024,
                                                       city_editor):  # fmt: skip
    total = Indicator.objects.create(iteration=endorsed, name="Emissions", unit="t CO2e")
    services.set_up_indicator(city, total, computed_from="total", public=True, by=city_editor)

    page = text(client.get(indicator_url(total)))

    assert "Dec. 31, 2022 312,000 GHG inventory 2022" in page
    assert "Dec. 31, 2024 239,400 GHG inventory 2024" in page


def test_computed_indicator_in_a_unit_it_cannot_have_shows_why(client, city, homes, city_editor):
    IndicatorSetup.objects.create(city=city, indicator_key=homes.key, computed_from="total")
    login(client, city_editor)

    page = text(client.get(indicator_url(homes)))

    assert "An inventory gives t CO2e, which cannot be converted to this indicator's unit" in page
    assert "Add a value" not in page


def test_unknown_indicator_key_is_not_found(client, endorsed, city_editor):
    login(client, city_editor)
    url = reverse("monitoring:indicator", args=["aachen", "00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


# --- the action page ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_read_only_published_reports_of_an_action(
    client, make_person, settings_without_mfa, heating, reported, role
):
    login(client, make_person(role))

    page = text(client.get(action_url(heating)))

    assert "Public note" in page and "Secret note" not in page
    assert "Report progress" not in page


@pytest.mark.parametrize("role", TEAM)
def test_team_reads_every_report_of_an_action_newest_first(
    client, make_person, settings_without_mfa, heating, reported, role
):
    login(client, make_person(role))

    page = text(client.get(action_url(heating)))

    assert page.index("Secret note") < page.index("Public note")
    assert "not public" in page


def test_action_page_shows_the_contract_outline(client, city, heating, endorsed):
    report(city, heating, by=None, public=True)
    page = text(client.get(action_url(heating)))

    assert (
        "Field of action Energy systems Systemic lever Technology/infrastructure "
        "Budget (total cost in the contract) 400,000,000 € Impact pathway Heat without gas"
    ) in page


def test_action_history_names_who_reported_and_links_evidence(client, city, heating, city_editor):
    upload = SimpleUploadedFile("meter.pdf", PDF_BYTES)
    upload.kind = PDF
    saved = services.report_progress(
        city, heating,
        services.ReportInput(reported_on=today(), status="in_progress", percent_done=10,
                             evidence_links=["https://example.org/minutes"], public=True),
        files=[upload], by=city_editor,
    )  # fmt: skip
    attached = saved.files.get()

    response = client.get(action_url(heating))

    content = response.content.decode()
    assert city_editor.display_name in text(response)
    assert reverse("monitoring:evidence", args=["aachen", attached.pk]) in content
    assert 'href="https://example.org/minutes" rel="nofollow noopener noreferrer"' in content


def test_editors_get_the_report_form_with_the_previous_publicity(client, city, heating,
                                                                 city_editor):  # fmt: skip
    report(city, heating, by=city_editor, public=True)
    login(client, city_editor)

    content = client.get(action_url(heating)).content.decode()

    assert 'id="id_public" checked' in content
    assert 'type="file" name="files"' in content and "multiple" in content


def test_report_form_starts_unpublished_without_a_previous_report(client, heating, city_editor):
    login(client, city_editor)

    content = client.get(action_url(heating)).content.decode()

    assert 'id="id_public" checked' not in content
    assert 'name="public"' in content


def test_unknown_action_key_is_not_found(client, endorsed):
    url = reverse("monitoring:action", args=["aachen", "00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


def test_action_of_a_draft_iteration_is_not_found(client, city, endorsed, city_editor):
    draft = contracts.start_next_iteration(endorsed.contract, by=None)
    new = Action.objects.create(iteration=draft, name="Only in the draft")
    login(client, city_editor)

    assert client.get(action_url(new)).status_code == 404


# --- evidence ---------------------------------------------------------------------------------


def _evidence(city, action, by, *, public):
    upload = SimpleUploadedFile("meter.pdf", PDF_BYTES)
    upload.kind = PDF
    saved = services.report_progress(
        city, action,
        services.ReportInput(reported_on=today(), status="in_progress", percent_done=10,
                             public=public),
        files=[upload], by=by,
    )  # fmt: skip
    return saved.files.get()


def test_visitors_download_evidence_of_a_published_report(client, city, heating, city_editor):
    attached = _evidence(city, heating, city_editor, public=True)

    response = client.get(reverse("monitoring:evidence", args=["aachen", attached.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("role", ["anonymous", "member", "editor_of_other_city"])
def test_outsiders_cannot_download_evidence_of_an_unpublished_report(
    client, city, heating, city_editor, make_person, role
):
    attached = _evidence(city, heating, city_editor, public=False)
    login(client, make_person(role))

    response = client.get(reverse("monitoring:evidence", args=["aachen", attached.pk]))

    assert response.status_code == 404


def test_team_downloads_evidence_of_an_unpublished_report_privately(
    client, city, heating, city_editor, make_person
):
    attached = _evidence(city, heating, city_editor, public=False)
    login(client, make_person("viewer"))

    response = client.get(reverse("monitoring:evidence", args=["aachen", attached.pk]))

    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_evidence_under_another_city_s_address_is_not_found(
    client, city, other_city, heating, city_editor
):
    attached = _evidence(city, heating, city_editor, public=True)

    response = client.get(reverse("monitoring:evidence", args=["valencia", attached.pk]))

    assert response.status_code == 404
    assert EvidenceFile.objects.count() == 1


# --- the plan ---------------------------------------------------------------------------------


def plan_url():
    return reverse("monitoring:plan", args=["aachen"])


def test_anonymous_visitors_are_sent_to_sign_in_for_the_plan(client, endorsed):
    response = client.get(plan_url())
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_outsiders_do_not_find_the_plan(client, endorsed, stranger):
    login(client, stranger)
    assert client.get(plan_url()).status_code == 404


def test_viewers_read_the_plan_but_may_not_change_it(client, endorsed, make_person):
    login(client, make_person("viewer"))

    assert "Every half year" in text(client.get(plan_url()))
    response = client.post(plan_url(), {"reporting_months": "3", "version": "0"})

    assert response.status_code == 403
    assert not MonitoringPlan.objects.exists()


def test_editor_changes_the_plan(client, city, endorsed, city_editor):
    login(client, city_editor)

    response = client.post(
        plan_url(), {"reporting_months": "3", "publish_emissions": "on", "version": "0"}
    )

    assert response.status_code == 302
    plan = MonitoringPlan.objects.get(city=city)
    assert (plan.reporting_months, plan.publish_emissions, plan.version) == (3, True, 1)


def test_stale_plan_edit_is_refused_with_the_current_values(client, city, endorsed, city_editor):
    services.update_plan(city, reporting_months=12, publish_emissions=False, base_version=0,
                         by=city_editor)  # fmt: skip
    login(client, city_editor)

    response = client.post(
        plan_url(), {"reporting_months": "3", "publish_emissions": "on", "version": "0"}
    )

    assert response.status_code == 409
    page = text(response)
    assert "Someone else changed this plan while you were editing" in page
    assert "Reporting period Every year" in page
    assert 'name="version" value="1"' in response.content.decode()
    assert MonitoringPlan.objects.get(city=city).reporting_months == 12


def test_plan_with_an_unknown_period_is_refused(client, city, endorsed, city_editor):
    login(client, city_editor)

    response = client.post(plan_url(), {"reporting_months": "5", "version": "0"})

    assert response.status_code == 422
    assert not MonitoringPlan.objects.exists()


# --- links from the dossier and the contract ---------------------------------------------------


def test_dossier_links_to_progress_once_a_contract_is_endorsed(client, city):
    url = progress_url()
    assert url not in client.get(reverse("cities:detail", args=["aachen"])).content.decode()


def test_dossier_of_an_endorsed_city_links_to_its_progress(client, endorsed):
    assert progress_url() in client.get(reverse("cities:detail", args=["aachen"])).content.decode()


def test_endorsed_contract_links_to_its_progress(client, endorsed):
    url = reverse("contracts:overview", args=["aachen", endorsed.number])
    assert progress_url() in client.get(url).content.decode()


# --- the reporting state in words ---------------------------------------------------------------


def test_overdue_reports_are_said_in_words_with_the_days_late():
    reporting = progress.reporting(
        datetime.date(2026, 12, 2), months=6, since=datetime.date(2025, 1, 10),
        last_reports={"a": None},
    )  # fmt: skip

    words = presentation.reporting_text(reporting, datetime.date(2026, 12, 2))

    # Jan–Jun 2026 was due 30 days after 30 June: 30 July; 2 December is 125 days later.
    assert words == (
        "Overdue: the reports for Jan. 1, 2026 to June 30, 2026 were due on July 30, 2026, "
        "125 days ago."
    )


def test_reports_due_after_the_period_are_said_in_words():
    reporting = progress.reporting(
        datetime.date(2026, 7, 10), months=6, since=datetime.date(2025, 1, 10),
        last_reports={"a": None},
    )  # fmt: skip

    words = presentation.reporting_text(reporting, datetime.date(2026, 7, 10))

    assert (
        words
        == "The period Jan. 1, 2026 to June 30, 2026 has ended: its reports are due by July 30, 2026."
    )


def test_team_page_shows_the_reporting_state(client, city_editor, endorsed):
    login(client, city_editor)
    response = client.get(progress_url())
    monitoring = response.context["monitoring"]

    expected = presentation.reporting_text(monitoring.reporting, today())

    assert expected in text(response) and expected.startswith(("Current period", "The period",
                                                               "Overdue", "Every open"))  # fmt: skip


# --- query counts -----------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _many_reports(city, endorsed, by, n):
    for action in endorsed.actions.all():
        for days in range(n):
            report(city, action, by=by, day=today() - datetime.timedelta(days=days + 1),
                   note=f"Week {days}", public=days % 2 == 0)  # fmt: skip


def test_progress_page_queries_do_not_grow_with_reports(
    client, city, endorsed, inventory_2024, homes, city_editor, django_assert_max_num_queries
):
    login(client, city_editor)
    _many_reports(city, endorsed, city_editor, 1)
    value(city, homes, by=city_editor, day=datetime.date(2024, 6, 30), amount=Decimal(500))
    client.get(progress_url())  # inventory summaries are cached from here on
    with django_assert_max_num_queries(16):
        few = _queries(client, progress_url())

    _many_reports(city, endorsed, city_editor, 12)
    value(city, homes, by=city_editor, day=datetime.date(2025, 6, 30), amount=Decimal(900))
    client.get(progress_url())  # the saves changed the data version: summaries again

    assert _queries(client, progress_url()) == few


def test_action_page_queries_do_not_grow_with_reports(
    client, city, endorsed, heating, city_editor, django_assert_max_num_queries
):
    login(client, city_editor)
    _many_reports(city, endorsed, city_editor, 1)
    with django_assert_max_num_queries(12):
        few = _queries(client, action_url(heating))

    _many_reports(city, endorsed, city_editor, 12)
    for _n in range(3):
        _evidence(city, heating, city_editor, public=True)

    assert _queries(client, action_url(heating)) == few


def test_indicator_page_queries_do_not_grow_with_values(
    client, city, homes, city_editor, django_assert_max_num_queries
):
    login(client, city_editor)
    value(city, homes, by=city_editor, day=datetime.date(2024, 6, 30), amount=Decimal(500))
    with django_assert_max_num_queries(12):
        few = _queries(client, indicator_url(homes))
    for month in range(1, 10):
        value(city, homes, by=city_editor, day=datetime.date(2025, month, 1), amount=Decimal(month))

    assert _queries(client, indicator_url(homes)) == few
