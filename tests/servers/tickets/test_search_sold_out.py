"""Events with tickets to buy come before events sold out for good, in a search and across its pages: a user
asking for concerts wants one they can go to."""

from __future__ import annotations

from typing import Any

from mcp import Client

from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import ok


async def walk(c: Client, args: dict[str, Any], limit: int, between: Any = None) -> list[dict[str, Any]]:
    """Every page of a search, ``limit`` events a page; ``between`` runs after each page (a write, say)."""
    events: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = await ok(c, "tickets_search_events", args | {"limit": limit, "cursor": cursor})
        events += page["events"]
        cursor = page["page"]["next_cursor"]
        if not cursor:
            return events
        if between is not None:
            await between(page)


async def test_sold_out_concerts_come_after_every_concert_with_tickets(tickets: TicketsEnv) -> None:
    """'konsertti' listed two concerts sold before their sale opened at the top, above every concert a user could
    buy: they now come last, the others keep their order (best match, then soonest)."""
    async with Client(tickets.server) as c:
        page = await ok(c, "tickets_search_events", {"query": "konsertti", "limit": 20})
        events = await walk(c, {"query": "konsertti"}, 20)
    shown = [e["availability"] for e in events]
    assert "sold_out" in shown and shown.index("sold_out") > 0
    assert all(a == "sold_out" for a in shown[shown.index("sold_out") :]), shown
    assert page["events"][0]["availability"] != "sold_out"
    buyable = [e for e in events if e["availability"] != "sold_out"]
    assert [e["next_session_at"] for e in buyable] == sorted(e["next_session_at"] for e in buyable)


async def test_a_page_walk_lists_every_event_once_while_tickets_are_bought_between_pages(tickets: TicketsEnv) -> None:
    """Sold-out events rank by what the catalog says, not by live counts, so holds made between pages move no event
    from one page to another: three at a time gives the very list one page does, each event once."""
    async with Client(tickets.server) as c:
        whole = await walk(c, {"query": "konsertti"}, 20)

        async def hold_from(page: dict[str, Any]) -> None:
            bookable = [e for e in page["events"] if e["availability"] in ("available", "few_left")]
            if bookable:
                event = await ok(c, "tickets_get_event", {"event_id": bookable[0]["id"]})
                (st,) = [s for s in event["sessions"] if s["id"] == bookable[0]["next_session_id"]]
                tier = next(t["code"] for t in st["tiers"] if t["remaining"] > 4)
                await ok(c, "tickets_hold_seats", {"session_id": st["id"], "tier": tier, "quantity": 1})

        paged = await walk(c, {"query": "konsertti"}, 3, between=hold_from)
    assert [e["id"] for e in paged] == [e["id"] for e in whole]
    assert len({e["id"] for e in paged}) == len(paged) > 6
