"""Days said in an event search the way people say them beyond 'tonight' and 'this weekend': weekdays ('Friday
night', 周六晚上, 'perjantaina'), weeks ('next week', 下周), 下周五, and the dates concerts are sold for (跨年 New
Year's Eve, Christmas). They were matched as words, so '跨年演唱会' listed every concert and 'comedy next week'
nothing (the fixture season has no concert on the 31st, so 跨年 is asked alone here). 'next Friday' may be either
of two Fridays: the note asks which instead of guessing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from mcp import Client

from shared.geo import CITY_TZ
from shared.prices import SaidPrice, read_price
from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import ok


async def days_of(c: Client, **args: object) -> set[date]:
    """The days of every matching event's next matching session, over every page."""
    out, cursor = set(), ""
    while True:
        page = await ok(c, "tickets_search_events", {"limit": 20, "cursor": cursor, **args})
        out |= {datetime.fromisoformat(e["next_session_at"]).date() for e in page["events"]}
        cursor = page["page"]["next_cursor"]
        if not cursor:
            return out


async def test_weekdays_weeks_and_holidays_in_the_query_are_the_days_they_name(tickets: TicketsEnv) -> None:
    tickets.clock.set(datetime(2026, 12, 2, 12, 0, tzinfo=CITY_TZ))  # a Wednesday
    friday, saturday = date(2026, 12, 4), date(2026, 12, 5)
    next_monday, next_sunday = date(2026, 12, 7), date(2026, 12, 13)
    async with Client(tickets.server) as c:
        concerts = await days_of(c, query="concert")
        on_friday = {q: await days_of(c, query=q) for q in ("concert friday", "konsertti perjantaina", "周五")}
        saturday_night = await days_of(c, query="周六晚上")
        next_week = {q: await days_of(c, query=q) for q in ("concert next week", "下周 演唱会")}
        nye = {q: await days_of(c, query=q) for q in ("跨年", "new year's eve", "uudenvuodenaattona")}
        christmas = await days_of(c, query="christmas")
        next_friday_cn = await days_of(c, query="下周五")
        # 新年音乐会, the New Year's Day concert: 新年 was a word no event has, so it found nothing
        new_year = {q: await days_of(c, query=q) for q in ("新年音乐会", "元旦 古典音乐", "new year's day classical")}
    assert on_friday["concert friday"] == on_friday["konsertti perjantaina"] == on_friday["周五"] == {friday}
    assert saturday_night == {saturday}
    assert next_week["下周 演唱会"] and next_week["下周 演唱会"] <= next_week["concert next week"]
    assert all(next_monday <= d <= next_sunday for d in next_week["concert next week"])
    assert len(concerts) > len(next_week["concert next week"])  # the week filters: not every concert
    assert nye["跨年"] == nye["new year's eve"] == nye["uudenvuodenaattona"] == {date(2026, 12, 31)}
    assert christmas and all(date(2026, 12, 24) <= d <= date(2026, 12, 26) for d in christmas)
    assert next_friday_cn <= {friday + timedelta(days=7)}
    assert new_year["新年音乐会"] == new_year["元旦 古典音乐"] == {date(2027, 1, 1)}
    assert new_year["new year's day classical"] == {date(2027, 1, 1)}


async def test_an_evening_of_a_weekday_starts_at_five(tickets: TicketsEnv) -> None:
    tickets.clock.set(datetime(2026, 12, 2, 12, 0, tzinfo=CITY_TZ))
    async with Client(tickets.server) as c:
        page = await ok(c, "tickets_search_events", {"query": "saturday night", "limit": 20})
        whole_day = await ok(c, "tickets_search_events", {"query": "saturday", "limit": 20})
    starts = [datetime.fromisoformat(e["next_session_at"]) for e in page["events"]]
    assert starts and all(s.date() == date(2026, 12, 5) and s.hour >= 17 for s in starts)
    assert whole_day["page"]["total"] >= page["page"]["total"]


async def test_next_friday_is_asked_about_not_guessed(tickets: TicketsEnv) -> None:
    tickets.clock.set(datetime(2026, 12, 2, 12, 0, tzinfo=CITY_TZ))
    async with Client(tickets.server) as c:
        page = await ok(c, "tickets_search_events", {"query": "comedy next friday"})
    assert page["events"] == []
    assert "'comedy next friday'" not in page["note"]
    assert "'next friday' may mean Fri 4 Dec or Fri 11 Dec" in page["note"] and "date_from" in page["note"]


