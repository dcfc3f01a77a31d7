"""Amounts of money and categories in words, for the Finance Guidance Tool's pages and PDF."""

from django import template
from django.utils.translation import gettext as _

from cityzero.finance.models import FundingCategory

register = template.Library()

MILLION = 1_000_000
BILLION = 1_000_000_000


@register.filter
def euros(amount: int | None) -> str:
    """€250,000 · €2.5 million · €1 billion."""
    if amount is None:
        return ""
    if amount >= BILLION:
        return _("€%(n)s billion") % {"n": f"{amount / BILLION:,.3g}"}
    if amount >= MILLION:
        return _("€%(n)s million") % {"n": f"{amount / MILLION:,.3g}"}
    return f"€{amount:,}"


@register.simple_tag
def ticket_range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return _("%(low)s to %(high)s") % {"low": euros(low), "high": euros(high)}
    if low is not None:
        return _("from %(low)s") % {"low": euros(low)}
    if high is not None:
        return _("up to %(high)s") % {"high": euros(high)}
    return _("no typical amount")


@register.filter
def category_label(code: str) -> str:
    return str(FundingCategory(code).label) if code in FundingCategory.values else code
