"""Holds per second through the tickets provider API (the path a user takes) beside the seating engine alone.

One run, one scratch PostgreSQL database, one 2,000-seat session (``onsale.py``), the same racing clients
(``--processes`` × ``--clients``, 16 by default) all asking for the best two seats of one tier:

- **engine alone**: each client calls ``SeatingEngine.hold`` in its own transaction (no HTTP, no desk rules);
- **provider API**: each client process is what an MCP server is: the typed httpx ``TicketsClient`` acting for
  a user the way a tool call does (the SDK's auth context), through the provider's HTTP API (``tickets-mcp
  backend --workers N``: service credential, clock, the order desk's per-user turn, limit and retry lookup; a
  hold's retry is found by the desk, so no Idempotency-Key answer is kept) to the engine and PostgreSQL.

Holds are left to lapse on the sandbox clock, which runs ``--time-scale`` times real time (the 10-minute hold
lapses in half a second at 1,200×), so the seats come back and the race goes on, as in
``bench_seating.py``; each client cycles through its own accounts (the per-account limit is per event). With
``--release`` every hold is released at once instead (a second request per hold). Every successful hold
records when it certainly existed; no seat may have two such intervals overlapping (``spans.py``).

usage: python benchmarks/bench_holds.py [--seconds 10] [--processes 2] [--clients 8] [--workers 2]
                                        [--time-scale 2400] [--release] [--skip-engine]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from onsale import SESSION_ID, Sale, stage
from spans import Span, double_holds

from tests.conftest import scratch_pg

TIER = "B"
TARGET = 500.0


@dataclass
class Tally:
    held: int = 0
    refused: int = 0
    errors: int = 0
    latency: list[float] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    cpu: float = 0.0  # seconds of this client process


def engine_clients(sale: Sale, users: list[list[str]], start_at: float, stop_at: float, release: bool) -> Tally:
    """Racing clients on the engine alone: one transaction per hold, the sandbox clock's now."""
    from servers.tickets.backend import pricing
    from servers.tickets.backend.app import create_app
    from shared.errors import ConflictError
    from shared.kit.db import session_scope

    app = create_app(sale.settings)
    seating = app.state.service.inventory.engine
    clock = app.state.sandbox.clock
    db = app.state.sandbox.engine
    tally, lock = Tally(), threading.Lock()

    def client(mine: list[str]) -> None:
        n = 0
        while time.perf_counter() < start_at:
            time.sleep(0.001)
        while time.perf_counter() < stop_at:
            user = mine[n % len(mine)]
            n += 1
            t0 = time.perf_counter()
            try:
                with session_scope(db) as s:
                    now = clock.now()
                    hold = seating.hold(s, SESSION_ID, user_id=user, now=now, ttl=pricing.HOLD_TTL, tier=TIER,
                                        quantity=2)  # fmt: skip
            except ConflictError:
                with lock:
                    tally.refused += 1
                continue
            arrived = time.perf_counter()
            if release:
                with session_scope(db) as s:
                    seating.release(s, hold.hold_id, user_id=user, now=clock.now())
                until = time.perf_counter()
            else:
                until = arrived + (hold.expires_at - clock.now()).total_seconds() / clock.scale - 0.05
            with lock:
                tally.held += 1
                tally.latency.append(arrived - t0)
                tally.spans.extend((seat.seat_id, arrived, until, hold.hold_id) for seat in hold.seats)

    threads = [threading.Thread(target=client, args=(mine,)) for mine in users]
    cpu0 = time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tally.cpu = time.process_time() - cpu0
    db.dispose()
    return tally


