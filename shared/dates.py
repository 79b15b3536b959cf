"""Reading a day the user named: '' (no day), a day word such as 'today' / '明天', or YYYY-MM-DD.

Each vertical passes its own words (what a word may mean differs: movies know 'tonight', the
weather does not) and words its own error, so only the reading itself is shared.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta


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
