"""Scheduled delivery (预约送达): booking a slot, the lifecycle running back from it, refunds and bad slots."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from mcp import Client
from sqlmodel import Session

from servers.food.backend.models import OrderRow
from servers.food.backend.slots import parse
from shared.geo import CITY_TZ
from shared.hours import is_open
from tests.servers.food.conftest import LUNCH, FoodEnv
from tests.servers.food.helpers import err, fill_cart, ok


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def steps(order: dict[str, Any]) -> dict[str, datetime]:
    return {s["status"]: at(s["at"]) for s in order["timeline"]}


async def book(c: Client, slot: str, **extra: object) -> dict[str, Any]:
    """Quote and confirm an order for ``slot``; returns the placed order."""
    quote = await ok(c, "food_place_order", {"deliver_at": slot, **extra})
    assert quote["status"] == "confirmation_required"
    token = quote["quote"]["confirmation_token"]
    placed = await ok(c, "food_place_order", {"confirmation_token": token})
    assert placed["status"] == "done"
    return placed["order"]


async def test_a_closed_restaurant_is_booked_for_a_slot_and_its_lifecycle_runs_back_from_the_slot(
    food: FoodEnv,
) -> None:
    async with Client(food.server) as c:
        cart = await fill_cart(c)
        food.clock.set(LUNCH + timedelta(hours=16))  # 04:30 the next morning: closed
        closed = await ok(c, "food_get_cart", {})
        slot = closed["earliest_slot"]
        before = food.wallet()
        quote = await ok(c, "food_place_order", {"deliver_at": slot})
        order = await book(c, slot)
        food.clock.advance(timedelta(minutes=10))
        waiting = await ok(c, "food_get_order", {"order_id": order["id"]})
        marks = steps(order)
        food.clock.set(marks["preparing"] + timedelta(seconds=30))
        cooking = await ok(c, "food_get_order", {"order_id": order["id"]})
        food.clock.set(at(slot))
        arrived = await ok(c, "food_get_order", {"order_id": order["id"]})
    rest = food.catalog.restaurants[cart["restaurant_id"]]
    assert not closed["can_order"] and any("deliver_at" in p for p in closed["problems"])
    assert not is_open(rest.opening_hours, marks["placed"]) and is_open(rest.opening_hours, marks["preparing"])
    assert at(slot).minute % 15 == 0
    assert quote["quote"]["deliver_at"] == slot and "scheduled" in quote["quote"]["summary"]
    assert order["scheduled_for"] == slot and order["eta"] == slot and marks["delivered"] == at(slot)
    assert list(marks) == ["placed", "accepted", "preparing", "picked_up", "delivering", "delivered"]
    assert marks["accepted"] > marks["placed"] + timedelta(minutes=10), "the kitchen starts for the slot, not now"
    assert waiting["status"] == "placed" and waiting["rider"] is None
    assert cooking["status"] == "preparing"
    assert arrived["status"] == "delivered"
    assert food.wallet() == before - cart["bill"]["total"]["amount_minor"]
    with Session(food.engine) as session:
        row = session.get(OrderRow, order["id"])
        assert row is not None and at(row.snapshot["deliver_at"]) == at(slot)


async def test_cancelling_a_scheduled_order_before_the_kitchen_starts_refunds_everything(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        cart = await fill_cart(c)
        slot = (at(cart["earliest_slot"]) + timedelta(hours=1)).isoformat()
        before = food.wallet()
        order = await book(c, slot)
        food.clock.advance(timedelta(minutes=10))  # an order for now would be half-refundable by now
        offer = await ok(c, "food_cancel_order", {"order_id": order["id"]})
        token = offer["quote"]["confirmation_token"]
        done = await ok(c, "food_cancel_order", {"order_id": order["id"], "confirmation_token": token})
    total = order["bill"]["total"]["amount_minor"]
    quote = offer["quote"]
    assert quote["refund"]["amount_minor"] == total
    assert (
        at(quote["refund_drops_at"]) == steps(order)["preparing"] and quote["refund_then"]["amount_minor"] == total // 2
    )
    assert done["order"]["status"] == "cancelled" and done["order"]["refunded"]["amount_minor"] == total
    assert food.wallet() == before
    with Session(food.engine) as session:
        row = session.get(OrderRow, order["id"])
        assert row is not None and row.refunded_minor == total and row.cancelled_at is not None


def closed_slot(env: FoodEnv, restaurant_id: str) -> datetime:
    """A quarter hour within the next two days when the restaurant is closed for the two hours before it."""
    rest = env.catalog.restaurants[restaurant_id]
    slot = LUNCH.replace(minute=0) + timedelta(hours=2)
    while slot < LUNCH + timedelta(days=2):
        if not any(is_open(rest.opening_hours, slot - timedelta(minutes=m)) for m in range(0, 121, 5)):
            return slot
        slot += timedelta(minutes=15)
    raise AssertionError("the restaurant never closes")


async def test_bad_slots_are_refused_with_the_reason_and_change_nothing(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        cart = await fill_cart(c)
        first = at(cart["earliest_slot"])
        shut = closed_slot(food, cart["restaurant_id"])
        bad = {
            "not a time": "tomorrow-ish",
            "in the past": "12:00",
            "every 15 minutes": (first + timedelta(minutes=10)).isoformat(),
            "too far ahead": (first + timedelta(days=3, hours=1)).isoformat(),
            "too soon": (first - timedelta(minutes=15)).isoformat(),
            "closed for": shut.astimezone(CITY_TZ).strftime("%Y-%m-%dT%H:%M"),
        }
        before = food.snapshot()
        said = {why: await err(c, "food_place_order", {"deliver_at": slot}) for why, slot in bad.items()}
    assert food.snapshot() == before
    for why, text in said.items():
        assert why in text, (why, text)
    assert all(f"{first:%H:%M}" in text for why, text in said.items() if why != "not a time")  # the way out
    assert "Slots on" in said["closed for"] or "No slots on" in said["closed for"]


async def test_a_slot_that_became_too_soon_since_the_quote_orders_nothing(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        cart = await fill_cart(c)
        quote = await ok(c, "food_place_order", {"deliver_at": cart["earliest_slot"]})
        food.clock.advance(timedelta(minutes=9))
        before = food.snapshot()
        text = await err(c, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]})
    assert "too soon" in text
    assert food.snapshot() == before


async def test_the_slot_is_part_of_what_the_user_confirms(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        cart = await fill_cart(c)
        first = at(cart["earliest_slot"])
        now = await ok(c, "food_place_order", {})
        later = await ok(c, "food_place_order", {"deliver_at": (first + timedelta(minutes=30)).strftime("%H:%M")})
    assert now["quote"]["confirmation_token"] != later["quote"]["confirmation_token"]
    assert now["quote"]["deliver_at"] is None and at(later["quote"]["deliver_at"]) == first + timedelta(minutes=30)
    assert later["quote"]["eta_minutes"] > now["quote"]["eta_minutes"]


async def test_an_order_placed_now_that_the_kitchen_could_not_cook_before_closing_is_refused(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        cart = await fill_cart(c)
        rest = food.catalog.restaurants[cart["restaurant_id"]]
        closing = LUNCH
        while is_open(rest.opening_hours, closing) and closing < LUNCH + timedelta(days=1):
            closing += timedelta(minutes=1)
        food.clock.set(closing - timedelta(minutes=1))  # open, but it would cook after closing
        late = await ok(c, "food_get_cart", {})
        before, wallet = food.snapshot(), food.wallet()
        refused = await err(c, "food_place_order", {})
        unchanged = (food.snapshot(), food.wallet()) == (before, wallet)
    assert is_open(rest.opening_hours, closing - timedelta(minutes=1)) and not is_open(rest.opening_hours, closing)
    assert not late["can_order"] and late["earliest_slot"] is not None
    [problem] = late["problems"]
    assert "closes before it could cook this order" in problem and "deliver_at" in problem
    assert "closes before it could cook this order" in refused and unchanged


async def test_a_slot_the_kitchen_closes_before_it_is_ready_says_so_not_closed(food: FoodEnv) -> None:
    """MorriSon's is open on Wednesdays 11:00-22:00: a 22:15 delivery would cook from 21:46, inside its hours, but
    be ready after closing. The refusal used to say the restaurant 'is closed' at a time it is open."""
    async with Client(food.server) as c:
        await ok(c, "food_update_cart", {"restaurant_id": "rst_n4518283089", "replace_cart": True,
                                         "items": [{"item_id": "itm_n4518283089_1", "quantity": 1}]})  # fmt: skip
        late = await err(c, "food_place_order", {"deliver_at": "2026-11-25T22:15"})
        night = await err(c, "food_place_order", {"deliver_at": "2026-11-26T03:00"})
    assert "closes before it could cook a Wed 25 Nov 22:15 delivery" in late and "ready at 22:" in late, late
    assert "is closed" not in late and "11:00–22:00" in late, late
    assert "is closed for a Thu 26 Nov 03:00 delivery" in night, night


async def test_late_at_night_an_hh_mm_after_midnight_is_tonights_slot(food: FoodEnv) -> None:
    """At 23:40 'HH:MM' was read on today's date, so '00:30' was 'in the past', and so was the very slot the error
    offered ('the earliest possible slot is Thu 26 Nov 00:15', sent back as '00:15'): a loop for a night owl.
    An 'HH:MM' passed within the last 12 hours is the next one; one passed longer ago (noon, at 23:40) stays a
    mistake to report."""
    night = datetime(2026, 11, 25, 23, 40, tzinfo=CITY_TZ)
    rest = next(
        r
        for r in food.catalog.restaurants.values()
        if is_open(r.opening_hours, night + timedelta(minutes=70))
        and is_open(r.opening_hours, night)
        and r.delivery.radius_m >= 3000
    )
    food.clock.set(night)
    async with Client(food.server) as c:
        cart = await fill_cart(c, query=rest.name)
        assert cart["restaurant_id"] == rest.id, rest.name
        earliest = at(cart["earliest_slot"])
        quote = await ok(c, "food_place_order", {"deliver_at": f"{earliest:%H:%M}"})
        later = await ok(c, "food_place_order", {"deliver_at": "00:45"})
        stale = await err(c, "food_place_order", {"deliver_at": "12:00"})
    assert earliest.date() > night.date()
    assert at(quote["quote"]["deliver_at"]) == earliest
    assert at(later["quote"]["deliver_at"]) == datetime(2026, 11, 26, 0, 45, tzinfo=CITY_TZ)
    assert "in the past" in stale


async def test_at_noon_a_time_in_the_small_hours_is_tonights_slot(food: FoodEnv) -> None:
    """'01:45' said at noon, to a kitchen open until 02:00, was 'in the past' (tomorrow's 01:45 is over 12 hours
    away) although the user meant tonight; a time before 06:00 said after the night is over is the coming night's."""
    noon = datetime(2026, 11, 25, 12, 30, tzinfo=CITY_TZ)
    small = datetime(2026, 11, 26, 1, 45, tzinfo=CITY_TZ)
    rest = next(
        r
        for r in food.catalog.restaurants.values()
        if is_open(r.opening_hours, small + timedelta(minutes=15)) and is_open(r.opening_hours, noon)
        and r.delivery.radius_m >= 3000
    )
    food.clock.set(noon)
    async with Client(food.server) as c:
        cart = await fill_cart(c, query=rest.name)
        assert cart["restaurant_id"] == rest.id, rest.name
        quote = await ok(c, "food_place_order", {"deliver_at": "01:45"})
        stale = await err(c, "food_place_order", {"deliver_at": "11:00"})
    assert at(quote["quote"]["deliver_at"]) == small
    assert "in the past" in stale


