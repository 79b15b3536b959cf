"""Reading a day the user named: '' (no day), a day word such as 'today' / '明天', or YYYY-MM-DD; and a time of
day as HH:MM.

Each vertical passes its own words (what a word may mean differs: movies know 'tonight', the
weather does not) and words its own error, so only the reading itself is shared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time, timedelta

CLOCK_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
EVENING = time(17, 0)
"""Where 'tonight' ('this evening', '今晚', 'tänä iltana') starts when no time is given, in every vertical: the evening
shows and screenings, not the afternoon matinee."""
EVENING_WORDS = ("tonight", "this evening", "tänä iltana", "tänään illalla", "今晚", "今天晚上")
"""The ways of saying this evening that every vertical reads as today from ``EVENING`` (as typed; a vertical folding
its input folds these too)."""


def read_day(text: str, today: date, words: Mapping[str, int]) -> date | None:
    """``None`` for blank text; ``today`` plus the word's offset in days; else an ISO date.

    Case and surrounding space are ignored. Raises ``ValueError`` for anything else.
    """
    word = text.strip().lower()
    if not word:
        return None
    if word in words:
        return today + timedelta(days=words[word])
    return date.fromisoformat(word)


def read_time_of_day(text: str) -> time | None:
    """``None`` for blank text; else HH:MM (or HH.MM) on the 24-hour clock. Raises ``ValueError`` for anything else."""
    text = text.strip()
    if not text:
        return None
    match = CLOCK_TIME.match(text)
    if match is None:
        raise ValueError(text)
    return time(int(match[1]), int(match[2]))
