"""Seats as people mean them, through the tools: the best available is the centre of the best section, a
wheelchair space comes with its companion's seat, one price per seat from hold to e-ticket, and seat ids that
read on their own (with the older ones still understood)."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from typing import Any

from mcp import Client
from sqlalchemy import select, update
from sqlmodel import Session

from servers.tickets.backend.models import SEAT_CLAIMS, SEAT_HOLDS, TicketRow
from shared.kit.db import session_scope
from shared.seating import BEST_AVAILABLE_ORDER, CompiledLayout, SeatInfo
from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import Pick, err, ok, pick, session_states


def on_sale(env: TicketsEnv, *, venue: str = "", tier_with_spaces: bool = False, min_days: float = 3) -> Pick:
    """The earliest on-sale session (not real-name) at ``venue`` with a tier of free seats (one that has wheelchair
    spaces, if asked)."""
    svc = env.service
    for st in session_states(env).get("on_sale", []):
        event = svc.catalog.events[st.rec.event_id]
        if (venue and event.venue_id != venue) or event.real_name or st.rec.starts_at - svc.now() < timedelta(min_days):
            continue
        layout = svc.inventory.layout(event)
        standing = {s.tier for s in layout.seats.values() if s.standing}  # their spaces come with no seat beside
        tiers = (
            [t for t in layout.wheelchair_tiers if t not in standing]
            if tier_with_spaces
            else [t for t in layout.tiers if t != "STANDING"]
        )
        for tier in tiers:
            if st.remaining.get(tier, 0) >= 8:
                return Pick(event, st.rec, tier)
    raise AssertionError("no session in the fixtures matches")


def taken_now(env: TicketsEnv, session_id: str) -> set[str]:
    svc = env.service
    with Session(svc.engine) as session:
        return svc.inventory.engine.unavailable(session, svc.inventory.spec(session_id), svc.now())


def off_centre(layout: CompiledLayout, a: SeatInfo, b: SeatInfo) -> float:
    xs = [s.x for s in layout.seats.values() if s.section == a.section]
    return abs((a.x + b.x) / 2 - (min(xs) + max(xs)) / 2)


async def test_best_available_is_the_centre_of_the_floor_not_a_side_terrace(tickets: TicketsEnv) -> None:
    """Musiikkitalo's tier B is rank 2: the back of the floor, the upper tiers and both terraces. "Best section"
    gave a terrace while centre floor pairs were free; now it is the floor pair nearest the centre line."""
    p = on_sale(tickets, venue="vnu_w58023634")
    layout = tickets.service.inventory.layout(p.event)
    tier = next(t for t in layout.tiers if {s.section for s in layout.seats.values() if s.tier == t} >= {"TL", "FLR"})
    taken = taken_now(tickets, p.session.id)
    async with Client(tickets.server) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": tier, "quantity": 2})
    assert BEST_AVAILABLE_ORDER in (tools["tickets_hold_seats"].description or "")
    a, b = (layout.seats[s["seat_id"]] for s in hold["seats"])
    assert a.section == b.section == "FLR" and b.x == a.x + 1
    floor = [
        (x, y)
        for plan in layout.rows
        if plan.section.code == "FLR" and plan.row.rank == a.rank
        for x, y in zip(plan.seats, plan.seats[1:], strict=False)
        if x.tier == tier and not {x.seat_id, y.seat_id} & taken and not (x.accessible or y.accessible)
    ]
    assert off_centre(layout, a, b) == min(off_centre(layout, x, y) for x, y in floor) <= 1


async def test_a_wheelchair_space_comes_with_a_companion_seat_beside_it(tickets_any_db: TicketsEnv) -> None:
    env = tickets_any_db
    p = on_sale(env, tier_with_spaces=True)
    layout = env.service.inventory.layout(p.event)
    plain = next(t for t in layout.tiers if t not in layout.wheelchair_tiers)
    before = env.wallet()
    args = {"session_id": p.session.id, "tier": p.tier, "quantity": 2, "wheelchair": True}
    async with Client(env.server) as c:
        hold = await ok(c, "tickets_hold_seats", args)
        again = await ok(c, "tickets_hold_seats", args)
        quote, paid = await quote_and_buy(c, hold["id"])
        no_spaces = await err(c, "tickets_hold_seats", args | {"tier": plain})
        one = [hold["seats"][0]["seat_id"]]
        both = await err(c, "tickets_hold_seats", {"session_id": p.session.id, "seat_ids": one, "wheelchair": True})
    seats = [layout.seats[s["seat_id"]] for s in hold["seats"]]
    assert again == hold
    assert [s.accessible for s in seats].count(True) == 1 and seats[0].row == seats[1].row
    assert abs(seats[0].x - seats[1].x) == 1
    assert [s["accessible"] for s in hold["seats"]] == [s.accessible for s in seats]
    assert all(("wheelchair space" in h["label"]) == h["accessible"] for h in hold["seats"])
    assert "wheelchair space" in quote["quote"]["summary"]
    tickets = paid["order"]["tickets"]
    assert [(t["accessible"], "wheelchair space" in t["seat"]) for t in tickets] == [
        (s.accessible, s.accessible) for s in seats
    ]
    assert env.wallet() == before - hold["bill"]["total"]["amount_minor"]
    with Session(env.engine) as session:
        sold = session.connection().execute(
            select(SEAT_CLAIMS.c.seat_id).where(SEAT_CLAIMS.c.order_id == paid["order"]["id"])
        )
        assert set(sold.scalars()) == {s.seat_id for s in seats}
    assert "no wheelchair spaces" in no_spaces and p.tier in no_spaces
    assert "not both" in both


async def test_the_hold_the_quote_and_the_e_tickets_show_one_price_and_one_fee_per_seat(tickets: TicketsEnv) -> None:
    """A hold said €45.00 a ticket and the order €46.50 (the fee folded in): now all three say price, fee, total."""
    p = pick(tickets, min_days=3, real_name=False)
    price, fee = p.session.prices[p.tier], p.event.service_fee_minor
    async with Client(tickets.server) as c:
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 2})
        quote, paid = await quote_and_buy(c, hold["id"])
    each = {"price": price, "fee": fee, "total": price + fee}
    for seats in (hold["seats"], quote["quote"]["seats"], paid["order"]["tickets"]):
        assert [{k: s[k]["amount_minor"] for k in each} for s in seats] == [each, each]
    assert paid["order"]["bill"] == hold["bill"] == quote["quote"]["bill"]
    assert sum(t["total"]["amount_minor"] for t in paid["order"]["tickets"]) == hold["bill"]["total"]["amount_minor"]


async def test_seat_ids_read_on_their_own_and_old_ones_are_still_understood(tickets: TicketsEnv) -> None:
    """Ids are SECTION-ROW<row>-SEAT<number>; an e-ticket, claim and hold stored with the older 'STL-5-12' form
    still read as today's seat, stay taken, and a refund gives the seat back."""
    p = on_sale(tickets)
    layout = tickets.service.inventory.layout(p.event)
    taken = taken_now(tickets, p.session.id)
    seat = next(s for s in layout.seats.values() if s.tier == p.tier and not s.standing and s.seat_id not in taken)
    async with Client(tickets.server) as c:
        seat_map = await ok(c, "tickets_get_seat_map", {"session_id": p.session.id, "section": seat.section})
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "seat_ids": [seat.legacy_id.lower()]})
        order = (await quote_and_buy(c, hold["id"]))[1]["order"]
    assert "ROW<row>-SEAT<number>" in seat_map["seat_id_format"] and "STL-5-12" in seat_map["seat_id_format"]
    ticket = order["tickets"][0]
    assert ticket["seat_id"] == seat.seat_id == f"{seat.section}-ROW{seat.row}-SEAT{seat.number}"
    with session_scope(tickets.engine) as session:  # written as the previous version wrote them
        conn = session.connection()
        conn.execute(update(SEAT_CLAIMS).where(SEAT_CLAIMS.c.seat_id == seat.seat_id).values(seat_id=seat.legacy_id))
        conn.execute(
            update(SEAT_HOLDS)
            .where(SEAT_HOLDS.c.inventory_id == p.session.id)
            .values(seats=[[seat.legacy_id, p.session.prices[p.tier]]])
        )
        row = session.get(TicketRow, ticket["id"])
        assert row is not None
        row.seat_id = seat.legacy_id
        session.add(row)
    async with Client(tickets.server) as c, Client(tickets.server_for("usr_bob")) as bob:
        listed = await ok(c, "tickets_list_orders", {})
        refused = await err(bob, "tickets_hold_seats", {"session_id": p.session.id, "seat_ids": [seat.seat_id]})
        offer = await ok(c, "tickets_refund", {"order_id": order["id"], "ticket_ids": [ticket["id"]]})
        await ok(
            c, "tickets_refund", {"order_id": order["id"], "confirmation_token": offer["quote"]["confirmation_token"]}
        )
        freed = await ok(bob, "tickets_hold_seats", {"session_id": p.session.id, "seat_ids": [seat.seat_id]})
    assert listed["orders"][0]["tickets"][0]["seat_id"] == seat.seat_id
    assert "no longer available" in refused
    assert freed["status"] == "active" and [s["seat_id"] for s in freed["seats"]] == [seat.seat_id]