async def test_a_weekday_abbreviation_in_a_title_search_stays_a_word(tickets: TicketsEnv) -> None:
    """'sun' in 'Midnight Sun' is not Sunday: the three-letter forms are not read as days in a query."""
    async with Client(tickets.server) as c:
        page = await ok(c, "tickets_search_events", {"query": "Midnight Sun"})
    assert page["events"] == [] and "'sun'" in page["note"] and "read from" not in page["note"]


async def test_the_particle_tying_a_day_to_what_is_asked_goes_with_the_day(tickets: TicketsEnv) -> None:
    """'下周的话剧' (next week's plays) searched '的话剧', which no event has: it found nothing, and an empty page's
    note quoted '的演唱会'."""
    async with Client(tickets.server) as c:
        tied = await ok(c, "tickets_search_events", {"query": "下周的话剧", "limit": 20})
        apart = await ok(c, "tickets_search_events", {"query": "下周 话剧", "limit": 20})
        empty = await ok(c, "tickets_search_events", {"query": "周六晚上的演唱会 zzz", "limit": 20})
    assert tied["events"] and tied == apart
    assert "'的" not in empty["note"], empty["note"]


async def test_a_price_said_in_the_query_is_the_price_filter(tickets: TicketsEnv) -> None:
    """'konsertti alle 40 euroa' searched the words 'alle', '40', 'euroa' and found nothing; a price said with a bound
    word (under, alle, 以下, over) is read as price_max_minor / price_min_minor, as day words are read as dates."""
    async with Client(tickets.server) as c:
        asked = await ok(c, "tickets_search_events", {"query": "konsertti", "price_max_minor": 4000, "limit": 20})
        said = [
            await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            for q in ("konsertti alle 40 euroa", "konsertti under €40", "40欧以下的 konsertti", "不超过40欧 konsertti")
        ]
        every = await ok(c, "tickets_search_events", {"query": "konsertti", "limit": 20})
        above = await ok(c, "tickets_search_events", {"query": "konsertti over 40 euros", "limit": 20})
        at_least = await ok(c, "tickets_search_events", {"query": "至少40欧的 konsertti", "limit": 20})
        from_40 = await ok(c, "tickets_search_events", {"query": "konsertti", "price_min_minor": 4000, "limit": 20})
    assert said == [asked] * 4
    assert 0 < asked["page"]["total"] < every["page"]["total"]
    assert above == from_40 == at_least and above["page"]["total"] > 0


@pytest.mark.parametrize(
    ("query", "words", "at_most", "at_least"),
    [
        ("40欧以下的演唱会", "演唱会", 4000, 0),
        ("under 18.50 € jazz", "jazz", 1850, 0),
        ("over 50 euros", "", 0, 5000),
        ("shows from 19:30", "shows from 19:30", 0, 0),  # a time, not a price
        ("Tribute to the 40s", "Tribute to the 40s", 0, 0),  # a title's number
        ("comedy under 18", "comedy under 18", 0, 0),  # an age, not €18
        ("stand-up alle 18-vuotiaille", "stand-up alle 18-vuotiaille", 0, 0),
        ("konsertti over 65", "konsertti over 65", 0, 0),
        ("comedy under €18", "comedy", 1800, 0),  # with a currency, the same number is a price
        ("comedy under 18 €", "comedy", 1800, 0),
        ("18欧以下的脱口秀", "脱口秀", 1800, 0),
        ("under 20", "", 2000, 0),
        ("pizza between 10 and 12 euros", "pizza", 1200, 1000),  # a range with its currency
        ("€10-15 sushi", "sushi", 1500, 1000),
        ("10到15欧的披萨", "披萨", 1500, 1000),
        ("10-12欧之间的寿司", "寿司", 1200, 1000),
        ("konsertti 20–40 euroa", "konsertti", 4000, 2000),
        ("concerts from 20 to 40 €", "concerts", 4000, 2000),
        ("shows 10-12 and 20-30 €", "shows 10-12 and", 3000, 2000),  # the range with a currency
        ("shows 18:00-20:00", "shows 18:00-20:00", 0, 0),  # hours
        ("between 6 and 8 pm", "between 6 and 8 pm", 0, 0),
        ("12-25 december", "12-25 december", 0, 0),  # days
        ("sushi 10-12", "sushi 10-12", 0, 0),  # no currency: not said to be a price
        # a bound said before its amount in Chinese: as money after a word of money, else only with its currency
        ("不超过15欧的披萨", "披萨", 1500, 0),
        ("人均不到15的午饭", "午饭", 1500, 0),
        ("每张票低于30欧的话剧", "话剧", 3000, 0),
        ("票价不低于20元的演唱会", "演唱会", 0, 2000),  # not '低于20元' with a 不 left over
        ("至少30欧的演唱会", "演唱会", 0, 3000),
        ("人均20欧以下的中餐", "中餐", 2000, 0),  # not about €20 with '欧以下' left over
        ("最多2张票的演唱会", "最多2张票的演唱会", 0, 0),  # how many tickets
        ("不超过40的演唱会", "不超过40的演唱会", 0, 0),  # no currency, no word of money
    ],
)
def test_only_an_amount_with_a_bound_word_is_a_price(query: str, words: str, at_most: int, at_least: int) -> None:
    assert read_price(query) == SaidPrice(words, at_most, at_least)


