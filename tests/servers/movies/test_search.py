"""Finding films and places the way people say them: a title typed exactly, Chinese and Finnish genre and language
words, a house number, a cinema by any of its names."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from tests.servers.food.helpers import every_page
from tests.servers.movies.conftest import MoviesEnv
from tests.servers.movies.helpers import err, ok


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Up", "Up / 飞屋环游记"),  # not 'Knocked Up' nor 'Up in the Air'
        ("Her", "Her"),  # not 'Hero', which only starts with it
        ("Drive", "Drive"),  # not a film with an actor called Driver
        ("2012", "2012"),  # the film, before the films released in 2012
        ("dark knight", "The Dark Knight / 蝙蝠侠：黑暗骑士"),  # without its article, before 'The Dark Knight Rises'
    ],
)
async def test_a_title_typed_exactly_comes_first(movies_readonly: MoviesEnv, query: str, title: str) -> None:
    before = movies_readonly.snapshot()
    async with Client(movies_readonly.server) as c:
        page = await ok(c, "movies_search_movies", {"query": query, "showing": "all"})
    assert page["films"][0]["title"] == title, [f["title"] for f in page["films"]]
    assert movies_readonly.snapshot() == before


@pytest.mark.parametrize(
    ("typed", "means"),
    [
        ("动作片", "动作"),
        ("科幻电影", "科幻"),
        ("爱情影片", "爱情"),
        ("日语电影", "日语"),
        ("国语", "普通话"),
        ("国语片", "普通话"),
        ("国语版", "普通话"),  # a language's version of a film: '国语版' found nothing
        ("粤语版", "粤语"),
    ],
)
async def test_chinese_words_for_a_kind_of_film_find_those_films(
    movies_readonly: MoviesEnv, typed: str, means: str
) -> None:
    """'动作片' (action film) is how a Chinese user asks for '动作'; '国语' is Mandarin, as find_showtimes reads it."""
    async with Client(movies_readonly.server) as c:
        asked = await ok(c, "movies_search_movies", {"query": typed, "showing": "all", "limit": 20})
        plain = await ok(c, "movies_search_movies", {"query": means, "showing": "all", "limit": 20})
    assert plain["films"]
    assert [f["id"] for f in asked["films"]] == [f["id"] for f in plain["films"]]
    assert asked["page"]["total"] == plain["page"]["total"]


async def test_chinese_as_a_language_finds_every_chinese_language_film(movies_readonly: MoviesEnv) -> None:
    films = movies_readonly.service.catalog.films.values()
    chinese = sum(f.language in {"Mandarin", "Cantonese", "Chinese"} for f in films)
    async with Client(movies_readonly.server) as c:
        for word in ("华语", "中文", "Chinese"):
            page = await ok(c, "movies_search_movies", {"query": word, "showing": "all", "limit": 20})
            assert page["page"]["total"] == chinese, word
            assert {f["language"].split(" / ")[0] for f in page["films"]} <= {"Mandarin", "Cantonese", "Chinese"}


@pytest.mark.parametrize(
    ("typed", "genre_word", "genre"),
    [
        ("kauhu", "kauhu", "horror"),  # Finnish, as a Helsinki user types it
        ("kauhuelokuva", "kauhuelokuva", "horror"),  # 'horror film', one Finnish word
        ("动作片", "动作片", "action"),  # 'action film'
        ("纪录片", "纪录片", "documentary"),  # the genre's own name ends in 片
        ("horror movie", "horror", "horror"),
        ("komedia", "Komedia", "comedy"),
        ("toimintaleffa", "toiminta", "action"),
        ("science fiction", "science fiction", "sci_fi"),
        ("animated films", "animated", "animation"),
        ("jännitys", "jannitys", "thriller"),
    ],
)
async def test_finnish_and_everyday_genre_words_find_the_genre(
    movies_readonly: MoviesEnv, typed: str, genre_word: str, genre: str
) -> None:
    async with Client(movies_readonly.server) as c:
        asked = await ok(c, "movies_search_movies", {"query": typed, "showing": "all", "limit": 20})
        by_code = await ok(c, "movies_search_movies", {"genre": genre, "showing": "all", "limit": 20})
        by_word = await ok(c, "movies_search_movies", {"genre": genre_word, "showing": "all", "limit": 20})
    assert by_code["page"]["total"] > 0
    assert asked["page"]["total"] == by_code["page"]["total"] == by_word["page"]["total"]
    assert {f["id"] for f in asked["films"]} == {f["id"] for f in by_code["films"]}


async def test_finnish_language_names_pick_showtimes_in_that_language(movies_readonly: MoviesEnv) -> None:
    async with Client(movies_readonly.server) as c:
        finnish = await ok(c, "movies_find_showtimes", {"language": "englanti", "date": "tomorrow", "limit": 10})
        english = await ok(c, "movies_find_showtimes", {"language": "English", "date": "tomorrow", "limit": 10})
        none_in = await err(c, "movies_find_showtimes", {"language": "suomi", "date": "tomorrow"})
    assert finnish["page"]["total"] == english["page"]["total"] > 0
    assert [s["id"] for s in finnish["showtimes"]] == [s["id"] for s in english["showtimes"]]
    assert "not a language of the films showing" in none_in


async def test_a_street_spelt_otherwise_is_read_as_the_map_spells_it(movies_readonly: MoviesEnv) -> None:
    """'Manerheimintie 5' and 'Alexanterinkatu 20' were 'not a street address known in central Helsinki': the
    street the map spells most like it is where distances are measured from, said as the map spells it."""
    async with Client(movies_readonly.server) as c:
        typo = await ok(c, "movies_search_cinemas", {"address": "Manerheimintie 5", "limit": 3})
        exact = await ok(c, "movies_search_cinemas", {"address": "Mannerheimintie 5", "limit": 3})
        spelt = await ok(c, "movies_search_cinemas", {"address": "Alexanterinkatu 20", "limit": 1})
        nothing = await err(c, "movies_search_cinemas", {"address": "Qwertyuiopkatu 5"})
    assert typo["origin"] == "Mannerheimintie 5 (as the map spells 'Manerheimintie 5')"
    assert typo["cinemas"] == exact["cinemas"] and exact["origin"].startswith("Mannerheimintie 5")
    assert spelt["origin"].startswith("Aleksanterinkatu 20 (as the map spells")
    assert "is not a street address" in nothing


async def test_a_house_number_is_never_read_as_a_shorter_one(movies_readonly: MoviesEnv) -> None:
    """'Mannerheimintie 22' (Lasipalatsi, where Bio Rex is) was read as Mannerheimintie 2, half a kilometre away,
    so the nearest cinema came out wrong; a number with no address of its own takes the nearest number on the
    street and says so."""
    async with Client(movies_readonly.server) as c:
        lasipalatsi = await ok(c, "movies_search_cinemas", {"address": "Mannerheimintie 22", "limit": 1})
        missing = await ok(c, "movies_search_cinemas", {"address": "Kaivokatu 45", "limit": 1})
        exact = await ok(c, "movies_search_cinemas", {"address": "Kaivokatu 4", "limit": 1})
    assert lasipalatsi["origin"].startswith("Mannerheimintie 22-24"), lasipalatsi["origin"]
    assert lasipalatsi["cinemas"][0]["name"].startswith("Bio Rex")
    assert missing["origin"] == "Kaivokatu 12, 00100 Helsinki (the nearest known number to 45)"
    assert exact["origin"] == "Kaivokatu 4, Helsinki"


@pytest.mark.parametrize(
    ("place", "cinema"),
    [
        ("基诺宫影城", "cin_n1376356017"),  # the Chinese name every result shows: 'Kinopalatsi / 基诺宫影城'
        ("基诺宫影城附近", "cin_n1376356017"),  # 'near Kinopalatsi'
        ("玻璃宫", "cin_n1381017800"),  # Bio Rex's building, as its Chinese name says: 雷克斯影院（玻璃宫）
        ("基诺宫", "cin_n1376356017"),  # said short, without 影城: 'not a street address … known'
        ("基诺宫电影院附近", "cin_n1376356017"),  # with another word for cinema
        ("雷克斯影城", "cin_n1381017800"),
        ("Summer Cinema Engel", "cin_n2493672735"),  # the English name
        ("Kesäkino Engel", "cin_n2493672735"),  # not Kino Engel, whose name is inside this one
        ("Kino Engel", "cin_n2493674692"),
    ],
)
async def test_a_cinema_is_a_place_by_any_of_its_names(movies_readonly: MoviesEnv, place: str, cinema: str) -> None:
    async with Client(movies_readonly.server) as c:
        near = await ok(c, "movies_search_cinemas", {"address": place, "limit": 10})
    at = {x["id"]: x["distance_m"] for x in near["cinemas"]}
    assert at[cinema] == 0, (near["origin"], at)
    assert near["origin"] == next(x["name"] for x in near["cinemas"] if x["id"] == cinema)


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("a pharmacy", "address 'a pharmacy': 'a pharmacy' is a kind of place (Pharmacy 药店), not one place: 6 on"),
        # begin with 'the' and 'a', which were cut as articles ('atre', 'tm'): 'not a street address' again
        ("theatre", "address 'theatre': 'theatre' is a kind of place (Theatre 剧院), not one place: 8 on"),
        ("an ATM", "address 'an ATM': 'an ATM' is a kind of place (ATM 取款机), not one place: 11 on"),
        ("Tennispalatsi", "address 'Tennispalatsi': Tennispalatsi, Finnkino's multiplex"),
        ("芬兰堡", "address '芬兰堡': Suomenlinna, the sea fortress, is an island off this map"),
    ],
)
async def test_a_kind_of_place_or_a_sight_off_the_map_is_refused_as_such(
    movies_readonly: MoviesEnv, address: str, said: str
) -> None:
    """'Tennispalatsi' (Helsinki's largest cinema, a street west of the map) and 'a pharmacy' were 'not a street
    address … known in central Helsinki', as a misspelling would be: the refusal says what the place is."""
    async with Client(movies_readonly.server) as c:
        refused = await err(c, "movies_search_cinemas", {"address": address})
    assert refused.startswith(said), refused
    assert "not a street address" not in refused


async def test_how_many_tickets_said_in_a_search_is_for_the_hold_not_a_word(movies_readonly: MoviesEnv) -> None:
    """'two tickets for Interstellar' and '科幻片 两张票' found nothing ('no film has tickets'): the number is how
    many seats to hold, and the note says so."""
    async with Client(movies_readonly.server) as c:
        asked = (("two tickets for Interstellar", "Interstellar"), ("科幻片 两张票", "科幻片"))
        pages = {q: (await ok(c, "movies_search_movies", {"query": q}),
                     await ok(c, "movies_search_movies", {"query": p})) for q, p in asked}  # fmt: skip
    for q, (page, plain) in pages.items():
        assert page["films"] and page["films"] == plain["films"], (q, page["note"])
        assert "as how many: pick 2 seats with movies_hold_seats" in page["note"], page["note"]


async def test_films_that_match_equally_come_most_reviewed_first(movies_readonly: MoviesEnv) -> None:
    """Ties were ordered by the text of minus the review count, which sorts '-0000159' before '-0000341': the least
    reviewed film came first ('what's on?' opened with the least known films)."""
    reviews = {f.id: f.reviews for f in movies_readonly.service.catalog.films.values()}
    async with Client(movies_readonly.server) as c:
        asks = ({"limit": 20}, {"query": "drama", "limit": 20}, {"showing": "all", "genre": "horror", "limit": 20})
        for args in asks:
            page = await ok(c, "movies_search_movies", args)
            for status in ("now_showing", "not_in_cinemas"):  # coming-soon films come by opening day instead
                counts = [reviews[f["id"]] for f in page["films"] if f["status"] == status]
                assert counts == sorted(counts, reverse=True), (args, status)
            assert len(page["films"]) > 10


async def test_a_film_of_another_status_is_named_when_none_of_the_one_asked_matches(movies_readonly: MoviesEnv) -> None:
    """'Gravity' with the default now_showing was an empty page two days before it opens, and an agent said it was
    not showing: the page now names it, its status and opening day, and how to list it."""
    async with Client(movies_readonly.server) as c:
        soon = (await ok(c, "movies_search_movies", {"showing": "coming_soon", "limit": 1}))["films"][0]
        asked = await ok(c, "movies_search_movies", {"query": soon["title"]})
        listed = await ok(c, "movies_search_movies", {"query": soon["title"], "showing": "all"})
        nothing = await ok(c, "movies_search_movies", {"query": "zzqx"})
    assert asked["films"] == [] and soon["id"] in asked["note"] and "coming soon, opens 20" in asked["note"]
    assert "showing='all'" in asked["note"], asked["note"]
    assert soon["id"] in [f["id"] for f in listed["films"]] and listed["note"] == ""
    assert nothing["films"] == [] and "showing='all'" not in nothing["note"]  # nonsense is offered nothing …
    assert "no film has 'zzqx'" in nothing["note"], nothing["note"]  # … and told so


@pytest.mark.parametrize(
    ("query", "movie_id", "title"),
    [
        ("卧虎藏龙", "mov_q273978", "Crouching Tiger, Hidden Dragon / 卧虎藏龙"),
        ("英雄", "mov_q260379", "Hero / 英雄"),  # before 超能陆战队 (Big Hero 6), whose English title holds 'Hero'
        ("盗梦空间", "mov_q25188", "Inception / 盗梦空间"),
        ("功夫", "mov_q470759", "Kung Fu Hustle / 功夫"),  # the exact title before 功夫梦 (The Karate Kid)
        ("Hero / 英雄", "mov_q260379", "Hero / 英雄"),  # a title copied from a result
    ],
)
async def test_a_film_is_found_by_its_official_chinese_title(
    movies_readonly: MoviesEnv, query: str, movie_id: str, title: str
) -> None:
    async with Client(movies_readonly.server) as c:
        page = await ok(c, "movies_search_movies", {"query": query, "showing": "all"})
        detail = await ok(c, "movies_get_movie", {"movie_id": movie_id})
        shows = await ok(c, "movies_find_showtimes", {"movie_id": movie_id, "limit": 1})
    assert page["films"][0]["id"] == movie_id and page["films"][0]["title"] == title
    assert detail["title"] == title
    assert all(s["movie_title"] == title for s in shows["showtimes"])


async def test_a_film_is_found_by_a_lead_whose_name_sorts_late_in_its_cast(movies_readonly: MoviesEnv) -> None:
    """The source lists each cast alphabetically; only the first five names were kept, so Inception's lead (the
    twelfth, Leonardo DiCaprio) was not there and 'DiCaprio' found nothing."""
    async with Client(movies_readonly.server) as c:
        page = await ok(c, "movies_search_movies", {"query": "DiCaprio", "showing": "all", "limit": 20})
        detail = await ok(c, "movies_get_movie", {"movie_id": "mov_q25188"})
    assert "mov_q25188" in [f["id"] for f in page["films"]], page["films"]
    assert "Leonardo DiCaprio / 莱昂纳多·迪卡普里奥" in detail["cast"] and len(detail["cast"]) > 5


async def test_a_format_searched_as_a_film_lists_the_films_in_it(movies_readonly: MoviesEnv) -> None:
    """'IMAX' came back as an empty page with no note, which an agent read as 'no IMAX films', and '3D电影' said no
    film has '3d': the films screened in that format are listed, and the note points at their showtimes."""
    async with Client(movies_readonly.server) as c:
        imax = await ok(c, "movies_search_movies", {"query": "IMAX", "limit": 20})
        three_d = await ok(c, "movies_search_movies", {"query": "3D电影", "limit": 20})
        scifi = await ok(c, "movies_search_movies", {"query": "IMAX科幻片", "limit": 20})
        first = imax["films"][0]["id"]
        shows = await ok(c, "movies_find_showtimes", {"movie_id": first, "format": "IMAX"})
    for page, fmt in ((imax, "IMAX"), (three_d, "3D"), (scifi, "IMAX")):
        assert page["films"] and all(fmt in f["formats"] for f in page["films"]), page
        assert f"Read '{fmt}' as the format" in page["note"] and "movies_find_showtimes" in page["note"], page
    assert all("Sci-Fi / 科幻" in f["genres"] for f in scifi["films"]) and len(scifi["films"]) < len(imax["films"])
    assert shows["showtimes"], shows


async def test_coming_soon_countries_and_more_names_as_people_say_them(movies_readonly: MoviesEnv) -> None:
    """'即将上映的电影' and 'upcoming sci-fi' found nothing (no film has the words): they ask for films not out yet,
    soonest first. '国产电影', '港片', '韩国电影' found nothing (countries are in English), '英文原声' nothing, and
    '适合全家看的' nothing (全家: the whole family)."""

    async def films(c: Client, query: str, showing: str = "now_showing") -> dict[str, Any]:
        return await ok(c, "movies_search_movies", {"query": query, "showing": showing, "limit": 20})

    async with Client(movies_readonly.server) as c:
        soon = await films(c, "即将上映的电影")
        scifi = await films(c, "upcoming sci-fi")
        domestic = await films(c, "国产电影", "all")
        hong_kong = await films(c, "港片", "all")
        korean = await films(c, "韩国电影", "all")
        english = await films(c, "英文原声")
        family = await films(c, "适合全家看的")
        details = [await ok(c, "movies_get_movie", {"movie_id": f["id"]}) for f in domestic["films"][:5]]
    opens = [f["opens_on"] for f in soon["films"]]
    assert soon["films"] and all(f["status"] == "coming_soon" for f in soon["films"]) and opens == sorted(opens)
    assert "Read '即将上映' as films not out yet" in soon["note"], soon
    assert scifi["films"] and all(
        f["status"] == "coming_soon" and "Sci-Fi / 科幻" in f["genres"] for f in scifi["films"]
    ), scifi
    assert domestic["films"] and all("China" in d["country"] for d in details), details
    assert hong_kong["films"] and korean["films"]
    assert english["films"] and all(f["language"] == "English / 英语" for f in english["films"]), english
    assert family["films"] and all("Family / 家庭" in f["genres"] for f in family["films"]), family


async def test_films_opening_on_a_day_said_are_those_whose_run_opens_then(movies_readonly: MoviesEnv) -> None:
    """'下周上映的' found nothing ('no film has 下周上映'), and '下周要上映的' took only '要上映的', listing
    every film not out yet. A day said with 上映 / 'opening' lists the films whose run opens then, soonest first
    (the sandbox's Wednesday 25 Nov: next week is Mon 30 Nov–Sun 6 Dec)."""
    async with Client(movies_readonly.server) as c:
        asked = ("下周上映的", "下周要上映的电影", "opening next week", "这周五上映的", "本周上映的科幻片")
        said = {q: await ok(c, "movies_search_movies", {"query": q, "limit": 20}) for q in asked}
        every = await every_page(c, "movies_search_movies", "films", {"query": "", "showing": "all"}, 20)
        weekend = await ok(c, "movies_search_movies", {"query": "movies opening this weekend"})
    next_week = sorted(f["opens_on"] for f in every if "2026-11-30" <= f["opens_on"] <= "2026-12-06")
    assert next_week and next_week[0] > "2026-11-30"  # films opening next week, not every film not out yet
    for q in ("下周上映的", "下周要上映的电影", "opening next week"):
        assert [f["opens_on"] for f in said[q]["films"]] == next_week, (q, said[q]["note"])
        assert "as films whose run opens Mon 30 Nov–Sun 6 Dec, soonest first" in said[q]["note"], said[q]["note"]
    friday = said["这周五上映的"]["films"]
    assert friday and {f["opens_on"] for f in friday} == {"2026-11-27"}
    scifi = said["本周上映的科幻片"]["films"]
    assert scifi and all("Sci-Fi / 科幻" in f["genres"] for f in scifi)
    assert weekend["films"] == [] and "none does here" in weekend["note"], weekend["note"]


async def test_showing_said_after_a_part_of_a_day_is_when_to_go(movies_readonly: MoviesEnv) -> None:
    """'今晚上映的电影' (films on tonight) was the one film whose run opens today, and '周六晚上上映的喜剧' no film
    ('no film has 周六晚上上映'): a run opens on a day, never in an evening, so 上映 after a part of a day is what
    shows then, as '今晚的电影' is."""
    async with Client(movies_readonly.server) as c:
        said = {
            q: await ok(c, "movies_search_movies", {"query": q, "limit": 20})
            for q in ("今晚上映的电影", "今晚的电影", "周六晚上上映的喜剧", "周六晚上的喜剧", "今天上映的电影")
        }
    for q, like in (("今晚上映的电影", "今晚的电影"), ("周六晚上上映的喜剧", "周六晚上的喜剧")):
        assert said[q]["films"] and said[q]["films"] == said[like]["films"], (q, said[q]["note"])
        assert " as when to go" in said[q]["note"], said[q]["note"]
    assert len(said["今晚上映的电影"]["films"]) > len(said["今天上映的电影"]["films"])
    assert "whose run opens Wed 25 Nov" in said["今天上映的电影"]["note"]  # a day alone: the opening day


async def test_a_day_beside_words_no_film_has_points_at_its_showtimes_as_said(movies_readonly: MoviesEnv) -> None:
    """A film search of a day and words no film has ('今晚 zzqx') pointed at movies_find_showtimes(format='IMAX',
    date='tonight'), an example the user never said: the call it names carries the day said."""
    async with Client(movies_readonly.server) as c:
        tonight = await ok(c, "movies_search_movies", {"query": "今晚 zzqx"})
    assert tonight["films"] == [] and "movies_find_showtimes(date='今晚', …)" in tonight["note"], tonight["note"]
    assert "IMAX" not in tonight["note"]


# not 'tomorrow' alone: a title word (Edge of Tomorrow)
@pytest.mark.parametrize(
    ("query", "said", "genre"),
    [
        ("今晚", "今晚", ""),
        ("huomenna", "huomenna", ""),
        ("周末看什么电影", "周末", ""),
        ("movies this weekend", "this weekend", ""),
        ("周六的科幻片", "周六", "Sci-Fi / 科幻"),
        ("找一部周末适合情侣看的电影", "周末", "Romance / 爱情"),
    ],
)
async def test_a_day_in_a_film_search_lists_the_films_screened_then(
    movies_readonly: MoviesEnv, query: str, said: str, genre: str
) -> None:
    """'周末看什么电影' (what to see at the weekend) and 'movies this weekend' found nothing ('no film has 周末'), and
    '今晚' was an empty page pointing at the showtimes: the day is when to go, so the films (of the genre asked,
    '情侣' a couple's: romance) screened then are listed and the note gives the showtime search for that day. A film
    whose run pauses over those days is not listed."""
    async with Client(movies_readonly.server) as c:
        page = await ok(c, "movies_search_movies", {"query": query, "limit": 20})
        films = page["films"]
        runs = [await ok(c, "movies_find_showtimes", {"movie_id": f["id"], "date": said, "limit": 1}) for f in films]
        showing = await ok(c, "movies_search_movies", {"genre": genre.split(" / ")[0].lower().replace("-", "_")})
    assert films and f"Read '{said}' as when to go" in page["note"], page
    assert f"movies_find_showtimes(date='{said}')" in page["note"]
    unscreened = [f["title"] for f, run in zip(films, runs, strict=True) if not run["showtimes"]]
    assert unscreened == []
    assert all(genre in f["genres"] for f in films) if genre else len(films) > 1
    if genre == "Romance / 爱情":  # one of the two romances now showing pauses its run over the weekend
        assert len(films) < showing["page"]["total"]


async def test_films_of_another_status_are_offered_for_their_words_not_for_a_near_spelling(
    movies_readonly: MoviesEnv,
) -> None:
    """'Batman' offered Hanna and Up in the Air (Eric Bana, Jason Bateman: near spellings in the cast) as films that
    'match' beside Batman Begins, and 'dune' offered Gladiator; an agent passed them on. 'Spiderman' found only Man of
    Steel now showing (a near spelling of Superman) and said nothing of the Spider-Man films: a near spelling here does
    not hide films of another status named by the query's words. The Dark Knight is found by 'Batman' (an alias)."""
    async with Client(movies_readonly.server) as c:
        batman = await ok(c, "movies_search_movies", {"query": "Batman"})
        every = await ok(c, "movies_search_movies", {"query": "Batman", "showing": "all"})
        spider = await ok(c, "movies_search_movies", {"query": "Spiderman"})
        dune = await ok(c, "movies_search_movies", {"query": "dune"})
    assert [f["title"].split(" / ")[0] for f in batman["films"]] == ["The Dark Knight"], batman
    titles = {f["title"].split(" / ")[0] for f in every["films"]}
    assert {"Batman Begins", "The Dark Knight", "The Dark Knight Rises"} <= titles and "Hanna" not in titles
    assert "Up in the Air" not in titles and "Gladiator" not in dune["note"], dune["note"]
    assert "no film has 'dune'" in dune["note"], dune["note"]
    assert all("Spider" not in f["title"] for f in spider["films"])  # none now showing: the check is not vacuous
    assert "Spider-Man 2" in spider["note"] and "only resemble 'Spiderman'" in spider["note"], spider["note"]


async def test_asking_for_a_film_without_naming_one_lists_what_is_showing(movies_readonly: MoviesEnv) -> None:
    """'最近有什么好看的电影' ('any good films on lately?'), '推荐一部电影' and 'a good new movie' name no title,
    person, genre or language: each was an empty page saying no film has those words. They list the films showing,
    as an empty query does, and say how they were read; pages go on by cursor."""
    async with Client(movies_readonly.server) as c:
        showing = await every_page(c, "movies_search_movies", "films", {}, 5)
        asked = {
            q: await every_page(c, "movies_search_movies", "films", {"query": q}, 5)
            for q in ("最近有什么好看的电影", "推荐一部电影", "a good new movie", "what movies are showing")
        }
        note = (await ok(c, "movies_search_movies", {"query": "最近有什么好看的电影"}))["note"]
        named = await ok(c, "movies_search_movies", {"query": "a good new comedy movie"})
    assert len(showing) > 5 and all(hits == showing for hits in asked.values()), {q: len(h) for q, h in asked.items()}
    assert note.startswith("Read as a film now showing") and "no film has" not in note, note
    assert named["films"] and all("Comedy / 喜剧" in f["genres"] for f in named["films"]), named


async def test_best_rated_said_in_the_query_orders_by_the_tomatometer(movies_readonly: MoviesEnv) -> None:
    """'评分高的电影' ('well rated films') and 'top rated sci-fi' found nothing: 'rated' and 评分高 are in no film. They
    order the matches by Tomatometer, best first, and say so."""
    async with Client(movies_readonly.server) as c:
        rated = await every_page(c, "movies_search_movies", "films", {"query": "评分高的电影"}, 10)
        showing = await every_page(c, "movies_search_movies", "films", {}, 10)
        scifi = await every_page(c, "movies_search_movies", "films", {"query": "top rated sci-fi"}, 10)
        plain = await every_page(c, "movies_search_movies", "films", {"query": "sci-fi"}, 10)
        note = (await ok(c, "movies_search_movies", {"query": "top rated sci-fi"}))["note"]
        # the words food reads as 'best rated' (shared.phrases.TOP_RATED)
        acclaimed = await every_page(c, "movies_search_movies", "films", {"query": "好评如潮的电影"}, 10)
    scores = [f["tomatometer"] for f in rated]
    assert acclaimed == rated
    assert sorted(f["id"] for f in rated) == sorted(f["id"] for f in showing) and scores == sorted(scores, reverse=True)
    assert sorted(f["id"] for f in scifi) == sorted(f["id"] for f in plain) and len(scifi) > 2
    assert [f["tomatometer"] for f in scifi] == sorted((f["tomatometer"] for f in scifi), reverse=True)
    assert note == "Read as best rated: the highest Tomatometer first.", note


async def test_a_request_said_as_people_say_it_finds_the_kind_of_film(movies_readonly: MoviesEnv) -> None:
    """Every word of a query must match, so 'something funny for kids' and '最新的科幻片' were empty pages with an
    empty note. Words that only ask ('something', 'for', '最新的') are left out, moods name their genre ('funny' is
    comedy, 'kids' family), and a page that is still empty says which words no film has, or that no one film has them
    all."""
    async with Client(movies_readonly.server) as c:
        kids = await ok(c, "movies_search_movies", {"query": "something funny for kids", "showing": "all", "limit": 20})
        scifi = await ok(c, "movies_search_movies", {"query": "最新的科幻片"})
        scary = await ok(c, "movies_search_movies", {"query": "a scary movie", "showing": "all"})
        apart = await ok(c, "movies_search_movies", {"query": "Frozen horror", "showing": "all"})
        unknown = await ok(c, "movies_search_movies", {"query": "funny zorblax"})
        # one run of Chinese, no spaces: cut at what the films' texts hold (小孩 kids, 动画 animation)
        cartoon = await ok(c, "movies_search_movies", {"query": "有没有适合小孩看的动画片", "showing": "all"})
        # a name no film has is not dropped: '宫崎骏的动画' listed the (other) cartoons
        miyazaki = await ok(c, "movies_search_movies", {"query": "宫崎骏的动画", "showing": "all"})
    kinds = [set(f["genres"]) for f in kids["films"]]
    assert kinds and all({"Comedy / 喜剧", "Family / 家庭"} <= k for k in kinds), kids
    assert "WALL-E / 机器人总动员" in [f["title"] for f in kids["films"]]
    assert scifi["films"] and all("Sci-Fi / 科幻" in f["genres"] for f in scifi["films"]), scifi
    assert scary["films"] and all("Horror / 恐怖" in f["genres"] for f in scary["films"]), scary
    assert apart["films"] == [] and "no one film has them all" in apart["note"], apart
    assert unknown["films"] == [] and "no film has 'zorblax'" in unknown["note"], unknown
    kinds = [set(f["genres"]) for f in cartoon["films"]]
    assert kinds and all({"Family / 家庭", "Animation / 动画"} <= k for k in kinds), cartoon
    assert miyazaki["films"] == [] and "no film has '宫崎骏'" in miyazaki["note"], miyazaki


async def test_people_and_franchises_by_their_chinese_names(movies_readonly: MoviesEnv) -> None:
    """'诺兰的电影' and '漫威' found nothing: the source names people (and our aliases) in English only. Their Chinese
    names (films.json's vocab.names_zh) find the same films, the surname alone and the full '·' name alike."""

    async def titles(c: Client, query: str) -> set[str]:
        films = await every_page(c, "movies_search_movies", "films", {"query": query, "showing": "all"}, 20)
        return {f["title"] for f in films}

    async with Client(movies_readonly.server) as c:
        nolan = {q: await titles(c, q) for q in ("christopher nolan", "诺兰", "诺兰的电影", "克里斯托弗·诺兰")}
        marvel, mcu = await titles(c, "marvel"), await titles(c, "漫威")
        chan, cheng_long = await titles(c, "jackie chan"), await titles(c, "成龙")
        interstellar = await ok(c, "movies_get_movie", {"movie_id": "mov_q13417189"})
    chinese = nolan.pop("诺兰")
    assert len(chinese) >= 3 and chinese == nolan["诺兰的电影"] == nolan["克里斯托弗·诺兰"], nolan
    assert chinese <= nolan["christopher nolan"]  # which also has Argo: a Christopher and a Nolan in its cast
    assert len(mcu) >= 5 and mcu <= marvel  # in English also Elizabeth Marvel's films (True Grit)
    assert cheng_long and cheng_long <= chan
    assert interstellar["director"] == "Christopher Nolan / 克里斯托弗·诺兰"  # shown beside the name, as titles are
    assert "Matt Damon / 马特·达蒙" in interstellar["cast"] and "Casey Affleck" in interstellar["cast"]


async def test_children_have_films_on_the_family_screen_in_the_day(movies_readonly: MoviesEnv) -> None:
    """The programme had no film for children: '动画片' and 'kids movie' named only films not in cinemas. Kinopalatsi's
    family screen (Sali 6 / 亲子厅) runs the family programme (animated films for all ages) from the morning to the
    early evening; those films play nowhere else, and the other screens keep the programme they had."""
    async with Client(movies_readonly.server) as c:
        cartoons = await ok(c, "movies_search_movies", {"query": "动画片", "limit": 10})
        kids = await ok(c, "movies_search_movies", {"query": "kids movie", "limit": 10})
        soon = await ok(c, "movies_search_movies", {"query": "animated", "showing": "coming_soon", "limit": 10})
        shows = {
            f["id"]: await every_page(c, "movies_find_showtimes", "showtimes", {"movie_id": f["id"]}, 10)
            for f in cartoons["films"]
        }
    assert cartoons["films"] and {f["id"] for f in cartoons["films"]} <= {f["id"] for f in kids["films"]}, cartoons
    assert all(f["status"] == "now_showing" and f["age_rating"] in ("G", "PG") for f in cartoons["films"])
    assert "Finding Nemo / 海底总动员" in [f["title"] for f in soon["films"]], soon
    for film, showtimes in shows.items():
        assert showtimes, film
        assert {s["auditorium"] for s in showtimes} == {"Sali 6 / 6号厅 亲子厅"}, film
        assert all("10:00" <= s["starts_at"][11:16] <= "18:30" for s in showtimes), film


@pytest.mark.parametrize(
    ("query", "spoken"),
    [("有中文字幕的电影", "Mandarin / 普通话"), ("films with English subtitles", "English / 英语")],
)
async def test_subtitles_asked_for_are_read_as_the_language_and_told_as_they_are(
    movies_readonly: MoviesEnv, query: str, spoken: str
) -> None:
    """'有中文字幕的电影' and 'films with English subtitles' found nothing (no film has 'subtitles' in its title or
    people). Every screening here is subtitled in Finnish and Swedish only: the note says so, and the films spoken in
    the language named are listed, as they are without the word."""
    async with Client(movies_readonly.server) as c:
        asked = await ok(c, "movies_search_movies", {"query": query, "limit": 20})
        plain = await ok(c, "movies_search_movies", {"query": query.replace("字幕", "").replace(" subtitles", ""),
                                                     "limit": 20})  # fmt: skip
    assert asked["films"] and all(f["language"] == spoken for f in asked["films"]), asked["films"]
    assert [f["id"] for f in asked["films"]] == [f["id"] for f in plain["films"]]
    assert "subtitled in Finnish and Swedish (fi/sv) only" in asked["note"], asked["note"]


@pytest.mark.parametrize(
    ("query", "plain"),
    [("国语配音", "国语"), ("Mandarin dubbed movies", "Mandarin movies"), ("有配音版的动画片吗", "动画片"),
     ("dubbed version of Toy Story", "Toy Story")],
)  # fmt: skip
async def test_a_dub_asked_for_is_told_there_is_none_and_the_rest_searched(
    movies_readonly: MoviesEnv, query: str, plain: str
) -> None:
    """'国语配音' (Mandarin dub) found no film ('no film has 国语配音'), '有配音版的动画片吗' none either (nor
    '有动画片吗': its question mark 吗 was a word to match), 'dubbed version of Toy Story' none ('of' a word no Toy
    Story has). No screening here is dubbed: the note says so, and the films the rest names are listed, as they are
    without it."""
    async with Client(movies_readonly.server) as c:
        asked = await ok(c, "movies_search_movies", {"query": query, "limit": 20})
        bare = await ok(c, "movies_search_movies", {"query": plain, "limit": 20})
    assert asked["films"] and [f["id"] for f in asked["films"]] == [f["id"] for f in bare["films"]], asked["note"]
    assert "no screening here is dubbed" in asked["note"], asked["note"]


async def test_oscar_winners_asked_for_are_the_films_that_won_one(movies_readonly: MoviesEnv) -> None:
    """'奥斯卡获奖影片' (Oscar-winning films) and 'oscar winning movies' found no film (no title holds the word), and
    'Oscar winning comedies' none either ('comedies' was no genre: it is 'comedy'). The catalog counts each film's
    Academy Awards: the winners are listed, the most awards first, and the note says so."""
    films = movies_readonly.service.catalog.films
    async with Client(movies_readonly.server) as c:
        said = {q: await every_page(c, "movies_search_movies", "films", {"query": q}, 10)
                for q in ("奥斯卡获奖影片", "oscar winning movies")}  # fmt: skip
        note = (await ok(c, "movies_search_movies", {"query": "奥斯卡获奖影片"}))["note"]
        comedies = await every_page(c, "movies_search_movies", "films", {"query": "comedies", "showing": "all"}, 10)
        comedy = await every_page(c, "movies_search_movies", "films", {"query": "comedy", "showing": "all"}, 10)
        won = await every_page(c, "movies_search_movies", "films",
                               {"query": "Oscar winning comedies", "showing": "all"}, 10)  # fmt: skip
    showing = said["oscar winning movies"]
    assert showing and [f["id"] for f in said["奥斯卡获奖影片"]] == [f["id"] for f in showing]
    awards = [films[f["id"]].oscars for f in showing]
    assert all(awards) and awards == sorted(awards, reverse=True), awards
    assert "as films that won an Oscar: the most Academy Awards first" in note and "names no title" not in note, note
    assert comedies and [f["id"] for f in comedies] == [f["id"] for f in comedy]
    assert won and {f["id"] for f in won} == {f["id"] for f in comedy if films[f["id"]].oscars}


async def test_a_least_score_said_bounds_the_films(movies_readonly: MoviesEnv) -> None:
    """'评分8分以上的电影' (films scored 8 and up) was read as a running time of at least 8 minutes and found no film;
    '烂番茄90%以上的' and 'movies rated above 90%' found none ('no film has 90%'). A percentage is the Tomatometer, a
    number to 10 the critics' average: the films that reach it, of the rest of the query."""
    films = movies_readonly.service.catalog.films
    async with Client(movies_readonly.server) as c:
        showing = await every_page(c, "movies_search_movies", "films", {}, 10)
        ten = await every_page(c, "movies_search_movies", "films", {"query": "评分8分以上的电影"}, 10)
        pct = {q: await every_page(c, "movies_search_movies", "films", {"query": q}, 10)
               for q in ("烂番茄90%以上的", "movies rated above 90%")}  # fmt: skip
        note = (await ok(c, "movies_search_movies", {"query": "评分8分以上的电影"}))["note"]
    assert {f["id"] for f in ten} == {f["id"] for f in showing if films[f["id"]].critic_rating >= 8}
    assert 0 < len(ten) < len(showing) and "critics' average of at least 8/10" in note, note
    for q, found in pct.items():
        assert found and {f["id"] for f in found} == {
            f["id"] for f in showing if (films[f["id"]].tomatometer or 0) >= 90
        }, q


async def test_films_out_lately_are_listed_the_latest_to_open_first(movies_readonly: MoviesEnv) -> None:
    """'最近上映的动作片' (action films out lately) found no film ('no film has 上映'), and 'new releases' listed the
    most reviewed first: the films now showing are listed with the latest to open here first, and say so."""
    async with Client(movies_readonly.server) as c:
        action = await ok(c, "movies_search_movies", {"query": "最近上映的动作片", "limit": 20})
        every_action = await ok(c, "movies_search_movies", {"query": "动作片", "limit": 20})
        new = {q: await every_page(c, "movies_search_movies", "films", {"query": q}, 10)
               for q in ("new releases", "有什么新片", "latest movies")}  # fmt: skip
        notes = {q: (await ok(c, "movies_search_movies", {"query": q}))["note"] for q in new}
        showing = await every_page(c, "movies_search_movies", "films", {"query": ""}, 10)
    assert action["films"] and {f["id"] for f in action["films"]} == {f["id"] for f in every_action["films"]}
    opened = [f["opens_on"] for f in action["films"]]
    assert opened == sorted(opened, reverse=True) and "Read '最近上映' as films out lately" in action["note"]
    for q, films in new.items():
        assert {f["id"] for f in films} == {f["id"] for f in showing}, q
        assert [f["opens_on"] for f in films] == sorted((f["opens_on"] for f in films), reverse=True), q
        assert "as films out lately" in notes[q] and "most reviewed" not in notes[q], (q, notes[q])


async def test_a_running_time_said_bounds_the_films(movies_readonly: MoviesEnv) -> None:
    """'两个小时以内的电影' (films of two hours or less) found no film ('no film has 小时') and 'movies under 2 hours'
    none either: a running time said is the longest (or shortest) film wanted, and a page it empties names the
    nearest."""
    async with Client(movies_readonly.server) as c:
        said = {
            q: await every_page(c, "movies_search_movies", "films", {"query": q}, 10)
            for q in ("两个小时以内的电影", "movies under 2 hours", "超过两个半小时的电影",
                      "films longer than 150 minutes")
        }
        showing = await every_page(c, "movies_search_movies", "films", {"query": ""}, 10)
        short_scifi = await ok(c, "movies_search_movies", {"query": "科幻片 90分钟以内"})
    short = {f["id"] for f in showing if f["runtime_min"] <= 120}
    long = {f["id"] for f in showing if f["runtime_min"] >= 150}
    ids = {q: {f["id"] for f in films} for q, films in said.items()}
    assert short and ids["两个小时以内的电影"] == ids["movies under 2 hours"] == short
    assert long and {f["id"] for f in said["超过两个半小时的电影"]} == long
    assert {f["id"] for f in said["films longer than 150 minutes"]} == long
    assert short_scifi["films"] == [] and "as the running time: films of at most 90 minutes" in short_scifi["note"]
    assert "None of the" in short_scifi["note"] and "the nearest, " in short_scifi["note"], short_scifi["note"]


async def test_wuxia_and_kung_fu_are_the_action_films_spoken_in_chinese(movies_readonly: MoviesEnv) -> None:
    """'武侠片' (wuxia films) found nothing while Hero and Crouching Tiger, Hidden Dragon play: no genre of the
    catalog's is called so; the action films spoken in Chinese are, beside films named for it ('Kung Fu Hustle')."""
    async with Client(movies_readonly.server) as c:
        said = {
            q: await ok(c, "movies_search_movies", {"query": q, "showing": "all", "limit": 20})
            for q in ("武侠片", "kung fu movies", "martial arts")
        }
    titles = [f["title"] for f in said["武侠片"]["films"]]
    assert {"Hero / 英雄", "Crouching Tiger, Hidden Dragon / 卧虎藏龙"} <= set(titles), titles
    assert said["kung fu movies"]["films"] == said["武侠片"]["films"] == said["martial arts"]["films"]
