"""A film's run as movies_get_movie states it agrees with its showtimes: runs of the repeating programme that touch
merge both ways, the film shows in the last week up to last_day and not in the week after it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mcp import Client

from servers.movies.backend.catalog import HORIZON_DAYS
from tests.servers.movies.conftest import NOON, MoviesEnv
from tests.servers.movies.helpers import ok


async def _day(c: Client, movie_id: str, day: date) -> list[dict[str, Any]]:
    args = {"movie_id": movie_id, "date": day.isoformat(), "limit": 5}
    return (await ok(c, "movies_find_showtimes", args))["showtimes"]  # type: ignore[no-any-return]


async def test_last_day_is_where_the_films_showtimes_stop(movies_readonly: MoviesEnv) -> None:
    env = movies_readonly
    before = env.snapshot()
    today = NOON.date()
    published = today + timedelta(days=HORIZON_DAYS - 1)  # the last day with showtimes on sale
    async with Client(env.server) as c:
        page = await ok(c, "movies_search_movies", {"limit": 20})
        films = page["films"]
        while page["page"]["next_cursor"]:
            page = await ok(c, "movies_search_movies", {"limit": 20, "cursor": page["page"]["next_cursor"]})
            films += page["films"]
        assert len(films) > 20 and {f["status"] for f in films} == {"now_showing"}
        for film in films:
            detail = await ok(c, "movies_get_movie", {"movie_id": film["id"]})
            opens, last = date.fromisoformat(detail["opens_on"]), date.fromisoformat(detail["last_day"])
            assert opens <= today <= last, detail
            gap = [last + timedelta(days=k) for k in range(1, 8) if last + timedelta(days=k) <= published]
            for day in gap:  # a run of the programme ends a week before the next one opens
                assert await _day(c, film["id"], day) == [], f"{film['title']} shows on {day}, after last_day {last}"
            end = min(last, published)
            week = [end - timedelta(days=k) for k in range(7) if end - timedelta(days=k) >= today]
            assert [day for day in week if await _day(c, film["id"], day)], f"{film['title']} stopped before {end}"
        thor = await ok(c, "movies_get_movie", {"movie_id": "mov_q217020"})
        thor_late = await _day(c, "mov_q217020", published)
    assert thor["opens_on"] == "2026-11-04" and thor["last_day"] >= published.isoformat() == "2026-12-22"
    assert thor_late and all(s["starts_at"].startswith("2026-12-22") for s in thor_late)
    assert env.snapshot() == before


async def test_a_film_is_screened_on_the_day_it_opens_and_on_its_last_day(movies_readonly: MoviesEnv) -> None:
    """The programme may give a film no slot on its nominal first or last day; opens_on and last_day are the days it
    is screened, so 'opens Friday, book me for opening night' finds Friday's showtimes (Gone Girl, Star Trek and two
    more opened a day or two before their first showtime)."""
    env = movies_readonly
    today = NOON.date()
    published = today + timedelta(days=HORIZON_DAYS - 1)
    async with Client(env.server) as c:
        films: list[dict[str, Any]] = []
        for showing in ("now_showing", "coming_soon"):
            page = await ok(c, "movies_search_movies", {"showing": showing, "limit": 20})
            films += page["films"]
            while page["page"]["next_cursor"]:
                args = {"showing": showing, "limit": 20, "cursor": page["page"]["next_cursor"]}
                page = await ok(c, "movies_search_movies", args)
                films += page["films"]
        empty = []
        for film in films:
            detail = await ok(c, "movies_get_movie", {"movie_id": film["id"]})
            assert detail["opens_on"] == film["opens_on"]
            for key in ("opens_on", "last_day"):
                day = date.fromisoformat(detail[key])
                if today < day <= published and not await _day(c, film["id"], day):
                    empty.append((film["title"], key, detail[key]))
    assert len([f for f in films if f["status"] == "coming_soon"]) > 5
    assert empty == []
