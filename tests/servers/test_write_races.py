"""Writes of one user racing each other, on SQLite and on PostgreSQL (issue 11).

Eight calls of one user start at the same moment, each on its own MCP client of the same server, against the
real provider: every call succeeds, and what is stored is what the eight would leave one after another (no line
lost, one address per label, one attendee per ID, never more rows than the caps). Each race runs a few rounds.
Then the provider's ``RaceRetry`` (``shared.kit.dberrors``), on a provider app with routes of its own that lose
real races to a lock this test holds: a run that lost is run again, one that keeps losing is a 409 that says to
call again, and a database out of reach is a 503 — never a 500.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import pytest
from fastapi import FastAPI
from mcp import Client
from mcp.types import CallToolResult, TextContent
from sqlalchemy import MetaData, create_engine, func, insert, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from servers.food.backend.models import CartRow
from servers.food.backend.service import MAX_LINES
from servers.tickets.backend import app as tickets_backend
from servers.tickets.backend.models import SEAT_HOLDS, AttendeeRow
from servers.tickets.backend.service import MAX_ATTENDEES
from servers.tickets.server import build_server as build_tickets
from shared.account.accounts import MAX_ADDRESSES, fold_label
from shared.account.models import AddressRow, UserRow
from shared.kit.backend import provider_app
from shared.kit.db import is_sqlite, make_engine, session_scope
from shared.kit.dberrors import ATTEMPTS
from shared.kit.server import LifestyleServer
from shared.schemas.account import Address
from shared.schemas.tickets import AttendeeInput
from shared.seating import SeatingEngine
from tests.conftest import free_port
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.conftest import make_env as make_food
from tests.servers.food.helpers import groups_of, least, menu_items, ok
from tests.servers.tickets.conftest import NOON, TicketsEnv
from tests.servers.tickets.helpers import pick
from tests.shared.test_seating import NOW, TTL, spec_for
from tests.support import provider, sandbox_settings

WAYS = 8
ROUNDS = 3


@dataclass
class Providers:
    """The food and tickets providers of one sandbox, on one database, shared by every test here: each race has
    users of its own, and building a sandbox costs more than the races."""

    food: FoodEnv
    tickets: TicketsEnv


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def providers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Providers]:
    url = str(request.getfixturevalue("pg_url")) if request.param == "postgres" else ""
    data = tmp_path_factory.mktemp("races")
    food = make_food(data, url)
    settings = sandbox_settings("tickets", data, NOON, url)
    sandbox = tickets_backend.prepare(settings, engine=food.engine)
    app = tickets_backend.create_app(settings, sandbox=sandbox)
    tickets = TicketsEnv(settings=settings, sandbox=sandbox, app=app, server=build_tickets(settings, app=app))
    yield Providers(food=food, tickets=tickets)
    food.engine.dispose()


@pytest.fixture
def food(providers: Providers) -> FoodEnv:
    return providers.food


@pytest.fixture
def tickets(providers: Providers) -> TicketsEnv:
    return providers.tickets


# ----- helpers ---------------------------------------------------------------------------------------------------
async def at_once(server: LifestyleServer, calls: list[tuple[str, dict[str, Any]]]) -> list[CallToolResult]:
    """Every call on its own client of ``server``, all sent at the same moment once every client is connected."""
    results: dict[int, CallToolResult] = {}
    connected = 0
    go = anyio.Event()

    async def one(n: int, tool: str, args: dict[str, Any]) -> None:
        nonlocal connected
        async with Client(server) as client:
            connected += 1
            if connected == len(calls):
                go.set()
            await go.wait()
            results[n] = await client.call_tool(tool, args)

    with anyio.fail_after(120):
        async with anyio.create_task_group() as group:
            for n, (tool, args) in enumerate(calls):
                group.start_soon(one, n, tool, args)
    return [results[n] for n in range(len(calls))]


def text_of(result: CallToolResult) -> str:
    first = result.content[0] if result.content else None
    return first.text if isinstance(first, TextContent) else ""


def successes(results: list[CallToolResult]) -> list[dict[str, Any]]:
    """The structured results of calls that all had to succeed (the failures' texts in the assertion)."""
    failed = [text_of(r) for r in results if r.is_error]
    assert failed == [], failed
    return [r.structured_content or {} for r in results]


def most(group: dict[str, Any]) -> int:
    """Most options a group allows, read from its rule ('choose 1', 'choose 1 to 2', 'optional, up to 3')."""
    return int(group["rule"].split()[-1])


def distinct_lines(detail: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every different cart line a menu allows: each available dish with each valid choice of its options."""
    for item in menu_items(detail):
        if item.get("sold_out"):
            continue
        sold_out = set(item.get("sold_out_options", []))
        per_group = []
        for group in groups_of(detail, item):
            free = [o["id"] for o in group["options"] if o["id"] not in sold_out]
            per_group.append(
                [list(c) for k in range(least(group), most(group) + 1) for c in itertools.combinations(free, k)]
            )
        for choice in itertools.product(*per_group):
            yield {"item_id": item["id"], "quantity": 1, "option_ids": [o for part in choice for o in part]}


async def lines_of_one_restaurant(client: Client, need: int) -> tuple[str, list[dict[str, Any]]]:
    """A restaurant whose menu allows ``need`` different cart lines, and those lines."""
    page = await ok(client, "food_search_restaurants", {"query": "cappuccino", "sort": "rating", "limit": 20})
    for summary in page["restaurants"]:
        detail = await ok(client, "food_get_restaurant", {"restaurant_id": summary["id"]})
        lines = list(itertools.islice(distinct_lines(detail), need))
        if len(lines) == need:
            return summary["id"], lines
    raise AssertionError(f"no restaurant in the fixtures has {need} different cart lines")


def new_user(env: FoodEnv | TicketsEnv, user_id: str, *, addresses: list[Address] | None = None) -> LifestyleServer:
    """A fresh account with the demo user's home (and ``addresses``), and its own server on the same provider."""
    home = env.sandbox.accounts.list_addresses("usr_demo").addresses[0]
    env.sandbox.accounts.add_user(user_id, user_id, wallet_minor=10_000, addresses=[home, *(addresses or [])])
    return env.server_for(user_id)


# ----- the food cart ---------------------------------------------------------------------------------------------
async def test_racing_cart_writes_of_one_user_make_one_cart_and_keep_every_line(food: FoodEnv) -> None:
    """Wave one is the user's first cart write eight times over (who makes the cart?); wave two adds eight other
    lines to it at once (whose line survives?). Both: every line."""
    async with Client(food.server) as client:
        restaurant, lines = await lines_of_one_restaurant(client, 2 * WAYS)

    def stored(user: str) -> list[tuple[str, list[str], int]]:
        with Session(food.engine) as session:
            row = session.get(CartRow, user)
            assert row is not None and row.restaurant_id == restaurant
            return sorted((line["item_id"], sorted(line["option_ids"]), line["quantity"]) for line in row.lines)

    for round_ in range(ROUNDS):
        user = f"usr_cart{round_}"
        server = new_user(food, user)
        first, second = lines[:WAYS], lines[WAYS:]
        wave = [("food_update_cart", {"restaurant_id": restaurant, "items": [line]}) for line in first]
        successes(await at_once(server, wave))
        want = sorted((line["item_id"], sorted(line["option_ids"]), 1) for line in first)
        assert stored(user) == want, f"round {round_}: racing first writes lost a line"
        wave = [
            ("food_update_cart", {"restaurant_id": restaurant, "items": [{**line, "quantity": round_ + 2}]})
            for line in second
        ]
        carts = successes(await at_once(server, wave))
        want += [(line["item_id"], sorted(line["option_ids"]), round_ + 2) for line in second]
        assert stored(user) == sorted(want), f"round {round_}: racing writes lost another's line"
        assert max(len(cart["lines"]) for cart in carts) == 2 * WAYS  # the last one saw them all


async def test_a_cart_refuses_a_line_beyond_its_cap_and_changes_nothing(food: FoodEnv) -> None:
    async with Client(new_user(food, "usr_lines")) as client:
        restaurant, lines = await lines_of_one_restaurant(client, MAX_LINES + 2)
        full = await ok(client, "food_update_cart", {"restaurant_id": restaurant, "items": lines[:MAX_LINES]})
        before = food.snapshot()
        refused = await client.call_tool("food_update_cart", {"restaurant_id": restaurant, "items": [lines[MAX_LINES]]})
        unchanged = food.snapshot()
        swapped = await ok(
            client,
            "food_update_cart",
            {"restaurant_id": restaurant, "items": [{**lines[0], "quantity": 0}, lines[MAX_LINES + 1]]},
        )
        more = await ok(
            client, "food_update_cart", {"restaurant_id": restaurant, "items": [{**lines[1], "quantity": 3}]}
        )
    assert len(full["lines"]) == MAX_LINES
    assert refused.is_error and text_of(refused).startswith("Error: ")
    assert f"at most {MAX_LINES} different lines" in text_of(refused) and "quantity" in text_of(refused)
    assert unchanged == before
    assert len(swapped["lines"]) == MAX_LINES  # one out, one in: still within the cap
    assert len(more["lines"]) == MAX_LINES  # more of a line it holds is no new line


# ----- the address book ------------------------------------------------------------------------------------------
async def test_eight_saves_of_one_label_at_once_leave_one_address(food: FoodEnv) -> None:
    home = food.sandbox.accounts.list_addresses("usr_demo").addresses[0]
    spellings = ["Gym {}", "gym {}", "GYM {}", " Gym  {} ", "gym {}", "Gym {}", "gYm {}", "GYM  {}"]
    for round_ in range(ROUNDS):
        calls = [
            ("food_save_address", {"label": spelling.format(round_), "street": "Mannerheimintie",
                                   "housenumber": str(n + 1), "lat": home.location.lat, "lng": home.location.lng})
            for n, spelling in enumerate(spellings)
        ]  # fmt: skip
        saved = successes(await at_once(food.server, calls))
        assert len({a["id"] for a in saved}) == 1, f"round {round_}: one label became several addresses"
        with Session(food.engine) as session:
            rows = session.exec(
                select(AddressRow).where(
                    AddressRow.user_id == "usr_demo", AddressRow.label_key == fold_label(f"gym {round_}")
                )
            ).all()
        assert len(rows) == 1 and rows[0].id == saved[0]["id"]
        assert rows[0].housenumber in {str(n + 1) for n in range(WAYS)}


async def test_the_address_cap_holds_when_new_labels_race_for_the_last_place(food: FoodEnv) -> None:
    home = food.sandbox.accounts.list_addresses("usr_demo").addresses[0]
    others = [home.model_copy(update={"label": f"Place {n}"}) for n in range(MAX_ADDRESSES - 2)]
    server = new_user(food, "usr_full", addresses=others)  # one place left
    calls = [
        ("food_save_address", {"label": f"New {n}", "street": "Mannerheimintie", "housenumber": str(n + 1),
                               "lat": home.location.lat, "lng": home.location.lng})
        for n in range(WAYS)
    ]  # fmt: skip
    results = await at_once(server, calls)
    refused = [text_of(r) for r in results if r.is_error]
    assert len(refused) == WAYS - 1
    assert all(t.startswith("Error: ") and f"at most {MAX_ADDRESSES} saved addresses" in t for t in refused)
    with Session(food.engine) as session:
        count = session.exec(select(func.count(col(AddressRow.id))).where(AddressRow.user_id == "usr_full")).one()
    assert count == MAX_ADDRESSES


# ----- tickets attendees -----------------------------------------------------------------------------------------
async def test_eight_saves_of_one_attendee_at_once_leave_one(tickets: TicketsEnv) -> None:
    for round_ in range(ROUNDS):
        number = f"E{round_:02d}345678"
        spellings = [number, number.lower(), f"{number[:4]} {number[4:]}", f"{number[:3]}-{number[3:]}"] * 2
        calls = [
            ("tickets_save_attendee", {"name": "Aino Virtanen", "id_type": "passport", "id_number": spelled})
            for spelled in spellings
        ]
        saved = successes(await at_once(tickets.server, calls))
        assert len({a["id"] for a in saved}) == 1, f"round {round_}: one ID became several attendees"
        with Session(tickets.engine) as session:
            rows = session.exec(
                select(AttendeeRow).where(AttendeeRow.user_id == "usr_demo", AttendeeRow.id_number == number)
            ).all()
        assert len(rows) == 1


async def test_the_attendee_cap_holds_when_new_people_race_for_the_last_place(tickets: TicketsEnv) -> None:
    server = new_user(tickets, "usr_crowd")
    service = tickets.service
    for n in range(MAX_ATTENDEES - 1):
        service.save_attendee("usr_crowd", AttendeeInput(name="Guest", id_type="passport", id_number=f"P{n:07d}"))
    calls = [
        ("tickets_save_attendee", {"name": "Guest", "id_type": "passport", "id_number": f"Q{n:07d}"})
        for n in range(WAYS)
    ]
    results = await at_once(server, calls)
    refused = [text_of(r) for r in results if r.is_error]
    assert len(refused) == WAYS - 1
    assert all(f"at most {MAX_ATTENDEES} attendees" in t and "tickets_list_attendees" in t for t in refused)
    with Session(tickets.engine) as session:
        count = session.exec(select(func.count(col(AttendeeRow.id))).where(AttendeeRow.user_id == "usr_crowd")).one()
    assert count == MAX_ATTENDEES


# ----- seat holds -------------------------------------------------------------------------------------------------
async def test_eight_identical_holds_of_one_user_at_once_hold_the_seats_once(tickets: TicketsEnv) -> None:
    """A client that sent its hold eight times (retries that overtook each other) holds once: one live hold of the
    user per request, as the tool promises."""
    chosen = pick(tickets, real_name=False, free=2 * WAYS)
    server = new_user(tickets, "usr_holds")
    for round_ in range(ROUNDS):
        args = {"session_id": chosen.session.id, "tier": chosen.tier, "quantity": 2}
        holds = successes(await at_once(server, [("tickets_hold_seats", args)] * WAYS))
        assert len({h["id"] for h in holds}) == 1, f"round {round_}: one request made several holds"
        with Session(tickets.engine) as session:
            live = session.exec(
                select(SEAT_HOLDS.c.id).where(SEAT_HOLDS.c.user_id == "usr_holds", SEAT_HOLDS.c.released_at.is_(None))
            ).all()
        assert list(live) == [holds[0]["id"]]
        async with Client(server) as client:
            await ok(client, "tickets_release_hold", {"hold_id": holds[0]["id"]})


def test_a_best_available_try_that_fell_short_keeps_no_seat_locked(pg_url: str) -> None:
    """A best-available hold on PostgreSQL that gets only some of the seats it tried undoes that try whole before
    it picks again (a savepoint): a seat it claimed and gave back is not locked until it commits. Locks kept from
    a failed try, taken before the next try's seats, broke the one seat order every writer keeps, and three holds
    deadlocked (issue 11). PostgreSQL only: SQLite writers take turns, and best available tries once there."""
    metadata = MetaData()
    seating = SeatingEngine(metadata, "h1race", spec_for)
    engine = make_engine(pg_url)
    metadata.create_all(engine)
    first, second = sorted(s.seat_id for s in spec_for("shw_race").layout.best_available("VIP", 2, set()))
    busy = engine.connect()
    try:
        busy.begin()  # another transaction is busy with the second seat: the first try gets only the first
        busy.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"h1race:shw_race:{second}"}
        )
        with session_scope(engine) as session:
            hold = seating.hold(session, "shw_race", user_id="usr_a", now=NOW, ttl=TTL, tier="VIP", quantity=2)
            assert first not in {s.seat_id for s in hold.seats}  # the second try went elsewhere
            with engine.connect() as other:  # still inside the hold's transaction: is the first seat free to take?
                other.exec_driver_sql("SET lock_timeout = '200ms'")
                taken = other.execute(
                    insert(seating.claims).returning(seating.claims.c.seat_id),
                    {"inventory_id": "shw_race", "seat_id": first, "tier": "VIP", "hold_id": "hld_other",
                     "user_id": "usr_b", "order_id": "", "expires_at": NOW + TTL},
                ).all()  # fmt: skip
                other.commit()
        assert taken == [(first,)]
    finally:
        busy.rollback()
        busy.close()
        metadata.drop_all(engine)
        engine.dispose()


