"""Progress on the Climate Transition Map, for pages of other apps (the contract's work process)."""

from django import template

from cityzero.transition import selectors

register = template.Library()


@register.simple_tag
def transition_progress(city) -> selectors.CityProgress:
    """The city's progress per phase: one query, notes not read."""
    return selectors.progress_summary(city)
