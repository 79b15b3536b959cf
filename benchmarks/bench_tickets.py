"""Seat-map and hold latency of tickets-mcp, and holds/s when clients fight over the same seats.

Prints p50/p99 latency and calls/s for tickets_get_seat_map and tickets_hold_seats (each hold is
released again, untimed) in memory and over streamable HTTP, then runs workers against the provider
API that all want the same seats of one session: once by best-available in one tier, once by the very
same two seat ids, counting successful holds per second and refusals.

usage: python benchmarks/bench_tickets.py [--calls 500] [--seconds 5] [--workers 8] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

sys.path.insert(0, str(Path(__file__).parent))
from sandbox import signed, token_for, with_token

from servers.tickets.backend.app import create_app
from servers.tickets.server import build_server
from shared.kit.settings import Settings

BIN = Path(sys.executable).parent
USERS = ["usr_demo", "usr_alice", "usr_bob", "usr_carol"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


def stats(lat: list[float], wall: float) -> str:
    lat.sort()
    p99 = lat[max(0, int(len(lat) * 0.99) - 1)]
    return f"{statistics.median(lat) * 1e3:7.2f} {p99 * 1e3:7.2f} {len(lat) / wall:8.0f}"


async def pick_session(c: Client) -> tuple[str, str]:
    """The busiest on-sale session with a seated tier: (session_id, tier)."""
    page = (await c.call_tool("tickets_search_events", {"category": "musical", "limit": 5})).structured_content
    assert page is not None
    for hit in page["events"]:
        event = (await c.call_tool("tickets_get_event", {"event_id": hit["id"]})).structured_content
        assert event is not None
        for session in event["sessions"]:
            seated = [t for t in session["tiers"] if t["code"] not in ("STANDING", "ENTRY") and t["remaining"] > 40]
            if session["status"] == "on_sale" and seated:
                return session["id"], seated[0]["code"]
    raise RuntimeError("no on-sale seated session")


async def measure(target: Any, session_id: str, tier: str, calls: int) -> tuple[str, str]:
    async with Client(target) as c:
        for _ in range(20):
            await c.call_tool("tickets_get_seat_map", {"session_id": session_id})
        lat: list[float] = []
        start = time.perf_counter()
        for _ in range(calls):
            t0 = time.perf_counter()
            result = await c.call_tool("tickets_get_seat_map", {"session_id": session_id})
            lat.append(time.perf_counter() - t0)
            assert not result.is_error, result.content
        seat_map = stats(lat, time.perf_counter() - start)
        lat, busy = [], 0.0
        for _ in range(calls):
            t0 = time.perf_counter()
            result = await c.call_tool("tickets_hold_seats", {"session_id": session_id, "tier": tier, "quantity": 2})
            lat.append(time.perf_counter() - t0)
            busy += lat[-1]
            assert not result.is_error, result.content
            assert result.structured_content is not None
            await c.call_tool("tickets_release_hold", {"hold_id": result.structured_content["id"]})
        return seat_map, stats(lat, busy)


async def contention(
    app: Any, session_id: str, tier: str, seconds: float, workers: int, same_seats: list[str]
) -> Counter[str]:
    """Workers hold and release as fast as they can; every one of them wants the same seats."""
    counts: Counter[str] = Counter()
    deadline = time.perf_counter() + seconds

    async def worker(n: int) -> None:
        user = USERS[n % len(USERS)]
        body: dict[str, Any] = {"session_id": session_id}
        body |= {"seat_ids": same_seats} if same_seats else {"tier": tier, "quantity": 2}
        async with signed(app, user) as http:
            while time.perf_counter() < deadline:
                r = await http.post("/holds", json=body)
                if r.status_code == 200:
                    counts["held"] += 1
                    await http.post(f"/holds/{r.json()['id']}/release")
                else:
                    counts[f"refused {r.status_code}"] += 1

    async with anyio.create_task_group() as tg:
        for n in range(workers):
            tg.start_soon(worker, n)
    return counts


async def main(calls: int, seconds: float, workers: int, database_url: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings.for_vertical("tickets", data_dir=Path(scratch), database_url=database_url)
        app = create_app(settings)
        server = build_server(settings, app=app)
        async with Client(server) as c:
            session_id, tier = await pick_session(c)
        print(f"session {session_id}, tier {tier}, database {settings.effective_database_url.split('://')[0]}")
        print(f"{'case':<36} {'p50 ms':>7} {'p99 ms':>7} {'calls/s':>8}")
        seat_map, hold = await measure(server, session_id, tier, calls)
        print(f"{'in memory   tickets_get_seat_map':<36} {seat_map}")
        print(f"{'in memory   tickets_hold_seats':<36} {hold}")
        port = free_port()
        env = {**os.environ, "LIFESTYLE_DATA_DIR": scratch, "LIFESTYLE_LOG_LEVEL": "WARNING"}
        if database_url:
            env["LIFESTYLE_DATABASE_URL"] = database_url
        proc = subprocess.Popen([str(BIN / "tickets-mcp"), "--transport", "http", "--port", str(port)], env=env)
        try:
            wait_port(port)
            url = with_token(f"http://127.0.0.1:{port}/mcp", token_for(settings))
            seat_map, hold = await measure(url, session_id, tier, max(50, calls // 4))
            print(f"{'HTTP        tickets_get_seat_map':<36} {seat_map}")
            print(f"{'HTTP        tickets_hold_seats':<36} {hold}")
        finally:
            proc.terminate()
            proc.wait(10)
        for label, same in (("best available, one tier", []), ("the same two seats", [])):
            if label.startswith("the same"):
                async with Client(server) as c:
                    probe = (
                        await c.call_tool("tickets_hold_seats", {"session_id": session_id, "tier": tier, "quantity": 2})
                    ).structured_content
                    assert probe is not None
                    same = [s["seat_id"] for s in probe["seats"]]
                    await c.call_tool("tickets_release_hold", {"hold_id": probe["id"]})
            counts = await contention(app, session_id, tier, seconds, workers, same)
            refused = sum(v for k, v in counts.items() if k.startswith("refused"))
            print(
                f"contention ({workers} workers, {label}): {counts['held'] / seconds:7.0f} holds/s, "
                f"{refused / seconds:6.0f} refusals/s  {dict(counts)}"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--database-url", default="", help="e.g. postgresql+psycopg://postgres@127.0.0.1:5432/x")
    ns = parser.parse_args()
    anyio.run(main, ns.calls, ns.seconds, ns.workers, ns.database_url)
