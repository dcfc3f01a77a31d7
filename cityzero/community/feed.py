"""A feed merged from several streams, newest first, one page at a time (no Django).

Each stream is read already sorted, newest first, and cut at the page size after the cursor;
merging them gives the page. The cursor is the position of the page's last item, so the next
page starts exactly after it, whatever is added meanwhile: (time, kind, key) orders all items.
"""

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, order=True)
class Position:
    at: datetime
    kind: str
    key: int

    def encode(self) -> str:
        micros = (self.at - EPOCH) // MICROSECOND
        return f"{micros}.{self.kind}.{self.key}"

    @classmethod
    def decode(cls, text: str) -> "Position | None":
        """The position a cursor names; None for anything that is not one."""
        parts = text.split(".")
        if len(parts) != 3 or not parts[1].isalpha() or len(parts[1]) > 20:
            return None
        try:
            micros, key = int(parts[0]), int(parts[2])
            at = EPOCH + micros * MICROSECOND
        except (ValueError, OverflowError, OSError):
            return None
        if key < 0:
            return None
        return cls(at, parts[1], key)


@dataclass(frozen=True)
class Item:
    position: Position
    title: str
    url: str
    where: str = ""  # the group or city it happened in
    who: str = ""
    summary: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def at(self) -> datetime:
        return self.position.at

    @property
    def kind(self) -> str:
        return self.position.kind


@dataclass(frozen=True)
class Page:
    items: list[Item]
    next_cursor: str | None  # None on the last page


def merge(streams: Iterable[Sequence[Item]], *, size: int) -> Page:
    """The newest ``size`` items of all streams; each stream holds up to ``size + 1`` items after
    the cursor, newest first, so that a further page is known to exist."""
    ordered = heapq.merge(*streams, key=lambda item: item.position, reverse=True)
    items: list[Item] = []
    seen: set[tuple[str, int]] = set()
    more = False
    for item in ordered:
        identity = (item.kind, item.position.key)
        if identity in seen:
            continue
        if len(items) == size:
            more = True
            break
        seen.add(identity)
        items.append(item)
    return Page(items, items[-1].position.encode() if more else None)
