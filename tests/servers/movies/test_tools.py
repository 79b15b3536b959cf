"""The movies tools through the real MCP protocol (in memory), against the real backend."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from mcp import Client
from mcp.types import ElicitResult

from servers.movies.backend import pricing
from servers.movies.backend.service import CHINESE
from shared.geo import CITY_TZ
from tests.servers.movies.conftest import MoviesEnv
from tests.servers.movies.helpers import buy, err, free_run, ok, pick, status_of
from tests.support import provider

MODES = pytest.mark.parametrize("mode", ["auto", "legacy"])
FEE = pricing.BOOKING_FEE_MINOR


async def test_chinese_and_english_genre_words_find_the_same_films(movies_readonly: MoviesEnv) -> None:
    movies = movies_readonly
    async with Client(movies.server) as c:
        for en, zh in (("action", "动作"), ("sci-fi", "科幻"), ("drama", "剧情")):
            a = await ok(c, "movies_search_movies", {"query": en, "showing": "all", "limit": 20})
            b = await ok(c, "movies_search_movies", {"query": zh, "showing": "all", "limit": 20})
            by_genre = await ok(c, "movies_search_movies", {"genre": zh, "showing": "all", "limit": 20})
            assert a["films"], en
            assert {f["id"] for f in a["films"]} == {f["id"] for f in b["films"]}, en
            assert a["page"]["total"] == by_genre["page"]["total"], en
        cantonese = await ok(c, "movies_search_movies", {"query": "粤语", "showing": "all", "limit": 20})
        typo = await ok(c, "movies_search_movies", {"query": "Incepton", "showing": "all"})
    assert cantonese["films"] and all(f["language"].startswith("Cantonese") for f in cantonese["films"])
    assert typo["films"][0]["title"] == "Inception / 盗梦空间"


async def test_now_showing_and_coming_soon_follow_the_programme(movies_readonly: MoviesEnv) -> None:
    movies = movies_readonly
    async with Client(movies.server) as c:
        now = await ok(c, "movies_search_movies", {"limit": 20})
        soon = await ok(c, "movies_search_movies", {"showing": "coming_soon", "limit": 20})
        first = soon["films"][0]
        detail = await ok(c, "movies_get_movie", {"movie_id": first["id"]})
        nothing_yet = await ok(c, "movies_find_showtimes", {"movie_id": first["id"], "date": "today"})
        later = await ok(c, "movies_find_showtimes", {"movie_id": first["id"], "date": first["opens_on"]})
    assert now["films"] and {f["status"] for f in now["films"]} == {"now_showing"}
    assert soon["films"] and {f["status"] for f in soon["films"]} == {"coming_soon"}
    assert all(f["opens_on"] > "2026-11-25" for f in soon["films"])
    assert [f["opens_on"] for f in soon["films"]] == sorted(f["opens_on"] for f in soon["films"])
    assert detail["status"] == "coming_soon" and detail["upcoming_showtimes"] > 0
    assert nothing_yet["showtimes"] == []
    assert later["showtimes"] and all(s["starts_at"].startswith(first["opens_on"]) for s in later["showtimes"])


async def test_cinemas_near_an_address_come_nearest_first(movies_readonly: MoviesEnv) -> None:
    movies = movies_readonly
    async with Client(movies.server) as c:
        street = await ok(c, "movies_search_cinemas", {"address": "Sofiankatu 4"})
        saved = await ok(c, "movies_search_cinemas", {"address": "Home"})
        point = await ok(c, "movies_search_cinemas", {"lat": 60.1706, "lng": 24.9361})
    distances = [x["distance_m"] for x in street["cinemas"] if not x["open_now"]]
    assert street["cinemas"][0]["name"].startswith("Kino Engel") and distances == sorted(distances)
    assert saved["origin"].startswith("Home") and saved["cinemas"][0]["name"].startswith("Kinopalatsi")
    assert point["cinemas"][0]["name"].startswith("Bio Rex")
    summer = next(x for x in street["cinemas"] if x["name"].startswith("Kesäkino"))
    assert "summer" in summer["open_now"] and summer["showtimes_today"] == 0 and street["cinemas"][-1] == summer
    kino = next(x for x in street["cinemas"] if x["name"].startswith("Kinopalatsi"))
    assert kino["formats"] == ["2D", "3D", "IMAX"] and any("couple" in a["features"] for a in kino["auditoriums"])


async def test_an_address_saying_where_the_user_is_measures_from_home(movies: MoviesEnv) -> None:
    """'near me', '我附近', '离我最近的电影院' given as the address were 'not a street address ... known': a phone would
    send its position; the sandbox has the account's home, as tickets' 'near me' uses, and says so. An account
    with no home is told to pass lat and lng."""
    movies.sandbox.accounts.add_user("usr_nohome", "No Home")
    async with Client(movies.server) as c:
        home = await ok(c, "movies_search_cinemas", {"address": "Home"})
        said = {
            a: await ok(c, "movies_search_cinemas", {"address": a})
            for a in ("near me", "我附近", "附近", "离我最近的电影院", "nearest cinema", "cinemas nearby", "closest to me")  # noqa: E501
        }
        shows = await ok(c, "movies_find_showtimes", {"address": "离我最近的", "date": "tomorrow", "limit": 3})
        by_home = await ok(c, "movies_find_showtimes", {"address": "Home", "date": "tomorrow", "limit": 3})
        not_here = await ok(c, "movies_search_cinemas", {"address": "离大教堂最近的电影院"})
    async with Client(movies.server_for("usr_nohome")) as nohome:
        nowhere = await err(nohome, "movies_search_cinemas", {"address": "near me"})
    for a, page in said.items():
        assert page["cinemas"] == home["cinemas"], a
        assert page["origin"].startswith(home["origin"]) and "the account's home address" in page["origin"], a
    assert shows["showtimes"] == by_home["showtimes"]
    assert not_here["origin"].startswith("Helsingin tuomiokirkko")  # the cathedral is a place, not 'me'
    assert "says where the user is" in nowhere and "lat and lng" in nowhere, nowhere


async def test_showtimes_of_a_summer_cinema_in_winter_say_it_is_out_of_season(movies_readonly: MoviesEnv) -> None:
    """Kesäkino Engel's showtimes in November were an empty page with an empty note, read as sold out or broken:
    the note says it is an open-air cinema of the summer months; a cinema open now has no such note."""
    movies = movies_readonly
    summer = next(c for c in movies.service.catalog.cinemas.values() if c.season_months)
    open_now = next(c for c in movies.service.catalog.cinemas.values() if not c.season_months)
    async with Client(movies.server) as c:
        out = await ok(c, "movies_find_showtimes", {"cinema_id": summer.id, "date": "tomorrow"})
        shown = await ok(c, "movies_find_showtimes", {"cinema_id": open_now.id})
    assert out["showtimes"] == [] and "is an open-air summer cinema" in out["note"], out["note"]
    assert "June, July, August" in out["note"] and "movies_search_cinemas" in out["note"]
    assert shown["showtimes"] and "summer" not in shown["note"]


async def test_an_address_saved_through_the_account_is_where_cinemas_are_measured_from(movies: MoviesEnv) -> None:
    """The account has one address book: an address saved anywhere (here through the provider's /account
    routes, as food_save_address does) is known to movies by its label at once, and only to its owner."""
    async with Client(movies.server) as c:
        unknown = await err(c, "movies_search_cinemas", {"address": "Cottage"})
        async with provider(movies.app) as http:  # Sofiankatu 4, by Kino Engel
            saved = await http.post("/account/addresses", json={"label": "Cottage", "street": "Sofiankatu",
                                                               "housenumber": "4"})  # fmt: skip
        assert saved.status_code == 200, saved.text
        by_label = await ok(c, "movies_search_cinemas", {"address": "cottage"})
        by_id = await ok(c, "movies_search_cinemas", {"address": saved.json()["id"]})
        shows = await ok(c, "movies_find_showtimes", {"date": "2026-11-27", "address": "Cottage", "limit": 10})
    async with Client(movies.server_for("usr_alice")) as alice:
        not_hers = await err(alice, "movies_search_cinemas", {"address": "Cottage"})
    assert "not a street address, district or saved address" in unknown
    assert by_label["origin"] == "Cottage: Sofiankatu 4, Helsinki" and by_id["origin"] == by_label["origin"]
    assert by_label["cinemas"][0]["name"].startswith("Kino Engel") and by_label["cinemas"][0]["distance_m"] < 200
    assert shows["showtimes"][0]["cinema_name"].startswith("Kino Engel") and shows["showtimes"][0]["distance_m"] < 200
    assert "not a street address, district or saved address" in not_hers and saved.json()["id"] not in not_hers


async def test_showtimes_filter_by_format_language_cinema_day_and_place(movies_readonly: MoviesEnv) -> None:
    movies = movies_readonly
    async with Client(movies.server) as c:
        imax = await ok(c, "movies_find_showtimes", {"format": "IMAX", "limit": 10})
        mandarin = await ok(c, "movies_find_showtimes", {"language": "普通话", "limit": 10})
        chinese = await ok(c, "movies_find_showtimes", {"language": "Chinese", "limit": 10})
        cinema_id = imax["showtimes"][0]["cinema_id"]
        at_cinema = await ok(c, "movies_find_showtimes", {"cinema_id": cinema_id, "date": "tomorrow", "limit": 10})
        near = await ok(c, "movies_find_showtimes", {"date": "2026-11-27", "address": "Sofiankatu 4", "limit": 10})
        page2 = await ok(
            c,
            "movies_find_showtimes",
            {"limit": 5, "cursor": (await ok(c, "movies_find_showtimes", {"limit": 5}))["page"]["next_cursor"]},
        )
    assert imax["showtimes"] and {s["format"] for s in imax["showtimes"]} == {"IMAX"}
    assert all(s["tiers"][0]["price"]["amount_minor"] in (1790, 1490) for s in imax["showtimes"])
    assert mandarin["showtimes"] and all(s["language"].startswith("Mandarin") for s in mandarin["showtimes"])
    assert chinese["showtimes"] and all(s["language"].split(" /")[0] in CHINESE for s in chinese["showtimes"])
    now = movies.service.now()
    ahead = [s for s in movies.service.catalog.ordered if s.starts_at > now]
    spoken = Counter(movies.service.catalog.films[s.film_id].language for s in ahead)
    assert spoken["Cantonese"] > 0  # so "Chinese" must find more than Mandarin alone
    assert mandarin["page"]["total"] == spoken["Mandarin"]
    assert chinese["page"]["total"] == sum(spoken[lang] for lang in CHINESE) > mandarin["page"]["total"]
    assert at_cinema["showtimes"] and all(
        s["cinema_id"] == cinema_id and s["starts_at"].startswith("2026-11-26") for s in at_cinema["showtimes"]
    )
    assert near["showtimes"][0]["cinema_name"].startswith("Kino Engel")
    assert all(s["starts_at"] >= "2026-11-25T12" for s in page2["showtimes"])


# The published price list, written out here rather than read from pricing.py: evenings and weekends,
# weekday showtimes before 17:00 are €3.00 cheaper; premium +€3.00, couple +€4.00 per seat, wheelchair +€0.
EVENING = {"2D": 1290, "3D": 1490, "IMAX": 1790}
SURCHARGE = {"STD": 0, "WHEELCHAIR": 0, "PREMIUM": 300, "COUPLE": 400}


async def test_the_next_showing_or_now_said_as_the_day_is_read(movies_readonly: MoviesEnv) -> None:
    """'最近的一场' (the soonest showing), 'the next one', 'now' and '现在' passed as the day were 'not a date': the
    next showing is every day ahead, soonest first, as '' lists them; now is today's showtimes yet to start."""
    async with Client(movies_readonly.server) as c:
        said = {q: await ok(c, "movies_find_showtimes", {"date": q, "limit": 5})
                for q in ("最近的一场", "the next one", "", "now", "现在", "today")}  # fmt: skip
    ids = {q: [s["id"] for s in page["showtimes"]] for q, page in said.items()}
    assert ids["最近的一场"] == ids["the next one"] == ids[""] and ids[""], ids
    assert ids["now"] == ids["现在"] == ids["today"] and ids["today"], ids
    assert said["now"]["page"]["total"] == said["today"]["page"]["total"] < said[""]["page"]["total"]


