"""The tickets tools through the real MCP protocol (in memory), against the real backend."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from mcp import Client
from mcp.types import ElicitResult
from sqlmodel import Session, col, select

from shared.account.models import LedgerRow
from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import buy, err, ok, pick, session_states

MODES = pytest.mark.parametrize("mode", ["auto", "legacy"])
ID_CARD = "11010519491231002X"
ID_CARD_2 = "440304199001011233"


async def test_chinese_and_english_words_find_the_same_events(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        for en, zh in (("comedy", "脱口秀"), ("dance", "舞蹈"), ("Musiikkitalo", "赫尔辛基音乐中心")):
            a = await ok(c, "tickets_search_events", {"query": en, "limit": 20})
            b = await ok(c, "tickets_search_events", {"query": zh, "limit": 20})
            assert a["events"], en
            assert {e["id"] for e in a["events"]} == {e["id"] for e in b["events"]}, en
        typo = await ok(c, "tickets_search_events", {"query": "Musikitalo", "limit": 20})
    assert {e["id"] for e in typo["events"]} == {e["id"] for e in a["events"]}


async def test_a_four_letter_word_one_letter_off_is_read_as_the_events_word(tickets: TicketsEnv) -> None:
    """'Pier Gynt' found nothing ('No event matches pier'): near spellings were read from five letters. A four-letter
    word on no event, one letter off one of theirs with its first letter, matches it; a word of four far from any
    still matches nothing, and one that some event holds is read as written."""
    async with Client(tickets.server) as c:
        typo = await ok(c, "tickets_search_events", {"query": "Pier Gynt", "limit": 20})
        right = await ok(c, "tickets_search_events", {"query": "Peer Gynt", "limit": 20})
        nothing = await ok(c, "tickets_search_events", {"query": "xyzw"})
        jazz = await ok(c, "tickets_search_events", {"query": "jazz", "limit": 20})
    assert right["events"] and [e["id"] for e in typo["events"]] == [e["id"] for e in right["events"]]
    assert nothing["events"] == [] and "No event matches 'xyzw'" in nothing["note"], nothing
    assert jazz["events"] and all(e["genre"].startswith("jazz") for e in jazz["events"]), jazz["events"]


async def test_search_filters_by_category_area_dates_and_price(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        classical = await ok(c, "tickets_search_events", {"category": "classical", "limit": 20})
        kamppi = await ok(c, "tickets_search_events", {"area": "kamppi", "limit": 20})
        week = await ok(c, "tickets_search_events", {"date_from": "2026-11-30", "date_to": "2026-12-06", "limit": 20})
        cheap = await ok(c, "tickets_search_events", {"price_max_minor": 2500, "limit": 20})
        near = await ok(c, "tickets_search_events", {"lat": 60.1738, "lng": 24.9355, "limit": 20})
    assert classical["events"] and {e["category"] for e in classical["events"]} == {"classical"}
    assert kamppi["events"] and all(e["area"].startswith("Kamppi") for e in kamppi["events"])
    assert week["events"] and all("2026-11-30" <= e["next_session_at"][:10] <= "2026-12-06" for e in week["events"])
    assert cheap["events"] and all(e["price_from"]["amount_minor"] <= 2500 for e in cheap["events"])
    distances = [e["distance_m"] for e in near["events"]]
    assert distances == sorted(distances) and distances[0] < 100  # Musiikkitalo first


async def test_search_pages_with_an_opaque_cursor_and_no_overlap(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        first = await ok(c, "tickets_search_events", {"limit": 5})
        second = await ok(c, "tickets_search_events", {"limit": 5, "cursor": first["page"]["next_cursor"]})
    assert len(first["events"]) == 5 and second["events"]
    assert not {e["id"] for e in first["events"]} & {e["id"] for e in second["events"]}
    assert first["events"][-1]["next_session_at"] <= second["events"][0]["next_session_at"]


@MODES
async def test_search_to_refund_with_tokens_moves_exact_money_once(tickets_any_db: TicketsEnv, mode: str) -> None:
    env = tickets_any_db
    p = pick(env, min_days=8, policy="standard", real_name=False)
    before = env.wallet()
    async with Client(env.server, mode=mode) as c:
        found = await ok(c, "tickets_search_events", {"query": p.event.title, "limit": 20})
        assert p.event.id in {e["id"] for e in found["events"]}
        event = await ok(c, "tickets_get_event", {"event_id": p.event.id})
        session = next(s for s in event["sessions"] if s["id"] == p.session.id)
        tier = next(t for t in session["tiers"] if t["code"] == p.tier)
        seat_map = await ok(c, "tickets_get_seat_map", {"session_id": p.session.id})
        row = next(r for s in seat_map["sections"] for r in s["rows"] if r["tier"] == p.tier and "..." in r["seats"])
        section = next(s["code"] for s in seat_map["sections"] if row in s["rows"])
        at = row["seats"].index("...")  # rows are centred: the k-th non-space character is seat first + k - 1
        n = row["first"] + len(row["seats"][:at].replace(" ", ""))
        seats = [f"{section}-ROW{row['row']}-SEAT{n + k}" for k in range(3)]
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "seat_ids": seats})
        price, fee = tier["price"]["amount_minor"], event["service_fee"]["amount_minor"]
        assert hold["bill"]["total"]["amount_minor"] == 3 * (price + fee)
        assert [s["seat_id"] for s in hold["seats"]] == seats
        assert env.wallet() == before  # a hold is free
        first = await ok(c, "tickets_purchase", {"hold_id": hold["id"]})
        assert first["status"] == "confirmation_required" and env.wallet() == before
        assert first["quote"]["bill"] == hold["bill"]
        assert first["quote"]["wallet_after"]["amount_minor"] == before - 3 * (price + fee)
        assert first["wallet"] is None  # nothing moved yet
        token = first["quote"]["confirmation_token"]
        paid = await ok(c, "tickets_purchase", {"hold_id": hold["id"], "confirmation_token": token})
        again = await ok(c, "tickets_purchase", {"hold_id": hold["id"], "confirmation_token": token})
        after_map = await ok(c, "tickets_get_seat_map", {"session_id": p.session.id, "section": section})
        orders = await ok(c, "tickets_list_orders", {})
        order = paid["order"]
        assert again["order"]["id"] == order["id"]
        assert paid["wallet"]["amount_minor"] == again["wallet"]["amount_minor"] == before - 3 * (price + fee)
        assert [o["id"] for o in orders["orders"]] == [order["id"]]
        assert [t["seat_id"] for t in orders["orders"][0]["tickets"]] == seats
        assert all(t["code"].startswith("HTX1-") and t["status"] == "valid" for t in order["tickets"])
        taken = next(r for r in after_map["sections"][0]["rows"] if r["row"] == row["row"])["seats"]
        assert taken[at : at + 3] == "xxx"
        total = 3 * (price + fee)
        assert env.wallet() == before - total
        offer = await ok(c, "tickets_refund", {"order_id": order["id"]})
        assert offer["status"] == "confirmation_required"
        assert offer["quote"]["refund"]["amount_minor"] == total - 3 * 200  # 7+ days: all but €2 a ticket
        assert offer["quote"]["wallet_after"]["amount_minor"] == before - 3 * 200
        assert f"order_id='{order['id']}'" in offer["message"]
        refund_token = offer["quote"]["confirmation_token"]
        done = await ok(c, "tickets_refund", {"order_id": order["id"], "confirmation_token": refund_token})
        retry = await ok(c, "tickets_refund", {"order_id": order["id"], "confirmation_token": refund_token})
        freed = await ok(c, "tickets_get_seat_map", {"session_id": p.session.id, "section": section})
    assert done["order"]["status"] == "refunded" and retry["order"]["refunded"] == done["order"]["refunded"]
    assert env.wallet() == before - 3 * 200 == done["wallet"]["amount_minor"]
    with Session(env.engine) as session:  # the one wallet's ledger names both movements by their references
        moved = session.exec(select(LedgerRow).where(LedgerRow.vertical == "tickets").order_by(col(LedgerRow.id))).all()
    assert [(m.kind, m.amount_minor) for m in moved] == [("charge", -total), ("refund", total - 3 * 200)]
    assert moved[0].ref == order["id"] and moved[1].ref.startswith("rfd_")
    again_free = next(r for r in freed["sections"][0]["rows"] if r["row"] == row["row"])["seats"]
    assert again_free[at : at + 3] == "..."


@MODES
async def test_elicitation_asks_for_the_exact_total_and_a_no_buys_nothing(tickets: TicketsEnv, mode: str) -> None:
    p = pick(tickets, min_days=8, policy="standard", real_name=False)
    asked: list[str] = []
    answers = iter(
        [
            ElicitResult(action="decline"),
            ElicitResult(action="accept", content={"confirm": True}),
            ElicitResult(action="accept", content={"confirm": False}),
            ElicitResult(action="accept", content={"confirm": True}),
        ]
    )

    async def on_elicit(_ctx: object, params: object) -> ElicitResult:
        asked.append(params.message)  # type: ignore[attr-defined]
        return next(answers)

    before = tickets.wallet()
    async with Client(tickets.server, mode=mode, elicitation_callback=on_elicit) as c:
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 2})
        declined = await ok(c, "tickets_purchase", {"hold_id": hold["id"]})
        assert declined["status"] == "declined" and tickets.wallet() == before
        assert declined["quote"]["confirmation_token"] == "", "a declined amount leaves the model no token to act on"
        assert (await ok(c, "tickets_list_orders", {}))["orders"] == []
        bought = await ok(c, "tickets_purchase", {"hold_id": hold["id"]})
        kept = await ok(c, "tickets_refund", {"order_id": bought["order"]["id"]})
        assert kept["status"] == "declined"
        refunded = await ok(c, "tickets_refund", {"order_id": bought["order"]["id"]})
    total = hold["bill"]["total"]
    assert bought["status"] == "done" and bought["order"]["bill"]["total"] == total
    assert declined["wallet"] is None and bought["wallet"]["amount_minor"] == before - total["amount_minor"]
    assert total["display"] in asked[0] and total["display"] in asked[1]
    assert refunded["status"] == "done"
    assert tickets.wallet() == before - 2 * 200


async def test_another_accounts_hold_is_refused_and_untouched(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3)
    async with Client(tickets.server_for("usr_alice")) as alice:
        hold = await ok(alice, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 2})
    before = tickets.snapshot()
    async with Client(tickets.server) as c:
        buy_text = await err(c, "tickets_purchase", {"hold_id": hold["id"]})
        release_text = await err(c, "tickets_release_hold", {"hold_id": hold["id"]})
    assert "No hold" in buy_text and "No hold" in release_text
    assert tickets.snapshot() == before


async def test_the_per_account_limit_counts_holds_and_tickets(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3, free=8)
    limit = p.event.per_user_limit
    async with Client(tickets.server) as c:
        await buy(c, p.session.id, p.tier, 2)
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": limit - 2})
        over = await err(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 1})
        await ok(c, "tickets_release_hold", {"hold_id": hold["id"]})
        fine = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 1})
        too_many = await err(
            c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": limit + 1}
        )
    async with Client(tickets.server_for("usr_bob")) as bob:  # the limit is per account
        await ok(bob, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 2})
    assert f"limit is {limit}" in over and "tickets_release_hold" in over
    assert fine["status"] == "active"
    assert f"limit of {limit}" in too_many


async def test_repeating_a_hold_returns_the_same_hold_and_counts_once(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3)
    args = {"session_id": p.session.id, "tier": p.tier, "quantity": 2}
    async with Client(tickets.server) as c:
        first = await ok(c, "tickets_hold_seats", args)
        again = await ok(c, "tickets_hold_seats", args)
        exact = {"session_id": p.session.id, "seat_ids": [s["seat_id"] for s in first["seats"]]}
        same_seats = await ok(c, "tickets_hold_seats", exact)
        await ok(c, "tickets_release_hold", {"hold_id": first["id"]})
        fresh = await ok(c, "tickets_hold_seats", args)
    assert again == first
    assert same_seats == first
    assert fresh["id"] != first["id"] and fresh["status"] == "active"


async def test_real_name_events_need_one_saved_attendee_per_ticket_and_mask_ids(tickets: TicketsEnv) -> None:
    p = pick(tickets, real_name=True, free=3)
    async with Client(tickets.server) as c:
        event = await ok(c, "tickets_get_event", {"event_id": p.event.id})
        wang = await ok(c, "tickets_save_attendee", {"name": "王芳", "id_type": "id_card", "id_number": ID_CARD})
        same = await ok(
            c, "tickets_save_attendee", {"name": "王芳", "id_type": "id_card", "id_number": ID_CARD.lower()}
        )
        li = await ok(c, "tickets_save_attendee", {"name": "Li Wei", "id_type": "id_card", "id_number": ID_CARD_2})
        listed = await ok(c, "tickets_list_attendees", {})
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 2})
        missing = await err(c, "tickets_purchase", {"hold_id": hold["id"]})
        short = await err(c, "tickets_purchase", {"hold_id": hold["id"], "attendee_ids": [wang["id"]]})
        twice = await err(c, "tickets_purchase", {"hold_id": hold["id"], "attendee_ids": [wang["id"], wang["id"]]})
        quote = await ok(c, "tickets_purchase", {"hold_id": hold["id"], "attendee_ids": [wang["id"], li["id"]]})
        token = quote["quote"]["confirmation_token"]
        before = tickets.snapshot(), tickets.wallet()
        swapped = await err(  # the same people on the other seats is not what the user confirmed
            c,
            "tickets_purchase",
            {"hold_id": hold["id"], "attendee_ids": [li["id"], wang["id"]], "confirmation_token": token},
        )
        assert f"quoted for attendee_ids ['{wang['id']}', '{li['id']}']" in swapped and "nothing was bought" in swapped
        assert (tickets.snapshot(), tickets.wallet()) == before
        paid = await ok(
            c,
            "tickets_purchase",
            {
                "hold_id": hold["id"],
                "attendee_ids": [wang["id"], li["id"]],
                "confirmation_token": quote["quote"]["confirmation_token"],
            },
        )
        second = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 1})
        dup = await err(c, "tickets_purchase", {"hold_id": second["id"], "attendee_ids": [li["id"]]})
        orders = await ok(c, "tickets_list_orders", {})
    assert event["real_name_required"] is True
    assert same["id"] == wang["id"] and len(listed["attendees"]) == 2
    assert wang["id_number_masked"] == "1101**********002X"
    assert "real-name" in missing and "2 attendee_ids" in missing
    assert "1 attendee_ids for 2" in short and "一人一票" in twice
    assert "already has a ticket" in dup
    tickets_out = orders["orders"][0]["tickets"]
    assert [t["attendee"] for t in tickets_out] == ["王* (1101**********002X)", "Li W. (4403**********1233)"]
    assert paid["status"] == "done"
    dumped = str(orders) + str(listed) + str(paid) + str(quote)
    assert ID_CARD not in dumped and ID_CARD_2 not in dumped


async def test_a_refund_of_a_seat_or_a_count_names_the_orders_tickets(tickets: TicketsEnv) -> None:
    """ticket_ids=['STL-ROW5-SEAT10'] (the seat the user gives back), in any case, and ['只退一张'] (refund one) said
    only 'ids start with tkt_, use tickets_list_orders': the seat is refused with its ticket's id, a count with the
    order's tickets not refunded (by seat), and nothing is refunded."""
    p = pick(tickets, min_days=8, max_days=12, policy="standard", real_name=False)
    async with Client(tickets.server) as c:
        order = await buy(c, p.session.id, p.tier, 2)
        first, second = order["tickets"]
        before = tickets.snapshot()
        by_seat = await err(c, "tickets_refund", {"order_id": order["id"], "ticket_ids": [first["seat_id"].lower()]})
        by_label = await err(c, "tickets_refund", {"order_id": order["id"], "ticket_ids": [second["seat_id"]]})
        count = await err(c, "tickets_refund", {"order_id": order["id"], "ticket_ids": ["只退一张"]})
        assert tickets.snapshot() == before
    assert f"is a seat, not a ticket id: its ticket is {first['id']}" in by_seat, by_seat
    assert f"its ticket is {second['id']}" in by_label, by_label
    for t in (first, second):
        assert f"{t['id']} (seat {t['seat']})" in count, count
    assert "ask the user which" in count


