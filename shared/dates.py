"""Reading a day the user named: '' (no day), a day word such as 'today' / '明天', or YYYY-MM-DD; and a time of
day as HH:MM.

Each vertical passes its own words (what a word may mean differs: movies know 'tonight', the
weather does not) and words its own error, so only the reading itself is shared.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta

from shared.errors import InvalidInputError, shown
from shared.geo import CITY_TZ
from shared.hours import SMALL_HOURS_END
from shared.text import fold, is_cjk

EVENING = time(17, 0)
"""Where 'tonight' ('this evening', '今晚', 'tänä iltana') starts when no time is given, in every vertical: the evening
shows and screenings, not the afternoon matinee."""
EVENING_WORDS = ("tonight", "this evening", "tänä iltana", "tänään illalla", "今晚", "今天晚上")
"""The ways of saying this evening that every vertical reads as today from ``EVENING`` (as typed; a vertical folding
its input folds these too)."""

DAY_WORDS: dict[str, int] = {
    "today": 0, "tänään": 0, "tanaan": 0, "今天": 0,
    "tomorrow": 1, "huomenna": 1, "明天": 1,
    "day after tomorrow": 2, "ylihuomenna": 2, "后天": 2,
    "大后天": 3,  # read as 后天 with '大' left a word: 'No event matching 大'
}  # fmt: skip
"""Days said relative to today, in English, Finnish (also as typed without accents) and Chinese: days ahead. Every
vertical reads these alike; food's slots, movies' showtimes and nav's weather each had a copy, and the copies had
drifted ('huomenna' was tomorrow for movies and food, an unknown day for the weather)."""


NOW_WORDS = frozenset({"now", "right now", "currently", "at the moment", "nyt", "现在", "目前", "此刻"})
"""Now said as the day ('now', '现在'): today, from this moment (movies' showtimes yet to start, nav's forecast)."""


WEEKDAY_WORDS: list[tuple[str, ...]] = [  # Monday first, as date.weekday() counts; English first, then Finnish
    ("monday", "mon", "maanantai", "maanantaina", "周一", "星期一", "礼拜一"),
    ("tuesday", "tue", "tiistai", "tiistaina", "周二", "星期二", "礼拜二"),
    ("wednesday", "wed", "keskiviikko", "keskiviikkona", "周三", "星期三", "礼拜三"),
    ("thursday", "thu", "torstai", "torstaina", "周四", "星期四", "礼拜四"),
    ("friday", "fri", "perjantai", "perjantaina", "周五", "星期五", "礼拜五"),
    ("saturday", "sat", "lauantai", "lauantaina", "周六", "星期六", "礼拜六"),
    ("sunday", "sun", "sunnuntai", "sunnuntaina", "周日", "周天", "星期日", "星期天", "礼拜日", "礼拜天"),
]
"""A weekday said alone is the next such day, today included, as people mean 'on Friday' ('perjantaina' is Finnish
for on Friday)."""
CHINESE_WEEKS = {
    "this": ("这周", "本周", "这星期", "本星期", "这礼拜", "本礼拜"),
    "next": ("下周", "下星期", "下礼拜", "下个星期", "下个礼拜"),
    "after_next": ("下下周", "下下星期", "下下礼拜", "下下个星期", "下下个礼拜"),
}
"""这周五 / 下周五 / 下下周五: the Friday of this calendar week, of the next or of the one after (Chinese counts weeks
from Monday, as here; '下下周六' was '下' left a word)."""


@functools.lru_cache(maxsize=4)
def weekday_words(today: date) -> dict[str, int]:
    """Days from ``today`` to each weekday named: 'Friday' / 'this Friday' / 周五 the coming one (today on a Friday),
    这周五 this week's (past on a Saturday), 下周五 next week's. Kept per day (every search that names a day reads
    it); callers must not change it."""
    words: dict[str, int] = {}
    for k, names in enumerate(WEEKDAY_WORDS):
        coming = (k - today.weekday()) % 7
        for name in names:
            words[name] = coming
        for english in names[:2]:
            words[f"this {english}"] = coming
        for zh in (n for n in names if n.startswith(("周", "星期", "礼拜"))):
            day = zh.removeprefix("周").removeprefix("星期").removeprefix("礼拜")
            for prefix in CHINESE_WEEKS["this"]:
                words[prefix + day] = k - today.weekday()
            for ahead, prefixes in enumerate((CHINESE_WEEKS["next"], CHINESE_WEEKS["after_next"]), start=1):
                for prefix in prefixes:
                    words[prefix + day] = 7 * ahead - today.weekday() + k
    return words


_MONTH_NAMES = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_MONTH_WORD = rf"(?P<{{}}>(?:{_MONTH_NAMES})[a-z]*\.?)"
CALENDAR_DATE = re.compile(
    r"(?:(?P<zy>\d{4})\s*年\s*)?(?P<zm>\d{1,2})\s*月\s*(?P<zd>\d{1,2})\s*[日号號]"
    r"|(?<![\d.])(?P<fd>\d{1,2})\.(?P<fm>\d{1,2})\.(?P<fy>\d{4})?(?![\d])"
    rf"|(?<![a-z]){_MONTH_WORD.format('em')}\s+(?P<ed>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<ey>\d{{4}}))?(?![\d])"
    rf"|(?<![\d])(?P<bd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD.format('bm')}(?:\s+(?P<by>\d{{4}}))?",
    re.IGNORECASE,
)
"""A day of the calendar as people write one: '12月24日' / '12月24号' (Chinese), '24.12.' or '24.12.2026' (Finnish),
'Dec 24', 'December 24th', '24 December' (English). Only YYYY-MM-DD was read, and '12月24日的电影' was 'not a
date'."""


