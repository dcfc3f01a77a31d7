"""Plain rules against flooding and spam, over plain data (no Django): how long someone must wait
before posting again, how many links a text holds, and a fingerprint to spot a repeated post."""

import hashlib
import math
import re
from collections.abc import Sequence
from datetime import datetime, timedelta

# A web address written out (http://, https://, www.) or as a Markdown autolink <…>.
_LINK = re.compile(r"(?i)\bhttps?://|\bwww\.|<[a-z][a-z0-9+.-]*:[^>\s]+>")
_SPACE = re.compile(r"\s+")


def seconds_to_wait(
    recent: Sequence[datetime], *, now: datetime, limit: int, window: timedelta
) -> int:
    """Seconds until one more post fits the limit of ``limit`` posts per ``window``; 0 if it
    fits now. ``recent`` are the times of the person's posts (any order)."""
    if limit < 1:  # posting is switched off
        return max(1, math.ceil(window.total_seconds()))
    inside = sorted(at for at in recent if now - at < window)
    if len(inside) < limit:
        return 0
    # The oldest post that must leave the window first.
    frees_at = inside[len(inside) - limit] + window
    return max(1, math.ceil((frees_at - now).total_seconds()))


def link_count(text: str) -> int:
    return len(_LINK.findall(text))


def fingerprint(text: str) -> str:
    """The same for two texts that differ only in case and spacing."""
    normal = _SPACE.sub(" ", text.casefold()).strip()
    return hashlib.sha256(normal.encode()).hexdigest()
