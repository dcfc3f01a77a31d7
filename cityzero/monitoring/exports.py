"""A year's implementation progress report as an A4 PDF, from the same tables and charts as the
progress page, as things stood on 31 December of that year (or today, for this year).

It holds what its reader may see on the page: what the city published, for everyone outside the
city's team. Rendered offline like the contract (:class:`~cityzero.contracts.exports.OfflineFetcher`):
nothing a text names is ever fetched.
"""

import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML, Document

from cityzero.contracts.exports import OfflineFetcher, css_content, css_string
from cityzero.monitoring.presentation import progress_context
from cityzero.monitoring.selectors import CityMonitoring

TEMPLATE = "monitoring/pdf/annual_report.html"


def annual_report_pdf(
    monitoring: CityMonitoring, year: int, *, today: datetime.date | None = None
) -> bytes:
    return annual_report_document(monitoring, year, today=today).write_pdf()


def annual_report_document(
    monitoring: CityMonitoring,
    year: int,
    *,
    today: datetime.date | None = None,
    fetcher: OfflineFetcher | None = None,
) -> Document:
    """The laid-out report (its pages hold the text), before it is written as a PDF."""
    html = render_to_string(TEMPLATE, report_context(monitoring, year, today=today))
    return HTML(string=html, url_fetcher=fetcher or OfflineFetcher()).render()


def report_context(
    monitoring: CityMonitoring, year: int, *, today: datetime.date | None = None
) -> dict[str, Any]:
    today = today or timezone.localdate()
    until = min(datetime.date(year, 12, 31), today)
    context = progress_context(monitoring, today)
    running_head = _("%(city)s · Implementation progress report %(year)s") % {
        "city": monitoring.city.name,
        "year": year,
    }
    context.update(
        {
            "year": year,
            "until": until,
            "made_on": today,
            # each indicator with its values of that year
            "indicator_years": [
                (row, [point for point in row.item.points if point.day.year == year])
                for row in context["indicator_rows"]
            ],
            "page_numbers": css_content(_("Page %(page)s of %(pages)s")),
            "running_head": css_string(running_head),
        }
    )
    return context
