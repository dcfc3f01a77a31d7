import datetime

from django import template
from django.utils.translation import gettext, ngettext

from cityzero.reviews.selectors import module_title as title_of

register = template.Library()


@register.filter
def module_title(code: str) -> str:
    return title_of(code)


@register.filter
def timedelta_days(spent: datetime.timedelta) -> str:
    days = spent.total_seconds() / 86400
    if spent < datetime.timedelta(hours=1):
        return gettext("less than an hour")
    if days < 1:
        hours = round(spent.total_seconds() / 3600)
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    whole = round(days)
    return ngettext("%(n)s day", "%(n)s days", whole) % {"n": whole}
