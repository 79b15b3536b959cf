"""The shared seating engine under contention: holds per second, and proof of zero double holds.

Many threads race for the same rows of one 2,000-seat session: each loop holds the best two seats
of one tier (or, with ``--explicit``, the very same few seat ids), keeps them a moment, and
releases them. Each successful hold records when it certainly existed (from its commit returning
to its release starting); afterwards no seat may have two such intervals overlapping — that would
be a double hold. Also prints seat-map read latency (median, p99) on the same session.

usage: python benchmarks/bench_seating.py [--database-url URL] [--threads 16] [--seconds 5]
       (default URL: postgresql+psycopg://postgres@127.0.0.1:5432/test, tables dropped afterwards)
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import MetaData

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--explicit", action="store_true", help="everyone wants the same 3 seat ids")
    args = ap.parse_args()

    layout = compile_layout("bench-arena", arena())
    spec = InventorySpec("ses_bench", layout, {"P1": 8900, "P2": 6900, "P3": 4500})
    metadata = MetaData()
    seating = SeatingEngine(metadata, "bench", lambda _id: spec)
    engine = make_engine(args.database_url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    try:
        run(engine, seating, args)
    finally:
        metadata.drop_all(engine)
        engine.dispose()


def run(engine: object, seating: SeatingEngine, args: argparse.Namespace) -> None:
    from sqlalchemy.engine import Engine

    assert isinstance(engine, Engine)
    print(f"database {engine.dialect.name}, {args.threads} threads, {args.seconds:.0f} s")
    # seat-map reads on a session with some seats held
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

    intervals: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    counts = {"held": 0, "refused": 0}
    lock = threading.Lock()
    stop = time.perf_counter() + args.seconds
    barrier = threading.Barrier(args.threads)
    wanted = ["A-3-12", "A-3-13", "A-3-14"]

    def worker(n: int) -> None:
        user = f"usr_{n}"
        barrier.wait()
        while time.perf_counter() < stop:
            try:
                with session_scope(engine) as s:
                    if args.explicit:
                        hold = seating.hold(
                            s, "ses_bench", user_id=user, now=NOW, ttl=timedelta(minutes=10), seat_ids=wanted
                        )
                    else:
                        hold = seating.hold(
                            s, "ses_bench", user_id=user, now=NOW, ttl=timedelta(minutes=10), tier="P1", quantity=2
                        )
                start = time.perf_counter()
            except ConflictError:
                with lock:
                    counts["refused"] += 1
                continue
            end = time.perf_counter()
            with session_scope(engine) as s:
                seating.release(s, hold.hold_id, user_id=user, now=NOW)
            with lock:
                counts["held"] += 1
                for seat in hold.seats:
                    intervals[seat.seat_id].append((start, end, hold.hold_id))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    doubles = 0
    for spans in intervals.values():
        spans.sort()
        latest_end = float("-inf")
        for start, end, _ in spans:
            if start < latest_end:
                doubles += 1
            latest_end = max(latest_end, end)
    attempts = counts["held"] + counts["refused"]
    print(
        f"holds: {counts['held'] / wall:.0f}/s successful ({attempts / wall:.0f}/s attempts, "
        f"{counts['refused']} refused), seats contended: {len(intervals)}, double holds: {doubles}"
    )


if __name__ == "__main__":
    main()
