"""Time words in a search query ('comedy tonight', '脱口秀 今晚', '周末看什么电影'): when, not what.

People type the day into the query as often as into the date fields. Matched as text, 'tonight' fuzzy-matched
'Night' in titles and '今晚' matched nothing, so such a word is read here as the dates (and, for an evening, the
time of day) it names and taken out of the words to match: by tickets' event search and movies' film search alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from shared.dates import (
    CALENDAR_DATE,
    DAY_PHRASES,
    EVENING,
    MONTH_WORDS,
    PARTS_OF_DAY,
    PHRASE_WEEKDAYS,
    calendar_day,
    weekday_words,
)
from shared.text import as_words, cut_phrase, fold

_PATTERN = re.compile(
    "|".join(as_words(p) for p in sorted(DAY_PHRASES, key=len, reverse=True))  # 'tomorrow night' before 'tomorrow'
)


_EVENING_AFTER = re.compile(r"\s*(?:的\s*)?(?:晚上|晚|evening|night|illalla)(?![a-z])")
"""The evening of a calendar day: '12月5号晚上', 'Dec 5 evening'."""
_CHINESE_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*月份?(?!\s*\d)")
"""A month by its number ('1月的演唱会', '12月份'), not the start of a day ('12月5日')."""

_PARTS = re.compile("|".join(as_words(p) for p in sorted(PARTS_OF_DAY, key=len, reverse=True)))


@dataclass(frozen=True)
class Said:
    """A time phrase of a query: where it is in the folded query, and the days (None: any day, for a part of the
    day said alone) and the earliest and latest start it names."""

    phrase: str
    span: tuple[int, int]
    first: date | None
    last: date | None
    earliest: time | None
    latest: time | None = None


_AMBIGUOUS = re.compile(r"(?<!\w)(?:next|ensi)\s+$")
"""'next Friday' / 'ensi perjantaina': the coming Friday or the one after, as people mean either."""


def _overlaps(span: tuple[int, int], found: list[Said]) -> bool:
    """Whether ``span`` overlaps a phrase already read: a longer reading of the same words came first."""
    return any(s.span[0] < span[1] and span[0] < s.span[1] for s in found)


def time_phrases(query: str, today: date) -> list[Said]:
    """The time phrases in ``query``, in order; ``today`` is the Helsinki date. 'this weekend' is the coming Saturday
    and Sunday, or what is left of it on a Saturday or Sunday; a calendar day ('12月24日', 'Dec 24') that day."""
    out = []
    text = fold(query)
    for match in CALENDAR_DATE.finditer(text):  # '12月24日', 'Dec 24', '24.12.': before the month alone
        if (day := calendar_day(match, today)) is not None:
            dusk = _EVENING_AFTER.match(text, match.end())
            end = dusk.end() if dusk else match.end()
            out.append(Said(text[match.start() : end], (match.start(), end), day, day, EVENING if dusk else None))
    for match in _CHINESE_MONTH.finditer(text):  # '1月的演唱会'
        days, _ = DAY_PHRASES[MONTH_WORDS[int(match[1]) - 1][-1]]
        if not _overlaps(match.span(), out):
            out.append(Said(match[0], match.span(), *days(today), None))
    for match in _PATTERN.finditer(text):
        if _overlaps(match.span(), out):
            continue
        if match[0] in PHRASE_WEEKDAYS and _AMBIGUOUS.search(text, 0, match.start()):
            continue  # either of two days: left to the words, and an empty page's note says 'next' matched nothing
        days, evening = DAY_PHRASES[match[0]]
        first, last = days(today)
        out.append(Said(match[0], match.span(), first, last, EVENING if evening else None))
    for match in _PARTS.finditer(text):
        if not _overlaps(match.span(), out):
            out.append(Said(match[0], match.span(), None, None, *PARTS_OF_DAY[match[0]]))
    return sorted(out, key=lambda s: s.span)


def ambiguous_days(query: str, today: date) -> list[tuple[str, date, date]]:
    """Each 'next Friday' of ``query`` (not read as a day by ``time_phrases``) with the two days it may mean."""
    text = fold(query)
    out = []
    for match in _PATTERN.finditer(text):
        said = _AMBIGUOUS.search(text, 0, match.start())
        if match[0] in PHRASE_WEEKDAYS and said:
            coming = today + timedelta(days=weekday_words(today)[match[0]] or 7)
            out.append((text[said.start() : match.end()], coming, coming + timedelta(days=7)))
    return out


def without(query: str, said: list[Said]) -> str:
    """The folded query with these phrases taken out (``cut_phrase``)."""
    text = fold(query)
    for s in sorted(said, key=lambda s: s.span, reverse=True):
        text = cut_phrase(text, *s.span)
    return " ".join(text.split())
