"""Read-tool throughput on varied arguments (cold) and repeated ones (cached), beside the SDK echo tool; RSS and
cold start per server process.

The older per-vertical benchmarks call each tool with one fixed argument set, so after the first call the MCP
server's response cache answers (after revalidation) and the figure mostly measures the cache. Users do not repeat
themselves like that, so here each tool gets a seeded workload drawn from what users send: cuisines, dishes and
positions near real addresses for food search; restaurant ids sampled from the catalog; cinemas, days and
start-time windows for showtimes; categories, words, dates and times of day for events; landmark names, street
addresses and misspelt names for geocoding. Every argument set in the workload is distinct, so each call is the
first time the server sees it (``cold``); the same list is then replayed (``cached``: what the old benchmarks
measured). All in process: the SDK's in-memory ``mcp.Client`` on ``build_server()`` of a fresh sandbox in a
temporary data directory.

The echo tool (benchmarks/echo_server.py) is measured in the same run, in alternating rounds with each workload
(a burst of load elsewhere on the shared machine lands on both sides), and the ratio printed is the median of the
per-round ratios of calls/s. Issue 12's target: uncached ≥ 0.3× echo.

Then each server is spawned as a stdio subprocess (``lifestyle-mcp serve <vertical>``) on its own fresh data
directory: cold start is the time from spawn to the first answered tool call (for nav, its first route), and the
resident memory (VmRSS of the process and its children, from /proc) is read after a few more calls. Targets: nav's
first route on a fresh data dir < 1 s; RSS per server < 150 MB.

With ``--scale N`` (default 100) the same workloads then run on a scale pack (built once with the code of
``lifestyle-mcp sandbox create --scale N`` and kept in ``--scale-dir`` for the next run), their positions and ids
drawn from the whole grown city, and a table prints how p50 and p99 grew from the default city. Targets: p99 <
10 ms in process on the scale pack; a 100× city costs a call at most 3×.

usage: python benchmarks/bench_reads.py [--calls 800] [--rounds 8] [--seed 12] [--scale 100] [--scale-dir DIR]
       [--skip-processes]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters

sys.path.insert(0, str(Path(__file__).parent))
from echo_server import build as build_echo

from servers.food.server import build_server as build_food
from servers.movies.server import build_server as build_movies
from servers.nav.server import build_server as build_nav
from servers.tickets.server import build_server as build_tickets
from shared.geo import CITY_TZ
from shared.kit.settings import Settings

BIN = Path(sys.executable).parent
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
START = datetime(2026, 11, 25, 12, 0, tzinfo=CITY_TZ)  # a Wednesday noon, as the tests use
ECHO_ARGS = {"text": "ping"}
UNCACHED_TARGET = 0.3
NAV_FIRST_ROUTE_TARGET_S = 1.0
RSS_TARGET_MB = 150.0
P99_SCALE_TARGET_MS = 10.0
GROWTH_TARGET = 3.0

Args = dict[str, Any]


@functools.cache
def fixture(path: str, key: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((FIXTURES / path).read_text())[key]
    return rows


# --- the city the workloads are drawn from ---------------------------------------------------------------------


class City:
    """What a user of one sandbox can name: positions on its streets, restaurant, cinema and film ids, place
    names. The default city is the fixtures; a scale pack adds its districts (``shared.growth`` tiles: a
    position is a real address shifted into a random tile) and the ids its verticals grew, read from its
    database, so the workload reaches the whole grown city and not only its real centre."""

    def __init__(self, scale: int = 1, database_url: str = "") -> None:
        from shared.growth import tiles

        self.scale = scale
        self.tiles = tiles(scale)
        self.restaurant_ids = [r["id"] for r in fixture("food/restaurants.json", "restaurants")]
        self.cinema_ids = [c["id"] for c in fixture("movies/cinemas.json", "cinemas")]
        self.place_names = [p["name"] for p in fixture("osm/places.json", "places") if p.get("name")]
        if scale > 1:
            self.restaurant_ids = self.column(database_url, "SELECT id FROM food_restaurant")
            self.cinema_ids = self.column(database_url, "SELECT id FROM movies_cinema")
            docs = self.column(database_url, "SELECT data FROM nav_place")
            self.place_names = sorted({n for d in docs if (n := json.loads(d).get("name"))})

    @staticmethod
    def column(database_url: str, query: str) -> list[str]:
        from sqlalchemy import create_engine, text

        engine = create_engine(database_url)
        try:
            with engine.connect() as conn:
                return sorted(str(v) for v in conn.execute(text(query)).scalars())
        finally:
            engine.dispose()

    def position(self, rng: random.Random, metres: float = 300) -> tuple[float, float]:
        where = rng.choice(fixture("osm/addresses.json", "addresses"))
        shift = rng.choice(self.tiles)
        return jitter(rng, where["lat"] + shift.dlat, where["lng"] + shift.dlng, metres)


CITY = City()


# --- workloads: what users send ---------------------------------------------------------------------------------


def jitter(rng: random.Random, lat: float, lng: float, metres: float = 300) -> tuple[float, float]:
    """A point within about ``metres`` of (lat, lng), rounded as a phone's location would be."""
    return round(lat + rng.uniform(-1, 1) * metres / 111_000, 6), round(lng + rng.uniform(-1, 1) * metres / 55_500, 6)