def calendar_day(match: re.Match[str], today: date) -> date | None:
    """The day a ``CALENDAR_DATE`` match names: the year said, or the next such day from ``today`` (Christmas Eve
    said in January is the coming one); None for a day no calendar has (31 June, 13.24.)."""
    g = match.groupdict()
    if g["zm"]:
        day, month, year = g["zd"], g["zm"], g["zy"]
    elif g["fm"]:
        day, month, year = g["fd"], g["fm"], g["fy"]
    else:
        day, name, year = (g["ed"], g["em"], g["ey"]) if g["em"] else (g["bd"], g["bm"], g["by"])
        if not _a_month(name):
            return None
        month = str(_MONTH_PREFIXES[name.lower()[:3]])
    try:
        if year:
            return date(int(year), int(month), int(day))
        this_year = date(today.year, int(month), int(day))
    except ValueError:
        return None
    if this_year >= today:
        return this_year
    try:
        return date(today.year + 1, int(month), int(day))
    except ValueError:  # 29 February said in a leap year, now passed
        return None


_MONTH_PREFIXES = {name: k + 1 for k, name in enumerate(_MONTH_NAMES.split("|"))}
_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")  # fmt: skip


def _a_month(word: str) -> bool:
    """Whether ``word`` is a month's name or its abbreviation ('Dec', 'Dec.', 'Sept'): not 'decade' nor 'mayor'."""
    word = word.lower().rstrip(".")
    return any(full.startswith(word) for full in _FULL_MONTHS) and len(word) >= 3


def read_calendar_day(text: str, today: date) -> date | None:
    """``text`` as one calendar day (``CALENDAR_DATE``) and nothing else, or None."""
    match = CALENDAR_DATE.fullmatch(" ".join(text.split()))
    return calendar_day(match, today) if match else None


def read_day(text: str, today: date, words: Mapping[str, int]) -> date | None:
    """``None`` for blank text; ``today`` plus the word's offset in days; a calendar day ('12月24日', 'Dec 24',
    '24.12.': ``read_calendar_day``); else an ISO date.

    Case and surrounding space are ignored. Raises ``ValueError`` for anything else.
    """
    word = text.strip().lower()
    if not word:
        return None
    if word in words:
        return today + timedelta(days=words[word])
    if (day := read_calendar_day(word, today)) is not None:
        return day
    return date.fromisoformat(word)


_ISO_MOMENT = re.compile(
    r"\s*\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:z|[+-]\d{2}:?\d{2})?\s*", re.IGNORECASE
)


