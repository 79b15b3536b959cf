"""food-mcp over real transports: a stdio subprocess and streamable HTTP on 127.0.0.1, in both
protocol eras, plus the tools reaching the backend over the network when a URL is configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from servers.food.server import build_server
from shared.account.credentials import issue_token
from tests.conftest import serve_in_thread
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import fill_cart, ok
from tests.support import mcp_over_http

MODES = pytest.mark.parametrize("mode", ["auto", "legacy"])
SCRIPT = str(Path(sys.executable).with_name("food-mcp"))


def stdio_env(data_dir: Path) -> dict[str, str]:
    return {"LIFESTYLE_DATA_DIR": str(data_dir), "LIFESTYLE_LOG_LEVEL": "WARNING", "PATH": os.environ["PATH"]}


@MODES
async def test_stdio_subprocess_orders_with_a_confirmation_token(tmp_path: Path, mode: str) -> None:
    params = StdioServerParameters(command=SCRIPT, args=[], env=stdio_env(tmp_path))
    async with Client(params, mode=mode) as c:
        names = {t.name for t in (await c.list_tools()).tools}
        await fill_cart(c)
        quote = await ok(c, "food_place_order", {})
        placed = await ok(c, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]})
    assert "food_search_restaurants" in names
    assert placed["order"]["status"] == "placed"


def test_stdio_stdout_carries_only_json_rpc(tmp_path: Path) -> None:
    request = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}},
    }
    proc = subprocess.run(
        [SCRIPT], input=json.dumps(request) + "\n", capture_output=True, text=True, timeout=60, env=stdio_env(tmp_path)
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines, proc.stderr
    messages = [json.loads(line) for line in lines]
    assert all(m["jsonrpc"] == "2.0" for m in messages)
    assert messages[0]["result"]["serverInfo"]["name"] == "food"


@MODES
async def test_streamable_http_serves_the_tools(food: FoodEnv, mode: str) -> None:
    token = issue_token(food.engine, "usr_demo")
    with serve_in_thread(food.server.streamable_http_app()) as base:
        async with mcp_over_http(f"{base}/mcp", token, mode=mode) as c:
            cart = await fill_cart(c)
            got = await ok(c, "food_get_cart", {})
    assert got["bill"] == cart["bill"]


async def test_tools_reach_a_networked_backend_when_a_url_is_configured(food: FoodEnv) -> None:
    with serve_in_thread(food.app) as backend_url:
        server = build_server(food.settings.model_copy(update={"backend_url": backend_url}))
        async with Client(server) as c:
            cart = await fill_cart(c)
    assert cart["can_order"]
    assert food.app.state.service.get_cart("usr_demo").lines  # the state landed in the served backend