async def test_an_age_limit_in_the_query_is_not_read_as_a_price(tickets: TicketsEnv) -> None:
    """'comedy under 18' filtered comedy by price ≤ €18 and an agent offered the cheap shows as "for under-18s":
    an age limit is left as words, and the empty page says events carry no age limit and how a price is said."""
    async with Client(tickets.server) as c:
        page = await ok(c, "tickets_search_events", {"query": "comedy under 18", "limit": 20})
        fi = await ok(c, "tickets_search_events", {"query": "stand-up alle 18-vuotiaille", "limit": 20})
    assert page["page"]["total"] == 0 and "'under 18' reads as an age limit" in page["note"]
    assert "price_max_minor=1800" in page["note"]
    assert "'alle 18-vuotiaille' reads as an age limit" in fi["note"]


async def test_a_month_in_the_query_is_its_days(tickets: TicketsEnv) -> None:
    """'ballet in December' found nothing: 'december' was a word no event has. A month by name (English, Finnish,
    Chinese) is its days, this year's or next year's once it is over, and 'this month' / 'next month' count from
    today; 'may' and 'march' stay words (titles have them)."""
    tickets.clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=CITY_TZ))
    async with Client(tickets.server) as c:
        december = {q: await days_of(c, query=q) for q in ("december", "joulukuussa", "十二月", "next month")}
        this_month = await days_of(c, query="this month")
        ballet = await ok(c, "tickets_search_events", {"query": "ballet in december"})
        january = await days_of(c, query="january")
    assert december["december"] and all(d.month == 12 and d.year == 2026 for d in december["december"])
    assert december["december"] == december["joulukuussa"] == december["十二月"] == december["next month"]
    assert this_month and all(date(2026, 11, 25) <= d <= date(2026, 11, 30) for d in this_month)
    assert january and all(d.month == 1 and d.year == 2027 for d in january)  # next year's, once it is over
    assert ballet["events"] and all(e["category"] == "dance" for e in ballet["events"]), ballet
    assert all(e["next_session_at"].startswith("2026-12") for e in ballet["events"]), ballet


async def test_a_part_of_the_day_is_its_hours(tickets: TicketsEnv) -> None:
    """'family show Sunday afternoon' found nothing: 'afternoon' was a word no event has. A part of the day (morning,
    afternoon; 上午, 下午; aamulla, iltapäivällä) is the hours it names, beside a day or alone, up to the evening."""
    tickets.clock.set(datetime(2026, 12, 2, 12, 0, tzinfo=CITY_TZ))  # a Wednesday: Sunday is the 6th
    async with Client(tickets.server) as c:
        said = ("family sunday afternoon", "亲子 周日下午", "family sunnuntaina iltapäivällä")
        afternoon = {q: await ok(c, "tickets_search_events", {"query": q, "limit": 20}) for q in said}
        sunday = await ok(c, "tickets_search_events", {"query": "family sunday", "limit": 20})
        mornings = await ok(c, "tickets_search_events", {"query": "morning", "limit": 20})
    starts = [datetime.fromisoformat(e["next_session_at"]) for e in afternoon["family sunday afternoon"]["events"]]
    assert starts and all(s.date() == date(2026, 12, 6) and 12 <= s.hour < 17 for s in starts), starts
    assert afternoon["亲子 周日下午"]["events"] == afternoon["family sunday afternoon"]["events"]
    assert afternoon["family sunnuntaina iltapäivällä"]["events"] == afternoon["family sunday afternoon"]["events"]
    assert sunday["page"]["total"] >= len(starts)
    early = [datetime.fromisoformat(e["next_session_at"]) for e in mornings["events"]]
    assert all(s.hour < 12 for s in early), early
    if not early:
        assert "by 11:59" in mornings["note"], mornings["note"]


