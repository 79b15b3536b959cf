"""A 2,000-seat concert going on sale in a scratch sandbox: what the hold benchmarks and the flash sale share.

``stage`` prepares the tickets sandbox on a database, adds an arena (4 sections × 20 rows × 25 seats, three
tiers by row) with one event and one session whose sales open when the caller says, and a crowd of
accounts with wallets deep enough to buy, each with a real bearer token (the format ``lifestyle-mcp token``
issues; stored as its digest). Everything is inserted in bulk before any server starts, so the servers'
catalogs load it like any fixture. Ids start ``*_flash`` and can never meet a fixture's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from servers.tickets.backend.app import prepare
from servers.tickets.backend.catalog import EventRec, VenueRec
from servers.tickets.backend.models import EventRow, SessionRow, VenueRow
from shared.account.credentials import digest
from shared.account.growth import crowd
from shared.account.models import AddressRow, LedgerRow, TokenRow, UserRow, WalletRow
from shared.kit.settings import Settings
from shared.kit.signing import TOKEN_PREFIX

VENUE_ID = "vnu_flash_arena"
EVENT_ID = "evt_flash_concert"
SESSION_ID = "ses_flash_night1"
PRICES = {"VIP": 12900, "A": 8900, "B": 5900}
WALLET_MINOR = 200_000  # enough for the per-account limit of the dearest tier, so nobody is refused for money
PER_USER_LIMIT = 4


@dataclass(frozen=True)
class Sale:
    settings: Settings
    session_id: str
    opens_at: datetime
    users: list[str]
    tokens: dict[str, str]  # user id -> bearer token
    arena: Arena


@dataclass(frozen=True)
class Arena:
    """Sections × rows × seats per row; rows 1–4 are VIP, 5–12 A, the rest B (2,000 seats by default)."""

    sections: int = 4
    rows: int = 20
    seats_per_row: int = 25

    @property
    def capacity(self) -> int:
        return self.sections * self.rows * self.seats_per_row

    def tier_totals(self) -> dict[str, int]:
        per_row = self.sections * self.seats_per_row
        return {t: n * per_row for t, n in {"VIP": min(self.rows, 4), "A": min(max(self.rows - 4, 0), 8),
                                              "B": max(self.rows - 12, 0)}.items() if n}  # fmt: skip

    def venue(self) -> dict[str, Any]:
        sections = []
        for code, name in list(zip("ABCD", ("Floor A", "Floor B", "Balcony C", "Balcony D"), strict=True))[
            : self.sections
        ]:
            rows = [
                {"label": str(r), "seats": self.seats_per_row, "rank": (r - 1) // 4} for r in range(1, self.rows + 1)
            ]
            sections.append({"code": code, "name": name, "rows": rows})
        return {"id": VENUE_ID, "name": "Flash Arena", "kind": "events_venue", "lat": 60.1699, "lng": 24.9384,
                "street": "Mannerheimintie", "housenumber": "1", "postcode": "00100", "area": "Kluuvi",
                "capacity": self.capacity, "sections": sections}  # fmt: skip


def concert(starts: datetime, tiers: dict[str, int]) -> dict[str, Any]:
    return {
        "id": EVENT_ID,
        "venue_id": VENUE_ID,
        "category": "concert",
        "title": "Flash Sale Live",
        "title_zh": "抢票之夜",
        "performer": "The Sellouts",
        "description": "One night only: the benchmark's sell-out concert.",
        "duration_min": 120,
        "tiers": [
            {"code": code, "name": code, "price_minor": PRICES[code], "ranks": ranks}
            for code, ranks in (("VIP", [0]), ("A", [1, 2]), ("B", [3, 4]))
            if code in tiers
        ],
        "service_fee_minor": 300,
        "per_user_limit": PER_USER_LIMIT,
        "real_name": False,
        "refund_policy": "standard",
        "on_sale_day": 0,
        "sessions": [{"id": SESSION_ID, "day": 0, "time": starts.strftime("%H:%M"), "prices": tiers}],
    }


def stage(
    database_url: str,
    data_dir: Path,
    *,
    users: int,
    opens_in: timedelta,
    time_scale: float = 1.0,
    arena: Arena = Arena(),
) -> Sale:
    """The sandbox on ``database_url`` with the arena concert (sales open ``opens_in`` from the sandbox's now)
    and ``users`` accounts with tokens."""
    settings = Settings.for_vertical(
        "tickets", data_dir=data_dir, database_url=database_url, time_scale=time_scale, log_level="WARNING"
    )
    sandbox = prepare(settings)
    engine = sandbox.engine
    now = sandbox.clock.now().astimezone(UTC)
    opens = now + opens_in
    starts = (now + timedelta(days=30)).replace(second=0, microsecond=0)
    prices = {t: PRICES[t] for t in arena.tier_totals()}
    event = concert(starts, prices)
    with Session(engine) as session:
        venue = VenueRec.model_validate(arena.venue())
        session.add(VenueRow(id=VENUE_ID, data=venue.model_dump(mode="json")))
        rec = EventRec.model_validate(event)
        session.add(EventRow(id=EVENT_ID, venue_id=VENUE_ID, data=rec.model_dump(mode="json")))
        session.add(SessionRow(id=SESSION_ID, event_id=EVENT_ID, venue_id=VENUE_ID, starts_at=starts,
                               sales_open_at=opens, prices=prices))  # fmt: skip
        session.commit()
    ids, tokens = add_crowd(engine, users, settings.fixtures_dir, now)
    engine.dispose()
    return Sale(settings, SESSION_ID, opens, ids, tokens, arena)


def add_crowd(engine: Engine, count: int, fixtures_dir: Path, now: datetime) -> tuple[list[str], dict[str, str]]:
    """``count`` accounts (the grown sandbox's deterministic crowd, ``shared.account.growth``) with deep wallets
    and one bearer token each, inserted in bulk."""
    ids: list[str] = []
    tokens: dict[str, str] = {}
    with engine.begin() as conn:
        for rows in crowd(count // 1000 + 2, now, fixtures_dir):
            take = min(len(rows["users"]), count - len(ids))
            if take <= 0:
                break
            users = rows["users"][:take]
            wallets = [dict(w, balance_minor=WALLET_MINOR) for w in rows["wallets"][:take]]
            ledger = [dict(e, amount_minor=WALLET_MINOR) for e in rows["ledger"][:take]]
            conn.execute(insert(UserRow), users)
            conn.execute(insert(WalletRow), wallets)
            conn.execute(insert(LedgerRow), ledger)
            conn.execute(insert(AddressRow), rows["addresses"][:take])
            batch = {u["id"]: TOKEN_PREFIX + secrets.token_urlsafe(32) for u in users}
            conn.execute(insert(TokenRow), [
                {"id": "tok_" + secrets.token_hex(6), "user_id": uid, "digest": digest(token), "label": "flash",
                 "created_at": now, "expires_at": None, "revoked_at": None}
                for uid, token in batch.items()
            ])  # fmt: skip
            ids += [u["id"] for u in users]
            tokens |= batch
    return ids, tokens


CHECKS = {
    "seats sold twice": (
        "SELECT seat_id FROM tickets_ticket WHERE session_id = :session AND refund_id = '' "
        "GROUP BY seat_id HAVING COUNT(*) > 1"
    ),
    "sold seats whose claim is not their order's": (
        "SELECT t.seat_id FROM tickets_ticket t LEFT JOIN tickets_seat_claim c ON c.inventory_id = t.session_id "
        "AND c.seat_id = t.seat_id AND c.order_id = t.order_id WHERE t.session_id = :session AND t.refund_id = '' "
        "AND c.seat_id IS NULL"
    ),
    "claims sold to no ticket": (
        "SELECT c.seat_id FROM tickets_seat_claim c LEFT JOIN tickets_ticket t ON t.order_id = c.order_id "
        "AND t.seat_id = c.seat_id AND t.refund_id = '' WHERE c.inventory_id = :session AND c.order_id <> '' "
        "AND t.id IS NULL"
    ),
    "charges without tickets": (
        "SELECT l.ref FROM account_ledger l LEFT JOIN tickets_order o ON o.id = l.ref WHERE l.vertical = 'tickets' "
        "AND l.kind = 'charge' AND (o.id IS NULL OR o.user_id <> l.user_id OR o.total_minor <> -l.amount_minor "
        "OR NOT EXISTS (SELECT 1 FROM tickets_ticket t WHERE t.order_id = o.id))"
    ),
    "tickets without charges": (
        "SELECT o.id FROM tickets_order o JOIN tickets_ticket t ON t.order_id = o.id LEFT JOIN account_ledger l "
        "ON l.ref = o.id AND l.vertical = 'tickets' AND l.kind = 'charge' WHERE o.session_id = :session "
        "GROUP BY o.id HAVING COUNT(DISTINCT l.id) <> 1"
    ),
    "wallets that are not the sum of their ledger": (
        "SELECT w.user_id FROM account_wallet w LEFT JOIN account_ledger l ON l.user_id = w.user_id "
        "GROUP BY w.user_id, w.balance_minor HAVING w.balance_minor <> COALESCE(SUM(l.amount_minor), 0)"
    ),
}


SOLD = "SELECT tier, COUNT(*) FROM tickets_ticket WHERE session_id = :session AND refund_id = '' GROUP BY tier"


def check_sale(engine: Engine, session_id: str, arena: Arena) -> dict[str, int]:
    """Every invariant of the sale, read from the database afterwards: how many rows break each (all must be 0);
    "oversold tiers" counts tiers with more seats sold than they have."""
    with engine.connect() as conn:
        found = {what: len(conn.execute(text(sql), {"session": session_id}).all()) for what, sql in CHECKS.items()}
    totals = arena.tier_totals()
    found["oversold tiers"] = sum(1 for tier, n in seats_sold(engine, session_id).items() if n > totals.get(tier, 0))
    return found


def seats_sold(engine: Engine, session_id: str) -> dict[str, int]:
    """Valid tickets of the session per tier."""
    with engine.connect() as conn:
        return {str(tier): int(n) for tier, n in conn.execute(text(SOLD), {"session": session_id}).all()}
