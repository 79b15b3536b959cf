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
    and Sunday, or what is left of it on a Saturday or Sunday; a calendar day ('12月24日', 'Dec 24') that day; two
    days joined ('Friday to Sunday', '周六或周日') one phrase over both."""
    text = fold(query)
    return _ranges(text, _phrases(text, today))


def day_range(value: str, today: date) -> tuple[str, str] | None:
    """``value`` as the two days of a stretch or choice it is all of ('周五到周日', 'from Friday to Sunday', '周六或周日
    晚上'), each as said, for a reader of one day (movies' date) to read both; None when it is not two such days."""
    text = fold(value).strip()
    said = _phrases(text, today)
    joined = _ranges(text, said)
    if len(said) != 2 or len(joined) != 1 or joined[0].span != (0, len(text)):
        return None
    return text[said[0].span[0] : said[0].span[1]], text[said[1].span[0] :]


def _phrases(text: str, today: date) -> list[Said]:
    out = []
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


_BETWEEN_DAYS = re.compile(r"\s*(?:to|till|until|through|thru|and|or|-|–|~|到|至|和|或者|或|跟|、|,|，)\s*")
"""What joins two days said as one stretch or a choice of them: 'Friday to Sunday', '周五到周日', '周六或周日'."""
_RANGE_OPENS = re.compile(r"(?:(?<![a-z])(?:from|between)\s+|从\s*)$")


def _ranges(text: str, said: list[Said]) -> list[Said]:
    """Two days joined by 'to' / '到' / 'or' / '和' ('from Friday to Sunday', '周五至周日', 'between Friday and Sunday')
    as one phrase over the days of both: the joining words were left as words of the query, which no event has,
    so '周六到周日的音乐会' found nothing. A time of day is kept only where both name the same."""
    out: list[Said] = []
    for s in said:
        last = out[-1] if out else None
        if (
            last is not None
            and last.first is not None
            and s.first is not None
            and _BETWEEN_DAYS.fullmatch(text, last.span[1], s.span[0])
        ):
            start = _range_start(text, last)
            out[-1] = Said(
                text[start : s.span[1]],
                (start, s.span[1]),
                min(last.first, s.first),
                max(d for d in (last.last, s.last) if d is not None),
                last.earliest if last.earliest == s.earliest else None,
                last.latest if last.latest == s.latest else None,
            )
            continue
        out.append(s)
    return out


def _range_start(text: str, first: Said) -> int:
    """Where a stretch that starts with ``first`` starts: at a 'from' / 'between' / '从' said right before it."""
    opens = _RANGE_OPENS.search(text, 0, first.span[0])
    return opens.start() if opens else first.span[0]


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
