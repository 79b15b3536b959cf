"""Business rules of the tickets provider: event search, event details and attendees (users are the account's).

Every public method takes the acting user's id; anything it refuses is refused with a
``LifestyleError`` before any row changes. Holds, purchases and refunds live in ``orders.py``;
prices and refund rules in ``pricing.py``; seats in the shared seating engine behind
``inventory.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from functools import cached_property, lru_cache

from sqlmodel import Session, col, select

from shared.account import Sandbox
from shared.clock import local
from shared.cursor import key_cursor, read_cursor
from shared.dates import read_calendar_day, split_clock, split_moment, time_field
from shared.districts import district_in
from shared.errors import ConflictError, InvalidInputError, NotFoundError, shown
from shared.geo import require_in_city
from shared.kit.db import session_scope
from shared.landmarks import NEAR_SAID, NEARBY, Landmarks, means_here
from shared.phrases import tickets_wanted
from shared.prices import read_price
from shared.schemas.common import GeoPoint, Money, PageInfo, asked_digest, check_id, new_id
from shared.schemas.seating import SEAT_ID_FORMAT
from shared.schemas.tickets import (
    Attendee,
    AttendeeInput,
    AttendeeList,
    Availability,
    CategoryFilter,
    EventDetail,
    EventPage,
    EventSession,
    EventSummary,
    SeatMap,
    SessionStatus,
    TierPrice,
    Venue,
)
from shared.text import cheap_first, fold, take_match, take_out
from shared.when import split_clock_range, time_phrases, without

from . import pricing
from .availability_words import LEFT_MEANS, WANTED, availability_said
from .catalog import Catalog, EventRec, SessionRec, VenueRec, language_asked, spoken_in
from .index import EventIndex, Ranked, Window
from .inventory import Inventory
from .left_out import why_none
from .models import AttendeeRow
from .price_words import FREE, TOTAL
from .rule_words import READ, rule_said
from .tier_words import BEST_SEATS, SEATED, part_in, sections_in, tier_said, tier_words_said, tiers_in
from .venue_words import OPEN_AIR, OPEN_AIR_KINDS
from .when import narrowed

MAX_ATTENDEES = 50
"""Saved ticket holders per account: the people a user buys for, not a registry."""
NEAR_INSTEAD = "area: a district of Helsinki such as 'Kamppi', or lat and lng 0 to search the whole city"
"""What tickets_search_events accepts instead of a point outside the city (``require_in_city``)."""


DISTRICT_WORD = re.compile(r"\b(?:district|area|kaupunginosa)\b")


def district_name(part: str) -> str:
    """A district's name as people add to it: 'Kamppi district' → 'kamppi', '坎皮区' → '坎皮' (folded)."""
    return DISTRICT_WORD.sub(" ", fold(part)).strip().removesuffix("区").strip()


def parse_day(value: str, field: str, today: date) -> date | None:
    """YYYY-MM-DD, or a calendar day as people write one ('12月24日', 'Dec 24', '24.12.': ``read_calendar_day``)."""
    if not value:
        return None
    if (day := read_calendar_day(value, today)) is not None:
        return day
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInputError(
            f"{field} {shown(value)} is not a date.",
            "Give dates as YYYY-MM-DD, e.g. 2026-12-05 (or as '12月5日', 'Dec 5'), or '' for open.",
            field=field,
        ) from exc


def _days_as_said(
    query: str, date_from: str, date_to: str, time_from: str, time_to: str, today: date
) -> tuple[str, str, str, str, str]:
    """A day said in words where a date goes ('周六', 'tonight', '周六晚上8点以后': date_from = date_to or one left
    ''), read as the query reads it: moved into the query, with a time said after it as time_from (time_to for
    'before') unless those are given; two days ('周六' to '周日') as the stretch from one to the other; an ISO
    date-time ('2026-12-05T19:00:00+02:00', as models send one) as its day and, for date_from, time_from. They were
    'not a date' while the query took the same words."""
    if (start := split_moment(date_from)) is not None:  # '2026-12-05T19:00:00+02:00': the day, from that time
        date_from, time_from = start[0], time_from or start[1].strftime("%H:%M")
    if (end := split_moment(date_to)) is not None:  # its time only bounds a single day, and not as its end
        date_to = end[0]
        if date_to == date_from and end[1] not in (time(0, 0), time(23, 59)) and not time_to:
            time_to = end[1].strftime("%H:%M")
    unchanged = query, date_from, date_to, time_from, time_to
    first, last = date_from.strip(), date_to.strip()
    if first and last and first != last:  # date_from '周六', date_to '周日': the stretch, as '周六到周日' in the query
        if _a_date(first, today) or _a_date(last, today):
            return unchanged
        said = f"{first} 到 {last}"
    elif not (said := first or last) or _a_date(said, today):
        return unchanged  # a date as dates are written
    day = said
    if (ranged := split_clock_range(said)) is not None:  # '周六下午3点到6点': the day, from one time to the other
        day = ranged[0]
        time_from = time_from or ranged[1].strftime("%H:%M")
        time_to = time_to or ranged[2].strftime("%H:%M")
    elif (clocked := split_clock(said)) is not None:
        day, clock, before = clocked
        at = clock.strftime("%H:%M")
        if before and not time_to:
            time_to = at
        elif not before and not time_from:
            time_from = at
    phrases = time_phrases(day, today)
    if not phrases or without(day, phrases).strip():
        return unchanged  # not only day words: refused as 'not a date'
    return f"{query} {day}".strip(), "", "", time_from, time_to