def split_moment(text: str) -> tuple[str, time] | None:
    """An ISO date-time given where a day goes ('2026-12-05T19:00:00+02:00', '2026-12-05 19:00', as models write
    one): its Helsinki day (YYYY-MM-DD) and time of day, or None for anything else. It was 'not a date'."""
    if not _ISO_MOMENT.fullmatch(text):
        return None
    try:
        moment = datetime.fromisoformat(text.strip().upper().replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(CITY_TZ)
    return moment.date().isoformat(), moment.time().replace(second=0, microsecond=0)


Days = Callable[[date], tuple[date, date]]
"""The first and last day a phrase names, from today's date in Helsinki."""


def _in(n: int) -> Days:
    return lambda today: (today + timedelta(days=n),) * 2


def _next(n: int) -> Days:
    """Today and the ``n`` - 1 days after it ('the next 3 days', '未来三天')."""
    return lambda today: (today, today + timedelta(days=n - 1))


_FEW = {2: ("2", "two", "两", "二"), 3: ("3", "three", "三", "few", "几"), 4: ("4", "four", "四"),
        5: ("5", "five", "五"), 6: ("6", "six", "六"), 7: ("7", "seven", "七")}  # fmt: skip
NEXT_DAYS = {
    phrase: n
    for n, said in _FEW.items()
    for word in said
    for phrase in (
        [f"{lead}{word} days" for lead in ("next ", "the next ", "coming ", "the coming ", "next a ")]
        if word.isascii()
        else [f"{lead}{word}天" for lead in ("未来", "未来的", "接下来", "接下来的", "最近")]
    )
    if not phrase.startswith("next a ") or word == "few"
} | {
    # these few days, as said without a count: a couple is two, a few (几) three
    **dict.fromkeys(["这两天", "近两天", "next couple of days", "the next couple of days", "next couple days"], 2),
    **dict.fromkeys(["这几天", "近几天", "这些天", "these few days", "the coming days"], 3),
}
"""The next few days ('next 3 days', 'the coming few days', '未来三天', '接下来两天', '这几天'): today and that many
in all."""

_COUNTED = {
    1: ("1", "one", "a", "一"),
    **{n: tuple(w for w in said if w not in ("few", "几")) for n, said in _FEW.items()},
}
DAYS_LATER = {
    phrase: n
    for n, said in _COUNTED.items()
    for word in said
    for phrase in (
        [f"in {word} day{'s' if n > 1 else ''}"]
        if word.isascii()
        else [f"{word}天{after}" for after in ("后", "以后", "之后")]
    )
}
"""A day counted from today ('三天后的演唱会', 'in 3 days'): '三天后' was searched as a word no event has."""
WEEKS_LATER = {
    phrase: n
    for n, words in ((1, ("一", "1")), (2, ("两", "二", "2")))
    for word in words
    for week in ("周", "星期", "个星期", "个礼拜", "礼拜")
    for phrase in (f"{word}{week}后", f"{word}{week}以后", f"{word}{week}之后")
} | {"in a week": 1, "in one week": 1, "in 1 week": 1, "in two weeks": 2, "in 2 weeks": 2}
"""A week counted from this one ('两周后的演唱会', '一个星期后', 'in a week'), as 'in two weeks' is the week after
next: '两周后' left '周后' a word no event has."""


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


def _month(month: int, ahead: int = 0) -> Days:
    """A month of the year (0 < ``month``): this year's, or what is left of it, or next year's once it is over; or,
    with ``month`` 0, this month (``ahead`` 0) or the next (1) counted from today."""

    def days(today: date) -> tuple[date, date]:
        if month:
            year = today.year + (month < today.month)
            first = date(year, month, 1)
        else:
            shifted = today.month - 1 + ahead
            first = date(today.year + shifted // 12, shifted % 12 + 1, 1)
        after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return max(first, today), after - timedelta(days=1)

    return days


def _part_of_month(month: int, first_day: int, last_day: int, ahead: int = 0) -> Days:
    """Days ``first_day`` to ``last_day`` of a month ('月底' the 21st to its end, as 下旬 counts; '月初' to the
    10th): of ``month`` (this year's, or next year's once that part is over), or with ``month`` 0 of this month or
    (``ahead``) the next, the next month's once this month's part is over ('月初' said on the 25th)."""

    def days(today: date) -> tuple[date, date]:
        def part(year: int, number: int) -> tuple[date, date]:
            year, number = year + (number - 1) // 12, (number - 1) % 12 + 1
            end = date(year + number // 12, number % 12 + 1, 1) - timedelta(days=1)
            return date(year, number, first_day), min(end, date(year, number, min(last_day, end.day)))

        if month:
            first, last = part(today.year, month)
            if last < today:
                first, last = part(today.year + 1, month)
        else:
            first, last = part(today.year, today.month + ahead)
            if last < today:
                first, last = part(today.year, today.month + ahead + 1)
        return max(first, today), last

    return days


MONTH_PARTS = {"初": (1, 10), "上旬": (1, 10), "中": (11, 20), "中旬": (11, 20), "底": (21, 31), "末": (21, 31),
               "下旬": (21, 31)}  # fmt: skip
"""The parts of a month said in Chinese after it ('12月底', '下个月初', '一月中旬'): its days, as 上旬 / 中旬 / 下旬
divide a month."""
ENGLISH_MONTH_PARTS = {"early": (1, 10), "beginning of": (1, 10), "the beginning of": (1, 10), "start of": (1, 10),
                       "mid": (11, 20), "mid-": (11, 20), "middle of": (11, 20), "late": (21, 31), "end of": (21, 31),
                       "the end of": (21, 31)}  # fmt: skip


MONTH_WORDS: list[tuple[str, ...]] = [  # January first; English, then Finnish ('joulukuussa' is in December), Chinese
    ("january", "tammikuu", "tammikuussa", "一月"),
    ("february", "helmikuu", "helmikuussa", "二月"),
    ("maaliskuu", "maaliskuussa", "三月"),
    ("april", "huhtikuu", "huhtikuussa", "四月"),
    ("toukokuu", "toukokuussa", "五月"),
    ("june", "kesakuu", "kesakuussa", "六月"),
    ("july", "heinakuu", "heinakuussa", "七月"),
    ("elokuu", "elokuussa", "八月"),
    ("september", "syyskuu", "syyskuussa", "九月"),
    ("october", "lokakuu", "lokakuussa", "十月"),
    ("november", "marraskuu", "marraskuussa", "十一月"),
    ("december", "joulukuu", "joulukuussa", "十二月"),
]
"""Months by name (folded), for 'ballet in December' or '十二月的演唱会'. Not 'may', 'march' or 'august', which in a
search query are more often words of a title ('The March of the Penguins') than months; nor '12月', which begins
a date ('12月5日')."""

PHRASE_WEEKDAYS = [w for w in weekday_words(date(2026, 1, 5)) if not (w.isascii() and len(w.split()[-1]) <= 3)]
"""The weekday words a phrase is read for (the days are worked out for the day asked): not 'sun', 'sat' or 'wed',
which in a search query are more often words of a title ('Midnight Sun') than days."""
PHRASE_EVENINGS = [(" night", " evening"), ("晚上", "晚")]

DAY_PHRASES: dict[str, tuple[Days, bool]] = {
    **dict.fromkeys(["today", "tanaan", "今天", "今日"], (_in(0), False)),
    **dict.fromkeys(map(fold, EVENING_WORDS), (_in(0), True)),
    **dict.fromkeys(["tomorrow", "huomenna", "明天"], (_in(1), False)),
    **dict.fromkeys(["tomorrow night", "tomorrow evening", "huomenna illalla", "明晚", "明天晚上"], (_in(1), True)),
    **dict.fromkeys(["day after tomorrow", "ylihuomenna", "后天"], (_in(2), False)),
    "大后天": (_in(3), False),
    **dict.fromkeys(
        ["this weekend", "weekend", "tana viikonloppuna", "viikonloppuna", "周末", "这周末", "本周末", "这个周末"],
        (_weekend(0), False),
    ),
    **dict.fromkeys(["next weekend", "ensi viikonloppuna", "下周末", "下个周末"], (_weekend(1), False)),
    **dict.fromkeys(["the weekend after next", "weekend after next", "下下周末", "下下个周末"], (_weekend(2), False)),
    **{phrase: (_next(n), False) for phrase, n in NEXT_DAYS.items()},
    **{phrase: (_in(n), False) for phrase, n in DAYS_LATER.items()},
    **{phrase: (_week(n), False) for phrase, n in WEEKS_LATER.items()},
    **dict.fromkeys(["this week", "talla viikolla", *CHINESE_WEEKS["this"]], (_week(0), False)),
    **dict.fromkeys(["next week", "ensi viikolla", *CHINESE_WEEKS["next"]], (_week(1), False)),
    **dict.fromkeys(
        ["the week after next", "week after next", "in two weeks", *CHINESE_WEEKS["after_next"]], (_week(2), False)
    ),
    **{fold(word): (_weekday(word), False) for word in PHRASE_WEEKDAYS},
    **{
        fold(word) + evening: (_weekday(word), True)
        for word in PHRASE_WEEKDAYS
        for evening in PHRASE_EVENINGS[0 if word.isascii() else 1]
    },
    **{word: (_month(k + 1), False) for k, words in enumerate(MONTH_WORDS) for word in words},
    **dict.fromkeys(["this month", "talla kuulla", "tassa kuussa", "这个月", "本月"], (_month(0), False)),
    **dict.fromkeys(["next month", "ensi kuussa", "下个月", "下月"], (_month(0, 1), False)),
    # a part of this month or the next ('月底的演唱会', 'end of the month', '下个月初'): '月底' was a word of no event
    **{
        f"{month}{part}": (_part_of_month(0, *days, ahead=ahead), False)
        for part, days in MONTH_PARTS.items()
        for ahead, months in ((0, ("月", "本月", "这个月", "这月")), (1, ("下个月", "下月")))
        for month in months
    },
    **{
        f"{said} {which}": (_part_of_month(0, *days, ahead=ahead), False)
        for said, days in ENGLISH_MONTH_PARTS.items()
        if not said.endswith("-")
        for ahead, whichs in ((0, ("the month", "this month")), (1, ("next month",)))
        for which in whichs
        if " " in said or which != "the month"  # 'end of the month', 'late this month', not 'late the month'
    },
    **{
        f"{said}{'' if said.endswith('-') else ' '}{name}": (_part_of_month(k + 1, *days), False)
        for said, days in ENGLISH_MONTH_PARTS.items()
        for k, words in enumerate(MONTH_WORDS)
        for name in words[:1]
        if name.isascii() and not name.endswith("kuu")
    },
    **{
        f"{words[-1]}{part}": (_part_of_month(k + 1, *days), False)
        for part, days in MONTH_PARTS.items()
        for k, words in enumerate(MONTH_WORDS)
    },
    **dict.fromkeys(["christmas", "xmas", "joulu", "jouluna", "圣诞", "圣诞节"], (_yearly(12, 24, 3), False)),
    **dict.fromkeys(["christmas eve", "jouluaatto", "jouluaattona", "平安夜"], (_yearly(12, 24), False)),
    **dict.fromkeys(
        ["new year's eve", "new year’s eve", "new years eve", "nye", "uudenvuodenaatto", "uudenvuodenaattona", "跨年"],
        (_yearly(12, 31), False),
    ),
    **dict.fromkeys(  # 新年 as in 新年音乐会, the New Year's Day concert: a word of no event, it found nothing
        ["new year's day", "new year’s day", "new years day", "uudenvuodenpaiva", "元旦", "新年"],
        (_yearly(1, 1), False),
    ),
}
"""Each phrase (folded: 'tänään' is 'tanaan') → the days it names from today and whether it means the evening.
Weekdays are as ``weekday_words`` reads them ('Friday' the coming one, 下周五 next week's); 'next Friday', which
people use for either of two days, is not read as a day. Tickets reads them in a search query, movies as the date
of a showtime search: one table, so 'this weekend' or 'tomorrow night' means the same days in both."""


def day_phrase(text: str) -> tuple[Days, bool] | None:
    """The ``DAY_PHRASES`` entry ``text`` is, as typed (case, accents and spacing aside), or None."""
    return DAY_PHRASES.get(fold(" ".join(text.lower().split())))


PARTS_OF_DAY: dict[str, tuple[time | None, time | None]] = {
    **dict.fromkeys(["morning", "in the morning", "aamulla", "aamupaivalla", "上午", "早上"], (None, time(11, 59))),
    **dict.fromkeys(["afternoon", "in the afternoon", "matinee", "iltapaivalla", "下午"], (time(12, 0), time(16, 59))),
    # the shows of a part of the day as a box office names them ('周末早场', '明天下午场', '午夜场'): 'not a date'
    **dict.fromkeys(["早场", "上午场", "morning show", "morning screening"], (None, time(11, 59))),
    **dict.fromkeys(["下午场", "afternoon show", "afternoon screening"], (time(12, 0), time(16, 59))),
    **dict.fromkeys(["晚场", "夜场", "evening show", "evening screening"], (EVENING, None)),
    **dict.fromkeys(["午夜场", "深夜场", "late show", "late night show", "midnight screening"], (time(22, 0), None)),
}
"""A part of the day (folded) and the earliest and latest start it names, both inclusive: to the minute before noon
or the evening (``EVENING``, as 'Friday night' reads). Tickets reads them in a query ('family show Sunday
afternoon'), movies and the weather after a day ('saturday afternoon', '周六下午')."""
PART_OF_DAY_WORDS = frozenset(
    fold(w)
    for w in (*PARTS_OF_DAY, "evening", "in the evening", "tonight", "night", "at night", "illalla", "晚上", "今晚")
)
"""A part of the day said alone, where a time of day is asked for (time_from '上午', 'evening'): refused with how to
say it instead (``names_part_of_day``)."""


def names_part_of_day(value: str) -> bool:
    """Whether ``value`` is a part of the day ('morning', '下午', 'evening', '晚上') rather than a clock time."""
    return fold(" ".join(value.lower().split())) in PART_OF_DAY_WORDS


def time_field(value: str, field: str, *, fix: str, part_fix: str) -> time | None:
    """A tool's time-of-day argument ``field``, read as ``clock_said`` reads one ('19:00', '7pm', 'klo 18', '晚上7点',
    'noon': movies' and tickets' time_from took only the first two while food and nav took all), '' for none;
    anything else is refused with ``fix``, or ``part_fix`` (formatted with the value shown as ``said``) when it names
    a part of the day: an agent splitting '周六上午' in two passes '上午' on as the time."""
    text = value.strip()
    if not text:
        return None
    at = clock_said(text)
    if at is None:
        said = shown(value)
        how = part_fix.format(said=said) if names_part_of_day(value) else fix
        raise InvalidInputError(f"{field} {said} is not a time of day.", how, field=field)
    return at


_THIS = {"": "today", "this": "today", "tana": "today"}
"""'afternoon', 'this afternoon' / 'tänä iltapäivällä' is today's."""


def split_part_of_day(text: str) -> tuple[str, tuple[time | None, time | None] | None]:
    """``text`` without a part of the day it ends with, and that part's hours: 'saturday afternoon' is ('saturday',
    (12:00, 16:59)), '周六下午' ('周六', …), 'this morning' and 'afternoon' ('today', …); (text, None) without one.
    """
    said = fold(" ".join(text.lower().split()))
    for phrase in sorted(PARTS_OF_DAY, key=len, reverse=True):
        rest = said.removesuffix(phrase)
        if rest != said and (not rest or not phrase.isascii() or rest.endswith(" ")):
            rest = rest.strip()
            return _THIS.get(rest, rest), PARTS_OF_DAY[phrase]
    return text, None


NOW_SAID = re.compile(
    r"\s*(?:(?:as soon as possible|asap|now|right now|right away|immediately|straight away|now please|heti|nyt)"
    r"|(?:尽快|马上|立即|立刻|现在|越快越好)(?:出发|走|送达?|送到|配送)?)\s*[.!。！]?\s*",
    re.IGNORECASE,
)
"""What people say for 'now' where a time goes (an agent passes the user's 尽快, 'ASAP' or 现在出发 as food's deliver_at
or nav's depart_at): '' by another name. Food and nav each kept a list of their own, and each missed the other's
words ('尽快' was no departure, 'right now' no delivery time)."""


def means_now(text: str) -> bool:
    """Whether ``text``, where a time goes, says 'now' (``NOW_SAID``)."""
    return NOW_SAID.fullmatch(text) is not None


NEXT_DAY_WITHIN = timedelta(hours=12)
"""An 'HH:MM' already passed today is the next day's when that is at most this far ahead ('00:30' said at 23:40);
one passed longer ago ('11:00' at 12:30) is more likely a mistake, and is read as today's (food refuses it as in
the past)."""


_CLOCK = re.compile(
    r"(?:at\s+|klo\s+|kello\s+)?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?::(?P<s>\d{2}))?\s*(?P<half>am|pm|a\.m\.|p\.m\.)?$",
    re.IGNORECASE,
)
"""A time of day as typed: '18:30', '18.30' (Finnish), '18:30:00' (ISO), '6pm', '6:30 pm', 'klo 18'."""
CLOCK_PARTS_ZH = ("早上", "上午", "中午", "下午", "傍晚", "晚上", "今晚", "夜里", "凌晨", "清晨", "半夜", "深夜")
"""The parts of the day a Chinese clock time may start with ('晚上6点半'): one list for reading a time alone and a
time said after a day."""
_PARTS_ZH = "|".join(CLOCK_PARTS_ZH)
_ZH_HOUR = r"二十[一二三四]?|十[一二三四五六七八九]?|[两三四五六七八九]|零"
"""An hour in Chinese numerals ('九点', '两点', '十二点', '二十点'), 一 apart: '一点' is also 'a little'
('便宜一点')."""
_ZH_MINUTES = r"[一二三四五]十[一二三四五六七八九]?|十[一二三四五六七八九]?|零?[一二三四五六七八九]"
_MINUTES = rf"(?:\d{{1,2}}分?|半|(?:{_ZH_MINUTES})分|[一三]刻)"
CLOCK_ZH = (
    rf"(?:(?:{_PARTS_ZH})?(?:\d{{1,2}}|{_ZH_HOUR})[点點]钟?{_MINUTES}?"
    rf"|(?:{_PARTS_ZH})一[点點]钟?{_MINUTES}?|一[点點](?:钟{_MINUTES}?|{_MINUTES}))"
)
"""A Chinese clock time as it stands in a phrase ('晚上6点半', '凌晨3点', '18点15分', '九点', '两点半', '下午一点'),
for every pattern that finds one in longer text (a time after a day, a span of the day, a delivery time, an hour a
place opens); ``clock_said`` reads it. '一点' alone is no time: '便宜一点的' is 'a bit cheaper'."""
_CHINESE_CLOCK = re.compile(
    rf"(?P<part>{_PARTS_ZH})?(?P<h>\d{{1,2}}|{_ZH_HOUR}|一)[点點]钟?"
    rf"(?:(?P<m>\d{{1,2}})分?|(?P<half>半)|(?P<zm>{_ZH_MINUTES})分|(?P<q>[一三])刻)?$"
)
"""晚上6点半, 18点, 下午6点15分, 九点一刻: a part of the day makes 6 the evening's."""
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def zh_number(said: str) -> int:
    """A number up to 99 in Chinese numerals ('九' 9, '十二' 12, '二十一' 21, '三十' 30, '零五' 5), or in digits."""
    if said.isdigit():
        return int(said)
    tens, ten, ones = said.partition("十")
    if not ten:  # '五', '零五'
        return sum(_ZH_DIGITS[c] * 10**i for i, c in enumerate(reversed(said)))
    return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)


NAMED_TIMES = {
    **dict.fromkeys(["noon", "at noon", "midday", "at midday", "lunchtime", "at lunchtime", "for lunch"], time(12)),
    **dict.fromkeys(["中午", "午饭时间", "午饭", "keskipaivalla", "puoliltapaivin", "lounaalle"], time(12)),
}
"""Times said by name ('tomorrow at noon', '明天中午', 'lounaalle'): noon. They were 'not a time'. Dinner has no
one hour people agree on, so it is not read: the refusal asks for the time."""


def clock_said(said: str) -> time | None:
    """The time of day ``said`` names, or None when it names none."""
    named = NAMED_TIMES.get(fold(said.lower()))
    if named is not None:
        return named
    m = _CLOCK.fullmatch(said)
    if m:
        hour, minute, half = int(m["h"]), int(m["m"] or 0), (m["half"] or "").lower().replace(".", "")
        if m["m"] is None and not half and not said.lower().startswith(("at", "klo", "kello")):
            return None  # a bare number is no time ('18' could be a date)
        if half:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if half == "pm" else 0)
        return time(hour, minute, int(m["s"] or 0)) if hour < 24 and minute < 60 else None
    m = _CHINESE_CLOCK.fullmatch(said)
    if m:
        minutes = m["m"] or m["zm"]
        hour = zh_number(m["h"])
        minute = 30 if m["half"] else 15 * zh_number(m["q"]) if m["q"] else zh_number(minutes) if minutes else 0
        if (m["part"] in ("下午", "傍晚") and hour < 12) or (
            m["part"] in ("晚上", "今晚", "夜里", "深夜") and 5 <= hour < 12
        ):
            hour += 12  # 夜里1点 is one at night
        elif m["part"] in ("凌晨", "半夜", "深夜", "夜里") and hour == 12:
            hour = 0  # 凌晨12点, 半夜12点: midnight (凌晨3点 is three in the night)
        return time(hour, minute) if hour < 24 and minute < 60 else None
    return None


STARTS_ZH = r"(?:\s*(?:开始|开场|开演))?"
"""'starts' said after a time ('8点开始', '9点前开场的'): part of the time, not a word to match."""
_CLOCK_AFTER_DAY = re.compile(
    r"(?:\s+(?P<en>after|from|before|by|at)\s+(?P<en_clock>\d{1,2}(?::\d{2})?\s*(?:am|pm)?))\s*$"
    rf"|(?P<zh_clock>{CLOCK_ZH})"
    rf"\s*(?P<zh>以后|之后|后|起|以前|之前|前)?{STARTS_ZH}\s*$",
    re.IGNORECASE,
)
"""A time said after a day where only the day goes ('今晚8点以后', 'tonight after 8', '周六下午3点'): refused as
'not a date'."""


LATEST_START = frozenset({"以前", "之前", "前", "before", "by", "until", "till"})
"""Words that make a time said beside them the latest start ('9点以前', 'before 8pm'); the others the earliest."""
_STRICTLY_BEFORE = frozenset({"以前", "之前", "前", "before"})


def latest_start(at: time, word: str) -> time:
    """The latest start a time said with ``word`` (one of ``LATEST_START``) allows: 'before 9pm' / '9点前' ends a
    minute before 21:00, as a 21:00 concert is not before nine (it was kept); 'by' / 'until' keep the time itself."""
    if word.lower() in _STRICTLY_BEFORE and at != time(0, 0):
        return (datetime.combine(date.min, at) - timedelta(minutes=1)).time()
    return at


def event_hour(said: time) -> time:
    """An hour said bare (no am/pm, no part of the day) as the start of an event: from 1 to 9 the afternoon's or
    evening's, as nothing starts at 3 in the night ('Friday at 7', '周六3点', 'from 7 to 10')."""
    return time(said.hour + 12, said.minute) if 1 <= said.hour <= 9 else said


def english_start(clock: str) -> time | None:
    """An English time said as an event's start ('7', '7:30', '7pm'): a bare hour from 1 to 9 is the afternoon's or
    evening's, as in 'Friday at 7' (``event_hour``)."""
    said = clock_said(clock if re.search(r"[:apm]", clock, re.IGNORECASE) else f"at {clock}")
    return event_hour(said) if said is not None and not re.search(r"am|pm", clock, re.IGNORECASE) else said


def split_clock(text: str) -> tuple[str, time, bool] | None:
    """``text`` as a day and a time of day said after it: the day's words, the time, and whether it is the latest
    start ('before 9', '9点以前') rather than the earliest; None when it ends in no time. '今晚8点' keeps '今晚' as
    the day; 'tonight after 8' reads 8 as the evening's."""
    m = _CLOCK_AFTER_DAY.search(text)
    if m is None:
        return None
    day = text[: m.start()].strip().removesuffix("的").strip()
    if m["zh_clock"]:
        clock = m["zh_clock"]
        if clock.startswith("今晚"):
            day = day or "今晚"
        elif not clock.startswith(CLOCK_PARTS_ZH) and (
            part := next((p for p in CLOCK_PARTS_ZH if day.endswith(p)), "")
        ):  # '周六下午 3点', '明天凌晨 1点': the space cut the part from its time ('周六下午3点' is read whole)
            clock = part + clock
            day = day.removesuffix(part).strip() or ("今晚" if part == "今晚" else "today")
        said, word = clock_said(clock), m["zh"] or ""
        bare = not clock.startswith(CLOCK_PARTS_ZH)  # '9点', '九点': no part of the day said
    else:
        said, word, bare = english_start(m["en_clock"]), m["en"], False  # 'Friday at 7': the evening's
    if said is not None and bare:
        said = event_hour(said)  # 'Friday at 7', '周六3点'
    if said is None or not day:
        return None
    before = word.lower() in LATEST_START
    return day, latest_start(said, word) if before else said, before


SHORT_DAY_PARTS = {"明早": "明天早上", "明晚": "明天晚上", "今早": "今天早上", "明天一早": "明天早上"}
"""A day and its part said in one word ('明早8点' = tomorrow morning at 8): 'not a date-time'."""


DURATION_AMOUNT = r"\d+(?:\.\d+)?|an?|one|two|three|half an?|一个半|两个半|半|一|两|二|三"
DURATION_UNIT = r"minutes?|mins?|hours?|hrs?|h|分钟|分|个?小时|个?钟头"
"""How long, said ('an hour', '90 minutes', '一个半小时', '半小时'): the amount and the unit of ``duration_minutes``,
for a delivery time or departure said from now (``IN_A_WHILE``) and a film's running time said in a search."""
_DURATION_AMOUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "half a": 0.5, "half an": 0.5, "一个半": 1.5,
                     "两个半": 2.5, "半": 0.5, "一": 1, "两": 2, "二": 2, "三": 3}  # fmt: skip