async def test_a_days_slots_go_on_past_midnight_when_its_kitchen_does(food: FoodEnv) -> None:
    """'Slots on Wed 25 Nov: 14:30–23:45' for a pub open until 02:00 hid the slots after midnight, which are the
    next calendar day's: the listing goes on into the night."""

    def at_(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 11, day, hour, minute, tzinfo=CITY_TZ)

    rest = next(
        r
        for r in food.catalog.restaurants.values()
        if all(is_open(r.opening_hours, t) for t in (at_(25, 21), at_(26, 23), at_(27, 1, 30)))
        and not any(is_open(r.opening_hours, t) for t in (at_(26, 12), at_(27, 5)))
        and r.delivery.radius_m >= 3000
    )
    food.clock.set(at_(25, 21))
    async with Client(food.server) as c:
        cart = await fill_cart(c, query=rest.name)
        assert cart["restaurant_id"] == rest.id, rest.name
        text = await err(c, "food_place_order", {"deliver_at": "2026-11-26T12:00"})
    assert re.search(r"Slots on Thu 26 Nov: .*23:45, then 00:00–0\d:\d\d after midnight", text), text


async def test_a_time_off_the_slots_is_refused_naming_its_day_and_the_slots_beside_it(food: FoodEnv) -> None:
    """'deliver_at 13:20:00 is not a delivery slot … Pick 13:15 or 13:30' said no day, though the time asked was
    tomorrow's: the error and the slots it offers now name the day."""
    async with Client(food.server) as c:
        cart = await fill_cart(c)
        tomorrow = (at(cart["earliest_slot"]) + timedelta(days=1)).replace(minute=20)
        text = await err(c, "food_place_order", {"deliver_at": tomorrow.strftime("%Y-%m-%dT%H:%M")})
    day = f"{tomorrow:%a %d %b}"
    assert f"deliver_at {day} {tomorrow:%H}:20 is not a delivery slot" in text, text
    assert f"Pick {day} {tomorrow:%H}:15 or {day} {tomorrow:%H}:30" in text, text


