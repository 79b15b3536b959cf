"""Faults injected in the providers by setting (``LIFESTYLE_FAULTS``), through the MCP protocol: the servers time
out their provider calls, retry only what is safe, tell the model plainly what happened and what to do, and a
purchase whose answer was lost is never charged twice.

Each test builds the faulty provider beside the sandbox's clean one, on the same database: a tool call through
the faulty one meets the faults, the same call through the clean one is the retry "once the provider is back".
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from mcp import Client
from mcp.types import CallToolResult, TextContent
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.engine import Engine

from shared.account import Sandbox
from shared.account.credentials import issue_token
from shared.account.wallet import statement
from shared.kit.faults import EXAMPLE, SHARES, FaultPlan, Faults
from shared.kit.server import LifestyleServer
from shared.kit.settings import Settings
from tests.conftest import free_port, serve_in_thread
from tests.sandboxes import Lifestyle
from tests.servers.food.conftest import FoodEnv, make_env
from tests.servers.food.helpers import err, fill_cart, ok
from tests.servers.journeys import confirm, hold_event_seats, hold_movie_seats
from tests.support import mcp_over_http, provider

PAYING = {"food": "food_place_order", "tickets": "tickets_purchase", "movies": "movies_purchase"}
TOKEN = re.compile(r"confirmation_token='(cft_[A-Za-z0-9]+)'")
GYM = {"label": "Gym", "street": "Mannerheimintie", "housenumber": "5"}


@pytest.fixture
def food(tmp_path: Path) -> Iterator[FoodEnv]:
    """A sandbox with the food provider alone (the tests that need no other server)."""
    env = make_env(tmp_path)
    yield env
    env.engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def food_any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FoodEnv]:
    env = make_env(tmp_path, request.getfixturevalue("pg_url") if request.param == "postgres" else "")
    yield env
    env.engine.dispose()


def faulty_app(vertical: str, settings: Settings, sandbox: Sandbox, faults: str, **extra: Any) -> FastAPI:
    """A second provider app of ``vertical`` on the same sandbox, injecting ``faults``."""
    backend = importlib.import_module(f"servers.{vertical}.backend.app")
    app: FastAPI = backend.create_app(settings.model_copy(update={"faults": faults}), sandbox=sandbox, **extra)
    return app


def faulty(env: Lifestyle | FoodEnv, vertical: str, faults: str, **settings: Any) -> tuple[LifestyleServer, Faults]:
    """``vertical``'s MCP server (with ``settings``) on a provider app of the sandbox that injects ``faults``."""
    if isinstance(env, FoodEnv):
        chosen, sandbox, extra = env.settings, env.sandbox, {}
    else:
        chosen, sandbox = env.settings[vertical], env.sandboxes[vertical]
        extra = {"network": env.apps["nav"].state.service.network} if vertical == "nav" else {}
    chosen = chosen.model_copy(update=settings)
    app = faulty_app(vertical, chosen, sandbox, faults, **extra)
    server: LifestyleServer = importlib.import_module(f"servers.{vertical}.server").build_server(chosen, app=app)
    return server, app.state.faults


def orders(engine: Engine, vertical: str, user: str = "usr_demo") -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id FROM {vertical}_order WHERE user_id = :u"), {"u": user}).scalars()
        return sorted(rows)


def charges(engine: Engine, user: str = "usr_demo") -> Counter[str]:
    """How many wallet charges each order got."""
    return Counter(e.ref for e in statement(engine, user, limit=50).entries if e.kind == "charge")


