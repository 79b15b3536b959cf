"""The one wallet: a running balance and the ledger it is the sum of.

Every movement is a ledger row written in the same transaction as the balance change it explains
(and as the order or refund it pays for), so ``balance == sum(ledger)`` holds at every commit.
Only the checkout core and sandbox administration post entries.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from shared.clock import local, utc
from shared.errors import InvalidInputError, NotFoundError, shown
from shared.kit.db import session_scope
from shared.schemas.account import LedgerEntry, WalletStatement
from shared.schemas.common import Money, PageInfo, decode_cursor, encode_cursor, new_id

from .models import LedgerRow, WalletRow

MAX_TOP_UP = 1_000_000  # minor units: €10,000 at a time


def wallet(session: Session, user_id: str, *, lock: bool = False) -> WalletRow:
    """The user's wallet row; ``lock`` makes this transaction the only one moving the user's money."""
    stmt = select(WalletRow).where(WalletRow.user_id == user_id)
    if lock:
        stmt = stmt.with_for_update()
    row = session.exec(stmt).first()
    if row is None:
        raise NotFoundError(
            f"No wallet for user {shown(user_id)}.", "List the sandbox's users with `lifestyle-mcp users`."
        )
    return row


def post(
    session: Session,
    user_id: str,
    *,
    vertical: str,
    kind: str,
    ref: str,
    amount_minor: int,
    at: datetime,
    memo: str = "",
    quote_token: str = "",
) -> int:
    """Move ``amount_minor`` (negative: a debit) and record why; returns the new balance. The caller
    holds the wallet lock and has checked the balance covers a debit."""
    row = wallet(session, user_id, lock=True)
    row.balance_minor += amount_minor
    session.add(row)
    session.add(
        LedgerRow(
            user_id=user_id,
            vertical=vertical,
            kind=kind,
            ref=ref,
            amount_minor=amount_minor,
            memo=memo,
            quote_token=quote_token,
            at=utc(at),  # stored in UTC: SQLite keeps no offset
        )
    )
    session.flush()  # the ledger's unique key refuses a second entry for the same reference here
    return row.balance_minor


def ledger_total(session: Session, user_id: str) -> int:
    return int(session.exec(select(func.coalesce(func.sum(LedgerRow.amount_minor), 0)).where(
        LedgerRow.user_id == user_id)).one())  # fmt: skip


def statement(engine: Engine, user_id: str, limit: int = 10, cursor: str = "") -> WalletStatement:
    start = decode_cursor(cursor, "account.wallet")
    with Session(engine) as session:
        row = wallet(session, user_id)
        total = session.exec(select(func.count()).select_from(LedgerRow).where(LedgerRow.user_id == user_id)).one()
        entries = session.exec(
            select(LedgerRow)
            .where(LedgerRow.user_id == user_id)
            .order_by(col(LedgerRow.at).desc(), col(LedgerRow.id).desc())
            .offset(start)
            .limit(limit)
        ).all()
        end = start + len(entries)
        return WalletStatement(
            balance=Money.of(row.balance_minor, row.currency),
            entries=[
                LedgerEntry(
                    at=local(utc(e.at)),
                    vertical=e.vertical,
                    kind=e.kind,
                    ref=e.ref,
                    amount=Money.of(e.amount_minor, row.currency),
                    memo=e.memo,
                )
                for e in entries
            ],
            page=PageInfo(next_cursor=encode_cursor(end, "account.wallet") if end < total else "", total=total),
        )


def top_up(engine: Engine, user_id: str, amount_minor: int, at: datetime, memo: str = "Top-up") -> int:
    """Add money to a user's wallet (the sandbox operator's doing: no tool moves money in); returns the balance."""
    if not 0 < amount_minor <= MAX_TOP_UP:
        raise InvalidInputError(
            f"A top-up of {amount_minor / 100:.2f} is out of range.", f"Top up by 0.01 to {MAX_TOP_UP // 100:,}."
        )
    with session_scope(engine) as session:
        wallet(session, user_id, lock=True)
        return post(session, user_id, vertical="account", kind="top_up", ref=new_id("top"), amount_minor=amount_minor,
                    at=at, memo=memo)  # fmt: skip
