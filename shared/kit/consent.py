"""The user's yes before money moves, in one place for every paying tool.

A paying tool is the same three-way branch everywhere: with a confirmation token it acts; without
one it quotes, then asks the user directly when the client can be asked (elicitation) or returns
the quote with its token for the model to show (``confirmation_required``); a "no" returns the
quote without its token. ``settle`` is that branch; a tool supplies its quote, what acting means
and its own words::

    return await settle(
        client, OrderOutcome, quote=quote, answer=answer, token=confirmation_token,
        act=lambda token: client.place_order(PlaceOrder(confirmation_token=token)),
        words=MoneyWords(tool="food_place_order", pending="Not ordered yet.",
                         declined="The user declined; nothing was ordered.",
                         done=lambda order: f"Order {order.id} placed."),
    )
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, Protocol, TypeVar

from mcp.server.mcpserver import AcceptedElicitation, Context, Elicit, ElicitationResult
from mcp_types.version import is_version_at_least
from pydantic import BaseModel, Field

from shared.errors import LifestyleError
from shared.kit.client import BackendClient
from shared.schemas.account import Outcome

MODERN_PROTOCOL = "2026-07-28"
log = logging.getLogger(__name__)


class Consent(BaseModel):
    """The one-field form shown to the user before money moves."""

    confirm: bool = Field(description="Yes: charge/refund exactly the amount shown.")


def can_elicit(ctx: Context[Any, Any]) -> bool:
    """Whether this request can carry an elicitation to the user.

    On 2026-07-28 the question rides an ``InputRequiredResult`` on any transport; on the
    handshake era it needs a live back-channel (stdio, stateful HTTP). Either way the client
    must have declared form elicitation. When this is False, paying tools fall back to the
    quote → confirm-token two-step.
    """
    try:
        caps = ctx.client_capabilities
        session = ctx.session
    except (ValueError, AttributeError, RuntimeError):
        return False
    elicitation = caps.elicitation if caps is not None else None
    if elicitation is None or (elicitation.form is None and elicitation.url is not None):
        return False
    version = ctx.protocol_version
    if version is not None and is_version_at_least(version, MODERN_PROTOCOL):
        return True
    return bool(getattr(session, "can_send_request", False))


def ask_consent(ctx: Context[Any, Any], message: str) -> Elicit[Consent] | None:
    """An elicitation marker for a resolver, or None when the client cannot be asked."""
    return Elicit(message, Consent) if can_elicit(ctx) else None


def consent_decision(answer: ElicitationResult[Consent] | None) -> Literal["yes", "no", "not_asked"]:
    """What the consent resolver brought back: the user's yes/no, or that they could not be asked."""
    if isinstance(answer, AcceptedElicitation):
        if answer.data is None:
            return "not_asked"
        return "yes" if answer.data.confirm else "no"
    return "no"


class QuoteLike(Protocol):
    confirmation_token: str
    summary: str
    expires_at: datetime

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Any: ...


Q = TypeVar("Q", bound=QuoteLike)
R = TypeVar("R")
OutcomeT = TypeVar("OutcomeT", bound=Outcome)


def withheld(quote: Q) -> Q:
    """The quote to show after the user said no: without its confirmation token, so the model
    cannot act on the declined amount anyway; asking again starts a new confirmation."""
    copy: Q = quote.model_copy(update={"confirmation_token": ""})
    return copy


@dataclass(frozen=True)
class MoneyWords(Generic[R]):
    """How one paying tool words its outcomes."""

    tool: str  # the tool to call again with the token
    pending: str  # "Not ordered yet."
    declined: str  # "The user declined; nothing was ordered."
    done: Callable[[R], str]  # "Order ord_… placed."
    again: Mapping[str, str] = field(default_factory=dict)  # arguments to repeat beside the token
    until: str = ""  # why the token lapses, e.g. "when the hold lapses"


def pending_message(words: MoneyWords[Any], quote: QuoteLike) -> str:
    args = "".join(f"{name}='{value}' and " for name, value in words.again.items())
    until = f", {words.until}" if words.until else ""
    return (
        f"{words.pending} Show the user: {quote.summary} If they agree, call {words.tool} again with {args}"
        f"confirmation_token='{quote.confirmation_token}' (valid until {quote.expires_at:%H:%M}{until})."
    )


async def settle(
    client: BackendClient,
    outcome: type[OutcomeT],
    *,
    quote: Q | None,
    answer: ElicitationResult[Consent] | None,
    token: str,
    act: Callable[[str], Awaitable[R]],
    words: MoneyWords[R],
) -> OutcomeT:
    """Act with the user's confirmation, or say what is needed for it (see the module docstring)."""
    if not token:
        assert quote is not None, "the quote resolver runs whenever no token is given"
        decision = consent_decision(answer)
        if decision == "not_asked":
            return outcome.model_validate(
                {"status": "confirmation_required", "message": pending_message(words, quote), "quote": quote}
            )
        if decision == "no":
            return outcome.model_validate({"status": "declined", "message": words.declined, "quote": withheld(quote)})
        token = quote.confirmation_token
    result = await act(token)
    try:
        balance = (await client.me()).wallet
    except LifestyleError:  # it happened: say so, without the balance, rather than report a failure
        log.warning("%s: done, but the wallet balance could not be read", words.tool, exc_info=True)
        balance = None
    return outcome.model_validate({"status": "done", "message": words.done(result), "order": result, "wallet": balance})
