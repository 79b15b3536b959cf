"""Every tool of every server, fed fuzzed arguments through the real protocol (an in-memory ``mcp.Client`` on
``build_server()`` of a fresh sandbox), must answer with a result or an actionable tool error, never a crash;
the server must stay up; and a refused call must leave the database as it was.

The arguments come from each tool's advertised inputSchema (``tests/fuzz/strategies.py``), seeded with the ids
a real session hands out, the user's own and another user's, so the fuzzer reaches past argument validation
into holds, purchases, refunds and carts. Bounded for CI: a fixed seed (``derandomize``) and
``LIFESTYLE_FUZZ_EXAMPLES`` examples per tool (default 8); raise it to run longer, e.g.
``LIFESTYLE_FUZZ_EXAMPLES=200 pytest tests/fuzz``. ``LIFESTYLE_FUZZ_DATABASE=postgres`` runs it on PostgreSQL.

Each example is checked on its own and the problems are reported together at the end (rather than stopping and
shrinking at the first), so one run lists everything that is wrong.
"""

from __future__ import annotations

import os
from typing import Any

import anyio.from_thread
import anyio.to_thread
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from mcp import Client
from mcp.types import CallToolResult, Tool
from sqlalchemy import text
from sqlalchemy.engine import Engine

from servers.food.backend.models import FoodTable
from servers.movies.backend.models import MoviesTable
from servers.nav.backend.models import NavTable
from servers.tickets.backend.models import TicketsTable
from shared.account.models import AccountTable
from tests.fuzz.session import Fuzzed
from tests.fuzz.strategies import arguments, shown, text_of, verdict
from tests.sandboxes import VERTICALS

EXAMPLES = int(os.environ.get("LIFESTYLE_FUZZ_EXAMPLES", "8"))
STATIC = frozenset({
    "food_restaurant", "movies_film", "movies_cinema", "tickets_venue", "tickets_event", "tickets_session",
    "nav_place", "nav_address",
})  # fmt: skip
"""The seeded catalogs: no tool writes them, so they are compared once per run, not after every call."""