async def test_refunds_follow_the_policy_tiers_by_time_before_the_start(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=8, max_days=12, policy="standard", real_name=False)
    fee = p.event.service_fee_minor
    price = p.session.prices[p.tier]
    async with Client(tickets.server) as c:
        order = await buy(c, p.session.id, p.tier, 2)
        to_start = p.session.starts_at - tickets.service.now()
        tickets.clock.advance(to_start - timedelta(days=3))  # three days before: 80%
        one = order["tickets"][0]["id"]
        offer = await ok(c, "tickets_refund", {"order_id": order["id"], "ticket_ids": [one]})
        assert offer["quote"]["refund"]["amount_minor"] == (price + fee) * 80 // 100
        wallet = tickets.wallet()
        done = await ok(
            c, "tickets_refund", {"order_id": order["id"], "confirmation_token": offer["quote"]["confirmation_token"]}
        )
        assert tickets.wallet() == wallet + (price + fee) * 80 // 100
        assert [t["status"] for t in done["order"]["tickets"]] == ["refunded", "valid"]
        assert done["order"]["status"] == "partly_refunded"
        again = await err(c, "tickets_refund", {"order_id": order["id"], "ticket_ids": [one]})
        tickets.clock.advance(timedelta(days=2))  # one day before: no refunds
        before = tickets.snapshot()
        late = await err(c, "tickets_refund", {"order_id": order["id"]})
        listed = await ok(c, "tickets_list_orders", {"status": "upcoming"})
    assert "already refunded" in again
    assert "under 48 hours" in late and tickets.snapshot() == before
    assert listed["orders"][0]["refund_now"].startswith("No refund now")