# ----- RaceRetry: a run that lost a race is run again --------------------------------------------------------------
class Turns:
    """A provider route that takes the demo user's turn (the user row ``FOR UPDATE``, as every user write does)
    but gives up waiting after 50 ms, so it loses at once to a turn this test holds: on PostgreSQL with
    ``55P03 lock_not_available``, on SQLite with "database is locked". ``released`` lets a run after the first wait
    until the test has let its turn go."""

    def __init__(self, engine: Engine, *, release_after: int) -> None:
        self.engine = engine
        self.release_after = release_after
        self.runs = 0
        self.retrying = threading.Event()
        self.released = threading.Event()

    def hold(self) -> Connection:
        """Take the demo user's turn in a transaction of this test's own."""
        conn = self.engine.connect()
        conn.begin()  # SQLite: BEGIN IMMEDIATE, the database's write lock
        conn.execute(select(UserRow).where(UserRow.id == "usr_demo").with_for_update())
        return conn

    def route(self) -> dict[str, int]:
        self.runs += 1
        if self.runs > self.release_after:
            self.retrying.set()
            assert self.released.wait(30)
        with self.engine.connect() as conn:
            if is_sqlite(self.engine):
                conn.connection.driver_connection.execute("PRAGMA busy_timeout = 50")  # type: ignore[union-attr]
            try:
                with conn.begin():
                    if not is_sqlite(self.engine):
                        conn.exec_driver_sql("SET LOCAL lock_timeout = '50ms'")
                    conn.execute(select(UserRow).where(UserRow.id == "usr_demo").with_for_update())
            finally:
                if is_sqlite(self.engine):
                    conn.connection.driver_connection.execute("PRAGMA busy_timeout = 30000")  # type: ignore[union-attr]
        return {"runs": self.runs}