def _a_date(said: str, today: date) -> bool:
    try:
        parse_day(said, "date_from", today)
    except InvalidInputError:
        return False
    return True


def check_upcoming(date_from: str, date_to: str, last: date, today: date) -> None:
    """Refuse a date range wholly before today: it can only list nothing, and an empty page would not say why."""
    if last >= today:
        return
    what = f"The dates {date_from} to {date_to} have" if date_from else f"date_to {date_to} has"
    raise InvalidInputError(
        f"{what} passed: today is {today.isoformat()} ({today:%A}) in Helsinki, and only upcoming sessions are listed.",
        f"Search from today on: date_to {today.isoformat()} or later (date_from '' or a day from "
        f"{today.isoformat()}), or leave both '' for every upcoming session.",
        field="date_to",
    )


def check_scheduled(date_from: str, first: date, last_day: date | None) -> None:
    """Refuse a date range starting after the last session in the whole calendar: nothing can match it, whatever
    the other filters, and an empty page would not say how far ahead events are scheduled."""
    if last_day is None or first <= last_day:
        return
    raise InvalidInputError(
        f"date_from {date_from} is after the last session in the calendar: events are scheduled until "
        f"{last_day.isoformat()} ({last_day:%A}) in Helsinki, and none later.",
        f"Give date_from {last_day.isoformat()} or earlier ('' for from today), or leave both dates '' for every "
        "upcoming session.",
        field="date_from",
    )


def check_season(now: datetime, last_start: datetime | None) -> None:
    """Refuse a search once the last session in the whole calendar has started: only sessions still to come are
    listed, so every search, with dates or without, could only be an empty page that does not say why."""
    if last_start is None or now < last_start:
        return
    ended, today = local(last_start), local(now)
    raise ConflictError(
        f"The tickets season has ended: the last session in the calendar started {ended:%Y-%m-%d %H:%M} "
        f"({ended:%A}) and it is now {today:%Y-%m-%d %H:%M} ({today:%A}) in Helsinki, so there are no upcoming "
        "sessions to search, whatever the dates or filters.",
        "No events can be booked until a new season is published; tickets already bought are in tickets_list_orders.",
    )


def parse_time(value: str, field: str) -> time | None:
    """A time of day as HH:MM (Helsinki), '' for none."""
    return time_field(
        value,
        field,
        fix="Give it as HH:MM on the 24-hour clock, e.g. '18:00', or '' for any time.",
        part_fix="{said} is a part of the day: say it with the day in the query ('周日下午', 'sunday afternoon', "
        "'friday night') and leave time_from and time_to '', or give its hours as time_from and time_to (e.g. "
        "'12:00' and '16:59' for an afternoon).",
    )


@dataclass
class SessionState:
    """A session as of now: its status and what is left per tier."""

    rec: SessionRec
    status: SessionStatus
    remaining: dict[str, int]

    @property
    def total_remaining(self) -> int:
        return sum(self.remaining.values())


