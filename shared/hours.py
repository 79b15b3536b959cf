"""Weekly opening hours in local time, including intervals that run past midnight."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from shared.geo import CITY_TZ

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Schedule = dict[str, list[list[str]]]
Seasonal = dict[str, Any]
"""A ``Schedule`` that may also hold ``"seasons"``: ``[{"from": "06-01", "to": "08-31", "days": {day: spans}}]``,
each laid over the week on the dates it covers each year (wrapping past New Year when ``from`` > ``to``), later
ones over earlier ones, as OpenStreetMap reads 'Jun-Aug: Su-Sa 09:00-24:00; Sep-May: Su-Sa 09:00-18:00'."""


LATE_AT = time(23, 0)
"""When 'late' is: a place open at this time tonight is open late."""
SMALL_HOURS_END = time(6, 0)
"""Until when a night's small hours last: 01:45 belongs to the night before, not to the coming evening."""


def late_from(now: datetime) -> datetime:
    """The time a place must be open at to be 'open late': 23:00 tonight, or now once it is later, the small hours
    included (at 01:00, 'open late' is open now: 23:00 'tonight' would be the coming evening, 22 hours away)."""
    local = now.astimezone(CITY_TZ)
    if local.time() >= LATE_AT or local.time() < SMALL_HOURS_END:
        return local
    return datetime.combine(local.date(), LATE_AT, tzinfo=CITY_TZ)


def _t(hhmm: str) -> time:
    h, m = hhmm.split(":")
    return time(int(h) % 24, int(m))


def _intervals(schedule: Schedule, day: datetime) -> list[tuple[datetime, datetime]]:
    """Concrete [open, close) intervals that start on ``day``'s local date."""
    out = []
    base = day.replace(hour=0, minute=0, second=0, microsecond=0)
    for start, end in schedule.get(DAYS[day.weekday()], []):
        opens = base.replace(hour=_t(start).hour, minute=_t(start).minute)
        closes = base.replace(hour=_t(end).hour, minute=_t(end).minute)
        if closes <= opens:
            closes += timedelta(days=1)
        out.append((opens, closes))
    return out


WEEK_MIN = 7 * 24 * 60
_compiled: dict[int, tuple[Schedule, list[tuple[int, int]]]] = {}


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _week_spans(schedule: Schedule) -> list[tuple[int, int]]:
    """[start, end) in minutes since Monday 00:00, split where they wrap past Sunday night.

    Compiled once per schedule object: search checks every restaurant's hours on every call.
    """
    hit = _compiled.get(id(schedule))
    if hit is not None and hit[0] is schedule:
        return hit[1]
    spans: list[tuple[int, int]] = []
    for day_index, day in enumerate(DAYS):
        for start, end in schedule.get(day, []):
            a, b = _minutes(start), _minutes(end)
            if b <= a:
                b += 24 * 60
            a, b = a + day_index * 1440, b + day_index * 1440
            if b > WEEK_MIN:
                spans += [(a, WEEK_MIN), (0, b - WEEK_MIN)]
            else:
                spans.append((a, b))
    _compiled[id(schedule)] = (schedule, spans)
    return spans


def is_open(schedule: Schedule, at: datetime) -> bool:
    local = at.astimezone(CITY_TZ)
    minute = local.weekday() * 1440 + local.hour * 60 + local.minute
    return any(a <= minute < b for a, b in _week_spans(schedule))


def always_open(schedule: Schedule) -> bool:
    """Open round the clock, every day of the week (OSM's '24/7'): what '24h' or '24小时' asks of a place."""
    reached = 0
    for a, b in sorted(_week_spans(schedule)):
        if a > reached:
            return False
        reached = max(reached, b)
    return reached >= WEEK_MIN


def next_opening(schedule: Schedule, at: datetime) -> datetime | None:
    local = at.astimezone(CITY_TZ)
    for offset in range(8):
        for opens, _ in _intervals(schedule, local + timedelta(days=offset)):
            if opens > local:
                return opens
    return None


def describe_day(schedule: Schedule, day: str) -> str:
    spans = schedule.get(day, [])
    return ", ".join(f"{a}–{b}" for a, b in spans) if spans else "closed"


def describe_now(schedule: Schedule, at: datetime) -> str:
    """Today's hours (``describe_day``), or, after midnight while the previous day's late span still runs, that span
    first with its day, then today's: 'Fri 20:00–04:00 (now); Sat 20:00–04:00'. At Saturday 01:42 a bar open on
    Friday's 20:00–04:00 showed only Saturday's 20:00–04:00, as if it opened tonight while it was open now."""
    local = at.astimezone(CITY_TZ)
    today = describe_day(schedule, DAYS[local.weekday()])
    before = local - timedelta(days=1)
    day = DAYS[before.weekday()]
    for (start, end), (opens, closes) in zip(schedule.get(day, []), _intervals(schedule, before), strict=True):
        if opens <= local < closes:  # a span of yesterday's that reaches now runs past midnight
            return f"{day.capitalize()} {start}–{end} (now); {DAYS[local.weekday()].capitalize()} {today}"
    return today


def describe_week(schedule: Schedule) -> dict[str, str]:
    return {day: describe_day(schedule, day) for day in DAYS}


def describe_week_short(schedule: Schedule) -> str:
    """The week in one line, days with the same hours grouped: 'Mon–Fri 10:00–22:00; Sat–Sun closed'."""
    parts: list[str] = []
    start = 0
    for i in range(1, len(DAYS) + 1):
        if i < len(DAYS) and describe_day(schedule, DAYS[i]) == describe_day(schedule, DAYS[start]):
            continue
        first, last = DAYS[start].capitalize(), DAYS[i - 1].capitalize()
        days = first if start == i - 1 else f"{first}–{last}"
        parts.append(f"{days} {describe_day(schedule, DAYS[start])}")
        start = i
    return "; ".join(parts)


def today_key(at: datetime) -> str:
    return DAYS[at.astimezone(CITY_TZ).weekday()]


_seasons_in_effect: dict[tuple[int, tuple[int, ...]], tuple[Seasonal, Schedule]] = {}


def in_effect(hours: Seasonal, at: datetime) -> Schedule:
    """The week that holds on ``at``'s local date: ``hours`` itself when it has no seasons, else its week with the
    days of every season covering the date replaced. The same object for the same seasons, so ``_week_spans``
    compiles each once (it caches by identity)."""
    seasons = hours.get("seasons")
    if not seasons:
        return hours
    today = f"{at.astimezone(CITY_TZ):%m-%d}"
    covering = tuple(
        i
        for i, s in enumerate(seasons)
        if (s["from"] <= today <= s["to"] if s["from"] <= s["to"] else not s["to"] < today < s["from"])
    )
    key = (id(hours), covering)
    hit = _seasons_in_effect.get(key)
    if hit is not None and hit[0] is hours:
        return hit[1]
    week: Schedule = {d: list(hours.get(d, [])) for d in DAYS}
    for i in covering:
        week.update(seasons[i]["days"])
    _seasons_in_effect[key] = (hours, week)
    return week