async def test_asking_again_for_a_seat_of_your_own_hold_names_that_hold(tickets: TicketsEnv) -> None:
    """A seat the user already holds was refused as "no longer available", sending the model back to a seat map
    that shows it as its own: the refusal names the hold instead (and still says which seats are someone else's),
    changes nothing, and the very same seats again still return the hold."""
    p = on_sale(tickets)
    layout = tickets.service.inventory.layout(p.event)
    taken = taken_now(tickets, p.session.id)
    free = [s.seat_id for s in layout.seats.values() if s.tier == p.tier and not s.standing and s.seat_id not in taken]
    a, b, c = free[:3]
    sid = p.session.id
    async with Client(tickets.server) as me, Client(tickets.server_for("usr_bob")) as bob:
        hold = await ok(me, "tickets_hold_seats", {"session_id": sid, "seat_ids": [a, b]})
        await ok(bob, "tickets_hold_seats", {"session_id": sid, "seat_ids": [c]})
        before = tickets.snapshot()
        own = await err(me, "tickets_hold_seats", {"session_id": sid, "seat_ids": [a]})
        mixed = await err(me, "tickets_hold_seats", {"session_id": sid, "seat_ids": [b, c]})
        assert tickets.snapshot() == before
        again = await ok(me, "tickets_hold_seats", {"session_id": sid, "seat_ids": [b, a]})
        await ok(me, "tickets_release_hold", {"hold_id": hold["id"]})
        alone = await ok(me, "tickets_hold_seats", {"session_id": sid, "seat_ids": [a]})
    assert "no longer available" not in own and a in own and hold["id"] in own
    assert "tickets_purchase" in own and "tickets_release_hold" in own
    assert f"Seat(s) {c} are no longer available" in mixed and f"{b} in your hold {hold['id']}" in mixed
    assert again["id"] == hold["id"]
    assert [s["seat_id"] for s in alone["seats"]] == [a]