async def test_non_refundable_events_say_so_and_change_nothing(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=8, policy="no_refund", standing=True)
    async with Client(tickets.server) as c:
        order = await buy(c, p.session.id, p.tier, 1)
        before = tickets.snapshot()
        text = await err(c, "tickets_refund", {"order_id": order["id"]})
    assert "cannot be refunded" in text
    assert tickets.snapshot() == before


async def test_sessions_not_on_sale_sold_out_or_over_are_refused_with_the_reason(tickets: TicketsEnv) -> None:
    states = session_states(tickets)
    early, full = states["not_yet_on_sale"][0], states["sold_out"][0]
    soon = tickets.service.catalog.events[early.rec.event_id]
    p = pick(tickets, min_days=2)

    def hold(session_id: str, tier: str) -> dict[str, object]:
        return {"session_id": session_id, "tier": tier, "quantity": 1}

    async with Client(tickets.server) as c:
        page = await ok(c, "tickets_search_events", {"query": soon.title, "limit": 20})
        summary = next(e for e in page["events"] if e["id"] == soon.id)
        not_yet = await err(c, "tickets_hold_seats", hold(early.rec.id, soon.tiers[0].code))
        sold_out = await err(c, "tickets_hold_seats", hold(full.rec.id, next(iter(full.remaining))))
        tickets.clock.set(p.session.starts_at - timedelta(minutes=30))
        closed = await err(c, "tickets_hold_seats", hold(p.session.id, p.tier))
        tickets.clock.set(p.session.starts_at + timedelta(minutes=1))
        running = await err(c, "tickets_hold_seats", hold(p.session.id, p.tier))
        tickets.clock.set(p.session.starts_at + timedelta(minutes=p.event.duration_min + 1))
        over = await err(c, "tickets_hold_seats", hold(p.session.id, p.tier))
    assert summary["availability"] == "not_yet_on_sale"
    assert "go on sale at" in not_yet
    assert "sold out" in sold_out
    assert "closed one hour before" in closed
    assert "has already started (it runs until" in running, running  # it used to say "over" while it was on
    assert "already over" in over


