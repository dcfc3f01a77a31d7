"""Markdown written by users, rendered once on save and stored as sanitised HTML."""

import markdown as markdown_lib
import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}


def render_markdown(text: str) -> str:
    """Turn user Markdown into HTML that is safe to show: no scripts, styles or event handlers."""
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


MAX_COMMENT = 5000


def comment_text(body: str) -> str:
    """A comment as it is kept: trimmed, not empty, at most ``MAX_COMMENT`` characters."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a comment first."))
    if len(body) > MAX_COMMENT:
        raise ValidationError(
            _("Keep the comment to %(n)s characters or fewer.") % {"n": f"{MAX_COMMENT:,}"}
        )
    return body
