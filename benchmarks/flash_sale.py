"""A flash sale (抢票): a 2,000-seat concert goes on sale and a crowd of users tries to buy it through MCP.

A scratch PostgreSQL sandbox gets the arena concert and ``--users`` accounts, each with its own bearer token
(``onsale.py``); two ``tickets-mcp`` processes serve streamable HTTP on it (each with its provider in process,
as ``lifestyle-mcp serve`` runs them). The crowd arrives over ``--seconds`` (seeded uniform arrival times), at
most ``--concurrency`` users at once per client process; each user, on a server of its own (half on each):
opens an MCP session with their token → ``tickets_search_events`` → ``tickets_get_seat_map`` → holds the
best 1–4 seats of the tier they want (another tier with seats left if that one is gone) → ``tickets_purchase``
without a token (the quote and its confirmation token, as a client that cannot be asked directly gets it) →
``tickets_purchase`` with the token. Then the invariants are read from the database: no seat sold twice, no
tier oversold, no charge without tickets and no tickets without their charge, every wallet the sum of its
ledger.

Printed: seats sold per second and the time to sell out (from the opening to the purchase of the last seat),
p50/p99 hold latency, how users ended (bought, refused as sold out, refused otherwise, errors), and the
invariants. The exit status is 1 when an invariant is broken or a user met an error.

usage: python benchmarks/flash_sale.py [--users 5000] [--seconds 60] [--concurrency 48] [--processes 2]
       quick: python benchmarks/flash_sale.py --users 500 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from onsale import Arena, Sale, check_sale, seats_sold, stage

from shared.kit.db import make_engine
from tests.conftest import scratch_pg

SERVERS = 2
TIERS = ("VIP", "A", "B")
WANT = (0.25, 0.4, 0.35)  # which tier a user asks for first
SOLD_OUT = "sold out"


@dataclass
class Visit:
    """One user's try: how it ended and when things happened (seconds since the opening)."""

    user: str
    outcome: str = ""  # bought | sold out | refused | error
    detail: str = ""
    seats: int = 0
    hold_ms: list[float] = field(default_factory=list)
    bought_at: float = 0.0
    started_at: float = 0.0


class Refused(Exception):
    """A tool answered with an error (isError): the text the model would read."""


async def call(client: Any, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, arguments)
    text = result.content[0].text if result.content else ""
    if result.is_error:
        raise Refused(text)
    if result.structured_content is None:
        raise Refused(f"{tool} returned no structured content: {text[:200]}")
    return dict(result.structured_content)


async def visit(url: str, token: str, visit: Visit, rng: random.Random, opened: float) -> None:
    """One user through the MCP server: search, seat map, hold, quote, confirm."""
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    want = rng.choices(TIERS, WANT)[0]
    quantity = rng.choice((1, 2, 2, 2, 3, 4))
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(60, read=300))
    try:
        async with http, Client(streamable_http_client(url, http_client=http)) as client:
            page = await call(client, "tickets_search_events", {"query": "Flash Sale Live", "limit": 3})
            event = next(e for e in page["events"] if e["title"].startswith("Flash Sale Live"))
            session_id = event["next_session_id"]
            hold: dict[str, Any] | None = None
            refusal = ""
            for _ in range(3):  # the tier they want, else the one with most seats left; a new look after a miss
                seat_map = await call(client, "tickets_get_seat_map", {"session_id": session_id})
                free = {t["code"]: t["remaining"] for t in seat_map["tiers"]}
                tier = want if free.get(want, 0) >= quantity else max(free, key=lambda t: free[t])
                t0 = time.perf_counter()
                try:
                    hold = await call(
                        client, "tickets_hold_seats", {"session_id": session_id, "tier": tier, "quantity": quantity}
                    )
                except Refused as exc:
                    refusal = str(exc)
                    if SOLD_OUT in refusal.lower():
                        break
                    quantity = max(1, min(quantity, free.get(tier, 1)))  # fewer seats are left than asked for
                    continue
                finally:
                    visit.hold_ms.append((time.perf_counter() - t0) * 1e3)
                break
            if hold is None:
                visit.outcome = SOLD_OUT if SOLD_OUT in refusal.lower() else "refused"
                visit.detail = refusal[:160]
                return
            quote = await call(client, "tickets_purchase", {"hold_id": hold["id"]})
            if quote["status"] != "confirmation_required":
                raise Refused(f"expected a quote to confirm, got {quote['status']}")
            token_args = {"hold_id": hold["id"], "confirmation_token": quote["quote"]["confirmation_token"]}
            done = await call(client, "tickets_purchase", token_args)
            if done["status"] != "done":
                raise Refused(f"the confirmed purchase ended {done['status']}: {done.get('message', '')[:120]}")
            visit.outcome, visit.seats = "bought", len(done["order"]["tickets"])
            visit.bought_at = time.monotonic() - opened
    except Refused as exc:
        visit.outcome, visit.detail = "refused", str(exc)[:160]
    except Exception as exc:  # the benchmark counts them: any error a user met is a finding
        while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
            exc = exc.exceptions[0]  # type: ignore[assignment]  # the one error inside the client's task group
        visit.outcome, visit.detail = "error", f"{type(exc).__name__}: {str(exc)[:160]}"


