"""Beyond tools: the prompt with argument completion, the seat-map resource, and the committed fixtures."""

from __future__ import annotations

import json
from types import ModuleType

from mcp import Client
from mcp.types import PromptReference, ResourceTemplateReference, TextResourceContents

from shared.kit.settings import REPO_FIXTURES
from tests.servers.movies.conftest import MoviesEnv
from tests.servers.movies.helpers import ok, pick
from tests.support import fixture_script


async def test_prompt_arguments_complete_genres_in_both_languages(movies_readonly: MoviesEnv) -> None:
    async with Client(movies_readonly.server) as c:
        prompts = {p.name for p in (await c.list_prompts()).prompts}
        ref = PromptReference(type="ref/prompt", name="movie_night")
        english = await c.complete(ref, {"name": "genre", "value": "sci"})
        chinese = await c.complete(ref, {"name": "genre", "value": "科"})
        rendered = await c.get_prompt("movie_night", {"genre": "comedy", "when": "tomorrow", "people": "3"})
    assert "movie_night" in prompts
    assert english.completion.values == ["sci_fi"] and chinese.completion.values == ["科幻"]
    assert "comedy" in rendered.messages[0].content.text  # type: ignore[union-attr]


async def test_the_seat_map_resource_matches_the_seat_map_tool(movies_readonly: MoviesEnv) -> None:
    rec = pick(movies_readonly, min_hours=3)
    async with Client(movies_readonly.server) as c:
        tool = await ok(c, "movies_get_seat_map", {"showtime_id": rec.id})
        read = await c.read_resource(f"movies://showtimes/{rec.id}/seatmap")
        ref = ResourceTemplateReference(type="ref/resource", uri="movies://showtimes/{showtime_id}/seatmap")
        ids = await c.complete(ref, {"name": "showtime_id", "value": "sht_"})
    content = read.contents[0]
    assert isinstance(content, TextResourceContents)
    assert json.loads(content.text)["seat_map"] == tool["seat_map"]
    assert ids.completion.values and all(v.startswith("sht_") for v in ids.completion.values)


def builder() -> ModuleType:
    return fixture_script("build_movies")


def test_the_committed_cinemas_are_what_the_generator_writes_from_the_real_places() -> None:
    places = json.loads((REPO_FIXTURES / "osm" / "places.json").read_text(encoding="utf-8"))["places"]
    cinemas = builder().build_cinemas(list(reversed(places)))
    committed = json.loads((REPO_FIXTURES / "movies" / "cinemas.json").read_text(encoding="utf-8"))["cinemas"]
    assert cinemas == committed
    assert {c["name"] for c in cinemas} == {p["name"] for p in places if p["category"] == "cinema"}


def test_the_committed_films_are_a_bilingual_cc0_subset_with_a_programme(movies_readonly: MoviesEnv) -> None:
    doc = json.loads((REPO_FIXTURES / "movies" / "films.json").read_text(encoding="utf-8"))
    films = doc["films"]
    assert 250 <= len(films) <= 350 and "CC0" in doc["note"]
    assert all(f["wikidata"].startswith("Q") and f["genres"] and f["runtime_min"] >= 60 for f in films)
    assert all(set(v) == {"en", "zh"} for v in doc["vocab"]["genres"].values())
    assert sum(f["language"] in ("Mandarin", "Cantonese", "Chinese") for f in films) >= 20
    programmed = [f for f in films if "release_day" in f]
    assert 30 <= len(programmed) <= 50
    svc = movies_readonly.service
    shown = {s.film_id for s in svc.catalog.showtimes.values()}
    assert {f["id"] for f in programmed} == shown  # every programmed film gets showtimes, nothing else does