async def test_a_sold_out_only_session_sends_the_user_to_other_events_not_other_sessions(tickets: TicketsEnv) -> None:
    """A one-night concert that is sold out has no other session to pick: the refusal says to look for another event
    instead of sending the model to tickets_get_event for a session that does not exist."""
    cat = tickets.service.catalog
    states = session_states(tickets)
    only = next(st for st in states["sold_out"] if len(cat.by_event[st.rec.event_id]) == 1)
    more = next(st for st in states["sold_out"] if len(cat.by_event[st.rec.event_id]) > 1)
    async with Client(tickets.server) as c:
        alone = await err(
            c, "tickets_hold_seats", {"session_id": only.rec.id, "tier": next(iter(only.remaining)), "quantity": 1}
        )
        others = await err(
            c, "tickets_hold_seats", {"session_id": more.rec.id, "tier": next(iter(more.remaining)), "quantity": 1}
        )
    assert "sold out" in alone and "no other session to buy tickets for" in alone
    assert "tickets_search_events" in alone and "Pick another session" not in alone
    assert "sold out" in others and "session_id='ses_" in others  # another session of it, named, with tickets


async def test_a_wallet_that_cannot_pay_is_declined_before_a_token_is_offered(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3)
    async with Client(tickets.server_for("usr_broke")) as c:
        hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 2})
        before = tickets.snapshot()
        text = await err(c, "tickets_purchase", {"hold_id": hold["id"]})
    assert "does not cover" in text and hold["bill"]["total"]["display"] in text
    # no tool tops a wallet up: the hint says the user does it elsewhere, and what the agent can do instead
    assert "No tool here adds money" in text and "tickets_release_hold" in text and "Top up the wallet" not in text
    assert tickets.snapshot() == before  # no token was issued


