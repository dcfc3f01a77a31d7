import pytest

from cityzero.core.markdown import render_markdown


def test_plain_markdown_renders():
    assert (
        render_markdown("**Net zero** by *2030*")
        == "<p><strong>Net zero</strong> by <em>2030</em></p>"
    )


def test_links_get_safe_rel():
    assert render_markdown("[plan](https://example.org)") == (
        '<p><a href="https://example.org" rel="noopener noreferrer nofollow">plan</a></p>'
    )


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '<a href="#" onclick="steal()">x</a>',
        "<iframe src=https://evil.example></iframe>",
        '<p style="position:fixed">x</p>',
    ],
)
def test_dangerous_html_is_removed(text):
    html = render_markdown(text)
    for bad in ("<script", "onerror", "javascript:", "onclick", "<iframe", "style=", "<img"):
        assert bad not in html


def test_tables_are_kept():
    assert "<table>" in render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