async def test_a_slot_given_with_seconds_is_the_same_slot(food: FoodEnv) -> None:
    """'18:00:00' (a time as ISO writes it) was 'not a time', while '18:00' and '2026-11-25T18:00:00' were read; with
    its seconds it names the same slot, for the quote and for the confirmation."""
    async with Client(food.server) as c:
        cart = await fill_cart(c)
        slot = at(cart["earliest_slot"]) + timedelta(hours=1)
        said = f"{slot:%H:%M}:00"
        odd = await err(c, "food_place_order", {"deliver_at": f"{slot:%H:%M}:30"})
        quote = await ok(c, "food_place_order", {"deliver_at": said})
        token = quote["quote"]["confirmation_token"]
        placed = await ok(c, "food_place_order", {"confirmation_token": token, "deliver_at": said})
    assert at(quote["quote"]["deliver_at"]) == slot and placed["order"]["scheduled_for"] == quote["quote"]["deliver_at"]
    assert "is not a delivery slot" in odd, odd


async def test_tonight_and_a_bare_hour_is_the_evenings_hour(food: FoodEnv) -> None:
    """'tonight at 7' was refused as 'not a time' ('at 7' alone is 07:00). After an evening word the hour is the
    evening's (今晚7点半 is 19:30), and one before 06:00 is after midnight; the confirmation repeats the words."""
    async with Client(food.server) as c:
        await fill_cart(c)
        food.clock.set(LUNCH)  # a Wednesday, 12:30
        got = {}
        for said in ("tonight at 7", "今晚7点半", "tänä iltana klo 20", "this evening 7:45pm", "tonight 21:15"):
            got[said] = at((await ok(c, "food_place_order", {"deliver_at": said}))["quote"]["deliver_at"])
        quote = await ok(c, "food_place_order", {"deliver_at": "tonight at 7"})
        token = quote["quote"]["confirmation_token"]
        placed = await ok(c, "food_place_order", {"confirmation_token": token, "deliver_at": "tonight at 7"})
    day = datetime(2026, 11, 25, tzinfo=CITY_TZ)
    assert got == {
        "tonight at 7": day.replace(hour=19),
        "今晚7点半": day.replace(hour=19, minute=30),
        "tänä iltana klo 20": day.replace(hour=20),
        "this evening 7:45pm": day.replace(hour=19, minute=45),
        "tonight 21:15": day.replace(hour=21, minute=15),
    }
    assert at(placed["order"]["scheduled_for"]) == day.replace(hour=19)


