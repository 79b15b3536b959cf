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
from shared.errors import NotFoundError
from shared.schemas.account import LedgerEntry, WalletStatement
from shared.schemas.common import Money, PageInfo, decode_cursor, encode_cursor

from .models import LedgerRow, WalletRow


def wallet(session: Session, user_id: str, *, lock: bool = False) -> WalletRow:
    """The user's wallet row; ``lock`` makes this transaction the only one moving the user's money."""
    stmt = select(WalletRow).where(WalletRow.user_id == user_id)
    if lock:
        stmt = stmt.with_for_update()
    row = session.exec(stmt).first()
    if row is None:
        raise NotFoundError(f"No wallet for user {user_id!r}.", "List the sandbox's users with `lifestyle-mcp users`.")
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
    start = decode_cursor(cursor)
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
            page=PageInfo(next_cursor=encode_cursor(end) if end < total else "", total=total),
        )
