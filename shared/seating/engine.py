"""The seat-inventory engine both seated verticals use: who holds or owns which seat of a session.

The rule it exists for: *a seat of one session is held or sold by at most one user at a time*.
The database guarantees it, not the code path: every live claim is a row whose primary key is
(inventory, seat), so a second claim on the same seat fails on insert — on SQLite (writers
serialise on ``BEGIN IMMEDIATE``) and on PostgreSQL (the loser's insert waits on the winner's
uncommitted row, then fails as a unique violation). A hold's claims carry its expiry; a lapsed
claim counts as free everywhere and is deleted by the next hold that wants the seat, so holds
lapse by themselves on the simulated clock with no background job.

Selling turns a hold's claims into permanent ones (``order_id`` set); a refund deletes them, which
puts the seats back on sale. Static facts — the layout, prices, seats sold before the sale opened
— come from the vertical through ``spec_for``; only claims and holds are stored here, in two
tables created on the vertical's own ``MetaData`` with its prefix.

Seat ids changed form (``STL-5-12`` became ``STL-ROW5-SEAT12``); claims and holds written before keep
the old form in existing databases. Everything read back goes through ``CompiledLayout.canonical``,
and statements that look claims up by seat look for both forms, so an old claim still keeps its seat.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    bindparam,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlmodel import Session

from shared.clock import utc
from shared.errors import ConflictError, InvalidInputError, NotFoundError, shown
from shared.geo import CITY_TZ
from shared.kit.db import Read, Rows, joined_strings, pipelined, upsert
from shared.schemas.common import Money, new_id
from shared.schemas.seating import (
    HeldSeat,
    HoldStatus,
    RowMap,
    SeatHold,
    SeatMap,
    SectionMap,
    TierAvailability,
)

from .layout import CompiledLayout, SeatInfo

MAX_SEATS_PER_HOLD = 10
BUSY_HINT_S = 0.5
"""How long best available in this process steers around seats another request here just claimed or found busy."""

_TRY = "seat_try"
"""The savepoint a best-available try on PostgreSQL goes back to when it falls short (``SeatingEngine._claim_pg``)."""

_SEP = "\x1f"
"""Between the seat ids of one string (a control character: no id has it)."""


def _run(session: Session, statement: Any, params: Any = None) -> Any:
    """Core statements on the session's own connection and transaction (SQLModel wants ORM ones)."""
    return session.connection().execute(statement, params)


@dataclass(frozen=True)
class InventorySpec:
    """The static side of one session or showtime: its layout, prices per tier, seats not for sale."""

    inventory_id: str
    layout: CompiledLayout
    prices: Mapping[str, int]  # tier -> price of one seat in minor units
    currency: str = "EUR"
    blocked: frozenset[str] = field(default_factory=frozenset)  # sold before the sale opened, or not for sale

    def price(self, tier: str) -> int:
        return self.prices[tier]


@dataclass(frozen=True)
class LiveHold:
    """A live hold and the request key it was made under (``SeatHold`` does not show it to users)."""

    hold: SeatHold
    request_key: str


def seat_tables(metadata: MetaData, prefix: str, *, holds: bool = True) -> tuple[Table, Table | None]:
    """The engine's tables on a vertical's ``MetaData``; idempotent, so ``models.py`` can declare them
    at import (before ``create_all``) and every app built later finds the same ones."""
    claims = metadata.tables.get(f"{prefix}_seat_claim")
    if claims is None:
        claims = Table(
            f"{prefix}_seat_claim",
            metadata,
            Column("inventory_id", String(64), primary_key=True),
            Column("seat_id", String(64), primary_key=True),
            Column("tier", String(32), nullable=False),
            Column("hold_id", String(64), nullable=False, index=True),
            Column("user_id", String(64), nullable=False, index=True),
            Column("order_id", String(64), nullable=False, default="", index=True),
            Column("expires_at", DateTime(timezone=True), nullable=False),
        )
    if not holds:
        return claims, None
    hold_table = metadata.tables.get(f"{prefix}_seat_hold")
    if hold_table is None:
        hold_table = Table(
            f"{prefix}_seat_hold",
            metadata,
            Column("id", String(64), primary_key=True),
            Column("inventory_id", String(64), nullable=False, index=True),
            Column("user_id", String(64), nullable=False, index=True),
            Column("request_key", String(256), nullable=False, default=""),
            Column("seats", JSON, nullable=False),  # [[seat_id, price_minor], ...] priced at hold time
            Column("total_minor", Integer, nullable=False),
            Column("currency", String(3), nullable=False),
            Column("created_at", DateTime(timezone=True), nullable=False),
            Column("expires_at", DateTime(timezone=True), nullable=False),
            Column("released_at", DateTime(timezone=True), nullable=True),
            Column("order_id", String(64), nullable=False, default=""),
        )
    return claims, hold_table