async def test_prices_follow_format_time_of_day_and_tier(movies_readonly: MoviesEnv) -> None:
    movies = movies_readonly
    svc = movies.service
    seen: Counter[tuple[str, str, bool]] = Counter()
    for rec in svc.catalog.ordered:
        spec = svc.spec(rec.id)
        local = rec.starts_at.astimezone(CITY_TZ)
        matinee = local.weekday() < 5 and local.hour < 17
        base = EVENING[rec.format] - (300 if matinee else 0)
        tiers = set(spec.layout.tier_totals)
        assert set(spec.prices) == tiers, rec.id
        for tier in tiers:
            assert spec.prices[tier] == base + SURCHARGE[tier], (rec.id, tier)
            seen[(rec.format, tier, matinee)] += 1
    # every format, tier and time of day was priced at least once, so no rule went unchecked
    assert {(f, t, m) for f in EVENING for t in ("STD", "PREMIUM") for m in (True, False)} <= set(seen)
    assert {t for _, t, _ in seen} == set(SURCHARGE)
    rec = next(
        r for r in svc.catalog.ordered if r.starts_at > svc.now() and "COUPLE" in svc.catalog.tiers(r.auditorium_id)
    )
    async with Client(movies.server) as c:
        listed = await ok(
            c, "movies_find_showtimes", {"movie_id": rec.film_id, "cinema_id": rec.cinema_id, "limit": 10}
        )
    show = next(s for s in listed["showtimes"] if s["id"] == rec.id)
    local = rec.starts_at.astimezone(CITY_TZ)
    base = EVENING[rec.format] - (300 if local.weekday() < 5 and local.hour < 17 else 0)
    assert {t["tier"]: t["price"]["amount_minor"] for t in show["tiers"]} == {
        t: base + SURCHARGE[t] for t in svc.catalog.tiers(rec.auditorium_id)
    }
    assert listed["booking_fee"]["amount_minor"] == 95 and "booking_fee" not in show


