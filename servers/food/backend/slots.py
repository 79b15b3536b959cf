"""Scheduled delivery (预约送达): 15-minute slots up to three days ahead, cooked while the restaurant is open.

An order's lifecycle is a fixed run of minutes from its start (accepted +2, preparing +3, picked up
after the restaurant's preparation time, delivered after the ride); an order for a slot starts that
many minutes before the slot, so it arrives on the slot. A slot is possible when that start is not in
the past and the kitchen is open from acceptance until pickup. Every refusal says which rule failed
and which slots are possible instead.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from shared.dates import CLOCK_ZH, in_a_while, means_now, read_moment, read_said_time
from shared.errors import InvalidInputError, shown
from shared.geo import CITY_TZ
from shared.hours import describe_day, describe_now, is_open, next_opening, today_key
from shared.text import take_match

from .catalog import RestaurantRec

SLOT_MINUTES = 15
LAST_SLOT = f"{time(23, 60 - SLOT_MINUTES):%H:%M}"  # a day's last slot, as day_ranges writes it: '23:45'
MAX_AHEAD = timedelta(days=3)
ACCEPT_AFTER = timedelta(minutes=2)  # the restaurant accepts this long after the start
PREP_STARTS = timedelta(minutes=3)  # and starts cooking this long after it
PICKUP_TO_RIDE = timedelta(minutes=1)  # the rider leaves this long after pickup
FORMAT = (
    "'YYYY-MM-DDTHH:MM' in Helsinki time (e.g. 2026-11-26T18:30), 'HH:MM' for today (late in the evening an "
    "'HH:MM' after midnight, e.g. '00:30', is tonight's), or a day and a time ('tomorrow 18:30', 'Thu 6pm', "
    "'tonight at 7', '明天晚上6点半')"
)


def lead(prep_min: int, travel_min: int) -> timedelta:
    """From an order's start to its delivery."""
    return PREP_STARTS + timedelta(minutes=prep_min) + PICKUP_TO_RIDE + timedelta(minutes=travel_min)


def show(at: datetime) -> str:
    return f"{at.astimezone(CITY_TZ):%a %d %b %H:%M}"


MEAL_TIMES = {"中午": "中午12点", "晚上": "晚上7点", "傍晚": "傍晚6点", "下午": "下午3点", "早上": "早上8点"}
"""A part of the day said as when to deliver ('明天中午能送到的'): the time a meal then is usually wanted; the note
says which, and deliver_at takes another."""
WHEN_SAID = re.compile(
    r"(?:\b(?:delivered|deliver|delivery)\s+)?(?:\b(?:by|at|before|around|for)\s+)?"
    r"(?P<day>\b(?:today|tonight|tomorrow)\s+(?:at\s+|by\s+)?)?"
    r"(?P<clock>\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b(?:[01]?\d|2[0-3]):[0-5]\d\b|\bnoon\b|\bmidday\b)"
    r"(?P<after>\s+(?:today|tonight|tomorrow)\b)?"
    rf"|(?P<zday>今天|明天|后天|大后天|今晚)?(?P<zclock>{CLOCK_ZH})"
    r"(?:前|以前|之前|左右)?(?:能|可以)?(?:送到|送达)?的?"
    rf"|(?P<pday>今天|明天|后天|大后天)?(?P<part>{'|'.join(MEAL_TIMES)})(?:前|左右)?(?:能|可以)?(?:送到|送达)的?",
    re.IGNORECASE,
)
"""A delivery time said in a search ('pizza delivered by 7pm', 'sushi at 19:00 tomorrow', '明天中午12点送到的午饭',
'明天中午能送到的披萨'): searched as words, 'by' and 'at' matched two restaurants' names and the page was empty."""


def when_said(query: str, now: datetime) -> tuple[str, datetime | None, str]:
    """The query without a delivery time said in it, that time (as ``deliver_at`` reads it), and the words said;
    the query as it was, None and '' when it says none."""
    rest, m = take_match(WHEN_SAID, query)
    if m is None:
        return query, None, ""
    if m["zclock"]:
        said = f"{m['zday'] or ''}{m['zclock']}"
    elif m["part"]:
        said = f"{m['pday'] or ''}{MEAL_TIMES[m['part']]}"
    else:
        day = (m["day"] or m["after"] or "").split()
        said = f"{day[0] if day else ''} {m['clock']}".strip()
    # a time alone that has passed today is tomorrow's ('早餐 8点前送到' said at noon): a search looks ahead, and it
    # was read as this morning's, 'a delivery time that has passed'
    at = read_said_time(said, now, next_day_within=timedelta(days=1))
    return (rest, at, m.group(0).strip()) if at is not None else (query, None, "")


def asked(text: str) -> str:
    """``deliver_at`` as written, with 'as soon as possible' in any wording read as '' (deliver now)."""
    raw = text.strip()
    return "" if means_now(raw) else raw