async def test_a_calendar_day_as_people_write_it_is_that_day(tickets: TicketsEnv) -> None:
    """'12月24日的演出' listed every show (12, 月, 24 searched as words) and date_from '12月24日' was 'not a date': a
    day of the calendar in Chinese ('12月24日', '12月24号', with 晚上 its evening), English ('Dec 24', '24 December')
    or Finnish ('24.12.') is that day, in a query and in date_from / date_to; '1月的演唱会' is January's."""
    tickets.clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=CITY_TZ))
    eve = date(2026, 12, 24)
    async with Client(tickets.server) as c:
        said = ("12月24日的演出", "12月24号", "Dec 24", "24 December", "24.12.")
        days = {q: await days_of(c, query=q) for q in said}
        fields = await days_of(c, date_from="12月24日", date_to="12月24日")
        iso = await days_of(c, date_from="2026-12-24", date_to="2026-12-24")
        evening = await ok(c, "tickets_search_events", {"query": "12月5号晚上的话剧", "limit": 20})
        january = await days_of(c, query="1月的演唱会")
    assert days["12月24日的演出"] == {eve} and all(found == {eve} for found in days.values()), days
    assert fields == iso == {eve}
    starts = [datetime.fromisoformat(e["next_session_at"]) for e in evening["events"]]
    assert starts and all(s.date() == date(2026, 12, 5) and s.hour >= 17 for s in starts), evening
    assert all(e["category"] == "theatre" for e in evening["events"])
    assert january and all(d.month == 1 and d.year == 2027 for d in january)


async def test_a_time_said_as_the_earliest_or_latest_start_inside_the_query_is_the_window(tickets: TicketsEnv) -> None:
    """'12月5日晚上8点以后的演唱会' (concerts on 5 Dec after 8 pm) said 'No event matches 8, 后': a time said inside
    the query as the earliest ('以后', 'after 8pm') or latest ('前', 'before') start is time_from or time_to, and a
    Chinese numeral hour ('十点', '两点') is that hour."""
    async with Client(tickets.server) as c:
        day = {"query": "演唱会", "date_from": "2026-12-05", "date_to": "2026-12-05", "limit": 20}
        after_8 = await ok(c, "tickets_search_events", {**day, "time_from": "20:00"})
        said = {
            q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            for q in ("12月5日晚上8点以后的演唱会", "12月5日晚上八点以后的演唱会", "concerts on Dec 5 after 8pm",
                      "12月5日晚上十点以后的演唱会", "12月5日晚上6点前的演唱会")
        }  # fmt: skip
    found = {q: [e["id"] for e in page["events"]] for q, page in said.items()}
    assert after_8["events"] and found["12月5日晚上8点以后的演唱会"] == [e["id"] for e in after_8["events"]]
    assert found["12月5日晚上八点以后的演唱会"] == found["12月5日晚上8点以后的演唱会"]
    english = said["concerts on Dec 5 after 8pm"]["events"]
    assert english and all(e["next_session_at"][:16] >= "2026-12-05T20:00" for e in english), english
    assert found["12月5日晚上十点以后的演唱会"] == [] and "from 22:00" in said["12月5日晚上十点以后的演唱会"]["note"]
    early = said["12月5日晚上6点前的演唱会"]
    assert early["events"] == [] and "between 17:00 and 17:59" in early["note"], early["note"]


async def test_a_start_said_before_a_time_is_earlier_than_it_and_starting_is_part_of_the_time(
    tickets: TicketsEnv,
) -> None:
    """'9点前的演唱会' (concerts before 9) kept the 21:00 concerts: a time said with 'before' / '前' is a start
    earlier than it ('by' keeps it), and 'starting' / 'that start' / '开始' said with the time are part of it, not
    words to match ('No event matches 开始')."""
    async with Client(tickets.server) as c:
        every = await ok(c, "tickets_search_events", {"query": "演唱会", "limit": 20})
        said = {
            q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            for q in ("9点前的演唱会", "晚上9点前开始的演唱会", "晚上9点以后开始的演唱会",
                      "concerts starting before 9pm", "concerts that start after 9pm", "concerts by 9pm")
        }  # fmt: skip
    hours = {q: {e["next_session_at"][11:16] for e in page["events"]} for q, page in said.items()}
    every_hour = {e["next_session_at"][11:16] for e in every["events"]}
    assert "21:00" in every_hour and min(every_hour) < "21:00", every_hour  # both, or this proves nothing
    for q in ("9点前的演唱会", "晚上9点前开始的演唱会", "concerts starting before 9pm"):
        assert hours[q] and max(hours[q]) < "21:00", (q, hours[q], said[q].get("note"))
    for q in ("晚上9点以后开始的演唱会", "concerts that start after 9pm"):
        assert hours[q] and min(hours[q]) >= "21:00", (q, hours[q], said[q].get("note"))
    assert "21:00" in hours["concerts by 9pm"], hours["concerts by 9pm"]


