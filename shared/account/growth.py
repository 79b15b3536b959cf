"""The user base of a grown sandbox: ``USERS_PER_SCALE`` accounts per scale step, each with a wallet, its
opening ledger entry and a Home in some district of the grown city (``shared.growth``).

Real apps have a crowd of other customers: their orders take seats and delivery slots, and a query that is
fast for five users can crawl for a hundred thousand. The crowd is deterministic (a pure function of the
user number), and inserted in bulk because ORM objects one by one would take minutes at the scale pack.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from shared.growth import anchor_sites, tiles

from .accounts import fold_label
from .models import AddressRow, LedgerRow, UserRow, WalletRow

USERS_PER_SCALE = 1000
"""Accounts added per scale step: the scale pack (``--scale 100``) has 100,000 of them besides the fixture users."""
BATCH = 5000

GIVEN = ("Aino", "Eero", "Wei", "Li", "Sanna", "Mikko", "Yan", "Hui", "Ella", "Oskari", "Xin", "Jun", "Helmi", "Leo")
FAMILY = ("Virtanen", "Korhonen", "Wang", "Zhang", "Nieminen", "Mäkinen", "Liu", "Chen", "Laine", "Heikkinen")


def crowd_user_id(n: int) -> str:
    return f"usr_c{n:06d}"


def crowd(scale: int, opened: datetime, fixtures_dir: Path) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """The grown sandbox's extra accounts as rows per table, a batch at a time."""
    rng = random.Random(20261202)
    sites = anchor_sites(fixtures_dir)
    city = tiles(scale)
    rows: dict[str, list[dict[str, Any]]] = {"users": [], "wallets": [], "ledger": [], "addresses": []}
    for n in range(1, USERS_PER_SCALE * scale + 1):
        uid = crowd_user_id(n)
        where = city[1 + (n - 1) % (len(city) - 1)]
        site = sites[rng.randrange(len(sites))]
        balance = rng.choice((5000, 10000, 20000, 50000))
        rows["users"].append(
            {
                "id": uid,
                "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                "phone": f"+358 50 {n // 1000:03d} {n % 1000:04d}",
                "email": f"{uid}@example.com",
                "currency": "EUR",
                "created_at": opened,
            }
        )
        rows["wallets"].append({"user_id": uid, "balance_minor": balance, "currency": "EUR"})
        rows["ledger"].append(
            {
                "user_id": uid,
                "vertical": "account",
                "kind": "opening",
                "ref": f"open_{uid}",
                "amount_minor": balance,
                "memo": "Opening balance",
                "at": opened,
            }
        )
        rows["addresses"].append(
            {
                "id": f"adr_{uid[4:]}_1",
                "user_id": uid,
                "label": "Home",
                "label_key": fold_label("Home"),
                "street": site.street,
                "housenumber": site.housenumber,
                "postcode": site.postcode,
                "city": "Helsinki",
                "lat": round(site.lat + where.dlat, 7),
                "lng": round(site.lng + where.dlng, 7),
                "notes": where.district,
                "seq": 0,
                "created_at": opened,
            }
        )
        if len(rows["users"]) >= BATCH:
            yield rows
            rows = {"users": [], "wallets": [], "ledger": [], "addresses": []}
    if rows["users"]:
        yield rows


def grow_accounts(session: Session, scale: int, opened: datetime, fixtures_dir: Path) -> None:
    """Add the crowd of a scale-``scale`` sandbox in the seeding transaction."""
    session.flush()  # the fixture users first: the crowd's rows come after them in every table
    for rows in crowd(scale, opened, fixtures_dir):
        session.execute(insert(UserRow), rows["users"])
        session.execute(insert(WalletRow), rows["wallets"])
        session.execute(insert(LedgerRow), rows["ledger"])
        session.execute(insert(AddressRow), rows["addresses"])
