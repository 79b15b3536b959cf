"""A confirmation token acts once, on exactly what it was issued for; and what the tools say matches what they do."""

from __future__ import annotations

from datetime import timedelta

from mcp import Client
from sqlmodel import Session, select

from servers.movies.backend import pricing
from shared.account.models import LedgerRow, QuoteRow
from shared.schemas.movies import HoldRequest, TierPrice
from tests.servers.movies.conftest import MoviesEnv
from tests.servers.movies.helpers import buy, err, ok, pick, status_of


def refund_quotes(env: MoviesEnv, order_id: str) -> list[QuoteRow]:
    with Session(env.engine) as session:
        return list(
            session.exec(
                select(QuoteRow).where(
                    QuoteRow.vertical == "movies", QuoteRow.action == "refund", QuoteRow.subject_id == order_id
                )
            ).all()
        )


async def test_a_purchase_token_buys_only_the_hold_it_was_issued_for(movies: MoviesEnv) -> None:
    rec, other = pick(movies, min_hours=3), pick(movies, min_hours=3, skip=1)  # one hold per showtime
    async with Client(movies.server) as c:
        first = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 1})
        second = await ok(c, "movies_hold_seats", {"showtime_id": other.id, "quantity": 2})
        quote = await ok(c, "movies_purchase", {"hold_id": first["id"]})
        before, wallet = movies.snapshot(), movies.wallet()
        text = await err(
            c, "movies_purchase", {"hold_id": second["id"], "confirmation_token": quote["quote"]["confirmation_token"]}
        )
    assert f"issued for hold {first['id']}" in text
    assert movies.snapshot() == before and movies.wallet() == wallet


async def test_a_refund_token_refunds_only_its_own_order(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        one = await buy(c, rec.id, 1)
        two = await buy(c, rec.id, 2)
        offer = await ok(c, "movies_refund", {"order_id": one["id"]})
        before, wallet = movies.snapshot(), movies.wallet()
        text = await err(
            c, "movies_refund", {"order_id": two["id"], "confirmation_token": offer["quote"]["confirmation_token"]}
        )
    assert f"issued for order {one['id']}" in text
    assert movies.snapshot() == before and movies.wallet() == wallet


async def test_asking_for_a_refund_again_reuses_the_live_token(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        order = await buy(c, rec.id, 2)
        first = await ok(c, "movies_refund", {"order_id": order["id"]})
        again = await ok(c, "movies_refund", {"order_id": order["id"]})
        assert len(refund_quotes(movies, order["id"])) == 1
        movies.clock.advance(pricing.REFUND_QUOTE_TTL + timedelta(seconds=1))
        fresh = await ok(c, "movies_refund", {"order_id": order["id"]})
    token = first["quote"]["confirmation_token"]
    assert again["quote"]["confirmation_token"] == token and again["quote"]["refund"] == first["quote"]["refund"]
    assert fresh["quote"]["confirmation_token"] != token  # the first one lapsed: a new quote, a new token
    assert len(refund_quotes(movies, order["id"])) == 2


async def test_a_second_refund_token_for_the_same_order_credits_nothing(movies: MoviesEnv) -> None:
    """Two live tokens for one order (say, two quotes racing on PostgreSQL): the first refunds, the second
    is refused and moves no money."""
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        order = await buy(c, rec.id, 2)
        offer = await ok(c, "movies_refund", {"order_id": order["id"]})
        (row,) = refund_quotes(movies, order["id"])
        with Session(movies.engine) as session:
            twin = QuoteRow.model_validate({**row.model_dump(), "token": "cft_twin00000000"})
            session.add(twin)
            session.commit()
        paid = movies.wallet()
        done = await ok(
            c, "movies_refund", {"order_id": order["id"], "confirmation_token": offer["quote"]["confirmation_token"]}
        )
        refunded = movies.wallet()
        before = movies.snapshot()
        text = await err(c, "movies_refund", {"order_id": order["id"], "confirmation_token": "cft_twin00000000"})
    assert done["status"] == "done" and refunded == paid + offer["quote"]["refund"]["amount_minor"]
    assert done["wallet"]["amount_minor"] == refunded == offer["quote"]["wallet_after"]["amount_minor"]
    assert "already refunded" in text
    assert movies.wallet() == refunded and movies.snapshot() == before
    with Session(movies.engine) as session:
        movies_refunds = select(LedgerRow).where(LedgerRow.vertical == "movies", LedgerRow.kind == "refund")
        refunds = session.exec(movies_refunds).all()
    assert len(refunds) == 1 and refunds[0].amount_minor == offer["quote"]["refund"]["amount_minor"]
    assert refunds[0].ref.startswith("rfd_") and refunds[0].quote_token == offer["quote"]["confirmation_token"]


async def test_an_empty_tier_means_standard_and_wheelchair_spaces_can_be_held(movies: MoviesEnv) -> None:
    described = HoldRequest.model_fields["tier"].description or ""
    assert "'' = STD" in described and "cheapest" not in described
    assert "WHEELCHAIR" in (TierPrice.model_fields["tier"].description or "")
    svc = movies.service
    rec = next(
        r
        for r in status_of(movies)["on_sale"]
        if r.starts_at - svc.now() > timedelta(hours=3) and "WHEELCHAIR" in svc.catalog.tiers(r.auditorium_id)
    )
    async with Client(movies.server) as c:
        plain = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 2})
        space = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": "WHEELCHAIR", "quantity": 1})
        again = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": "WHEELCHAIR", "quantity": 1})
    assert {s["tier"] for s in plain["seats"]} == {"STD"} and {s["kind"] for s in plain["seats"]} == {"standard"}
    assert [(s["tier"], s["kind"]) for s in space["seats"]] == [("WHEELCHAIR", "accessible")]
    assert space["replaced_hold_ids"] == [plain["id"]]  # one selection per showtime: the wheelchair space replaced it
    assert again == {k: v for k, v in space.items() if k != "replaced_hold_ids"}  # a retried request is the same hold
    assert space["bill"]["total"]["amount_minor"] == svc.spec(rec.id).prices["WHEELCHAIR"] + pricing.BOOKING_FEE_MINOR