def idempotency_keys(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM account_idempotency")).scalar_one())


async def quoted(c: Client, vertical: str, args: dict[str, Any]) -> str:
    """The confirmation token of a purchase quote (the user said yes to it)."""
    quote = await ok(c, PAYING[vertical], args)
    assert quote["status"] == "confirmation_required", quote
    token: str = quote["quote"]["confirmation_token"]
    return token


async def ready_to_pay(server: LifestyleServer, vertical: str) -> tuple[dict[str, Any], str]:
    """A purchase ready to confirm (a full cart, or a hold of two seats): its arguments and its token."""
    async with Client(server) as c:
        if vertical == "food":
            await fill_cart(c)
            args: dict[str, Any] = {}
        else:
            hold = await (hold_event_seats(c) if vertical == "tickets" else hold_movie_seats(c))
            args = {"hold_id": hold["id"]}
        return args, await quoted(c, vertical, args)


# ----- the setting -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("error=2", "a number from 0 to 1"),
        ("latency=50", "a duration with its unit"),
        ("boom=0.1", "use latency, jitter, error, timeout, drop, db_down, seed"),
        ("error=0.6,drop=0.6", "must be at most 1"),
        ("seed=x", "not a whole number"),
        ("error", "not key=value"),
    ],
)
def test_a_bad_fault_setting_is_refused_saying_which_part_is_wrong_and_how_to_write_it(spec: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(faults=spec)
    assert says in str(caught.value)


def test_a_servers_own_fault_setting_beats_the_shared_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIFESTYLE_FAULTS", "error=0.5,seed=1")
    monkeypatch.setenv("FOOD_FAULTS", "latency=20ms,jitter=5ms,drop=5%")
    assert Settings.for_vertical("food").fault_plan == FaultPlan(latency=0.02, jitter=0.005, drop=0.05)
    assert Settings.for_vertical("nav").fault_plan == FaultPlan(error=0.5, seed=1)
    assert FaultPlan.parse(EXAMPLE).describe() == EXAMPLE  # the documented example reads back as written
    monkeypatch.setenv("TICKETS_FAULTS", "timeout=1.5")
    with pytest.raises(ValidationError):
        Settings.for_vertical("tickets")


# ----- one kind of fault at a time ---------------------------------------------------------------------------
async def test_with_latency_only_every_errand_works(lifestyle: Lifestyle) -> None:
    env = lifestyle
    food, food_faults = faulty(env, "food", "latency=3ms,jitter=2ms,seed=1")
    nav, nav_faults = faulty(env, "nav", "latency=3ms,seed=1")
    async with Client(food) as c:
        await fill_cart(c)
        meal = await confirm(c, "food_place_order", {})
    async with Client(nav) as c:
        route = await ok(c, "nav_route", {"origin": "home", "destination": "Oodi library", "mode": "walking"})
    assert meal["status"] == "done" and route["routes"][0]["distance_m"] > 0
    assert orders(env.engine, "food") == [meal["order"]["id"]]
    assert food_faults.injected["latency"] >= 5 and nav_faults.injected["latency"] >= 1
    assert set(food_faults.injected) | set(nav_faults.injected) == {"latency"}


async def test_a_provider_that_answers_503_gets_a_plain_tool_error_and_nothing_is_charged(food: FoodEnv) -> None:
    args, token = await ready_to_pay(food.server, "food")
    before = food.snapshot()
    server, faults = faulty(food, "food", "error=1")
    async with Client(server) as c:
        paying = await err(c, "food_place_order", args | {"confirmation_token": token})
        reading = await err(c, "food_get_cart", {})
    assert food.snapshot() == before  # nothing charged, nothing stored
    assert faults.injected["error"] == 6  # each call tried three times
    assert paying.startswith("The food provider was unavailable for POST /orders after 3 attempts")
    assert "nothing was charged or changed" in paying and f"confirmation_token='{token}'" in paying
    assert reading.startswith("The food provider could not answer GET /cart after 3 attempts")
    assert "(503 unavailable ×3)" in reading and "Nothing was changed. Try again in a moment" in reading
    async with Client(food.server) as c:  # the provider is back: the advice works
        done = await ok(c, "food_place_order", {"confirmation_token": token})
    assert done["status"] == "done"


async def test_a_purchase_whose_answer_was_lost_is_retried_with_the_same_token_and_charged_once(
    lifestyle_any_db: Lifestyle,
) -> None:
    env = lifestyle_any_db
    for vertical in PAYING:
        args, token = await ready_to_pay(env.server(vertical), vertical)
        start = env.sandbox.accounts.me("usr_demo").wallet.amount_minor
        server, faults = faulty(env, vertical, "drop=1")
        async with Client(server) as c:
            lost = await err(c, PAYING[vertical], args | {"confirmation_token": token})
        assert faults.injected["drop"] == 3
        assert "did not confirm" in lost and "so it may have gone through" in lost
        assert f"same confirmation_token='{token}'" in lost and "it will not charge or refund twice" in lost
        made = orders(env.engine, vertical)
        assert len(made) == 1, vertical  # it went through, once, although all three answers were lost

        retry = args | {"confirmation_token": TOKEN.findall(lost)[0]}
        async with Client(env.server(vertical)) as c:  # as the error says: the same tool, the same token
            again = await ok(c, PAYING[vertical], retry)  # the kept answer, replayed for its Idempotency-Key
            with env.engine.begin() as conn:  # a day later the kept answers are gone: the token itself still knows
                conn.execute(text("DELETE FROM account_idempotency"))
            later = await ok(c, PAYING[vertical], retry)
        assert again["status"] == later["status"] == "done"
        assert again["order"]["id"] == later["order"]["id"] == made[0]
        assert orders(env.engine, vertical) == made
        assert charges(env.engine)[made[0]] == 1
        total = again["order"]["bill"]["total"]["amount_minor"]
        assert (
            again["wallet"]["amount_minor"] == start - total == env.sandbox.accounts.me("usr_demo").wallet.amount_minor
        )
    assert sum(charges(env.engine).values()) == 3


async def test_a_used_token_sent_with_other_arguments_is_refused_and_what_it_made_stands(
    lifestyle: Lifestyle,
) -> None:
    """A confirmation retried with other arguments than its quote's: the provider kept the first answer under the
    token and replayed it, so food_place_order(note='ring twice') and a purchase of another hold said "done" for
    what the user never confirmed. Now the desk checks the arguments on every use of its token."""
    env = lifestyle
    for vertical in PAYING:
        args, token = await ready_to_pay(env.server(vertical), vertical)
        other = {"note": "ring twice"} if vertical == "food" else {"hold_id": "hld_0123456789ab"}
        async with Client(env.server(vertical)) as c:
            done = await ok(c, PAYING[vertical], args | {"confirmation_token": token})
            changed = await err(c, PAYING[vertical], args | other | {"confirmation_token": token})
            again = await ok(c, PAYING[vertical], args | {"confirmation_token": token})
        made = done["order"]["id"]
        assert again["status"] == "done" and again["order"]["id"] == made, vertical
        assert orders(env.engine, vertical) == [made] and charges(env.engine)[made] == 1, vertical
        assert "placed" not in changed and "nothing" in changed.lower(), changed
        assert f"already made {made}, which stands" in changed, changed


async def test_a_provider_that_never_answers_is_given_up_on_in_time_with_a_plain_error(food: FoodEnv) -> None:
    args, token = await ready_to_pay(food.server, "food")
    before = food.snapshot()
    server, faults = faulty(food, "food", "timeout=1", backend_timeout=0.5)
    # The fault hangs for minutes unless the caller gives up: each call must end by its own deadline (3 × 0.5 s).
    with anyio.fail_after(20):
        async with Client(server) as c:
            reading = await err(c, "food_get_cart", {})
            paying = await err(c, "food_place_order", args | {"confirmation_token": token})
    # up to three attempts each within the call's 1.5 s; on a loaded machine a stalled attempt can leave the next
    # nothing of it (CI saw 4 in all, and once 2 for one call: 'after 2 attempts in 7.7 s')
    assert 4 <= faults.injected["timeout"] <= 6 or re.search(r"after 2 attempts", reading + paying)
    assert food.snapshot() == before
    assert re.match(r"The food provider could not answer GET /cart after [23] attempts", reading), reading
    assert re.search(r"\(no answer in time ×[23]\)", reading) and "Nothing was changed" in reading
    assert "so it may have gone through" in paying and f"same confirmation_token='{token}'" in paying


async def test_a_write_that_got_no_answer_says_it_may_have_happened_and_to_look_before_repeating(
    food: FoodEnv,
) -> None:
    server, faults = faulty(food, "food", "drop=1")
    async with Client(server) as c:
        lost = await err(c, "food_save_address", GYM)
    assert "did not confirm POST /account/addresses" in lost and "may or may not have taken effect" in lost
    assert "Read the current state with the matching tool" in lost
    labels = [a.label for a in food.sandbox.accounts.list_addresses("usr_demo").addresses]
    assert labels.count("Gym") == 1 and faults.injected["drop"] == 3  # it did, once, although sent three times


async def test_a_database_that_goes_away_is_a_plain_503_and_nothing_changes(food_any_db: FoodEnv) -> None:
    food = food_any_db
    before = food.snapshot()
    server, faults = faulty(food, "food", "db_down=1")
    async with Client(server) as c:
        reading = await err(c, "food_get_cart", {})
        saving = await err(c, "food_save_address", GYM)
    assert faults.injected["db_down"] == 6
    assert food.snapshot() == before
    assert reading.startswith("The food provider could not answer GET /cart after 3 attempts")
    assert "(503 unavailable ×3)" in reading
    assert 'the provider said: "The food provider cannot reach its database"' in reading
    assert "was unavailable for POST /account/addresses" in saving and "nothing was changed" in saving
    async with Client(food.server) as c:  # the database is back, and every pooled connection still works
        assert (await ok(c, "food_get_cart", {}))["lines"] == []
        await ok(c, "food_save_address", GYM)


async def test_provider_api_callers_see_the_faults_as_http_answers(food: FoodEnv) -> None:
    app = faulty_app("food", food.settings, food.sandbox, "db_down=1")
    async with provider(app) as http:
        down = await http.get("/cart")
        docs = await http.get("/openapi.json")
    assert down.status_code == 503
    assert down.json()["code"] == "backend_unavailable" and down.json()["details"] == {"fault": "db_down"}
    assert docs.status_code == 200  # the API reference is never faulted


# ----- retries: what is safe, and only once per logical write ---------------------------------------------------
async def test_each_write_sends_one_key_on_all_its_attempts_and_reads_and_quotes_send_none(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        await fill_cart(c)
        await quoted(c, "food", {})
        await ok(c, "food_cancel_order", {"order_id": (await confirm(c, "food_place_order", {}))["order"]["id"]})
    writes = idempotency_keys(food.engine)
    # the cart update: quotes (of the order, of its cancelling) and reads store none, and a confirmation's token is
    # kept by the desk that issued it (it checks a retry's arguments against the quote before answering)
    assert writes == 1
    server, faults = faulty(food, "food", "drop=1")
    async with Client(server) as c:
        await err(c, "food_update_cart", {"replace_cart": True, "items": []})
    assert faults.injected["drop"] == 3
    assert idempotency_keys(food.engine) == writes + 1  # three attempts, one key: the first answer replayed


# ----- everything at once --------------------------------------------------------------------------------------
class Patient:
    """A client that does what a tool error advises, as a careful agent would: a provider that could not answer
    is asked again with the same arguments (a confirmation with the token the error names). Other errors are
    answers: they go back to the caller."""

    ADVICE = ("could not answer", "was unavailable for", "did not confirm")

    def __init__(self, client: Client, tries: int = 8) -> None:
        self.client = client
        self.tries = tries
        self.advised = 0

    async def call_tool(self, tool: str, args: dict[str, Any]) -> CallToolResult:
        for _ in range(self.tries):
            result = await self.client.call_tool(tool, args)
            first = result.content[0] if result.content else None
            said = first.text if isinstance(first, TextContent) else ""
            if not result.is_error or not any(advice in said for advice in self.ADVICE):
                return result
            self.advised += 1
            if named := TOKEN.findall(said):
                args = args | {"confirmation_token": named[0]}
        return result


MIXED = "latency=1ms,jitter=1ms,error=0.1,timeout=0.03,drop=0.15,db_down=0.05,seed=7"


async def test_a_seeded_mix_of_faults_over_an_errand_per_vertical_loses_nothing_and_charges_once(
    lifestyle_any_db: Lifestyle,
) -> None:
    env = lifestyle_any_db
    start = env.sandbox.accounts.me("usr_demo").wallet.amount_minor
    servers = {v: faulty(env, v, MIXED, backend_timeout=1.0) for v in ("food", "tickets", "movies", "nav")}
    bought: dict[str, str] = {}
    with anyio.fail_after(100):
        async with Client(servers["food"][0]) as c:
            agent = Patient(c)
            await fill_cart(agent)  # a Client, as far as the helpers go
            bought["food"] = (await confirm(agent, "food_place_order", {}))["order"]["id"]
        async with Client(servers["tickets"][0]) as c:
            agent = Patient(c)
            hold = await hold_event_seats(agent)
            done = await confirm(agent, "tickets_purchase", {"hold_id": hold["id"]})
            bought["tickets"] = done["order"]["id"]
        async with Client(servers["movies"][0]) as c:
            agent = Patient(c)
            hold = await hold_movie_seats(agent)
            done = await confirm(agent, "movies_purchase", {"hold_id": hold["id"]})
            bought["movies"] = done["order"]["id"]
            back = await confirm(agent, "movies_refund", {"order_id": done["order"]["id"]})
        async with Client(servers["nav"][0]) as c:
            agent = Patient(c)
            route = await ok(agent, "nav_route", {"origin": "home", "destination": "Oodi library"})

    injected = sum((faults.injected for _, faults in servers.values()), Counter[str]())
    assert injected["drop"] >= 1 and sum(injected[kind] for kind in SHARES) >= 4, injected  # they met faults
    assert route["routes"][0]["distance_m"] > 0
    for vertical, order_id in bought.items():
        assert orders(env.engine, vertical) == [order_id]  # every purchase acknowledged exists, once
    assert charges(env.engine) == Counter(bought.values())  # one charge per order, none without an order
    book = statement(env.engine, "usr_demo", limit=50)
    refunds = [e for e in book.entries if e.kind == "refund"]
    assert [(e.vertical, e.amount.amount_minor) for e in refunds] == [
        ("movies", back["order"]["refunded"]["amount_minor"])
    ]
    paid = sum(-e.amount.amount_minor for e in book.entries if e.kind == "charge")
    assert book.balance.amount_minor == start - paid + refunds[0].amount.amount_minor
    assert book.balance.amount_minor == sum(e.amount.amount_minor for e in book.entries)


# ----- over the network ------------------------------------------------------------------------------------------
async def test_over_the_network_a_lost_purchase_answer_is_retried_with_the_same_token_and_charged_once(
    food: FoodEnv,
) -> None:
    """The provider served by uvicorn (its lost answers are real broken connections), the MCP server reaching it
    by URL and served over streamable HTTP itself."""
    args, token = await ready_to_pay(food.server, "food")
    backend = faulty_app("food", food.settings, food.sandbox, "drop=1")
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    with serve_in_thread(backend) as backend_url:
        remote = importlib.import_module("servers.food.server").build_server(
            food.settings.model_copy(update={"backend_url": backend_url, "public_url": url})
        )
        with serve_in_thread(remote.streamable_http_app(), port=port):
            async with mcp_over_http(url, issue_token(food.engine, "usr_demo")) as c:
                lost = await err(c, "food_place_order", args | {"confirmation_token": token})
    assert backend.state.faults.injected["drop"] == 3
    assert "(connection lost ×3)" in lost and "so it may have gone through" in lost
    made = orders(food.engine, "food")
    assert len(made) == 1
    async with Client(food.server) as c:
        again = await ok(c, "food_place_order", args | {"confirmation_token": TOKEN.findall(lost)[0]})
    assert again["order"]["id"] == made[0] and charges(food.engine) == Counter({made[0]: 1})


def live_holds(engine: Engine, vertical: str, user: str = "usr_demo") -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(f"SELECT id FROM {vertical}_seat_hold WHERE user_id = :u AND released_at IS NULL AND order_id = ''"),
            {"u": user},
        )
        return sorted(rows.scalars())


async def test_a_hold_whose_answers_were_all_lost_was_made_once_and_asking_again_returns_it(
    lifestyle_any_db: Lifestyle,
) -> None:
    """Holds keep no Idempotency-Key answers (``own_retries``): the desk knows a retry by the request itself, so
    three attempts whose answers were lost hold the seats once, and the same request later returns that hold."""
    env = lifestyle_any_db
    for vertical, where in (("tickets", "session_id"), ("movies", "showtime_id")):
        async with Client(env.server(vertical)) as c:
            first = await (hold_event_seats(c) if vertical == "tickets" else hold_movie_seats(c))
            await ok(c, f"{vertical}_release_hold", {"hold_id": first["id"]})
        args = {where: first[where], "seat_ids": [s["seat_id"] for s in first["seats"]]}
        keys = idempotency_keys(env.engine)
        server, faults = faulty(env, vertical, "drop=1")
        async with Client(server) as c:
            lost = await err(c, f"{vertical}_hold_seats", args)
        assert faults.injected["drop"] == 3, vertical  # the first attempt and both retries ran; no answer came back
        assert "may or may not have taken effect" in lost and "Asking again with the same arguments is safe" in lost
        made = live_holds(env.engine, vertical)
        assert len(made) == 1 and made[0] != first["id"], vertical
        async with Client(env.server(vertical)) as c:
            again = await ok(c, f"{vertical}_hold_seats", args)
        assert again["id"] == made[0] and live_holds(env.engine, vertical) == made, vertical
        assert idempotency_keys(env.engine) == keys, vertical  # no answer kept for a hold
