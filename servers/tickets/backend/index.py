"""Indexes over the event catalog, so ``tickets_search_events`` touches what matches, not every event.

Built once per catalog (venues, events and sessions change only when the sandbox is reseeded):

- sessions as columns in start order (UTC epoch seconds, their event, local time of day, price range), so a
  date window or "from now on" is a binary search for a slice, and the other filters are array masks over
  that slice only;
- per event its category and venue, per venue its coordinates, so the category, area and distance are
  lookups and one vectorised haversine over venues, not a loop over events;
- an inverted index of the events' bilingual words (title, performer, category, venue, district, English and
  中文): a query word is matched against the vocabulary — a few thousand distinct words even at scale 100 — and
  each hit brings its events, instead of scanning every event's text.

Live availability (seats left) stays in the database and is read only for the page being returned. Only what
the catalog alone says is sold out ranks by it: a session whose every seat was sold before its sale opened
(``Inventory.sold_before_sale``) never has a ticket to sell, so an event with nothing else matching comes after
every event that may. That costs a search a lookup of a dozen sessions, not a count of seats, and cannot change
under writes, so a cursor's key stays where it was between pages.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from shared.cursor import count_through, not_our_cursor
from shared.geo import CITY_TZ, EARTH_RADIUS_M
from shared.schemas.tickets import CATEGORY_ZH
from shared.text import ASKING_CHARACTERS, as_words, cut_at_known, fold

from .catalog import Catalog, EventRec, SessionRec
from .rule_words import RULES, follows
from .tier_words import SEATED, UNSEATED

CATEGORIES = list(CATEGORY_ZH)
PRICE_SPAN = 10**8
"""More cents than any ticket costs: a score times this, less a price, ranks by score and then by price."""
FUZZY_MIN_LEN = 5
FUZZY_CUTOFF = 80

Ints = npt.NDArray[np.int64]
NO_SESSION = np.iinfo(np.int64).max
CONNECTORS = frozenset({"and", "ja", "och", "和", "与", "及"})
"""Words that only join names: titles write 'Mikko & Wei' or 'Ink and Water' at will, and people type 'Mikko and
Wei' or 'Mikko ja Wei', so a query never requires them."""
FILLERS = frozenset({"ticket", "tickets", "lippu", "liput", "show", "shows", "event", "events", "门票", "票"})
"""Words for what every event here is ('Peer Gynt tickets', 'a family show', '吉赛尔 门票'): no title holds them,
so requiring them would find nothing."""
ASKING = frozenset(
    {
        *("a", "an", "the", "in", "at", "on", "of", "for", "with", "to", "by", "some", "any", "i", "we", "me", "us"),
        *("near", "around", "nearby", "close", "friendly", "suitable"),
        *("something", "anything", "fun", "good", "nice", "great", "interesting", "want", "see", "watch", "go"),
        *("do", "things", "out", "find", "looking", "please", "upcoming", "soon", "coming", "latest"),
        *("jotain", "kivaa", "hauskaa", "hyvä"),
    }
)
"""Words that only ask ('something fun this weekend', 'stand-up comedy in English', 'upcoming concerts': every event
here is upcoming, soonest first): every query word must match,
and these matched nothing or a stray 'in' of 'Lost in Helsinki', so the two found nothing and three of eight
comedies."""
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_ASKING = re.compile(
    r"有什么|有没有|什么|好玩的?|好看的?|推荐一下|推荐|我?想看|我?想去|适合|附近的?|演出|节目|表演|活动|找一场|找个|帮我找"
    r"|最近|近期|最新|即将(?:开始|上演)?"
    r"|(?<!\S)有(?=[\u3400-\u9fff]|\s)|[吗呢吧](?=\s|$)"
)
"""Chinese that only asks, or says what every event here is ('这周末有什么演出' = 'what shows are on this weekend',
'有演唱会吗' = 'are there concerts?', '最近的演唱会' = 'concerts coming up': every event here is, soonest first,
'有什么好玩的' = 'anything fun'), cut from a query as ``ASKING`` and ``FILLERS`` words are: written without spaces it
was one word no event has, and both found nothing."""


SCRIPT_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+")


def _punctuation(c: str) -> bool:
    return unicodedata.category(c).startswith("P")


