"""The programme keeps going on a persisted database: showtimes roll on with the simulated clock, the
same day always has the same showtimes, and nothing depends on the wall clock or on another app."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

from mcp import Client
from sqlmodel import Session

from servers.movies.backend import seed
from servers.movies.backend.app import create_app, prepare
from servers.movies.backend.catalog import HORIZON_DAYS
from servers.movies.server import build_server
from shared.account import open_sandbox
from shared.geo import CITY_TZ
from shared.kit.settings import REPO_FIXTURES
from tests.servers.movies.conftest import NOON, MoviesEnv
from tests.servers.movies.helpers import buy, ok
from tests.support import fresh_engine, sandbox_settings

BACKEND = Path(__file__).resolve().parents[3] / "servers" / "movies" / "backend"


def restart(env: MoviesEnv, at: datetime) -> MoviesEnv:
    """A new app on the same sandbox after its clock was set to ``at`` (earlier too): what a restart sees."""
    env.clock.set(at, backwards=True)
    sandbox = prepare(env.settings, engine=env.engine)
    app = create_app(env.settings, sandbox=sandbox)
    return MoviesEnv(settings=env.settings, sandbox=sandbox, app=app, server=build_server(env.settings, app=app))


async def test_showtimes_roll_on_months_after_the_season_was_seeded(movies: MoviesEnv) -> None:
    later = NOON + timedelta(days=75)  # long after the 28 days generated at seed time
    movies.clock.set(later)
    async with Client(movies.server) as c:
        films = await ok(c, "movies_search_movies", {"limit": 10})
        today = await ok(c, "movies_find_showtimes", {"date": "today", "limit": 10})
        ahead = await ok(c, "movies_find_showtimes", {"date": (later + timedelta(days=20)).date().isoformat()})
        on_sale = next(s for s in today["showtimes"] if s["status"] == "on_sale")
        order = await buy(c, on_sale["id"], 2)
    assert films["films"] and {f["status"] for f in films["films"]} == {"now_showing"}
    assert today["showtimes"] and all(s["starts_at"].startswith(later.date().isoformat()) for s in today["showtimes"])
    assert ahead["showtimes"], "a programme keeps being on sale the horizon ahead"
    assert order["showtime_id"] == on_sale["id"]

    # a restart later still finds the same day's showtimes, and one whose clock starts earlier still knows the order
    again = restart(movies, later + timedelta(days=3))
    day = movies.service.catalog.offset(later)
    assert [s.id for s in again.service.catalog.ordered if again.service.catalog.offset(s.starts_at) == day] == [
        s.id for s in movies.service.catalog.ordered if movies.service.catalog.offset(s.starts_at) == day
    ]
    earlier = restart(movies, NOON)
    async with Client(earlier.server) as c:
        orders = await ok(c, "movies_list_orders", {})
    assert [o["id"] for o in orders["orders"]] == [order["id"]]


def test_the_programme_as_written_comes_back_every_four_weeks(movies_readonly: MoviesEnv) -> None:
    catalog = movies_readonly.service.catalog.cover(NOON + timedelta(days=60))
    assert catalog.offset(catalog.anchor) == 0 and catalog.days >= 60 + 2 + HORIZON_DAYS
    programmed = [f for f in catalog.films.values() if f.release_day is not None]
    first_return = min(f.release_day for f in programmed if f.release_day is not None) + 28
    for film in programmed:
        assert film.release_day is not None
        written = set(range(film.release_day, film.release_day + film.run_days))
        runs = {
            day for k in range(4) for day in range(film.release_day + 28 * k, film.release_day + film.run_days + 28 * k)
        }
        shown = {catalog.offset(s.starts_at) for s in catalog.by_film.get(film.id, ())}
        assert shown and shown <= runs, film.title  # screened only on the days of its runs
        assert {d for d in shown if d < first_return} <= written, film.title  # the first week as written
        assert {film.release_day + 28, film.release_day + 56} <= runs and film.shows_on(film.release_day + 56)


def test_the_season_is_anchored_on_the_sandbox_clock_not_the_wall_clock(tmp_path: Path) -> None:
    """A new sandbox starts its clock at clock_start; movies joining an existing sandbox later take the season
    from that sandbox's clock, not from their own settings (clock_start only seeds a new sandbox)."""
    first = sandbox_settings("food", tmp_path, datetime(2031, 3, 6, 15, 0, tzinfo=CITY_TZ))
    engine = fresh_engine(first)
    open_sandbox(first, engine=engine)  # another server opened the sandbox first: the account and its clock
    joining = sandbox_settings("movies", tmp_path, datetime(2040, 8, 15, 9, 0, tzinfo=CITY_TZ))
    sandbox = prepare(joining, engine=engine)
    with Session(engine) as session:
        catalog = seed.load(session, joining.fixtures_dir, sandbox.clock.now())
    engine.dispose()
    assert sandbox.clock.now() == datetime(2031, 3, 6, 15, 0, tzinfo=CITY_TZ)
    assert catalog.anchor == datetime(2031, 3, 3, 0, 0, tzinfo=CITY_TZ)
    calls = [
        f"{path.name}:{n}"
        for path in BACKEND.glob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\b(datetime\.now|datetime\.utcnow|date\.today|time\.time)\(", line)
    ]
    assert calls == [], "backend time must come from the sandbox clock"


def test_language_names_belong_to_one_app_and_do_not_leak_into_the_next(tmp_path: Path) -> None:
    """Chinese language names come from each fixtures directory's films.json; reading one set must not
    change what another catalog says."""
    bare = tmp_path / "fixtures"
    (bare / "movies").mkdir(parents=True)
    doc = json.loads((REPO_FIXTURES / "movies" / "films.json").read_text(encoding="utf-8"))
    doc["vocab"]["languages"] = {}
    (bare / "movies" / "films.json").write_text(json.dumps(doc), encoding="utf-8")
    (bare / "movies" / "cinemas.json").symlink_to(REPO_FIXTURES / "movies" / "cinemas.json")
    with_names, _ = seed.read_fixtures(REPO_FIXTURES)
    without, _ = seed.read_fixtures(bare)
    assert next(f for f in with_names if f.language == "Mandarin").language_label == "Mandarin / 普通话"
    assert {f.language_label for f in without} == {f.language for f in without}
    assert next(f for f in with_names if f.language == "Mandarin").language_label == "Mandarin / 普通话"