BAD_CALLS = [
    ("tickets_search_events", {"category": "opera"}, "category"),
    ("tickets_search_events", {"date_from": "next friday"}, "YYYY-MM-DD"),
    ("tickets_search_events", {"date_from": "2026-12-10", "date_to": "2026-12-01"}, "before date_from"),
    ("tickets_search_events", {"price_min_minor": 5000, "price_max_minor": 1000}, "price range"),
    ("tickets_search_events", {"area": "Atlantis"}, "not a district"),
    ("tickets_search_events", {"lat": 39.9, "lng": 116.4}, "outside the service area"),
    ("tickets_search_events", {"cursor": "garbage!"}, "cursor"),
    ("tickets_get_event", {"event_id": "evt_nope"}, "No event"),
    ("tickets_get_event", {"event_id": "ses_123"}, "start with 'evt_'"),
    ("tickets_get_event", {"event_id": "../orders"}, "not a valid id"),
    ("tickets_get_seat_map", {"session_id": "ses_nope"}, "No session"),
    ("tickets_get_seat_map", {"session_id": "SESSION"}, "tickets_get_event"),
    ("tickets_hold_seats", {"session_id": "ses_nope", "tier": "A", "quantity": 1}, "No session"),
    ("tickets_hold_seats", {"session_id": "SES", "seat_ids": ["STL-1-1"]}, "start with 'ses_'"),
    ("tickets_hold_seats", {"session_id": "ses_x", "quantity": 11}, "quantity"),
    ("tickets_release_hold", {"hold_id": "hld_missing"}, "No hold"),
    ("tickets_release_hold", {"hold_id": "ord_1"}, "start with 'hld_'"),
    ("tickets_purchase", {"hold_id": "hld_missing"}, "No hold"),
    ("tickets_purchase", {"hold_id": "hld_missing", "confirmation_token": "cft_unknown"}, "unknown"),
    ("tickets_list_orders", {"status": "lost"}, "status"),
    ("tickets_list_orders", {"limit": 0}, "limit"),
    ("tickets_list_orders", {"cursor": "nope!"}, "cursor"),
    ("tickets_refund", {"order_id": "tko_missing"}, "No order"),
    ("tickets_refund", {"order_id": "tko_missing", "confirmation_token": "cft_nope"}, "unknown"),
    ("tickets_save_attendee", {"name": "王芳", "id_type": "id_card", "id_number": "110105194912310021"}, "checksum"),
    ("tickets_save_attendee", {"name": "王芳", "id_type": "id_card", "id_number": "1234"}, "18 characters"),
    ("tickets_save_attendee", {"name": "R2-D2", "id_type": "passport", "id_number": "E12345678"}, "name"),
    ("tickets_save_attendee", {"name": "Wang", "id_type": "driving_licence", "id_number": "1"}, "id_type"),
]


