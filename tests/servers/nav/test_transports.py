"""nav-mcp over real transports: a stdio subprocess and streamable HTTP on 127.0.0.1, in both
protocol eras, plus the tools reaching the backend over the network when a URL is configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from servers.nav.backend.graph import TRAFFIC_LABEL, RoadNetwork
from servers.nav.server import build_server
from shared.account.credentials import issue_token
from tests.conftest import serve_in_thread
from tests.servers.food.helpers import ok
from tests.servers.nav.conftest import NavEnv
from tests.support import mcp_over_http

MODES = pytest.mark.parametrize("mode", ["auto", "legacy"])
SCRIPT = str(Path(sys.executable).with_name("nav-mcp"))


def stdio_env(data_dir: Path, routing_cache: Path | None = None) -> dict[str, str]:
    """A fresh data dir; with ``routing_cache``, its ``cache/`` is the session's, so the prepared hierarchies load
    from disk instead of being rebuilt in every subprocess."""
    if routing_cache is not None:
        (data_dir / "cache").symlink_to(routing_cache, target_is_directory=True)
    return {"LIFESTYLE_DATA_DIR": str(data_dir), "LIFESTYLE_LOG_LEVEL": "WARNING", "PATH": os.environ["PATH"]}


@pytest.fixture(scope="module")
def warm_cache(network: RoadNetwork, routing_cache: Path) -> Path:
    """The session cache with the driving hierarchies (the default mode) already on disk."""
    for period in TRAFFIC_LABEL:  # night, day, peak
        network.modes["driving"].hierarchy(period)
    return routing_cache


@MODES
async def test_stdio_subprocess_geocodes_and_routes(tmp_path: Path, warm_cache: Path, mode: str) -> None:
    params = StdioServerParameters(command=SCRIPT, args=[], env=stdio_env(tmp_path, warm_cache))
    async with Client(params, mode=mode) as c:
        names = {t.name for t in (await c.list_tools()).tools}
        hit = await ok(c, "nav_geocode", {"query": "Kinopalatsi"})
        route = await ok(c, "nav_route", {"origin": hit["candidates"][0]["id"], "destination": "Kiasma"})
    assert "nav_render_map" in names
    assert route["routes"][0]["distance_m"] > 0


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
    assert messages[0]["result"]["serverInfo"]["name"] == "nav"


@MODES
async def test_streamable_http_serves_the_tools(nav: NavEnv, mode: str) -> None:
    token = issue_token(nav.engine, "usr_demo")
    with serve_in_thread(nav.server.streamable_http_app()) as base:
        async with mcp_over_http(f"{base}/mcp", token, mode=mode) as c:
            got = await ok(c, "nav_route", {"origin": "Kiasma", "destination": "Oodi", "mode": "walking"})
            result = await c.call_tool("nav_render_map", {"place_ids": [], "size": "small"})
    assert got["routes"][0]["mode"] == "walking"
    assert not result.is_error and result.content[1].type == "image"


async def test_tools_reach_a_networked_backend_when_a_url_is_configured(nav: NavEnv) -> None:
    with serve_in_thread(nav.app) as backend_url:
        server = build_server(nav.settings.model_copy(update={"backend_url": backend_url}))
        async with Client(server) as c:
            got = await ok(c, "nav_search_places", {"query": "pizza", "limit": 3})
    assert len(got["places"]) == 3
