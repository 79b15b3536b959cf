"""Finding showtimes as people ask for them: by time of day ("around 19:00", "after 18:00 today"), in start-time
order when asked, and without a made-up distance when no place was given."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from mcp import Client

from shared.clock import local
from shared.geo import CITY_TZ
from tests.servers.food.helpers import every_page
from tests.servers.movies.conftest import MoviesEnv
from tests.servers.movies.helpers import err, ok


def local_time(stamp: str) -> time:
    return datetime.fromisoformat(stamp).astimezone(CITY_TZ).time()


async def test_showtimes_around_a_time_come_from_that_window_only(movies_readonly: MoviesEnv) -> None:
    env = movies_readonly
    before = env.snapshot()
    async with Client(env.server) as c:
        around = await ok(c, "movies_find_showtimes", {"date": "tomorrow", "time_from": "18:00", "time_to": "20:00"})
        after = await ok(c, "movies_find_showtimes", {"date": "today", "time_from": "18:00", "limit": 10})
        rest = await ok(c, "movies_find_showtimes", {"date": "today", "time_from": "18:00", "limit": 10,
                                                     "cursor": after["page"]["next_cursor"]})  # fmt: skip
        loose = await ok(c, "movies_find_showtimes", {"date": "tomorrow", "time_from": "9.30", "time_to": "11:00"})
    svc = env.service
    tomorrow = [s.starts_at.astimezone(CITY_TZ) for s in svc.catalog.ordered if s.starts_at > svc.now()]
    expected = [t for t in tomorrow if t.date().isoformat() == "2026-11-26" and time(18) <= t.time() <= time(20)]
    assert around["page"]["total"] == len(expected) > 5, "the window is counted from the programme"
    assert len(around["showtimes"]) == 5 and around["page"]["next_cursor"], "pages stay small"
    assert all(time(18) <= local_time(s["starts_at"]) <= time(20) for s in around["showtimes"])
    shows = after["showtimes"] + rest["showtimes"]
    assert shows and all(local_time(s["starts_at"]) >= time(18) for s in shows)
    assert all(s["starts_at"].startswith("2026-11-25") for s in shows)
    assert all(time(9, 30) <= local_time(s["starts_at"]) <= time(11) for s in loose["showtimes"])
    assert env.snapshot() == before


@pytest.mark.parametrize("said", ["tonight", "今晚", "tänä iltana", "this evening"])
async def test_tonight_is_todays_evening_not_all_of_today(movies_readonly: MoviesEnv, said: str) -> None:
    async with Client(movies_readonly.server) as c:  # the clock stands at Wednesday noon
        tonight = await ok(c, "movies_find_showtimes", {"date": said, "sort": "start_time", "limit": 10})
        evening = await ok(c, "movies_find_showtimes", {"date": "today", "time_from": "17:00", "limit": 10,
                                                        "sort": "start_time"})  # fmt: skip
        later = await ok(c, "movies_find_showtimes", {"date": said, "time_from": "20:00", "limit": 10})
    assert tonight["showtimes"] and tonight["showtimes"] == evening["showtimes"]
    assert tonight["page"]["total"] == evening["page"]["total"]
    assert all(s["starts_at"].startswith("2026-11-25") for s in tonight["showtimes"])
    assert local_time(tonight["showtimes"][0]["starts_at"]) >= time(17), "no afternoon matinee 'tonight'"
    assert later["showtimes"] and all(local_time(s["starts_at"]) >= time(20) for s in later["showtimes"])


async def test_tonight_in_the_evening_leaves_out_what_has_started(movies: MoviesEnv) -> None:
    movies.clock.set(datetime(2026, 11, 25, 19, 0, tzinfo=CITY_TZ))
    async with Client(movies.server) as c:
        tonight = await ok(c, "movies_find_showtimes", {"date": "tonight", "sort": "start_time", "limit": 10})
    starts = [datetime.fromisoformat(s["starts_at"]) for s in tonight["showtimes"]]
    assert starts and all(datetime(2026, 11, 25, 19, 0, tzinfo=CITY_TZ) < t for t in starts)
    assert all(t.date().isoformat() == "2026-11-25" for t in starts)


async def test_sort_by_start_time_overrides_nearest_first(movies_readonly: MoviesEnv) -> None:
    async with Client(movies_readonly.server) as c:
        args = {"date": "tomorrow", "address": "Sofiankatu 4", "time_from": "17:00", "limit": 10}
        nearest = await ok(c, "movies_find_showtimes", args)
        by_time = await ok(c, "movies_find_showtimes", args | {"sort": "start_time"})
    starts = [s["starts_at"] for s in by_time["showtimes"]]
    assert starts == sorted(starts) and by_time["page"]["total"] == nearest["page"]["total"]
    distances = [s["distance_m"] for s in nearest["showtimes"]]
    assert distances == sorted(distances) and [s["starts_at"] for s in nearest["showtimes"]] != starts
    assert nearest["showtimes"][0]["cinema_name"].startswith("Kino Engel")


async def test_showtimes_from_a_place_page_by_day_then_distance_then_start(movies_readonly: MoviesEnv) -> None:
    """Every page of a search from a place over every day ahead, walked by cursor: each showtime once, by local day,
    then its cinema's distance, then start time (the order is one integer key per showtime, a grown city has tens of
    thousands; a key that lost the day or the distance would mix them)."""
    args = {"address": "Sofiankatu 4", "date": "", "time_from": "18:00", "time_to": "21:00"}
    async with Client(movies_readonly.server) as c:
        shown = await every_page(c, "movies_find_showtimes", "showtimes", args, 10)
        first = await ok(c, "movies_find_showtimes", args | {"limit": 10})
    assert len({s["id"] for s in shown}) == len(shown) == first["page"]["total"]
    by_day = [(s["starts_at"][:10], s["distance_m"]) for s in shown]
    assert by_day == sorted(by_day) and len({d for d, _ in by_day}) > 2 and len({m for _, m in by_day}) > 2
    runs: dict[tuple[str, str], list[str]] = {}
    for s in shown:
        runs.setdefault((s["starts_at"][:10], s["cinema_id"]), []).append(s["starts_at"])
    assert all(starts == sorted(starts) for starts in runs.values()) and any(len(v) > 1 for v in runs.values())


async def test_a_part_of_the_day_as_a_time_says_to_put_it_with_the_day(movies_readonly: MoviesEnv) -> None:
    """An agent splitting '周六上午' into date '周六' and time_from '上午' was told only to use HH:MM. The refusal says
    it is a part of the day and how to say it; the way it gives finds the Saturday morning showtimes."""
    async with Client(movies_readonly.server) as c:
        morning = await err(c, "movies_find_showtimes", {"date": "周六", "time_from": "上午"})
        evening = await err(c, "movies_find_showtimes", {"date": "tomorrow", "time_from": "evening"})
        said = await ok(c, "movies_find_showtimes", {"date": "周六上午", "limit": 10})
        morning_hours = {"date": "周六", "time_from": "06:00", "time_to": "11:59", "limit": 10}
        hours = await ok(c, "movies_find_showtimes", morning_hours)
    assert "'上午' is a part of the day" in morning and "date ('周六上午'" in morning, morning
    assert "'evening' is a part of the day" in evening, evening
    assert said["showtimes"] and said["showtimes"] == hours["showtimes"]


async def test_a_time_that_is_not_a_time_of_day_is_refused_with_the_format(movies_readonly: MoviesEnv) -> None:
    async with Client(movies_readonly.server) as c:
        words = await err(c, "movies_find_showtimes", {"time_from": "around seven"})
        hour = await err(c, "movies_find_showtimes", {"time_to": "25:00"})
        backwards = await err(c, "movies_find_showtimes", {"time_from": "21:00", "time_to": "19:00"})
        sort = await err(c, "movies_find_showtimes", {"sort": "price"})
        twelve = await ok(c, "movies_find_showtimes", {"time_from": "7pm", "limit": 10})  # as English writes it
        clock = await ok(c, "movies_find_showtimes", {"time_from": "19:00", "limit": 10})
        chinese = await ok(c, "movies_find_showtimes", {"time_from": "晚上7点", "limit": 10})  # as the user said it
    assert "time_from 'around seven' is not a time of day" in words and "HH:MM" in words and "18:30" in words
    assert twelve["showtimes"] and twelve["showtimes"] == clock["showtimes"]
    assert chinese["showtimes"] == clock["showtimes"]
    assert "time_to" in hour and "HH:MM" in hour
    assert "before time_from" in backwards
    assert "sort" in sort


async def test_no_place_means_no_distance_rather_than_zero(movies_readonly: MoviesEnv) -> None:
    async with Client(movies_readonly.server) as c:
        shows = await ok(c, "movies_find_showtimes", {"limit": 10})
        cinemas = await ok(c, "movies_search_cinemas", {"limit": 10})
        seat_map = await ok(c, "movies_get_seat_map", {"showtime_id": shows["showtimes"][0]["id"]})
        near = await ok(c, "movies_find_showtimes", {"address": "Kaivokatu 4", "limit": 10})
        near_cinemas = await ok(c, "movies_search_cinemas", {"lat": 60.1706, "lng": 24.9361})
    assert all("distance_m" not in s for s in shows["showtimes"])
    assert all("distance_m" not in x for x in cinemas["cinemas"]) and cinemas["origin"] == ""
    assert "distance_m" not in seat_map["showtime"]
    assert all(s["distance_m"] > 0 for s in near["showtimes"])
    assert all(isinstance(x["distance_m"], int) for x in near_cinemas["cinemas"])


@pytest.mark.parametrize(
    ("said", "day"),
    [
        ("Friday", "2026-11-27"),  # NOON is a Wednesday: the coming Friday
        ("fri", "2026-11-27"),
        ("perjantai", "2026-11-27"),
        ("周五", "2026-11-27"),
        ("星期五", "2026-11-27"),
        ("Wednesday", "2026-11-25"),  # today is the Wednesday meant
        ("tuesday", "2026-12-01"),
        ("星期天", "2026-11-29"),
        ("huomenna", "2026-11-26"),  # Finnish for tomorrow
        ("tänään", "2026-11-25"),
        ("this Friday", "2026-11-27"),
        ("这周五", "2026-11-27"),  # this calendar week's
        ("本周日", "2026-11-29"),
        ("下周一", "2026-11-30"),  # next calendar week's (下周五 was 'not a date')
        ("下周五", "2026-12-04"),
        ("下星期三", "2026-12-02"),
        # a calendar day as people write one ('12月1日' was 'not a date')
        ("12月1日", "2026-12-01"),
        ("12月1号", "2026-12-01"),
        ("Dec 1", "2026-12-01"),
        ("1st December", "2026-12-01"),
        ("1.12.", "2026-12-01"),
    ],
)
async def test_a_weekday_or_a_finnish_day_word_is_the_next_such_day(
    movies_readonly: MoviesEnv, said: str, day: str
) -> None:
    async with Client(movies_readonly.server) as c:
        asked = await ok(c, "movies_find_showtimes", {"date": said, "limit": 10})
        exact = await ok(c, "movies_find_showtimes", {"date": day, "limit": 10})
        vague = await err(c, "movies_find_showtimes", {"date": "next friday"})
    assert asked["showtimes"] and asked == exact
    assert "YYYY-MM-DD" in vague


async def test_next_friday_names_both_days_it_can_mean_and_this_weeks_past_day_has_passed(
    movies_readonly: MoviesEnv,
) -> None:
    async with Client(movies_readonly.server) as c:  # NOON is Wednesday 2026-11-25
        vague = await err(c, "movies_find_showtimes", {"date": "next Friday"})
        past = await err(c, "movies_find_showtimes", {"date": "这周一"})
    assert "can mean Friday 2026-11-27 (the coming one) or 2026-12-04 (the one of next week)" in vague, vague
    assert "Ask the user which" in vague
    assert "has passed" in past and "2026-11-25" in past, past


async def test_an_empty_day_or_time_names_the_showtimes_nearest_to_it(movies_readonly: MoviesEnv) -> None:
    """A film asked for at a time it does not show came back as an empty page and nothing more: the agent had no
    showtime to offer. Then 'Saturday from 18:00' of a film showing on Saturday afternoon offered today's showing,
    days before the day asked. The note names that day's other showtimes when a time left it empty, else the next
    showtime after the day asked."""
    async with Client(movies_readonly.server) as c:
        films = await ok(c, "movies_search_movies", {"query": "", "limit": 1})
        film = films["films"][0]["id"]
        late = await ok(c, "movies_find_showtimes", {"movie_id": film, "date": "today", "time_from": "23:59"})
        today = await ok(c, "movies_find_showtimes", {"movie_id": film, "date": "today", "sort": "start_time"})
        every = await every_page(c, "movies_find_showtimes", "showtimes", {"movie_id": film, "sort": "start_time"}, 10)
        plain = await ok(c, "movies_find_showtimes", {"movie_id": film, "limit": 1})
        days = sorted({s["starts_at"][:10] for s in every})
        span = [f"2026-11-{n}" for n in range(26, 31)] + [f"2026-12-{n:02d}" for n in range(1, 15)]
        gap = next(d for d in span if d not in days and d < days[-1])  # a day it does not show, and shows after
        empty_day = await ok(c, "movies_find_showtimes", {"movie_id": film, "date": gap})
        first_day = [s for s in every if s["starts_at"][:10] == days[1]]
        after_it = await ok(c, "movies_find_showtimes", {"movie_id": film, "date": days[1],
                                                         "time_from": "23:59"})  # fmt: skip
    assert late["showtimes"] == [] and today["showtimes"], late
    assert "No " in late["note"] and "at that time on Wed 25 Nov. At other times then:" in late["note"], late["note"]
    assert all(s["id"] in late["note"] for s in today["showtimes"][:3])
    after = next(s for s in every if s["starts_at"][:10] > gap)
    assert empty_day["showtimes"] == [] and "The next after it: " in empty_day["note"], empty_day["note"]
    assert after["id"] in empty_day["note"] and every[0]["id"] not in empty_day["note"]
    assert first_day[0]["id"] in after_it["note"], after_it["note"]
    assert plain["note"] == ""


async def test_an_empty_format_or_language_names_what_the_film_shows_in_instead(movies_readonly: MoviesEnv) -> None:
    """Inception (2D and 3D only) asked for in IMAX was an empty page with no note at all, and with a day 'nor on any
    later day published', though it showed every day: the note names the formats (languages) it shows in, with the
    first such showtime; with a day, also the next showtime in the format asked, where there is one."""
    inception, interstellar = "mov_q25188", "mov_q13417189"
    async with Client(movies_readonly.server) as c:
        imax = await ok(c, "movies_find_showtimes", {"movie_id": inception, "format": "IMAX"})
        chinese = await ok(c, "movies_find_showtimes", {"movie_id": inception, "language": "Chinese"})
        shown_in = await every_page(c, "movies_find_showtimes", "showtimes", {"movie_id": inception}, 10)
        tomorrow = await ok(c, "movies_find_showtimes", {"movie_id": interstellar, "date": "tomorrow"})
        in_imax = await ok(c, "movies_find_showtimes", {"movie_id": interstellar, "date": "tomorrow", "format": "IMAX"})
        later = await ok(c, "movies_find_showtimes", {"movie_id": interstellar, "format": "IMAX", "limit": 1})
    formats = ", ".join(sorted({s["format"] for s in shown_in}))
    assert imax["showtimes"] == [] and imax["note"].startswith(f"No Inception / 盗梦空间 in IMAX; {len(shown_in)} "
                                                               f"showtimes in {formats}. The first:"), imax["note"]
    assert shown_in[0]["id"] in imax["note"] and "English" in chinese["note"], chinese["note"]
    assert tomorrow["showtimes"] and all(s["format"] != "IMAX" for s in tomorrow["showtimes"])
    assert in_imax["showtimes"] == [] and "in IMAX then;" in in_imax["note"], in_imax["note"]
    assert tomorrow["showtimes"][0]["id"] in in_imax["note"] and later["showtimes"][0]["id"] in in_imax["note"]


async def test_a_film_that_comes_back_after_its_last_day_says_when(movies_readonly: MoviesEnv) -> None:
    """movies_get_movie gave last_day as today for a film with showtimes a week on (its next run): an agent told the
    user it was the last day. returns_on names the first day of the showtimes after last_day."""
    async with Client(movies_readonly.server) as c:
        films = (await ok(c, "movies_search_movies", {"query": "", "showing": "now_showing", "limit": 20}))["films"]
        back = 0
        for film in films:
            detail = await ok(c, "movies_get_movie", {"movie_id": film["id"]})
            days: set[str] = set()
            cursor = ""
            while True:
                page = await ok(c, "movies_find_showtimes", {"movie_id": film["id"], "limit": 10, "cursor": cursor})
                days |= {s["starts_at"][:10] for s in page["showtimes"]}
                if not (cursor := page["page"]["next_cursor"]):
                    break
            later = sorted(d for d in days if d > detail["last_day"])
            assert detail["returns_on"] == (later[0] if later else ""), (film["title"], detail["last_day"], later)
            back += bool(later)
    assert back, "no film in the fixtures has a later run: the test shows nothing"


async def test_an_evening_or_a_weekend_is_read_as_tickets_reads_it(movies_readonly: MoviesEnv) -> None:
    """'tomorrow night', 'this weekend' and '周六晚上' were refused as 'not a date' (tickets' search read them). The
    date takes the same phrases now: a day's evening from 17:00, a weekend's two days."""
    today = local(movies_readonly.service.now()).date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    async with Client(movies_readonly.server) as c:
        got = {
            said: await every_page(c, "movies_find_showtimes", "showtimes", {"date": said, "sort": "start_time"}, 10)
            for said in ("tomorrow night", "this weekend", "周六晚上", "Saturday", "Sunday")
        }
    days = {said: {local(datetime.fromisoformat(s["starts_at"])).date() for s in shows} for said, shows in got.items()}
    assert days["tomorrow night"] == {today + timedelta(days=1)}
    assert all(local(datetime.fromisoformat(s["starts_at"])).hour >= 17 for s in got["tomorrow night"])
    assert days["this weekend"] == {saturday, saturday + timedelta(days=1)}
    assert len(got["this weekend"]) == len(got["Saturday"]) + len(got["Sunday"])
    evening = [s for s in got["Saturday"] if local(datetime.fromisoformat(s["starts_at"])).hour >= 17]
    assert got["周六晚上"] == evening


async def test_a_part_of_the_day_after_a_day_is_its_hours(movies_readonly: MoviesEnv) -> None:
    """'saturday afternoon' and '周六下午' were refused as 'not a date'. A day with a part of the day is that day's
    showtimes starting in it (afternoon 12:00–16:59); a time given apart still wins where it disagrees."""
    async with Client(movies_readonly.server) as c:
        got = {
            said: await every_page(c, "movies_find_showtimes", "showtimes", {"date": said, "sort": "start_time"}, 10)
            for said in ("saturday afternoon", "周六下午", "lauantaina iltapäivällä", "Saturday")
        }
        later = await ok(c, "movies_find_showtimes", {"date": "saturday afternoon", "time_from": "18:00"})
    afternoon = [s for s in got["Saturday"] if 12 <= local(datetime.fromisoformat(s["starts_at"])).hour < 17]
    assert afternoon and got["saturday afternoon"] == afternoon
    assert got["周六下午"] == got["lauantaina iltapäivällä"] == afternoon
    starts = [local(datetime.fromisoformat(s["starts_at"])) for s in later["showtimes"]]
    assert starts and all(s.hour >= 18 and s.weekday() == 5 for s in starts)


async def test_the_shows_of_a_part_of_the_day_as_a_box_office_names_them(movies_readonly: MoviesEnv) -> None:
    """'周六下午场' (Saturday's afternoon shows), '周六早场', '周六晚场' and 'saturday evening show' were refused
    as 'not a date': the shows of a part of the day are that part's showtimes, as '周六下午' is."""
    async with Client(movies_readonly.server) as c:
        got = {
            said: await every_page(c, "movies_find_showtimes", "showtimes", {"date": said, "sort": "start_time"}, 10)
            for said in ("周六下午场", "周六下午", "周六早场", "周六晚场", "saturday evening show", "Saturday")
        }
    hours = [(local(datetime.fromisoformat(s["starts_at"])).hour, s) for s in got["Saturday"]]
    assert got["周六下午场"] == got["周六下午"] == [s for h, s in hours if 12 <= h < 17] != []
    assert got["周六早场"] == [s for h, s in hours if h < 12] != []
    assert got["周六晚场"] == got["saturday evening show"] == [s for h, s in hours if h >= 17] != []


async def test_a_time_said_after_the_day_where_the_day_goes_is_read_as_the_window(movies_readonly: MoviesEnv) -> None:
    """'今晚8点以后' (tonight after 8), 'tonight after 8', '周六下午3点' and 'tomorrow before 3pm' passed as the date
    were refused as 'not a date': the day is the date, and the time the earliest start (the latest for 'before',
    a minute earlier), as time_from / time_to would give them; a bare hour below 10 is the afternoon's or evening's
    ('at 7'). Each part of the day carries onto a time said after a space ('周六中午 12点' was refused)."""
    async with Client(movies_readonly.server) as c:
        pairs = {
            "今晚8点以后": {"date": "tonight", "time_from": "20:00"},
            "tonight after 8": {"date": "tonight", "time_from": "20:00"},
            "周六下午3点": {"date": "周六", "time_from": "15:00"},
            "Saturday at 7": {"date": "Saturday", "time_from": "19:00"},
            "tomorrow before 3pm": {"date": "tomorrow", "time_to": "14:59"},  # a 15:00 show is not before 3
            "tomorrow by 3pm": {"date": "tomorrow", "time_to": "15:00"},
            "周六中午 12点": {"date": "周六", "time_from": "12:00"},  # a space between the part of the day and its time
            "周六傍晚 6点": {"date": "周六", "time_from": "18:00"},
            "明天凌晨 1点": {"date": "tomorrow", "time_from": "01:00"},
            # about a time is within an hour of it ('not a date'); 今晚 said with a span is the day too (the span
            # was read on every day)
            "今晚八点左右": {"date": "tonight", "time_from": "19:00", "time_to": "21:00"},
            "tonight around 8": {"date": "tonight", "time_from": "19:00", "time_to": "21:00"},
            "今晚7点到9点": {"date": "tonight", "time_from": "19:00", "time_to": "21:00"},
        }
        got = {
            said: (
                await every_page(c, "movies_find_showtimes", "showtimes", {"date": said, "sort": "start_time"}, 10),
                await every_page(c, "movies_find_showtimes", "showtimes", {**apart, "sort": "start_time"}, 10),
            )
            for said, apart in pairs.items()
        }
    for said, (together, apart) in got.items():
        assert together and together == apart, said


async def test_an_empty_window_offers_the_days_showtimes_nearest_it_first(movies_readonly: MoviesEnv) -> None:
    """'周六午夜场' with nothing late was offered Saturday's first matinees: the other showtimes of the day are
    offered nearest the window asked first (the latest ones for a window after the last show)."""
    async with Client(movies_readonly.server) as c:
        late = await ok(c, "movies_find_showtimes", {"date": "Saturday", "time_from": "23:45"})
        early = await ok(c, "movies_find_showtimes", {"date": "Saturday", "time_to": "08:00"})
        day = await every_page(c, "movies_find_showtimes", "showtimes", {"date": "Saturday", "sort": "start_time"}, 10)
    starts = sorted(local(datetime.fromisoformat(s["starts_at"])) for s in day)
    assert late["showtimes"] == [] and starts[-1] < starts[-1].replace(hour=23, minute=45)
    offered = late["note"].split("At other times then: ")[1]
    assert offered.startswith(f"{starts[-1]:%a %d %b %H:%M}"), (offered[:40], starts[-1])
    assert early["note"].split("At other times then: ")[1].startswith(f"{starts[0]:%a %d %b %H:%M}"), early["note"]



async def test_late_shows_start_after_ten_and_later_on_friday_and_saturday(movies_readonly: MoviesEnv) -> None:
    """'午夜场' / 'late show' found nothing: no screening started at 22:00 or later. As at Finnkino, the last shows
    start up to 22:30, on Friday and Saturday nights up to 23:30; family screens stop by the early evening."""
    async with Client(movies_readonly.server) as c:
        said = {
            day: await every_page(c, "movies_find_showtimes", "showtimes", {"date": f"{day}午夜场"}, 10)
            for day in ("周六", "周五", "周二")
        }
        late_show = await ok(c, "movies_find_showtimes", {"date": "Saturday late show"})
    for day, shows in said.items():
        starts = [local(datetime.fromisoformat(s["starts_at"])) for s in shows]
        assert starts and all(t.hour >= 22 for t in starts), day
        latest = max(starts)
        assert (latest.hour, latest.minute) <= ((23, 30) if day in ("周六", "周五") else (22, 30)), (day, latest)
        assert not any("亲子厅" in s["auditorium"] for s in shows), day
    weekend_latest = [max(local(datetime.fromisoformat(s["starts_at"])) for s in said[d]) for d in ("周六", "周五")]
    assert any((t.hour, t.minute) > (22, 30) for t in weekend_latest), weekend_latest
    assert late_show["showtimes"] and late_show["showtimes"][0]["id"] in {s["id"] for s in said["周六"]}


async def test_two_days_joined_are_the_showtimes_of_both(movies_readonly: MoviesEnv) -> None:
    """'周五到周日' (Friday to Sunday) where the day goes was 'not a date', and '周五到周日的科幻片' found no film
    ('no film has 周五到周日'): two days joined by 'to', 'or', '到', '至' are every showtime from the first to the
    last."""
    async with Client(movies_readonly.server) as c:
        joined = {
            said: await every_page(c, "movies_find_showtimes", "showtimes", {"date": said, "sort": "start_time"}, 10)
            for said in ("周五到周日", "from Friday to Sunday", "周五至周日")
        }
        apart = [
            s
            for day in ("Friday", "Saturday", "Sunday")
            for s in await every_page(c, "movies_find_showtimes", "showtimes", {"date": day, "sort": "start_time"}, 10)
        ]
        either = await every_page(
            c, "movies_find_showtimes", "showtimes", {"date": "周六或周日", "sort": "start_time"}, 10
        )
        films = await ok(c, "movies_search_movies", {"query": "周五到周日的科幻片"})
    for said, shows in joined.items():
        assert shows and [s["id"] for s in shows] == [s["id"] for s in apart], said
    assert [s["id"] for s in either] == [s["id"] for s in apart if not s["starts_at"].startswith("2026-11-27")]
    assert films["films"] and all(any("Sci-Fi" in g for g in f["genres"]) for f in films["films"]), films["note"]


async def test_a_date_time_where_the_day_goes_is_that_day_from_that_time(movies_readonly: MoviesEnv) -> None:
    """date='2026-11-27T19:00:00+02:00' (an ISO date-time, as models send one) was 'not a date': it is the day, and its
    time the start of the window."""
    async with Client(movies_readonly.server) as c:
        moment = await every_page(c, "movies_find_showtimes", "showtimes", {"date": "2026-11-27T19:00:00+02:00"}, 10)
        apart = await every_page(
            c, "movies_find_showtimes", "showtimes", {"date": "2026-11-27", "time_from": "19:00"}, 10
        )
        day = await every_page(c, "movies_find_showtimes", "showtimes", {"date": "2026-11-27"}, 10)
    assert moment and [s["id"] for s in moment] == [s["id"] for s in apart]
    assert len(day) > len(moment)


async def test_the_next_few_days_are_the_showtimes_of_each(movies_readonly: MoviesEnv) -> None:
    """date='未来三天' (the next three days) was 'not a date': it is today and the two days after it."""
    async with Client(movies_readonly.server) as c:
        said = {q: await every_page(c, "movies_find_showtimes", "showtimes", {"date": q, "sort": "start_time"}, 10)
                for q in ("未来三天", "next 3 days")}  # fmt: skip
        apart = [
            s
            for day in ("today", "tomorrow", "2026-11-27")
            for s in await every_page(c, "movies_find_showtimes", "showtimes", {"date": day, "sort": "start_time"}, 10)
        ]
    for q, shows in said.items():
        assert shows and [s["id"] for s in shows] == [s["id"] for s in apart], q


async def test_a_format_said_with_the_day_is_the_showtimes_format(movies_readonly: MoviesEnv) -> None:
    """date='明晚IMAX' (tomorrow night, IMAX) and 'IMAX tomorrow', as models pass the user's words, were 'not a date':
    the day is read from the date and the format is the showtimes'; one format in the date and another in format is
    refused, saying to pass it once."""
    async with Client(movies_readonly.server) as c:
        said = {q: await every_page(c, "movies_find_showtimes", "showtimes", {"date": q}, 10)
                for q in ("明晚IMAX", "IMAX tomorrow night")}  # fmt: skip
        apart = await every_page(c, "movies_find_showtimes", "showtimes", {"date": "明晚", "format": "IMAX"}, 10)
        every = await every_page(c, "movies_find_showtimes", "showtimes", {"date": "明晚"}, 10)
        both = await err(c, "movies_find_showtimes", {"date": "明晚3D", "format": "IMAX"})
    assert apart and len(every) > len(apart)
    for q, shows in said.items():
        assert [s["id"] for s in shows] == [s["id"] for s in apart], q
    assert "asks for 3D, and format for IMAX" in both, both


async def test_an_hour_in_chinese_numerals_is_that_hour(movies_readonly: MoviesEnv) -> None:
    """date='周六下午两点到五点' and '今晚九点之后' were 'not a date': an hour in Chinese numerals ('两点', '九点',
    '八点半', '十点一刻') is the hour its digits say."""
    async with Client(movies_readonly.server) as c:
        pairs = [
            ("周六下午两点到五点", "周六下午2点到5点"),
            ("今晚九点之后", "今晚9点之后"),
            ("明天晚上八点半以后", "明天晚上8点半以后"),
            ("周日上午十点一刻以后", "周日上午10点15分以后"),
        ]
        said = {q: await every_page(c, "movies_find_showtimes", "showtimes", {"date": q}, 10) for p in pairs for q in p}
    for zh, digits in pairs:
        assert said[digits] and [s["id"] for s in said[zh]] == [s["id"] for s in said[digits]], zh


async def test_a_span_of_the_day_said_with_the_day_is_the_start_window(movies_readonly: MoviesEnv) -> None:
    """date='周六下午3点到6点之间' (Saturday between 3 and 6 pm) and 'saturday between 3pm and 6pm' were 'not a
    date', and the film search '周六晚上7点到10点的电影' found no film ('no film has 到10'): the day, and the span as
    the earliest and latest start."""
    async with Client(movies_readonly.server) as c:
        said = {q: await every_page(c, "movies_find_showtimes", "showtimes", {"date": q}, 10)
                for q in ("周六下午3点到6点之间", "saturday between 3pm and 6pm")}  # fmt: skip
        apart = await every_page(c, "movies_find_showtimes", "showtimes",
                                 {"date": "2026-11-28", "time_from": "15:00", "time_to": "18:00"}, 10)  # fmt: skip
        films = await ok(c, "movies_search_movies", {"query": "周六晚上7点到10点的电影"})
    assert apart
    for q, shows in said.items():
        assert [s["id"] for s in shows] == [s["id"] for s in apart], q
    assert films["films"] and films["note"].startswith("Read '周六晚上7点到10点' as when to go"), films["note"]
