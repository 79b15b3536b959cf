"""Tickets' side of the shared seating engine (``shared.seating``): which seats an event sells.

The engine owns claims, best available and the one-holder-per-seat guarantee; this module gives
it what only ticketing knows: the layout of a venue *as zoned by an event* (a row belongs to the
tier naming its section or listing its rank; unzoned rows are not sold; rows are centred on their
section's centre line, so "the middle of the row" is the middle of the house), each session's prices,
and the seats sold before the season opened — a deterministic sample per session, better rows
first, never stored. Holds are the engine's (``tickets_seat_hold``), as in movies; what only
tickets adds to them — the event-wide per-account limit, attendees, the bill — lives in ``orders.py``.

A search page needs only how many seats each tier has left, for sessions drawn from the whole city (24k at
scale 100, so caches keyed by session miss). Those counts come from a ``Zoning`` — per seat its tier and row
rank, in the order the sample is drawn in — built from the venue's rows without compiling the layout (~9 ms a
hall the first time), and from the sample's positions in it, drawn in numpy with the very values
``random.Random`` gives (``_uniforms``): ~75 µs a session at scale 100 where building the seat set and counting
it per seat took ~320 µs. Holds, seat maps and orders still use the layout and the seat set (``spec``).
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from sqlmodel import Session

from shared.schemas.seating import LayoutRow, LayoutSeat, LayoutSection, SeatLayout, legacy_seat_id_of
from shared.seating import CompiledLayout, InventorySpec, SeatInfo, SeatingEngine, compile_layout

from .catalog import Catalog, EventRec, RowRec, SectionRec, TierRec
from .models import TicketsTable

_generators = threading.local()


def _uniforms(seed: str, n: int) -> npt.NDArray[np.float64]:
    """The first ``n`` values of ``random.Random(seed).random()``, drawn in numpy: ~25 µs for 300 or 1,092
    seats where a Python loop takes 28 or 82 µs. Both are the same Mersenne Twister seeded the same way —
    Python turns a str seed into the int ``seed + sha512(seed)`` and feeds its 32-bit words, least significant
    first, to ``init_by_array``, which is what numpy's legacy ``RandomState.seed`` does with an array — and
    both build a double from two 32-bit outputs alike, so the values are bit for bit the same (tests compare)."""
    data = seed.encode()
    number = int.from_bytes(data + hashlib.sha512(data).digest(), "big")
    key = np.frombuffer(number.to_bytes(max(1, (number.bit_length() + 31) // 32) * 4, "little"), dtype="<u4")
    rng: np.random.RandomState | None = getattr(_generators, "rng", None)
    if rng is None:  # one per thread: seeding and drawing must not interleave with another thread's
        rng = _generators.rng = np.random.RandomState()
    rng.seed(key)
    return rng.random_sample(n)


@dataclass(frozen=True)
class Zoning:
    """An event's sellable seats in the order of their older SECTION-ROW-NUMBER ids (as strings sort): the
    order the pre-sold sample has always been drawn in, so databases seeded before seat ids changed form
    keep their sample. Per seat its tier (an index into ``tiers``, listed as the layout first meets them)
    and its row's rank; per tier its seats."""

    legacy_ids: list[str]
    tiers: list[str]
    tier_of: npt.NDArray[np.intp]
    ranks: npt.NDArray[np.float64]
    totals: npt.NDArray[np.intp]


def zoned_rows(event: EventRec, sections: list[SectionRec]) -> list[tuple[SectionRec, list[tuple[RowRec, TierRec]]]]:
    """The sections as the event zones them, each with its rows a tier sells (unzoned rows are not sold)."""
    out = []
    for section in sections:
        rows = [(row, tier) for row in section.rows if (tier := event.tier_for(section, row)) is not None]
        if rows:
            out.append((section, rows))
    return out