def misspell(rng: random.Random, word: str) -> str:
    """One typo: a dropped, doubled or swapped letter."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def food_search(rng: random.Random) -> Args:
    restaurants = fixture("food/restaurants.json", "restaurants")
    cuisines = sorted({c for r in restaurants for c in r.get("cuisines", [])})
    dishes = sorted({i["name"] for r in restaurants for cat in r.get("menu", []) for i in cat.get("items", [])})
    dishes_zh = sorted(
        {i["name_zh"] for r in restaurants for c in r.get("menu", []) for i in c["items"] if i.get("name_zh")}
    )

    def draw() -> Args:
        lat, lng = CITY.position(rng)
        pool = rng.choices([cuisines, dishes, dishes_zh, [""]], weights=[45, 30, 15, 10])[0]
        query = rng.choice(pool) if pool else ""
        args: Args = {"query": query, "lat": lat, "lng": lng, "limit": rng.choice([5, 5, 10])}
        if rng.random() < 0.25:
            args["open_now"] = True
        if rng.random() < 0.3:
            args["sort"] = rng.choice(["distance", "rating", "delivery_time", "fee", "min_order"])
        return args

    return draw()


def food_get(rng: random.Random) -> Args:
    return {"restaurant_id": rng.choice(CITY.restaurant_ids)}


def showtimes(rng: random.Random) -> Args:
    films = fixture("movies/films.json", "films")
    args: Args = {}
    if rng.random() < 0.6:
        args["cinema_id"] = rng.choice(CITY.cinema_ids)
    elif rng.random() < 0.5:
        args["lat"], args["lng"] = CITY.position(rng)
    if rng.random() < 0.2:
        args["movie_id"] = rng.choice(films)["id"]
    day = rng.choices(["today", "tomorrow", "date", ""], weights=[35, 30, 25, 10])[0]
    args["date"] = (START + timedelta(days=rng.randrange(0, 7))).date().isoformat() if day == "date" else day
    if rng.random() < 0.6:
        start = rng.randrange(10 * 60, 22 * 60, 15)
        args["time_from"] = hhmm(start)
        if rng.random() < 0.6:
            args["time_to"] = hhmm(min(start + rng.choice([60, 90, 120, 180]), 23 * 60 + 45))
    if rng.random() < 0.15:
        args["format"] = rng.choice(["2D", "3D", "IMAX"])
    if rng.random() < 0.1:
        args["language"] = rng.choice(["English", "German", "Mandarin", "粤语", "Japanese"])
    return args


def events(rng: random.Random) -> Args:
    rows = fixture("tickets/events.json", "events")
    venues = fixture("tickets/venues.json", "venues")
    categories = ["concert", "classical", "theatre", "musical", "dance", "comedy", "sports", "exhibition", "family"]
    words = sorted({w for e in rows for w in (e["title"].split() + e["performer"].split()) if len(w) > 3})
    words_zh = ["话剧", "演唱会", "音乐剧", "脱口秀", "亲子", "古典音乐"]
    args: Args = {}
    kind = rng.choices(["category", "words", "words_zh", "browse"], weights=[40, 35, 10, 15])[0]
    if kind == "category":
        args["category"] = rng.choice(categories)
    elif kind == "words":
        args["query"] = rng.choice(words).strip(".,:!?")
    elif kind == "words_zh":
        args["query"] = rng.choice(words_zh)
    if rng.random() < 0.6:
        first = START + timedelta(days=rng.randrange(0, 30))
        args["date_from"] = first.date().isoformat()
        if rng.random() < 0.7:
            args["date_to"] = (first + timedelta(days=rng.choice([0, 1, 2, 6, 13]))).date().isoformat()
    if rng.random() < 0.3:
        args["time_from"] = hhmm(rng.choice([17, 18, 19, 20]) * 60)
    if rng.random() < 0.2:
        args["area"] = rng.choice(venues)["area"]
    if rng.random() < 0.1:
        args["price_max_minor"] = rng.choice([2000, 3000, 5000, 8000])
    return args


def geocode(rng: random.Random) -> Args:
    places = [p for p in fixture("osm/places.json", "places") if p.get("name")]
    addresses = fixture("osm/addresses.json", "addresses")
    names = CITY.place_names
    kind = rng.choices(["landmark", "address", "misspelt", "landmark_zh", "category"], weights=[35, 35, 15, 8, 7])[0]
    if kind == "address":
        a = rng.choice(addresses)
        query = f"{a['street']} {a['housenumber']}"
        district = rng.choice(CITY.tiles)
        if district.number:  # in a grown city the same street is in every district: say which, as people do
            query += f", {district.district}"
    elif kind == "misspelt":
        query = misspell(rng, rng.choice(names))
    elif kind == "landmark_zh":
        query = rng.choice([p["name_zh"] for p in places if p.get("name_zh")] or ["赫尔辛基大教堂"])
    elif kind == "category":
        query = rng.choice(["cinema", "library", "pharmacy", "museum", "cafe", "supermarket", "park"])
    else:
        query = rng.choice(names)
    args: Args = {"query": query[:200]}
    if rng.random() < 0.3:
        args["near_lat"], args["near_lng"] = CITY.position(rng)
    return args


def workload(draw: Callable[[random.Random], Args], rng: random.Random, calls: int) -> list[Args]:
    """``calls`` distinct argument sets (fewer if the distribution has fewer, e.g. restaurant ids: then the first
    repeat of each would be a cached call, so the workload stops at the catalog's size)."""
    seen: set[str] = set()
    out: list[Args] = []
    for _ in range(calls * 50):
        args = draw(rng)
        key = json.dumps(args, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(args)
            if len(out) == calls:
                break
    return out


# --- timing -----------------------------------------------------------------------------------------------------


def p99(lat: list[float]) -> float:
    return statistics.quantiles(lat, n=100)[98] if len(lat) >= 2 else lat[0]


async def batch(c: Client, tool: str, calls: list[Args], lat: list[float]) -> tuple[float, int]:
    """Calls/s over one batch and how many came back as tool errors; appends each call's latency to ``lat``."""
    errors = 0
    start = time.perf_counter()
    for args in calls:
        t0 = time.perf_counter()
        result = await c.call_tool(tool, args)
        lat.append(time.perf_counter() - t0)
        errors += bool(result.is_error)
    return len(calls) / (time.perf_counter() - start), errors


async def against_echo(c: Client, e: Client, tool: str, calls: list[Args], rounds: int) -> dict[str, Any]:
    """``calls`` split into ``rounds`` batches, each beside an equal batch of echo calls (order alternating)."""
    size = max(1, -(-len(calls) // rounds))
    chunks = [calls[i : i + size] for i in range(0, len(calls), size)]
    ours_lat: list[float] = []
    echo_lat: list[float] = []
    ratios: list[float] = []
    errors = 0
    for i, chunk in enumerate(chunks):
        echo_chunk = [ECHO_ARGS] * len(chunk)
        if i % 2:
            ours, err = await batch(c, tool, chunk, ours_lat)
            echo, _ = await batch(e, "echo", echo_chunk, echo_lat)
        else:
            echo, _ = await batch(e, "echo", echo_chunk, echo_lat)
            ours, err = await batch(c, tool, chunk, ours_lat)
        errors += err
        ratios.append(ours / echo)
    return {
        "calls_s": len(ours_lat) / sum(ours_lat),
        "p50": statistics.median(ours_lat) * 1e3,
        "p99": p99(ours_lat) * 1e3,
        "echo_s": len(echo_lat) / sum(echo_lat),
        "ratio": statistics.median(ratios),
        "errors": errors,
        "n": len(ours_lat),
    }


async def sdk_floor(server: Any, tool: str, answer: dict[str, Any], rounds: int) -> dict[str, Any]:
    """What the SDK alone costs a call that answers as ``tool`` does: a tool returning one of ``tool``'s real
    answers (the same output model, the same bytes) without reaching any backend, beside echo. Its ratio is the
    ceiling no backend can lift: everything below it is the shared path (``bench_path.py``) and the vertical."""
    meta = server._tool_manager.get_tool(tool).fn_metadata  # the SDK's own record of the tool's output model
    model = meta.output_model.model_validate(answer)
    name = f"floor_{tool}"

    async def replay(query: str = "") -> Any:
        return model.model_copy()

    replay.__annotations__["return"] = meta.output_model
    replay.__doc__ = f"One of {tool}'s answers, from memory."
    server.tool(name=name)(replay)
    calls = [{"query": f"q{i}"} for i in range(300)]
    async with Client(server) as c, Client(build_echo()) as e:
        for _ in range(20):
            await c.call_tool(name, {"query": "warm-up"})
            await e.call_tool("echo", ECHO_ARGS)
        floor = await against_echo(c, e, name, calls, rounds)
    server.remove_tool(name)
    return {"ratio": floor["ratio"], "us": 1e6 / floor["calls_s"], "bytes": len(json.dumps(answer))}


def settings_for(vertical: str, data_dir: Path) -> Settings:
    return Settings.for_vertical(
        vertical, data_dir=data_dir, user="usr_demo", time_scale=0, clock_start=START, log_level="WARNING"
    )


CASES: list[tuple[str, str, Callable[[random.Random], Args], Args]] = [
    # vertical, tool, argument distribution, warm-up call (never part of a workload; answered, not refused, so the
    # client's validator of the tool's results is built before the first measured call, as a session's first call
    # builds it)
    ("food", "food_search_restaurants", food_search, {"query": "zzz warm-up", "limit": 1}),
    ("food", "food_get_restaurant", food_get, {"restaurant_id": "plc_n1007416273"}),  # a restaurant by its place id
    ("movies", "movies_find_showtimes", showtimes, {"date": "tomorrow", "time_from": "23:59"}),
    ("tickets", "tickets_search_events", events, {"query": "warm-up zzz"}),
    ("nav", "nav_geocode", geocode, {"query": "warm-up zzz"}),
]
BUILDERS = {"food": build_food, "movies": build_movies, "tickets": build_tickets, "nav": build_nav}


Rows = list[tuple[str, dict[str, Any], dict[str, Any]]]


async def in_memory(calls: int, rounds: int, seed: int, data_dir: Path | None = None) -> Rows:
    """Every case on the sandbox in ``data_dir`` (a new default city in a scratch directory when None)."""
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        where = data_dir or Path(scratch)
        servers = {v: build(settings_for(v, where)) for v, build in BUILDERS.items()}
        for n, (vertical, tool, draw, warm) in enumerate(CASES):
            rng = random.Random(seed * 100 + n)
            work = workload(draw, rng, calls)
            async with Client(servers[vertical]) as c, Client(build_echo()) as e:
                # clients list the tools when they connect (the SDK's client does it at its first result to check,
                # which put a whole tools/list and the output schema's validator into the first measured call)
                await c.list_tools()
                await e.list_tools()
                for _ in range(20):  # warm both sessions (seeding, imports, code paths) without touching the workload
                    await c.call_tool(tool, warm)
                    await e.call_tool("echo", ECHO_ARGS)
                cold = await against_echo(c, e, tool, work, rounds)
                cached = await against_echo(c, e, tool, work, rounds)  # the very same argument sets, again
                answer = await c.call_tool(tool, work[len(work) // 2])
            cold["floor"] = await sdk_floor(servers[vertical], tool, answer.structured_content or {}, rounds)
            rows.append((tool, cold, cached))
            print(f"  measured {tool}: {cold['n']} distinct argument sets", file=sys.stderr, flush=True)
    return rows


# --- processes: cold start and resident memory -----------------------------------------------------------------


def children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            out += [int(p) for p in (task / "children").read_text().split()]
    return out


def tree(pid: int) -> list[int]:
    pids = [pid]
    for child in children(pid):
        pids += tree(child)
    return pids


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


PROCESS_CALLS: dict[str, list[tuple[str, Args]]] = {
    # the first call is the one cold start is timed to; the rest warm the process before RSS is read
    "food": [
        ("food_search_restaurants", {"query": "pizza"}),
        ("food_search_restaurants", {"query": "sushi", "lat": 60.1699, "lng": 24.9384}),
        ("food_list_addresses", {}),
    ],
    "tickets": [
        ("tickets_search_events", {"query": "Peer Gynt"}),
        ("tickets_search_events", {"category": "concert"}),
    ],
    "movies": [
        ("movies_find_showtimes", {"date": "today"}),
        ("movies_find_showtimes", {"date": "tomorrow", "time_from": "18:00"}),
    ],
    "nav": [
        ("nav_route", {"origin": "Mannerheimintie 5", "destination": "Helsinki Cathedral", "mode": "walking"}),
        ("nav_route", {"origin": "Kampin kappeli", "destination": "Fabianinkatu 39", "mode": "driving"}),
        ("nav_route", {"origin": "Oodi library", "destination": "Kaisaniemenkatu 2", "mode": "transit"}),
        ("nav_geocode", {"query": "Oodi library"}),
    ],
}


def own_children() -> set[int]:
    return set(children(os.getpid()))


THINK_S = 2.0
"""How long a model takes over the tool list before its first call (a short first turn)."""


async def process(vertical: str, data_dir: Path | None = None, think: float = 0.0) -> dict[str, Any]:
    """Spawn one stdio server on a fresh data dir (or on the sandbox in ``data_dir``: the scale pack); the first call
    comes right after initialize, or ``think`` seconds later, as a model's first turn takes (the launched server
    builds its provider meanwhile: ``Settings.warm_start``)."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("LIFESTYLE_", f"{vertical.upper()}_"))},
            "LIFESTYLE_DATA_DIR": str(data_dir or scratch),
            "LIFESTYLE_LOG_LEVEL": "WARNING",
            "LIFESTYLE_TIME_SCALE": "0",
            "LIFESTYLE_CLOCK_START": START.isoformat(),
        }
        params = StdioServerParameters(command=str(BIN / "lifestyle-mcp"), args=["serve", vertical], env=env)
        before = own_children()
        t0 = time.perf_counter()
        async with Client(params) as c:
            initialized = time.perf_counter() - t0
            (tool, args), *rest = PROCESS_CALLS[vertical]
            await anyio.sleep(think)
            asked = time.perf_counter()
            first = await c.call_tool(tool, args)
            first_call = time.perf_counter() - t0
            answered = time.perf_counter() - asked
            t1 = time.perf_counter()
            await c.call_tool(tool, args)
            second = time.perf_counter() - t1
            errors = int(bool(first.is_error))
            for tool_, args_ in rest:
                errors += bool((await c.call_tool(tool_, args_)).is_error)
            spawned = own_children() - before
            pids = [p for child in spawned for p in tree(child)]
            rss = rss_mb(pids)
    return {
        "init": initialized,
        "first": first_call,
        "first_tool": tool,
        "answered": answered,
        "second": second,
        "rss": rss,
        "procs": len(pids),
        "errors": errors,
    }


# --- report -----------------------------------------------------------------------------------------------------


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def report(rows: list[tuple[str, dict[str, Any], dict[str, Any]]], procs: dict[str, dict[str, Any]]) -> None:
    print()
    head = f"{'tool':<26} {'n':>4} | {'cold calls/s':>12} {'p50 ms':>7} {'p99 ms':>7} {'×echo':>6}   "
    print(head + f"| {'cached calls/s':>14} {'p50 ms':>7} {'p99 ms':>7} {'×echo':>6} | {'echo/s':>6} {'err':>4}")
    for tool, cold, cached in rows:
        print(
            f"{tool:<26} {cold['n']:>4} | {cold['calls_s']:>12.0f} {cold['p50']:>7.2f} {cold['p99']:>7.2f} "
            f"{cold['ratio']:>5.2f} {mark(cold['ratio'] >= UNCACHED_TARGET)} | {cached['calls_s']:>14.0f} "
            f"{cached['p50']:>7.2f} {cached['p99']:>7.2f} {cached['ratio']:>6.2f} | "
            f"{statistics.mean([cold['echo_s'], cached['echo_s']]):>6.0f} {cold['errors'] + cached['errors']:>4}"
        )
    print(f"(×echo: median per-round ratio of calls/s to the SDK echo tool in the same rounds; target cold ≥ "
          f"{UNCACHED_TARGET}×; err: calls answered with a tool error, cold + cached)")  # fmt: skip
    print()
    print(f"{'where a cold call goes':<26} | {'answer B':>8} {'SDK µs':>7} {'×echo':>6} | {'path+vertical µs':>16} "
          f"{'share':>6}")  # fmt: skip
    for tool, cold, _ in rows:
        floor = cold["floor"]
        mean_us = 1e6 / cold["calls_s"]
        beyond = mean_us - floor["us"]
        print(f"{tool:<26} | {floor['bytes']:>8} {floor['us']:>7.0f} {floor['ratio']:>6.2f} | {beyond:>16.0f} "
              f"{beyond / mean_us:>6.0%}")  # fmt: skip
    print(
        "(SDK: a tool returning one of this tool's real answers from memory, so the MCP layers and the answer's "
        "size only: the most any read tool with such answers can reach; path+vertical: the rest of a cold call, "
        "the shared provider path (bench_path.py: ~0.4 ms in process) and the vertical's own work)"
    )
    if not procs:
        return
    print()
    print(f"{'server (stdio)':<10} {'initialize s':>12} {'first call s':>12}  {'first call':<24} "
          f"{f'after {THINK_S:.0f} s ms':>12} {'2nd ms':>7} {'RSS MB':>8} {'procs':>5} {'err':>4}")  # fmt: skip
    for vertical, p in procs.items():
        ok_rss = mark(p["rss"] < RSS_TARGET_MB)
        print(
            f"{vertical:<10} {p['init']:>12.2f} {p['first']:>12.2f}  {p['first_tool']:<24} "
            f"{p['thought'] * 1e3:>12.0f} {p['second'] * 1e3:>7.1f} "
            f"{p['rss']:>6.0f} {ok_rss} {p['procs']:>5} {p['errors']:>4}"
        )
    nav = procs["nav"]
    route = nav["first"] - nav["init"]
    print(f"(fresh data dir per server; times from spawn. nav's first route: {route:.2f} s after initialize, "
          f"{nav['first']:.2f} s from spawn {mark(nav['first'] < NAV_FIRST_ROUTE_TARGET_S)} target < "
          f"{NAV_FIRST_ROUTE_TARGET_S:.0f} s; after {THINK_S:.0f} s: the first call's own time when it comes "
          f"{THINK_S:.0f} s after initialize, as a model's first turn takes (a fresh server each); RSS target < "
          f"{RSS_TARGET_MB:.0f} MB per server, process tree, after warm-up)")  # fmt: skip


def scale_pack(scale: int, data_dir: Path) -> tuple[Path, float | None]:
    """The scale pack at ``data_dir``, built with the same code as ``lifestyle-mcp sandbox create`` unless a
    pack of that scale is already there (building takes minutes; the seconds are returned when it was built)."""
    from servers.cli import create_sandbox
    from shared.account import open_sandbox

    settings = settings_for("", data_dir).model_copy(update={"scale": scale})
    if (data_dir / "lifestyle.db").exists():
        sandbox = open_sandbox(settings)
        sandbox.engine.dispose()
        if sandbox.scale == scale:
            return data_dir, None
    data_dir.mkdir(parents=True, exist_ok=True)
    return data_dir, create_sandbox(settings)


def report_growth(small: Rows, big: Rows, scale: int) -> None:
    print()
    print(f"growth, default city → scale pack ({scale}×), cold workloads in process:")
    print(f"{'tool':<26} | {'p50 ms':>7} → {'p50 ms':>7} {'×':>5} | {'p99 ms':>7} → {'p99 ms':>7} {'×':>5}   "
          f"| p99 < {P99_SCALE_TARGET_MS:.0f} ms")  # fmt: skip
    for (tool, a, _), (_, b, _) in zip(small, big, strict=True):
        g50, g99 = b["p50"] / a["p50"], b["p99"] / a["p99"]
        print(
            f"{tool:<26} | {a['p50']:>7.2f} → {b['p50']:>7.2f} {g50:>4.1f}{mark(g50 <= GROWTH_TARGET)} | "
            f"{a['p99']:>7.2f} → {b['p99']:>7.2f} {g99:>4.1f}{mark(g99 <= GROWTH_TARGET)} | "
            f"{mark(b['p99'] < P99_SCALE_TARGET_MS)}"
        )
    print(f"(target: a {scale}× city costs a call at most {GROWTH_TARGET:.0f}×; p99 < {P99_SCALE_TARGET_MS:.0f} ms on "
          f"the scale pack)")  # fmt: skip


async def main(calls: int, rounds: int, seed: int, scale: int, scale_dir: Path | None, skip_processes: bool) -> None:
    global CITY
    t0 = time.perf_counter()
    print(f"bench_reads: {calls} calls per tool and phase, {rounds} rounds, seed {seed}", file=sys.stderr)
    procs = {}
    if not skip_processes:  # first, while this process is small: a fork copies the parent's page tables
        import jsonschema  # noqa: F401  # the SDK client imports it at its first tool result: not the server's time

        for vertical in ("food", "tickets", "movies", "nav"):
            procs[vertical] = await process(vertical)
            procs[vertical]["thought"] = (await process(vertical, think=THINK_S))["answered"]
            print(f"  spawned {vertical}", file=sys.stderr, flush=True)
    rows = await in_memory(calls, rounds, seed)
    print("default city (the real Helsinki fixtures):")
    report(rows, procs)
    if scale > 1:
        where, built = scale_pack(scale, scale_dir or Path(tempfile.gettempdir()) / f"lifestyle-scale-{scale}")
        print(f"  scale pack at {where}" + (f", built in {built:.0f} s" if built else " (reused)"), file=sys.stderr)
        CITY = City(scale, settings_for("", where).effective_database_url)
        big = await in_memory(calls, rounds, seed, where)
        big_procs = {}
        for vertical in () if skip_processes else ("food", "tickets", "movies", "nav"):
            big_procs[vertical] = await process(vertical, where)
            big_procs[vertical]["thought"] = (await process(vertical, where, think=THINK_S))["answered"]
        print()
        took = f"; built in {built:.0f} s" if built else ""
        print(f"scale pack ({scale}×: {len(CITY.restaurant_ids):,} restaurants, {len(CITY.cinema_ids):,} cinemas, "
              f"{len(CITY.place_names):,} named places{took}):")  # fmt: skip
        report(big, big_procs)
        report_growth(rows, big, scale)
    print(f"({time.perf_counter() - t0:.0f} s in all)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=800, help="distinct argument sets per tool (≤ 1000: cache size)")
    parser.add_argument("--rounds", type=int, default=8, help="alternating rounds beside the echo tool")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--scale", type=int, default=100, help="also run on a scale pack this big (1: only default)")
    parser.add_argument("--scale-dir", type=Path, default=None, help="where the scale pack is kept (reused if there)")
    parser.add_argument("--skip-processes", action="store_true", help="in-process figures only (no stdio spawns)")
    cli = parser.parse_args()
    anyio.run(main, cli.calls, cli.rounds, cli.seed, cli.scale, cli.scale_dir, cli.skip_processes)
