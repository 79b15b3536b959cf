"""``kill -9`` in the middle of purchases, then a restart: nothing acknowledged is lost and nothing is half-written.

Users buy tickets in a loop (hold, quote, confirm) against ``lifestyle-mcp serve``; when the first purchases have
been acknowledged and others are in flight, the process is killed with SIGKILL (no handler, no rollback by the
process, nothing flushed), then started again on the same ports. Each user then sends every confirmation whose
answer was lost once more, with the same token, and buys once more. Afterwards:

* every purchase acknowledged before the kill exists, once, with its tickets and its one charge;
* a confirmation resent after the restart acts at most once: one order per token, whatever the kill interrupted;
* every charge has its order and tickets, every order its charge, and the seats sold are exactly the orders'
  (``tests/servers/test_replicas.invariants``).

On PostgreSQL the MCP server runs the provider in process; on SQLite the provider is its own process (a backend
URL configured: ``tickets-mcp backend``), and that process is killed first, then the MCP server, each in the
middle of purchases.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from mcp import Client
from sqlalchemy import text

from shared.account.credentials import issue_token
from tests.conftest import free_port
from tests.fuzz.strategies import text_of, verdict
from tests.servers.test_cli import wait_for_port
from tests.servers.test_concurrency import find_plan
from tests.servers.test_replicas import BIN, Process, Replica, Shared, invariants, over_http, shared_sandbox

USERS = 6
BEFORE_KILL = 3  # acknowledged purchases before the kill
ROUNDS = 4  # purchases a user tries before the kill (one more after the restart: within every event's limit of 6)
CALL_LIMIT = 30  # seconds one tool call may take (a call cut by the kill fails at once: this only bounds a hang)


@dataclass
class Ledger:
    """What the users were told, and what they could not know (their answer was lost in a kill)."""

    acknowledged: dict[str, str] = field(default_factory=dict)  # confirmation token -> order id
    unknown: dict[str, tuple[int, str]] = field(default_factory=dict)  # token -> (user, hold id): answer lost
    refused: list[str] = field(default_factory=list)
    in_flight: int = 0
    in_flight_at_kill: list[int] = field(default_factory=list)
    killed: bool = False
    enough: anyio.Event = field(default_factory=anyio.Event)


async def buy(c: Client, n: int, plan: dict[str, Any], book: Ledger, rounds: int) -> None:
    """Up to ``rounds`` purchases of one seat. Once the kill happened, the first call that gets no answer or a
    refusal ends the loop (a refusal must still say what to do); a confirmation whose answer was lost stays in
    ``book.unknown``."""
    for _ in range(rounds):
        with anyio.fail_after(CALL_LIMIT):
            hold = await answered(c, book, "tickets_hold_seats",
                                  {"session_id": plan["session_id"], "tier": plan["tier"], "quantity": 1})  # fmt: skip
            if hold is None:
                return
            quote = await answered(c, book, "tickets_purchase", {"hold_id": hold["id"]})
            if quote is None:
                return
            token = quote["quote"]["confirmation_token"]
        book.unknown[token] = (n, hold["id"])  # until its answer arrives
        book.in_flight += 1
        try:
            with anyio.fail_after(CALL_LIMIT):
                done = await answered(c, book, "tickets_purchase", {"hold_id": hold["id"], "confirmation_token": token})
        finally:
            book.in_flight -= 1
        if done is None:
            return
        assert done["status"] == "done", done
        book.acknowledged[token] = done["order"]["id"]
        del book.unknown[token]
        if len(book.acknowledged) >= BEFORE_KILL:
            book.enough.set()


async def answered(c: Client, book: Ledger, tool: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """The result; or None for a refusal after the kill (the provider is gone: the refusal must say so usefully)."""
    result = await c.call_tool(tool, args)
    assert not verdict(result), text_of(result)
    if result.is_error:
        assert book.killed, f"{tool} refused before any kill: {text_of(result)}"
        book.refused.append(text_of(result))
        return None
    assert result.structured_content is not None
    return result.structured_content


async def until_killed(url: str, token: str, n: int, plan: dict[str, Any], book: Ledger) -> None:
    """A user buying until the server goes away under them (its error ends the session: that is the point)."""
    try:
        async with over_http(url, token) as c:
            await buy(c, n, plan, book, rounds=ROUNDS)
    except AssertionError:
        raise
    except BaseException:
        pass


async def kill_mid_purchase(
    kill: Any, urls: list[str], tokens: list[str], plan: dict[str, Any], book: Ledger, first: int = 0
) -> None:
    """Users (numbered from ``first``) buying on ``urls``, killed by ``kill()`` once enough were acknowledged."""
    async with anyio.create_task_group() as group:
        for n, token in enumerate(tokens, start=first):
            group.start_soon(until_killed, urls[n % len(urls)], token, n, plan, book)
        with anyio.fail_after(120):
            await book.enough.wait()
        book.in_flight_at_kill.append(book.in_flight)
        book.killed = True
        kill()
        group.cancel_scope.deadline = anyio.current_time() + CALL_LIMIT  # broken calls end by themselves


async def after_restart(url: str, tokens: list[str], plan: dict[str, Any], book: Ledger) -> dict[str, str]:
    """Every lost answer asked for again with the same token: the answer is the order that confirmation made
    (before the kill or now), or, while the killed attempt's claim on its Idempotency-Key is recent, a refusal
    that says to send that same token again. Then the last user, who took no part before, buys one seat: the
    restarted server works."""
    resent: dict[str, str] = {}
    for token, (n, hold_id) in sorted(book.unknown.items()):
        async with over_http(url, tokens[n]) as c:
            again = await c.call_tool("tickets_purchase", {"hold_id": hold_id, "confirmation_token": token})
        assert not verdict(again), text_of(again)
        if again.is_error:
            assert token in text_of(again), text_of(again)  # "call again with the same confirmation_token"
            book.refused.append(text_of(again))
        else:
            assert again.structured_content is not None and again.structured_content["status"] == "done"
            resent[token] = again.structured_content["order"]["id"]
    book.unknown.clear()
    bought = len(book.acknowledged)
    async with over_http(url, tokens[-1]) as c:
        await buy(c, len(tokens) - 1, plan, book, rounds=1)
    assert len(book.acknowledged) == bought + 1, book.refused[-1:]
    return resent


def check(shared: Shared, book: Ledger, resent: dict[str, str]) -> None:
    with shared.engine.connect() as conn:
        orders: dict[str, str] = dict(conn.execute(text("SELECT quote_token, id FROM tickets_order")).all())
        tokens = Counter(conn.execute(text("SELECT quote_token FROM tickets_order")).scalars().all())
        tickets = Counter(conn.execute(text("SELECT order_id FROM tickets_ticket")).scalars().all())
    assert invariants(shared.engine) == {}
    assert [t for t, times in tokens.items() if times > 1] == []  # one order per confirmation, kill or not
    for token, order in book.acknowledged.items():  # nothing acknowledged was lost
        assert orders.get(token) == order and tickets[order] == 1
    for token, order in resent.items():  # a resent confirmation got the order it made (before or after the kill)
        assert orders.get(token) == order
    assert len(book.acknowledged) >= BEFORE_KILL + 1  # before the kill, and after the restart


async def test_kill_9_of_the_server_mid_purchase_loses_nothing_and_half_writes_nothing(
    tmp_path: Path, pg_url: str
) -> None:
    users = [f"usr_kill{n}" for n in range(USERS + 1)]  # the last one buys only after the restart
    shared = shared_sandbox(tmp_path / "data", pg_url, users)
    plan = await find_plan(shared.servers["food"], shared.servers["tickets"], (ROUNDS + 1) * USERS, ROUNDS + 1)
    tokens = [issue_token(shared.engine, user) for user in users]
    book = Ledger()
    server = Replica(env=shared.env, log=tmp_path / "server.log")
    server.start()
    try:
        await kill_mid_purchase(server.kill, [server.urls["tickets"]], tokens[:USERS], plan, book)
        server.start()
        resent = await after_restart(server.urls["tickets"], tokens, plan, book)
    finally:
        server.stop()
    check(shared, book, resent)
    shared.engine.dispose()


async def test_kill_9_of_the_provider_then_of_the_server_mid_purchase_on_sqlite_loses_nothing(tmp_path: Path) -> None:
    users = [f"usr_kill{n}" for n in range(2 * USERS + 1)]  # fresh ones for the second kill (the per-user limit)
    shared = shared_sandbox(tmp_path / "data", "", users)
    plan = await find_plan(shared.servers["food"], shared.servers["tickets"], (ROUNDS + 1) * 2 * USERS, ROUNDS + 1)
    tokens = [issue_token(shared.engine, user) for user in users]
    backend_port = free_port()
    env = shared.env | {"TICKETS_BACKEND_URL": f"http://127.0.0.1:{backend_port}"}
    backend = Backend(shared.env, backend_port, tmp_path / "backend.log")
    server = Replica(env=env, log=tmp_path / "server.log")
    book = Ledger()
    backend.start()
    server.start()
    try:
        # the first user's token confirmed while the provider is up: the kill may come before that user's first
        # request (a loaded CI machine), and a token never confirmed is rightly refused while the provider is down
        async with over_http(server.urls["tickets"], tokens[0]) as c:
            assert not (await c.call_tool("tickets_list_orders", {})).is_error
        await kill_mid_purchase(backend.kill, [server.urls["tickets"]], tokens[:USERS], plan, book)
        async with over_http(server.urls["tickets"], tokens[0]) as c:  # the server outlives its provider
            down = await c.call_tool("tickets_list_orders", {})
        backend.start()
        book.enough, book.killed = anyio.Event(), False
        book.acknowledged, before = {}, dict(book.acknowledged)
        await kill_mid_purchase(server.kill, [server.urls["tickets"]], tokens[USERS:-1], plan, book, first=USERS)
        book.acknowledged |= before
        server.start()
        resent = await after_restart(server.urls["tickets"], tokens, plan, book)
    finally:
        server.stop()
        backend.stop()
    assert down.is_error and not verdict(down), text_of(down)  # an actionable error while the provider is down
    check(shared, book, resent)
    shared.engine.dispose()


@dataclass
class Backend(Process):
    """``tickets-mcp backend``: the mocked provider API in its own process."""

    env: dict[str, str]
    port: int
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen([str(BIN / "tickets-mcp"), "backend", "--port", str(self.port)],
                                         env=self.env, stdout=subprocess.DEVNULL, stderr=log)  # fmt: skip
        wait_for_port(self.port)
