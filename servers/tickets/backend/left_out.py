"""Why an event search found nothing: the note an empty page carries instead of a bare [].

Every word of a query must match an event (``EventIndex.query_score``), so one word no event has — 'jazz' in a
city without jazz, or 'under 40 euros' typed into the query rather than the price filter — empties the page, and
an agent that sees only [] tries variations blind. The note names the words that match nothing, or the one filter
(dates, time of day, price, category, area) that left out events matching everything else, with the nearest thing
there is. Runs only on an empty page, so it may search the index a few more times.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import date, datetime, time

import numpy as np

from shared.clock import local
from shared.errors import shown
from shared.geo import CITY_TZ
from shared.prices import said_age
from shared.schemas.common import Money
from shared.schemas.tickets import CATEGORY_ZH
from shared.when import Said, ambiguous_days

from .index import EventIndex, Ranked, Window, query_words

PRICE_WORD = re.compile(
    r"^(?:\d+(?:[.,]\d+)?|€\S*|\S*€|eur|euro|euros|e|under|below|over|above|less|than|cheap|cheaper|cheapest|"
    r"max|budget|alle|yli|halpa|halvat|euroa|元|块|欧|欧元|以下|以内|以上|便宜)$"
)
"""Query words that are a price said in words: the price filter takes it (price_max_minor, in cents)."""


def why_none(
    index: EventIndex,
    window: Window,
    query: str,
    words: str,
    said: list[Said],
    category: str,
    area: str,
    venues: Collection[str] | None,
    money: Callable[[int], Money],
    tier: str = "",
) -> str:
    """The note for an empty page of ``index.search(window, category=…, query=words, venues=…, tier=…)``."""
    either = ambiguous_days(query, local(window.after).date())
    if either:
        phrase, coming, week_later = either[0]
        return (
            f"{shown(phrase)} may mean {_day(coming)} or {_day(week_later)}, so it was not read as a day and matched "
            f"no event as words. Ask which, then pass that day as date_from and date_to (e.g. {coming.isoformat()}) "
            "and leave it out of the query."
        )
    terms = index.terms(words)
    missing = [t for t in terms if not len(index.word(t)[0])]
    if missing:
        return _no_such_words(index, window, query, missing)
    if terms and not np.any(index.query_score(words)):
        return (
            f"No event matches every word of {shown(query)}: each word matches some event, but none all of them. "
            "Search with fewer words (a title, a performer or a category), or query '' with filters."
        )

    def found(w: Window = window, cat: str = category, where: Collection[str] | None = venues) -> Ranked:
        return index.search(w, category=cat, query=words, venues=where, tier=tier)

    # 'concert this weekend': the days are the window, the words 'concert' (as searched: without words that only ask)
    asked = " ".join(query_words(words)) if said else query
    what = f" matching {shown(asked)}" if asked.strip() else ""
    said_days = [s.phrase for s in said]
    timed = window.first or window.last or window.earliest or window.latest
    then = f" {_when(window)}" if timed else ""
    kind = "event" if category == "any" else f"{category} event"
    place = f" in {shown(area)}" if venues is not None else ""
    if timed:
        other = found(Window(window.after, price_min=window.price_min, price_max=window.price_max))
        if len(other.events):
            # the nearest to what was asked: the first session from the asked days on, else the last before them
            starts = index.start[other.sessions]
            asked_from = _midnight(window.first) if window.first else window.after.timestamp()
            k = min(int(np.searchsorted(starts, asked_from)), len(starts) - 1)
            event = index.events[int(index.s_event[other.sessions[k]])]
            start = datetime.fromtimestamp(int(starts[k]), tz=CITY_TZ)
            read = f" (read from {', '.join(repr(p) for p in said_days)})" if said_days else ""
            nearest = "the nearest" if starts[k] < asked_from else "the next"
            return (
                f"No {kind}{what}{place} has a session {_when(window)}{read}. {_do(len(other.events))} at other "
                f"times; {nearest}: {event.display_title} on {_day(start.date())} {start:%H:%M}. Widen "
                "date_from/date_to or time_from/time_to, or leave them ''."
            )
    if window.price_min or window.price_max:
        other = found(replace(window, price_min=0, price_max=0))
        if len(other.events):
            cheapest = int(index.price[np.isin(index.price_session, other.sessions)].min())
            cents = window.price_max or window.price_min
            unit = (  # price_max_minor=50 meaning €50: euros where cents go, the slip models make most
                f"(in cents: €{cents} is {cents * 100})" if cents < 100 and cents * 100 >= cheapest else "(cents)"
            )
            return (
                f"No {kind}{what}{place}{then} has tickets {_price_range(window, money)}: {_do(len(other.events))} at "
                f"other prices, the cheapest ticket {money(cheapest).display}. Widen price_min_minor/price_max_minor "
                f"{unit}, or leave them 0."
            )
    if category != "any":
        other = found(cat="any")
        if len(other.events):
            counts = Counter(index.events[int(i)].category for i in other.events)
            listed = ", ".join(f"{c} / {CATEGORY_ZH[c]} ({n})" for c, n in counts.most_common())
            return (
                f"No {kind}{what}{place}{then}; {len(other.events)} in other categories: {listed}. Search with "
                "category 'any' or one of those."
            )
    if venues is not None:
        other = found(where=None)
        if len(other.events):
            event = index.events[int(other.events[0])]
            return (
                f"No {kind}{what}{then}{place}; {len(other.events)} elsewhere in the city, e.g. "
                f"{event.display_title}. Leave area '' for the whole city."
            )
    other = found(Window(window.after), cat="any", where=None)
    if len(other.events):
        # 'jazz this weekend under 30 euros': neither filter alone leaves anything out, both together do. The note
        # says what each asked and what there is without them, so the agent can offer the user the nearest thing.
        filters = [
            *([_when(window)] if timed else []),
            *([_price_range(window, money)] if window.price_min or window.price_max else []),
            *([f"category {category}"] if category != "any" else []),
            *([f"in {shown(area)}"] if venues is not None else []),
        ]
        first = int(np.argmin(index.start[other.sessions]))
        event = index.events[int(index.s_event[other.sessions[first]])]
        start = datetime.fromtimestamp(int(index.start[other.sessions[first]]), tz=CITY_TZ)
        cheapest = int(index.price[np.isin(index.price_session, other.sessions)].min())
        return (
            f"No event{what} fits these together: {', '.join(filters)} (and dropping only one of them still finds "
            f"none). {_do(len(other.events))} without them: the next, {event.display_title} on {_day(start.date())} "
            f"{start:%H:%M}; tickets from {money(cheapest).display}. Ask the user which to give up, then search "
            "again without it."
        )
    return f"No event{what} has a session left this season." if what else "No session is left this season."


def _no_such_words(index: EventIndex, window: Window, query: str, missing: list[str]) -> str:
    names = ", ".join(repr(w) for w in missing)
    text = (
        f"No event matches {names} (every word of query must match an event's title, performer, category, venue, "
        f"district or language), so {shown(query)} finds nothing."
    )
    age, years = said_age(query)
    if age:
        text += (
            f" {shown(age)} reads as an age limit, which events here do not carry to filter by; a price would be "
            f"under €{years}, or price_max_minor={years * 100} (cents)."
        )
    elif any(PRICE_WORD.match(w) for w in missing):
        text += " A price goes in price_max_minor / price_min_minor, in cents (under €40: price_max_minor=4000)."
    upcoming = index.search(Window(window.after))
    counts = Counter(index.events[int(i)].category for i in upcoming.events)
    listed = ", ".join(f"{c} / {CATEGORY_ZH[c]} ({n})" for c, n in counts.most_common())
    return text + f" Upcoming here by category: {listed}. Search without those words, or by category."


def _when(window: Window) -> str:
    days = ""
    if window.first and window.last:
        same = window.first == window.last
        days = f"on {_day(window.first)}" if same else f"{_day(window.first)}–{_day(window.last)}"
    elif window.first:
        days = f"from {_day(window.first)}"
    elif window.last:
        days = f"until {_day(window.last)}"
    hours = ""
    if window.earliest and window.latest:
        hours = f"between {_hhmm(window.earliest)} and {_hhmm(window.latest)}"
    elif window.earliest:
        hours = f"from {_hhmm(window.earliest)}"
    elif window.latest:
        hours = f"by {_hhmm(window.latest)}"
    return " ".join(p for p in (days, hours) if p)


def _midnight(day: date) -> float:
    return datetime.combine(day, time(0, 0), tzinfo=CITY_TZ).timestamp()


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _hhmm(t: time) -> str:
    return f"{t:%H:%M}"


def _price_range(window: Window, money: Callable[[int], Money]) -> str:
    if window.price_min and window.price_max:
        return f"between {money(window.price_min).display} and {money(window.price_max).display}"
    if window.price_max:
        return f"at {money(window.price_max).display} or less"
    return f"at {money(window.price_min).display} or more"


def _do(n: int) -> str:
    """'1 does', '3 do': the count of events that would match, with its verb."""
    return f"{n} does" if n == 1 else f"{n} do"