def table_rows(engine: Engine, *, static: bool) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of the sandbox's tables (the seeded catalogs, or everything else), for before/after checks."""
    names = [
        name
        for md in (
            AccountTable.metadata,
            FoodTable.metadata,
            TicketsTable.metadata,
            MoviesTable.metadata,
            NavTable.metadata,
        )
        for name in md.tables
        if (name in STATIC) == static
    ]
    with engine.connect() as conn:
        return {name: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {name}")).all()), key=repr) for name in names}


def money_is_consistent(engine: Engine) -> list[str]:
    """Users whose wallet balance is not the sum of their ledger."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT w.user_id, w.balance_minor, COALESCE(SUM(l.amount_minor), 0) FROM account_wallet w "
            "LEFT JOIN account_ledger l ON l.user_id = w.user_id GROUP BY w.user_id, w.balance_minor"
        )).all()  # fmt: skip
    return [f"{user}: wallet {balance} but ledger {total}" for user, balance, total in rows if balance != total]


class Prober:
    """Runs one tool's fuzzed calls (from hypothesis, on a worker thread) and keeps what went wrong."""

    def __init__(self, client: Client, fuzzed: Fuzzed, vertical: str) -> None:
        self.client = client
        self.fuzzed = fuzzed
        self.engine = fuzzed.env.engine
        self.problems = fuzzed.problems.setdefault(vertical, [])
        self.rows = table_rows(self.engine, static=False)
        self.calls = 0

    def note(self, tool: str, args: Any, what: str) -> None:
        self.problems.append(f"{tool} {shown(args)}: {what}")

    def call(self, tool: str, args: Any) -> None:
        self.calls += 1
        try:
            result: CallToolResult = anyio.from_thread.run(self.client.call_tool, tool, args)
        except Exception as exc:  # a protocol error instead of a tool result: recorded, the run goes on
            self.note(tool, args, f"raised {type(exc).__name__}: {str(exc)[:200]}")
            self.rows = table_rows(self.engine, static=False)
            return
        wrong = verdict(result)
        if wrong:
            self.note(tool, args, f"{wrong}: {text_of(result)[:300]!r}")
        rows = table_rows(self.engine, static=False)
        if result.is_error and rows != self.rows:
            changed = sorted(name for name in rows if rows[name] != self.rows[name])
            self.note(tool, args, f"refused ({text_of(result)[:120]!r}) but changed {changed}")
        self.rows = rows
        if not result.is_error:
            leaked = sorted(i for i in self.fuzzed.alices if i in str(result.structured_content) + text_of(result))
            if leaked:
                self.note(tool, args, f"showed usr_demo another user's {leaked}")
        for broken in money_is_consistent(self.engine):
            self.note(tool, args, f"left the money inconsistent: {broken}")

    def fuzz(self, tool: Tool) -> None:
        strategy = arguments(tool.input_schema, self.fuzzed.pools)
        acting = self.fuzzed.confirmations.get(tool.name)
        if acting:  # a quote's own arguments (the first use acts, later ones replay it), alone or with noise
            exact = st.sampled_from(acting)
            noisy = st.tuples(strategy, exact).map(lambda pair: {**pair[0], **pair[1]} if isinstance(pair[0], dict)
                                                    else pair[1])  # fmt: skip
            strategy = st.one_of(strategy, exact, noisy)

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(args=strategy)
        def case(args: Any) -> None:
            self.call(tool.name, args)

        case()


@pytest.mark.parametrize("vertical", VERTICALS)
async def test_fuzzed_arguments_to_every_tool_get_a_result_or_an_actionable_error_and_refusals_change_nothing(
    fuzzed: Fuzzed, vertical: str
) -> None:
    env = fuzzed.env
    catalogs = table_rows(env.engine, static=True)
    async with Client(env.server(vertical, "usr_demo")) as client:
        tools = (await client.list_tools()).tools
        prober = Prober(client, fuzzed, vertical)
        for tool in tools:
            await anyio.to_thread.run_sync(prober.fuzz, tool)
        still_up = await client.list_tools()  # the same connection still answers
        lookup = next(
            t for t in tools if not t.input_schema.get("required") and t.annotations and t.annotations.read_only_hint
        )
        alive = await client.call_tool(lookup.name, {})
    async with Client(env.server(vertical, "usr_demo")) as fresh:  # and so does a new one
        again = await fresh.list_tools()
    problems = fuzzed.problems[vertical]
    assert prober.calls >= len(tools) * min(EXAMPLES, 2)
    assert len(still_up.tools) == len(again.tools) == len(tools)
    assert not alive.is_error, text_of(alive)
    assert table_rows(env.engine, static=True) == catalogs
    assert problems == [], f"{len(problems)} of {prober.calls} fuzzed calls went wrong:\n" + "\n".join(problems[:40])


def test_the_strategies_reach_past_validation_with_real_ids(fuzzed: Fuzzed) -> None:
    """A fuzzer that only ever sends ids that do not exist proves nothing about holds, purchases and refunds."""
    pools = fuzzed.pools
    for prefix in ("rst", "itm", "evt", "ses", "hld", "tko", "tkt", "mov", "sht", "mvo", "ord", "cft", "plc", "att"):
        assert pools.get(prefix), f"no real {prefix}_ ids to fuzz with: {sorted(pools)}"
    assert any(i.startswith("hld_") for i in fuzzed.alices) and any(i.startswith("ord_") for i in fuzzed.alices)
    drawn = st.lists(arguments({"properties": {"hold_id": {"type": "string", "description": "Hold (hld_…)."}},
                                "required": ["hold_id"]}, pools), min_size=50, max_size=50)  # fmt: skip
    seen: list[Any] = []

    @settings(max_examples=3, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(drawn)
    def collect(batch: list[Any]) -> None:
        seen.extend(batch)

    collect()
    held = [a.get("hold_id") for a in seen if isinstance(a, dict)]
    assert any(h in pools["hld"] for h in held)  # real holds
    assert any(isinstance(h, str) and h.startswith("hld_") and h not in pools["hld"] for h in held)  # made up
    assert any(not isinstance(h, str) for h in held)  # the wrong type