def provider_clients(
    sale: Sale, base_url: str, users: list[list[str]], start_at: float, stop_at: float, release: bool
) -> Tally:
    """Racing clients through the provider API: one typed client per process (as one MCP server has), each
    request acting for its user as a tool call over HTTP does."""
    from mcp.server.auth.middleware.auth_context import auth_context_var
    from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
    from mcp.server.auth.provider import AccessToken

    from servers.tickets.client import TicketsClient
    from shared.account.clock import SandboxClock
    from shared.errors import ConflictError, LifestyleError
    from shared.kit.client import connect
    from shared.kit.db import make_engine
    from shared.schemas.tickets import HoldRequest

    settings = sale.settings.model_copy(update={"backend_url": base_url})
    engine = make_engine(settings.effective_database_url)
    clock = SandboxClock(engine)  # the sandbox's now, to tell when a hold lapses in real time
    tally = Tally()
    request = HoldRequest(session_id=SESSION_ID, tier=TIER, quantity=2)

    async def client(api: TicketsClient, mine: list[str]) -> None:
        n = 0
        while time.perf_counter() < start_at:
            await asyncio.sleep(0.001)
        while time.perf_counter() < stop_at:
            user = mine[n % len(mine)]
            n += 1
            auth_context_var.set(AuthenticatedUser(AccessToken(token="-", client_id="bench", scopes=[], subject=user)))
            t0 = time.perf_counter()
            try:
                hold = await api.hold_seats(request)
            except ConflictError:
                tally.refused += 1
                continue
            except LifestyleError as exc:
                tally.errors += 1
                print(f"error: {exc}", file=sys.stderr)
                continue
            arrived = time.perf_counter()
            if release:
                await api.release_hold(hold.id)
                until = time.perf_counter()
            else:
                until = arrived + (hold.expires_at - clock.now()).total_seconds() / clock.scale - 0.05
            tally.held += 1
            tally.latency.append(arrived - t0)
            tally.spans.extend((seat.seat_id, arrived, until, hold.id) for seat in hold.seats)

    async def run() -> None:
        api = TicketsClient(connect(settings, None))
        try:
            await asyncio.gather(*(client(api, mine) for mine in users))
        finally:
            await api.aclose()

    cpu0 = time.process_time()
    serve_loop(run())
    tally.cpu = time.process_time() - cpu0
    engine.dispose()
    return tally


def serve_loop(main: Coroutine[Any, Any, None]) -> None:
    """Run the clients on the event loop an MCP server over HTTP runs on: uvicorn's, uvloop where it is installed
    (a dependency of lifestyle-mcp off Windows), as ``tickets-mcp --transport http`` serves its tools."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
        return
    uvloop.run(main)


def race(
    target: Callable[..., Tally],
    args: tuple[object, ...],
    groups: list[list[list[str]]],
    seconds: float,
    release: bool,
    during: Callable[[float, float], None] | None = None,
) -> list[Tally]:
    """The clients of ``groups`` (one process each) racing for ``seconds`` from the same moment; ``during`` is
    called (in a thread) with the race's start and stop on the ``perf_counter`` clock."""
    start_at = time.perf_counter() + 4.0  # every process builds its client first
    stop_at = start_at + seconds
    if during is not None:
        threading.Thread(target=during, args=(start_at, stop_at), daemon=True).start()
    with ProcessPoolExecutor(len(groups), mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(target, *args, group, start_at, stop_at, release) for group in groups]
        return [f.result() for f in futures]


def report(label: str, tallies: list[Tally], seconds: float) -> float:
    held = sum(t.held for t in tallies)
    lat = sorted(x for t in tallies for x in t.latency)
    spans = [s for t in tallies for s in t.spans]
    p50 = statistics.median(lat) * 1e3 if lat else float("nan")
    p99 = lat[max(0, int(len(lat) * 0.99) - 1)] * 1e3 if lat else float("nan")
    print(
        f"{label:<14} {held / seconds:7.0f} holds/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
        f"refused {sum(t.refused for t in tallies)}  errors {sum(t.errors for t in tallies)}  "
        f"double holds {double_holds(spans)}  client CPU {sum(t.cpu for t in tallies) / seconds:.0%} of a core"
    )
    return held / seconds