def query_words(query: str) -> list[str]:
    """The words of a query that must each match, folded: punctuation around a word is dropped ('《雷雨》',
    'Giselle?', 'Xia,'), and so are words of punctuation alone ('-', '&', '—'), connectors ('and', 'ja'), words
    every event is ('tickets', 'show') and words that only ask (``ASKING``), which say nothing about which event. A
    query of only punctuation or connectors keeps them."""
    # 的 ties Chinese words ('带孩子的活动', '林夏的演唱会'): each side is a word ('带孩子的' was none an event has);
    # one starting a word is what tied it to a word said before it ('有站票的演出' without 站票 matched every 的)
    words = CJK_ASKING.sub(" ", re.sub(r"(?:(?<=[\u3400-\u9fff])|(?<!\S))的", " ", fold(query))).split()
    kept = []
    for raw in words:
        start, end = 0, len(raw)
        while start < end and _punctuation(raw[start]):
            start += 1
        while end > start and _punctuation(raw[end - 1]):
            end -= 1
        word = raw[start:end]
        if word and word not in CONNECTORS and word not in FILLERS and word not in ASKING:
            kept.append(word)
    # 'shows' or 'something fun' alone: every event, as an empty query
    return kept or [w for w in words if w not in FILLERS and w not in ASKING]


@dataclass(frozen=True)
class Window:
    """What a search asks of a session's time and price (None/0 = open)."""

    after: datetime
    first: date | None = None
    last: date | None = None
    earliest: time | None = None
    latest: time | None = None
    price_min: int = 0
    price_max: int = 0


@dataclass
class Ranked:
    """Matching events in search order, and for each the positions of its matching sessions' columns."""

    events: Ints  # event positions, best first
    sold_out: Ints  # 1 where every matching session was sold before its sale opened (those rank last), else 0
    score: Ints  # with ``cheap``, the score times ``PRICE_SPAN`` less the lowest price
    distance: Ints  # rounded metres (0 without a point)
    first_start: Ints  # epoch seconds of the earliest matching session
    sessions: Ints  # matching session positions, in start order


def _members(wanted: Ints, sorted_items: Ints) -> npt.NDArray[np.bool_]:
    """Which of ``wanted`` are in ``sorted_items`` (ascending): a binary search each, for a few of many."""
    at = np.searchsorted(sorted_items, wanted)
    inside = at < len(sorted_items)
    inside[inside] = sorted_items[at[inside]] == wanted[inside]
    return inside


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _midnight(day: date) -> float:
    return datetime.combine(day, time(0, 0), tzinfo=CITY_TZ).timestamp()


