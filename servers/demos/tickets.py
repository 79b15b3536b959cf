"""Tickets: search → event → seat map → hold → confirmed purchase → e-tickets → refund, over stdio."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mcp import Client

from servers.demos import Stage, call, paid, say

REFUNDABLE_AHEAD = timedelta(days=8)
"""Every refund policy but ``no_refund`` refunds a session 7 days or more ahead: the demo ends with a refund, so it
buys a session at least this far from the sandbox's now (whatever day the demo runs)."""


def _pick_session(event: dict[str, Any], now: datetime) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The first on-sale session with seats left that can still be refunded, and its fullest seated tier."""
    if event["refund_policy"] == "no_refund":
        return None
    for session in event["sessions"]:
        starts = datetime.fromisoformat(session["starts_at"])
        if session["status"] == "on_sale" and session["remaining"] >= 4 and starts - now >= REFUNDABLE_AHEAD:
            tier = max(session["tiers"], key=lambda t: (t["remaining"] >= 2, -len(t["sections"]), t["remaining"]))
            return session, tier
    return None


async def demo(stage: Stage) -> None:
    say("\n=== tickets-mcp (Damai-like) over stdio ===")
    async with Client(stage.params("tickets-mcp")) as c:
        hits = await call(c, "tickets_search_events", {"query": "话剧", "date_from": "", "limit": 3})
        for e in hits["events"]:
            say(
                f"    {e['title']} · {e['venue_name']} · next {e['next_session_at'][:16].replace('T', ' ')} · "
                f"{e['price_from']['display'] + '–' + e['price_to']['display'] + ' · ' if 'price_from' in e else ''}"
                f"{e['availability']}"
            )
        chosen, now = None, stage.sandbox.clock.now()
        for e in hits["events"] + (await call(c, "tickets_search_events", {"limit": 10}))["events"]:
            event = await call(c, "tickets_get_event", {"event_id": e["id"]})
            found = _pick_session(event, now)
            if found and not event["real_name_required"]:
                chosen = (event, *found)
                break
        assert chosen is not None, "no refundable event on sale"
        event, session, tier = chosen
        say(
            f"    {event['title']} at {event['venue']['name']}: {len(event['sessions'])} session(s); "
            f"service fee {event['service_fee']['display']}/ticket; limit {event['per_user_limit']} per account"
        )
        say(f"    refunds: {event['refund_policy_text']}")
        seat_map = await call(c, "tickets_get_seat_map", {"session_id": session["id"]})
        for section in seat_map["sections"][:2]:
            say(f"    {section['code']} {section['name']}: {section['free']}/{section['total']} free")
            for row in section["rows"][:4]:
                say(f"      row {row['row']:>2} {row['tier']:<4} {row['seats']}")
        hold = await call(c, "tickets_hold_seats", {"session_id": session["id"], "tier": tier["code"], "quantity": 2})
        say(f"    held {', '.join(s['label'] for s in hold['seats'])} until {hold['expires_at'][11:16]}")
        for line in hold["bill"]["lines"]:
            say(f"    {line['label']:<14} {line['amount']['display']:>9}   {line['rule']}")
        first = await call(c, "tickets_purchase", {"hold_id": hold["id"]})
        say(f"    {first['status']}: {first['quote']['summary']}")
        say("    (the user says yes)")
        paid_now = await call(
            c, "tickets_purchase", {"hold_id": hold["id"], "confirmation_token": first["quote"]["confirmation_token"]}
        )
        say(f"    {paid_now['message']}")
        say(paid(paid_now))
        orders = await call(c, "tickets_list_orders", {"limit": 1})
        order = orders["orders"][0]
        for ticket in order["tickets"]:
            say(f"    e-ticket {ticket['id']} · {ticket['seat']} · {ticket['tier']} · {ticket['code']}")
        offer = await call(c, "tickets_refund", {"order_id": order["id"]})
        say(f"    {offer['quote']['summary']}")
        done = await call(
            c, "tickets_refund", {"order_id": order["id"], "confirmation_token": offer["quote"]["confirmation_token"]}
        )
        say(f"    {done['message']} Order is now {done['order']['status']}.")
        say(paid(done))