def wait_port(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the provider exited at start")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def provider_pids(parent: int, workers: int) -> list[int]:
    """The provider's parent and its ``workers`` worker processes, once they all exist: the parent listens
    before it forks them, so right after the port opens there may be none yet (their CPU then went unseen)."""
    children = Path(f"/proc/{parent}/task/{parent}/children")
    deadline = time.monotonic() + 60
    found: list[int] = []
    while time.monotonic() < deadline:
        found = [int(p) for p in children.read_text().split()] if children.exists() else []
        if len(found) >= (workers if workers > 1 else 0):
            break
        time.sleep(0.05)
    return [parent, *found]


def postgres_pids() -> list[int]:
    """Every PostgreSQL process on this machine (the race's backends among them)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().startswith("postgres"):
                    out.append(int(entry.name))
            except OSError:
                continue
    return out


def machine_busy() -> tuple[float, float]:
    """Seconds of CPU busy and in all, over every core, since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / tick, sum(fields) / tick


class CpuWindow:
    """CPU seconds between a race's start and stop, read from /proc at those moments (so neither the workers'
    start-up nor the clients' own start-up wait counts): of the provider's processes, of PostgreSQL, and of the
    whole machine."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.seconds = self.postgres = self.busy = self.capacity = 0.0
        self.done = threading.Event()

    def __call__(self, start_at: float, stop_at: float) -> None:
        time.sleep(max(0.0, start_at - time.perf_counter()))
        pg = postgres_pids()
        begun, pg0, (busy0, all0) = cpu_seconds(self.pids), cpu_seconds(pg), machine_busy()
        time.sleep(max(0.0, stop_at - time.perf_counter()))
        pg = sorted(set(pg) | set(postgres_pids()))  # backends that connected during the race count from 0
        self.seconds = cpu_seconds(self.pids) - begun
        self.postgres = cpu_seconds(pg) - pg0
        busy1, all1 = machine_busy()
        self.busy, self.capacity = busy1 - busy0, all1 - all0
        self.done.set()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--processes", type=int, default=2, help="client processes")
    ap.add_argument("--clients", type=int, default=8, help="racing clients per process")
    ap.add_argument("--workers", type=int, default=2, help="provider processes (tickets-mcp backend --workers)")
    ap.add_argument("--time-scale", type=float, default=1200.0, help="sandbox clock speed: holds lapse this fast")
    ap.add_argument("--accounts", type=int, default=60, help="accounts each client cycles through")
    ap.add_argument("--release", action="store_true", help="release every hold at once instead of letting it lapse")
    ap.add_argument("--skip-engine", action="store_true")
    args = ap.parse_args()
    racers = args.processes * args.clients
    with scratch_pg("lifestyle_holds") as url, tempfile.TemporaryDirectory() as scratch:
        sale = stage(url, Path(scratch), users=racers * args.accounts, opens_in=-timedelta(hours=1),
                     time_scale=args.time_scale)  # fmt: skip
        accounts = [sale.users[i * args.accounts : (i + 1) * args.accounts] for i in range(racers)]
        groups = [accounts[p * args.clients : (p + 1) * args.clients] for p in range(args.processes)]
        mode = "hold, then release" if args.release else f"holds lapse ({args.time_scale:.0f}× clock)"
        print(f"PostgreSQL, {args.processes} × {args.clients} racing clients, 2 seats of tier {TIER} of a 2,000-seat "
              f"session, {mode}, {args.seconds:.0f} s each")  # fmt: skip
        engine_rate = 0.0
        if not args.skip_engine:
            engine_rate = report(
                "engine alone", race(engine_clients, (sale,), groups, args.seconds, args.release), args.seconds
            )
            time.sleep(1.0)  # the last holds lapse before the next race
        port = free_port()
        env = {**os.environ, "LIFESTYLE_DATABASE_URL": url, "LIFESTYLE_DATA_DIR": scratch,
               "LIFESTYLE_LOG_LEVEL": "WARNING"}  # fmt: skip
        command = [sys.executable, "-m", "servers.tickets", "backend", "--port", str(port)]
        command += ["--workers", str(args.workers)] if args.workers > 1 else []
        proc = subprocess.Popen(command, env=env, cwd=Path(__file__).parent.parent)
        try:
            wait_port(port, proc)
            window = CpuWindow(provider_pids(proc.pid, args.workers))
            base = f"http://127.0.0.1:{port}"
            tallies = race(provider_clients, (sale, base), groups, args.seconds, args.release, during=window)
            rate = report(f"provider API ×{args.workers}", tallies, args.seconds)
            window.done.wait(10)
            served = window.seconds
            requests = sum(t.held * (2 if args.release else 1) + t.refused + t.errors for t in tallies)
            print(f"provider CPU {served / args.seconds:.0%} of a core, {served / max(1, requests) * 1e3:.2f} ms "
                  "per request")  # fmt: skip
            held = max(1, sum(t.held for t in tallies))
            clients = sum(t.cpu for t in tallies)
            rest = (window.postgres + clients) / held  # CPU per hold that is not the provider's
            print(f"machine {window.busy / max(window.capacity, 1e-9):.0%} busy of {os.cpu_count()} cores; CPU per "
                  f"hold: provider {served / held * 1e3:.2f} ms, PostgreSQL {window.postgres / held * 1e3:.2f} ms, "
                  f"clients {clients / held * 1e3:.2f} ms: with a provider that cost nothing these cores would hold "
                  f"at most {(os.cpu_count() or 1) / max(rest, 1e-9):.0f}/s")  # fmt: skip
        finally:
            proc.terminate()
            proc.wait(20)
        ratio = f", {rate / engine_rate:.2f}× the engine alone" if engine_rate else ""
        verdict = "meets" if rate >= TARGET else "MISSES"
        print(f"provider path {rate:.0f} holds/s{ratio} — {verdict} the target (≥ {TARGET:.0f} holds/s)")


if __name__ == "__main__":
    main()