async def quote_and_buy(c: Client, hold_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The purchase quote, then the purchase with its token: (quote result, paid result)."""
    quote = await ok(c, "tickets_purchase", {"hold_id": hold_id})
    token = quote["quote"]["confirmation_token"]
    return quote, await ok(c, "tickets_purchase", {"hold_id": hold_id, "confirmation_token": token})


async def test_a_taken_standing_place_asked_by_id_says_to_hold_by_tier_and_quantity(tickets: TicketsEnv) -> None:
    """The seat map draws no places in a standing area, so "read the seat map and pick free seats" cannot be
    followed there: the refusal says to hold standing places by tier and quantity, and that way works."""
    p = pick(tickets, standing=True, real_name=False)
    async with Client(tickets.server_for("usr_alice")) as alice:
        theirs = await ok(alice, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 1})
    place = theirs["seats"][0]["seat_id"]
    async with Client(tickets.server) as c:
        before = tickets.snapshot()
        text = await err(c, "tickets_hold_seats", {"session_id": p.session.id, "seat_ids": [place]})
        unchanged = tickets.snapshot() == before
        mine = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 1})
    assert f"Standing place(s) {place} are already taken" in text
    assert f"tier='{p.tier}', quantity=1" in text and "pick free seats" not in text
    assert unchanged and mine["status"] == "active"


async def test_a_section_asked_by_its_name_is_that_sections_map(tickets: TicketsEnv) -> None:
    """People say 'the balcony' or '楼座', not BAL: the name gives that section's map, and an unknown one is refused
    with each code and its name, so the model can tell which is which."""
    p = pick(tickets, min_days=3)
    venue = tickets.service.catalog.venues[p.event.venue_id]
    section = next(s for s in venue.sections if s.name_zh)
    async with Client(tickets.server) as c:
        by_code = await ok(c, "tickets_get_seat_map", {"session_id": p.session.id, "section": section.code})
        by_name = await ok(c, "tickets_get_seat_map", {"session_id": p.session.id, "section": section.name.lower()})
        by_zh = await ok(c, "tickets_get_seat_map", {"session_id": p.session.id, "section": section.name_zh})
        unknown = await err(c, "tickets_get_seat_map", {"session_id": p.session.id, "section": "Roof"})
    assert [s["code"] for s in by_code["sections"]] == [section.code]
    assert by_name == by_code == by_zh
    assert f"{section.code} ({section.name} / {section.name_zh})" in unknown


async def test_a_seat_said_with_its_sections_name_is_that_seat(tickets: TicketsEnv) -> None:
    """'池座5排11号' (stalls, row 5, seat 11), as a user reads it off the map, was refused by the id alphabet, and
    'Balcony row 3 seat 5' as 'not a valid seat': a section's name (or code) before a row and number names the
    seat, where several sections have that row and number."""
    p = pick(tickets, min_days=3)
    venue = tickets.service.catalog.venues[p.event.venue_id]
    layout = tickets.service.inventory.layout(p.event)
    taken = taken_now(tickets, p.session.id)
    free = [s for s in layout.seats.values() if not s.standing and s.seat_id not in taken]
    sections = {sec.code: sec for sec in venue.sections}
    zh = next(s for s in free if sections[s.section].name_zh)
    en = next(s for s in free if s.seat_id != zh.seat_id)
    said = [
        f"{sections[zh.section].name_zh}{zh.row}排{zh.number}号",
        f"{sections[en.section].name} row {en.row} seat {en.number}",
    ]
    async with Client(tickets.server) as c:
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "seat_ids": said})
        nowhere = [f"{sections[zh.section].name_zh}99排1号"]
        missing = await err(c, "tickets_hold_seats", {"session_id": p.session.id, "seat_ids": nowhere})
    assert [s["seat_id"] for s in hold["seats"]] == [zh.seat_id, en.seat_id], hold["seats"]
    assert "does not exist here" in missing, missing


async def test_best_available_says_when_it_could_only_find_scattered_seats(tickets: TicketsEnv) -> None:
    """Four VIP seats of a nearly full session are left only apart: the hold says so (together false), so the agent
    can tell the user before buying, and lists them as the house reads them (row by row, left to right; attendees
    follow that order), not best first; one seat, or seats side by side in a row, are together."""
    roomy = on_sale(tickets)
    async with Client(tickets.server) as c:
        split = await ok(c, "tickets_hold_seats", {"session_id": "ses_caa944dd49", "tier": "VIP", "quantity": 4})
        one = await ok(c, "tickets_hold_seats", {"session_id": roomy.session.id, "tier": roomy.tier, "quantity": 1})
        await ok(c, "tickets_release_hold", {"hold_id": split["id"]})
        pair = await ok(c, "tickets_hold_seats", {"session_id": "ses_caa944dd49", "tier": "VIP", "quantity": 2})
        quotes = [await ok(c, "tickets_purchase", {"hold_id": h["id"]}) for h in (pair, one)]
    assert len(split["seats"]) == 4 and split["together"] is False, split["seats"]
    assert one["together"] is True
    # the confirmation the user is shown says it too: a flag on the hold alone went unread and scattered seats bought
    assert pair["together"] is False, pair["seats"]
    assert "The seats are not side by side" in quotes[0]["quote"]["summary"], quotes[0]["quote"]["summary"]
    assert "side by side" not in quotes[1]["quote"]["summary"]
    rec = tickets.service.session_rec("ses_caa944dd49")
    house = tickets.service.inventory.layout(tickets.service.catalog.events[rec.event_id])
    scattered = [house.seat(s["seat_id"]) for s in split["seats"]]
    assert scattered == sorted(scattered, key=lambda s: (house.row_of[s.seat_id], s.x)), split["seats"]
    layout = tickets.service.inventory.layout(roomy.event)
    row = next(r.seats for r in layout.rows if len(r.seats) >= 3 and r.seats[2].x == r.seats[0].x + 2)
    other_row = next(r.seats for r in layout.rows if r.seats[0].row != row[0].row)
    assert layout.together([row[1].seat_id, row[0].seat_id])  # in any order
    assert not layout.together([row[0].seat_id, row[2].seat_id])  # a seat between
    assert not layout.together([row[0].seat_id, other_row[0].seat_id])


async def test_a_wheelchair_user_gets_a_space_on_a_standing_floor_with_companions_of_that_floor(
    tickets: TicketsEnv,
) -> None:
    """A club's standing floor and a gallery's timed entry have wheelchair spaces at the back: a wheelchair request
    found nothing there. It gets one space, labelled so, and the other places on the same floor."""
    svc = tickets.service
    p = next(
        Pick(svc.catalog.events[st.rec.event_id], st.rec, tier)
        for st in session_states(tickets).get("on_sale", [])
        if not svc.catalog.events[st.rec.event_id].real_name
        for layout in [svc.inventory.layout(svc.catalog.events[st.rec.event_id])]
        for tier in layout.wheelchair_tiers
        if all(s.standing for s in layout.seats.values() if s.tier == tier)
        and st.remaining.get(tier, 0) >= 3
        and any(
            s.accessible and s.tier == tier
            for s in layout.seats.values()
            if s.seat_id not in taken_now(tickets, st.rec.id)
        )
    )
    layout = svc.inventory.layout(p.event)
    async with Client(tickets.server) as c:
        args = {"session_id": p.session.id, "tier": p.tier, "quantity": 3, "wheelchair": True}
        hold = await ok(c, "tickets_hold_seats", args)
    seats = [layout.seats[s["seat_id"]] for s in hold["seats"]]
    assert [s.accessible for s in seats] == [True, False, False] and len({s.section for s in seats}) == 1
    assert all(("wheelchair space" in h["label"]) == h["accessible"] for h in hold["seats"])


async def test_seats_taken_a_moment_ago_are_refused_with_the_nearest_free_ones(tickets: TicketsEnv) -> None:
    """Two seats someone else holds were refused saying only 'no longer available', and the model read the whole
    map again: the refusal offers as many free seats side by side, of the same tier, nearest to the ones asked
    (the row's next seats before another row's), and holding them works."""
    p = on_sale(tickets)
    layout = tickets.service.inventory.layout(p.event)
    sid = p.session.id
    async with Client(tickets.server) as me, Client(tickets.server_for("usr_bob")) as bob:
        mine = await ok(me, "tickets_hold_seats", {"session_id": sid, "tier": p.tier, "quantity": 2})
        wanted = [s["seat_id"] for s in mine["seats"]]
        before = tickets.snapshot()
        refused = await err(bob, "tickets_hold_seats", {"session_id": sid, "seat_ids": wanted})
        assert tickets.snapshot() == before
        offered = refused.split(f"The nearest free seats of tier {p.tier}: ")[1].split(".")[0].split(", ")
        theirs = await ok(bob, "tickets_hold_seats", {"session_id": sid, "seat_ids": offered})
    assert "no longer available" in refused and len(offered) == 2 and layout.together(offered)
    assert [s["seat_id"] for s in theirs["seats"]] == offered
    rows = {layout.row_of[layout.canonical(s)] for s in (*wanted, *offered)}
    assert len(rows) == 1, "the asked row has free seats beside them: offered before another row's"


async def test_a_tier_as_people_say_it_is_that_tier(tickets: TicketsEnv) -> None:
    """'A类' (class A), 'VIP票' and '最便宜的' (the cheapest) were refused as no tier of the event: the word for class
    or ticket is dropped, and the cheapest or best ('最好的位置', 'best seats') is this session's cheapest or dearest
    tier. A wheelchair space said as the tier ('无障碍') is refused with the way to ask for one."""
    p = on_sale(tickets)
    prices = p.session.prices
    cheapest, dearest = min(prices, key=lambda t: prices[t]), max(prices, key=lambda t: prices[t])
    sid = p.session.id
    async with Client(tickets.server) as c:
        said = {}
        for tier in (f"{p.tier}类", f"{p.tier.lower()} tickets", "最便宜的", "cheapest", "best", "最好的位置",
                     "best seats"):  # fmt: skip
            hold = await ok(c, "tickets_hold_seats", {"session_id": sid, "tier": tier, "quantity": 1})
            said[tier] = hold["seats"][0]["tier"]
            await ok(c, "tickets_release_hold", {"hold_id": hold["id"]})
        unknown = await err(c, "tickets_hold_seats", {"session_id": sid, "tier": "Z类", "quantity": 1})
        wheelchair = await err(c, "tickets_hold_seats", {"session_id": sid, "tier": "无障碍", "quantity": 2})
    assert said[f"{p.tier}类"] == said[f"{p.tier.lower()} tickets"] == p.tier
    assert said["最便宜的"] == said["cheapest"] == cheapest and said["best"] == dearest
    assert said["最好的位置"] == said["best seats"] == dearest  # they were 'not a tier'
    assert "is not a tier" in unknown and "'cheapest'" in unknown
    assert "'无障碍' asks for a wheelchair space: call again with wheelchair=true" in wheelchair, wheelchair


async def test_a_tier_by_its_name_is_that_tier(tickets: TicketsEnv) -> None:
    """'站票' (a standing ticket: the tier's own Chinese name, as the event shows it) and 'general admission' were
    refused as no tier of a standing concert; a refusal now lists each tier with its names."""
    sid = "ses_99ff62ea06"  # Zhou Yu & Band: Unplugged, Apollo Live Club: STANDING (Standing / 站票) and VIP
    async with Client(tickets.server) as c:
        said = {}
        for tier in ("站票", "Standing", "general admission"):
            hold = await ok(c, "tickets_hold_seats", {"session_id": sid, "tier": tier, "quantity": 2})
            said[tier] = {s["tier"] for s in hold["seats"]}
            await ok(c, "tickets_release_hold", {"hold_id": hold["id"]})
        unknown = await err(c, "tickets_hold_seats", {"session_id": sid, "tier": "VVIP", "quantity": 1})
    assert all(tiers == {"STANDING"} for tiers in said.values()), said
    assert "Use one of: STANDING (Standing / 站票), VIP (or 'cheapest')" in unknown, unknown


async def test_several_seat_ids_in_one_entry_are_each_held(tickets: TicketsEnv) -> None:
    """Two seat ids joined in one entry ('STL-ROW5-SEAT11,STL-ROW5-SEAT12', as models join them) were one seat that
    'does not exist here': each is held. A seat id's own dashes are never read as a span."""
    p = on_sale(tickets)
    layout = tickets.service.inventory.layout(p.event)
    taken = taken_now(tickets, p.session.id)
    seats = sorted((s for s in layout.seats.values() if s.tier == p.tier and not s.standing and s.seat_id not in taken
                    and not s.partner), key=lambda s: (s.section, s.row, s.number))  # fmt: skip
    first, second = next((a, b) for a, b in pairwise(seats)
                         if (a.section, a.row) == (b.section, b.row) and b.number == a.number + 1)  # fmt: skip
    async with Client(tickets.server) as c:
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id,
                                                  "seat_ids": [f"{first.seat_id}, {second.seat_id}"]})  # fmt: skip
    assert [s["seat_id"] for s in hold["seats"]] == [first.seat_id, second.seat_id], hold


