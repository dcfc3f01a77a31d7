"""A result as CSV (one row per funding type) and as an A4 PDF, live or saved alike.

The PDF is rendered offline, like the contract's (``contracts.exports.OfflineFetcher``): nothing
a text names is ever fetched. No CSV cell can run as a spreadsheet formula.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML

from cityzero.contracts.exports import OfflineFetcher, css_content, css_string
from cityzero.finance.guidance import Guidance, Row
from cityzero.finance.questionnaire import describe
from cityzero.finance.templatetags.finance import category_label
from cityzero.inventories.interchange import neutralise

PDF_TEMPLATE = "finance/pdf/result.html"
CSV_COLUMNS = ("rank", "status", "funding_type", "code", "category", "score", "why",
               "pros", "cons", "project_types", "related_products", "ticket_min_eur",
               "ticket_max_eur", "eligibility")  # fmt: skip
LIST_SEPARATOR = " | "


@dataclass(frozen=True)
class Heading:
    """What the export says about the result: its title, city and note when saved."""

    title: str
    city: str = ""
    note: str = ""
    saved_at: datetime | None = None
    link: str = ""


def _cells(row: Row) -> list[Any]:
    info = row.funding
    return [
        row.rank if row.rank is not None else "",
        "recommended" if row.rank is not None else "excluded",
        info.name,
        info.code,
        category_label(info.category),
        row.score if row.rank is not None else "",
        LIST_SEPARATOR.join(reason.text for reason in row.reasons),
        LIST_SEPARATOR.join(info.pros),
        LIST_SEPARATOR.join(info.cons),
        LIST_SEPARATOR.join(info.project_types),
        LIST_SEPARATOR.join(info.related_products),
        info.ticket_min if info.ticket_min is not None else "",
        info.ticket_max if info.ticket_max is not None else "",
        info.eligibility,
    ]


def result_csv(guidance: Guidance) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the accents."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in (*guidance.ranked, *guidance.excluded):
        writer.writerow(
            [neutralise(cell) if isinstance(cell, str) else cell for cell in _cells(row)]
        )
    return out.getvalue().encode("utf-8-sig")


def result_pdf(guidance: Guidance, heading: Heading) -> bytes:
    context = {
        "guidance": guidance,
        "heading": heading,
        "answers": describe(guidance.answers),
        "page_numbers": css_content(_("Page %(page)s of %(pages)s")),
        "running_head": css_string(
            _("Finance Guidance Tool · %(title)s") % {"title": heading.title}
        ),
    }
    html = render_to_string(PDF_TEMPLATE, context)
    return HTML(string=html, url_fetcher=OfflineFetcher()).render().write_pdf()