async def test_a_retried_hold_at_the_limit_is_the_same_hold_not_a_refusal(movies_any_db: MoviesEnv) -> None:
    """A retry of a hold at the limit is that hold, not 'over the limit'; another request for the showtime replaces
    it (one selection per showtime, as the app keeps) instead of being refused for the seats it already holds."""
    movies = movies_any_db
    rec = pick(movies, min_hours=3, free=pricing.PER_USER_LIMIT)
    args = {"showtime_id": rec.id, "quantity": pricing.PER_USER_LIMIT}
    async with Client(movies.server) as c:
        first = await ok(c, "movies_hold_seats", args)
        again = await ok(c, "movies_hold_seats", args)
        other = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 1})
        gone = await err(c, "movies_purchase", {"hold_id": first["id"]})
    assert again == first and "replaced_hold_ids" not in first
    assert other["replaced_hold_ids"] == [first["id"]] and len(other["seats"]) == 1
    assert "released" in gone


async def test_a_hold_that_replaces_another_may_take_the_seats_it_gave_back(movies_any_db: MoviesEnv) -> None:
    """A new request for a showtime gives the user's seats there back first, so it picks as if nothing had been
    held (on PostgreSQL the seats taken are read with the user's turn, before that release: the hold must not count
    the user's own seats as taken)."""
    movies = movies_any_db
    rec = pick(movies, min_hours=3, free=8)
    best: dict[int, list[str]] = {}  # the best seats for 1-4 people, each asked with nothing held
    async with Client(movies.server) as c:
        for quantity in range(1, 5):
            hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": quantity})
            await ok(c, "movies_release_hold", {"hold_id": hold["id"]})
            best[quantity] = [seat["seat_id"] for seat in hold["seats"]]
        # two sizes whose best seats overlap: the second can only get its best if the first's are given back
        first, then = next((a, b) for a in best for b in best if a != b and set(best[a]) & set(best[b]))
        held = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": first})
        replacing = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": then})
    assert replacing["replaced_hold_ids"] == [held["id"]]
    assert [seat["seat_id"] for seat in replacing["seats"]] == best[then]


async def test_a_page_of_showtimes_is_small_and_states_shared_facts_once(movies_readonly: MoviesEnv) -> None:
    async with Client(movies_readonly.server) as c:
        full = await c.call_tool("movies_find_showtimes", {"limit": 10})
        default = await ok(c, "movies_find_showtimes", {})
        too_many = await err(c, "movies_find_showtimes", {"limit": 11})
    text = "".join(getattr(block, "text", "") for block in full.content)
    page = full.structured_content or {}
    assert len(page["showtimes"]) == 10 and len(text) < 8000, len(text)  # ~2k tokens; 20 of them were ~18.7k characters
    assert len(default["showtimes"]) == 5 and default["page"]["next_cursor"]
    assert "limit" in too_many
    assert page["booking_fee"]["amount_minor"] == pricing.BOOKING_FEE_MINOR and len(page["tier_names"]) == 4
    for show in page["showtimes"]:
        assert "booking_fee" not in show and "subtitles" not in show
        assert all(set(t) == {"tier", "price", "free"} for t in show["tiers"])


async def test_a_refund_token_sent_with_other_seats_refunds_nothing_and_names_the_quoted_ones(
    movies: MoviesEnv,
) -> None:
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        order = await buy(c, rec.id, 2)
        first, second = [t["seat_id"] for t in order["tickets"]]
        offer = await ok(c, "movies_refund", {"order_id": order["id"], "seat_ids": [first]})
        token = offer["quote"]["confirmation_token"]
        before, wallet = movies.snapshot(), movies.wallet()
        text = await err(
            c, "movies_refund", {"order_id": order["id"], "seat_ids": [second.lower()], "confirmation_token": token}
        )
        assert f"quoted for seat_ids ['{first}'], not ['{second}']" in text and "nothing was refunded" in text
        assert movies.snapshot() == before and movies.wallet() == wallet
        done = await ok(
            c, "movies_refund", {"order_id": order["id"], "seat_ids": [first.lower()], "confirmation_token": token}
        )
    status = {t["seat_id"]: t["status"] for t in done["order"]["tickets"]}
    assert status == {first: "refunded", second: "valid"}
