"""Merging feed streams and paging through them with a cursor, on plain data."""

from datetime import UTC, datetime, timedelta

import pytest

from cityzero.community.feed import Item, Position, merge

T0 = datetime(2026, 5, 12, 12, 0, tzinfo=UTC)


def item(minutes: int, kind: str, key: int) -> Item:
    return Item(Position(T0 + timedelta(minutes=minutes), kind, key), f"{kind} {key}", "/")


def keys(page) -> list[tuple[str, int]]:
    return [(i.kind, i.position.key) for i in page.items]


def test_streams_are_merged_newest_first():
    posts = [item(9, "post", 3), item(5, "post", 2), item(1, "post", 1)]
    events = [item(7, "event", 8), item(2, "event", 7)]
    page = merge([posts, events], size=10)
    assert keys(page) == [("post", 3), ("event", 8), ("post", 2), ("event", 7), ("post", 1)]
    assert page.next_cursor is None


def test_a_full_page_gives_the_cursor_of_its_last_item():
    posts = [item(9, "post", 3), item(5, "post", 2), item(1, "post", 1)]
    page = merge([posts], size=2)
    assert keys(page) == [("post", 3), ("post", 2)]
    assert Position.decode(page.next_cursor) == Position(T0 + timedelta(minutes=5), "post", 2)


def test_items_at_the_same_moment_are_ordered_by_kind_then_key():
    same = [item(0, "post", 4), item(0, "post", 9)]
    other = [item(0, "file", 5), item(0, "event", 5)]
    page = merge([sorted(same, key=lambda i: i.position, reverse=True), other], size=10)
    assert keys(page) == [("post", 9), ("post", 4), ("file", 5), ("event", 5)]


def test_the_same_item_in_two_streams_appears_once():
    entry = item(3, "entry", 1)
    page = merge([[entry], [entry]], size=10)
    assert keys(page) == [("entry", 1)]


def test_a_position_survives_its_cursor_to_the_microsecond():
    position = Position(datetime(2026, 5, 12, 12, 0, 0, 123457, tzinfo=UTC), "post", 42)
    assert position.encode() == "1778587200123457.post.42"
    assert Position.decode(position.encode()) == position


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "abc",
        "1.post",
        "x.post.1",
        "1.post.x",
        "1.po-st.1",
        "1.post.-1",
        "99999999999999999999999.post.1",
        "1.p0st.1",
        f"1.{'a' * 21}.1",
    ],
)
def test_anything_but_a_cursor_is_no_position(cursor):
    assert Position.decode(cursor) is None