class SeatingEngine:
    """Holds, sales and seat maps over one vertical's claim and hold tables."""

    def __init__(
        self,
        metadata: MetaData,
        prefix: str,
        spec_for: Callable[[str], InventorySpec],
        *,
        holds: bool = True,
        unsold_for: Callable[[str], Counter[str]] | None = None,
        buy_tool: str = "the purchase tool",
        release_tool: str = "the release tool",
    ) -> None:
        """``holds=False`` for a vertical that keeps its own hold records and uses only the claims.
        ``unsold_for`` gives an inventory's per-tier count of seats not blocked when the vertical can count them
        more cheaply than building its spec: ``remaining`` (every search page) then needs no spec at all.
        ``buy_tool`` and ``release_tool``: the vertical's tools a refusal names for a hold the user already has."""
        self.spec_for = spec_for
        self.buy_tool = buy_tool
        self.release_tool = release_tool
        self.unsold_for = unsold_for
        self.prefix = prefix
        self.claims, hold_table = seat_tables(metadata, prefix, holds=holds)
        self._hold_table = hold_table
        c = self.claims.c
        # Built once: the hot reads run with parameters only, no expression building per call.
        self._live_owners = select(c.seat_id, c.user_id, c.order_id).where(
            c.inventory_id == bindparam("inv"), (c.order_id != "") | (c.expires_at > bindparam("now"))
        )
        # One string of every live seat id, not a row each: a sale's hot read of hundreds of seats per hold, where
        # fetching them row by row through the result machinery cost more than the query.
        self._live_seats = select(joined_strings(c.seat_id, bindparam("sep", _SEP)).label("seats")).where(
            c.inventory_id == bindparam("inv"), (c.order_id != "") | (c.expires_at > bindparam("now"))
        )
        self._claims_in = select(c.inventory_id, c.tier, c.order_id, c.expires_at).where(
            c.inventory_id.in_(bindparam("invs", expanding=True))
        )
        self._unsold = lru_cache(maxsize=4096)(self._unsold_uncached)
        self._hint_lock = threading.Lock()
        self._busy: dict[str, dict[str, float]] = {}  # inventory -> seat -> until (monotonic): see _reserve
        self._lost: dict[str, float] = {}  # inventory -> until when a try here lately lost a race (see _reserve)

    @property
    def holds(self) -> Table:
        if self._hold_table is None:
            raise RuntimeError("this SeatingEngine was built with holds=False")
        return self._hold_table

    @cached_property
    def _live_holds(self) -> Select[Any]:
        """A user's live holds, newest first: built once, as it is read on every hold through a desk."""
        h = self.holds.c
        return (
            select(self.holds)
            .where(
                h.user_id == bindparam("user_id"),
                h.order_id == "",
                h.released_at.is_(None),
                h.expires_at > bindparam("now"),
            )
            .order_by(h.created_at.desc())
        )

    @cached_property
    def _live_holds_in(self) -> Select[Any]:
        """``_live_holds`` in some inventories only."""
        return self._live_holds.where(self.holds.c.inventory_id.in_(bindparam("invs", expanding=True)))

    # ----- reading --------------------------------------------------------------------------------
    def spec(self, inventory_id: str) -> InventorySpec:
        return self.spec_for(inventory_id)

    def unavailable(self, session: Session, spec: InventorySpec, now: datetime) -> set[str]:
        """Seats nobody may take now: live claims (filtered in the database) and blocked seats."""
        return self.unavailable_from(pipelined(session, [self.unavailable_read(spec.inventory_id, now)])[0], spec)

    def unavailable_read(self, inventory_id: str, now: datetime) -> Read:
        """``unavailable``'s read, for a caller that sends it with others (``pipelined``)."""
        return self._live_seats, {"inv": inventory_id, "now": now}

    def unavailable_from(self, rows: Rows, spec: InventorySpec) -> set[str]:
        """``unavailable`` from the rows of its read."""
        live = rows[0]["seats"] if rows else None
        seats = set(live.split(_SEP)) if live else set()
        aliases = spec.layout.aliases
        older = seats & aliases.keys()  # claims written with the older ids
        if older:
            seats.difference_update(older)
            seats.update(aliases[sid] for sid in older)
        return seats | spec.blocked

    @staticmethod
    def _both_forms(spec: InventorySpec, seat_ids: Iterable[str]) -> list[str]:
        """These seats under their ids and under the older ids claims written before may carry."""
        out: list[str] = []
        for sid in seat_ids:
            info = spec.layout.seats.get(spec.layout.canonical(sid))
            out += [sid] if info is None else [info.seat_id, info.legacy_id]
        return list(dict.fromkeys(out))

    def _unsold_uncached(self, inventory_id: str) -> Counter[str]:
        if self.unsold_for is not None:
            return self.unsold_for(inventory_id)
        spec = self.spec(inventory_id)
        counts = Counter(spec.layout.tier_totals)
        for seat_id in spec.blocked:
            info = spec.layout.seats.get(seat_id)
            if info is not None:
                counts[info.tier] -= 1
        return counts

    def remaining(self, session: Session, inventory_ids: Sequence[str], now: datetime) -> dict[str, dict[str, int]]:
        """Per inventory, per tier: seats neither sold, held, nor blocked."""
        if not inventory_ids:
            return {}
        claimed: Counter[tuple[str, str]] = Counter()
        rows = _run(session, self._claims_in, {"invs": list(inventory_ids)}).all()
        for inventory_id, tier, order_id, expires_at in rows:
            if order_id or utc(expires_at) > now:
                claimed[(inventory_id, tier)] += 1
        out: dict[str, dict[str, int]] = {}
        for inventory_id in inventory_ids:
            unsold = self._unsold(inventory_id)
            out[inventory_id] = {t: max(0, n - claimed[(inventory_id, t)]) for t, n in unsold.items()}
        return out

    def free_spaces(self, session: Session, inventory_ids: Sequence[str], now: datetime) -> dict[str, Counter[str]]:
        """Per inventory, per tier: wheelchair spaces neither sold, held nor blocked. ``remaining`` counts them
        too, yet only a wheelchair request gets one, so anyone else can get the difference: 'remaining 2' may be
        two spaces and nothing for them. One read of the few spaces' claims, never of every seat's."""
        specs = {inv: self.spec(inv) for inv in dict.fromkeys(inventory_ids)}
        open_spaces = {inv: [s for s in sp.layout.spaces if s.seat_id not in sp.blocked] for inv, sp in specs.items()}
        out = {inv: Counter(s.tier for s in spaces) for inv, spaces in open_spaces.items()}
        ids = list({sid for spaces in open_spaces.values() for s in spaces for sid in (s.seat_id, s.legacy_id)})
        if not ids:
            return out
        c = self.claims.c
        rows = _run(
            session,
            select(c.inventory_id, c.seat_id).where(
                c.inventory_id.in_([inv for inv, spaces in open_spaces.items() if spaces]),
                c.seat_id.in_(ids),
                (c.order_id != "") | (c.expires_at > now),
            ),
        ).all()
        taken = {(inv, specs[inv].layout.canonical(seat_id)) for inv, seat_id in rows}  # either id form, once
        for inv, seat_id in taken:
            info = specs[inv].layout.seats.get(seat_id)
            if info is not None and info.accessible:
                out[inv][info.tier] -= 1
        return out

    def user_seat_count(self, session: Session, user_id: str, inventory_ids: Sequence[str], now: datetime) -> int:
        """Seats this user holds (live) or bought in these inventories: what per-user limits count."""
        if not inventory_ids:
            return 0
        c = self.claims.c
        rows = _run(
            session,
            select(c.order_id, c.expires_at).where(c.user_id == user_id, c.inventory_id.in_(list(inventory_ids))),
        ).all()
        return sum(1 for order_id, expires_at in rows if order_id or utc(expires_at) > now)

    def seat_map(
        self, session: Session, inventory_id: str, *, now: datetime, user_id: str = "", section: str = ""
    ) -> SeatMap:
        """Rows as strings (see ``SEAT_MAP_LEGEND``) plus free/total counts per tier and section."""
        spec = self.spec(inventory_id)
        layout = spec.layout
        wanted = section.strip().upper()
        if wanted and wanted not in layout.section_codes():
            raise NotFoundError(
                f"There is no section {shown(section)} here.",
                f"Sections: {', '.join(layout.section_codes())}; or leave section empty for all.",
                field="section",
            )
        owners = session.connection().execute(self._live_owners, {"inv": inventory_id, "now": now}).all()
        canonical = layout.aliases.get
        mine = {canonical(sid, sid) for sid, owner, order_id in owners if user_id and owner == user_id and not order_id}
        taken = {canonical(sid, sid) for sid, _, _ in owners} | spec.blocked
        touched: dict[int, list[str]] = {}
        taken_by_tier: Counter[str] = Counter()
        for sid in taken:
            index = layout.row_of.get(sid)
            if index is not None:
                touched.setdefault(index, []).append(sid)
                taken_by_tier[layout.seats[sid].tier] += 1
        sections: dict[str, SectionMap] = {}
        for index, plan in enumerate(layout.rows):
            code = plan.section.code
            if wanted and code != wanted:
                continue
            hits = touched.get(index, ())
            chars = plan.base.copy()
            for sid in hits:
                chars[plan.slot[sid]] = "y" if sid in mine else "x"
            free = len(plan.seats) - len(hits)
            spaces = sum(1 for seat in plan.seats if seat.accessible) - sum(
                1 for sid in hits if layout.seats[sid].accessible
            )
            sec = sections.get(code)
            if sec is None:
                sec = sections[code] = SectionMap(
                    code=code,
                    name=plan.section.name,
                    standing=plan.section.standing,
                    tiers=[],
                    free=0,
                    total=0,
                    rows=[],
                )
            sec.free += free
            sec.wheelchair_spaces += spaces
            sec.total += len(plan.seats)
            sec.tiers.extend(t for t in plan.tiers if t not in sec.tiers)
            if not plan.section.standing:
                sec.rows.append(
                    RowMap.model_construct(
                        row=plan.row.label,
                        first=plan.seats[0].number,
                        seats="".join(chars),
                        tier=plan.tier,
                        tier_runs=plan.tier_runs,
                        free=free,
                    )
                )
        free_by_tier = {t: n - taken_by_tier[t] for t, n in layout.tier_totals.items()}
        tiers = [
            TierAvailability(
                tier=t, price=Money.of(spec.price(t), spec.currency), free=free_by_tier[t], total=layout.tier_totals[t]
            )
            for t in layout.tiers
        ]
        return SeatMap(
            inventory_id=inventory_id,
            free=sum(free_by_tier.values()),
            total=len(layout.seats),
            tiers=tiers,
            sections=list(sections.values()),
        )

    # ----- claims: the primitives holds are made of -----------------------------------------------
    def claim(
        self,
        session: Session,
        spec: InventorySpec,
        seats: Sequence[SeatInfo],
        *,
        hold_id: str,
        user_id: str,
        expires_at: datetime,
        now: datetime,
        fresh_pick: bool = False,
    ) -> None:
        """Claim all of ``seats`` for a hold or none of them, naming the ones that are gone.

        ``fresh_pick`` is for a caller that has just read the claims to choose these seats (best
        available): they were free then, and the upsert below catches anyone faster. Otherwise the
        seats are checked here first, so the refusal can name the ones that are gone.
        """
        c = self.claims.c
        ids = [s.seat_id for s in seats]
        if not fresh_pick:
            rows = _run(
                session,
                select(c.seat_id, c.order_id, c.expires_at).where(
                    c.inventory_id == spec.inventory_id, c.seat_id.in_(self._both_forms(spec, ids))
                ),
            ).all()
            live = {spec.layout.canonical(r[0]) for r in rows if r[1] or utc(r[2]) > now}
            gone = sorted(live | (set(ids) & spec.blocked))
            if gone:
                raise self._gone(session, spec, gone, user_id=user_id, now=now)
        rows_in = [
            {
                "inventory_id": spec.inventory_id,
                "seat_id": s.seat_id,
                "tier": s.tier,
                "hold_id": hold_id,
                "user_id": user_id,
                "order_id": "",
                "expires_at": expires_at,
            }
            for s in sorted(seats, key=lambda seat: seat.seat_id)  # every writer locks seats in one order: no deadlock
        ]
        # An upsert that may only take over a *lapsed* claim: a live one (someone faster) makes the
        # row come back empty instead of aborting the transaction. On PostgreSQL it first waits for
        # a transaction still writing that seat. One compiled statement for many rows.
        ins = upsert(session.connection().dialect.name, self.claims)
        stmt = ins.on_conflict_do_update(
            index_elements=[c.inventory_id, c.seat_id],
            set_={
                "tier": ins.excluded.tier,
                "hold_id": ins.excluded.hold_id,
                "user_id": ins.excluded.user_id,
                "order_id": "",
                "expires_at": ins.excluded.expires_at,
            },
            where=(c.order_id == "") & (c.expires_at <= now),
        ).returning(c.seat_id)
        inserted = _run(session, stmt, rows_in).all()
        if len(inserted) != len(seats):
            self.release_claims(session, spec.inventory_id, hold_id)  # undo the part we did get
            raise ConflictError(
                "Someone else took one of these seats a moment ago.",
                f"Read {spec.layout.map_tool} again and choose other seats, or ask for best available seats.",
            )

    def _gone(
        self, session: Session, spec: InventorySpec, gone: list[str], *, user_id: str, now: datetime
    ) -> ConflictError:
        """The refusal of explicit seats that are taken. Seats the user's own live hold has are named with that
        hold: "no longer available" sent the model back to a seat map that shows them as its own. Read only here,
        on the refusal path, so a hold that succeeds pays nothing."""
        c = self.claims.c
        rows = _run(
            session,
            select(c.seat_id, c.hold_id).where(
                c.inventory_id == spec.inventory_id, c.user_id == user_id, c.order_id == "", c.expires_at > now
            ),
        ).all()
        held: dict[str, list[str]] = {}  # the user's live holds here -> all their seats
        for seat_id, hold_id in rows:
            held.setdefault(hold_id, []).append(spec.layout.canonical(seat_id))
        wanted = set(gone)
        mine = {hold_id: sorted(seats) for hold_id, seats in sorted(held.items()) if wanted & set(seats)}
        others = sorted(wanted.difference(*mine.values()))
        if not mine:
            asked = [spec.layout.seats[sid] for sid in gone if sid in spec.layout.seats]
            near = spec.layout.nearest_free(asked, self.unavailable(session, spec, now))
            offer, them = "", "other seats"
            if near:
                ids = ", ".join(s.seat_id for s in near)
                offer = f"The nearest free {'seats' if len(near) > 1 else 'seat'} of tier {near[0].tier}: {ids}. "
                them = "them" if len(near) > 1 else "it"
            return ConflictError(
                f"Seat(s) {', '.join(gone)} are no longer available.",
                f"{offer}Hold {them}, read {spec.layout.map_tool} again and pick free seats, or ask for best "
                "available seats by tier.",
                seats=gone,
                **({"nearest_free": [s.seat_id for s in near]} if near else {}),
            )
        yours = "; ".join(
            f"{', '.join(sorted(wanted & set(seats)))} in your hold {hold_id} (holding {', '.join(seats)})"
            for hold_id, seats in mine.items()
        )
        what = f"Seat(s) {', '.join(others)} are no longer available, and you" if others else "You"
        it = "it" if len(mine) == 1 else "them"
        hint = (
            f"Keep using {', '.join(mine)} (buy {it} with {self.buy_tool}), or release {it} with {self.release_tool} "
            "first and hold again the seats you want."
        )
        if others:
            hint += f" For {', '.join(others)}, read {spec.layout.map_tool} again and pick free seats."
        return ConflictError(f"{what} already hold {yours}.", hint, seats=gone, your_holds=mine)

    def _lock_in_order(self, session: Session, *where: Any) -> None:
        """Lock the claim rows a statement is about to change, in seat order, as every writer does (claims
        are inserted in seat order too): two transactions then never wait for each other in a circle.

        Seat order is byte order (``COLLATE "C"``), the order Python sorts the ids it inserts in: a database
        whose default collation ignores punctuation would otherwise put ``AB-ROW1-SEAT1`` before ``A-ROW1-SEAT1``.
        """
        c = self.claims.c
        if session.connection().dialect.name == "postgresql":  # SQLite writers take turns anyway
            in_order = (c.inventory_id.collate("C"), c.seat_id.collate("C"))
            _run(session, select(c.seat_id).where(*where).order_by(*in_order).with_for_update())

    def release_claims(self, session: Session, inventory_id: str, hold_id: str) -> int:
        c = self.claims.c
        self._lock_in_order(session, c.inventory_id == inventory_id, c.hold_id == hold_id, c.order_id == "")
        freed = _run(
            session,
            delete(self.claims)
            .where(c.inventory_id == inventory_id, c.hold_id == hold_id, c.order_id == "")
            .returning(c.seat_id),
        ).scalars()
        seat_ids = list(freed)
        self._forget_busy(inventory_id, seat_ids)  # given back: the next pick here may take them at once
        return len(seat_ids)

    def sell_claims(self, session: Session, inventory_id: str, hold_id: str, order_id: str, now: datetime) -> int:
        """Make a live hold's claims permanent; returns how many seats that was (0 if the hold lapsed)."""
        c = self.claims.c
        self._lock_in_order(session, c.inventory_id == inventory_id, c.hold_id == hold_id)
        result = _run(
            session,
            update(self.claims)
            .where(c.inventory_id == inventory_id, c.hold_id == hold_id, c.order_id == "", c.expires_at > now)
            .values(order_id=order_id),
        )
        return int(result.rowcount or 0)

    def unsell(self, session: Session, order_id: str, seat_ids: Iterable[str], inventory_id: str = "") -> int:
        """A refund: the order's seats go back on sale (with ``inventory_id``, whichever id form they were sold
        under)."""
        c = self.claims.c
        ids = self._both_forms(self.spec(inventory_id), seat_ids) if inventory_id else list(seat_ids)
        where = [c.order_id == order_id, c.seat_id.in_(ids)]
        if inventory_id:
            where.append(c.inventory_id == inventory_id)
        self._lock_in_order(session, *where)
        stmt = delete(self.claims).where(*where)
        result = _run(session, stmt)
        return int(result.rowcount or 0)

    # ----- holds ----------------------------------------------------------------------------------
    def choose_check(self, spec: InventorySpec, *, tier: str, quantity: int, wheelchair: bool = False) -> None:
        """Refuse a best-available request that cannot mean anything here (before touching the database)."""
        layout = spec.layout
        if not tier or quantity < 1:
            raise InvalidInputError(
                "Say which seats: seat ids, or a tier and a quantity of at least 1.",
                f"Tiers here: {', '.join(layout.tiers)}.",
            )
        if tier not in layout.tier_totals:
            raise InvalidInputError(
                f"There is no tier {shown(tier)} here.", f"Tiers here: {', '.join(layout.tiers)}.", field="tier"
            )
        if wheelchair and tier not in layout.wheelchair_tiers:
            raise InvalidInputError(
                f"Tier {tier} has no wheelchair spaces here.",
                f"Wheelchair spaces are in tier(s): {', '.join(layout.wheelchair_tiers) or 'none'}.",
                field="tier",
            )
        if quantity > MAX_SEATS_PER_HOLD:
            raise InvalidInputError(
                f"{quantity} seats is more than one hold takes ({MAX_SEATS_PER_HOLD}).",
                "Ask for fewer seats.",
                field="quantity",
            )

    def choose(
        self,
        session: Session,
        spec: InventorySpec,
        *,
        now: datetime,
        seat_ids: Sequence[str] | None = None,
        tier: str = "",
        quantity: int = 0,
        allow_split: bool = False,
        wheelchair: bool = False,
    ) -> list[SeatInfo]:
        """The seats a hold request means: explicit ids, or best available ``quantity`` in ``tier`` (with
        ``wheelchair``: one wheelchair space of ``tier`` and ``quantity - 1`` companion seats beside it, or on a
        standing floor places of the same section)."""
        layout = spec.layout
        if seat_ids:
            if tier or quantity:
                raise InvalidInputError(
                    "Give either seat ids or a tier with a quantity, not both.",
                    "Pass seat_ids alone to pick seats, or tier and quantity for best available.",
                )
            seats = layout.resolve(seat_ids)
            if len(seats) > MAX_SEATS_PER_HOLD:
                raise InvalidInputError(
                    f"{len(seats)} seats is more than one hold takes ({MAX_SEATS_PER_HOLD}).",
                    "Hold fewer seats.",
                    field="seat_ids",
                )
            return seats
        self.choose_check(spec, tier=tier, quantity=quantity, wheelchair=wheelchair)
        unavailable = self.unavailable(session, spec, now)
        seats = spec.layout.best_available(tier, quantity, unavailable, allow_split=allow_split, wheelchair=wheelchair)
        if not seats:
            raise self._none_left(session, spec, tier, quantity, now, wheelchair=wheelchair)
        return seats

    def _none_left(
        self, session: Session, spec: InventorySpec, tier: str, quantity: int, now: datetime, *, wheelchair: bool
    ) -> ConflictError:
        layout = spec.layout
        # a sold-out sale ends every request here: read which seats are taken only when the tier has spaces to count
        taken = self.unavailable(session, spec, now) if any(s.tier == tier for s in layout.spaces) else set()
        spaces = [s for s in layout.spaces if s.tier == tier and s.seat_id not in taken]
        if wheelchair:
            if not spaces:
                return ConflictError(
                    f"No wheelchair space of tier {tier} is free.",
                    f"Try another showing or session, or look for 'a' on {layout.map_tool}.",
                    field="quantity",
                    wheelchair_spaces=0,
                )
            companions = quantity - 1
            if all(s.standing for s in spaces):
                return self._no_standing_companions(layout, spaces, taken, tier, companions)
            return ConflictError(
                f"{len(spaces)} wheelchair space(s) of tier {tier} are free, but none has {companions} free companion "
                f"seat(s) right beside it.",
                f"Ask for fewer companions (quantity counts the space), or hold the space alone and companion "
                f"seats nearby by seat id from {layout.map_tool}.",
                field="quantity",
                wheelchair_spaces=len(spaces),
            )
        # ``remaining`` counts the tier's free wheelchair spaces too, but only a wheelchair request gets them
        left = max(0, self.remaining(session, [spec.inventory_id], now)[spec.inventory_id].get(tier, 0) - len(spaces))
        standing = all(s.standing for s in layout.seats.values() if s.tier == tier)
        what = "place" if standing else "seat"
        besides = f", besides {len(spaces)} wheelchair space(s) that only a wheelchair request gets" if spaces else ""
        if left < quantity:
            return ConflictError(
                f"Tier {tier} is sold out{besides}."
                if left == 0
                else f"Only {left} {what}(s) left in tier {tier}{besides}.",
                "Ask for another tier." if left == 0 else "Ask for fewer seats or another tier.",
                field="quantity",
                remaining=left,
                wheelchair_spaces=len(spaces),
            )
        return ConflictError(
            f"No {quantity} seats side by side are left in tier {tier} ({left} single seats remain{besides}).",
            f"Ask for fewer seats, another tier, or pick seats from {layout.map_tool}.",
            field="quantity",
            remaining=left,
            wheelchair_spaces=len(spaces),
        )

    @staticmethod
    def _no_standing_companions(
        layout: CompiledLayout, spaces: list[SeatInfo], taken: set[str], tier: str, companions: int
    ) -> ConflictError:
        """A standing area has no 'beside': a space's companions are any free places of its tier in the same
        section (``layout._windows``), so the refusal says how many that section has, and what quantity fits."""
        others = Counter(
            s.section for s in layout.seats.values() if s.tier == tier and not s.accessible and s.seat_id not in taken
        )
        section = max(dict.fromkeys(s.section for s in spaces), key=lambda code: others[code])
        room = others[section]
        name = next(p.section.name for p in layout.rows if p.section.code == section)
        fix = (
            f"Ask for quantity={room + 1} or fewer (quantity counts the space and its companions), or another session."
            if room
            else "Hold the space alone (quantity=1), or try another session."
        )
        return ConflictError(
            f"{len(spaces)} wheelchair space(s) of tier {tier} are free in the standing area {name}, where companions "
            f"stand anywhere in the same area, but only {room} other place(s) of tier {tier} are free there for "
            f"the {companions} companion(s) asked.",
            fix,
            field="quantity",
            wheelchair_spaces=len(spaces),
            companion_places=room,
        )

    def _hold_best_pg(
        self,
        session: Session,
        spec: InventorySpec,
        *,
        hold_id: str,
        user_id: str,
        tier: str,
        quantity: int,
        now: datetime,
        expires_at: datetime,
        request_key: str,
        allow_split: bool,
        wheelchair: bool,
        unavailable: set[str] | None = None,
    ) -> dict[str, Any]:
        """Best available on PostgreSQL in one statement per try: lock, claim and record the hold.

        The hot path under contention. Seats another transaction is busy with (advisory try-lock)
        or that someone holds are simply not claimed; a try that got fewer than all its seats
        undoes itself and picks again around them. The claim key still makes double holds impossible.
        """
        if unavailable is None:
            unavailable = self.unavailable(session, spec, now)
        tried: set[str] = set()  # seats a try did not get: busy in another transaction, or just taken
        savepoint_set = False  # the savepoint a short try goes back to (``_claim_pg``)
        for attempt in range(8):
            seats, busy = self._reserve(
                spec, tier, quantity, unavailable | tried, attempt, allow_split=allow_split, wheelchair=wheelchair
            )
            if not seats and (tried or busy):
                # Every seat left was busy a moment ago, but busy is not taken: two racers for the last seats can
                # each lock one of them and both give up. Look again at what is really held once they are done.
                time.sleep(random.uniform(0.001, 0.005))
                tried = set()
                unavailable = self.unavailable(session, spec, now)
                seats = spec.layout.best_available(
                    tier, quantity, unavailable, allow_split=allow_split, wheelchair=wheelchair
                )
                if seats:
                    with self._hint_lock:
                        self._mark(spec.inventory_id, seats)
            if not seats:
                break
            row = self._hold_row(hold_id, spec, user_id, request_key, seats, now, expires_at)
            in_order = sorted(seats, key=lambda seat: seat.seat_id)  # every writer locks seats in one order
            held = self._claim_pg(
                session,
                first=not savepoint_set,
                params={
                    "seat_ids": [seat.seat_id for seat in in_order],
                    "tiers": [seat.tier for seat in in_order],
                    "lock_prefix": f"{self.prefix}:{spec.inventory_id}:",
                    "inv": spec.inventory_id,
                    "hold_id": hold_id,
                    "user_id": user_id,
                    "expires_at": expires_at,
                    "now": now,
                    "n": len(seats),
                    "request_key": request_key,
                    "seats_json": json.dumps(row["seats"]),
                    "total": row["total_minor"],
                    "currency": spec.currency,
                },
            )
            savepoint_set = True
            if held:
                return row
            self._lost[spec.inventory_id] = time.monotonic() + BUSY_HINT_S
            tried.update(seat.seat_id for seat in seats)
            if attempt % 3 == 2:
                unavailable = self.unavailable(session, spec, now)
        raise self._none_left(session, spec, tier, quantity, now, wheelchair=wheelchair)

    def _reserve(
        self,
        spec: InventorySpec,
        tier: str,
        quantity: int,
        avoid: set[str],
        attempt: int,
        *,
        allow_split: bool,
        wheelchair: bool,
    ) -> tuple[list[SeatInfo], bool]:
        """Pick the seats for one try and mark them busy here in the same step; also whether any were busy.

        Racing requests all want the same best seats, and a claim is invisible to the others until its
        transaction commits, so without the mark most tries under contention collide and start over. Picking
        and marking under one lock means two requests in this process never try the same seats at once.
        Requests in other processes (the provider's other workers) do not see the marks: once a try here lost
        a race to one of them (in the last ``BUSY_HINT_S``), every pick here is a random one of about as many
        good windows as this process marked lately, plus three (``near_best(rough=True)``: the best rows'
        windows, not the exact best) — a sale that fast hands out those seats within half a second anyway,
        and two processes no longer send all their requests at the same few seats (in bench_holds 1.5 tries
        per hold became 1.05; a cap of 16 windows left 1.15-1.4). A request that lost a race itself
        (``attempt`` > 0) picks among at least the ``2 * attempt + 1`` best left. Skipping busy seats only
        changes which free seats are tried; the database still decides.
        """
        layout = spec.layout
        with self._hint_lock:
            busy = self._busy_live(spec.inventory_id)
            avoid = avoid | busy if busy else avoid
            racing = self._lost.get(spec.inventory_id, 0.0) > time.monotonic()
            spread = max(2 * attempt + 1 if attempt else 0, len(busy) // max(quantity, 1) + 3 if racing else 0)
            near = []
            if spread:
                near = layout.near_best(tier, quantity, avoid, spread, wheelchair=wheelchair, rough=racing)
            if near:
                seats = random.choice(near)
            else:
                seats = layout.best_available(tier, quantity, avoid, allow_split=allow_split, wheelchair=wheelchair)
            if seats:
                self._mark(spec.inventory_id, seats)
        return seats, bool(busy)

    def _mark(self, inventory_id: str, seats: list[SeatInfo]) -> None:
        """A try here is about to claim these seats (the caller holds ``_hint_lock``)."""
        until = time.monotonic() + BUSY_HINT_S
        self._busy.setdefault(inventory_id, {}).update(dict.fromkeys((seat.seat_id for seat in seats), until))

    def _busy_live(self, inventory_id: str) -> set[str]:
        """Seats a request in this process is claiming or claimed, or found busy, in the last ``BUSY_HINT_S``
        (the caller holds ``_hint_lock``)."""
        seats = self._busy.get(inventory_id)
        if not seats:
            return set()
        clock = time.monotonic()
        live = {seat: until for seat, until in seats.items() if until > clock}
        if len(live) < len(seats):
            if live:
                self._busy[inventory_id] = live
            else:
                del self._busy[inventory_id]
        return set(live)

    def _forget_busy(self, inventory_id: str, seat_ids: Iterable[str]) -> None:
        with self._hint_lock:
            seats = self._busy.get(inventory_id)
            if seats:
                for seat in seat_ids:
                    seats.pop(seat, None)

    def _claim_pg(self, session: Session, *, first: bool, params: dict[str, Any]) -> bool:
        """One try's claim (``_claim_sql``): whether it got every seat and recorded the hold.

        A try that falls short is undone whole, row locks included (its conflicting upserts lock rows even when
        they change nothing): locks kept from one try while the next takes others, in seat order again, would not
        be in one order any more, and three such transactions deadlocked (issue 11). So every try runs after a
        savepoint and a short one goes back to it. The savepoint is set with the first try's statement in one round
        trip (psycopg's pipeline) and never released: the transaction's commit ends it, so the common case — the
        first try gets its seats — costs one round trip, not three (SAVEPOINT, the claim, RELEASE).
        """
        pg: Any = session.connection().connection.driver_connection  # psycopg's: SQLAlchemy has no pipeline
        with pg.pipeline():
            if first:
                pg.execute(f"SAVEPOINT {_TRY}")
            found = pg.execute(self._claim_sql, params)
        _got, held = found.fetchone()
        if not held:
            pg.execute(f"ROLLBACK TO SAVEPOINT {_TRY}")  # the savepoint stays for the next try
        return bool(held)

    @cached_property
    def _claim_sql(self) -> str:
        """The claim of one best-available try on PostgreSQL (lock, claim and record the hold in one statement), as
        psycopg runs it on the session's own connection (``%(name)s`` parameters): compiled once."""
        from sqlalchemy.dialects.postgresql.psycopg import dialect  # only a PostgreSQL sandbox needs it

        claims, holds = self.claims.name, self.holds.name
        statement = text(
            f"""
WITH picked AS (
    SELECT * FROM unnest(CAST(:seat_ids AS text[]), CAST(:tiers AS text[])) AS p(seat_id, tier)
), c AS (
    INSERT INTO {claims} (inventory_id, seat_id, tier, hold_id, user_id, order_id, expires_at)
    SELECT :inv, p.seat_id, p.tier, :hold_id, :user_id, '', :expires_at FROM picked p
    WHERE pg_try_advisory_xact_lock(hashtextextended(:lock_prefix || p.seat_id, 0))
    ON CONFLICT (inventory_id, seat_id) DO UPDATE
        SET tier = EXCLUDED.tier, hold_id = EXCLUDED.hold_id, user_id = EXCLUDED.user_id,
            order_id = '', expires_at = EXCLUDED.expires_at
        WHERE {claims}.order_id = '' AND {claims}.expires_at <= :now
    RETURNING seat_id
), h AS (
    INSERT INTO {holds} (id, inventory_id, user_id, request_key, seats, total_minor, currency,
                         created_at, expires_at, released_at, order_id)
    SELECT :hold_id, :inv, :user_id, :request_key, CAST(:seats_json AS json), :total, :currency,
           :now, :expires_at, NULL, ''
    WHERE (SELECT count(*) FROM c) = :n
    RETURNING id
)
SELECT (SELECT count(*) FROM c) AS got, (SELECT count(*) FROM h) AS held
"""
        )
        return str(statement.compile(dialect=dialect()))

    def hold(
        self,
        session: Session,
        inventory_id: str,
        *,
        user_id: str,
        now: datetime,
        ttl: timedelta,
        seat_ids: Sequence[str] | None = None,
        tier: str = "",
        quantity: int = 0,
        request_key: str = "",
        allow_split: bool = False,
        limit: int = 0,
        wheelchair: bool = False,
        looked_up: bool = False,
        unavailable: set[str] | None = None,
    ) -> SeatHold:
        """Hold seats until ``now + ttl``. The same ``request_key`` from the same user, or the very
        seats of one of their live holds, returns that hold instead of a second one (a retried call
        holds once).
        ``limit`` caps the seats one user may hold or own in this inventory; the check and the claim
        happen in one turn per user, so two racing requests cannot both slip under it. Best available
        hands out wheelchair spaces only with ``wheelchair``: one space of ``tier`` plus ``quantity - 1``
        companion seats right beside it (standing: places of the same section), in one hold.
        ``looked_up``: the caller already takes this user's turn in this transaction and found no earlier hold
        for the request (``match_hold``), so the engine neither waits for the turn nor looks again (two round
        trips fewer on the hot path); the hold still records ``request_key`` for later retries. ``unavailable``: the
        seats taken, as the caller read them in this transaction with its own reads (``unavailable_read``), so best
        available on PostgreSQL does not read them again."""
        spec = self.spec(inventory_id)
        if (limit or request_key) and not looked_up:  # one turn per user here, so a racing retry finds the first try
            self._one_at_a_time(session, f"user:{user_id}:{inventory_id}")
        if (request_key or seat_ids) and not looked_up:
            existing = self.find_hold(
                session, inventory_id, user_id=user_id, now=now, request_key=request_key, seat_ids=seat_ids or ()
            )
            if existing is not None:
                return existing
        if limit:
            asked = len(seat_ids) if seat_ids else quantity
            have = self.user_seat_count(session, user_id, [inventory_id], now)
            if have + asked > limit:
                raise ConflictError(
                    f"You already hold or own {have} seat(s) here and the limit is {limit} per account, "
                    f"so {asked} more is too many.",
                    "Release a hold, or ask for fewer seats.",
                    field="quantity",
                    limit=limit,
                    have=have,
                )
        hold_id = new_id("hld")
        expires_at = now + ttl
        if not seat_ids and session.connection().dialect.name == "postgresql":
            self.choose_check(spec, tier=tier, quantity=quantity, wheelchair=wheelchair)
            values = self._hold_best_pg(
                session,
                spec,
                hold_id=hold_id,
                user_id=user_id,
                tier=tier,
                quantity=quantity,
                now=now,
                expires_at=expires_at,
                request_key=request_key,
                allow_split=allow_split,
                wheelchair=wheelchair,
                unavailable=unavailable,
            )
            return self._hold_model(values, spec, now)
        # Explicit seats anywhere, best available on SQLite (whose writers take turns, so a fresh
        # pick cannot be raced): choose, claim, record.
        seats = self.choose(
            session,
            spec,
            now=now,
            seat_ids=seat_ids,
            tier=tier,
            quantity=quantity,
            allow_split=allow_split,
            wheelchair=wheelchair,
        )
        self.claim(
            session,
            spec,
            seats,
            hold_id=hold_id,
            user_id=user_id,
            expires_at=expires_at,
            now=now,
            fresh_pick=not seat_ids,
        )
        row = self._hold_row(hold_id, spec, user_id, request_key, seats, now, expires_at)
        _run(session, insert(self.holds).values(**row))
        return self._hold_model(row, spec, now)

    @staticmethod
    def _hold_row(
        hold_id: str,
        spec: InventorySpec,
        user_id: str,
        request_key: str,
        seats: Sequence[SeatInfo],
        now: datetime,
        expires_at: datetime,
    ) -> dict[str, Any]:
        """A hold as stored: its seats priced at hold time."""
        priced = [(s.seat_id, spec.price(s.tier)) for s in seats]
        return {
            "id": hold_id,
            "inventory_id": spec.inventory_id,
            "user_id": user_id,
            "request_key": request_key,
            "seats": priced,
            "total_minor": sum(p for _, p in priced),
            "currency": spec.currency,
            "created_at": now,
            "expires_at": expires_at,
            "released_at": None,
            "order_id": "",
        }

    def find_hold(
        self,
        session: Session,
        inventory_id: str,
        *,
        user_id: str,
        now: datetime,
        request_key: str = "",
        seat_ids: Sequence[str] = (),
    ) -> SeatHold | None:
        """The user's live hold made by the same request, or holding exactly these seats however it
        was asked for: how a retry finds its first try instead of holding twice."""
        live = self.live_holds(session, user_id, now=now, inventory_ids=[inventory_id])
        return self.match_hold(live, inventory_id, request_key=request_key, seat_ids=seat_ids)

    def match_hold(
        self, live: Sequence[LiveHold], inventory_id: str, *, request_key: str = "", seat_ids: Sequence[str] = ()
    ) -> SeatHold | None:
        """``find_hold`` over live holds already read (``live_holds``): one made by the same request in this
        inventory, else one holding exactly these seats."""
        here = [h for h in live if h.hold.inventory_id == inventory_id]
        canonical = self.spec(inventory_id).layout.canonical
        wanted = sorted(canonical(s) for s in seat_ids)
        match = next((h for h in here if request_key and h.request_key == request_key), None) or next(
            (h for h in here if wanted and sorted(seat.seat_id for seat in h.hold.seats) == wanted), None
        )
        return None if match is None else match.hold

    def _one_at_a_time(self, session: Session, key: str) -> None:
        """Serialise transactions on ``key`` until they end (PostgreSQL; SQLite writers already do)."""
        conn = session.connection()
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"{self.prefix}:{key}"}
            )

    def _row(self, session: Session, hold_id: str, user_id: str, *, lock: bool = False) -> Mapping[Any, Any]:
        stmt = select(self.holds).where(self.holds.c.id == hold_id)
        if lock:
            stmt = stmt.with_for_update()
        row = _run(session, stmt).first()
        if row is None or row._mapping["user_id"] != user_id:  # someone else's hold does not exist for you
            raise NotFoundError(
                f"No hold {shown(hold_id)} of yours.",
                "Hold seats first; use the hold_id that returned.",
                field="hold_id",
            )
        return row._mapping

    def get_hold(self, session: Session, hold_id: str, *, user_id: str, now: datetime) -> SeatHold:
        row = self._row(session, hold_id, user_id)
        return self._hold_model(row, self.spec(row["inventory_id"]), now)

    def user_holds(
        self, session: Session, user_id: str, *, now: datetime, inventory_ids: Sequence[str] = ()
    ) -> list[SeatHold]:
        """This user's live holds, newest first."""
        return [live.hold for live in self.live_holds(session, user_id, now=now, inventory_ids=inventory_ids)]

    def live_holds(
        self, session: Session, user_id: str, *, now: datetime, inventory_ids: Sequence[str] = ()
    ) -> list[LiveHold]:
        """This user's live holds with the requests that made them, newest first (one read serves both a
        retry's lookup, ``match_hold``, and a per-user limit)."""
        params = {"user_id": user_id, "now": now}
        if inventory_ids:
            rows = _run(session, self._live_holds_in, {**params, "invs": list(inventory_ids)}).all()
        else:
            rows = _run(session, self._live_holds, params).all()
        return self.live_holds_from([r._mapping for r in rows], now)

    def live_holds_read(self, user_id: str, now: datetime) -> Read:
        """``live_holds``' read in every inventory, for a caller that sends it with others (``pipelined``); a
        user's live holds are few (they lapse in minutes), so ``live_holds_from`` keeps the inventories asked."""
        return self._live_holds, {"user_id": user_id, "now": now}

    def live_holds_from(self, rows: Rows, now: datetime, inventory_ids: Sequence[str] = ()) -> list[LiveHold]:
        """``live_holds`` from the rows of its read, in ``inventory_ids`` only if given."""
        wanted = set(inventory_ids)
        return [
            LiveHold(self._hold_model(r, self.spec(r["inventory_id"]), now), r["request_key"])
            for r in rows
            if not wanted or r["inventory_id"] in wanted
        ]

    def release(self, session: Session, hold_id: str, *, user_id: str, now: datetime) -> SeatHold:
        """Give the seats back now. Releasing twice, or a lapsed hold, is harmless; a sold one is refused."""
        h = self.holds.c
        released = _run(
            session,
            update(self.holds)
            .where(h.id == hold_id, h.user_id == user_id, h.order_id == "", h.released_at.is_(None))
            .values(released_at=now)
            .returning(*self.holds.c),
        ).first()
        if released is not None:  # the common case, in one statement; then its claims go
            row = released._mapping
            self.release_claims(session, row["inventory_id"], hold_id)
            return self._hold_model(row, self.spec(row["inventory_id"]), now)
        row = self._row(session, hold_id, user_id)
        if row["order_id"]:
            raise ConflictError(
                f"Hold {hold_id} was already bought (order {row['order_id']}).",
                "To give the seats back, refund the order instead.",
                field="hold_id",
            )
        return self._hold_model(row, self.spec(row["inventory_id"]), now)

    def check_sellable(self, row: Mapping[Any, Any], now: datetime) -> None:
        """Refuse a hold that cannot be bought any more, saying why."""
        if row["order_id"]:
            raise ConflictError(
                f"Hold {row['id']} was already bought (order {row['order_id']}).",
                "List your orders to see it.",
                field="hold_id",
            )
        if row["released_at"] is not None:
            raise ConflictError(
                f"Hold {row['id']} was released; its seats are back on sale.",
                "Hold seats again, then buy.",
                field="hold_id",
            )
        if utc(row["expires_at"]) <= now:
            raise ConflictError(
                f"Hold {row['id']} expired at {utc(row['expires_at']).astimezone(CITY_TZ):%H:%M} (local time); "
                "its seats went back on sale.",
                "Hold seats again, then buy.",
                field="hold_id",
            )

    def sell(self, session: Session, hold_id: str, *, user_id: str, order_id: str, now: datetime) -> SeatHold:
        """Sell a live hold's seats to ``order_id``, all of them or none. Selling to the same order again
        is a no-op, so a retried purchase cannot sell twice."""
        row = dict(self._row(session, hold_id, user_id, lock=True))
        spec = self.spec(row["inventory_id"])
        if row["order_id"] == order_id:
            return self._hold_model(row, spec, now)
        self.check_sellable(row, now)
        sold = self.sell_claims(session, row["inventory_id"], hold_id, order_id, now)
        if sold != len(row["seats"]):
            raise ConflictError(
                f"Hold {hold_id} lost its seats before it could be bought.", "Hold seats again, then buy."
            )
        _run(session, update(self.holds).where(self.holds.c.id == hold_id).values(order_id=order_id))
        row["order_id"] = order_id
        return self._hold_model(row, spec, now)

    def _hold_model(self, row: Mapping[Any, Any], spec: InventorySpec, now: datetime) -> SeatHold:
        status: HoldStatus
        if row["order_id"]:
            status = "sold"
        elif row["released_at"] is not None:
            status = "released"
        elif utc(row["expires_at"]) <= now:
            status = "expired"
        else:
            status = "held"
        seats = []
        for seat_id, price in row["seats"]:
            info = spec.layout.seat(seat_id)  # a hold stored before ids changed form reads the same
            seats.append(
                HeldSeat(
                    seat_id=info.seat_id,
                    section=info.section,
                    row=info.row,
                    number=info.number,
                    label=info.label,
                    kind=info.kind,
                    tier=info.tier,
                    price=Money.of(price, row["currency"]),
                )
            )
        return SeatHold(
            hold_id=row["id"],
            inventory_id=row["inventory_id"],
            status=status,
            seats=seats,
            total=Money.of(row["total_minor"], row["currency"]),
            expires_at=utc(row["expires_at"]),
            order_id=row["order_id"],
        )
