"""Seat-map and hold latency of movies-mcp, and holds/s when clients fight over the same seats.

Prints p50/p99 latency and calls/s for the seat map and for holding seats (each hold is released
again, untimed): straight on the backend service (no HTTP, no MCP), through the provider API in
process, and through the MCP tools in memory. Then workers against the provider API all want the
same seats of one showtime, by best available and by the very same two seat ids, counting holds
per second and refusals. Each successful hold records when it certainly existed (from its response
arriving until its release was sent); afterwards no seat may have two such intervals overlapping —
that would be a double hold (the method of bench_seating.py, which races whole processes on
PostgreSQL). The seat-map p99 is checked against the 5 ms in-process target.

usage: python benchmarks/bench_movies.py [--calls 500] [--seconds 5] [--workers 8] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

sys.path.insert(0, str(Path(__file__).parent))
from sandbox import signed
from spans import Span, double_holds
from sqlmodel import Session

from servers.movies.backend.app import create_app
from servers.movies.backend.models import MoviesTable  # noqa: F401 - its tables are the sandbox's
from servers.movies.server import build_server
from shared.account.models import UserRow
from shared.kit.db import drop_sandbox, make_engine
from shared.kit.settings import Settings
from shared.schemas.movies import HoldRequest

SEAT_MAP_P99_TARGET_MS = 5.0


def p99(lat: list[float]) -> float:
    ordered = sorted(lat)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def stats(lat: list[float], wall: float) -> str:
    return f"{statistics.median(lat) * 1e3:7.2f} {p99(lat) * 1e3:7.2f} {len(lat) / wall:8.0f}"


def timed_lat(fn: Any, calls: int) -> tuple[list[float], float]:
    for _ in range(20):
        fn()
    lat = []
    start = time.perf_counter()
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        lat.append(time.perf_counter() - t0)
    return lat, time.perf_counter() - start


def timed(fn: Any, calls: int) -> str:
    for _ in range(20):
        fn()
    lat = []
    start = time.perf_counter()
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        lat.append(time.perf_counter() - t0)
    return stats(lat, time.perf_counter() - start)


async def timed_async(fn: Any, calls: int, after: Any = None) -> str:
    for _ in range(10):
        out = await fn()
        if after:
            await after(out)
    lat, busy = [], 0.0
    for _ in range(calls):
        t0 = time.perf_counter()
        out = await fn()
        lat.append(time.perf_counter() - t0)
        busy += lat[-1]
        if after:
            await after(out)
    return stats(lat, busy)


async def contention(
    app: Any, showtime_id: str, seconds: float, workers: int, same_seats: list[str]
) -> tuple[Counter[str], list[Span]]:
    accounts = app.state.sandbox.accounts
    for n in range(workers):  # one account per worker, made once (contention runs twice)
        with Session(app.state.engine) as session:
            known = session.get(UserRow, f"usr_bench_{n}") is not None
        if not known:
            accounts.add_user(f"usr_bench_{n}", f"Bench {n}", wallet_minor=100_000)
    counts: Counter[str] = Counter()
    spans: list[Span] = []
    deadline = time.perf_counter() + seconds

    async def worker(n: int) -> None:
        user = f"usr_bench_{n}"  # one account per worker: only its owner can release a hold while it is timed
        body: dict[str, Any] = {"showtime_id": showtime_id}
        body |= {"seat_ids": same_seats} if same_seats else {"tier": "STD", "quantity": 2}
        async with signed(app, user) as h:
            while time.perf_counter() < deadline:
                r = await h.post("/holds", json=body)
                if r.status_code == 200:
                    held_from = time.perf_counter()  # the hold's commit has certainly happened
                    counts["held"] += 1
                    await anyio.sleep(0)  # let the other workers try for these seats while this hold certainly lives
                    held_until = time.perf_counter()  # its release has certainly not happened yet
                    await h.post(f"/holds/{r.json()['id']}/release")
                    hold = r.json()
                    spans.extend((s["seat_id"], held_from, held_until, hold["id"]) for s in hold["seats"])
                else:
                    counts[f"refused {r.status_code}"] += 1

    async with anyio.create_task_group() as tg:
        for n in range(workers):
            tg.start_soon(worker, n)
    return counts, spans


async def main(calls: int, seconds: float, workers: int, database_url: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings.for_vertical("movies", data_dir=Path(scratch), database_url=database_url)
        if database_url:  # start from the fixtures
            engine = make_engine(database_url)
            drop_sandbox(engine)
            engine.dispose()
        app = create_app(settings)
        svc, desk = app.state.service, app.state.desk
        now = svc.now()
        rec = next(  # a big screen, on sale for a while yet, with plenty of free seats
            r
            for r in svc.catalog.ordered
            if r.starts_at - now > timedelta(hours=3)
            and svc.catalog.auditoriums[r.auditorium_id].capacity > 300
            and len(svc.spec(r.id).blocked) < 100
        )
        sid = rec.id
        print(
            f"showtime {sid} ({svc.catalog.auditoriums[rec.auditorium_id].capacity} seats), "
            f"database {settings.effective_database_url.split('://')[0]}"
        )
        print(f"{'case':<44} {'p50 ms':>7} {'p99 ms':>7} {'calls/s':>8}")
        map_lat, map_wall = timed_lat(lambda: svc.seat_map("usr_demo", sid), calls)
        print(f"{'service     seat map':<44} {stats(map_lat, map_wall)}")

        def hold_release() -> None:
            hold = desk.hold("usr_demo", HoldRequest(showtime_id=sid, quantity=2))
            desk.release("usr_demo", hold.id)

        print(f"{'service     hold 2 best available (+release)':<44} {timed(hold_release, calls)}")
        async with signed(app, "usr_demo") as http:

            async def api_map() -> Any:
                return await http.get(f"/showtimes/{sid}/seatmap")

            async def api_hold() -> Any:
                return await http.post("/holds", json={"showtime_id": sid, "quantity": 2})

            async def api_release(r: Any) -> None:
                await http.post(f"/holds/{r.json()['id']}/release")

            print(f"{'API         GET seatmap':<44} {await timed_async(api_map, calls)}")
            print(f"{'API         POST holds':<44} {await timed_async(api_hold, calls, api_release)}")
        server = build_server(settings, app=app)
        async with Client(server) as c:

            async def tool_map() -> Any:
                return await c.call_tool("movies_get_seat_map", {"showtime_id": sid})

            async def tool_hold() -> Any:
                return await c.call_tool("movies_hold_seats", {"showtime_id": sid, "quantity": 2})

            async def tool_release(r: Any) -> None:
                await c.call_tool("movies_release_hold", {"hold_id": r.structured_content["id"]})

            print(f"{'MCP memory  movies_get_seat_map':<44} {await timed_async(tool_map, calls)}")
            print(f"{'MCP memory  movies_hold_seats':<44} {await timed_async(tool_hold, calls, tool_release)}")
        probe = desk.hold("usr_demo", HoldRequest(showtime_id=sid, quantity=2))
        desk.release("usr_demo", probe.id)
        for label, same in (("best available", []), ("the same two seats", [s.seat_id for s in probe.seats])):
            counts, spans = await contention(app, sid, seconds, workers, same)
            refused = sum(v for k, v in counts.items() if k.startswith("refused"))
            print(
                f"contention ({workers} workers, {label}): {counts['held'] / seconds:7.0f} holds/s, "
                f"{refused / seconds:6.0f} refusals/s, seats held: {len({s[0] for s in spans})}, "
                f"double holds: {double_holds(spans)}  {dict(counts)}"
            )
        worst = p99(map_lat) * 1e3
        verdict = "meets" if worst < SEAT_MAP_P99_TARGET_MS else "MISSES"
        print(f"seat map p99 in process: {worst:.2f} ms, {verdict} the {SEAT_MAP_P99_TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--database-url", default="", help="e.g. postgresql+psycopg://postgres@127.0.0.1:5432/x")
    ns = parser.parse_args()
    anyio.run(main, ns.calls, ns.seconds, ns.workers, ns.database_url)
