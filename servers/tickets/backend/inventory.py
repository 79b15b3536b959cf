"""Tickets' side of the shared seating engine (``shared.seating``): which seats an event sells.

The engine owns claims, best available and the one-holder-per-seat guarantee; this module gives
it what only ticketing knows: the layout of a venue *as zoned by an event* (a row belongs to the
tier naming its section or listing its rank; unzoned rows are not sold; rows are centred on their
section's centre line, so "the middle of the row" is the middle of the house), each session's prices,
and the seats sold before the season opened — a deterministic sample per session, better rows
first, never stored. Holds are the engine's (``tickets_seat_hold``), as in movies; what only
tickets adds to them — the event-wide per-account limit, attendees, the bill — lives in ``orders.py``.
"""

from __future__ import annotations

import random
from datetime import datetime
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from sqlmodel import Session

from shared.schemas.seating import LayoutRow, LayoutSeat, LayoutSection, SeatLayout
from shared.seating import CompiledLayout, InventorySpec, SeatInfo, SeatingEngine, compile_layout

from .catalog import Catalog, EventRec
from .models import TicketsTable


class Inventory:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.engine = SeatingEngine(TicketsTable.metadata, "tickets", self.spec)
        self._layout = lru_cache(maxsize=512)(self._layout_uncached)
        self._presold = lru_cache(maxsize=2048)(self._presold_uncached)
        self._spec = lru_cache(maxsize=2048)(self._spec_uncached)
        self._by_legacy_id = lru_cache(maxsize=512)(self._by_legacy_id_uncached)

    # ----- static: layouts, prices, pre-sold seats --------------------------------------
    def _layout_uncached(self, event_id: str) -> CompiledLayout:
        model = self.catalog.layout_model(event_id)
        if model != event_id:  # a grown copy of a real show in a copy of its hall: the very same seats
            return self._layout(model)
        event = self.catalog.events[event_id]
        venue = self.catalog.venues[event.venue_id]
        sections = []
        for section in venue.sections:
            widest = max(row.seats for row in section.rows)
            rows = []
            for row in section.rows:
                tier = event.tier_for(section, row)
                if tier is None:
                    continue
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
            if rows:
                name = f"{section.name} / {section.name_zh}" if section.name_zh else section.name
                sections.append(LayoutSection(code=section.code, name=name, standing=section.standing, rows=rows))
        return compile_layout(f"{venue.id}:{event.id}", SeatLayout(sections=sections), map_tool="tickets_get_seat_map")

    def layout(self, event: EventRec) -> CompiledLayout:
        return self._layout(event.id)

    def seats(self, event: EventRec) -> dict[str, SeatInfo]:
        return self._layout(event.id).seats

    def _presold_uncached(self, session_id: str) -> frozenset[str]:
        rec = self.catalog.sessions[session_id]
        event = self.catalog.events[rec.event_id]
        spec = next(s for s in event.sessions if s.id == session_id)
        # in the order of the older seat ids, so a database seeded before ids changed form keeps its sample
        seat_ids, ranks = self._by_legacy_id(self.catalog.layout_model(event.id))
        k = len(seat_ids) * spec.presold_percent // 100
        if not k:
            return frozenset()
        rng = random.Random(f"presold:{session_id}")
        noise = np.array([rng.random() for _ in range(len(seat_ids))])
        # better seats sell first, with noise: the stable sort by rank + noise * 2.5 that sorted() did, in numpy
        ordered = np.argsort(ranks + noise * 2.5, kind="stable")[:k]
        return frozenset(seat_ids[i] for i in ordered.tolist())

    def _by_legacy_id_uncached(self, event_id: str) -> tuple[list[str], npt.NDArray[np.float64]]:
        seats = sorted(self._layout(event_id).seats.values(), key=lambda s: s.legacy_id)
        return [s.seat_id for s in seats], np.array([s.rank for s in seats], dtype=np.float64)

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