@pytest.mark.parametrize(("tool", "args", "says"), BAD_CALLS, ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(BAD_CALLS)])
async def test_bad_input_is_a_tool_error_that_changes_nothing(
    tickets: TicketsEnv, tool: str, args: dict[str, object], says: str
) -> None:
    before = tickets.snapshot()
    async with Client(tickets.server) as c:
        text = await err(c, tool, args)
    assert says in text
    assert tickets.snapshot() == before


async def test_bad_seat_requests_are_refused_with_the_fix_and_change_nothing(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3)
    sid = p.session.id
    async with Client(tickets.server_for("usr_alice")) as alice:
        taken = await ok(alice, "tickets_hold_seats", {"session_id": sid, "tier": p.tier, "quantity": 1})
    async with Client(tickets.server) as c:
        before = tickets.snapshot()
        texts = [
            await err(c, "tickets_hold_seats", {"session_id": sid, "seat_ids": ["ZZZ-1-1"]}),
            await err(c, "tickets_hold_seats", {"session_id": sid, "seat_ids": [taken["seats"][0]["seat_id"]]}),
            await err(c, "tickets_hold_seats", {"session_id": sid, "tier": "PLATINUM", "quantity": 1}),
            await err(c, "tickets_hold_seats", {"session_id": sid}),
            await err(
                c, "tickets_hold_seats", {"session_id": sid, "seat_ids": ["STL-1-1"], "tier": "A", "quantity": 1}
            ),
            await err(c, "tickets_get_seat_map", {"session_id": sid, "section": "ROOF"}),
            await err(c, "tickets_hold_seats", {"session_id": sid, "tier": p.tier, "quantity": 0}),
        ]
    assert "does not exist" in texts[0] and "tickets_get_seat_map" in texts[0]
    assert "no longer available" in texts[1]
    assert "not a tier" in texts[2]
    assert "Say which seats" in texts[3] and "Say which seats" in texts[6]
    assert "not both" in texts[4]
    assert "no section" in texts[5]
    assert tickets.snapshot() == before


async def test_a_refund_token_sent_with_other_tickets_refunds_nothing_and_names_the_quoted_ones(
    tickets: TicketsEnv,
) -> None:
    p = pick(tickets, min_days=8, policy="standard", real_name=False)
    async with Client(tickets.server) as c:
        order = await buy(c, p.session.id, p.tier, 2)
        first, second = [t["id"] for t in order["tickets"]]
        offer = await ok(c, "tickets_refund", {"order_id": order["id"], "ticket_ids": [first]})
        token = offer["quote"]["confirmation_token"]
        before = tickets.snapshot(), tickets.wallet()
        text = await err(
            c, "tickets_refund", {"order_id": order["id"], "ticket_ids": [second], "confirmation_token": token}
        )
        assert f"quoted for ticket_ids ['{first}'], not ['{second}']" in text and "nothing was refunded" in text
        assert (tickets.snapshot(), tickets.wallet()) == before
        done = await ok(
            c, "tickets_refund", {"order_id": order["id"], "ticket_ids": [first], "confirmation_token": token}
        )
        again = await ok(  # a retry
            c, "tickets_refund", {"order_id": order["id"], "ticket_ids": [first], "confirmation_token": token}
        )
    status = {t["id"]: t["status"] for t in done["order"]["tickets"]}
    assert status == {first: "refunded", second: "valid"} and again["order"] == done["order"]
    assert tickets.wallet() == before[1] + offer["quote"]["refund"]["amount_minor"]


async def test_a_refund_token_whose_ticket_was_refunded_since_asks_for_a_new_quote(tickets: TicketsEnv) -> None:
    """Two quotes of one order: the one-ticket refund goes through, then the whole-order token is stale. It refunds
    nothing and says to quote again; "leave it out" would ask the model to edit a confirmation it cannot edit."""
    p = pick(tickets, min_days=8, policy="standard", real_name=False)
    async with Client(tickets.server) as c:
        order = await buy(c, p.session.id, p.tier, 2)
        first = order["tickets"][0]["id"]
        whole = await ok(c, "tickets_refund", {"order_id": order["id"]})
        one = await ok(c, "tickets_refund", {"order_id": order["id"], "ticket_ids": [first]})
        token = one["quote"]["confirmation_token"]
        await ok(c, "tickets_refund", {"order_id": order["id"], "ticket_ids": [first], "confirmation_token": token})
        before = tickets.snapshot(), tickets.wallet()
        stale = await err(
            c, "tickets_refund", {"order_id": order["id"], "confirmation_token": whole["quote"]["confirmation_token"]}
        )
        after = tickets.snapshot(), tickets.wallet()
        again = await ok(c, "tickets_refund", {"order_id": order["id"]})
    assert f"{first} of this confirmation was refunded after the quote" in stale and "nothing was refunded" in stale
    assert "Leave it out" not in stale and "no confirmation_token" in stale
    assert after == before
    assert again["quote"]["ticket_ids"] == [order["tickets"][1]["id"]]