async def test_a_slot_said_as_people_say_it_is_read_and_confirmed_by_the_same_words(food: FoodEnv) -> None:
    """'6pm', '18.00' and 'Thu 18:00' were refused as 'not a time'. A day and a time in English, Finnish or Chinese
    name the slot; the confirmation repeats the words and still names it (read from now, not from the slot's day,
    or 'tomorrow' would be the day after)."""
    async with Client(food.server) as c:
        await fill_cart(c)
        food.clock.set(LUNCH)  # a Wednesday, 12:30
        tomorrow_evening = datetime(2026, 11, 26, 18, 30, tzinfo=CITY_TZ)
        slots = {}
        for said in ("tomorrow 18:30", "Thu 6:30pm", "torstaina klo 18.30", "明天晚上6点半", "明晚6点半", "周四 18:30"):
            slots[said] = at((await ok(c, "food_place_order", {"deliver_at": said}))["quote"]["deliver_at"])
        today = at((await ok(c, "food_place_order", {"deliver_at": "7pm"}))["quote"]["deliver_at"])
        quote = await ok(c, "food_place_order", {"deliver_at": "tomorrow 18:30"})
        token = quote["quote"]["confirmation_token"]
        placed = await ok(c, "food_place_order", {"confirmation_token": token, "deliver_at": "tomorrow 18:30"})
        bad = await err(c, "food_place_order", {"deliver_at": "13pm"})
    assert set(slots.values()) == {tomorrow_evening}, slots
    assert today == datetime(2026, 11, 25, 19, 0, tzinfo=CITY_TZ)
    assert at(placed["order"]["scheduled_for"]) == tomorrow_evening
    assert "is not a time" in bad and "'Thu 6pm'" in bad, bad


def test_tonight_before_six_is_after_midnight() -> None:
    """'tonight at 1:30' is the coming night's 01:30 (a bar's kitchen), not 13:30 nor this morning's."""
    assert parse("tonight at 1:30", LUNCH) == datetime(2026, 11, 26, 1, 30, tzinfo=CITY_TZ)
    assert parse("今晚11点", LUNCH) == datetime(2026, 11, 25, 23, 0, tzinfo=CITY_TZ)


