"""What is left to buy, said in a search ('快售罄的亲子剧', '还有票的演唱会', 'sold out concerts'): the events whose
sessions have that left now, where these words had found nothing ('No event matches 快售罄')."""

from __future__ import annotations

from collections import Counter

from mcp import Client

from servers.tickets.backend.pricing import FEW_LEFT
from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import ok


async def test_tickets_left_said_keeps_the_events_with_that_left(tickets: TicketsEnv) -> None:
    """'还有票的演唱会' (concerts with tickets) listed sold-out ones and ones not yet on sale, and '已售罄' / 'sold
    out' / '快售罄' (almost sold out) found nothing: each keeps the events with that left now and says how it read
    the words."""
    async with Client(tickets.server) as c:
        every = await ok(c, "tickets_search_events", {"query": "演唱会", "limit": 20})
        said = {
            q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            for q in ("还有票的演唱会", "concerts on sale now", "已售罄的演唱会", "sold out concerts", "快售罄的演唱会")
        }
    shown = Counter(e["availability"] for e in every["events"])
    assert shown["available"] and shown["sold_out"] and shown["not_yet_on_sale"], shown  # or this proves nothing
    assert [e["id"] for e in said["还有票的演唱会"]["events"]] == [
        e["id"] for e in every["events"] if e["availability"] in ("available", "few_left")
    ]
    assert "as events with tickets on sale now" in said["还有票的演唱会"]["note"]
    assert said["concerts on sale now"]["events"] and all(
        e["availability"] in ("available", "few_left") for e in said["concerts on sale now"]["events"]
    )
    assert [e["id"] for e in said["已售罄的演唱会"]["events"]] == [
        e["id"] for e in every["events"] if e["availability"] == "sold_out"
    ]
    assert said["sold out concerts"]["events"]
    assert all(e["availability"] == "sold_out" for e in said["sold out concerts"]["events"])
    assert said["快售罄的演唱会"]["events"] == []  # none is close to selling out at noon
    assert f"None of the {len(every['events'])} event(s)" in said["快售罄的演唱会"]["note"]


async def test_an_event_selling_out_is_found_as_almost_sold_out(tickets: TicketsEnv) -> None:
    """Once other accounts hold all but a few seats of a puppet show, '快售罄的亲子剧' and 'family shows selling
    fast' find it, and it alone."""
    async with Client(tickets.server) as c:
        (show,) = (await ok(c, "tickets_search_events", {"query": "Puppet Tales of the Forest"}))["events"]
        detail = await ok(c, "tickets_get_event", {"event_id": show["id"]})
    on_sale = [s for s in detail["sessions"] if s["status"] == "on_sale"]
    assert on_sale and show["availability"] == "available"
    n = 0
    for st in on_sale:
        left = {t["code"]: t["remaining"] - t["wheelchair_spaces"] for t in st["tiers"]}
        spaces = sum(t["wheelchair_spaces"] for t in st["tiers"])  # left too, but only to a wheelchair request
        while sum(left.values()) + spaces >= FEW_LEFT:
            n += 1
            tickets.sandbox.accounts.add_user(f"usr_crowd{n}", f"Crowd {n}", wallet_minor=100_000)
            tier = max(left, key=lambda t: left[t])
            take = min(left[tier], detail["per_user_limit"], 4)
            async with Client(tickets.server_for(f"usr_crowd{n}")) as crowd:
                await ok(crowd, "tickets_hold_seats", {"session_id": st["id"], "tier": tier, "quantity": take})
            left[tier] -= take
    async with Client(tickets.server) as c:
        said = {
            q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            for q in ("快售罄的亲子剧", "family shows selling fast", "还有票的亲子剧")
        }
    for q in ("快售罄的亲子剧", "family shows selling fast"):
        assert [(e["id"], e["availability"]) for e in said[q]["events"]] == [(show["id"], "few_left")], said[q]
    assert show["id"] in {e["id"] for e in said["还有票的亲子剧"]["events"]}  # few left is still on sale