class EventIndex:
    def __init__(self, catalog: Catalog, *, sold_out: Collection[str] = ()) -> None:
        """``sold_out``: sessions sold out for good before their sale opened (``Inventory.sold_before_sale``)."""
        self.catalog = catalog
        self.event_ids = sorted(catalog.events)
        self.event_pos = {e: i for i, e in enumerate(self.event_ids)}
        self.events: list[EventRec] = [catalog.events[e] for e in self.event_ids]
        self.venue_ids = sorted(catalog.venues)
        venue_pos = {v: i for i, v in enumerate(self.venue_ids)}
        self.venue_lat = np.radians([catalog.venues[v].lat for v in self.venue_ids])
        self.venue_lng = np.radians([catalog.venues[v].lng for v in self.venue_ids])
        self.category = np.array([CATEGORIES.index(e.category) for e in self.events], dtype=np.int8)
        self.event_venue = np.array([venue_pos[e.venue_id] for e in self.events], dtype=np.int64)
        codes = {t.code for e in self.events for t in e.tiers}
        self.selling = {c: np.array([any(t.code == c for t in e.tiers) for e in self.events]) for c in codes}
        self.selling[SEATED] = np.array([any(t.code not in UNSEATED for t in e.tiers) for e in self.events])
        """The events that sell each tier ('VIP', 'STANDING'), and any seat (``SEATED``): a kind of ticket said in a
        search."""
        self.under = {r: np.array([follows(e, r) for e in self.events], dtype=bool) for r in RULES}
        """The events under each ticket rule ('refundable', 'real_name'): a rule said in a search."""

        self.sessions: list[SessionRec] = sorted(catalog.sessions.values(), key=lambda s: (s.starts_at, s.id))
        self.start = np.array([int(s.starts_at.timestamp()) for s in self.sessions], dtype=np.int64)
        self.s_event = np.array([self.event_pos[s.event_id] for s in self.sessions], dtype=np.int64)
        self.time_of_day = np.array(
            [_seconds(s.starts_at.astimezone(CITY_TZ).time()) for s in self.sessions], dtype=np.int64
        )
        self.price_lo = np.array([min(s.prices.values(), default=0) for s in self.sessions], dtype=np.int64)
        self.price_hi = np.array([max(s.prices.values(), default=0) for s in self.sessions], dtype=np.int64)
        pairs = [(i, p) for i, s in enumerate(self.sessions) for p in sorted(s.prices.values())]
        self.price_session = np.array([i for i, _ in pairs], dtype=np.int64)  # ascending: sliceable like ``start``
        self.price = np.array([p for _, p in pairs], dtype=np.int64)
        # The events with a session sold out for good (a dozen in the city) and every session of theirs, as flat
        # columns: which of those a search matches is then one binary search over a few dozen positions.
        gone = np.array([s.id in sold_out for s in self.sessions], dtype=bool)
        self.gone = gone
        self.gone_events = np.unique(self.s_event[gone])
        self.watched = np.flatnonzero(np.isin(self.s_event, self.gone_events))  # their sessions, ascending
        self.watched_owner = np.searchsorted(self.gone_events, self.s_event[self.watched])  # index in gone_events
        self.watched_gone = gone[self.watched]

        # folded once: ``holds`` reads the texts of every event a query matches again
        self.texts = [fold(catalog.search_text[e]) for e in self.event_ids]
        postings: dict[str, set[int]] = {}
        for i, text in enumerate(self.texts):
            for token in text.split():
                postings.setdefault(token, set()).add(i)
        self.vocabulary = sorted(postings)
        self.postings = {t: np.array(sorted(ids), dtype=np.int64) for t, ids in postings.items()}
        self.word = lru_cache(maxsize=2048)(self._word_uncached)
        self._cjk_vocabulary = [t for t in self.vocabulary if CJK.search(t)]
        self._four_letter_words: dict[str, list[str]] = {}
        """The Latin words of four letters, by their first: a near spelling of four letters is one letter off."""
        for t in self.vocabulary:
            if len(t) == FUZZY_MIN_LEN - 1 and t.isalpha() and t.isascii():
                self._four_letter_words.setdefault(t[0], []).append(t)
        self._in_cjk_word = lru_cache(maxsize=8192)(self._in_cjk_word_uncached)

    # ----- words ------------------------------------------------------------------------------------
    def _word_uncached(self, word: str) -> tuple[Ints, Ints]:
        """The events one query word matches and how well: 3 when a word of theirs starts with it, 2 when one
        contains it, 1 when one is a near spelling (5+ letters, ≥ 80 % alike; of four, one letter off a word of four
        with its first letter, where nothing holds it: 'pier' is 'peer') — the rules the scan applied. Chinese
        has no near spellings: one character more or less is another word, and '芬兰国家歌剧院' (the opera) matched
        the National Theatre's 芬兰国家剧院."""
        score = np.zeros(len(self.event_ids), dtype=np.int64)
        for token in self.vocabulary:
            if word in token:
                hits = self.postings[token]
                score[hits] = np.maximum(score[hits], 3 if token.startswith(word) else 2)
        if len(word) >= FUZZY_MIN_LEN and not CJK.search(word):
            fuzzy = np.zeros(len(self.event_ids), dtype=bool)
            for token, _, _ in process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
            ):
                fuzzy[self.postings[token]] = True
            score[fuzzy & (score == 0)] = 1
        elif len(word) == FUZZY_MIN_LEN - 1 and word.isalpha() and word.isascii() and not score.any():
            # 'Pier Gynt': a four-letter word on no event, one letter off one of theirs of four with its first letter
            for token in self._four_letter_words.get(word[0], ()):
                if DamerauLevenshtein.distance(word, token) == 1:
                    score[self.postings[token]] = 1
        hits = np.flatnonzero(score)
        return hits, score[hits]

    def _in_cjk_word_uncached(self, piece: str) -> bool:
        return any(piece in token for token in self._cjk_vocabulary)

    def segment(self, word: str) -> list[str]:
        """Chinese written without spaces ('林夏演唱会', '周宇的演唱会') as the words of the catalog it holds: from
        the left, the longest run that occurs in a word of the catalog ('林夏', then '演唱会'); a character that
        starts no run of two ('的', '票') is dropped. [] when nothing is left."""
        return cut_at_known(word, self._in_cjk_word)

    def terms(self, query: str) -> list[str]:
        """The query's words (``query_words``); one with Chinese in it that no event's word holds is split where
        the script changes ('gynt的票' → 'gynt', '的票') and its Chinese runs by ``segment``."""
        out: list[str] = []
        for word in query_words(query):
            if CJK.search(word) and not len(self.word(word)[0]):
                pieces = [
                    piece
                    for run in SCRIPT_RUNS.findall(word)
                    for piece in (self.segment(run) if CJK.match(run) else query_words(run))
                ]
                if pieces or not all(c in ASKING_CHARACTERS for c in word):
                    out += pieces or [word]
                # else it only asks ('看' of '看演出', '去看看'): it was kept, and found nothing
            else:
                out.append(word)
        return out

    def query_score(self, query: str) -> Ints | None:
        """Per event the summed score of every query word, 0 where a word does not match; None for no query."""
        words = self.terms(query)
        if not words:
            return None
        total = np.zeros(len(self.event_ids), dtype=np.int64)
        every = np.ones(len(self.event_ids), dtype=bool)
        for word in words:
            hits, score = self.word(word)
            one = np.zeros(len(self.event_ids), dtype=np.int64)
            one[hits] = score
            every &= one > 0
            total += one
        return np.where(every, total, 0)

    def holds(self, query: str, phrase: str) -> bool:
        """Whether an event the whole query matches has ``phrase`` (folded) among its words: in 'Ink Painting
        Today' the word is the title's, not a day."""
        score = self.query_score(query)
        if score is None:
            return False
        pattern = re.compile(as_words(phrase))
        return any(pattern.search(self.texts[i]) for i in np.flatnonzero(score).tolist())

    # ----- sessions ---------------------------------------------------------------------------------
    def _slice(self, window: Window) -> tuple[int, int]:
        """The start-ordered positions of sessions after ``window.after`` within its dates."""
        lo_t = window.after.timestamp()
        if window.first is not None:
            lo_t = max(lo_t, _midnight(window.first) - 0.5)
        lo = int(np.searchsorted(self.start, lo_t, side="right"))
        hi = len(self.sessions)
        if window.last is not None:
            hi = int(np.searchsorted(self.start, _midnight(window.last + timedelta(days=1)), side="left"))
        return lo, max(lo, hi)

    def matching_sessions(self, window: Window, events: npt.NDArray[np.bool_]) -> Ints:
        """Positions (start order) of the sessions in ``window`` of the events flagged in ``events``."""
        lo, hi = self._slice(window)
        keep = events[self.s_event[lo:hi]]
        if window.earliest is not None:
            keep &= self.time_of_day[lo:hi] >= _seconds(window.earliest)
        if window.latest is not None:
            keep &= self.time_of_day[lo:hi] <= _seconds(window.latest)
        if window.price_min or window.price_max:
            top = window.price_max or 10**12
            a, b = np.searchsorted(self.price_session, [lo, hi], side="left")
            inside = (self.price[a:b] >= window.price_min) & (self.price[a:b] <= top)
            priced = np.zeros(hi - lo, dtype=bool)
            priced[self.price_session[a:b][inside] - lo] = True
            keep &= priced & ~self.gone[lo:hi]  # a sold-out session has no price left to be within a budget
        return lo + np.flatnonzero(keep)

    # ----- search -----------------------------------------------------------------------------------
    def distances(self, lat: float, lng: float) -> Ints:
        """Rounded metres from the point to every event's venue (the haversine of ``shared.geo``)."""
        la, lo = np.radians(lat), np.radians(lng)
        h = (
            np.sin((self.venue_lat - la) / 2) ** 2
            + np.cos(la) * np.cos(self.venue_lat) * np.sin((self.venue_lng - lo) / 2) ** 2
        )
        metres = np.rint(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(h))).astype(np.int64)
        return metres[self.event_venue]

    def venues_named(self, venue_ids: Collection[str]) -> npt.NDArray[np.bool_]:
        wanted = np.zeros(len(self.venue_ids), dtype=bool)
        wanted[[bisect.bisect_left(self.venue_ids, v) for v in venue_ids]] = True
        return wanted[self.event_venue]

    def search(
        self,
        window: Window,
        *,
        category: str = "any",
        query: str = "",
        venues: Collection[str] | None = None,
        near: tuple[float, float] | None = None,
        cheap: bool = False,
        tier: str = "",
        rule: str = "",
    ) -> Ranked:
        """Events with at least one matching session, ordered by query score (best first), with ``cheap`` then by
        the lowest face value of their matching sessions, by distance from ``near`` (nearest first), their earliest
        matching session, then id. The price is folded into the score (``PRICE_SPAN``), so a cursor keeps its form."""
        wanted = np.ones(len(self.event_ids), dtype=bool)
        if category != "any":
            wanted &= self.category == CATEGORIES.index(category)
        if venues is not None:
            wanted &= self.venues_named(venues)
        if tier:
            wanted &= self.selling.get(tier, np.zeros(len(self.event_ids), dtype=bool))
        if rule:
            wanted &= self.under[rule]
        score = self.query_score(query)
        if score is not None:
            wanted &= score > 0
        sessions = self.matching_sessions(window, wanted)
        # each event's earliest matching session: positions are in start order, so the least one; a scatter-min
        # over the events, not np.unique's sort of every matching session (~1.4 ms for the whole city at scale)
        first = np.full(len(self.event_ids), NO_SESSION, dtype=np.int64)
        np.minimum.at(first, self.s_event[sessions], sessions)
        events = np.flatnonzero(first != NO_SESSION)
        first_start = self.start[first[events]]
        got_score = score[events] if score is not None else np.zeros(len(events), dtype=np.int64)
        if cheap:  # 'cheap concerts', '便宜的音乐会': the lowest face value first among equally good matches
            lowest = np.full(len(self.event_ids), PRICE_SPAN - 1, dtype=np.int64)
            np.minimum.at(lowest, self.s_event[sessions], self.price_lo[sessions])
            got_score = got_score * PRICE_SPAN - lowest[events]
        distance = self.distances(*near)[events] if near else np.zeros(len(events), dtype=np.int64)
        gone = self.sold_out_events(sessions)  # a subset of ``events``, which is ascending
        sold_out = np.zeros(len(events), dtype=np.int64)
        sold_out[np.searchsorted(events, gone)] = 1
        ranks_by_score = score is not None or cheap
        keys = [events, first_start] + ([distance] if near else []) + ([-got_score] if ranks_by_score else [])
        keys += [sold_out] if len(gone) else []
        order = np.lexsort(keys)  # the keys left out are 0 for every event: the same order, fewer passes
        return Ranked(events[order], sold_out[order], got_score[order], distance[order], first_start[order], sessions)

    def sold_out_events(self, sessions: Ints) -> Ints:
        """The events every one of whose ``sessions`` (positions, ascending) was sold out before its sale opened:
        only events with such a session can be one, a dozen in the city, so this reads their sessions alone."""
        if not len(self.gone_events) or not len(sessions):
            return np.zeros(0, dtype=np.int64)
        matched = _members(self.watched, sessions)
        k = len(self.gone_events)
        gone = np.bincount(self.watched_owner[matched & self.watched_gone], minlength=k)
        live = np.bincount(self.watched_owner[matched & ~self.watched_gone], minlength=k)
        return self.gone_events[(gone > 0) & (live == 0)]

    def start_after(self, ranked: Ranked, key: tuple[object, ...]) -> int:
        """How many ranked events come at or before the cursor's (sold out, score, distance, start, event id). A
        cursor issued before sold-out events ranked last has no first part: its event was among the others."""
        if len(key) == 4:
            key = (0, *key)
        if len(key) != 5 or not isinstance(key[4], str) or not all(isinstance(k, int | float) for k in key[:4]):
            raise not_our_cursor()
        event_id = key[4]
        pos: float = self.event_pos.get(event_id, bisect.bisect_left(self.event_ids, event_id) - 0.5)
        parts = (ranked.sold_out, -ranked.score, ranked.distance, ranked.first_start, ranked.events)
        return count_through(parts, (*key[:4], pos))

    def cursor_key(self, ranked: Ranked, i: int) -> tuple[int, int, int, int, str]:
        return (
            int(ranked.sold_out[i]),
            -int(ranked.score[i]),
            int(ranked.distance[i]),
            int(ranked.first_start[i]),
            self.event_ids[int(ranked.events[i])],
        )

    def only(self, ranked: Ranked, keep: list[bool]) -> Ranked:
        """``ranked`` with only the events ``keep`` marks (one flag per ranked event), in the same order."""
        mask = np.asarray(keep, dtype=bool)
        kept = np.zeros(len(self.event_ids), dtype=bool)
        kept[ranked.events[mask]] = True
        return Ranked(
            events=ranked.events[mask],
            sold_out=ranked.sold_out[mask],
            score=ranked.score[mask],
            distance=ranked.distance[mask],
            first_start=ranked.first_start[mask],
            sessions=ranked.sessions[kept[self.s_event[ranked.sessions]]],
        )

    def sessions_of(self, ranked: Ranked, events: list[int]) -> dict[int, list[SessionRec]]:
        """The matching sessions of a page's events, each in start order."""
        chosen = np.zeros(len(self.event_ids), dtype=bool)
        chosen[events] = True
        mine = ranked.sessions[chosen[self.s_event[ranked.sessions]]]
        out: dict[int, list[SessionRec]] = {e: [] for e in events}
        for pos in mine.tolist():
            out[int(self.s_event[pos])].append(self.sessions[pos])
        return out