async def test_a_second_partial_refund_is_not_reported_as_the_sum_of_both(tickets: TicketsEnv) -> None:
    """Refunding one ticket, then the other: the second result said "Refunded; €75.00 back in all." when €37.50 came
    back, and a model read it out as this refund. It says the total is the order's."""
    p = pick(tickets, min_days=8, policy="standard", real_name=False)
    async with Client(tickets.server) as c:
        order = await buy(c, p.session.id, p.tier, 2)
        said = []
        for ticket in order["tickets"]:
            args = {"order_id": order["id"], "ticket_ids": [ticket["id"]]}
            quote = await ok(c, "tickets_refund", args)
            done = await ok(c, "tickets_refund", args | {"confirmation_token": quote["quote"]["confirmation_token"]})
            said.append(done["message"])
    total = done["order"]["refunded"]["display"]
    assert said[1] == f"Refunded as confirmed; this order has had {total} back in all."


async def test_a_refund_token_lapses_when_the_refund_drops_and_the_words_never_round_up(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=8, max_days=12, policy="standard", real_name=False)
    async with Client(tickets.server) as c:
        order = await buy(c, p.session.id, p.tier, 1)
        to_start = p.session.starts_at - tickets.service.now()
        tickets.clock.advance(to_start - timedelta(days=7, minutes=1))  # a minute before the full refund ends
        offer = await ok(c, "tickets_refund", {"order_id": order["id"]})
        tickets.clock.advance(timedelta(minutes=2))
        before = tickets.snapshot(), tickets.wallet()
        lapsed = await err(
            c, "tickets_refund", {"order_id": order["id"], "confirmation_token": offer["quote"]["confirmation_token"]}
        )
        after = tickets.snapshot(), tickets.wallet()
        tickets.clock.advance(timedelta(days=5))  # 48 hours less a minute before the start
        late = await err(c, "tickets_refund", {"order_id": order["id"]})
        tickets.clock.advance(timedelta(hours=47))  # 59 minutes before the start
        last_hour = await err(c, "tickets_refund", {"order_id": order["id"]})
    assert datetime.fromisoformat(offer["quote"]["expires_at"]) == p.session.starts_at - timedelta(days=7)
    assert "expired at" in lapsed and "nothing was refunded" in lapsed and after == before
    assert "starts in 47 hours, under 48 hours" in late
    assert "starts in 59 minutes, under 48 hours" in last_hour, last_hour  # it said "starts in 0 hours"


async def test_saving_an_attendee_again_in_other_case_or_spacing_returns_the_saved_one(tickets: TicketsEnv) -> None:
    """The same ID with the name typed in lower case or with a space between Chinese characters is the same person:
    the saved attendee comes back, as for an exact repeat; another name on that ID is still refused."""
    async with Client(tickets.server) as c:
        wang = await ok(c, "tickets_save_attendee", {"name": "王芳", "id_type": "id_card", "id_number": ID_CARD})
        spaced = await ok(c, "tickets_save_attendee", {"name": "王 芳", "id_type": "id_card", "id_number": ID_CARD})
        anna = {"id_type": "passport", "id_number": "AB1234567"}
        first = await ok(c, "tickets_save_attendee", {"name": "Anna Virtanen"} | anna)
        lower = await ok(c, "tickets_save_attendee", {"name": "anna virtanen"} | anna)
        other = await err(c, "tickets_save_attendee", {"name": "Anna Korhonen"} | anna)
        listed = await ok(c, "tickets_list_attendees", {})
    assert spaced == wang and lower == first and first["name"] == "Anna Virtanen"
    assert "already saved for Anna Virtanen" in other
    assert len(listed["attendees"]) == 2


async def test_the_refund_rule_counts_one_hour_and_one_minute_in_the_singular(tickets: TicketsEnv) -> None:
    """The rule is read out to the user as it is: 'starts in 1 hours' is not how anyone says it."""
    p = pick(tickets, min_days=3, policy="standard", real_name=False)
    async with Client(tickets.server) as c:
        order = await buy(c, p.session.id, p.tier, 1)
        tickets.clock.set(p.session.starts_at - timedelta(hours=1, minutes=30))
        hour = await err(c, "tickets_refund", {"order_id": order["id"]})
        listed = await ok(c, "tickets_list_orders", {"status": "upcoming"})
        tickets.clock.set(p.session.starts_at - timedelta(minutes=1, seconds=30))
        minute = await err(c, "tickets_refund", {"order_id": order["id"]})
    assert "starts in 1 hour, under 48 hours" in hour, hour
    assert "starts in 1 hour, under 48 hours" in listed["orders"][0]["refund_now"]
    assert "starts in 1 minute, under 48 hours" in minute, minute


