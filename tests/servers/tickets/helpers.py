"""Small helpers the tickets tests share: choosing sessions from the real catalog and buying through the tools."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from mcp import Client
from sqlmodel import Session

from servers.tickets.backend.catalog import EventRec, SessionRec
from servers.tickets.backend.service import SessionState
from tests.servers.food.helpers import err, ok
from tests.servers.tickets.conftest import TicketsEnv

__all__ = ["Pick", "buy", "err", "ok", "pick", "session_states"]


@dataclass
class Pick:
    event: EventRec
    session: SessionRec
    tier: str  # a seated tier with free seats (or the standing tier when standing=True)


def session_states(env: TicketsEnv) -> dict[str, list[SessionState]]:
    """Every session as of now, earliest first, grouped by status."""
    svc = env.service
    recs = sorted(svc.catalog.sessions.values(), key=lambda s: (s.starts_at, s.id))
    with Session(svc.engine) as session:
        states = svc.states(session, recs, svc.now())
    out: dict[str, list[SessionState]] = {}
    for st in states:
        out.setdefault(st.status, []).append(st)
    return out


def pick(
    env: TicketsEnv,
    *,
    min_days: float = 0,
    max_days: float = 99,
    policy: str = "",
    real_name: bool | None = None,
    standing: bool = False,
    free: int = 4,
    skip: int = 0,
) -> Pick:
    """The earliest on-sale session matching the conditions, with a tier that has ``free`` seats left."""
    svc = env.service
    now = svc.now()
    found = []
    for st in session_states(env).get("on_sale", []):
        event = svc.catalog.events[st.rec.event_id]
        ahead = st.rec.starts_at - now
        if not timedelta(days=min_days) <= ahead <= timedelta(days=max_days):
            continue
        if (policy and event.refund_policy != policy) or (real_name is not None and event.real_name != real_name):
            continue
        tiers = [t for t in event.tiers if bool(t.sections) == standing and st.remaining.get(t.code, 0) >= free]
        if tiers:
            found.append(Pick(event, st.rec, tiers[-1].code))
    assert len(found) > skip, "no session in the fixtures matches"
    return found[skip]


async def buy(
    c: Client, session_id: str, tier: str, quantity: int, attendee_ids: list[str] | None = None
) -> dict[str, Any]:
    """Hold best-available seats and buy them with the confirmation token; returns the order."""
    hold = await ok(c, "tickets_hold_seats", {"session_id": session_id, "tier": tier, "quantity": quantity})
    args = {"hold_id": hold["id"], "attendee_ids": attendee_ids or []}
    quote = await ok(c, "tickets_purchase", args)
    assert quote["status"] == "confirmation_required", quote
    done = await ok(c, "tickets_purchase", args | {"confirmation_token": quote["quote"]["confirmation_token"]})
    assert done["status"] == "done"
    return done["order"]  # type: ignore[no-any-return]
