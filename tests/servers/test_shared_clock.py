"""One clock per sandbox, kept in the database: two server processes and a restart read the same simulated time,
and an order never moves backwards (a restart with an old LIFESTYLE_CLOCK_START used to refund a picked-up order)."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from servers.food.backend.app import prepare
from shared.geo import CITY_TZ
from tests.servers.food.helpers import ok
from tests.servers.journeys import order_food
from tests.support import fresh_engine, sandbox_settings

LUNCH = datetime(2026, 11, 25, 12, 30, tzinfo=CITY_TZ)
FOOD = str(Path(sys.executable).with_name("food-mcp"))
MOVIES = str(Path(sys.executable).with_name("movies-mcp"))


def process(script: str, data_dir: Path, url: str, **env: str) -> StdioServerParameters:
    base = {"LIFESTYLE_DATA_DIR": str(data_dir), "LIFESTYLE_DATABASE_URL": url, "LIFESTYLE_LOG_LEVEL": "WARNING",
            "PATH": os.environ["PATH"]}  # fmt: skip
    return StdioServerParameters(command=script, args=[], env=base | env)


@pytest.mark.parametrize("db", ["sqlite", "postgres"])
async def test_two_processes_and_a_restart_agree_on_the_time_and_orders_never_go_back(
    db: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("pg_url") if db == "postgres" else ""
    settings = sandbox_settings("food", tmp_path, LUNCH, url)
    sandbox = prepare(settings, engine=fresh_engine(settings))  # a new sandbox, frozen at lunchtime
    clock = sandbox.clock
    async with Client(process(FOOD, tmp_path, url)) as one, Client(process(FOOD, tmp_path, url)) as two:
        placed = await order_food(one)
        order_id = placed["order"]["id"]
        seen = [(await ok(c, "food_get_order", {"order_id": order_id})) for c in (one, two)]
        clock.advance(timedelta(minutes=4))  # as `lifestyle-mcp clock advance 4m` would, from a third process
        later = [(await ok(c, "food_get_order", {"order_id": order_id})) for c in (one, two)]
        clock.advance(timedelta(minutes=30))
        picked = await ok(two, "food_get_order", {"order_id": order_id})
    assert [o["status"] for o in seen] == ["placed", "placed"] and seen[0]["timeline"] == seen[1]["timeline"]
    assert [o["status"] for o in later] == ["preparing", "preparing"] and later[0] == later[1]
    assert picked["status"] in ("picked_up", "delivering", "delivered")

    # A restart with a clock start from the past (and a running clock) only applies to a new sandbox.
    restart = process(FOOD, tmp_path, url, LIFESTYLE_CLOCK_START=LUNCH.isoformat(), LIFESTYLE_TIME_SCALE="1")
    async with Client(restart) as again, Client(process(MOVIES, tmp_path, url)) as movies:
        after = await ok(again, "food_get_order", {"order_id": order_id})
        refund = await again.call_tool("food_cancel_order", {"order_id": order_id})
        today = await ok(movies, "movies_find_showtimes", {"date": "today", "limit": 1})
    assert after["status"] == picked["status"] and after["timeline"] == picked["timeline"]
    assert refund.is_error  # picked up: no longer cancellable, as before the restart
    assert clock.now() == LUNCH + timedelta(minutes=34) and clock.scale == 0
    assert today["showtimes"] and all(s["starts_at"].startswith("2026-11-25") for s in today["showtimes"])  # its today
    sandbox.engine.dispose()