@MODES
async def test_search_to_refund_with_tokens_moves_exact_money_once(movies_any_db: MoviesEnv, mode: str) -> None:
    env = movies_any_db
    rec = pick(env, min_hours=3)
    before = env.wallet()
    async with Client(env.server, mode=mode) as c:
        shows = await ok(c, "movies_find_showtimes", {"movie_id": rec.film_id, "cinema_id": rec.cinema_id, "limit": 10})
        show = next(s for s in shows["showtimes"] if s["id"] == rec.id)
        seat_map = await ok(c, "movies_get_seat_map", {"showtime_id": rec.id})
        seats = free_run(env, rec, 3)
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": [s.lower() for s in seats]})
        price = next(t["price"]["amount_minor"] for t in show["tiers"] if t["tier"] == "STD")
        total = 3 * (price + FEE)
        assert hold["bill"]["total"]["amount_minor"] == total and hold["status"] == "held"
        assert [s["seat_id"] for s in hold["seats"]] == seats
        assert env.wallet() == before  # a hold is free
        first = await ok(c, "movies_purchase", {"hold_id": hold["id"]})
        assert first["status"] == "confirmation_required" and env.wallet() == before
        assert first["quote"]["bill"] == hold["bill"] and hold["bill"]["total"]["display"] in first["message"]
        assert first["quote"]["wallet_after"]["amount_minor"] == before - total and first["wallet"] is None
        token = first["quote"]["confirmation_token"]
        paid = await ok(c, "movies_purchase", {"hold_id": hold["id"], "confirmation_token": token})
        again = await ok(c, "movies_purchase", {"hold_id": hold["id"], "confirmation_token": token})
        after_map = await ok(c, "movies_get_seat_map", {"showtime_id": rec.id})
        orders = await ok(c, "movies_list_orders", {})
        order = paid["order"]
        assert again["order"]["id"] == order["id"] and len(order["pickup_code"]) == 8
        assert [o["id"] for o in orders["orders"]] == [order["id"]]
        assert [t["seat_id"] for t in order["tickets"]] == seats
        assert env.wallet() == before - total == paid["wallet"]["amount_minor"] == again["wallet"]["amount_minor"]
        assert after_map["seat_map"]["free"] == seat_map["seat_map"]["free"] - 3
        offer = await ok(c, "movies_refund", {"order_id": order["id"]})
        assert offer["status"] == "confirmation_required"
        assert offer["quote"]["refund"]["amount_minor"] == 3 * price  # the booking fee is kept
        assert offer["quote"]["wallet_after"]["amount_minor"] == before - total + 3 * price
        refund_token = offer["quote"]["confirmation_token"]
        done = await ok(c, "movies_refund", {"order_id": order["id"], "confirmation_token": refund_token})
        retry = await ok(c, "movies_refund", {"order_id": order["id"], "confirmation_token": refund_token})
        freed = await ok(c, "movies_get_seat_map", {"showtime_id": rec.id})
        refunded = await ok(c, "movies_list_orders", {"status": "refunded"})
    assert done["order"]["status"] == "refunded" and retry["order"]["refunded"] == done["order"]["refunded"]
    assert env.wallet() == before - 3 * FEE == done["wallet"]["amount_minor"] == retry["wallet"]["amount_minor"]
    assert freed["seat_map"]["free"] == seat_map["seat_map"]["free"]
    assert [o["id"] for o in refunded["orders"]] == [order["id"]]


