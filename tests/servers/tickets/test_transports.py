"""tickets-mcp over real transports: a stdio subprocess and streamable HTTP on 127.0.0.1, plus the
tools reaching the backend over the network when a URL is configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from servers.tickets.server import build_server
from shared.account.credentials import issue_token
from tests.conftest import serve_in_thread
from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import ok, pick
from tests.support import mcp_over_http

MODES = pytest.mark.parametrize("mode", ["auto", "legacy"])
SCRIPT = str(Path(sys.executable).with_name("tickets-mcp"))


def stdio_env(data_dir: Path) -> dict[str, str]:
    env = {"LIFESTYLE_DATA_DIR": str(data_dir), "LIFESTYLE_LOG_LEVEL": "WARNING", "PATH": os.environ["PATH"]}
    if "LIFESTYLE_FIXTURES_DIR" in os.environ:
        env["LIFESTYLE_FIXTURES_DIR"] = os.environ["LIFESTYLE_FIXTURES_DIR"]
    return env


async def test_stdio_subprocess_holds_and_buys_with_a_confirmation_token(tmp_path: Path) -> None:
    params = StdioServerParameters(command=SCRIPT, args=[], env=stdio_env(tmp_path))
    async with Client(params) as c:
        names = {t.name for t in (await c.list_tools()).tools}
        page = await ok(c, "tickets_search_events", {"category": "theatre", "limit": 10})
        event = await ok(c, "tickets_get_event", {"event_id": page["events"][0]["id"]})
        session = next(s for s in event["sessions"] if s["status"] == "on_sale")
        tier = max(session["tiers"], key=lambda t: t["remaining"])
        hold = await ok(c, "tickets_hold_seats", {"session_id": session["id"], "tier": tier["code"], "quantity": 1})
        quote = await ok(c, "tickets_purchase", {"hold_id": hold["id"]})
        paid = await ok(
            c, "tickets_purchase", {"hold_id": hold["id"], "confirmation_token": quote["quote"]["confirmation_token"]}
        )
    assert len(names) == 10 and "tickets_hold_seats" in names
    assert paid["order"]["bill"]["total"] == hold["bill"]["total"]


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
    assert messages[0]["result"]["serverInfo"]["name"] == "tickets"


@MODES
async def test_streamable_http_serves_the_tools(tickets: TicketsEnv, mode: str) -> None:
    p = pick(tickets, min_days=3)
    token = issue_token(tickets.engine, "usr_demo")
    with serve_in_thread(tickets.server.streamable_http_app()) as base:
        async with mcp_over_http(f"{base}/mcp", token, mode=mode) as c:
            hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 2})
            seat_map = await ok(c, "tickets_get_seat_map", {"session_id": p.session.id})
    assert hold["status"] == "active"
    assert sum(r["seats"].count("y") for s in seat_map["sections"] for r in s["rows"]) == 2


async def test_tools_reach_a_networked_backend_when_a_url_is_configured(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3)
    with serve_in_thread(tickets.app) as backend_url:
        server = build_server(tickets.settings.model_copy(update={"backend_url": backend_url}))
        async with Client(server) as c:
            hold = await ok(c, "tickets_hold_seats", {"session_id": p.session.id, "tier": p.tier, "quantity": 1})
    assert hold["status"] == "active"
    landed = tickets.service.seat_map("usr_demo", p.session.id)  # the hold landed in the served backend
    assert sum(r.seats.count("y") for s in landed.sections for r in s.rows) == 1