async def test_where_to_sit_said_as_the_tier_names_the_tiers_sold_there(tickets: TicketsEnv) -> None:
    """'balcony', '池座' (the stalls) and '前排' (the front rows) as a hold's tier were refused with the tiers alone,
    as if a price class had been misnamed: the refusal says which tiers sell seats there and how to sit there, and
    holds nothing."""
    async with Client(tickets.server) as c:
        (play,) = (await ok(c, "tickets_search_events", {"query": "Peer Gynt", "limit": 1}))["events"]
        before = tickets.snapshot()
        said = {
            tier: await err(
                c, "tickets_hold_seats", {"session_id": play["next_session_id"], "tier": tier, "quantity": 2}
            )
            for tier in ("balcony", "楼座", "池座", "前排", "front row", "VVIP")
        }
    assert "section (BAL: Balcony / 楼座), whose seats are tier B or C" in said["balcony"], said["balcony"]
    assert (
        "section (BAL" in said["楼座"]
        and "section (STL: Stalls / 池座), whose seats are tier VIP or A or B" in said["池座"]
    )
    assert "tickets_get_seat_map(section='BAL')" in said["balcony"]
    assert "The front rows are tier VIP" in said["前排"] and "The front rows are tier VIP" in said["front row"]
    assert "section" not in said["VVIP"] and "front rows" not in said["VVIP"]
    assert all("Use one of: VIP, A (A区), B (B区), C (C区)" in text for text in said.values())
    assert tickets.snapshot() == before