def parse(text: str, now: datetime) -> datetime:
    """A slot as the caller wrote it: an ISO date and time, read in local time when it has no offset, or as people
    say one (``shared.dates.read_moment``: '18:30', 'tomorrow 6pm', '周四 18:00'). '6pm', '18.00' and 'Thu 18:00'
    were refused. How long from now ('in 20 minutes', '半小时后') is the first slot from then: said at 12:01, 'in 45
    minutes' was 12:46, no slot, and the minute it was said decided whether it was one."""
    at = read_moment(text.strip(), now)
    if at is None:
        raise InvalidInputError(
            f"deliver_at {shown(text)} is not a time.",
            f"Give the slot as {FORMAT}, or '' to deliver now.",
            field="deliver_at",
        )
    return (_ceil(at) if in_a_while(" ".join(text.split()), now) else at).astimezone(CITY_TZ)


def names(text: str, slot: datetime | None, now: datetime, quoted: datetime) -> bool:
    """Whether ``deliver_at`` as the caller wrote it names ``slot`` (None: as soon as possible): read on the slot's
    own day, so an 'HH:MM' retried after midnight still names the slot it was quoted for, from ``now``, so a
    confirmation that repeats 'tomorrow 18:30' names tomorrow's slot, not the day after the slot, or from when it was
    ``quoted``, so a confirmation that repeats 'in 45 minutes' names the slot it was quoted for minutes ago."""
    raw = text.strip()
    if not raw:
        return slot is None
    if slot is None:
        return False
    try:
        return slot in (parse(raw, slot), parse(raw, now), parse(raw, quoted))
    except InvalidInputError:
        return False


def _ceil(at: datetime) -> datetime:
    """The first slot mark at or after ``at``."""
    local = at.astimezone(CITY_TZ).replace(second=0, microsecond=0)
    if local < at:
        local += timedelta(minutes=1)
    return local + timedelta(minutes=-local.minute % SLOT_MINUTES)


def kitchen_open(rest: RestaurantRec, slot: datetime, span: timedelta) -> bool:
    """The restaurant is open from acceptance until pickup for an order delivered at ``slot``."""
    start = slot - span
    at, pickup = start + ACCEPT_AFTER, start + PREP_STARTS + timedelta(minutes=rest.prep_minutes)
    while at < pickup:
        if not is_open(rest.opening_hours, at):
            return False
        at += timedelta(minutes=5)
    return is_open(rest.opening_hours, pickup - timedelta(minutes=1))


def taking_orders(rest: RestaurantRec, now: datetime) -> bool:
    """Whether an order placed now would be cooked: open from acceptance until the food is ready. A kitchen about to
    close is open by its hours but refuses it, so a search must not list it as open (``Columns.taking_orders``)."""
    return kitchen_open(rest, now, timedelta(0))


def possible(rest: RestaurantRec, slot: datetime, span: timedelta, now: datetime) -> bool:
    return now <= slot - span and slot <= now + MAX_AHEAD and kitchen_open(rest, slot, span)


def earliest(rest: RestaurantRec, span: timedelta, now: datetime) -> datetime | None:
    """The first possible slot, or None when there is none in the next three days."""
    at = _ceil(now + span)
    while at <= now + MAX_AHEAD:
        if kitchen_open(rest, at, span):
            return at
        at += timedelta(minutes=SLOT_MINUTES)
    return None