def crowd(urls: list[str], tokens: list[tuple[str, str]], arrivals: list[float], opened: float,
          concurrency: int, seed: int) -> list[Visit]:  # fmt: skip
    """One client process: its users, each arriving at its time, at most ``concurrency`` at once."""

    async def main() -> list[Visit]:
        gate = asyncio.Semaphore(concurrency)
        rng = random.Random(seed)
        visits = [Visit(user) for user, _ in tokens]

        async def one(n: int) -> None:
            delay = opened + arrivals[n] - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            async with gate:
                visits[n].started_at = time.monotonic() - opened
                await visit(urls[n % len(urls)], tokens[n][1], visits[n], random.Random(rng.random()), opened)

        await asyncio.gather(*(one(n) for n in range(len(tokens))))
        return visits

    return asyncio.run(main())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_servers(url: str, scratch: str) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    env = {**os.environ, "LIFESTYLE_DATABASE_URL": url, "LIFESTYLE_DATA_DIR": scratch, "LIFESTYLE_LOG_LEVEL": "ERROR"}
    procs, urls = [], []
    for _ in range(SERVERS):
        port = free_port()
        command = [sys.executable, "-m", "servers.tickets", "--transport", "http", "--port", str(port)]
        procs.append(subprocess.Popen(command, env=env, cwd=Path(__file__).parent.parent))
        urls.append(f"http://127.0.0.1:{port}/mcp")
    deadline = time.monotonic() + 90
    for proc, endpoint in zip(procs, urls, strict=True):
        port = int(endpoint.rsplit(":", 1)[1].split("/")[0])
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"tickets-mcp on {port} did not start")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
    return procs, urls


def until_opening(url: str, sale: Sale) -> float:
    """Real seconds until the sale opens by the sandbox clock."""
    from shared.account.clock import SandboxClock

    engine = make_engine(url)
    try:
        return (sale.opens_at - SandboxClock(engine).now()).total_seconds()
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> int:
    arena = Arena(args.sections, args.rows, args.seats_per_row)
    with scratch_pg("lifestyle_flash") as url, tempfile.TemporaryDirectory() as scratch:
        sale: Sale = stage(url, Path(scratch), users=args.users, opens_in=timedelta(seconds=args.lead), arena=arena)
        procs, urls = start_servers(url, scratch)
        try:
            opened = time.monotonic() + until_opening(url, sale) + 0.2  # the sandbox clock runs at real speed
            if time.monotonic() > opened:
                sys.stderr.write("the servers took longer than --lead to start; the crowd arrives late\n")
                opened = time.monotonic() + 1
            rng = random.Random(args.seed)
            arrivals = sorted(rng.uniform(0, args.seconds) for _ in sale.users)
            everyone = [(u, sale.tokens[u]) for u in sale.users]
            parts = [list(range(p, len(everyone), args.processes)) for p in range(args.processes)]
            print(f"{args.users:,} users over {args.seconds:.0f} s for {arena.capacity:,} seats, {SERVERS} tickets-mcp "
                  f"processes (streamable HTTP, PostgreSQL), {args.processes} client processes × "
                  f"{args.concurrency} users at once")  # fmt: skip
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(args.processes, mp_context=context) as pool:
                futures = [
                    pool.submit(
                        crowd,
                        [urls[(p + i) % SERVERS] for i in range(SERVERS)],
                        [everyone[n] for n in part],
                        [arrivals[n] for n in part],
                        opened,
                        args.concurrency,
                        args.seed + p,
                    )
                    for p, part in enumerate(parts)
                ]
                visits = [v for f in futures for v in f.result()]
            finished = time.monotonic() - opened
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(30)
        engine = make_engine(url)
        try:
            broken = check_sale(engine, sale.session_id, arena)
            sold = seats_sold(engine, sale.session_id)
        finally:
            engine.dispose()
    return report(visits, sold, broken, arena, finished)


def report(visits: list[Visit], sold: dict[str, int], broken: dict[str, int], arena: Arena, finished: float) -> int:
    outcomes = Counter(v.outcome for v in visits)
    total = sum(sold.values())
    bought = sorted((v.bought_at, v.seats) for v in visits if v.outcome == "bought")
    sold_out_at, running = 0.0, 0
    for at, seats in bought:
        running += seats
        sold_out_at = at
        if running >= arena.capacity:
            break
    holds = sorted(ms for v in visits for ms in v.hold_ms)
    p50 = statistics.median(holds) if holds else float("nan")
    p99 = holds[max(0, int(len(holds) * 0.99) - 1)] if holds else float("nan")
    state = "sold out" if total >= arena.capacity else f"NOT sold out ({total:,} of {arena.capacity:,})"
    print(f"seats sold {total:,} of {arena.capacity:,} ({', '.join(f'{t} {n}' for t, n in sorted(sold.items()))}): "
          f"{state} {sold_out_at:.1f} s after opening, {total / max(sold_out_at, 1e-9):.0f} seats/s; last user done "
          f"at {finished:.1f} s")  # fmt: skip
    print(f"hold latency p50 {p50:.0f} ms, p99 {p99:.0f} ms ({len(holds):,} holds tried)")
    print("users: " + ", ".join(f"{what or 'unfinished'} {n:,}" for what, n in outcomes.most_common()))
    for what in ("refused", "error"):
        examples = Counter(v.detail for v in visits if v.outcome == what)
        for detail, n in examples.most_common(3):
            print(f"  {what} ×{n}: {detail}")
    print("invariants: " + ", ".join(f"{what} {n}" for what, n in broken.items()))
    bad = sum(broken.values()) + outcomes["error"]
    print("PASS: every invariant 0, no errors" if not bad else "FAIL")
    return 1 if bad else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=5000)
    ap.add_argument("--seconds", type=float, default=60.0, help="the crowd arrives over this long")
    ap.add_argument("--concurrency", type=int, default=48, help="users at once per client process")
    ap.add_argument("--processes", type=int, default=2, help="client processes")
    ap.add_argument("--lead", type=float, default=25.0, help="seconds from staging to the opening (servers start)")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--sections", type=int, default=4)
    ap.add_argument("--rows", type=int, default=20)
    ap.add_argument("--seats-per-row", type=int, default=25)
    raise SystemExit(run(ap.parse_args()))


if __name__ == "__main__":
    main()
