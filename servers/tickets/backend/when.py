"""Time words in a search query ('comedy tonight', '脱口秀 今晚', 'konsertti tänään'): when, not what.

People type the day into the query as often as into the date fields. Matched as text, 'tonight' fuzzy-matched
'Night' in titles and '今晚' matched nothing, so such a word is read here as the dates (and, for an evening, the
time of day) it names and taken out of the words to match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from shared.dates import EVENING, EVENING_WORDS
from shared.text import fold

from .index import Window, as_words

WEEKEND = "weekend"
PHRASES: dict[str, tuple[int | str, bool]] = {
    **dict.fromkeys(["today", "tanaan", "今天", "今日"], (0, False)),
    **dict.fromkeys(map(fold, EVENING_WORDS), (0, True)),
    **dict.fromkeys(["tomorrow", "huomenna", "明天"], (1, False)),
    **dict.fromkeys(["tomorrow night", "tomorrow evening", "huomenna illalla", "明晚", "明天晚上"], (1, True)),
    **dict.fromkeys(
        ["this weekend", "weekend", "tana viikonloppuna", "viikonloppuna", "周末", "这周末", "本周末", "这个周末"],
        (WEEKEND, False),
    ),
}
"""Each phrase (folded: 'tänään' is 'tanaan') → days from today (or the weekend) and whether it means the evening."""

_PATTERN = re.compile(
    "|".join(as_words(p) for p in sorted(PHRASES, key=len, reverse=True))  # 'tomorrow night' before 'tomorrow'
)


@dataclass(frozen=True)
class Said:
    """A time phrase of a query: where it is in the folded query, and the days and earliest start it names."""

    phrase: str
    span: tuple[int, int]
    first: date
    last: date
    earliest: time | None


def time_phrases(query: str, today: date) -> list[Said]:
    """The time phrases in ``query``, in order; ``today`` is the Helsinki date. 'this weekend' is the coming Saturday
    and Sunday, or what is left of it on a Saturday or Sunday."""
    out = []
    for match in _PATTERN.finditer(fold(query)):
        days, evening = PHRASES[match[0]]
        if days == WEEKEND:  # Saturday and Sunday: the coming ones, or what is left of this one
            first = today + timedelta(days=max(0, 5 - today.weekday()))
            last = today + timedelta(days=6 - today.weekday())
        else:
            first = last = today + timedelta(days=int(days))
        out.append(Said(match[0], match.span(), first, last, EVENING if evening else None))
    return out


def without(query: str, said: list[Said]) -> str:
    """The folded query with these phrases taken out."""
    text = fold(query)
    for s in sorted(said, key=lambda s: s.span, reverse=True):
        text = text[: s.span[0]] + " " + text[s.span[1] :]
    return " ".join(text.split())


def narrowed(window: Window, said: list[Said]) -> Window:
    """``window`` within the days (and from the evening) the time phrases name; with date_from or time_from too,
    what both allow ('tonight' with date_from tomorrow is nothing). Several phrases ('today or tomorrow') span
    their days, and the evening only when every one names it."""
    if not said:
        return window
    starts = [s.earliest for s in said if s.earliest is not None]
    evening = min(starts) if len(starts) == len(said) else None
    return replace(
        window,
        first=max(d for d in (min(s.first for s in said), window.first) if d is not None),
        last=min(d for d in (max(s.last for s in said), window.last) if d is not None),
        earliest=max((t for t in (evening, window.earliest) if t is not None), default=None),
    )
