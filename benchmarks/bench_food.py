"""Tool-call latency and throughput of food-mcp's read tools beside a bare echo tool.

Prints median/p99 latency and calls/s for food_search_restaurants and food_get_restaurant,
in memory and over streamable HTTP, with the echo tool measured in the same run, and the ratio
(target: ≥ 0.7× the echo tool's throughput). Also times how long a stdio server takes to
answer ``initialize`` after launch (target < 1.5 s).

The machine is shared, so echo and our tool are measured in alternating rounds over open
sessions: each round times a batch of echo calls and a batch of ours back to back, and the
ratio printed is the median of the per-round ratios (with their range), so a burst of load
elsewhere lands on both sides of a comparison instead of on one.

usage: python benchmarks/bench_food.py [--calls 2000] [--rounds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

sys.path.insert(0, str(Path(__file__).parent))
from echo_server import build as build_echo

from servers.food.server import build_server
from shared.account import open_sandbox
from shared.account.credentials import issue_token
from shared.kit.settings import Settings

BIN = Path(sys.executable).parent


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


async def timed_batch(c: Client, tool: str, args: dict[str, Any], calls: int, lat: list[float]) -> float:
    """Calls per second over one batch; appends each call's latency to ``lat``."""
    start = time.perf_counter()
    for _ in range(calls):
        t0 = time.perf_counter()
        result = await c.call_tool(tool, args)
        lat.append(time.perf_counter() - t0)
        assert not result.is_error, result.content
    return calls / (time.perf_counter() - start)


def summary(lat: list[float], rates: list[float]) -> dict[str, float]:
    lat.sort()
    return {
        "p50_ms": statistics.median(lat) * 1e3,
        "p99_ms": lat[int(len(lat) * 0.99) - 1] * 1e3,
        "calls_per_s": statistics.median(rates),
    }


async def compare(
    echo_target: Any, target: Any, tool: str, args: dict[str, Any], calls: int, rounds: int
) -> tuple[dict[str, float], dict[str, float], list[float]]:
    """Echo and ``tool`` in alternating rounds of ``calls // rounds``: (ours, echo, per-round ratios)."""
    batch = max(calls // rounds, 1)
    echo_lat: list[float] = []
    ours_lat: list[float] = []
    echo_rates: list[float] = []
    ours_rates: list[float] = []
    async with Client(echo_target) as e, Client(target) as c:
        for _ in range(50):
            await e.call_tool("echo", {"text": "ping"})
            await c.call_tool(tool, args)
        for i in range(rounds):
            if i % 2:
                ours_rates.append(await timed_batch(c, tool, args, batch, ours_lat))
                echo_rates.append(await timed_batch(e, "echo", {"text": "ping"}, batch, echo_lat))
            else:
                echo_rates.append(await timed_batch(e, "echo", {"text": "ping"}, batch, echo_lat))
                ours_rates.append(await timed_batch(c, tool, args, batch, ours_lat))
    ratios = sorted(o / e for o, e in zip(ours_rates, echo_rates, strict=True))
    return summary(ours_lat, ours_rates), summary(echo_lat, echo_rates), ratios


def stdio_initialize_seconds(data_dir: Path) -> float:
    request = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "bench", "version": "0"},
        },
    }
    env = {**os.environ, "LIFESTYLE_DATA_DIR": str(data_dir)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(BIN / "food-mcp")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(request) + "\n")
    proc.stdin.flush()
    proc.stdout.readline()
    elapsed = time.perf_counter() - t0
    proc.kill()
    proc.wait()
    return elapsed


def row(label: str, ours: dict[str, float], echo: dict[str, float], ratios: list[float]) -> str:
    ratio = statistics.median(ratios)
    return (
        f"{label:<44} {ours['p50_ms']:7.2f} {ours['p99_ms']:7.2f} {ours['calls_per_s']:8.0f}   "
        f"echo {echo['calls_per_s']:6.0f}/s {echo['p50_ms']:5.2f} ms   ratio {ratio:4.2f} "
        f"[{ratios[0]:4.2f}–{ratios[-1]:4.2f}]{'  ✓' if ratio >= 0.7 else '  ✗'}"
    )


async def main(calls: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings.for_vertical("food", data_dir=Path(scratch))
        server = build_server(settings)
        async with Client(server) as c:  # warm: seed the database, pick a restaurant
            page = (await c.call_tool("food_search_restaurants", {"limit": 1})).structured_content
        assert page is not None
        rid = page["restaurants"][0]["id"]
        cases = [
            ("food_search_restaurants", {"query": "pizza", "limit": 5}),
            ("food_get_restaurant", {"restaurant_id": rid}),
        ]
        print(f"{'case':<44} {'p50 ms':>7} {'p99 ms':>7} {'calls/s':>8}")
        for tool, args in cases:
            ours, echo, ratios = await compare(build_echo(), server, tool, args, calls, rounds)
            print(row(f"in memory   {tool}", ours, echo, ratios))
        food_port, echo_port = free_port(), free_port()
        token = issue_token(open_sandbox(settings).engine, settings.user)  # HTTP requests need a bearer token
        bearer = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30, read=300))
        env = {**os.environ, "LIFESTYLE_DATA_DIR": scratch, "LIFESTYLE_LOG_LEVEL": "WARNING"}
        procs = [
            subprocess.Popen([str(BIN / "food-mcp"), "--transport", "http", "--port", str(food_port)], env=env),
            subprocess.Popen([sys.executable, str(Path(__file__).parent / "echo_server.py"), str(echo_port)], env=env),
        ]
        try:
            wait_port(food_port)
            wait_port(echo_port)
            for tool, args in cases:
                food_http = streamable_http_client(f"http://127.0.0.1:{food_port}/mcp", http_client=bearer)
                ours, echo, ratios = await compare(f"http://127.0.0.1:{echo_port}/mcp", food_http, tool, args,
                                                   calls // 4, rounds)  # fmt: skip
                print(row(f"HTTP        {tool}", ours, echo, ratios))
        finally:
            for p in procs:
                p.terminate()
                p.wait(10)
        first = stdio_initialize_seconds(Path(tempfile.mkdtemp()))
        warm = stdio_initialize_seconds(Path(scratch))
        print(f"stdio initialize after launch: first run {first:.2f} s, existing data {warm:.2f} s (target < 1.5 s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000, help="calls per tool and side in memory (HTTP: a quarter)")
    parser.add_argument("--rounds", type=int, default=10, help="alternating echo/ours rounds the calls are split into")
    cli = parser.parse_args()
    anyio.run(main, cli.calls, cli.rounds)