def duration_minutes(amount: str, unit: str) -> float:
    """The minutes a ``DURATION_AMOUNT`` of a ``DURATION_UNIT`` is ('an' 'hour' is 60, '90' 'min' 90)."""
    amount, unit = amount.lower(), unit.lower()
    value = _DURATION_AMOUNTS[amount] if amount in _DURATION_AMOUNTS else float(amount)
    return value * (1 if unit.startswith(("m", "分")) else 60)


IN_A_WHILE = re.compile(
    rf"in\s+(?P<a1>{DURATION_AMOUNT})\s*(?P<u1>{DURATION_UNIT})"
    rf"|(?P<a2>{DURATION_AMOUNT})\s*(?P<u2>{DURATION_UNIT})\s+(?:from now|later)"
    rf"|(?P<a3>{DURATION_AMOUNT})\s*(?P<u3>{DURATION_UNIT})\s*(?:以后|之后|后)",
    re.IGNORECASE,
)
"""A moment said as how long from now ('in 30 minutes', 'in an hour', '半小时后', '一个小时以后', '20分钟后'): it
was 'not a time' for a delivery slot or a departure."""


def in_a_while(text: str, now: datetime) -> datetime | None:
    """``now`` plus how long ``text`` says (``IN_A_WHILE``), to the next whole minute; None when it says no such."""
    m = IN_A_WHILE.fullmatch(" ".join(text.split()))
    if m is None:
        return None
    n = next(i for i in (1, 2, 3) if m[f"a{i}"])
    minutes = duration_minutes(m[f"a{n}"], m[f"u{n}"])
    if not 0 < minutes <= 24 * 60:
        return None
    at = now + timedelta(minutes=minutes)
    return at.replace(second=0, microsecond=0) + (timedelta(minutes=1) if at.second or at.microsecond else timedelta())


