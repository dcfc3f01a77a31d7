"""The posting limits' arithmetic and spam signs, on plain data."""

from datetime import UTC, datetime, timedelta

import pytest

from cityzero.community.spam import fingerprint, link_count, seconds_to_wait

NOW = datetime(2026, 5, 12, 12, 0, 0, tzinfo=UTC)
MINUTE = timedelta(seconds=60)


def ago(*seconds: float) -> list[datetime]:
    return [NOW - timedelta(seconds=s) for s in seconds]


def test_fewer_posts_than_the_limit_need_no_wait():
    assert seconds_to_wait(ago(10, 20, 30, 40), now=NOW, limit=5, window=MINUTE) == 0


def test_the_limit_reached_waits_until_the_oldest_post_leaves_the_window():
    # Posts 50, 40, 30, 20, 10 s ago; the one 50 s ago leaves the 60 s window in 10 s.
    assert seconds_to_wait(ago(50, 40, 30, 20, 10), now=NOW, limit=5, window=MINUTE) == 10


def test_posts_older_than_the_window_do_not_count():
    assert seconds_to_wait(ago(61, 70, 30, 20, 10, 5), now=NOW, limit=5, window=MINUTE) == 0


def test_over_the_limit_the_wait_is_for_enough_posts_to_leave():
    # Seven posts in the window, limit 5: the third oldest (45 s ago) must leave: 15 s.
    times = ago(55, 50, 45, 30, 20, 10, 1)
    assert seconds_to_wait(times, now=NOW, limit=5, window=MINUTE) == 15


def test_a_limit_of_zero_switches_posting_off():
    assert seconds_to_wait([], now=NOW, limit=0, window=MINUTE) == 60


def test_a_fraction_of_a_second_is_rounded_up_and_never_zero():
    assert seconds_to_wait(ago(59.5), now=NOW, limit=1, window=MINUTE) == 1
    assert seconds_to_wait(ago(59.9999), now=NOW, limit=1, window=MINUTE) == 1


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("No link here, just words.", 0),
        ("See https://example.org and http://example.com/x", 2),
        ("[our plan](https://a.example/plan) and www.example.org", 2),
        ("An autolink <https://example.org/a> counts once", 1),
        ("HTTPS://SHOUTING.EXAMPLE counts too", 1),
        ("e-mail me at someone@example.org", 0),
    ],
)
def test_links_are_counted_in_every_form(text, links):
    assert link_count(text) == links


def test_the_fingerprint_ignores_case_and_spacing_only():
    assert fingerprint("Buy  cheap\nHEAT pumps ") == fingerprint("buy cheap heat pumps")
    assert fingerprint("buy cheap heat pumps") != fingerprint("buy cheap heat pump")
