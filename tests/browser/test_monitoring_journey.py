"""After the label: a city editor reports progress on an action, publishes the emissions against
the pathway, and a visitor reads both on the public progress page and in the annual PDF report.

Run with `pytest tests/browser -p no:xdist`; see conftest.py for the browser set-up.
"""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import PDF_TIMEOUT_MS, sign_in
from tests.browser.test_journeys import assert_no_axe_violations
from tests.contracts.test_exports import pdf_text
from tests.monitoring.conftest import endorsed, inventory_2024  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

PROGRESS = "/cities/aachen/progress/"
NOTE = "Signs are up in the old town; enforcement starts in spring."
EVIDENCE = "https://example.org/aachen/lez-council-decision.pdf"


def test_an_editor_reports_progress_and_a_visitor_reads_it_on_the_page_and_in_the_pdf(
    page: Page,
    new_context,
    make_person,
    inventory_2024,  # noqa: F811
):
    # 1. The editor finds the action without a report on the progress page.
    sign_in(page, make_person("editor"), next_url=PROGRESS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Implementation progress of Aachen")
    row = page.get_by_role("row", name=re.compile("^Low-emission zone"))
    expect(row).to_contain_text("No report yet")
    expect(page.locator("#reporting-state")).to_be_visible()
    assert_no_axe_violations(page)
    row.get_by_role("link", name="Report progress on Low-emission zone").click()

    # 2. The report: delayed, with spend beyond the 20 million € budget, a note and a link.
    expect(page.get_by_role("heading", level=1)).to_have_text("Low-emission zone")
    page.get_by_label("Status").select_option(label="Delayed")
    page.get_by_label("Done (%)").fill("35")
    page.get_by_label("Spent to date (€)").fill("21000000")
    page.get_by_label("Next milestone").fill("Enforcement cameras in operation")
    page.get_by_label("Progress note").fill(NOTE)
    page.get_by_label("Evidence links").fill(EVIDENCE)
    page.get_by_label("Publish on the public progress page").check()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save the report").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Your report on “Low-emission zone”")
    expect(status).to_contain_text("Spend beyond budget")
    history = page.locator("article, section").filter(has_text=NOTE).first
    expect(history).to_contain_text("Delayed, 35%")
    expect(page.get_by_role("link", name=re.compile("lez-council-decision"))).to_have_attribute(
        "href", EVIDENCE
    )

    # 3. The plan: half-yearly reports, and the emissions against the pathway made public.
    page.goto(PROGRESS)
    page.get_by_role("link", name="Monitoring plan").click()
    page.get_by_label("Reporting period").select_option(label="Every quarter")
    page.get_by_label("Publish emissions against the pathway").check()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("status")).to_contain_text("The monitoring plan is saved.")

    # 4. A visitor sees the published report and the 2024 inventory against the pathway.
    visitor = new_context().new_page()
    visitor.goto(PROGRESS)
    expect(visitor.get_by_role("row", name=re.compile("^Low-emission zone"))).to_contain_text(
        "Delayed"
    )
    expect(visitor.get_by_text("District heating")).to_have_count(0)  # nothing published on it
    standing = visitor.get_by_role("table", name=re.compile("^2024 by sector"))
    expect(standing.get_by_role("row", name=re.compile("^Transport"))).to_contain_text(
        "10,000 above"
    )
    expect(standing.get_by_role("row", name=re.compile("^Total"))).to_contain_text("On track")
    assert_no_axe_violations(visitor)

    # 5. The year's PDF report holds the same.
    year = timezone.localdate().year
    with visitor.expect_download(timeout=PDF_TIMEOUT_MS) as info:
        visitor.get_by_role("link", name=f"Progress report {year}").click(timeout=PDF_TIMEOUT_MS)
    text = pdf_text(Path(info.value.path()).read_bytes())
    assert "Aachen" in text
    assert "Low-emission zone" in text
    assert NOTE in " ".join(text.split())
    assert "District heating" not in text


def test_outsiders_and_the_cross_city_view(page: Page, make_person, endorsed, settings):  # noqa: F811
    settings.MFA_REQUIRED = False
    # A visitor sees that nothing is published yet; the staff oversee the city across cities.
    page.goto(PROGRESS)
    expect(
        page.get_by_text("The city has not published a progress report on its actions yet.")
    ).to_be_visible()
    assert_no_axe_violations(page)
    sign_in(page, make_person("staff"), next_url="/monitoring/")
    expect(page.get_by_role("row", name=re.compile("^Aachen"))).to_be_visible()
    assert_no_axe_violations(page)