def race_app(env: FoodEnv, turns: Turns) -> FastAPI:
    app = provider_app(env.settings, env.sandbox, title="races", description="Routes that lose races on purpose.")
    app.add_api_route("/race/turn", turns.route, methods=["POST"])
    return app


async def test_a_request_that_lost_a_race_runs_again_and_succeeds(food: FoodEnv) -> None:
    turns = Turns(food.engine, release_after=1)
    holder = turns.hold()
    async with provider(race_app(food, turns)) as http, anyio.create_task_group() as group:
        answers: list[Any] = []

        async def call() -> None:
            answers.append(await http.post("/race/turn", json={"any": "body"}))

        group.start_soon(call)
        assert await anyio.to_thread.run_sync(turns.retrying.wait, 30)  # the first run lost; the second waits
        holder.rollback()
        holder.close()
        turns.released.set()
    assert answers[0].status_code == 200, answers[0].text
    assert answers[0].json() == {"runs": 2}


async def test_a_request_that_keeps_losing_is_a_conflict_to_call_again(food: FoodEnv) -> None:
    turns = Turns(food.engine, release_after=ATTEMPTS)  # the turn is held through every run
    holder = turns.hold()
    try:
        async with provider(race_app(food, turns)) as http:
            answer = await http.post("/race/turn")
    finally:
        holder.rollback()
        holder.close()
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "conflict" and "at the same moment" in body["message"] and "Call again" in body["hint"]
    assert turns.runs == ATTEMPTS