@MODES
async def test_elicitation_asks_for_the_exact_total_and_a_no_buys_nothing(movies: MoviesEnv, mode: str) -> None:
    rec = pick(movies, min_hours=3)
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

    before = movies.wallet()
    async with Client(movies.server, mode=mode, elicitation_callback=on_elicit) as c:
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 2})
        declined = await ok(c, "movies_purchase", {"hold_id": hold["id"]})
        assert declined["status"] == "declined" and movies.wallet() == before
        assert declined["quote"]["confirmation_token"] == "", "a declined amount leaves the model no token to act on"
        assert (await ok(c, "movies_list_orders", {}))["orders"] == []
        bought = await ok(c, "movies_purchase", {"hold_id": hold["id"]})
        kept = await ok(c, "movies_refund", {"order_id": bought["order"]["id"]})
        assert kept["status"] == "declined"
        refunded = await ok(c, "movies_refund", {"order_id": bought["order"]["id"]})
    total = hold["bill"]["total"]
    assert bought["status"] == "done" and bought["order"]["bill"]["total"] == total
    assert total["display"] in asked[0] and total["display"] in asked[1]
    assert refunded["status"] == "done" and movies.wallet() == before - 2 * FEE


async def test_another_accounts_hold_is_refused_and_untouched(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3)
    async with Client(movies.server_for("usr_alice")) as alice:
        hold = await ok(alice, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 2})
    before = movies.snapshot()
    async with Client(movies.server) as c:
        buy_text = await err(c, "movies_purchase", {"hold_id": hold["id"]})
        release_text = await err(c, "movies_release_hold", {"hold_id": hold["id"]})
        seats = await err(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": [hold["seats"][0]["seat_id"]]})
    assert "No hold" in buy_text and "No hold" in release_text
    assert "no longer available" in seats
    assert movies.snapshot() == before


async def test_the_per_account_limit_counts_tickets_bought_and_the_hold(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3, free=10)
    limit = pricing.PER_USER_LIMIT
    async with Client(movies.server) as c:
        await buy(c, rec.id, 2)
        over = await err(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": limit - 1})
        fine = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": limit - 2})
    async with Client(movies.server_for("usr_bob")) as bob:  # the limit is per account
        await ok(bob, "movies_hold_seats", {"showtime_id": rec.id, "quantity": limit})
    assert f"limit is {limit}" in over and "already own 2 ticket(s)" in over and f"at most {limit - 2}" in over
    assert fine["status"] == "held"


async def test_repeating_a_hold_returns_the_same_hold_and_counts_once(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3)
    args = {"showtime_id": rec.id, "quantity": 4}
    async with Client(movies.server) as c:
        first = await ok(c, "movies_hold_seats", args)
        again = await ok(c, "movies_hold_seats", args)
        same_seats = await ok(
            c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": [s["seat_id"] for s in first["seats"]]}
        )
        await ok(c, "movies_release_hold", {"hold_id": first["id"]})
        released = await ok(c, "movies_release_hold", {"hold_id": first["id"]})
        fresh = await ok(c, "movies_hold_seats", args)
    assert again == first and same_seats == first
    assert released["status"] == "released"
    assert fresh["id"] != first["id"] and fresh["status"] == "held"


async def test_the_middle_said_as_the_tier_is_the_best_standard_seats(movies: MoviesEnv) -> None:
    """tier '中间的位置' (seats in the middle) or 'in the middle' was 'not a tier of this screen': best-available
    standard seats are the middle ones already, so those are held."""
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        held = {}
        for tier in ("中间的位置", "in the middle", ""):
            hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 2, "tier": tier})
            held[tier] = [s["seat_id"] for s in hold["seats"]]
            assert all(s["tier"] == "STD" for s in hold["seats"]), hold
            await ok(c, "movies_release_hold", {"hold_id": hold["id"]})
    assert held["中间的位置"] == held["in the middle"] == held[""], held


