"""Holds lapse and sessions close on the simulated clock, derived from timestamps alone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mcp import Client

from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import buy, err, ok, pick


def remaining(detail: dict[str, Any], session_id: str, tier: str) -> int:
    return next(
        t["remaining"] for s in detail["sessions"] for t in s["tiers"] if s["id"] == session_id and t["code"] == tier
    )


async def test_a_hold_lapses_by_the_clock_and_its_seats_are_free_again(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3)
    async with Client(tickets.server) as c:
        left = remaining(await ok(c, "tickets_get_event", {"event_id": p.event.id}), p.session.id, p.tier)
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 2})
        held = await ok(c, "tickets_get_event", {"event_id": p.event.id})
        mine = await ok(c, "tickets_get_seat_map", {"session_id": p.session.id})
        quote = await ok(c, "tickets_purchase", {"hold_id": hold["id"]})
        tickets.clock.advance(timedelta(minutes=10, seconds=1))
        lapsed = await ok(c, "tickets_get_event", {"event_id": p.event.id})
        before = tickets.snapshot()
        token = quote["quote"]["confirmation_token"]
        text = await err(c, "tickets_purchase", {"hold_id": hold["id"], "confirmation_token": token})
        unchanged = tickets.snapshot() == before
        released = await ok(c, "tickets_release_hold", {"hold_id": hold["id"]})
        again = await ok(
            c, "tickets_hold_seats", {"session_id": p.session.id, "seat_ids": [s["seat_id"] for s in hold["seats"]]}
        )
    assert remaining(held, p.session.id, p.tier) == left - 2
    assert sum(r["seats"].count("y") for s in mine["sections"] for r in s["rows"]) == 2
    assert remaining(lapsed, p.session.id, p.tier) == left
    assert "expired" in text and "nothing was bought" in text
    assert unchanged
    assert released["status"] == "expired"
    assert again["status"] == "active"


async def test_a_hold_never_outlives_the_sales_window(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3)
    tickets.clock.set(p.session.starts_at - timedelta(hours=1, minutes=4))
    async with Client(tickets.server) as c:
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 1})
    assert datetime.fromisoformat(hold["expires_at"]) == p.session.starts_at - timedelta(hours=1)


async def test_sessions_close_then_tickets_count_as_used_after_the_show(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3)
    async with Client(tickets.server) as c:
        order = await buy(c, p.session.id, p.tier, 1)
        upcoming = await ok(c, "tickets_list_orders", {"status": "upcoming"})
        tickets.clock.set(p.session.starts_at - timedelta(minutes=59))
        closing = await ok(c, "tickets_get_event", {"event_id": p.event.id})
        tickets.clock.set(p.session.starts_at + timedelta(minutes=1))  # the show is on: its ticket is still valid
        on_now = await ok(c, "tickets_list_orders", {"status": "upcoming"})
        not_past_yet = await ok(c, "tickets_list_orders", {"status": "past"})
        tickets.clock.set(p.session.starts_at + timedelta(minutes=p.event.duration_min + 1))
        done = await ok(c, "tickets_get_event", {"event_id": p.event.id})
        past = await ok(c, "tickets_list_orders", {"status": "past"})
        refund = await err(c, "tickets_refund", {"order_id": order["id"]})
    status = {s["id"]: s["status"] for s in closing["sessions"]}
    assert [o["id"] for o in upcoming["orders"]] == [order["id"]]
    assert status[p.session.id] == "sales_closed"
    assert {s["id"]: s["status"] for s in done["sessions"]}[p.session.id] == "past"
    assert [t["status"] for t in past["orders"][0]["tickets"]] == ["used"]
    # during the show the order was listed as past while its ticket said valid; now it is upcoming until it ends
    assert [o["id"] for o in on_now["orders"]] == [order["id"]] and not_past_yet["orders"] == []
    assert [t["status"] for t in on_now["orders"][0]["tickets"]] == ["valid"]
    assert "cannot be refunded" in refund