async def test_order_pages_list_every_order_once_while_orders_are_refunded_or_bought_between_pages(
    tickets: TicketsEnv,
) -> None:
    p = pick(tickets, min_days=8, policy="standard", real_name=False, free=6)
    async with Client(tickets.server) as c:
        bought = []
        for _ in range(4):
            bought.append((await buy(c, p.session.id, p.tier, 1))["id"])
            tickets.clock.advance(timedelta(minutes=1))
        first = await ok(c, "tickets_list_orders", {"status": "upcoming", "limit": 2})
        gone = first["orders"][0]["id"]  # refunded in full: it leaves the upcoming list between the pages
        offer = await ok(c, "tickets_refund", {"order_id": gone})
        await ok(c, "tickets_refund", {"order_id": gone, "confirmation_token": offer["quote"]["confirmation_token"]})
        second = await ok(
            c, "tickets_list_orders", {"status": "upcoming", "limit": 2, "cursor": first["page"]["next_cursor"]}
        )
        any_first = await ok(c, "tickets_list_orders", {"limit": 2})
        newer = (await buy(c, p.session.id, p.tier, 1))["id"]  # bought between the pages
        any_second = await ok(c, "tickets_list_orders", {"limit": 3, "cursor": any_first["page"]["next_cursor"]})
    newest_first = bought[::-1]
    assert [o["id"] for o in first["orders"]] == newest_first[:2]
    assert [o["id"] for o in second["orders"]] == newest_first[2:]  # an offset skipped newest_first[2]
    listed = [o["id"] for o in any_first["orders"] + any_second["orders"]]
    assert listed == newest_first and newer not in listed  # an offset repeated newest_first[1]


async def test_owning_the_limit_says_refund_not_release(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3, standing=True, free=8)
    limit = p.event.per_user_limit
    others = [s for s in p.event.sessions if s.id != p.session.id] or [p.session]
    async with Client(tickets.server) as c:
        await buy(c, p.session.id, p.tier, limit)
        owned = await err(c, "tickets_hold_seats", {"session_id": others[0].id, "tier": p.tier, "quantity": 1})
    assert f"already owns {limit} ticket(s)" in owned and f"limit of {limit}" in owned
    assert "tickets_refund" in owned and "tickets_release_hold" not in owned


async def test_holding_part_of_the_limit_says_release_and_how_many_are_held(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3, free=8)
    limit = p.event.per_user_limit
    async with Client(tickets.server) as c:
        await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": limit})
        over = await err(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 1})
    assert f"owns 0 and holds {limit}" in over and "tickets_release_hold" in over and "tickets_refund" not in over


async def test_a_venue_osm_gives_only_a_house_number_shows_its_street_address(tickets: TicketsEnv) -> None:
    """OpenStreetMap tags Helsinki Contemporary with house number 10 and no street: its address read 'Helsinki'
    (a bare '10' was dropped). It takes its building's street address, Bulevardi 10 (fixtures/build_city.py
    with_nearest_addresses), as every venue with a street address near it does."""
    catalog = tickets.service.catalog
    assert all(v.street.strip() or not v.housenumber.strip() for v in catalog.venues.values())
    gallery = next(v for v in catalog.venues.values() if v.name == "Helsinki Contemporary")
    event = next(e for e in catalog.events.values() if e.venue_id == gallery.id)
    async with Client(tickets.server) as c:
        got = await ok(c, "tickets_get_event", {"event_id": event.id})
    assert got["venue"]["address"].startswith("Bulevardi 10, ") and got["venue"]["address"].endswith("Helsinki")


async def test_a_quantity_without_a_tier_holds_the_only_tier_or_names_each_tier_and_its_price(
    tickets: TicketsEnv,
) -> None:
    """'Two tickets for the comedy night' was 'Say which seats: seat_ids, or tier and quantity' though the night sells
    one tier only; with several tiers the refusal gave codes without prices, so the agent could not ask the user."""
    on_sale = session_states(tickets)["on_sale"]
    one = next(st.rec for st in on_sale if len(st.rec.prices) == 1 and min(st.remaining.values()) >= 2)
    several = next(st.rec for st in on_sale if len(st.rec.prices) >= 3)
    before = tickets.snapshot()
    async with Client(tickets.server) as c:
        choose = await err(c, "tickets_hold_seats", {"session_id": several.id, "quantity": 2})
        assert tickets.snapshot() == before
        hold = await ok(c, "tickets_hold_seats", {"session_id": one.id, "quantity": 2})
    (code,) = one.prices
    assert len(hold["seats"]) == 2 and {s["tier"] for s in hold["seats"]} == {code}
    assert "Say which tier" in choose and "'cheapest'" in choose
    assert all(f"{tier} €{price / 100:.2f}" in choose for tier, price in several.prices.items()), choose