class Inventory:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.engine = SeatingEngine(
            TicketsTable.metadata,
            "tickets",
            self.spec,
            unsold_for=self.unsold,
            buy_tool="tickets_purchase",
            release_tool="tickets_release_hold",
        )
        self._layout = lru_cache(maxsize=512)(self._layout_uncached)
        self._presold = lru_cache(maxsize=2048)(self._presold_uncached)
        self._spec = lru_cache(maxsize=2048)(self._spec_uncached)
        self._zoning = lru_cache(maxsize=512)(self._zoning_uncached)

    # ----- static: layouts, prices, pre-sold seats --------------------------------------
    def _layout_uncached(self, event_id: str) -> CompiledLayout:
        model = self.catalog.layout_model(event_id)
        if model != event_id:  # a grown copy of a real show in a copy of its hall: the very same seats
            return self._layout(model)
        event = self.catalog.events[event_id]
        venue = self.catalog.venues[event.venue_id]
        sections = []
        for section, zoned in zoned_rows(event, venue.sections):
            widest = max(row.seats for row in section.rows)
            rows = []
            for row, tier in zoned:
                offset = (widest - row.seats) // 2  # rows are centred on the section's centre line
                seats = [
                    LayoutSeat(
                        number=n,
                        x=offset + n - 1,
                        kind="accessible" if n in row.accessible else "standard",
                        tier=tier.code,
                    )
                    for n in range(1, row.seats + 1)
                ]
                rows.append(LayoutRow(label=row.label, rank=row.rank, seats=seats))
            name = f"{section.name} / {section.name_zh}" if section.name_zh else section.name
            sections.append(LayoutSection(code=section.code, name=name, standing=section.standing, rows=rows))
        return compile_layout(f"{venue.id}:{event.id}", SeatLayout(sections=sections), map_tool="tickets_get_seat_map")

    def layout(self, event: EventRec) -> CompiledLayout:
        return self._layout(event.id)

    def seats(self, event: EventRec) -> dict[str, SeatInfo]:
        return self._layout(event.id).seats

    def _zoning_uncached(self, event_id: str) -> Zoning:
        model = self.catalog.layout_model(event_id)
        if model != event_id:  # a grown copy of a real show in a copy of its hall, as in ``_layout``
            return self._zoning(model)
        event = self.catalog.events[event_id]
        seats: list[tuple[str, int, str]] = []  # (legacy id, rank, tier) of each seat, named as compile_layout does
        for section, zoned in zoned_rows(event, self.catalog.venues[event.venue_id].sections):
            for row, tier in zoned:
                seats += [
                    (legacy_seat_id_of(section.code, row.label, n), row.rank, tier.code)
                    for n in range(1, row.seats + 1)
                ]
        tiers = list(dict.fromkeys(tier for _, _, tier in seats))
        seats.sort(key=lambda s: s[0])
        tier_of = np.array([tiers.index(tier) for _, _, tier in seats], dtype=np.intp)
        return Zoning(
            legacy_ids=[legacy for legacy, _, _ in seats],
            tiers=tiers,
            tier_of=tier_of,
            ranks=np.array([rank for _, rank, _ in seats], dtype=np.float64),
            totals=np.bincount(tier_of, minlength=len(tiers)),
        )

    def zoning(self, event: EventRec) -> Zoning:
        return self._zoning(event.id)

    def _presold_positions(self, session_id: str) -> tuple[Zoning, npt.NDArray[np.intp]]:
        """The session's zoning and the positions in it of the seats sold before the season opened."""
        rec = self.catalog.sessions[session_id]
        event = self.catalog.events[rec.event_id]
        spec = next(s for s in event.sessions if s.id == session_id)
        zoning = self._zoning(event.id)
        k = len(zoning.legacy_ids) * spec.presold_percent // 100
        if not k:
            return zoning, np.zeros(0, dtype=np.intp)
        noise = _uniforms(f"presold:{session_id}", len(zoning.legacy_ids))
        # better seats sell first, with noise: the stable sort by rank + noise * 2.5 that sorted() did, in numpy
        return zoning, np.argsort(zoning.ranks + noise * 2.5, kind="stable")[:k]

    def _presold_uncached(self, session_id: str) -> frozenset[str]:
        zoning, positions = self._presold_positions(session_id)
        if not len(positions):
            return frozenset()
        aliases = self._layout(self.catalog.sessions[session_id].event_id).aliases
        return frozenset(aliases[zoning.legacy_ids[i]] for i in positions.tolist())

    def unsold(self, session_id: str) -> Counter[str]:
        """Per tier, the seats not sold before the season opened: what ``remaining`` starts from, counted
        without the layout or the sample's seat set (the engine caches it per session)."""
        zoning, positions = self._presold_positions(session_id)
        left = zoning.totals - np.bincount(zoning.tier_of[positions], minlength=len(zoning.tiers))
        return Counter(dict(zip(zoning.tiers, left.tolist(), strict=True)))

    def sold_before_sale(self) -> frozenset[str]:
        """The sessions every seat of which was sold before the season opened (``presold_percent`` 100: the sample
        takes all ``n * 100 // 100`` seats): sold out for good, since pre-sold seats are never claimed or refunded,
        and known from the catalog alone, without a count or a read of the database."""
        return frozenset(s.id for e in self.catalog.events.values() for s in e.sessions if s.presold_percent >= 100)

    def presold(self, session_id: str) -> frozenset[str]:
        return self._presold(session_id)

    def _spec_uncached(self, session_id: str) -> InventorySpec:
        rec = self.catalog.sessions[session_id]
        return InventorySpec(
            session_id, self._layout(rec.event_id), rec.prices, "EUR", blocked=self._presold(session_id)
        )

    def spec(self, session_id: str) -> InventorySpec:
        return self._spec(session_id)

    # ----- live state, through the engine -------------------------------------------------
    def remaining(self, session: Session, session_ids: list[str], now: datetime) -> dict[str, dict[str, int]]:
        return self.engine.remaining(session, session_ids, now)

    def resolve(self, event: EventRec, seat_ids: list[str]) -> list[SeatInfo]:
        return self._layout(event.id).resolve(seat_ids)

    def unsell(self, session: Session, session_id: str, seat_ids: list[str], order_id: str) -> None:
        self.engine.unsell(session, order_id, seat_ids, session_id)
