"""The account every vertical shares: the user, the address book, the wallet and its ledger, the
sandbox clock, and the shape of every money-moving tool result."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.schemas.common import AwareDatetime, GeoPoint, Money, PageInfo, WireModel

MAX_LABEL = 40
MAX_STREET = 120
MAX_NOTES = 500


class Address(WireModel):
    """A saved address of the user's one address book (shared by food, movies and nav)."""

    id: str = Field(description="Address id (adr_…); pass it as address_id, or as a nav origin/destination.")
    label: str = Field(description="User's name for it, e.g. Home or Work; nav also accepts the label.")
    street: str = Field(description="Street name.")
    housenumber: str = Field(description="House number, possibly with staircase/flat.")
    postcode: str = Field(default="", description="Postal code.")
    city: str = Field(default="Helsinki", description="City.")
    location: GeoPoint = Field(description="Where the rider goes.")
    notes: str = Field(default="", description="Instructions for the courier, e.g. a door code.")

    @property
    def one_line(self) -> str:
        place = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (f"{self.street} {self.housenumber}".strip(), place) if p)


class AddressInput(WireModel):
    label: str = Field(max_length=MAX_LABEL, description="Name for it, e.g. Home.")
    street: str = Field(max_length=MAX_STREET, description="Street name.")
    housenumber: str = Field(default="", max_length=20, description="House number; '' when street ends with it.")
    postcode: str = Field(default="", max_length=10, description="Postal code.")
    notes: str = Field(default="", max_length=MAX_NOTES, description="Courier instructions.")
    location: GeoPoint | None = Field(default=None, description="Coordinates; looked up from the street if absent.")


class AddressList(WireModel):
    addresses: list[Address] = Field(description="Saved addresses, oldest first.")


class User(WireModel):
    """The account a request acts for, with its one wallet."""

    id: str = Field(description="User id (usr_…).")
    name: str = Field(description="Display name.")
    wallet: Money = Field(description="Current wallet balance, the same in every server.")


LedgerKind = Literal["opening", "charge", "refund", "top_up"]


class LedgerEntry(WireModel):
    """One wallet movement."""

    at: datetime = Field(description="When it happened (simulated clock).")
    vertical: str = Field(description="Which service moved the money: food, tickets, movies, or account.")
    kind: LedgerKind = Field(description="opening balance, charge, refund or top_up.")
    ref: str = Field(description="The order or refund it belongs to.")
    amount: Money = Field(description="Signed: negative for a charge, positive for a refund or top-up.")
    memo: str = Field(description="What it was for.")


class WalletStatement(WireModel):
    """The wallet's balance and its ledger, newest first; the balance is the sum of every entry."""

    balance: Money = Field(description="Balance now.")
    entries: list[LedgerEntry] = Field(description="Movements, newest first.")
    page: PageInfo = Field(description="Pagination.")


WALLET_LATEST = 5
"""How many of the wallet's latest movements an orders list shows beside the orders."""


class WalletNow(WireModel):
    """The one wallet as an orders list shows it: 'how much is left?', 'did my refund arrive?' had no answer but
    the balance a paying quote printed."""

    balance: Money = Field(description="What is in the wallet now: the same in the food, tickets and movies servers.")
    latest: list[LedgerEntry] = Field(
        description=f"Its {WALLET_LATEST} latest movements, newest first, of every service: charges and refunds."
    )


class ClockState(WireModel):
    now: datetime = Field(description="Simulated current time.")
    scale: float = Field(description="Simulated seconds per real second (0 = frozen).")


class ClockChange(WireModel):
    set_to: AwareDatetime | None = Field(default=None, description="Jump to this instant (with a UTC offset).")
    advance_seconds: float = Field(
        default=0, ge=0, le=3650 * 86400, allow_inf_nan=False, description="Move time forward by this many seconds."
    )
    scale: float | None = Field(
        default=None, ge=0, le=1_000_000, allow_inf_nan=False, description="New speed; 0 freezes."
    )
    backwards: bool = Field(default=False, description="Allow set_to to be earlier than now.")


class IntrospectRequest(WireModel):
    token: str = Field(max_length=200, description="A bearer token a user presented to an MCP server.")


class Introspection(WireModel):
    """RFC 7662-style answer: whether the token is live, and whose it is."""

    active: bool = Field(description="True when the token is known, not revoked and not expired.")
    sub: str = Field(default="", description="The user the token acts for.")
    exp: int | None = Field(default=None, description="Expiry, seconds since the epoch (real time); null: none.")
    client_id: str = Field(default="", description="The token's label.")


ConfirmStatus = Literal["confirmation_required", "declined", "done"]


class Outcome(WireModel):
    """What every money-moving tool returns: a quote to confirm, the user's no, or the result. Each
    vertical adds its own ``quote`` and ``order`` fields."""

    status: ConfirmStatus = Field(
        description="confirmation_required: show the quote and call again with its token; declined: the user said "
        "no, nothing moved; done: it happened."
    )
    message: str = Field(description="What happened and what to do next.")
    wallet: Money | None = Field(default=None, description="Wallet balance now (after done).")