async def test_where_to_sit_said_as_the_tier_says_how_to_sit_there(movies: MoviesEnv) -> None:
    """'靠过道' (by the aisle) or 'aisle seats' as the tier were refused with the tiers alone: the refusal says it is
    a place in the room and how to take seats there (the seat map, seat_ids); a wrong tier name says nothing of the
    kind. (The front and the back rows are held: the next test.)"""
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        said = {
            tier: await err(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": tier, "quantity": 2})
            for tier in ("靠过道", "aisle seats", "VIP")
        }
    for tier in ("靠过道", "aisle seats"):
        assert "is where to sit" in said[tier] and "movies_get_seat_map" in said[tier], said[tier]
    assert "where to sit" not in said["VIP"] and "Use one of: STD" in said["VIP"]


async def test_the_front_or_the_back_rows_said_as_the_tier_holds_the_best_seats_there(
    movies_any_db: MoviesEnv,
) -> None:
    """'两张后排的' (two in the back rows), 'back row', '第一排': Taopiaopiao's users choose seats by rows, and the hold
    refused them as no tier, sending the agent to the seat map for one more call. The best seats side by side in
    those rows are held (standard or premium seats: never couple sofas or wheelchair spaces unasked), and a retry
    is the same hold."""
    movies = movies_any_db
    rec = pick(movies, min_hours=3)
    held: dict[str, list[dict[str, Any]]] = {}
    async with Client(movies.server) as c:
        sections = (await ok(c, "movies_get_seat_map", {"showtime_id": rec.id}))["seat_map"]["sections"]
        for tier in ("后排中间的位置", "middle of the back rows", "前排", "第一排", "最后一排", "后排"):
            hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": tier, "quantity": 2})
            held[tier] = hold["seats"]
        again = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": "后排", "quantity": 2})
    rows = [row["row"] for section in sections for row in section["rows"] if row["tier"] in ("STD", "PREMIUM")]
    back, front = rows[-max(1, len(rows) // 3) :], rows[: max(1, len(rows) // 3)]
    for tier, seats in held.items():
        assert len(seats) == 2 and seats[0]["row"] == seats[1]["row"], (tier, seats)
        assert abs(seats[0]["number"] - seats[1]["number"]) == 1 and {s["tier"] for s in seats} <= {"STD", "PREMIUM"}
    assert held["后排"] == held["后排中间的位置"] == held["middle of the back rows"]
    assert held["后排"][0]["row"] in back and held["前排"][0]["row"] in front, (rows, held)
    assert held["第一排"][0]["row"] == rows[0] and held["最后一排"][0]["row"] == rows[-1], (rows, held)
    assert again["id"] == hold["id"] and not again.get("replaced_hold_ids"), again  # the retry is that hold


async def test_seats_together_or_softened_cheap_said_as_the_tier_are_held(movies: MoviesEnv) -> None:
    """'连座' (seats together), '后排连座' and '便宜点的' (somewhat cheaper) were 'not a tier of this screen': best
    available holds seats side by side anyway, and a softened word for cheap is the cheapest tier."""
    rec = pick(movies, min_hours=3)
    held = {}
    async with Client(movies.server) as c:
        for tier in ("连座", "", "后排连座", "后排", "便宜点的", "cheapest"):
            hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": tier, "quantity": 2})
            held[tier] = [(s["seat_id"], s["tier"]) for s in hold["seats"]]
    assert held["连座"] == held[""] and held["后排连座"] == held["后排"] and held["便宜点的"] == held["cheapest"], held


async def test_couple_seats_at_a_screen_without_them_point_to_the_films_showings_with_them(movies: MoviesEnv) -> None:
    """'情侣座' for tonight's 19:45 Ex Machina, in a screen without couple seats, was refused with that screen's tiers
    alone; the agent had to read every showtime's tiers to find the couples' hall. The refusal names the film's
    showings that day in screens with them, and holds nothing."""
    async with Client(movies.server) as c:
        before = movies.snapshot()
        said = await err(c, "movies_hold_seats", {"showtime_id": "sht_5dd106c250b5", "tier": "情侣座", "quantity": 2})
        other = await err(c, "movies_hold_seats", {"showtime_id": "sht_5dd106c250b5", "tier": "VIP", "quantity": 2})
        assert movies.snapshot() == before
        there = await ok(c, "movies_hold_seats", {"showtime_id": "sht_24332c317b94", "tier": "情侣座", "quantity": 2})
    assert "The film shows that day in a screen with COUPLE seats: " in said, said
    assert "21:45 at Kinopalatsi / 基诺宫影城, Sali 4 / 4号厅 情侣厅 (showtime_id sht_24332c317b94)" in said, said
    assert "Use one of: STD" in said and "shows that day" not in other, other  # no screen has VIP seats
    assert {s["tier"] for s in there["seats"]} == {"COUPLE"}


async def test_couple_seats_are_held_in_pairs(movies: MoviesEnv) -> None:
    rec = next(
        r
        for r in status_of(movies)["on_sale"]
        if "COUPLE" in movies.service.catalog.tiers(r.auditorium_id)
        and r.starts_at - movies.service.now() > timedelta(hours=3)
        and movies.service.spec(r.id).layout.best_available("COUPLE", 2, movies.service.spec(r.id).blocked)
    )
    pair = free_run(movies, rec, 2, "COUPLE")
    async with Client(movies.server) as c:
        half = await err(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": [pair[0]]})
        odd = await err(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": "COUPLE", "quantity": 1})
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": "COUPLE", "quantity": 2})
        seat_map = await ok(c, "movies_get_seat_map", {"showtime_id": rec.id})
    assert "couple seat" in half and "pairs" in odd
    assert [s["kind"] for s in hold["seats"]] == ["couple_left", "couple_right"]
    price = movies.service.spec(rec.id).prices["COUPLE"]
    assert hold["bill"]["total"]["amount_minor"] == 2 * (price + FEE)
    assert "yy" in "".join(r["seats"] for r in seat_map["seat_map"]["sections"][0]["rows"] if r["tier"] == "COUPLE")


async def test_sold_out_closed_and_past_showtimes_are_refused_with_the_reason(movies: MoviesEnv) -> None:
    full = status_of(movies)["sold_out"][0]
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        day = full.starts_at.astimezone(CITY_TZ).date().isoformat()
        query: dict[str, Any] = {"movie_id": full.film_id, "cinema_id": full.cinema_id, "date": day, "limit": 10}
        listed: list[dict[str, Any]] = []
        while True:  # every page of that day
            page = await ok(c, "movies_find_showtimes", query)
            listed += page["showtimes"]
            if not page["page"].get("next_cursor"):
                break
            query["cursor"] = page["page"]["next_cursor"]
        sold_out = await err(c, "movies_hold_seats", {"showtime_id": full.id, "quantity": 1})
        movies.clock.set(rec.starts_at - timedelta(minutes=5))
        closed = await err(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 1})
        movies.clock.set(rec.starts_at + timedelta(minutes=1))
        over = await err(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 1})
    assert next(s for s in listed if s["id"] == full.id)["status"] == "sold_out"
    assert "sold out" in sold_out and "movies_find_showtimes" in sold_out
    assert "closed 10 minutes before" in closed
    assert "already started or is over" in over


async def test_a_wallet_that_cannot_pay_is_declined_before_a_token_is_offered(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3)
    async with Client(movies.server_for("usr_broke")) as c:
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 2})
        before = movies.snapshot()
        text = await err(c, "movies_purchase", {"hold_id": hold["id"]})
        assert movies.snapshot() == before  # no token was issued
        released = await ok(c, "movies_release_hold", {"hold_id": hold["id"]})  # the way out the hint names
    assert "does not cover" in text and hold["bill"]["total"]["display"] in text
    assert "movies_release_hold" in text and released["status"] == "released"
    # no tool adds money, so the top-up is the user's to do elsewhere, not an instruction to the agent
    assert "Top up the wallet" not in text and "No tool here" in text and "outside this chat" in text


BAD_CALLS = [
    ("movies_search_movies", {"showing": "soon"}, "showing"),
    ("movies_search_movies", {"genre": "opera"}, "not a genre"),
    ("movies_search_movies", {"cursor": "garbage!"}, "cursor"),
    ("movies_search_movies", {"limit": 0}, "limit"),
    ("movies_get_movie", {"movie_id": "mov_nope"}, "No film"),
    ("movies_get_movie", {"movie_id": "cin_123"}, "start with 'mov_'"),
    ("movies_get_movie", {"movie_id": "../orders"}, "not a valid id"),
    ("movies_search_cinemas", {"address": "Atlantis Boulevard 99"}, "not a street address"),
    ("movies_search_cinemas", {"lat": 39.9, "lng": 116.4}, "outside the service area"),
    ("movies_find_showtimes", {"date": "next friday"}, "YYYY-MM-DD"),
    ("movies_find_showtimes", {"format": "4DX"}, "format"),
    ("movies_find_showtimes", {"language": "Klingon"}, "not a language"),
    ("movies_find_showtimes", {"movie_id": "mov_nope"}, "No film"),
    ("movies_find_showtimes", {"cinema_id": "cin_nope"}, "No cinema"),
    ("movies_get_seat_map", {"showtime_id": "sht_nope"}, "No showtime"),
    ("movies_get_seat_map", {"showtime_id": "SHOW"}, "movies_find_showtimes"),
    ("movies_hold_seats", {"showtime_id": "sht_nope", "quantity": 1}, "No showtime"),
    ("movies_hold_seats", {"showtime_id": "sht_x", "quantity": 7}, "quantity"),
    ("movies_release_hold", {"hold_id": "hld_missing"}, "No hold"),
    ("movies_release_hold", {"hold_id": "mvo_1"}, "start with 'hld_'"),
    ("movies_purchase", {"hold_id": "hld_missing"}, "No hold"),
    ("movies_purchase", {"hold_id": "hld_missing", "confirmation_token": "cft_unknown"}, "unknown"),
    ("movies_list_orders", {"status": "lost"}, "status"),
    ("movies_list_orders", {"cursor": "nope!"}, "cursor"),
    ("movies_refund", {"order_id": "mvo_missing"}, "No order"),
    ("movies_refund", {"order_id": "tko_1"}, "start with 'mvo_'"),
    ("movies_refund", {"order_id": "mvo_missing", "confirmation_token": "cft_nope"}, "unknown"),
]


@pytest.mark.parametrize(("tool", "args", "says"), BAD_CALLS, ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(BAD_CALLS)])
async def test_bad_input_is_a_tool_error_that_changes_nothing(
    movies_readonly: MoviesEnv, tool: str, args: dict[str, object], says: str
) -> None:
    env = movies_readonly
    before = env.snapshot()
    async with Client(env.server) as c:
        text = await err(c, tool, args)
    assert says in text
    assert env.snapshot() == before


