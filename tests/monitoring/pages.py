"""Helpers the page tests share: reports and values made through the services, the text of a
page, and the actions of the endorsed contract by name."""

import datetime
import re
from html import unescape

from django.utils import timezone

from cityzero.contracts.models import Action, Indicator
from cityzero.monitoring import services

TEAM = ["viewer", "editor", "coordinator", "advisor_of_city", "staff"]
OUTSIDERS = ["anonymous", "member", "editor_of_other_city", "advisor_elsewhere", "reviewer",
             "officer"]  # fmt: skip


def today() -> datetime.date:
    return timezone.localdate()


def action_named(iteration, name: str) -> Action:
    return Action.objects.get(iteration=iteration, name=name)


def indicator_named(iteration, name: str) -> Indicator:
    return Indicator.objects.get(iteration=iteration, name=name)


def report(city, action, *, by, day=None, status="in_progress", percent_done=40, **fields):
    data = services.ReportInput(
        reported_on=day or today(), status=status, percent_done=percent_done, **fields
    )
    return services.report_progress(city, action, data, by=by)


def value(city, indicator, *, by, day, amount, unit=None, source="Utility", quality="measured"):
    data = services.ValueInput(
        measured_on=day, value=amount, unit=unit or indicator.unit, source=source,
        quality=quality,
    )  # fmt: skip
    return services.record_value(city, indicator, data, by=by)


def login(client, user) -> None:
    if user is not None:
        client.force_login(user)


def text(response) -> str:
    """The page's main text, tags and charts left out, white space collapsed."""
    html = response.content.decode()
    if "<main" in html:
        html = html[html.index("<main") :]
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(html).split())