async def test_noon_said_by_name_is_twelve(food: FoodEnv) -> None:
    """'tomorrow at noon', '明天中午' and 'huomenna lounaalle' were 'not a time'. Noon and lunch are 12:00; dinner,
    which has no one hour, is still asked for."""
    async with Client(food.server) as c:
        await fill_cart(c)
        food.clock.set(LUNCH)  # a Wednesday, 12:30
        got = {
            said: at((await ok(c, "food_place_order", {"deliver_at": said}))["quote"]["deliver_at"])
            for said in ("tomorrow at noon", "明天中午", "huomenna lounaalle", "tomorrow for lunch")
        }
        dinner = await err(c, "food_place_order", {"deliver_at": "tomorrow for dinner"})
    assert got == dict.fromkeys(got, datetime(2026, 11, 26, 12, tzinfo=CITY_TZ)), got
    assert "is not a time" in dinner, dinner


async def test_as_soon_as_possible_in_any_wording_is_delivering_now(food: FoodEnv) -> None:
    """An agent passes the user's '尽快' or 'ASAP' as deliver_at: it was refused as 'not a time', though delivering
    now is what '' does. Said either way, the quote and the order are the ones '' gives."""
    async with Client(food.server) as c:
        await fill_cart(c)
        now = await ok(c, "food_place_order", {})
        for said in ("尽快", "ASAP", "as soon as possible", "马上送", "现在"):
            quote = await ok(c, "food_place_order", {"deliver_at": said})
            assert quote["quote"]["bill"] == now["quote"]["bill"] and quote["quote"]["deliver_at"] is None, said
            assert quote["quote"]["summary"] == now["quote"]["summary"], said
        token = quote["quote"]["confirmation_token"]
        placed = await ok(c, "food_place_order", {"confirmation_token": token, "deliver_at": "尽快"})
        late = await err(c, "food_place_order", {"deliver_at": "尽快吧明天"})
    assert placed["order"]["status"] == "placed" and not placed["order"]["scheduled_for"]
    assert "is not a time" in late


async def test_a_slot_said_as_how_long_from_now_is_read_on_the_sandboxs_clock(food: FoodEnv) -> None:
    """'一个小时以后' (an hour from now) and 'in an hour' were 'not a time': how long from now is now plus that, on the
    sandbox's clock, and the first slot from then ('in 70 minutes' was refused as 13:40, no slot); confirmed minutes
    later in the same words, it is the slot quoted (was 'the quote was for 13:45, not 13:48')."""
    async with Client(food.server) as c:
        await fill_cart(c)
        food.clock.set(LUNCH)  # a Wednesday, 12:30
        said = {w: at((await ok(c, "food_place_order", {"deliver_at": w}))["quote"]["deliver_at"])
                for w in ("一个小时以后", "in an hour", "an hour from now", "13:30")}  # fmt: skip
        odd = await ok(c, "food_place_order", {"deliver_at": "in 70 minutes"})
        food.clock.advance(timedelta(minutes=3))
        token = odd["quote"]["confirmation_token"]
        placed = await ok(c, "food_place_order", {"deliver_at": "in 70 minutes", "confirmation_token": token})
    assert set(said.values()) == {datetime(2026, 11, 25, 13, 30, tzinfo=CITY_TZ)}, said
    assert at(odd["quote"]["deliver_at"]) == datetime(2026, 11, 25, 13, 45, tzinfo=CITY_TZ), odd["quote"]
    assert placed["order"]["status"] == "placed", placed
    assert at(placed["order"]["scheduled_for"]) == datetime(2026, 11, 25, 13, 45, tzinfo=CITY_TZ), placed["order"]


async def test_a_bare_hour_whose_morning_has_passed_is_this_evenings_slot(food: FoodEnv) -> None:
    """'7点送到' said at lunch was read as tomorrow's 07:00 (a breakfast slot): an hour said with nothing to say
    morning or evening is the coming one, tonight's 19:00; '07:00', '7am' and '早上7点' stay the morning's."""
    async with Client(food.server) as c:
        await fill_cart(c)
        quotes = {
            said: await ok(c, "food_place_order", {"deliver_at": said})
            for said in ("7点", "at 7", "七点半", "7点左右", "around 7")  # 'about' is the time itself: a slot is one
        }
    for said, quote in quotes.items():
        slot = at(quote["quote"]["deliver_at"])
        assert (slot.date(), slot.hour) == (LUNCH.date(), 19), (said, slot)
    assert parse("07:00", LUNCH).hour == parse("早上7点", LUNCH).hour == parse("7am", LUNCH).hour == 7
