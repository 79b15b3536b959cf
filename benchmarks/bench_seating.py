"""The shared seating engine under contention: holds per second, and proof of zero double holds.

Client processes × threads race for the same rows of one 2,000-seat session: each loop holds the
best two seats of one tier (or, with ``--explicit``, the very same three seat ids) and lets the hold
lapse on the simulated clock (or, with ``--release``, releases it at once). Each successful hold
records when it certainly existed (from its commit returning until it lapsed or its release
started); afterwards no seat may have two such intervals overlapping — that would be a double
hold. Also prints seat-map read latency (median, p99) on the same session.

usage: python benchmarks/bench_seating.py [--database-url URL] [--processes 2] [--threads 8] [--seconds 5]
       (default URL: postgresql+psycopg://postgres@127.0.0.1:5432/test, tables dropped afterwards)
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import MetaData
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).parent))
from spans import Span, double_holds

from shared.errors import ConflictError
from shared.kit.db import make_engine, session_scope
from shared.schemas.seating import LayoutRow, LayoutSeat, LayoutSection, SeatLayout
from shared.seating import InventorySpec, SeatingEngine, compile_layout

NOW = datetime(2026, 12, 5, 18, 0, tzinfo=UTC)


def arena() -> SeatLayout:
    """Four sections of 20 rows × 25 seats with a centre aisle: 2,000 seats, tiers by row."""
    sections = []
    for code, name in (("A", "Lower A"), ("B", "Lower B"), ("C", "Upper C"), ("D", "Upper D")):
        rows = []
        for r in range(1, 21):
            tier = "P1" if r <= 5 else ("P2" if r <= 12 else "P3")
            seats = [
                LayoutSeat(
                    number=n, x=n - 1 + (n > 12), kind="accessible" if r == 20 and n <= 2 else "standard", tier=tier
                )
                for n in range(1, 26)
            ]
            rows.append(LayoutRow(label=str(r), rank=r // 4, seats=seats))
        sections.append(LayoutSection(code=code, name=name, rows=rows))
    return SeatLayout(sections=sections)


def setup(database_url: str) -> tuple[Engine, SeatingEngine]:
    layout = compile_layout("bench-arena", arena())
    spec = InventorySpec("ses_bench", layout, {"P1": 8900, "P2": 6900, "P3": 4500})
    metadata = MetaData()
    return make_engine(database_url), SeatingEngine(metadata, "bench", lambda _id: spec)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--processes", type=int, default=2, help="client processes (each its own connection pool)")
    ap.add_argument("--threads", type=int, default=8, help="racing clients per process")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--explicit", action="store_true", help="everyone wants the same 3 seat ids")
    ap.add_argument("--ttl-ms", type=float, default=200.0, help="hold lifetime on the simulated clock")
    ap.add_argument("--release", action="store_true", help="release each hold at once instead of letting it lapse")
    args = ap.parse_args()

    engine, seating = setup(args.database_url)
    metadata = seating.claims.metadata
    metadata.drop_all(engine)
    metadata.create_all(engine)
    try:
        print(
            f"database {engine.dialect.name}, {args.processes} processes × {args.threads} clients, {args.seconds:.0f} s"
        )
        seat_map_latency(engine, seating)
        race(args)
    finally:
        metadata.drop_all(engine)
        engine.dispose()


def seat_map_latency(engine: Engine, seating: SeatingEngine) -> None:
    """Seat-map reads on the session with 160 seats held."""
    with session_scope(engine) as s:
        for i in range(40):
            seating.hold(s, "ses_bench", user_id=f"usr_w{i}", now=NOW, ttl=timedelta(hours=1), tier="P2", quantity=4)
    lat = []
    for _ in range(300):
        t0 = time.perf_counter()
        with session_scope(engine) as s:
            seating.seat_map(s, "ses_bench", now=NOW, user_id="usr_w1")
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    print(f"seat map, 2,000 seats: median {statistics.median(lat):.2f} ms, p99 {lat[int(len(lat) * 0.99)]:.2f} ms")


def client_process(
    database_url: str, proc: int, threads: int, start_at: float, stop_at: float, args: argparse.Namespace
) -> tuple[int, int, list[Span]]:
    """One client process: ``threads`` clients racing until ``stop_at`` (monotonic clock, shared by all processes).

    The simulated clock runs at real speed from ``start_at`` for every process alike. By default a
    hold is left to lapse after ``--ttl-ms`` (the next racer clears it); with ``--release`` the
    client releases it at once, which costs a second transaction per hold.
    """
    engine, seating = setup(database_url)
    spans: list[Span] = []
    counts = {"held": 0, "refused": 0}
    lock = threading.Lock()
    wanted = ["A-3-12", "A-3-13", "A-3-14"]
    ttl = timedelta(milliseconds=args.ttl_ms)

    def worker(n: int) -> None:
        user = f"usr_{proc}_{n}"
        while time.perf_counter() < start_at:
            time.sleep(0.001)
        while (wall := time.perf_counter()) < stop_at:
            now = NOW + timedelta(seconds=wall - start_at)
            try:
                with session_scope(engine) as s:
                    if args.explicit:
                        hold = seating.hold(s, "ses_bench", user_id=user, now=now, ttl=ttl, seat_ids=wanted)
                    else:
                        hold = seating.hold(s, "ses_bench", user_id=user, now=now, ttl=ttl, tier="P1", quantity=2)
                start = time.perf_counter()
            except ConflictError:
                with lock:
                    counts["refused"] += 1
                continue
            if args.release:
                end = time.perf_counter()
                with session_scope(engine) as s:
                    seating.release(s, hold.hold_id, user_id=user, now=now)
            else:
                end = start_at + (hold.expires_at - NOW).total_seconds()  # when it lapses, in wall-clock terms
            with lock:
                counts["held"] += 1
                spans.extend((seat.seat_id, start, end, hold.hold_id) for seat in hold.seats)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    engine.dispose()
    return counts["held"], counts["refused"], spans


def race(args: argparse.Namespace) -> None:
    """Every client wants the best seats of tier P1 (or the same three seats): hold, then release."""
    start_at = time.perf_counter() + 1.5  # let every process connect first
    stop_at = start_at + args.seconds
    with ProcessPoolExecutor(args.processes, mp_context=multiprocessing.get_context("fork")) as ex:
        futures = [
            ex.submit(client_process, args.database_url, p, args.threads, start_at, stop_at, args)
            for p in range(args.processes)
        ]
        results = [f.result() for f in futures]
    held = sum(r[0] for r in results)
    refused = sum(r[1] for r in results)
    spans = [span for _, _, part in results for span in part]
    doubles = double_holds(spans)
    contended = len({seat for seat, *_ in spans})
    wall = args.seconds
    verdict = "meets" if held / wall >= 500 and doubles == 0 else "MISSES"
    print(
        f"holds: {held / wall:.0f}/s successful ({(held + refused) / wall:.0f}/s attempts, {refused} refused), "
        f"seats contended: {contended}, double holds: {doubles} — {verdict} the target (≥ 500 holds/s, none double)"
    )


if __name__ == "__main__":
    main()