async def test_the_floor_or_the_stands_said_as_the_tier_holds_there_or_names_its_tiers(tickets: TicketsEnv) -> None:
    """'内场' (the floor) and '看台' (the stands), as concert tickets are bought, were refused as no tier, and so was
    'Standing Floor', a club's one section's own name. Where one tier sells all of that part (a club's standing
    floor) the hold takes it; where several do (a hall's floor, its stands) the refusal names the sections and
    their tiers; a venue without stands says so, and holds nothing."""
    svc = tickets.service
    club = next(
        st.rec
        for st in session_states(tickets)["on_sale"]
        if [s.code for s in svc.catalog.venues[svc.catalog.events[st.rec.event_id].venue_id].sections] == ["GA"]
        and svc.catalog.events[st.rec.event_id].category == "concert"
    )
    async with Client(tickets.server) as c:
        (mahler,) = (await ok(c, "tickets_search_events", {"query": "Mahler", "limit": 1}))["events"]
        before = tickets.snapshot()
        hall = {
            tier: await err(
                c, "tickets_hold_seats", {"session_id": mahler["next_session_id"], "tier": tier, "quantity": 2}
            )
            for tier in ("内场", "看台票", "the stands")
        }
        no_stands = await err(c, "tickets_hold_seats", {"session_id": club.id, "tier": "看台", "quantity": 2})
        assert tickets.snapshot() == before
        floor = await ok(c, "tickets_hold_seats", {"session_id": club.id, "tier": "内场", "quantity": 2})
        named = await ok(c, "tickets_hold_seats", {"session_id": club.id, "tier": "Standing Floor", "quantity": 1})
    assert "'内场' is the floor here (FLR: Floor / 池座), whose seats are tier VIP or A or B" in hall["内场"], hall
    assert "'看台票' is the stands here (T1: First Tier / 一层楼座, T2" in hall["看台票"], hall
    assert "TL: Left Terrace / 左侧看台" in hall["看台票"] and "whose seats are in tier A or B or C" in hall["看台票"]
    assert "is the stands here" in hall["the stands"]
    assert "has no stands: its sections are GA: Standing Floor / 站立区" in no_stands, no_stands
    assert [s["tier"] for s in floor["seats"]] == ["STANDING", "STANDING"], floor
    assert [s["tier"] for s in named["seats"]] == ["STANDING"], named


