"""Wheelchair spaces on a standing floor, through the tools: a refusal says what a standing area has (companions stand
anywhere in the same area, there is no 'beside'), and the remaining counts say how many of them are wheelchair spaces
that only a wheelchair request gets."""

from __future__ import annotations

from datetime import timedelta

from mcp import Client
from sqlalchemy import insert

from servers.tickets.backend.models import SEAT_CLAIMS
from shared.kit.db import session_scope
from shared.seating import SeatInfo
from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import Pick, err, ok, session_states


def standing_with_spaces(env: TicketsEnv) -> tuple[Pick, list[SeatInfo], list[SeatInfo]]:
    """An on-sale session (not real-name) whose standing tier has both wheelchair spaces free, with the tier's free
    wheelchair spaces and its free other places."""
    svc = env.service
    for st in session_states(env).get("on_sale", []):
        event = svc.catalog.events[st.rec.event_id]
        if event.real_name:
            continue
        layout = svc.inventory.layout(event)
        for tier in layout.wheelchair_tiers:
            places = [s for s in layout.seats.values() if s.tier == tier]
            if not all(s.standing for s in places) or st.remaining.get(tier, 0) < 4:
                continue
            with session_scope(svc.engine) as session:
                taken = svc.inventory.engine.unavailable(session, svc.inventory.spec(st.rec.id), svc.now())
            spaces = [s for s in places if s.accessible and s.seat_id not in taken]
            others = [s for s in places if not s.accessible and s.seat_id not in taken]
            if len(spaces) >= 2 and len({s.section for s in places}) == 1:
                return Pick(event, st.rec, tier), spaces, others
    raise AssertionError("no standing session with free wheelchair spaces in the fixtures")


def sell_elsewhere(env: TicketsEnv, session_id: str, seats: list[SeatInfo]) -> None:
    """Mark ``seats`` sold to someone else (claims of a paid order), as a busy night leaves them."""
    with session_scope(env.engine) as session:
        session.connection().execute(
            insert(SEAT_CLAIMS),
            [
                {
                    "inventory_id": session_id,
                    "seat_id": s.seat_id,
                    "tier": s.tier,
                    "hold_id": "hld_elsewhere",
                    "user_id": "usr_elsewhere",
                    "order_id": "ord_elsewhere",
                    "expires_at": env.service.now() + timedelta(days=1),
                }
                for s in seats
            ],
        )


async def test_a_standing_wheelchair_refusal_says_companions_stand_in_the_same_area(tickets: TicketsEnv) -> None:
    """A standing floor with its wheelchair spaces free but one other place left: asking for a space and two
    companions said the space had no companion seats 'right beside it', which a floor does not have. The refusal
    says companions stand in the same area, how many places are free there and the quantity that fits, and that
    quantity is held."""
    p, _, others = standing_with_spaces(tickets)
    sell_elsewhere(tickets, p.session.id, others[1:])
    args = {"session_id": p.session.id, "tier": p.tier, "wheelchair": True}
    async with Client(tickets.server) as c:
        text = await err(c, "tickets_hold_seats", args | {"quantity": 3})
        hold = await ok(c, "tickets_hold_seats", args | {"quantity": 2})
    assert "beside" not in text and "seat(s)" not in text, text
    assert "same area" in text and "only 1 other place(s)" in text and "quantity=2 or fewer" in text, text
    assert [s["accessible"] for s in hold["seats"]] == [True, False]
    assert hold["seats"][1]["seat_id"] == others[0].seat_id


async def test_remaining_standing_places_say_how_many_are_wheelchair_spaces(tickets: TicketsEnv) -> None:
    """Every ordinary place of a standing floor sold and its two wheelchair spaces free: the event and the seat map
    said 'remaining 2' and nothing more, and a request for one place was refused with 'Only 2 left; 1 asked'. Both
    now say the 2 are wheelchair spaces, the refusal says none is left for a request without a wheelchair, and a
    wheelchair request still gets a space."""
    p, spaces, others = standing_with_spaces(tickets)
    sell_elsewhere(tickets, p.session.id, others)
    async with Client(tickets.server) as c:
        event = await ok(c, "tickets_get_event", {"event_id": p.event.id})
        seat_map = await ok(c, "tickets_get_seat_map", {"session_id": p.session.id})
        text = await err(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 1})
        space = await ok(
            c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 1, "wheelchair": True}
        )
    (session,) = [s for s in event["sessions"] if s["id"] == p.session.id]
    for tiers in (session["tiers"], seat_map["tiers"]):
        (tier,) = [t for t in tiers if t["code"] == p.tier]
        assert (tier["remaining"], tier["wheelchair_spaces"]) == (len(spaces), len(spaces))
    assert f"Tier {p.tier} is sold out for this session" in text and "Only 0" not in text, text
    assert f"besides {len(spaces)} wheelchair space(s)" in text, text
    (section,) = [s for s in seat_map["sections"] if p.tier in s["tiers"]]  # the floor said 'free 2' and no more
    assert (section["free"], section["wheelchair_spaces"]) == (len(spaces), len(spaces)), section
    assert f"{p.tier}: " not in text.split("left:")[-1], text  # not offered as a tier with tickets left
    assert [s["accessible"] for s in space["seats"]] == [True]
