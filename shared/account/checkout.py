"""The checkout core: quote → confirmation token → charge (or refund) → ledger, once.

Every paying vertical plugs in here with its own pricing, fulfilment and refund policy and
writes no token, wallet or ledger code of its own::

    offer = Offer(amount_minor=…, fingerprint=fingerprint(what the price came from), expires_at=…)
    quote = checkout.quote(session, user, action="purchase", subject_id=hold_id, direction="charge",
                           offer=offer, now=now)                  # → the token the user confirms
    …
    claim = checkout.redeem(session, user, token=token, action="purchase", subject_id=hold_id)
    if claim.result_id:                                           # this token already acted: a retry
        return the order claim.result_id names
    checkout.require_live(claim, now)
    checkout.require_unchanged(claim, priced_again, what="hold")
    … fulfil (sell the seats, write the order) …
    checkout.settle(session, claim, ref=order_id, now=now)        # wallet and ledger, in the same transaction

A token is bound to its user, vertical, action, subject and amount; it is short-lived and acts at
most once. ``redeem`` locks the user's wallet, so one user's money moves one transaction at a time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session, select

from shared.clock import local, utc
from shared.errors import ConflictError, InvalidInputError, NotFoundError, PaymentDeclinedError, shown
from shared.schemas.common import Money, check_id, new_id

from . import wallet
from .models import QuoteRow

Direction = Literal["charge", "refund"]
Method = Literal["wallet", "cash"]
VERBS = {"order": "ordered", "purchase": "bought", "cancel": "cancelled", "refund": "refunded"}


def _nothing(claim: Claim) -> str:
    """What a refused use of ``claim`` did: nothing, and on a used token, that what it did before stands (a retry
    with other arguments read 'nothing was ordered' of an order that was placed)."""
    verb = VERBS.get(claim.row.action, "done")
    if claim.result_id:
        return f"nothing more was {verb} (the token already made {claim.result_id}, which stands)"
    return f"nothing was {verb}"


def release_to_afford(release_tool: str) -> str:
    """The decline hint of a seat hold the wallet cannot pay: no tool tops a wallet up (the user does, outside the
    chat), so the agent is told that and what it can do itself ("Top up the wallet" named nothing it could call)."""
    return (
        "No tool here adds money to the wallet: the user can top it up outside this chat and then buy this hold "
        f"again; otherwise release it with {release_tool} and hold fewer or cheaper seats."
    )


def fingerprint(*parts: object) -> str:
    """A stable digest of what an amount was computed from (JSON with sorted keys; other values by ``str``)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Offer:
    """What a vertical priced: the exact amount the user is asked to confirm, and what it came from."""

    amount_minor: int
    fingerprint: str
    expires_at: datetime
    method: Method = "wallet"
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Quote:
    """A confirmation token for an offer, and the wallet balance once it is confirmed."""

    token: str
    expires_at: datetime
    amount_minor: int
    balance_after: int


@dataclass
class Claim:
    """A redeemed token, locked for this transaction."""

    row: QuoteRow

    @property
    def token(self) -> str:
        return self.row.token

    @property
    def result_id(self) -> str:
        """What this token already became ('' when it has not acted yet)."""
        return self.row.result_id

    @property
    def payload(self) -> Mapping[str, Any]:
        return self.row.payload

    @property
    def amount_minor(self) -> int:
        return self.row.amount_minor