async def test_a_span_of_the_day_said_is_the_start_window(tickets: TicketsEnv) -> None:
    """'周六下午3点到6点之间的演出' (shows on Saturday between 3 and 6 pm) found nothing ('No event matches 到, 之间'):
    a span of the day, in the query or in date_from, is the earliest and latest start, as time_from and time_to."""
    async with Client(tickets.server) as c:
        said = {q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
                for q in ("周六下午3点到6点之间的演出", "shows on saturday between 3pm and 6pm")}  # fmt: skip
        dated = await ok(c, "tickets_search_events", {"date_from": "周六下午2点到6点", "limit": 20})
        day = {"date_from": "2026-11-28", "date_to": "2026-11-28", "limit": 20}
        apart = await ok(c, "tickets_search_events", {**day, "time_from": "14:00", "time_to": "18:00"})
    for q, page in said.items():
        assert page["events"] == [], q  # nothing starts then on the fixture's Saturday
        assert "between 15:00 and 18:00" in page["note"] and "到" not in page["note"].split(" (read")[0], page["note"]
    assert apart["events"] and dated["events"] == apart["events"], dated.get("note")


async def test_a_time_said_as_about_when_is_an_hour_either_side(tickets: TicketsEnv) -> None:
    """'周六晚上8点左右的演出' (shows on Saturday around 8 pm) found nothing ('No event matches 8, 左右') and
    '周六晚上七点左右' as date_from was 'not a date': about a time is a start within an hour of it."""
    async with Client(tickets.server) as c:
        day = {"date_from": "2026-11-28", "date_to": "2026-11-28", "limit": 20}
        apart = await ok(c, "tickets_search_events", {**day, "time_from": "18:00", "time_to": "20:00"})
        said = {
            q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            for q in ("周六晚上七点左右的演出", "shows on saturday around 7pm", "周六晚上7点前后的演出")
        }
        dated = await ok(c, "tickets_search_events", {"date_from": "周六晚上七点左右", "limit": 20})
        late = await ok(c, "tickets_search_events", {"query": "周六晚上10点左右的演出", "limit": 20})
    assert apart["events"], apart  # the fixture's Saturday has shows then, or this proves nothing
    for q, page in [*said.items(), ("date_from", dated)]:
        assert page["events"] == apart["events"], (q, page.get("note"))
    assert late["events"] == [] and "between 21:00 and 23:00" in late["note"], late["note"]


async def test_days_further_ahead_and_parts_of_a_month_are_read_as_those_days(tickets: TicketsEnv) -> None:
    """'大后天' (in three days) was 后天 with '大' a word no event has, '下下周六' (Saturday after next) and 'the
    weekend after next' left 下 / next as words, and '月底' / '12月底' / 'end of December' (the end of a month) were
    words: each is its days, as 上旬 / 中旬 / 下旬 divide a month (the 21st to its end for 月底). So are '三天后' (in
    three days) and '两周后' (in two weeks: the week after next, as 'in two weeks' is)."""
    days = {  # said on Wednesday 25 November 2026
        "大后天的演出": ("2026-11-28", "2026-11-28"),
        "下下周六的演出": ("2026-12-12", "2026-12-12"),
        "shows the weekend after next": ("2026-12-12", "2026-12-13"),
        "下下周的演出": ("2026-12-07", "2026-12-13"),
        "月底的演出": ("2026-11-25", "2026-11-30"),
        "下个月初的演出": ("2026-12-01", "2026-12-10"),
        "12月底的演出": ("2026-12-21", "2026-12-31"),
        "十二月底的演出": ("2026-12-21", "2026-12-31"),
        "shows at the end of December": ("2026-12-21", "2026-12-31"),
        "1月中旬的演出": ("2027-01-11", "2027-01-20"),
        # a day or a week counted from now: '三天后' and '周后' were words no event has
        "三天后的演出": ("2026-11-28", "2026-11-28"),
        "shows in 3 days": ("2026-11-28", "2026-11-28"),
        "一周后的演出": ("2026-11-30", "2026-12-06"),
        "两个星期后的演出": ("2026-12-07", "2026-12-13"),
        "两周以后的演出": ("2026-12-07", "2026-12-13"),
    }
    async with Client(tickets.server) as c:
        for q, (first, last) in days.items():
            said = await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            apart = await ok(c, "tickets_search_events", {"date_from": first, "date_to": last, "limit": 20})
            assert said["events"] == apart["events"] and said["page"]["total"] == apart["page"]["total"], q
            assert said["events"] or "No event has a session" in said["note"], (q, said["note"])
