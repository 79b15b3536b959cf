"""The account's tables: one set per sandbox, shared by every vertical.

Users, their one address book, one wallet with its ledger, the confirmation quotes of the
checkout core, bearer tokens (stored hashed), the sandbox clock and replayable idempotent
responses. Names carry an ``account_`` prefix and the tables live on their own ``MetaData``, so
they sit in the same database as each vertical's prefixed tables without colliding.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Float, LargeBinary, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel


class AccountTable(SQLModel):
    metadata = MetaData()


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def _when(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


class UserRow(AccountTable, table=True):
    """A person with one account across food, tickets, movies and nav."""

    __tablename__ = "account_user"
    id: str = Field(primary_key=True)
    name: str
    phone: str = ""
    email: str = ""
    currency: str = "EUR"
    created_at: datetime = _when()


class AddressRow(AccountTable, table=True):
    """A saved address; a label (Home, Work…) names at most one address of a user."""

    __tablename__ = "account_address"
    __table_args__ = (UniqueConstraint("user_id", "label_key"),)
    id: str = Field(primary_key=True)
    user_id: str = Field(index=True)
    label: str
    label_key: str  # the label folded (case, spaces): what makes two labels the same
    street: str
    housenumber: str
    postcode: str = ""
    city: str = "Helsinki"
    lat: float
    lng: float
    notes: str = ""
    seq: int = 0  # the user's n-th address: the first is the default (simulated time may stand still)
    created_at: datetime = _when()


class WalletRow(AccountTable, table=True):
    """The running balance, locked by every charge and refund; always the sum of the user's ledger."""

    __tablename__ = "account_wallet"
    user_id: str = Field(primary_key=True)
    balance_minor: int
    currency: str = "EUR"


class LedgerRow(AccountTable, table=True):
    """One wallet movement: positive credits, negative debits. The unique key makes a second charge or
    refund for the same reference impossible, whatever the code above it does."""

    __tablename__ = "account_ledger"
    __table_args__ = (UniqueConstraint("vertical", "ref", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(index=True)
    vertical: str  # food, tickets, movies; 'account' for the opening balance and top-ups
    kind: str  # opening, charge, refund, top_up
    ref: str  # the order (charge) or refund id it belongs to
    amount_minor: int
    memo: str = ""
    quote_token: str = ""
    at: datetime = _when()


class QuoteRow(AccountTable, table=True):
    """A confirmation token: the exact amount a user confirms for one action on one subject, and what it
    became. Acts at most once (``result_id``)."""

    __tablename__ = "account_quote"
    token: str = Field(primary_key=True)
    user_id: str = Field(index=True)
    vertical: str
    action: str  # order, cancel, purchase, refund …
    subject_id: str = Field(index=True)  # cart, hold id or order id
    direction: str  # charge or refund
    method: str = "wallet"  # wallet, or cash (nothing moves now)
    fingerprint: str
    amount_minor: int
    payload: dict[str, Any] = _json()
    created_at: datetime = _when()
    expires_at: datetime = _when()
    result_id: str = ""  # the order or refund id it became
    used_at: datetime | None = _when(nullable=True)


class TokenRow(AccountTable, table=True):
    """A bearer token for the MCP servers' HTTP endpoints. Only its SHA-256 is kept."""

    __tablename__ = "account_token"
    id: str = Field(primary_key=True)
    user_id: str = Field(index=True)
    digest: str = Field(unique=True)
    label: str = ""
    created_at: datetime = _when()
    expires_at: datetime | None = _when(nullable=True)  # real time: tokens are real credentials
    revoked_at: datetime | None = _when(nullable=True)


class StateRow(AccountTable, table=True):
    """What every process re-reads before it answers: the simulated clock (``now = sim_anchor +
    (wall time - real_anchor) × scale``) and the version of the sandbox's address books."""

    __tablename__ = "account_state"
    id: int = Field(default=1, primary_key=True)
    sim_anchor: datetime = _when()
    real_anchor: float = Field(sa_column=Column(Float, nullable=False))  # wall-clock seconds since the epoch
    scale: float
    clock_version: int = 0  # bumped by every clock change, so a process tells a deliberate jump from a stale read
    book_version: int = 0  # bumped by every address saved: answers that depend on addresses are stale


class IdempotencyRow(AccountTable, table=True):
    """The first answer to a write sent with an ``Idempotency-Key``, replayed to its retries."""

    __tablename__ = "account_idempotency"
    user_id: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    fingerprint: str
    status: int = 0  # 0 while the first request is still running
    body: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    content_type: str = ""
    created_at: datetime = _when()


class MetaRow(AccountTable, table=True):
    __tablename__ = "account_meta"
    key: str = Field(primary_key=True)
    value: str
