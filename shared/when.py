"""Time words in a search query ('comedy tonight', '脱口秀 今晚', '周末看什么电影'): when, not what.

People type the day into the query as often as into the date fields. Matched as text, 'tonight' fuzzy-matched
'Night' in titles and '今晚' matched nothing, so such a word is read here as the dates (and, for an evening, the
time of day) it names and taken out of the words to match: by tickets' event search and movies' film search alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta

from shared.dates import (
    ABOUT_AFTER_EN,
    ABOUT_AFTER_ZH,
    ABOUT_BEFORE,
    CALENDAR_DATE,
    CLOCK_PARTS_ZH,
    CLOCK_ZH,
    DAY_PHRASES,
    EVENING,
    LATEST_START,
    MONTH_PARTS,
    MONTH_WORDS,
    PARTS_OF_DAY,
    PHRASE_WEEKDAYS,
    STARTS_ZH,
    calendar_day,
    clock_said,
    english_start,
    event_hour,
    latest_start,
    weekday_words,
)
from shared.text import any_of_words, cut_phrase, fold

_PATTERN = re.compile(any_of_words(DAY_PHRASES))


_EVENING_AFTER = re.compile(r"\s*(?:的\s*)?(?:晚上|晚|evening|night|illalla)(?![a-z])")
"""The evening of a calendar day: '12月5号晚上', 'Dec 5 evening'."""
_MONTH_PART = "|".join(sorted(MONTH_PARTS, key=len, reverse=True))
_CHINESE_MONTH = re.compile(rf"(?<!\d)(1[0-2]|0?[1-9])\s*月份?(?P<part>{_MONTH_PART})?(?!\s*\d)")
"""A month by its number ('1月的演唱会', '12月份'), or a part of one ('12月底', '1月中旬'), not the start of a day
('12月5日')."""

_PARTS = re.compile(any_of_words(PARTS_OF_DAY))
_CLOCK_EN = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
CLOCK_RANGE = re.compile(
    rf"(?P<zh1>{CLOCK_ZH})\s*(?:到|至|-|–|~)\s*(?P<zh2>{CLOCK_ZH})(?:之间|以内|之内)?"
    rf"|(?<![a-z])(?:between|from)\s+(?P<en1>{_CLOCK_EN})\s*(?:and|to|till|until|-|–)\s*(?P<en2>{_CLOCK_EN})(?![\w:])"
    r"|(?<![\d:.])(?P<en3>\d{1,2}(?::\d{2})?\s*(?:am|pm)?)\s*(?:-|–)\s*(?P<en4>\d{1,2}(?::\d{2})?\s*(?:am|pm))(?![a-z])",
    re.IGNORECASE,
)
"""A span of the day said ('下午3点到6点之间', 'between 3pm and 6pm', 'from 7 to 10', '3-6pm'): the earliest and
latest start. Read as two times or as words, '周六下午3点到6点之间的演出' found nothing ('No event matches 到,
之间')."""
CLOCK_BOUND = re.compile(
    rf"(?P<zh>{CLOCK_ZH})\s*(?P<zh_dir>以后|之后|后|起|开始|以前|之前|前){STARTS_ZH}"
    r"|(?<![a-z])(?:(?:that\s+)?(?:start(?:s|ing)?|begin(?:s|ning)?)\s+)?(?P<en_dir>after|from|before|by|until|till)\s+"
    r"(?P<en>\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2})"
    r"(?![\w:])",
    re.IGNORECASE,
)
"""A time of day said as the earliest or the latest start ('周六晚上7点以后的演唱会', '8点前', 'after 8pm', 'before
20:00') inside a query, not only at the end of a date: '7点以后' was two words no event has ('No event matches 7,
后'). English needs am/pm or minutes: 'after 18' may be an age."""


CLOCK_AROUND = re.compile(
    rf"(?P<zh>{CLOCK_ZH})\s*(?:{ABOUT_AFTER_ZH})"
    rf"|(?<![a-z])(?:{ABOUT_BEFORE})\s+(?:at\s+)?"
    r"(?P<en>\d{1,2}(?::\d{2})?\s*(?:am|pm)?)(?![\w:])"
    rf"|(?<![\w:])(?P<en_ish>\d{{1,2}}(?::\d{{2}})?\s*(?:am|pm)?)\s*(?:{ABOUT_AFTER_EN})(?![a-z])",
    re.IGNORECASE,
)
"""A time said as about when ('今晚八点左右', '8点前后', 'around 8pm', 'tonight around 8', '8ish'): starts within
``AROUND_MINUTES`` of it. It was 'not a date' as a date, and words no event has in a query ('No event matches 8,
左右')."""
AROUND_MINUTES = 60


def around_span(text: str, match: re.Match[str]) -> tuple[time, time] | None:
    """The earliest and latest start a ``CLOCK_AROUND`` match allows: ``AROUND_MINUTES`` either side of its time,
    within the day; the part of the day said before it carries ('周六晚上8点左右' is 19:00–21:00), and a bare hour
    from 1 to 9 is the afternoon's or evening's."""
    at = _bound_clock(text, match) if match["zh"] else english_start((match["en"] or match["en_ish"]).strip())
    if at is None:
        return None
    said, either = at.hour * 60 + at.minute, AROUND_MINUTES
    first, last = max(0, said - either), min(24 * 60 - 1, said + either)
    return time(first // 60, first % 60), time(last // 60, last % 60)


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
    for match in _CHINESE_MONTH.finditer(text):  # '1月的演唱会', '12月底'
        days, _ = DAY_PHRASES[MONTH_WORDS[int(match[1]) - 1][-1] + (match["part"] or "")]
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
    # before the parts: '下午3点到6点' is no afternoon but 15:00–18:00
    for ranged in _after_taken(CLOCK_RANGE, text, out):
        if (span := clock_span(ranged)) is not None:
            out.append(Said(ranged[0], ranged.span(), None, None, *span))  # noqa: PERF401 - each search reads out as it grows
    for around in _after_taken(CLOCK_AROUND, text, out):
        if (span := around_span(text, around)) is not None:
            out.append(Said(around[0], around.span(), None, None, *span))  # noqa: PERF401 - each search reads out as it grows
    for bound in _after_taken(CLOCK_BOUND, text, out):  # in a span it was read already
        if (at := _bound_clock(text, bound)) is not None:
            word = bound["zh_dir"] or bound["en_dir"] or ""
            if word.lower() in LATEST_START:
                out.append(Said(bound[0], bound.span(), None, None, None, latest_start(at, word)))
            else:
                out.append(Said(bound[0], bound.span(), None, None, at))
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


def _after_taken(pattern: re.Pattern[str], text: str, out: list[Said]) -> Iterator[re.Match[str]]:
    """Each match of ``pattern`` in ``text`` that overlaps no phrase of ``out`` (which may grow meanwhile), searched
    again after one that does: in '周六晚上7点到10点' 晚上 is the day's phrase, and the time is read after it."""
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        taken = [s.span[1] for s in out if s.span[0] < m.end() and m.start() < s.span[1]]
        if taken:
            pos = max(max(taken), m.start() + 1)
            continue
        yield m
        pos = m.end()


def _bound_clock(text: str, bound: re.Match[str]) -> time | None:
    """The time a ``CLOCK_BOUND`` match names: with the part of the day said right before it ('周六晚上' of
    '周六晚上7点以后', read as the day's phrase), else a bare hour from 1 to 9 as the afternoon's or evening's."""
    if bound["en"]:
        return clock_said(bound["en"])
    clock = bound["zh"]
    if not clock.startswith(CLOCK_PARTS_ZH):
        clock = next((p for p in CLOCK_PARTS_ZH if text[: bound.start()].rstrip().endswith(p)), "") + clock
    said = clock_said(clock)
    return event_hour(said) if said is not None and not clock.startswith(CLOCK_PARTS_ZH) else said


def clock_span(match: re.Match[str]) -> tuple[time, time] | None:
    """The earliest and latest start a ``CLOCK_RANGE`` match names, or None when it names no forward span. The
    first time's part of the day carries to the second ('下午3点到6点' is 15:00–18:00) as the second's am/pm does to
    the first ('3-6pm'); an hour from 1 to 9 said bare is the afternoon's or evening's, as nothing starts at 3 in
    the night, and a span's end before its start is that evening's ('from 7 to 10')."""
    if match["zh1"]:
        first, second = match["zh1"], match["zh2"]
        part = next((p for p in CLOCK_PARTS_ZH if first.startswith(p)), "")
        if part and not second.startswith(CLOCK_PARTS_ZH):
            second = part + second
        bare = [not t.startswith(CLOCK_PARTS_ZH) for t in (first, second)]
    else:
        first, second = (match["en1"] or match["en3"]).strip(), (match["en2"] or match["en4"]).strip()
        half = re.search(r"(am|pm)$", second, re.IGNORECASE)
        if half and not re.search(r"(am|pm)$", first, re.IGNORECASE):
            first += half[1]
        bare = [not re.search(r"(am|pm)$", t, re.IGNORECASE) for t in (first, second)]
        first, second = (t if re.search(r"[:.apm]", t, re.IGNORECASE) else f"at {t}" for t in (first, second))
    said = [clock_said(t) for t in (first, second)]
    times = [t for t in said if t is not None]
    if len(times) != 2:
        return None
    start, end = (event_hour(t) if is_bare else t for t, is_bare in zip(times, bare, strict=True))
    if end <= start and end.hour < 12:  # 'from 7 to 10': the 10 of the same evening
        end = time(end.hour + 12, end.minute)
    return (start, end) if start < end else None


def split_clock_range(value: str) -> tuple[str, time, time] | None:
    """``value`` as a day and a span of it ('周六下午3点到6点之间', 'saturday between 3pm and 6pm', 'tonight around
    8'): the day's words ('' for none), the earliest and the latest start; None when it says no span. 今晚 said with
    the time ('今晚7点到9点') is the day too: it was read as that span on every day."""
    text = fold(value)
    if (m := CLOCK_RANGE.search(text)) is not None:
        span = clock_span(m)
    elif (m := CLOCK_AROUND.search(text)) is not None:
        span = around_span(text, m)
    if m is None or span is None:
        return None
    day = cut_phrase(text, *m.span()).strip().removesuffix("的").strip()
    return day or ("今晚" if m[0].startswith("今晚") else ""), *span


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