async def test_a_tier_said_with_together_or_softened_is_that_tier(tickets: TicketsEnv) -> None:
    """'A区连座' (tier A, seats together) and '便宜点的' (somewhat cheaper ones) were 'not a tier': best available holds
    seats side by side anyway, and a softened word for cheap is the cheapest tier."""
    async with Client(tickets.server) as c:
        (mahler,) = (await ok(c, "tickets_search_events", {"query": "Mahler", "limit": 1}))["events"]
        sid = mahler["next_session_id"]
        together = await ok(c, "tickets_hold_seats", {"session_id": sid, "tier": "A区连座", "quantity": 2})
        cheaper = await ok(c, "tickets_hold_seats", {"session_id": sid, "tier": "便宜点的", "quantity": 2})
        english = await ok(c, "tickets_hold_seats", {"session_id": sid, "tier": "B seats together", "quantity": 2})
        bare = await err(c, "tickets_hold_seats", {"session_id": sid, "tier": "连座", "quantity": 2})
        event = await ok(c, "tickets_get_event", {"event_id": mahler["id"]})
    prices = {t["code"]: t["price"]["amount_minor"] for t in event["sessions"][0]["tiers"]}
    assert {s["tier"] for s in together["seats"]} == {"A"} and {s["tier"] for s in english["seats"]} == {"B"}
    assert {s["tier"] for s in cheaper["seats"]} == {min(prices, key=prices.__getitem__)}, (cheaper, prices)
    for hold in (together, cheaper, english):
        (a, b) = hold["seats"]
        assert a["seat_id"].rsplit("SEAT", 1)[0] == b["seat_id"].rsplit("SEAT", 1)[0], hold  # one row
    assert "Say which tier" in bare, bare
