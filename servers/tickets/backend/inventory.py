"""Seat inventory of one session: the layout, who has which seat, and what is left.

This is the narrow interface the service and the orders desk use, so the shared seating engine
(``shared.seating``) can take its place without touching them. Until that engine exists, this
module implements it directly:

- ``seats(event)``: every sellable seat of the event's venue with its tier (from the event's
  zoning), label and accessibility; ``presold(session_id)``: seats sold to other customers before
  the season opened, a deterministic sample per session (better rows first), never stored;
- ``remaining`` per tier, ``taken`` (live claims), ``best_available`` (adjacent seats in the best
  row nearest the centre, else the best singles);
- ``claim`` (all or nothing, refusing seats that are gone), ``release``, ``sell`` (claims become
  sold seats of an order) and ``unsell`` (a refund puts seats back on sale).

Claims are sparse rows keyed by (session, seat), so two holds can never own one seat; a held
claim lapses when its ``expires_at`` passes, with no background job.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from shared.errors import ConflictError, InvalidInputError, NotFoundError

from .catalog import Catalog, EventRec, SessionRec
from .models import SeatClaimRow, utc


@dataclass(frozen=True)
class SeatInfo:
    seat_id: str
    section: str
    row: str
    number: int
    tier: str
    rank: int
    accessible: bool
    standing: bool
    label: str


class Inventory:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._seats = lru_cache(maxsize=512)(self._seats_uncached)
        self._presold = lru_cache(maxsize=1024)(self._presold_uncached)
        self._unsold = lru_cache(maxsize=1024)(self._unsold_uncached)

    # ----- static layout -------------------------------------------------------------
    def _seats_uncached(self, event_id: str) -> dict[str, SeatInfo]:
        event = self.catalog.events[event_id]
        venue = self.catalog.venues[event.venue_id]
        out: dict[str, SeatInfo] = {}
        for section in venue.sections:
            for row in section.rows:
                tier = event.tier_for(section, row)
                if tier is None:
                    continue
                for n in range(1, row.seats + 1):
                    sid = f"{section.code}-{row.label}-{n}"
                    label = (
                        f"{section.name}, place {n + sum(r.seats for r in section.rows[: section.rows.index(row)])}"
                        if section.standing
                        else f"{section.name}, row {row.label}, seat {n}"
                    )
                    out[sid] = SeatInfo(
                        sid,
                        section.code,
                        row.label,
                        n,
                        tier.code,
                        row.rank,
                        n in row.accessible,
                        section.standing,
                        label,
                    )
        return out

    def seats(self, event: EventRec) -> dict[str, SeatInfo]:
        return self._seats(event.id)

    def _presold_uncached(self, session_id: str) -> frozenset[str]:
        rec = self.catalog.sessions[session_id]
        event = self.catalog.events[rec.event_id]
        spec = next(s for s in event.sessions if s.id == session_id)
        seats = sorted(self._seats(event.id).values(), key=lambda s: s.seat_id)
        rng = random.Random(f"presold:{session_id}")
        ordered = sorted(seats, key=lambda s: s.rank + rng.random() * 2.5)  # better seats sell first, with noise
        k = len(seats) * spec.presold_percent // 100
        return frozenset(s.seat_id for s in ordered[:k])

    def presold(self, session_id: str) -> frozenset[str]:
        return self._presold(session_id)

    def _unsold_uncached(self, session_id: str) -> Counter[str]:
        """Seats per tier not sold before the season opened (static, so cached)."""
        sold = self._presold(session_id)
        seats = self._seats(self.catalog.sessions[session_id].event_id)
        return Counter(s.tier for s in seats.values() if s.seat_id not in sold)

    # ----- live state ----------------------------------------------------------------
    def taken(self, session: Session, session_id: str, now: datetime) -> dict[str, SeatClaimRow]:
        rows = session.exec(select(SeatClaimRow).where(SeatClaimRow.session_id == session_id)).all()
        return {r.seat_id: r for r in rows if r.order_id or utc(r.expires_at) > now}

    def remaining(self, session: Session, session_ids: list[str], now: datetime) -> dict[str, dict[str, int]]:
        """Per session, per tier: seats neither sold nor held."""
        if not session_ids:
            return {}
        claimed: Counter[tuple[str, str]] = Counter()
        rows = session.exec(
            select(SeatClaimRow.session_id, SeatClaimRow.tier, SeatClaimRow.order_id, SeatClaimRow.expires_at).where(
                col(SeatClaimRow.session_id).in_(session_ids)
            )
        ).all()
        for sid, tier, order_id, expires in rows:
            if order_id or utc(expires) > now:
                claimed[(sid, tier)] += 1
        out: dict[str, dict[str, int]] = {}
        for sid in session_ids:
            rec = self.catalog.sessions[sid]
            unsold = self._unsold(sid)
            out[sid] = {
                t.code: max(0, unsold[t.code] - claimed[(sid, t.code)]) for t in self.catalog.events[rec.event_id].tiers
            }
        return out

    def resolve(self, event: EventRec, seat_ids: list[str]) -> list[SeatInfo]:
        seats = self.seats(event)
        unknown = [s for s in seat_ids if s not in seats]
        if unknown:
            raise NotFoundError(
                f"Seat {unknown[0]!r} does not exist at this venue.",
                "Seat ids look like 'STL-5-12' (section-row-seat); read them from tickets_get_seat_map.",
                field="seat_ids",
            )
        if len(set(seat_ids)) != len(seat_ids):
            raise InvalidInputError("A seat is listed twice.", "List each seat id once.", field="seat_ids")
        return [seats[s] for s in seat_ids]

    def best_available(
        self, session: Session, rec: SessionRec, event: EventRec, tier: str, quantity: int, now: datetime
    ) -> list[SeatInfo]:
        """Adjacent seats in one row when possible (best rank, nearest the centre), else the best singles."""
        blocked = self.presold(rec.id) | set(self.taken(session, rec.id, now))
        free = [s for s in self.seats(event).values() if s.tier == tier and s.seat_id not in blocked]
        if len(free) < quantity:
            return []
        rows: dict[tuple[str, str], list[SeatInfo]] = {}
        for s in free:
            rows.setdefault((s.section, s.row), []).append(s)
        best: tuple[float, list[SeatInfo]] | None = None
        for (section_code, _row), seats in rows.items():
            seats.sort(key=lambda s: s.number)
            width = self._row_width(event, section_code, seats[0].row)
            for i in range(len(seats) - quantity + 1):
                run = seats[i : i + quantity]
                if run[-1].number - run[0].number != quantity - 1:
                    continue
                centre = abs((run[0].number + run[-1].number) / 2 - (width + 1) / 2) / max(width, 1)
                score = run[0].rank * 10 + centre
                if best is None or score < best[0]:
                    best = (score, run)
        if best is not None:
            return best[1]
        return sorted(free, key=lambda s: (s.rank, s.section, s.row, s.number))[:quantity]

    def _row_width(self, event: EventRec, section_code: str, row_label: str) -> int:
        section = self.catalog.section(event.venue_id, section_code)
        assert section is not None
        return next(r.seats for r in section.rows if r.label == row_label)

    def claim(
        self,
        session: Session,
        rec: SessionRec,
        seats: list[SeatInfo],
        hold_id: str,
        expires_at: datetime,
        now: datetime,
    ) -> None:
        """Claim free seats for a hold, or refuse naming the ones that are gone; all or nothing."""
        presold = self.presold(rec.id)
        taken = self.taken(session, rec.id, now)
        gone = [s.seat_id for s in seats if s.seat_id in presold or s.seat_id in taken]
        if gone:
            raise ConflictError(
                f"Seat(s) {', '.join(gone)} are no longer available.",
                "Read the seat map again (tickets_get_seat_map) and pick free seats, or hold best available by tier.",
                seats=gone,
            )
        # Clear lapsed holds on these seats. Only rows expired by now: a claim another transaction just
        # committed is live and must make our insert fail, never be deleted.
        session.exec(
            delete(SeatClaimRow).where(
                col(SeatClaimRow.session_id) == rec.id,
                col(SeatClaimRow.seat_id).in_([s.seat_id for s in seats]),
                col(SeatClaimRow.order_id) == "",
                col(SeatClaimRow.expires_at) <= now,
            )
        )
        for s in seats:
            session.add(
                SeatClaimRow(session_id=rec.id, seat_id=s.seat_id, tier=s.tier, hold_id=hold_id, expires_at=expires_at)
            )
        try:
            session.flush()
        except IntegrityError as exc:
            raise ConflictError(
                "Someone else took one of these seats a moment ago.",
                "Read the seat map again and choose other seats.",
            ) from exc

    def release(self, session: Session, session_id: str, hold_id: str) -> None:
        session.exec(
            delete(SeatClaimRow).where(
                col(SeatClaimRow.session_id) == session_id,
                col(SeatClaimRow.hold_id) == hold_id,
                col(SeatClaimRow.order_id) == "",
            )
        )

    def sell(self, session: Session, session_id: str, hold_id: str, order_id: str) -> int:
        rows = session.exec(
            select(SeatClaimRow).where(SeatClaimRow.session_id == session_id, SeatClaimRow.hold_id == hold_id)
        ).all()
        for r in rows:
            r.order_id = order_id
            session.add(r)
        return len(rows)

    def unsell(self, session: Session, session_id: str, seat_ids: list[str], order_id: str) -> None:
        session.exec(
            delete(SeatClaimRow).where(
                col(SeatClaimRow.session_id) == session_id,
                col(SeatClaimRow.order_id) == order_id,
                col(SeatClaimRow.seat_id).in_(seat_ids),
            )
        )