def day_ranges(rest: RestaurantRec, span: timedelta, now: datetime, day: date) -> str:
    """The possible slots of one local day as ranges, e.g. '10:45–18:45'; '' if none."""
    first = datetime.combine(day, time(0), CITY_TZ)
    runs: list[list[datetime]] = []
    for k in range(24 * 60 // SLOT_MINUTES):
        at = (first.astimezone(CITY_TZ) + timedelta(minutes=SLOT_MINUTES * k)).astimezone(CITY_TZ)
        if possible(rest, at, span, now):
            if runs and at - runs[-1][1] == timedelta(minutes=SLOT_MINUTES):
                runs[-1][1] = at
            else:
                runs.append([at, at])
    return ", ".join(f"{a:%H:%M}" if a == b else f"{a:%H:%M}–{b:%H:%M}" for a, b in runs)


def check(rest: RestaurantRec, slot: datetime, span: timedelta, now: datetime) -> None:
    """Refuse a slot this order cannot be delivered at, saying why and what is possible instead."""
    local = slot.astimezone(CITY_TZ)
    first = earliest(rest, span, now)
    first_text = f"the earliest possible slot is {show(first)}" if first else "none is possible in the next 3 days"
    if local.minute % SLOT_MINUTES or local.second or local.microsecond:
        before = local.replace(minute=local.minute - local.minute % SLOT_MINUTES, second=0, microsecond=0)
        after = before + timedelta(minutes=SLOT_MINUTES)
        odd = f"{show(local)}:{local.second:02d}" if local.second or local.microsecond else show(local)
        raise InvalidInputError(  # the day too: '13:20:00' alone did not say which day the slots offered were on
            f"deliver_at {odd} is not a delivery slot: slots are every {SLOT_MINUTES} minutes (:00, :15, :30, :45).",
            f"Pick {show(before)} or {show(after)}; {first_text}.",
            field="deliver_at",
        )
    if local <= now:
        raise InvalidInputError(
            f"deliver_at {show(local)} is in the past (now {show(now)}).",
            f"Pick a later slot; {first_text}.",
            field="deliver_at",
        )
    if local > now + MAX_AHEAD:
        latest = _ceil(now + MAX_AHEAD - timedelta(minutes=SLOT_MINUTES - 1))
        raise InvalidInputError(
            f"deliver_at {show(local)} is too far ahead: slots can be booked up to 3 days ahead.",
            f"Pick a slot until {show(latest)}; {first_text}.",
            field="deliver_at",
        )
    minutes = round(span.total_seconds() / 60)
    if local - span < now:
        raise InvalidInputError(
            f"deliver_at {show(local)} is too soon: this order needs about {minutes} minutes to cook and deliver.",
            f"Pick a later slot; {first_text}.",
            field="deliver_at",
        )
    if not kitchen_open(rest, local, span):
        kitchen = local - span + ACCEPT_AFTER
        day = kitchen.astimezone(CITY_TZ)
        same_day = day_ranges(rest, span, now, local.date())
        night = day_ranges(rest, span, now, local.date() + timedelta(days=1)).split(", ")[0]
        if same_day.endswith(LAST_SLOT) and night.startswith("00:00"):  # the evening's service goes on past midnight
            same_day += f", then {night} after midnight"  # 'Slots on Wed: 14:30–23:45' hid a bar's 00:00–01:45
        instead = f"Slots on {local:%a %d %b}: {same_day}" if same_day else f"No slots on {local:%a %d %b}"
        hours = hours_at(rest, day)
        if is_open(rest.opening_hours, kitchen):  # open when it would start, closed before the food is ready
            ready = (local - span + PREP_STARTS + timedelta(minutes=rest.prep_minutes)).astimezone(CITY_TZ)
            problem = (f"{rest.name} closes before it could cook a {show(local)} delivery: it would cook from "
                       f"{day:%H:%M} and have it ready at {ready:%H:%M} ({hours}).")  # fmt: skip
        else:
            problem = f"{rest.name} is closed for a {show(local)} delivery: it would cook from {day:%H:%M} ({hours})."
        raise InvalidInputError(problem, f"{instead}; {first_text}.", field="deliver_at")


def hours_at(rest: RestaurantRec, at: datetime) -> str:
    """The hours that explain a refusal at ``at``: its day's ('hours on Sat: 20:00–04:00'), or past midnight the
    previous day's span it is still in first ('hours: Fri 20:00–04:00 (now); Sat 20:00–04:00'); Saturday's alone
    told a kitchen closing at 04:00 on Friday's hours that it opens at 20:00."""
    local = at.astimezone(CITY_TZ)
    today = describe_day(rest.opening_hours, today_key(local))
    spans = describe_now(rest.opening_hours, local)
    return f"hours on {local:%a}: {today}" if spans == today else f"hours: {spans}"


def order_ahead(first: datetime | None) -> str:
    """What a cart that cannot be ordered now can do instead: book the first slot, if there is one."""
    if first is None:
        return "pick another restaurant"
    return (
        f"order ahead for a delivery slot with food_place_order(deliver_at=…), earliest {first:%Y-%m-%dT%H:%M}, "
        "or pick another restaurant"
    )


def closing_problem(rest: RestaurantRec, now: datetime, first: datetime | None) -> str:
    """The cart problem of a restaurant open now that closes before it could cook an order placed now: a kitchen
    that took it would cook after closing (a scheduled order for the same minutes is refused by ``kitchen_open``
    too)."""
    pickup = now + PREP_STARTS + timedelta(minutes=rest.prep_minutes)
    return (
        f"{rest.name} closes before it could cook this order (it would be ready at {pickup.astimezone(CITY_TZ):%H:%M}; "
        f"{hours_at(rest, now)}); {order_ahead(first)}."
    )


def closed_problem(rest: RestaurantRec, now: datetime, first: datetime | None) -> str:
    """The cart problem of a restaurant closed now, which can still cook for a later slot: when it opens, the first
    slot."""
    nxt = next_opening(rest.opening_hours, now)
    when = f"opens {nxt:%a %H:%M}" if nxt else "has no upcoming opening hours"
    return f"{rest.name} is closed now ({when}); {order_ahead(first)}."