async def test_a_deadlock_victim_runs_again_and_both_requests_succeed(food: FoodEnv) -> None:
    if is_sqlite(food.engine):
        pytest.skip("SQLite writers take turns for the whole transaction: they cannot deadlock")
    food.sandbox.accounts.add_user("usr_other", "Other")
    meet = threading.Barrier(2, timeout=30)
    runs: list[str] = []

    def both(first: str, second: str) -> dict[str, int]:
        runs.append(first)
        with food.engine.begin() as conn:
            conn.execute(select(UserRow).where(UserRow.id == first).with_for_update())
            if runs.count(first) == 1:
                meet.wait()  # each holds its first row and wants the other's: PostgreSQL picks a victim
            conn.execute(select(UserRow).where(UserRow.id == second).with_for_update())
        return {"runs": runs.count(first)}

    app = provider_app(food.settings, food.sandbox, title="races", description="Two routes that deadlock.")
    app.add_api_route("/race/ab", lambda: both("usr_demo", "usr_other"), methods=["POST"])
    app.add_api_route("/race/ba", lambda: both("usr_other", "usr_demo"), methods=["POST"])
    answers: dict[str, Any] = {}
    async with provider(app) as http:

        async def call(path: str) -> None:
            answers[path] = await http.post(path)

        with anyio.fail_after(60):
            async with anyio.create_task_group() as group:
                group.start_soon(call, "/race/ab")
                group.start_soon(call, "/race/ba")
    assert [answers[p].status_code for p in ("/race/ab", "/race/ba")] == [200, 200]
    assert sorted(answers[p].json()["runs"] for p in ("/race/ab", "/race/ba")) == [1, 2]  # the victim ran twice


async def test_a_database_out_of_reach_is_a_503_not_a_500(food: FoodEnv, tmp_path: Path) -> None:
    url = (
        f"sqlite:///{tmp_path}/no/such/dir/x.db"
        if is_sqlite(food.engine)
        else f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere"
    )
    gone = create_engine(url)

    def route() -> dict[str, int]:
        with gone.connect() as conn:
            return {"one": int(conn.exec_driver_sql("SELECT 1").scalar_one())}

    app = provider_app(food.settings, food.sandbox, title="down", description="A route whose database is gone.")
    app.add_api_route("/down", route, methods=["GET"])
    async with provider(app) as http:
        answer = await http.get("/down")
    gone.dispose()
    assert answer.status_code == 503
    assert answer.json()["code"] == "backend_unavailable" and "again" in answer.json()["hint"]