_TWENTY_FOUR_HOUR = re.compile(r"am\b|pm\b|a\.m|p\.m|\d[:.]\d|^0\d|klo|kello", re.IGNORECASE)
"""What makes a time said unambiguous: am/pm, a digital clock ('08:00', '8.30'), Finnish 'klo'."""


def _bare_hour(text: str) -> bool:
    """An hour said with nothing to say morning or evening ('3点', '八点半', 'at 8'): on a 12-hour clock, as people
    say one."""
    return not text.startswith(CLOCK_PARTS_ZH) and _TWENTY_FOUR_HOUR.search(text) is None


ABOUT_BEFORE = "around|about|approximately|roughly|circa"
ABOUT_AFTER_ZH = "左右|前后"
ABOUT_AFTER_EN = "or so|-?ish"
"""'About' said before a time ('around 7') or after it ('7点左右', '7ish'): one list for a moment chosen here and a
search's window about a time (``shared.when.CLOCK_AROUND``)."""
_AROUND_BEFORE = re.compile(rf"(?:^|\s)(?:{ABOUT_BEFORE}|by|before|no later than)\s+(?:at\s+)?", re.IGNORECASE)
_AROUND_AFTER = re.compile(
    rf"\s*(?:{ABOUT_AFTER_ZH}|{ABOUT_AFTER_EN}|(?:以前|之前|前)(?:到达|赶到|到)?|到达|赶到|到)$", re.IGNORECASE
)
"""'About' or 'by' said with a moment ('7点左右', 'around 7pm', '7ish', '明天上午10点前', 'tomorrow by 10am'): the
moment itself, where one is chosen (a delivery slot, a departure, an arrival); it was 'not a time'."""


