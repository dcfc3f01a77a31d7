from django import template

from cityzero.accounts.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action: str, obj) -> bool:
    """``{% may "contract.resolve_comment" thread.root as allowed %}``: the one rule, in templates."""
    return can(context["request"].user, action, obj)
