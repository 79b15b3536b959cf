"""Reading a day the user named: '' (no day), a day word such as 'today' / '明天', or YYYY-MM-DD; and a time of
day as HH:MM.

Each vertical passes its own words (what a word may mean differs: movies know 'tonight', the
weather does not) and words its own error, so only the reading itself is shared.
"""

from __future__ import annotations

import functools
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

DAY_WORDS: dict[str, int] = {
    "today": 0, "tänään": 0, "tanaan": 0, "今天": 0,
    "tomorrow": 1, "huomenna": 1, "明天": 1,
    "day after tomorrow": 2, "ylihuomenna": 2, "后天": 2,
}  # fmt: skip
"""Days said relative to today, in English, Finnish (also as typed without accents) and Chinese: days ahead. Every
vertical reads these alike; food's slots, movies' showtimes and nav's weather each had a copy, and the copies had
drifted ('huomenna' was tomorrow for movies and food, an unknown day for the weather)."""


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
CHINESE_WEEKS = {"this": ("这周", "本周", "这星期", "本星期", "这礼拜", "本礼拜"), "next": ("下周", "下星期", "下礼拜")}
"""这周五 / 下周五: the Friday of this calendar week or of the next (Chinese counts weeks from Monday, as here)."""


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
            for prefix in CHINESE_WEEKS["next"]:
                words[prefix + day] = 7 - today.weekday() + k
    return words


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