_DAY_AFTER = re.compile(
    r"(.+?)\s+(?:on\s+)?("
    + "|".join(
        re.escape(w)
        for w in sorted({*weekday_words(date(2026, 1, 5)), *DAY_WORDS, *EVENING_WORDS}, key=len, reverse=True)
        if w.isascii()
    )
    + ")",
    re.IGNORECASE,
)
"""A day said after the time, as English says it ('10am tomorrow', '18:30 on Friday', '7pm tonight'): the words
are the same every day (``weekday_words`` changes only how far each is)."""


def read_said_time(
    raw: str, now: datetime, *, next_day_within: timedelta = NEXT_DAY_WITHIN, twelve_hour: bool = False
) -> datetime | None:
    """A moment said as people say one: a time ('18:30', '6pm', '18.30', '晚上6点半'), after a day word if any
    ('tomorrow 18:30', 'Thu 18:00', 'torstaina klo 18', '明天早上8点', '周四 18:00'), or how long from now ('in 30
    minutes', '半小时后'); None if it is not one. A time
    alone is today's, or tomorrow's when today's has passed and tomorrow's is within ``next_day_within`` or in the
    coming night's small hours (``SMALL_HOURS_END``). With ``twelve_hour`` a bare hour whose morning has passed is
    the coming afternoon's or evening's ('3点出发' said at noon is 15:00, not 3 in the night; '8点' 20:00, not
    tomorrow's 08:00). Food reads a delivery slot with it, nav a departure: the sandbox's own day, which an agent
    does not know, is what 'tomorrow' counts from."""
    text = " ".join(raw.replace(",", " ").split())
    if (bare := _AROUND_AFTER.sub("", _AROUND_BEFORE.sub(" ", text)).strip()) != text:  # '7点左右', '10点前'
        text = re.sub(r"(^|\s)(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)$", r"\1at \2", bare, flags=re.IGNORECASE)
    if (later := in_a_while(text, now)) is not None:  # 'in 30 minutes', '半小时后'
        return later
    for short, said in SHORT_DAY_PARTS.items():  # '明早8点' is 明天早上8点
        if text.startswith(short):
            text = said + text[len(short) :]
            break
    today = now.astimezone(CITY_TZ).date()
    words = {**weekday_words(today), **DAY_WORDS, **dict.fromkeys(EVENING_WORDS, 0)}
    day: date | None = None
    evening = False
    for word in sorted(words, key=len, reverse=True):  # '下周四' before '周四'
        chinese = is_cjk(word[-1])  # 明天晚上6点: no space after a Chinese day word
        if text.lower().startswith(word) and (chinese or len(text) == len(word) or not text[len(word)].isalpha()):
            day, text = today + timedelta(days=words[word]), text[len(word) :].strip()
            evening = word in EVENING_WORDS
            break
    else:
        if (after := _DAY_AFTER.fullmatch(text)) is not None:  # '10am tomorrow', '18:30 on Friday'
            word = after[2].lower()
            day, text = today + timedelta(days=words[word]), after[1]
            evening = word in EVENING_WORDS
    clock = clock_said(text)
    if clock is None:
        return None
    if evening and day is not None:  # 'tonight at 7', '今晚7点': the evening's 7; 'tonight at 1:30' after midnight
        if clock < SMALL_HOURS_END:
            day += timedelta(days=1)
        elif clock.hour < 12 and not re.search(r"a\.?m\.?$", text, re.IGNORECASE):
            clock = clock.replace(hour=clock.hour + 12)
    if day is not None:
        return datetime.combine(day, clock, CITY_TZ)
    at = datetime.combine(today, clock, CITY_TZ)
    if twelve_hour and at < now and 1 <= clock.hour < 12 and _bare_hour(text) and at + timedelta(hours=12) >= now:
        return at + timedelta(hours=12)
    tomorrow = datetime.combine(today + timedelta(days=1), clock, CITY_TZ)
    tonight = clock < SMALL_HOURS_END <= now.astimezone(CITY_TZ).time()  # '01:45' said at noon
    if at < now and (tomorrow - now <= next_day_within or tonight):  # '00:30' at 23:40: tonight, not this morning
        at = tomorrow
    return at


def read_moment(
    text: str, now: datetime, *, next_day_within: timedelta = NEXT_DAY_WITHIN, twelve_hour: bool = True
) -> datetime | None:
    """A moment as a caller wrote it: as people say one (``read_said_time``, a bare hour on a 12-hour clock), else
    ISO 8601, read in Helsinki time when it has no offset; None if it is neither. Food's delivery slots and nav's
    departures read it alike."""
    at = read_said_time(text, now, next_day_within=next_day_within, twelve_hour=twelve_hour)
    if at is None:
        try:
            at = datetime.fromisoformat(text)
        except ValueError:
            return None
    return at if at.tzinfo else at.replace(tzinfo=CITY_TZ)