class TicketsService:
    def __init__(self, sandbox: Sandbox, catalog: Catalog, inventory: Inventory, currency: str = "EUR") -> None:
        self.engine = sandbox.engine
        self.clock = sandbox.clock
        self.accounts = sandbox.accounts
        self.fixtures_dir = sandbox.fixtures_dir
        self.catalog = catalog
        self.inventory = inventory
        self.currency = currency
        self.index = EventIndex(catalog, sold_out=inventory.sold_before_sale())
        # folded once: an area filter compared every venue's district afresh (~5 ms a call for 2,003 venues)
        self._venue_areas = [(v.id, fold(v.area), v.area_zh) for v in catalog.venues.values()]
        self._area_venues = lru_cache(maxsize=1024)(self._area_venues_uncached)
        # the calendar's last day (Helsinki): a search starting after it is refused, not answered with nothing
        ends = max((s.starts_at for s in catalog.sessions.values()), default=None)
        self.last_day = local(ends).date() if ends is not None else None
        self.last_start = ends

    # ----- helpers -------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now().astimezone(UTC)

    def money(self, minor: int) -> Money:
        return Money.of(minor, self.currency)

    def event(self, event_id: str) -> EventRec:
        check_id(event_id, "evt", field="event_id", source="tickets_search_events", names=self._events_named)
        event = self.catalog.events.get(event_id)
        if event is None:
            raise NotFoundError(f"No event {shown(event_id)}.", "Find event ids with tickets_search_events.")
        return event

    def _events_named(self, name: str) -> list[tuple[str, str]]:
        """Each run an event's name names, told apart by venue and dates: two runs of Giselle at one theatre read
        alike by venue alone."""
        said = fold(name)
        out = []
        for e in self.catalog.events.values():
            if said not in (fold(e.title), fold(e.title_zh)):
                continue
            starts = sorted(local(s.starts_at) for s in self.catalog.by_event.get(e.id, []))
            when = f", {starts[0]:%-d %b}–{starts[-1]:%-d %b}" if starts else ""
            out.append((starts[:1], f"{e.display_title} ({self.catalog.venues[e.venue_id].display_name}{when})", e.id))
        return [(name, eid) for _, name, eid in sorted(out, key=lambda o: (o[0], o[2]))]

    def session_rec(self, session_id: str) -> SessionRec:
        check_id(session_id, "ses", field="session_id", source="tickets_get_event (sessions[].id)")
        rec = self.catalog.sessions.get(session_id)
        if rec is None:
            raise NotFoundError(
                f"No session {shown(session_id)}.", "Session ids are listed by tickets_get_event under sessions[].id."
            )
        return rec

    def status(self, rec: SessionRec, remaining: int, now: datetime) -> SessionStatus:
        if rec.starts_at <= now:
            return "past"
        if now >= rec.starts_at - pricing.SALES_CLOSE_BEFORE:
            return "sales_closed"
        if remaining <= 0:  # every seat went before its sale opens (all pre-sold): nothing to wait for
            return "sold_out"
        return "not_yet_on_sale" if now < rec.sales_open_at else "on_sale"

    def states(self, session: Session, recs: list[SessionRec], now: datetime) -> list[SessionState]:
        counts = self.inventory.remaining(session, [r.id for r in recs], now)
        out = []
        for rec in recs:
            remaining = counts.get(rec.id, {})
            out.append(SessionState(rec, self.status(rec, sum(remaining.values()), now), remaining))
        return out

    def other_sessions(self, rec: SessionRec, event: EventRec, now: datetime) -> str:
        """Where to turn when this session cannot be bought: another session of the event whose sales have not
        closed, or, when there is none (a one-night concert sold out), another event: "pick another session"
        sent the model looking for one that does not exist."""
        later = [
            s
            for s in self.catalog.by_event.get(event.id, [])
            if s.id != rec.id and now < s.starts_at - pricing.SALES_CLOSE_BEFORE
        ]
        if later:
            return f"Pick another session of {event.title} from tickets_get_event(event_id='{event.id}')."
        return (
            f"{event.title} has no other session to buy tickets for; look for another event with tickets_search_events."
        )

    def with_tickets(self, session: Session, rec: SessionRec, event: EventRec, now: datetime) -> str:
        """The soonest other session of the event a user can still get tickets for, as the fix of a sold-out
        refusal ('pick another session' sent the model to sessions just as sold out); '' when there is none.
        ``now`` is the caller's: the refusal and its fix are read at one moment of the sandbox clock."""
        others = [s for s in self.catalog.by_event.get(event.id, []) if s.id != rec.id]
        for st in self.states(session, others, now):
            if st.status in ("on_sale", "not_yet_on_sale"):
                opens = "" if st.status == "on_sale" else f", on sale from {local(st.rec.sales_open_at):%a %d %b %H:%M}"
                return (
                    f"The {local(st.rec.starts_at):%a %d %b %H:%M} session (session_id='{st.rec.id}') has "
                    f"{st.total_remaining} ticket(s) left{opens}."
                )
        return ""

    def refuse_unless_on_sale(
        self, state: SessionState, event: EventRec, now: datetime, session: Session | None = None
    ) -> None:
        """Refuse with the reason and the fix when tickets for this session cannot be bought at ``now`` (the moment
        ``state`` was read at); with the database ``session``, a sold-out refusal names another session with
        tickets."""
        rec = state.rec
        when = f"{local(rec.starts_at):%a %d %b %H:%M}"
        others = self.other_sessions(rec, event, now)
        if state.status == "past":
            ends = self.catalog.ends_at(rec)
            running = f"has already started (it runs until {local(ends):%H:%M})"
            over = "is already over" if now >= ends else running
            raise ConflictError(f"The {when} session of {event.title} {over}.", others)
        if state.status == "sales_closed":
            raise ConflictError(
                f"Sales for the {when} session of {event.title} closed one hour before the start.", others
            )
        if state.status == "not_yet_on_sale":
            raise ConflictError(
                f"Tickets for {event.title} go on sale at {local(rec.sales_open_at):%a %d %b %H:%M} (Helsinki time).",
                "Try again once sales open.",
            )
        if state.status == "sold_out":
            instead = self.with_tickets(session, rec, event, now) if session is not None else ""
            raise ConflictError(f"The {when} session of {event.title} is sold out.", instead or others)

    def venue(self, rec: VenueRec) -> Venue:
        return Venue(
            id=rec.id,
            name=rec.display_name,
            kind=rec.kind,
            address=rec.address,
            area=rec.area_label,
            location=rec.location,
            capacity=rec.capacity,
            sections=[
                f"{s.code}: {s.name} / {s.name_zh}" if s.name_zh else f"{s.code}: {s.name}" for s in rec.sections
            ],
        )

    # ----- search ----------------------------------------------------------------------
    def _area_venues_uncached(self, wanted: str) -> frozenset[str]:
        return frozenset(
            v for v, area, area_zh in self._venue_areas if wanted and (wanted in area or wanted in area_zh)
        )

    def _area_matches(self, area: str) -> frozenset[str]:
        """The venues of the district ``area`` names. A district as results show it ('Kamppi / 坎皮', the form the
        refusal below lists) names it in both languages: any of its names will do, and so will 'Kamppi, Helsinki',
        'Kamppi district', '坎皮区' or a name ``shared.districts`` knows ('Kampissa', 'Kampen')."""
        hits = self._area_venues(fold(area.strip()))
        if not hits:
            hits = frozenset().union(*(self._area_venues(district_name(part)) for part in re.split(r"[/,]", area)))
        if not hits and (said := district_in(area)) is not None:  # 'Kampissa' (in Kamppi), 'Kronohagen'
            hits = self._area_venues(fold(said.name))
        if not hits:
            known = sorted({v.area_label for v in self.catalog.venues.values()})
            raise InvalidInputError(
                f"area {shown(area)} is not a district with venues.",
                f"Use one of: {', '.join(known)}; or pass lat and lng; or '' for the whole city.",
                field="area",
            )
        return hits

    @cached_property
    def landmarks(self) -> Landmarks:
        """Read when a search first says a place to look around, not at start."""
        return Landmarks.load(self.fixtures_dir)

    def _near_said(self, query: str, user_id: str) -> tuple[str, GeoPoint | None, str]:
        """A landmark said as where to look around ('concerts near Oodi', '中央火车站附近的音乐会'): the query
        without it, its point (nearest first from there) and the note saying so. Such a query found nothing, the
        landmark's name being no word of any event. A saved address of the account by its label ('离家最近',
        'near work') is one too. A district is left to the words (venues are filed under it); 'near me' says how to
        give the user's position."""
        rest, m = take_match(NEAR_SAID, query)
        if m is None:
            rest, bare = take_match(NEARBY, query)
            if bare is None:
                return query, None, ""
            return self._near_home(rest, shown(bare[0].strip().removesuffix("的")), user_id)
        where = (m["en"] or m["zh"] or "").strip()
        said = shown(m[0].strip().removesuffix("的"))
        if means_here(where):
            return self._near_home(rest, said, user_id)
        if user_id:  # '离家最近的演出', 'concerts near work': the account's one address book
            with Session(self.engine) as session:
                mine = self.accounts.find(session, user_id, where)
            if mine is not None:
                return rest, mine.location, f"Read {said} as where: nearest first from {mine.label} ({mine.one_line})."
        landmark = self.landmarks.find(where)
        if landmark is None:
            why = self.landmarks.not_one_place(where)  # '电影院附近的演出': 'No event matches 电影院'
            return (rest, None, f"Read {said} as where, but {why}. Listed by date.") if why else (query, None, "")
        return rest, landmark.point, f"Read {said} as where: nearest first from {landmark.name} ({landmark.address})."

    def _near_home(self, rest: str, said: str, user_id: str) -> tuple[str, GeoPoint | None, str]:
        """'near me', '附近的演出': the search has no position but the account's home address, so nearest first
        from there, saying which and how to give where the user is now (a phone would send its location). Without
        a saved home, only how."""
        home = None
        if user_id:
            with Session(self.engine) as session:
                home = self.accounts.find(session, user_id, "home")
        how = "pass lat and lng of where the user is (nav_geocode gives them)"
        if home is None:
            return rest, None, f"Read {said} as nearest first, but no position is given: {how} to sort by distance."
        note = (
            f"Read {said} as nearest first from {home.label} ({home.one_line}), the account's home address; {how} "
            "to sort from where they are now."
        )
        return rest, home.location, note

    def search(
        self,
        *,
        user_id: str = "",
        query: str = "",
        category: CategoryFilter = "any",
        area: str = "",
        lat: float = 0,
        lng: float = 0,
        date_from: str = "",
        date_to: str = "",
        time_from: str = "",
        time_to: str = "",
        price_min_minor: int = 0,
        price_max_minor: int = 0,
        limit: int = 10,
        cursor: str = "",
    ) -> EventPage:
        now = self.now()
        today = local(now).date()
        query, date_from, date_to, time_from, time_to = _days_as_said(query, date_from, date_to, time_from, time_to,
                                                                      today)  # fmt: skip
        first, last = parse_day(date_from, "date_from", today), parse_day(date_to, "date_to", today)
        if first and last and last < first:
            raise InvalidInputError(
                f"date_to {date_to} is before date_from {date_from}.", "Swap them, or leave one ''.", field="date_to"
            )
        check_season(now, self.last_start)
        if last is not None:
            check_upcoming(date_from, date_to, last, today)
        if first is not None:
            check_scheduled(date_from, first, self.last_day)
        earliest, latest = parse_time(time_from, "time_from"), parse_time(time_to, "time_to")
        if earliest and latest and latest < earliest:
            raise InvalidInputError(
                f"time_to {time_to} is before time_from {time_from}.",
                "Give the window within one day (time_from ≤ time_to), or leave one of them ''.",
                field="time_to",
            )
        if price_min_minor < 0 or price_max_minor < 0 or (price_max_minor and price_min_minor > price_max_minor):
            raise InvalidInputError(
                f"The price range {price_min_minor}–{price_max_minor} (cents) is empty.",
                "Give price_min_minor ≤ price_max_minor in cents, or 0 for an open end.",
                field="price_max_minor",
            )
        near = require_in_city(GeoPoint(lat=lat, lng=lng), instead=NEAR_INSTEAD) if (lat or lng) else None
        near_note = ""
        if near is None:
            query, near, near_note = self._near_said(query, user_id)
        venues = self._area_matches(area) if area.strip() else None
        index = self.index
        query, seats, seats_said = tickets_wanted(query)  # '话剧 两张票': a number for the hold, not words
        # 'concerts under €40': the price is a filter too, within the one asked in price_min/max_minor
        totalled, for_all = take_out(TOTAL, query)  # '两张票总共100欧以内': the price is for all of them
        price = read_price(totalled if for_all else query)
        share = ""
        if for_all and price and seats > 1:  # each ticket's share of it
            price = replace(price, max_minor=price.max_minor // seats, min_minor=price.min_minor // seats)
            each = "; ".join(
                f"{word} {self.money(amount).display} each"
                for word, amount in (("at most", price.max_minor), ("at least", price.min_minor))
                if amount
            )
            share = (
                f"Read the price as the total for {seats} tickets: {each} (a service fee per ticket comes on top; "
                f"the hold's bill gives the total)."
            )
        if price.max_minor or price.min_minor:
            query = price.query
            if price.max_minor:
                price_max_minor = min(price_max_minor or price.max_minor, price.max_minor)
            price_min_minor = max(price_min_minor, price.min_minor)
        # 'comedy tonight': the day is a filter, not a word of a title; but 'Ink Painting Today' keeps its word
        said = time_phrases(query, today)
        if without(query, said):
            said = [p for p in said if not index.holds(query, p.phrase)]
        words = without(query, said) if said else query
        words, cheap = cheap_first(words)
        rest, free = take_out(FREE, words)
        if free and not index.holds(query, "free"):  # 'Free Jazz Night' keeps its word
            words, cheap = rest, True
        else:
            free = False
        words, open_air, venues = self._open_air(words, query, venues)  # '室外的音乐会': where, not what
        words, tier, tier_words = self._unless_titled(tier_said, words, query)  # 'VIP座位', 'standing tickets'
        words, best = take_match(BEST_SEATS, words)  # 'best seats for Giselle': which seats, said to the hold
        words, part, part_words = self._unless_titled(part_in, words, query)  # '内场票', '看台': where to be
        words, rule, rule_words = self._unless_titled(rule_said, words, query)  # '可以退票的话剧': the events' rules
        words, left, left_words = self._unless_titled(availability_said, words, query)  # '快售罄的': what is left
        window = narrowed(Window(now, first, last, earliest, latest, price_min_minor, price_max_minor), said)
        ranked = index.search(
            window,
            category=category,
            query=words,
            venues=venues,
            near=(near.lat, near.lng) if near else None,
            cheap=cheap,
            tier=tier,
            rule=rule,
        )
        matched = len(ranked.events)
        if part:
            selling = self._events_selling[part]
            ranked = index.only(ranked, [index.events[int(e)].id in selling for e in ranked.events])
        if left:
            ranked = self._with_availability(ranked, WANTED[left], now)
        ranked, in_other = self._spoken_first(ranked, language_asked(words))
        at = (near.lat, near.lng) if near else (lat, lng)  # a landmark said scopes the cursor as its point would
        asked = asked_digest({"query": query, "category": category, "area": area, "lat": at[0], "lng": at[1],
                              "date_from": date_from, "date_to": date_to, "time_from": time_from, "time_to": time_to,
                              "price_min_minor": price_min_minor, "price_max_minor": price_max_minor})  # fmt: skip
        after = read_cursor(cursor, "tickets.events", asked)
        begin = after if isinstance(after, int) else index.start_after(ranked, after)
        chosen = [int(e) for e in ranked.events[begin : begin + limit]]
        recs_of = index.sessions_of(ranked, chosen)
        with Session(self.engine) as session:
            states = {st.rec.id: st for st in self.states(session, [s for e in chosen for s in recs_of[e]], now)}
        events: list[EventSummary] = []
        for i, pos in enumerate(chosen, start=begin):
            event = index.events[pos]
            venue = self.catalog.venues[event.venue_id]
            recs = recs_of[pos]
            mine = [states[s.id] for s in recs]
            nxt = next_to_book(mine)
            prices = in_band(prices_left(mine, "" if tier == SEATED else tier), window)
            availability = self._availability(mine)
            events.append(
                EventSummary(
                    id=event.id,
                    title=event.display_title,
                    category=event.category,
                    category_label=event.category_label,
                    performer=event.display_performer,
                    genre=event.genre_label,
                    venue_id=venue.id,
                    venue_name=venue.display_name,
                    area=venue.area_label,
                    language=event.language,
                    next_session_id=nxt.rec.id,
                    next_session_at=local(nxt.rec.starts_at),
                    sales_open_at=local(nxt.rec.sales_open_at) if availability == "not_yet_on_sale" else None,
                    sessions_matching=len(recs),
                    price_from=self.money(min(prices)) if prices else None,
                    price_to=self.money(max(prices)) if prices else None,
                    availability=availability,
                    distance_m=int(ranked.distance[i]) if near else None,
                )
            )
        total = len(ranked.events)
        note = ""
        if not total and (left or part) and matched:  # the rest matched: only what is left, or where, keeps them out
            that = "has that now" if left else f"sells {shown(part_words)}"
            note = f"None of the {matched} event(s) matching the rest {that}; search without it to see them."
        elif not total:
            note = why_none(index, window, query, words, said, category, area, venues, self.money, tier)
        if open_air and not self._open_air_venues:  # no venue here is open-air: say so, with what matched the rest
            note = (
                f"Read {shown(open_air)} as open-air: every venue here is indoors (theatres, clubs, concert halls, "
                f"museums), so none of these is outdoors. {note}"
            ).strip()
        elif open_air:
            note = f"Read {shown(open_air)} as open-air: events at venues under the sky only. {note}".strip()
        if free:  # every event here is ticketed: say so rather than let the price speak for itself
            note = " ".join(["Read 'free' as the lowest price first: no event here is free entry.", note]).strip()
        if tier == SEATED:  # any seat, not standing room: no one tier to hold
            read = (
                f"Read {shown(tier_words_said(query) or tier_words)} as events selling seats (a tier that is not "
                "standing or timed entry): tickets_get_event shows each tier and what is left of it."
            )
        elif tier:  # a search reads no seat: what is left of the tier is the event's page's to say
            read = (
                f"Read {shown(tier_words_said(query) or tier_words)} as events selling {tier} tickets (tier {tier}): "
                f"tickets_get_event shows what is left of each tier, and tickets_hold_seats(tier='{tier}') holds them."
            )
        if tier:
            note = f"{read} {note}".strip()
        if rule:
            note = f"Read {shown(rule_words)} as {READ[rule]}. {note}".strip()
        if left:
            note = f"Read {shown(left_words)} as {LEFT_MEANS[left]}. {note}".strip()
        if part:
            where = "on the floor (standing room or stalls)" if part == "floor" else "in the stands"
            note = (
                f"Read {shown(part_words)} as where to be: events selling places {where}. Which seats is the hold's "
                f"to choose: tickets_hold_seats(tier={part_words!r}) holds there where one tier sells all of it, else "
                f"names the tiers that do. {note}"
            ).strip()
        if best is not None:
            note = (
                f"Read {shown(best[0].strip())} as which seats to hold: tickets_hold_seats(tier='best') takes the best "
                f"seats of the dearest tier, and tickets_get_seat_map shows every seat. {note}"
            ).strip()
        if in_other:  # '英文的话剧': matched by its surtitles only
            note = (
                f"No event that matches is performed in {in_other}: these are in another language with {in_other} "
                f"surtitles (each event's language says which). {note}"
            ).strip()
        if near_note:
            note = " ".join([near_note, note]).strip()
        if share:
            note = f"{share} {note}".strip()
        if seats:
            note = f"{note} Read {shown(seats_said)} as how many: hold them with tickets_hold_seats(quantity={seats})."
            note = note.strip()
        more = begin + limit < total and bool(chosen)
        shown_last = index.cursor_key(ranked, begin + len(chosen) - 1) if more else None
        nxt_cursor = key_cursor(shown_last, "tickets.events", asked) if shown_last is not None else ""
        return EventPage(events=events, page=PageInfo(next_cursor=nxt_cursor, total=total), note=note)

    def _open_air(
        self, words: str, query: str, venues: frozenset[str] | None
    ) -> tuple[str, str, frozenset[str] | None]:
        """The words without open-air ones ('室外', 'outdoor'), the words as said ('' if none, or if they are an event's
        own: 'Open Air Sessions'), and the venues to search: the open-air ones (within ``venues``), or ``venues``
        unchanged where the city has none (the caller's note says so)."""
        said = OPEN_AIR.search(words)
        if said is None or self.index.holds(query, said.group(0).lower()):
            return words, "", venues
        outdoors = self._open_air_venues
        if outdoors:
            venues = outdoors if venues is None else venues & outdoors
        return take_out(OPEN_AIR, words)[0], said.group(0), venues

    @cached_property
    def _events_selling(self) -> dict[str, frozenset[str]]:
        """The events that sell places on their venue's floor, and those that sell seats in its stands (worked out
        once per seat layout: a grown event has its real show's, ``Catalog.layout_model``)."""
        catalog = self.catalog
        models = {e.id: catalog.layout_model(e.id) for e in catalog.events.values()}
        out: dict[str, frozenset[str]] = {}
        for part in ("floor", "stands"):
            selling = set()
            for m in set(models.values()):
                event = catalog.events[m]
                if tiers_in(event, sections_in(part, catalog.venues[event.venue_id].sections)):
                    selling.add(m)
            out[part] = frozenset(e for e, m in models.items() if m in selling)
        return out

    @cached_property
    def _open_air_venues(self) -> frozenset[str]:
        return frozenset(v.id for v in self.catalog.venues.values() if v.kind in OPEN_AIR_KINDS)

    def _unless_titled(
        self, read: Callable[[str], tuple[str, str, str]], words: str, query: str
    ) -> tuple[str, str, str]:
        """What ``read`` finds said in ``words``: the words without it, what it names and the words as said; unless
        they are an event's own words ('VIP Night', 'Sold Out Tour'), which stay words to match (then what is named
        is '', and the words as said are kept)."""
        rest, named, said = read(words)
        if not named or self.index.holds(query, said.lower()):
            return words, "", said
        return rest, named, said

    def _with_availability(self, ranked: Ranked, wanted: frozenset[Availability], now: datetime) -> Ranked:
        """The ranked events whose availability now is one of ``wanted``: every matching session's count is read
        (one query), as only live counts say what is left. Key cursors page the rest as they page any search."""
        index = self.index
        positions = [int(e) for e in ranked.events]
        recs_of = index.sessions_of(ranked, positions)
        with Session(self.engine) as session:
            states = {st.rec.id: st for st in self.states(session, [s for e in positions for s in recs_of[e]], now)}
        keep = [self._availability([states[s.id] for s in recs_of[e]]) in wanted for e in positions]
        return index.only(ranked, keep)

    def _spoken_first(self, ranked: Ranked, language: str) -> tuple[Ranked, str]:
        """Without the events that have ``language`` only as surtitles, where one is performed in it ('英文的话剧',
        'comedy in English'): a language's words matched its surtitles too, so a play in Finnish with English
        surtitles answered 'plays in English'. Where none is, all of them, and the language to say the others
        have only as surtitles ('' when not, or when some matched by other words: 'Swedish Theatre' is a venue)."""
        if not language or not len(ranked.events):
            return ranked, ""
        descriptions = [self.index.events[int(e)].description for e in ranked.events]
        spoken = [spoken_in(d) == language for d in descriptions]
        surtitled = [not s and language in d and "surtitle" in d for s, d in zip(spoken, descriptions, strict=True)]
        if any(spoken):
            return self.index.only(ranked, [not s for s in surtitled]), ""
        return ranked, language if all(surtitled) else ""

    @staticmethod
    def _availability(states: list[SessionState]) -> Availability:
        on_sale = [st for st in states if st.status == "on_sale"]
        if on_sale:
            return "available" if max(st.total_remaining for st in on_sale) >= pricing.FEW_LEFT else "few_left"
        if any(st.status == "not_yet_on_sale" for st in states):
            return "not_yet_on_sale"
        if any(st.status == "sold_out" for st in states):  # a session all sold before its sale opens too
            return "sold_out"
        return "sales_closed"

    # ----- event details --------------------------------------------------------------
    def event_detail(self, event_id: str) -> EventDetail:
        event = self.event(event_id)
        venue = self.catalog.venues[event.venue_id]
        now = self.now()
        with Session(self.engine) as session:
            states = self.states(session, self.catalog.by_event.get(event.id, []), now)
            spaces = self.inventory.engine.free_spaces(session, [st.rec.id for st in states], now)
        sessions = [
            EventSession(
                id=st.rec.id,
                starts_at=local(st.rec.starts_at),
                ends_at=local(self.catalog.ends_at(st.rec)),
                status=st.status,
                sales_open_at=local(st.rec.sales_open_at),
                sales_close_at=local(st.rec.starts_at - pricing.SALES_CLOSE_BEFORE),
                tiers=self.tier_prices(event, st, spaces[st.rec.id]),
                remaining=st.total_remaining,
            )
            for st in states
        ]
        opens = local(event_sales_open(self.catalog, event))
        return EventDetail(
            id=event.id,
            title=event.display_title,
            category=event.category,
            category_label=event.category_label,
            performer=event.display_performer,
            genre=event.genre_label,
            description=event.description,
            duration_min=event.duration_min,
            venue=self.venue(venue),
            sessions=sessions,
            service_fee=self.money(event.service_fee_minor),
            per_user_limit=event.per_user_limit,
            real_name_required=event.real_name,
            refund_policy=event.refund_policy,
            refund_policy_text=pricing.POLICY_TEXT[event.refund_policy],
            sale_window=(
                f"On sale from {opens:%a %d %b %Y %H:%M} (Helsinki time) until one hour before each session starts. "
                f"At most {event.per_user_limit} tickets per account for this event."
            ),
        )

    # ----- seat map --------------------------------------------------------------------
    def tier_prices(self, event: EventRec, state: SessionState, spaces: Counter[str]) -> list[TierPrice]:
        """``spaces``: the session's free wheelchair spaces per tier (``SeatingEngine.free_spaces``)."""
        venue = self.catalog.venues[event.venue_id]
        return [
            TierPrice(
                code=t.code,
                name=t.label,
                price=self.money(state.rec.prices[t.code]),
                remaining=state.remaining.get(t.code, 0),
                wheelchair_spaces=min(spaces[t.code], state.remaining.get(t.code, 0)),
                sections=t.sections
                or sorted({s.code for s in venue.sections for r in s.rows if event.tier_for(s, r) is t}),
            )
            for t in event.tiers
        ]

    def seat_map(self, user_id: str, session_id: str, section: str = "") -> SeatMap:
        rec = self.session_rec(session_id)
        event = self.catalog.events[rec.event_id]
        venue = self.catalog.venues[event.venue_id]
        wanted = section.strip().upper()
        if wanted and self.catalog.section(venue.id, wanted) is None:
            # a section by its name, as the user says it ('Balcony', '楼座'), is that section
            named = [s for s in venue.sections if fold(section.strip()) in (fold(s.name), fold(s.name_zh))]
            if not named:
                codes = [
                    f"{s.code} ({s.name} / {s.name_zh})" if s.name_zh else f"{s.code} ({s.name})"
                    for s in venue.sections
                ]
                raise NotFoundError(
                    f"{venue.name} has no section {shown(section)}.",
                    f"Sections: {', '.join(codes)}; pass the code, or '' for all.",
                    field="section",
                )
            wanted = named[0].code
        now = self.now()
        with Session(self.engine) as session:
            self.accounts.user(session, user_id)
            state = self.states(session, [rec], now)[0]
            spaces = self.inventory.engine.free_spaces(session, [rec.id], now)[rec.id]
            drawn = self.inventory.engine.seat_map(session, rec.id, now=now, user_id=user_id, section=wanted)
        return SeatMap(
            session_id=rec.id,
            event_title=event.display_title,
            starts_at=local(rec.starts_at),
            status=state.status,
            seat_id_format=SEAT_ID_FORMAT,
            tiers=self.tier_prices(event, state, spaces),
            sections=drawn.sections,
        )

    # ----- attendees -------------------------------------------------------------------
    @staticmethod
    def attendee(row: AttendeeRow) -> Attendee:
        return Attendee(
            id=row.id,
            name=row.name,
            id_type=row.id_type,
            id_number_masked=pricing.mask_id(row.id_number),
        )

    def list_attendees(self, user_id: str) -> AttendeeList:
        with Session(self.engine) as session:
            self.accounts.user(session, user_id)
            rows = session.exec(
                select(AttendeeRow)
                .where(AttendeeRow.user_id == user_id)
                .order_by(col(AttendeeRow.created_at), col(AttendeeRow.id))
            ).all()
            return AttendeeList(attendees=[self.attendee(r) for r in rows])

    def save_attendee(self, user_id: str, data: AttendeeInput) -> Attendee:
        name = pricing.normalize_name(data.name)
        number = pricing.normalize_id(data.id_type, data.id_number)
        with session_scope(self.engine) as session:
            self.accounts.take_turn(session, user_id)
            existing = session.exec(
                select(AttendeeRow).where(
                    AttendeeRow.user_id == user_id,
                    AttendeeRow.id_type == data.id_type,
                    AttendeeRow.id_number == number,
                )
            ).first()
            if existing is not None:
                if not same_name(existing.name, name):
                    raise ConflictError(
                        f"This {data.id_type.replace('_', ' ')} number is already saved for {existing.name} "
                        f"({existing.id}).",
                        "One ID number belongs to one person: check the number, or use that attendee's id.",
                    )
                return self.attendee(existing)
            count = len(session.exec(select(AttendeeRow.id).where(AttendeeRow.user_id == user_id)).all())
            if count >= MAX_ATTENDEES:
                raise ConflictError(
                    f"An account keeps at most {MAX_ATTENDEES} attendees and this one has {count}, so "
                    f"{name} was not saved.",
                    "Buy for a saved attendee instead: their ids are in tickets_list_attendees.",
                    limit=MAX_ATTENDEES,
                )
            row = AttendeeRow(
                id=new_id("att"),
                user_id=user_id,
                name=name,
                id_type=data.id_type,
                id_number=number,
                created_at=self.now(),
            )
            session.add(row)
            return self.attendee(row)


def next_to_book(states: list[SessionState]) -> SessionState:
    """The session to send a user to, of an event's matching sessions (start order): the soonest on sale, else the
    soonest whose sale is still to open with tickets left, else the soonest. A session whose every seat went before
    its sale opens (all pre-sold) is nothing to wait for."""
    on_sale = [st for st in states if st.status == "on_sale"]
    coming = [st for st in states if st.status == "not_yet_on_sale"]
    return (on_sale or coming or states)[0]


def prices_left(states: list[SessionState], only: str = "") -> list[int]:
    """The face values a user can still buy: tiers with tickets left in the sessions on sale, else in those whose
    sale is still to open; none when nothing is left anywhere (the availability then says why). Every tier's price
    of a sold-out event read as 'from €28' to a user asking for concerts under €40. ``only``: of that tier (a kind
    of ticket said, 'VIP'), its face value even where it is gone: 'from €39' read as the VIP seats' price."""
    for status in ("on_sale", "not_yet_on_sale"):
        left = [
            st.rec.prices[tier]
            for st in states
            if st.status == status
            for tier, n in st.remaining.items()
            if n > 0 and tier in st.rec.prices and (not only or tier == only)
        ]
        if left:
            return left
    return [st.rec.prices[only] for st in states if only in st.rec.prices] if only else []


def in_band(prices: list[int], window: Window) -> list[int]:
    """Of ``prices``, those in the asked price range: Mahler under €40 is €29.50, not €29.50–€90. When the tiers in
    the range have gone since the event matched, all that is left (the event is still for sale, dearer)."""
    top = window.price_max or 10**12
    inside = [p for p in prices if window.price_min <= p <= top]
    return inside or prices


def same_name(saved: str, given: str) -> bool:
    """Whether two spellings of a name on one ID are the same person's: 'anna virtanen' is Anna Virtanen and '王 芳'
    is 王芳 (case, accents and spaces aside), so saving them again returns the saved attendee instead of refusing the
    ID as someone else's."""
    return fold(saved).replace(" ", "") == fold(given).replace(" ", "")


def event_sales_open(catalog: Catalog, event: EventRec) -> datetime:
    recs = catalog.by_event.get(event.id, [])
    return min(r.sales_open_at for r in recs)
