"""Time words in a search query ('comedy tonight', '脱口秀 今晚', 'konsertti tänään'): when, not what.

People type the day into the query as often as into the date fields. Matched as text, 'tonight' fuzzy-matched
'Night' in titles and '今晚' matched nothing, so such a word is read here as the dates (and, for an evening, the
time of day) it names and taken out of the words to match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from shared.dates import CHINESE_WEEKS, EVENING, EVENING_WORDS, weekday_words
from shared.text import fold

from .index import Window, as_words

Days = Callable[[date], tuple[date, date]]
"""The first and last day a phrase names, from today's date in Helsinki."""


def _in(n: int) -> Days:
    return lambda today: (today + timedelta(days=n),) * 2


def _weekend(ahead: int) -> Days:
    """Saturday and Sunday of this calendar week (what is left of it on a Sunday), or of the next (下周末)."""

    def days(today: date) -> tuple[date, date]:
        saturday = today - timedelta(days=today.weekday() - 5 - 7 * ahead)
        return max(today, saturday), saturday + timedelta(days=1)

    return days


def _week(ahead: int) -> Days:
    """This week (today to Sunday) or the next (Monday to Sunday), counted from Monday as in Finland and China."""

    def days(today: date) -> tuple[date, date]:
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7 * ahead)
        return max(today, monday), monday + timedelta(days=6)

    return days


def _weekday(word: str) -> Days:
    return lambda today: (today + timedelta(days=weekday_words(today)[word]),) * 2


def _yearly(month: int, day: int, length: int = 1) -> Days:
    """A date of every year ('Christmas' is the 24th to the 26th): this year's, or what is left of it, or next
    year's once it is over."""

    def days(today: date) -> tuple[date, date]:
        first = date(today.year, month, day)
        if first + timedelta(days=length - 1) < today:
            first = date(today.year + 1, month, day)
        return max(first, today), first + timedelta(days=length - 1)

    return days


_WEEKDAYS = [w for w in weekday_words(date(2026, 1, 5)) if not (w.isascii() and len(w.split()[-1]) <= 3)]
"""The weekday words a query is read for (the days are worked out for the day asked): not 'sun', 'sat' or 'wed',
which in a query are more often words of a title ('Midnight Sun') than days."""
_EVENINGS = [(" night", " evening"), ("晚上", "晚")]

PHRASES: dict[str, tuple[Days, bool]] = {
    **dict.fromkeys(["today", "tanaan", "今天", "今日"], (_in(0), False)),
    **dict.fromkeys(map(fold, EVENING_WORDS), (_in(0), True)),
    **dict.fromkeys(["tomorrow", "huomenna", "明天"], (_in(1), False)),
    **dict.fromkeys(["tomorrow night", "tomorrow evening", "huomenna illalla", "明晚", "明天晚上"], (_in(1), True)),
    **dict.fromkeys(["day after tomorrow", "ylihuomenna", "后天"], (_in(2), False)),
    **dict.fromkeys(
        ["this weekend", "weekend", "tana viikonloppuna", "viikonloppuna", "周末", "这周末", "本周末", "这个周末"],
        (_weekend(0), False),
    ),
    **dict.fromkeys(["next weekend", "ensi viikonloppuna", "下周末", "下个周末"], (_weekend(1), False)),
    **dict.fromkeys(["this week", "talla viikolla", *CHINESE_WEEKS["this"]], (_week(0), False)),
    **dict.fromkeys(["next week", "ensi viikolla", *CHINESE_WEEKS["next"]], (_week(1), False)),
    **{fold(word): (_weekday(word), False) for word in _WEEKDAYS},
    **{
        fold(word) + evening: (_weekday(word), True)
        for word in _WEEKDAYS
        for evening in _EVENINGS[0 if word.isascii() else 1]
    },
    **dict.fromkeys(["christmas", "xmas", "joulu", "jouluna", "圣诞", "圣诞节"], (_yearly(12, 24, 3), False)),
    **dict.fromkeys(["christmas eve", "jouluaatto", "jouluaattona", "平安夜"], (_yearly(12, 24), False)),
    **dict.fromkeys(
        ["new year's eve", "new year’s eve", "new years eve", "nye", "uudenvuodenaatto", "uudenvuodenaattona", "跨年"],
        (_yearly(12, 31), False),
    ),
    **dict.fromkeys(
        ["new year's day", "new year’s day", "new years day", "uudenvuodenpaiva", "元旦"], (_yearly(1, 1), False)
    ),
}
"""Each phrase (folded: 'tänään' is 'tanaan') → the days it names from today and whether it means the evening.
Weekdays are as ``shared.dates.weekday_words`` reads them ('Friday' the coming one, 下周五 next week's);
'next Friday', which people use for either of two days, is not read as a day."""

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


_AMBIGUOUS = re.compile(r"(?<!\w)(?:next|ensi)\s+$")
"""'next Friday' / 'ensi perjantaina': the coming Friday or the one after, as people mean either."""


def time_phrases(query: str, today: date) -> list[Said]:
    """The time phrases in ``query``, in order; ``today`` is the Helsinki date. 'this weekend' is the coming Saturday
    and Sunday, or what is left of it on a Saturday or Sunday."""
    out = []
    text = fold(query)
    for match in _PATTERN.finditer(text):
        if match[0] in _WEEKDAYS and _AMBIGUOUS.search(text, 0, match.start()):
            continue  # either of two days: left to the words, and an empty page's note says 'next' matched nothing
        days, evening = PHRASES[match[0]]
        first, last = days(today)
        out.append(Said(match[0], match.span(), first, last, EVENING if evening else None))
    return out


def ambiguous_days(query: str, today: date) -> list[tuple[str, date, date]]:
    """Each 'next Friday' of ``query`` (not read as a day by ``time_phrases``) with the two days it may mean."""
    text = fold(query)
    out = []
    for match in _PATTERN.finditer(text):
        said = _AMBIGUOUS.search(text, 0, match.start())
        if match[0] in _WEEKDAYS and said:
            coming = today + timedelta(days=weekday_words(today)[match[0]] or 7)
            out.append((text[said.start() : match.end()], coming, coming + timedelta(days=7)))
    return out


def cut(text: str, start: int, end: int) -> str:
    """``text`` without the phrase at [start, end) and the particle that tied it to the rest: '周六晚上的演唱会' is
    '演唱会', not '的演唱会', which no event has (day words here, prices in ``price_words``)."""
    return text[:start].removesuffix("的") + " " + text[end:].lstrip().removeprefix("的")


def without(query: str, said: list[Said]) -> str:
    """The folded query with these phrases taken out (``cut``)."""
    text = fold(query)
    for s in sorted(said, key=lambda s: s.span, reverse=True):
        text = cut(text, *s.span)
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