class Checkout:
    """The money path of one vertical."""

    def __init__(self, vertical: str, *, currency: str = "EUR", decline_hint: str = "") -> None:
        self.vertical = vertical
        self.currency = currency
        self.decline_hint = decline_hint or "Choose something cheaper."

    def money(self, minor: int) -> Money:
        return Money.of(minor, self.currency)

    # ----- quoting ----------------------------------------------------------------------------------
    def quote(
        self,
        session: Session,
        user_id: str,
        *,
        action: str,
        subject_id: str,
        direction: Direction,
        offer: Offer,
        now: datetime,
    ) -> Quote:
        """A token for exactly ``offer``; asking again for the same offer returns the same live token."""
        balance = wallet.wallet(session, user_id).balance_minor
        moves = offer.method == "wallet"
        if direction == "charge" and moves and balance < offer.amount_minor:
            self._decline(balance, offer.amount_minor)
        live = session.exec(
            select(QuoteRow).where(
                QuoteRow.user_id == user_id,
                QuoteRow.vertical == self.vertical,
                QuoteRow.action == action,
                QuoteRow.subject_id == subject_id,
                QuoteRow.fingerprint == offer.fingerprint,
                QuoteRow.amount_minor == offer.amount_minor,
                QuoteRow.method == offer.method,
                QuoteRow.result_id == "",
            )
        ).all()
        row = next((q for q in live if utc(q.expires_at) > now), None)
        if row is None:
            row = QuoteRow(
                token=new_id("cft"),
                user_id=user_id,
                vertical=self.vertical,
                action=action,
                subject_id=subject_id,
                direction=direction,
                method=offer.method,
                fingerprint=offer.fingerprint,
                amount_minor=offer.amount_minor,
                payload=dict(offer.payload),
                created_at=utc(now),
                expires_at=utc(offer.expires_at),  # stored in UTC: SQLite keeps no offset
            )
            session.add(row)
        sign = -1 if direction == "charge" else 1
        return Quote(
            token=row.token,
            expires_at=utc(row.expires_at),
            amount_minor=offer.amount_minor,
            balance_after=balance + sign * offer.amount_minor if moves else balance,
        )

    # ----- confirming ---------------------------------------------------------------------------------
    def redeem(
        self, session: Session, user_id: str, *, token: str, action: str, subject_id: str, subject: str
    ) -> Claim:
        """The user's token for ``action`` on ``subject_id``, locked, with the user's wallet locked first.

        A token that is malformed, unknown or another user's is "unknown" alike; the user's own token for another
        action or server is named as such (an order's token sent to cancel that order read "unknown").
        """
        check_id(token, "cft", field="confirmation_token", source="the previous call's confirmation_token")
        wallet.wallet(session, user_id, lock=True)  # one money-moving transaction per user at a time
        row = session.exec(select(QuoteRow).where(QuoteRow.token == token).with_for_update()).first()
        if row is None or row.user_id != user_id:
            raise NotFoundError(
                f"Confirmation token {shown(token)} is unknown.",
                "Call again without a token to get a fresh quote, show it to the user, then confirm.",
            )
        if row.vertical != self.vertical or row.action != action:
            where = "" if row.vertical == self.vertical else f" on the {row.vertical} server"
            raise InvalidInputError(
                f"Confirmation token {token} was quoted for the {row.action} of {row.subject_id}{where}, not for the "
                f"{action} of {subject_id}; {_nothing(Claim(row))}.",
                f"A token confirms only what it was quoted for. To {action}, call again without a token for a fresh "
                "quote, show it to the user, then confirm with the token that quote gives.",
                field="confirmation_token",
            )
        if row.subject_id != subject_id:
            raise InvalidInputError(
                f"Confirmation token {token} was issued for {subject} {row.subject_id}, not {subject_id}; "
                f"{_nothing(Claim(row))}.",
                f"Pass the {subject}_id the token was issued for.",
            )
        return Claim(row)

    def require_as_asked(self, claim: Claim, name: str, asked: list[str], *, ordered: bool = False) -> None:
        """Refuse a token sent with other ``name`` ids than its quote's: the user confirmed the quote, so acting on
        it would do something other than what the agent now asks for, and the agent would report the wrong thing
        done. ``[]`` means "as quoted"; ``ordered``: the order matters too (attendees go to the seats in turn).
        Checked before a retry is answered, so a reused token cannot pass either."""
        quoted = [str(v) for v in claim.payload.get(name, [])]
        if asked and (asked != quoted if ordered else sorted(asked) != sorted(quoted)):
            raise InvalidInputError(
                f"Confirmation token {claim.token} was quoted for {name} {quoted}, not {asked}; {_nothing(claim)}.",
                f"To confirm what the user accepted, pass the token with {name} {quoted} (or []). For {asked}, "
                "call again without a token for a fresh quote and confirm that with the user.",
            )

    def require_value_as_asked(
        self,
        claim: Claim,
        name: str,
        asked: str,
        quoted: str,
        *,
        same: bool,
        quoted_shown: str = "",
        keep: str = "''",
    ) -> None:
        """``require_as_asked`` for one value (an address, a slot): ``same`` is the vertical's reading of whether
        ``asked`` names ``quoted``; ``asked`` '' means "as quoted". ``keep``: how the tool's caller keeps the quoted
        value ('' where the parameter takes it, "leave it out" where its values are an enum without '')."""
        if asked and not same:
            was = quoted_shown or shown(quoted)
            or_blank = f" (or {keep})" if quoted else ""
            raise InvalidInputError(
                f"Confirmation token {claim.token} was quoted for {name} {was}, not {shown(asked)}; {_nothing(claim)}.",
                f"To confirm what the user accepted, pass the token with {name} {shown(quoted)}{or_blank}. For "
                f"{shown(asked)}, call again without a token for a fresh quote and confirm that with the user.",
                field=name,
            )

    def require_live(self, claim: Claim, now: datetime) -> None:
        expires = utc(claim.row.expires_at)
        if expires <= now:
            raise ConflictError(
                f"Confirmation token {claim.token} expired at {local(expires):%H:%M}; nothing was "
                f"{VERBS.get(claim.row.action, 'done')}.",
                "Call again without a token for a fresh quote and confirm the (possibly new) amount with the user.",
            )

    def require_unchanged(self, claim: Claim, offer: Offer, *, what: str) -> None:
        """Refuse to act when the subject or its price moved since the user confirmed."""
        verb = VERBS.get(claim.row.action, "done")
        if offer.fingerprint != claim.row.fingerprint:
            raise ConflictError(
                f"The {what} changed after this quote; nothing was {verb}.",
                f"Call again without a token to quote the {what} as it is now, and confirm that with the user.",
            )
        if offer.amount_minor != claim.row.amount_minor:
            raise ConflictError(
                f"The amount changed from {self.money(claim.row.amount_minor).display} to "
                f"{self.money(offer.amount_minor).display}; nothing was {verb}.",
                "Call again without a token for a fresh quote and confirm the new amount with the user.",
            )

    def settle(self, session: Session, claim: Claim, *, ref: str, now: datetime, memo: str = "") -> int:
        """Move the confirmed amount (debit a charge, credit a refund) and mark the token used; returns
        the wallet balance after. Cash offers and zero refunds move nothing."""
        row = claim.row
        balance = wallet.wallet(session, row.user_id, lock=True).balance_minor
        if row.method == "wallet" and row.amount_minor:
            if row.direction == "charge":
                if balance < row.amount_minor:
                    self._decline(balance, row.amount_minor)
                amount, kind = -row.amount_minor, "charge"
            else:
                amount, kind = row.amount_minor, "refund"
            balance = wallet.post(
                session,
                row.user_id,
                vertical=self.vertical,
                kind=kind,
                ref=ref,
                amount_minor=amount,
                at=now,
                memo=memo,
                quote_token=row.token,
            )
        row.result_id, row.used_at = ref, utc(now)
        session.add(row)
        return balance

    def _decline(self, balance: int, amount: int) -> None:
        raise PaymentDeclinedError(
            f"Wallet balance {self.money(balance).display} does not cover {self.money(amount).display}.",
            self.decline_hint,
        )