async def test_bad_seat_requests_are_refused_with_the_fix_and_change_nothing(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3)
    sid = rec.id
    async with Client(movies.server_for("usr_alice")) as alice:
        taken = await ok(alice, "movies_hold_seats", {"showtime_id": sid, "quantity": 1})
    async with Client(movies.server) as c:
        before = movies.snapshot()
        texts = [
            await err(c, "movies_hold_seats", {"showtime_id": sid, "seat_ids": ["H-Z-99"]}),
            await err(c, "movies_hold_seats", {"showtime_id": sid, "seat_ids": [taken["seats"][0]["seat_id"]]}),
            await err(c, "movies_hold_seats", {"showtime_id": sid, "tier": "PLATINUM", "quantity": 1}),
            await err(c, "movies_hold_seats", {"showtime_id": sid}),
            await err(
                c, "movies_hold_seats", {"showtime_id": sid, "seat_ids": ["H-A-2"], "tier": "STD", "quantity": 1}
            ),
            await err(c, "movies_hold_seats", {"showtime_id": sid, "seat_ids": ["H-C-3", "H-C-3"]}),
        ]
    assert "does not exist" in texts[0]
    assert "no longer available" in texts[1]
    assert "not a tier" in texts[2]
    assert "Say which seats" in texts[3]
    assert "not both" in texts[4]
    assert "twice" in texts[5]
    assert movies.snapshot() == before
