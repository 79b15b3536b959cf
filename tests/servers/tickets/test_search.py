"""Event search as people ask: by time of day ("an afternoon show", "after 20:00"), and no made-up distance when no
place was given."""

from __future__ import annotations

import re
from datetime import datetime, time

from mcp import Client
from sqlmodel import Session

from shared.clock import local
from shared.geo import CITY_TZ
from tests.servers.food.helpers import every_page
from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import err, ok


def at(stamp: str) -> time:
    return datetime.fromisoformat(stamp).astimezone(CITY_TZ).time()


async def test_events_by_time_of_day_match_only_sessions_in_that_window(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        afternoon = await ok(c, "tickets_search_events", {"time_from": "13:00", "time_to": "16:00", "limit": 20})
        late = await ok(c, "tickets_search_events", {"time_from": "20:00", "limit": 20})
        everything = await ok(c, "tickets_search_events", {"limit": 20})
        event = await ok(c, "tickets_get_event", {"event_id": afternoon["events"][0]["id"]})
    svc = tickets.service
    now = svc.now()
    expected = {
        s.event_id
        for s in svc.catalog.sessions.values()
        if s.starts_at > now and time(13) <= local(s.starts_at).time() <= time(16)
    }
    assert afternoon["page"]["total"] == len(expected) < everything["page"]["total"]
    assert afternoon["events"] and all(time(13) <= at(e["next_session_at"]) <= time(16) for e in afternoon["events"])
    assert late["events"] and all(at(e["next_session_at"]) >= time(20) for e in late["events"])
    matching = [
        s
        for s in event["sessions"]
        if time(13) <= at(s["starts_at"]) <= time(16) and datetime.fromisoformat(s["starts_at"]) > now
    ]
    assert afternoon["events"][0]["sessions_matching"] == len(matching)


async def test_a_time_that_is_not_a_time_of_day_is_refused(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        words = await err(c, "tickets_search_events", {"time_from": "around seven"})
        backwards = await err(c, "tickets_search_events", {"time_from": "20:00", "time_to": "18:00"})
        said = await ok(c, "tickets_search_events", {"time_from": "晚上7点", "time_to": "9pm", "limit": 20})
        clock = await ok(c, "tickets_search_events", {"time_from": "19:00", "time_to": "21:00", "limit": 20})
    assert "not a time of day" in words and "HH:MM" in words
    assert said["events"] and said["events"] == clock["events"]  # the user's words, as a model passes them on
    assert "before time_from" in backwards


async def test_events_without_a_place_carry_no_distance(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        anywhere = await ok(c, "tickets_search_events", {"limit": 10})
        near = await ok(c, "tickets_search_events", {"lat": 60.1738, "lng": 24.9355, "limit": 10})
    assert anywhere["events"] and all("distance_m" not in e for e in anywhere["events"])
    assert all(isinstance(e["distance_m"], int) for e in near["events"])
    assert near["events"][0]["distance_m"] < 100 < near["events"][-1]["distance_m"]


async def found(c: Client, query: str) -> dict[str, str]:
    """Every event the query finds, page by page: id → title."""
    out: dict[str, str] = {}
    cursor = ""
    while True:
        page = await ok(c, "tickets_search_events", {"query": query, "limit": 20, "cursor": cursor})
        out |= {e["id"]: e["title"] for e in page["events"]}
        cursor = page["page"]["next_cursor"]
        if not cursor:
            return out


async def titles(c: Client, query: str) -> set[str]:
    return set((await found(c, query)).values())


async def test_a_chinese_query_written_without_spaces_or_in_title_marks_finds_the_event(tickets: TicketsEnv) -> None:
    """Chinese is written without spaces and titles in 《》: '林夏演唱会' is Lin Xia's concerts, '《雷雨》' the play,
    'Peer Gynt的票' tickets for Peer Gynt."""
    async with Client(tickets.server) as c:
        lin_xia = await titles(c, "林夏 演唱会")
        joined = await titles(c, "林夏演唱会")
        zhou_yu = await titles(c, "周宇的演唱会")
        play = await titles(c, "《雷雨》")
        giselle = await titles(c, "我想看吉赛尔")
        mixed = await titles(c, "Peer Gynt的票")
    assert len(lin_xia) == 4 and joined == lin_xia
    assert zhou_yu == {"Zhou Yu & Band: Unplugged / 周宇乐队不插电演唱会"}
    assert play == {"Thunderstorm / 雷雨"}
    assert giselle == {"Giselle / 吉赛尔"}
    assert mixed == {"Peer Gynt / 培尔·金特"}


async def test_punctuation_joining_words_and_tickets_are_not_required_to_match(tickets: TicketsEnv) -> None:
    """'Mikko and Wei' is 'Mikko & Wei', 'Ink & Water' is 'Ink and Water', a dash or comma typed between words is no
    word of the title, and nor is 'tickets' ('Peer Gynt tickets', '吉赛尔 门票')."""
    async with Client(tickets.server) as c:
        mikko = await titles(c, "Mikko & Wei")
        spelled = await titles(c, "Mikko and Wei")
        finnish = await titles(c, "Mikko ja Wei")
        ink = await titles(c, "Ink & Water")
        dash = await titles(c, "Kalevala Drift – Unplugged")
        comma = await titles(c, "Lin Xia, Helsinki")
        tickets_word = await titles(c, "Peer Gynt tickets")
        menpiao = await titles(c, "吉赛尔 门票")
        shows = await ok(c, "tickets_search_events", {"query": "shows"})
        everything = await ok(c, "tickets_search_events", {})
    assert mikko and spelled == finnish == mikko
    assert "Ink and Water / 水墨" in ink
    assert dash == {"Kalevala Drift: Unplugged / 卡勒瓦拉漂流不插电演唱会"}
    assert comma == {"Lin Xia: Live in Helsinki / 林夏赫尔辛基演唱会"}
    assert tickets_word == {"Peer Gynt / 培尔·金特"} and menpiao == {"Giselle / 吉赛尔"}
    assert shows["page"]["total"] == everything["page"]["total"]


async def test_kinds_of_event_are_found_by_their_finnish_and_everyday_names(tickets: TicketsEnv) -> None:
    """A Finn asks for 'konsertti' or 'näyttely', a parent for 'kids', a Chinese user for a '音乐会': each finds
    every event of that kind, as the category filter does."""
    cat = tickets.service.catalog
    upcoming = {s.event_id for s in cat.sessions.values() if s.starts_at > tickets.service.now()}

    def kind(*categories: str) -> set[str]:
        return {e.id for e in cat.events.values() if e.category in categories and e.id in upcoming}

    words = ("konsertti", "音乐会", "näyttely", "musikaali", "tanssi", "urheilu", "kids", "lapset", "儿童", "stand-up")
    async with Client(tickets.server) as c:
        hits = {q: set(await found(c, q)) for q in (*words, "classical concert", "family show")}
    assert hits["konsertti"] == kind("concert", "classical") <= hits["音乐会"]  # and the sing-along 亲子音乐会
    assert hits["näyttely"] == kind("exhibition")
    assert hits["musikaali"] == kind("musical")
    assert hits["tanssi"] == kind("dance")
    assert hits["urheilu"] == kind("sports")
    assert hits["kids"] == hits["lapset"] == hits["儿童"] == hits["family show"] == kind("family")
    assert hits["stand-up"] == kind("comedy")
    assert hits["classical concert"] == kind("classical")


async def test_kinds_of_venue_are_found_by_what_people_call_them(tickets: TicketsEnv) -> None:
    """'livehouse' (as Damai files a club's gigs) and '夜店' found nothing though eight clubs have concerts; '音乐厅'
    listed thirty events, a play first; 'gallery' nothing: each now finds the upcoming events at that kind of venue."""
    cat = tickets.service.catalog
    upcoming = {s.event_id for s in cat.sessions.values() if s.starts_at > tickets.service.now()}

    def at(*kinds: str) -> set[str]:
        return {e.id for e in cat.events.values() if cat.venues[e.venue_id].kind in kinds and e.id in upcoming}

    async with Client(tickets.server) as c:
        hits = {q: set(await found(c, q)) for q in ("livehouse", "夜店", "音乐厅", "博物馆", "gallery")}
    assert hits["livehouse"] == hits["夜店"] == at("nightclub") and len(hits["livehouse"]) > 5
    assert hits["音乐厅"] == at("concert_hall") and hits["博物馆"] == at("museum")
    assert hits["gallery"] == at("arts_centre")


async def test_the_language_an_event_is_in_is_searchable_and_shown(tickets: TicketsEnv) -> None:
    """'stand-up comedy in English' found nothing, though every comedy here says 'Stand-up comedy in English' in its
    description: the languages a description names are search words in English, Finnish and Chinese, and each hit
    says what it is in, so 'theatre in English' can be told to be Finnish with English surtitles."""
    cat = tickets.service.catalog
    upcoming = {s.event_id for s in cat.sessions.values() if s.starts_at > tickets.service.now()}
    comedies = {e.id for e in cat.events.values() if e.category == "comedy" and e.id in upcoming}
    async with Client(tickets.server) as c:
        english = await ok(c, "tickets_search_events", {"query": "stand-up comedy in English", "limit": 20})
        chinese = await ok(c, "tickets_search_events", {"query": "英语脱口秀", "limit": 20})
        theatre = await ok(c, "tickets_search_events", {"query": "teatteri englanniksi", "category": "theatre"})
        concert = await ok(c, "tickets_search_events", {"query": "konsertti", "limit": 1})
    assert comedies and {e["id"] for e in english["events"]} == {e["id"] for e in chinese["events"]} == comedies
    assert {e["language"] for e in english["events"]} == {"in English"}
    assert theatre["events"] and all(
        e["language"] == "in Finnish with English and Chinese surtitles" for e in theatre["events"]
    ), theatre
    assert "language" not in concert["events"][0]  # a concert's description names no language


async def test_an_event_in_a_language_is_one_performed_in_it_not_one_surtitled(tickets: TicketsEnv) -> None:
    """'英文的演出' (shows in English) listed the Finnish plays for their English surtitles beside the comedies and
    musicals in English, and '英文的话剧' (plays in English) the Finnish plays with no word that none is in English.
    Where some event is performed in the language, those surtitled in it are left out; where none is, the note says
    these have it as surtitles. Asked for as surtitles ('英文字幕的话剧'), they are what is asked."""
    async with Client(tickets.server) as c:
        shows = await every_page(c, "tickets_search_events", "events", {"query": "英文的演出"}, 20)
        plays = await ok(c, "tickets_search_events", {"query": "英文的话剧", "limit": 20})
        surtitled = await ok(c, "tickets_search_events", {"query": "英文字幕的话剧", "limit": 20})
        venue = await ok(c, "tickets_search_events", {"query": "Swedish theatre", "limit": 20})  # Svenska Teatern
    assert shows and all("English" in e["language"] and "surtitles" not in e["language"] for e in shows), shows
    assert plays["events"] and all("English" in e["language"] for e in plays["events"])
    assert plays["note"].startswith("No event that matches is performed in English: these are in another language "
                                    "with English surtitles"), plays["note"]  # fmt: skip
    assert [e["id"] for e in surtitled["events"]] == [e["id"] for e in plays["events"]]
    assert "performed in" not in surtitled.get("note", ""), surtitled
    assert venue["events"] and "performed in" not in venue.get("note", ""), venue


async def test_surtitles_asked_for_find_the_events_that_have_them(tickets: TicketsEnv) -> None:
    """'话剧 下周 英文字幕' (plays next week with English subtitles) found nothing ('No event matches 字幕'), though the
    plays here are 'in Finnish with English and Chinese surtitles': surtitles are searchable as people call them, in
    English, Finnish and Chinese, and only events that have them are found."""
    cat = tickets.service.catalog
    upcoming = {s.event_id for s in cat.sessions.values() if s.starts_at > tickets.service.now()}
    surtitled = {e.id for e in cat.events.values() if "surtitles" in e.description and e.id in upcoming}
    async with Client(tickets.server) as c:
        said = {q: await every_page(c, "tickets_search_events", "events", {"query": q}, 20)
                for q in ("有英文字幕的话剧", "plays with English subtitles", "tekstitetty teatteri")}  # fmt: skip
        comedy = await ok(c, "tickets_search_events", {"query": "字幕 脱口秀"})
    assert surtitled
    for q, events in said.items():
        assert events and {e["id"] for e in events} <= surtitled, q
        assert all("surtitles" in e["language"] for e in events), q
    assert comedy["events"] == [], "no comedy here is surtitled"


async def test_a_concerts_genre_is_searchable_in_both_languages_and_shown(tickets: TicketsEnv) -> None:
    """'jazz' found nothing and '摇滚演唱会' ('rock concert') only what its words happened to hit: a concert had no
    genre. Each act has one now, searched in English, Finnish and Chinese with what people call it ('pop' finds
    Mandopop and synth-pop, '摇滚' indie rock too), and shown on the hit and the event's page."""
    cat = tickets.service.catalog
    upcoming = {s.event_id for s in cat.sessions.values() if s.starts_at > tickets.service.now()}
    by_genre = lambda *gs: {e.id for e in cat.events.values() if e.genre in gs and e.id in upcoming}  # noqa: E731
    search = lambda q: every_page(c, "tickets_search_events", "events", {"query": q}, 20)  # noqa: E731
    async with Client(tickets.server) as c:
        jazz = {q: await search(q) for q in ("jazz", "爵士乐", "jatsi")}
        rock = await search("摇滚演唱会")
        pop = await search("pop concert")
        page = await ok(c, "tickets_get_event", {"event_id": sorted(by_genre("jazz"))[0]})
        ballet = await ok(c, "tickets_search_events", {"query": "ballet", "limit": 1})
    assert by_genre("jazz") and all({e["id"] for e in hits} == by_genre("jazz") for hits in jazz.values()), jazz
    assert {e["genre"] for e in jazz["jazz"]} == {"jazz / 爵士"} and page["genre"] == "jazz / 爵士"
    assert {e["id"] for e in rock} == by_genre("rock", "indie rock") and len({e["genre"] for e in rock}) == 2
    assert {e["id"] for e in pop} == by_genre("Mandopop", "synth-pop"), pop
    assert ballet["events"] and "genre" not in ballet["events"][0]


async def test_a_preposition_before_a_day_is_no_word_to_match(tickets: TicketsEnv) -> None:
    """'kids events on Sunday' read Sunday as the day and searched 'kids events on': an empty day's note said "No
    event matching 'kids events on'". The word that tied the day to the query goes with it."""
    async with Client(tickets.server) as c:
        sunday = await ok(c, "tickets_search_events", {"query": "kids events on Sunday"})
        plain = await ok(c, "tickets_search_events", {"query": "kids events Sunday"})
        friday = await ok(c, "tickets_search_events", {"query": "comedy this Friday"})
    assert sunday == plain
    assert not sunday["events"] and "No event matching 'kids' has a session on Sun" in sunday["note"], sunday
    assert "'comedy this'" not in friday.get("note", ""), friday


async def test_a_part_of_the_day_as_a_time_says_to_put_it_in_the_query(tickets: TicketsEnv) -> None:
    """time_from '下午' (afternoon) was told only to use HH:MM: the refusal says it is a part of the day and to say it
    with the day in the query, which finds the Sunday afternoon sessions."""
    async with Client(tickets.server) as c:
        afternoon = await err(c, "tickets_search_events", {"query": "周日", "time_from": "下午"})
        said = await ok(c, "tickets_search_events", {"query": "周日下午", "limit": 20})
    assert "'下午' is a part of the day" in afternoon and "in the query ('周日下午'" in afternoon, afternoon
    assert said["events"], said


async def test_chinese_that_only_asks_is_not_required_to_match(tickets: TicketsEnv) -> None:
    """'这周末有什么演出' ('what shows are on this weekend') and '有什么好玩的' ('anything fun') were one word each that
    no event has: they found nothing. As 'something fun this weekend' already did, the asking is cut and the weekend
    kept."""
    async with Client(tickets.server) as c:
        shows = await ok(c, "tickets_search_events", {"query": "这周末有什么演出", "limit": 20})
        weekend = await ok(c, "tickets_search_events", {"query": "this weekend", "limit": 20})
        fun = await ok(c, "tickets_search_events", {"query": "有什么好玩的", "limit": 20})
        every = await ok(c, "tickets_search_events", {"limit": 20})
        plays = await ok(c, "tickets_search_events", {"query": "周末有什么话剧", "limit": 20})
    assert shows["events"] and shows["events"] == weekend["events"], shows
    assert fun["page"]["total"] == every["page"]["total"] and fun["events"] == every["events"]
    assert plays["events"] and {e["category"] for e in plays["events"]} == {"theatre"}


async def test_asking_for_what_is_coming_up_is_every_event_soonest_first(tickets: TicketsEnv) -> None:
    """'最近的演唱会' (concerts coming up) said 'No event matches 近', '近期的话剧' and 'upcoming concerts' likewise:
    every event here is upcoming, listed soonest first, so those words ask and need no event to hold them."""
    async with Client(tickets.server) as c:
        said = {
            q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            for q in ("最近的演唱会", "演唱会", "近期的话剧", "即将上演的话剧", "话剧", "upcoming concerts", "concerts",
                      "concerts coming soon", "最近有什么演出")
        }  # fmt: skip
        every = await ok(c, "tickets_search_events", {"limit": 20})
    found = {q: (page["events"], page["page"]["total"]) for q, page in said.items()}  # cursors name their query
    assert found["最近的演唱会"][0] and found["最近的演唱会"] == found["演唱会"]
    assert found["近期的话剧"][0] and found["近期的话剧"] == found["即将上演的话剧"] == found["话剧"]
    assert found["upcoming concerts"][0] and found["upcoming concerts"] == found["concerts"]
    assert found["concerts coming soon"] == found["concerts"]
    assert found["最近有什么演出"] == (every["events"], every["page"]["total"])


async def test_a_ticket_rule_said_keeps_the_events_under_it(tickets: TicketsEnv) -> None:
    """'可以退票的话剧' (plays whose tickets can be refunded) said 'No event matches 退票', '需要实名的演唱会'
    (real-name concerts) 'No event matches 需要, 实名': an event's refund policy and its real-name rule are its own,
    so the search keeps the events under the rule said, and says how it read it."""
    events = tickets.service.catalog.events
    async with Client(tickets.server) as c:

        async def ids(query: str) -> set[str]:
            return {e["id"] for e in await every_page(c, "tickets_search_events", "events", {"query": query}, 10)}

        plays, concerts = await ids("话剧"), await ids("演唱会")
        refundable, not_refundable = await ids("可以退票的话剧"), await ids("不能退票的话剧")
        real_name, no_real_name = await ids("需要实名的演唱会"), await ids("不需要实名的演唱会")
        english = {q: await ids(q) for q in ("refundable plays", "non-refundable plays", "real-name concerts")}
        note = (await ok(c, "tickets_search_events", {"query": "可以退票的话剧"}))["note"]
        shows = await ids("不能退票的演出")
    assert refundable and refundable | not_refundable == plays and not refundable & not_refundable
    assert all((events[e].refund_policy != "no_refund") == (e in refundable) for e in plays)
    assert real_name and no_real_name and real_name | no_real_name == concerts and not real_name & no_real_name
    assert all(events[e].real_name == (e in real_name) for e in concerts)
    assert english == {"refundable plays": refundable, "non-refundable plays": not_refundable,
                       "real-name concerts": real_name}  # fmt: skip
    assert shows and all(events[e].refund_policy == "no_refund" for e in shows)
    assert note.startswith("Read '可以退票' as events whose tickets can be refunded"), note


async def test_the_best_seats_asked_in_a_search_are_for_the_hold(tickets: TicketsEnv) -> None:
    """'best seats for Giselle' said 'No event matches best, seats': which seats is the hold's to choose, so the
    search finds the event and says how to hold the best of them."""
    async with Client(tickets.server) as c:
        said = {
            q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            for q in ("best seats for Giselle", "吉赛尔 好座位", "Giselle", "吉赛尔")
        }
    for q, like in (("best seats for Giselle", "Giselle"), ("吉赛尔 好座位", "吉赛尔")):
        assert said[q]["events"] and said[q]["events"] == said[like]["events"], (q, said[q]["note"])
        assert "as which seats to hold: tickets_hold_seats(tier='best')" in said[q]["note"], said[q]["note"]


async def test_asking_to_find_something_to_do_is_not_required_to_match(tickets: TicketsEnv) -> None:
    """'找一场适合带孩子看的演出' ('find a show for the kids') found nothing for '找一场', 'things to do this weekend'
    nothing for 'do' and 'things', and 'find me a concert' nothing for 'find': they ask, as '有什么' does."""
    async with Client(tickets.server) as c:
        said = {
            q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            for q in ("找一场适合带孩子看的演出", "带孩子看的演出", "things to do this weekend", "this weekend")
        }
        concert = await ok(c, "tickets_search_events", {"query": "find me a concert", "limit": 20})
        concerts = await ok(c, "tickets_search_events", {"query": "concert", "limit": 20})
    kids, family, things, weekend = said.values()
    assert kids["events"] and kids["events"] == family["events"], kids.get("note")
    assert things["events"] and things["events"] == weekend["events"], things.get("note")
    assert concert["events"] and concert["events"] == concerts["events"], concert.get("note")


async def test_a_show_for_children_or_near_a_district_as_people_ask_for_it(tickets: TicketsEnv) -> None:
    """'带孩子看的演出' ('a show to take the kids to'), '适合小孩的周末活动' and 'kid friendly events' found nothing
    (小孩 and 'kid' were no word of the family shows, 适合 and 'friendly' were required), and 'events near Kamppi'
    required 'near'. They find the family shows and the events in Kamppi; an empty weekend's note names the words
    searched, not the asking ones, and counts one event as 'does'."""
    async with Client(tickets.server) as c:
        family = await ok(c, "tickets_search_events", {"category": "family", "limit": 20})
        said = ("带孩子看的演出", "适合小孩的活动", "kid friendly events", "events for children")
        asked = {q: await ok(c, "tickets_search_events", {"query": q, "limit": 20}) for q in said}
        weekend = await ok(c, "tickets_search_events", {"query": "适合小孩的周末活动"})
        near = await ok(c, "tickets_search_events", {"query": "events near Kamppi", "limit": 20})
        kamppi = await ok(c, "tickets_search_events", {"query": "Kamppi", "limit": 20})
        zh_near = await ok(c, "tickets_search_events", {"query": "坎皮附近的演出", "limit": 20})
        jazz = await ok(c, "tickets_search_events", {"query": "jazz concert this weekend"})
    assert family["events"]
    for q, page in asked.items():
        assert page["events"] == family["events"], (q, page)
    assert not weekend["events"] and weekend["note"].startswith("No event matching '小孩' has a session"), weekend
    assert near["events"] and near["events"] == kamppi["events"] == zh_near["events"], near
    assert {e["area"] for e in near["events"]} == {"Kamppi / 坎皮"}
    assert "1 does at other times" in jazz["note"], jazz


async def test_words_that_only_ask_are_not_required_to_match(tickets: TicketsEnv) -> None:
    """'something fun this weekend' was 'No event matches something, fun': a query of asking words alone is no
    filter (the weekend still is), and beside other words they are left out."""
    async with Client(tickets.server) as c:
        fun = await ok(c, "tickets_search_events", {"query": "something fun this weekend", "limit": 20})
        weekend = await ok(c, "tickets_search_events", {"query": "this weekend", "limit": 20})
        giselle = await ok(c, "tickets_search_events", {"query": "I want to see Giselle"})
    assert fun["events"] and fun["events"] == weekend["events"], fun
    assert giselle["events"] and {e["title"] for e in giselle["events"]} == {"Giselle / 吉赛尔"}, giselle


async def test_a_word_for_cheap_ranks_the_lowest_price_first(tickets: TicketsEnv) -> None:
    """'便宜一点的音乐会' and 'cheap concert' listed the concerts soonest first (a €45 gig before a €29.50 symphony):
    the price words are read as food reads them, the lowest face value first among equally good matches."""
    async with Client(tickets.server) as c:
        cheap = await every_page(c, "tickets_search_events", "events", {"query": "cheap concert"}, 20)
        zh = await ok(c, "tickets_search_events", {"query": "便宜的音乐会", "limit": 1})
        plain = await every_page(c, "tickets_search_events", "events", {"query": "concert"}, 20)
    prices = [e["price_from"]["amount_minor"] for e in cheap if e["availability"] == "available"]
    assert prices and prices == sorted(prices), prices
    assert sorted(e["id"] for e in cheap) == sorted(e["id"] for e in plain)  # the same concerts, reordered
    assert [e["id"] for e in cheap] != [e["id"] for e in plain]
    assert zh["events"][0]["price_from"] == cheap[0]["price_from"]


async def test_free_reads_as_the_lowest_price_first_and_says_nothing_is_free(tickets: TicketsEnv) -> None:
    """'免费的展览' listed the €23 exhibitions saying nothing, and 'free concert' was 'No event matches free': every
    event here is ticketed. 'free' / '免费' orders as 'cheap' does, and the note says no event is free entry."""
    async with Client(tickets.server) as c:
        free = await every_page(c, "tickets_search_events", "events", {"query": "free concert"}, 20)
        cheap = await every_page(c, "tickets_search_events", "events", {"query": "cheap concert"}, 20)
        zh = await ok(c, "tickets_search_events", {"query": "免费的展览", "limit": 20})
        shows = await ok(c, "tickets_search_events", {"query": "exhibition", "limit": 20})
    assert [e["id"] for e in free] == [e["id"] for e in cheap]
    assert {e["id"] for e in zh["events"]} == {e["id"] for e in shows["events"]}
    assert zh["note"].startswith("Read 'free' as the lowest price first: no event here is free entry."), zh["note"]


async def test_open_air_words_ask_where_and_the_note_says_every_venue_is_indoors(tickets: TicketsEnv) -> None:
    """'室外的音乐会' and 'outdoor concerts' found nothing, the note blaming the word ('No event matches 室外'): they
    ask where, not what. Every venue here is indoors, so the concerts are listed with a note that says so."""
    async with Client(tickets.server) as c:
        zh = await ok(c, "tickets_search_events", {"query": "室外的音乐会", "limit": 20})
        en = await ok(c, "tickets_search_events", {"query": "outdoor concerts", "limit": 20})
        fi = await ok(c, "tickets_search_events", {"query": "ulkoilmakonsertti", "limit": 20})
        concerts = await ok(c, "tickets_search_events", {"query": "音乐会", "limit": 20})
    assert concerts["events"]
    for said, page in (("室外", zh), ("outdoor", en), ("ulkoilma", fi)):
        assert page["note"].startswith(f"Read '{said}' as open-air: every venue here is indoors"), page["note"]
        assert [e["id"] for e in page["events"]] == [e["id"] for e in concerts["events"]], said


async def test_a_district_as_results_name_it_is_accepted_as_the_area(tickets: TicketsEnv) -> None:
    """Results and the refusal of an unknown area show districts as 'Kamppi / 坎皮': passing one back finds that
    district's events, as 'Kamppi' or '坎皮' alone does, and so do '坎皮区', 'Kamppi district', 'Kampissa' and
    'Kampen'."""
    async with Client(tickets.server) as c:
        kamppi = await ok(c, "tickets_search_events", {"area": "Kamppi", "limit": 20})
        label = kamppi["events"][0]["area"]
        by_label = await ok(c, "tickets_search_events", {"area": label, "limit": 20})
        toolo = await ok(c, "tickets_search_events", {"area": "Töölö / 托洛", "limit": 20})
        named = [
            await ok(c, "tickets_search_events", {"area": a, "limit": 20})
            for a in ("坎皮区", "Kamppi district", "Kampissa", "Kampen")  # 'in Kamppi' in Finnish, and in Swedish
        ]
        unknown = await err(c, "tickets_search_events", {"area": "Atlantis"})
    assert label == "Kamppi / 坎皮" and "Kamppi / 坎皮" in unknown
    assert by_label == kamppi and named == [kamppi] * 4
    assert toolo["events"] and {e["area"] for e in toolo["events"]} == {"Töölö / 托洛"}


async def test_every_example_the_search_tool_gives_finds_events(tickets: TicketsEnv) -> None:
    """A model tries the examples it is shown: 'Hamlet' and 'Sibelius' were examples with no event behind them."""
    async with Client(tickets.server) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
        description = tools["tickets_search_events"].input_schema["properties"]["query"]["description"]
        examples = re.findall(r"'([^']+)'", description)
        hits = {q: (await ok(c, "tickets_search_events", {"query": q}))["page"]["total"] for q in examples}
    assert len(examples) >= 5 and all(hits.values()), hits


async def test_the_next_session_is_one_a_user_can_book_not_one_sold_before_its_sale_opens(
    tickets: TicketsEnv,
) -> None:
    """Northern Lights' first session was all sold before its sale opens: sending the user to it (and only saying
    'not yet on sale') had them wait for nothing. The next session is the soonest with tickets left, with when its
    sale opens."""
    async with Client(tickets.server) as c:
        (hit,) = (await ok(c, "tickets_search_events", {"query": "Northern Lights"}))["events"]
        event = await ok(c, "tickets_get_event", {"event_id": hit["id"]})
        day = event["sessions"][0]["starts_at"][:10]
        only = {"query": "Northern Lights", "date_from": day, "date_to": day}
        (alone,) = (await ok(c, "tickets_search_events", only))["events"]
    first, *later = event["sessions"]
    assert first["remaining"] == 0 and first["sales_open_at"] > "2026-11-25"  # the trap is still in the fixtures
    bookable = next(s for s in later if s["status"] == "not_yet_on_sale" and s["remaining"])
    assert hit["next_session_id"] == bookable["id"] != first["id"]
    assert hit["next_session_at"] == bookable["starts_at"]
    assert hit["sales_open_at"] == bookable["sales_open_at"] and hit["availability"] == "not_yet_on_sale"
    # on its own that session is nothing to wait for: sold out, not "not yet on sale"
    assert alone["next_session_id"] == first["id"] and alone["availability"] == "sold_out"
    assert "sales_open_at" not in alone


async def test_price_from_is_the_cheapest_ticket_still_for_sale(tickets: TicketsEnv) -> None:
    """'From €30' for Miss Julie was the price of a sold-out session: the range is over the tiers a user can still
    buy, and an event on sale carries no sales_open_at."""
    async with Client(tickets.server) as c:
        (hit,) = (await ok(c, "tickets_search_events", {"query": "Miss Julie"}))["events"]
        event = await ok(c, "tickets_get_event", {"event_id": hit["id"]})
    every = [t["price"]["amount_minor"] for s in event["sessions"] for t in s["tiers"]]
    left = [
        t["price"]["amount_minor"]
        for s in event["sessions"]
        if s["status"] == "on_sale"
        for t in s["tiers"]
        if t["remaining"]
    ]
    assert min(every) < min(left)  # a sold-out session is cheaper: the check is not vacuous
    assert hit["price_from"]["amount_minor"] == min(left) and hit["price_to"]["amount_minor"] == max(left)
    assert "sales_open_at" not in hit


async def test_a_sold_out_event_shows_no_price_and_is_not_within_a_budget(tickets: TicketsEnv) -> None:
    """'konsertti alle 40 euroa' listed sold-out concerts at €28–€111, which an agent read as 'from €28, within
    budget': a sold-out event has no price left to show or to match, and the shown range keeps to the asked one
    (Mahler under €40 showed €29.50–€90)."""
    async with Client(tickets.server) as c:
        (gone,) = (await ok(c, "tickets_search_events", {"query": "Dvořák"}))["events"]
        event = await ok(c, "tickets_get_event", {"event_id": gone["id"]})
        cheap = await ok(c, "tickets_search_events", {"query": "konsertti alle 40 euroa", "limit": 20})
        capped = await ok(c, "tickets_search_events", {"query": "konsertti", "price_max_minor": 4000, "limit": 20})
        mahler = await ok(c, "tickets_search_events", {"query": "Mahler", "limit": 1})
    assert gone["availability"] == "sold_out" and "price_from" not in gone and "price_to" not in gone
    tiers = [t for s in event["sessions"] for t in s["tiers"]]
    assert min(t["price"]["amount_minor"] for t in tiers) <= 4000 and not any(t["remaining"] for t in tiers)
    for page in (cheap, capped):
        assert page["events"] and gone["id"] not in {e["id"] for e in page["events"]}
        assert all(e["availability"] != "sold_out" for e in page["events"])
        assert all(e["price_from"]["amount_minor"] <= e["price_to"]["amount_minor"] <= 4000 for e in page["events"])
    (whole,) = mahler["events"]
    assert whole["price_to"]["amount_minor"] > 4000  # the capped one above is narrowed, not dearer tiers dropped
    assert any(e["title"] == whole["title"] for e in capped["events"])


async def test_day_words_in_the_query_filter_by_date_and_are_not_matched_against_titles(tickets: TicketsEnv) -> None:
    """'comedy tonight' found 'Open Mic Night' (tonight ≈ Night) weeks ahead, and '脱口秀 今晚' nothing: a day word,
    in English, Finnish or Chinese, is when the user wants to go. A title holding the word keeps it ('Ink Painting
    Today')."""
    tickets.clock.set(datetime(2026, 11, 29, 12, 0, tzinfo=CITY_TZ))  # Sunday; Sanna Lehto is on Monday at 20:00
    async with Client(tickets.server) as c:
        tomorrow = await titles(c, "comedy tomorrow")
        weekend = await ok(c, "tickets_search_events", {"query": "this weekend", "limit": 20})
        tickets.clock.set(datetime(2026, 11, 30, 12, 0, tzinfo=CITY_TZ))
        tonight = {
            q: await titles(c, q) for q in ("comedy tonight", "脱口秀 今晚", "脱口秀今晚", "stand-up tänä iltana")
        }
        comedy = await found(c, "comedy")
        today = await ok(c, "tickets_search_events", {"query": "today", "limit": 20})
        ink = await titles(c, "Ink Painting Today")
    sanna = {"Sanna Lehto: Small Talk, Big Trouble / 桑娜·莱赫托脱口秀：寒暄惹的祸"}
    assert all(hits == sanna for hits in tonight.values()), tonight
    assert len(comedy) > 1 and tomorrow == sanna
    assert today["events"] and all(e["next_session_at"][:10] == "2026-11-30" for e in today["events"])
    assert ink == {"Moving Water: Ink Painting Today / 流水：当代水墨"}
    assert weekend["events"] and all(e["next_session_at"][:10] == "2026-11-29" for e in weekend["events"])  # Sunday


async def test_a_session_sold_before_its_sale_opens_is_sold_out_and_a_hold_names_a_session_with_tickets(
    tickets: TicketsEnv,
) -> None:
    """Northern Lights' first session was listed 'not yet on sale' with 0 left, and a hold said to come back when
    sales open, for seats that were all sold already: it is sold out, and the refusal names a session to book."""
    async with Client(tickets.server) as c:
        (hit,) = (await ok(c, "tickets_search_events", {"query": "Northern Lights"}))["events"]
        event = await ok(c, "tickets_get_event", {"event_id": hit["id"]})
        first, *later = event["sessions"]
        hold = {"session_id": first["id"], "tier": first["tiers"][0]["code"], "quantity": 1}
        refused = await err(c, "tickets_hold_seats", hold)
    assert first["remaining"] == 0 and first["status"] == "sold_out"
    bookable = next(s for s in later if s["remaining"])
    assert "sold out" in refused and "go on sale" not in refused
    assert f"session_id='{bookable['id']}'" in refused


async def test_a_landmark_said_as_where_lists_the_nearest_first(tickets: TicketsEnv) -> None:
    """'中央火车站附近的音乐会' and 'concerts near Oodi' found nothing (the landmark's name is no word of any event):
    a landmark said as where to look around is where distances are measured from, as lat and lng would be, and the
    note says so; 'near me', '离我最近' and a bare '附近的演出' (which said nothing and listed every event by date) are
    nearest first from the account's home, saying so and how to pass where the user is."""
    station = {"lat": 60.1712064, "lng": 24.9412091}
    async with Client(tickets.server) as c:
        said = {
            q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            for q in ("中央火车站附近的音乐会", "concerts near the Central Station", "离火车站最近的音乐会",
                      "concerts near the station")  # as locals say it: 'a kind of place, 4 on the map' before
        }
        exact = await ok(c, "tickets_search_events", {"query": "音乐会", "limit": 20, **station})
        me = await ok(c, "tickets_search_events", {"query": "离我最近的演出", "limit": 5})
        nearby = await ok(c, "tickets_search_events", {"query": "附近的演出", "limit": 5})
        home = await ok(c, "tickets_search_events", {"limit": 5, "lat": 60.1702821, "lng": 24.9437487})  # Kaivokatu 4
    for q, page in said.items():
        assert page["events"] and page["events"] == exact["events"], q
        assert "nearest first from Helsingin päärautatieasema" in page["note"], page["note"]
    distances = [e["distance_m"] for e in exact["events"]]
    assert distances == sorted(distances)
    for page in (me, nearby):
        assert page["events"] == home["events"] and "pass lat and lng" in page["note"], page
        assert "nearest first from Home (Kaivokatu 4, Helsinki)" in page["note"], page["note"]


async def test_a_kind_of_place_or_a_sight_off_the_map_said_as_where_is_named_as_such(tickets: TicketsEnv) -> None:
    """'电影院附近的演出' (near the cinema: which of four?) and '芬兰堡附近的演出' (Suomenlinna, off the map) found
    nothing: 'No event matches 电影院'. Events are listed as without the place, and the note says what the place is."""
    async with Client(tickets.server) as c:
        plain = await ok(c, "tickets_search_events", {"query": "演出", "limit": 20})
        kind = await ok(c, "tickets_search_events", {"query": "电影院附近的演出", "limit": 20})
        island = await ok(c, "tickets_search_events", {"query": "芬兰堡附近的演出", "limit": 20})
    assert plain["events"] and kind["events"] == plain["events"] and island["events"] == plain["events"]
    assert "'电影院' is a kind of place (Cinema 电影院), not one place: 4 on the map" in kind["note"], kind["note"]
    assert "Suomenlinna, the sea fortress, is an island off this map" in island["note"], island["note"]


async def test_how_many_tickets_said_in_a_search_is_for_the_hold_not_a_word(tickets: TicketsEnv) -> None:
    """'话剧 两张票' (plays, two tickets) and '2 tickets for a comedy show' found nothing ('No event matches 两张票'),
    and '看演出' (see a show) nothing either ('No event matches 看'): the number is read as how many to hold, and a
    word that only asks is no word of an event."""
    async with Client(tickets.server) as c:
        pages = {q: (await ok(c, "tickets_search_events", {"query": q, "limit": 20}),
                     await ok(c, "tickets_search_events", {"query": plain, "limit": 20}))
                 for q, plain in (("话剧 两张票", "话剧"), ("2 tickets for a comedy show", "comedy show"),
                                  ("看演出", ""), ("我想去看话剧", "话剧"), ("我们两个人看话剧", "话剧"),
                                  ("concerts for 2 under 50 euros each", "concerts under 50 euros"),
                                  ("每张50欧以内的演唱会", "50欧以内的演唱会"))}  # fmt: skip
    for q, (page, plain) in pages.items():
        assert page["events"] and page["events"] == plain["events"], (q, page["note"])
    two = pages["话剧 两张票"][0]["note"]
    assert "Read '两张票' as how many: hold them with tickets_hold_seats(quantity=2)." in two, two
    assert "Read '2 tickets' as how many" in pages["2 tickets for a comedy show"][0]["note"]


async def test_a_day_said_in_words_where_a_date_goes_is_read_as_the_query_reads_it(tickets: TicketsEnv) -> None:
    """date_from='周六' (Saturday), '今晚' or '周六晚上7点以后' were 'not a date', while the query read the same
    words: a day said in words where a date goes is read as in the query, and a time after it as time_from."""
    async with Client(tickets.server) as c:
        said = await ok(c, "tickets_search_events", {"date_from": "周六", "date_to": "周六", "limit": 20})
        words = await ok(c, "tickets_search_events", {"query": "周六", "limit": 20})
        later = await ok(c, "tickets_search_events", {"date_from": "周六晚上7点以后", "limit": 20})
        apart = await ok(c, "tickets_search_events", {"query": "周六", "time_from": "19:00", "limit": 20})
        bad = await err(c, "tickets_search_events", {"date_from": "xyz"})
    assert said["events"] and said["events"] == words["events"], said.get("note")
    assert apart["events"] and later["events"] == apart["events"] and later.get("note") == apart.get("note")
    assert bad.startswith("date_from 'xyz' is not a date."), bad


async def test_a_cinema_said_short_is_where_to_look_around(tickets: TicketsEnv) -> None:
    """'基诺宫附近的演出' (Kinopalatsi, whose Chinese name is 基诺宫影城, said without 影城) found nothing:
    'No event matches 基诺宫'. A Chinese cinema name said short or with another word for cinema is the cinema."""
    kinopalatsi = {"lat": 60.1711318, "lng": 24.9462642}
    async with Client(tickets.server) as c:
        short = await ok(c, "tickets_search_events", {"query": "基诺宫附近的演出", "limit": 20})
        other = await ok(c, "tickets_search_events", {"query": "基诺宫电影院附近的演出", "limit": 20})
        exact = await ok(c, "tickets_search_events", {"limit": 20, **kinopalatsi})
    for page in (short, other):
        assert page["events"] and page["events"] == exact["events"], page["note"]
        assert "nearest first from Kinopalatsi" in page["note"], page["note"]


async def test_a_saved_address_said_as_where_lists_the_nearest_first(tickets: TicketsEnv) -> None:
    """'离家最近的演出' and 'concerts near work' found nothing ('离家', 'work' are no words of any event): the account's
    one address book (the same Home and Work food delivers to) is where the search measures from, and the note says
    which address; another user's Home is theirs."""
    with Session(tickets.engine) as session:
        home = tickets.service.accounts.find(session, "usr_demo", "home")
        bobs = tickets.service.accounts.find(session, "usr_bob", "home")
    assert home is not None
    async with Client(tickets.server) as c, Client(tickets.server_for("usr_bob")) as bob:
        said = await ok(c, "tickets_search_events", {"query": "离家最近的演出", "limit": 20})
        exact = await ok(
            c, "tickets_search_events", {"limit": 20, "lat": home.location.lat, "lng": home.location.lng}
        )
        theirs = await ok(bob, "tickets_search_events", {"query": "concerts near home", "limit": 5})
    assert said["events"] and said["events"] == exact["events"]
    assert said["note"].startswith(f"Read '离家最近' as where: nearest first from Home ({home.one_line})"), said
    if bobs is not None:
        assert bobs.one_line in theirs["note"], theirs["note"]
    else:
        assert "No event matches 'home'" in theirs["note"], theirs["note"]


async def test_an_event_is_performed_by_those_who_do_that(tickets: TicketsEnv) -> None:
    """The generator drew performers by category alone: the table tennis federation put on the boxing night and
    the esports cup, the puppeteers led the choir's sing-along, a violinist played Grieg's piano concerto."""
    expected = {
        "Helsinki Boxing Night": "Nordic Fight League",
        "Nordic Esports Cup": "Helsinki Esports Club",
        "Sing-along with the Snow Choir": "Snow Choir",
        "科学马戏团": "The Curious Lab",
        "Grieg: Piano Concerto": "Baltic Youth Orchestra",
    }
    async with Client(tickets.server) as c:
        for query, performer in expected.items():
            found = await ok(c, "tickets_search_events", {"query": query, "limit": 5})
            assert found["events"], query
            assert {e["performer"].split(" / ")[0] for e in found["events"]} == {performer}, (query, found["events"])
        table_tennis = await ok(c, "tickets_search_events", {"query": "Finnish Table Tennis Federation"})
    assert table_tennis["events"] == []  # no table tennis is on, so nobody performs as its federation


async def test_an_empty_page_of_two_filters_together_names_them_and_the_nearest_thing_there_is(
    tickets: TicketsEnv,
) -> None:
    """'jazz this weekend under 30 euros': neither filter alone left the jazz out, both together did, and the note
    said only 'drop one at a time to see which', so the agent made four more searches or gave up. It names both
    filters and what matches without them: the next session and the cheapest ticket."""
    async with Client(tickets.server) as c:
        page = await ok(c, "tickets_search_events", {"query": "jazz this weekend under 30 euros"})
        every = await ok(c, "tickets_search_events", {"query": "jazz", "limit": 20})
    assert page["events"] == [] and every["events"], every
    note = page["note"]
    cheapest = min(e["price_from"]["amount_minor"] for e in every["events"])
    assert "fits these together: Sat 28 Nov–Sun 29 Nov, at €30.00 or less" in note, note
    assert f"{len(every['events'])} do" in note or f"{len(every['events'])} does" in note, note
    assert every["events"][0]["title"] in note and f"from €{cheapest / 100:.2f}" in note, note


async def test_two_days_joined_are_the_days_from_one_to_the_other(tickets: TicketsEnv) -> None:
    """'周六到周日的演出', 'concerts from Friday to Sunday', 'shows between Friday and Sunday' found nothing ('No event
    matches 到' / 'between'), and date_from='周六' with date_to='周日' was 'not a date': two days joined by 'to',
    'and', 'or', '到', '至' are the stretch from the first to the last, as the same dates written out."""
    fri, sat, sun = "2026-11-27", "2026-11-28", "2026-11-29"  # the sandbox's clock: Wednesday 25 November
    cases = {
        ("concerts from Friday to Sunday", "", ""): ("concerts", fri, sun),
        ("周六到周日的演出", "", ""): ("演出", sat, sun),
        ("shows between Friday and Sunday", "", ""): ("shows", fri, sun),
        ("theatre Friday or Saturday", "", ""): ("theatre", fri, sat),
        ("周五至周日", "", ""): ("", fri, sun),
        ("12月5日到12月7日的演出", "", ""): ("演出", "2026-12-05", "2026-12-07"),
        ("", "周六", "周日"): ("", sat, sun),
        ("concerts", "Friday", "Sunday"): ("concerts", fri, sun),
    }
    async with Client(tickets.server) as c:
        got = {
            said: (
                await ok(c, "tickets_search_events", {"query": said[0], "date_from": said[1], "date_to": said[2],
                                                      "limit": 20}),
                await ok(c, "tickets_search_events", {"query": q, "date_from": a, "date_to": b, "limit": 20}),
            )
            for said, (q, a, b) in cases.items()
        }  # fmt: skip
        mixed = await err(c, "tickets_search_events", {"date_from": sat, "date_to": "周日"})
    for said, (page, dated) in got.items():
        assert page["events"] and page["events"] == dated["events"], (said, page.get("note"))
    assert mixed.startswith("date_to '周日' is not a date."), mixed


async def test_an_english_name_before_a_chinese_near_is_where_to_look_around(tickets: TicketsEnv) -> None:
    """'Helsinki Music Centre附近的演出' found nothing ('No event matches centre'): only the word right before 附近 was
    read as the place. A name of several capitalised words before 附近 is all of it."""
    async with Client(tickets.server) as c:
        said = await ok(c, "tickets_search_events", {"query": "Helsinki Music Centre附近的演出", "limit": 20})
        english = await ok(c, "tickets_search_events", {"query": "shows near Helsinki Music Centre", "limit": 20})
    assert said["events"] and said["events"] == english["events"], said["note"]
    assert "nearest first from Musiikkitalo" in said["note"], said["note"]


async def test_a_date_time_where_a_date_goes_is_its_day_from_its_time(tickets: TicketsEnv) -> None:
    """Models send date_from='2026-12-05T19:00:00+02:00' (an ISO date-time) where a date goes: it was 'not a date'.
    It is the day, and its time the start of the window (in UTC too: 17:00Z is 19:00 in Helsinki)."""
    async with Client(tickets.server) as c:
        moment = await ok(c, "tickets_search_events", {"date_from": "2026-12-05T19:00:00+02:00",
                                                       "date_to": "2026-12-05T22:00:00+02:00", "limit": 20})
        utc = await ok(c, "tickets_search_events", {"date_from": "2026-12-05T17:00:00Z",
                                                    "date_to": "2026-12-05T20:00:00Z", "limit": 20})
        apart = await ok(c, "tickets_search_events", {"date_from": "2026-12-05", "date_to": "2026-12-05",
                                                      "time_from": "19:00", "time_to": "22:00", "limit": 20})
        whole = await ok(c, "tickets_search_events", {"date_from": "2026-12-05", "date_to": "2026-12-05", "limit": 20})
        bad = await err(c, "tickets_search_events", {"date_from": "2026-12-05T25:00"})
    assert moment["events"] and moment["events"] == apart["events"] == utc["events"], moment.get("note")
    assert len(whole["events"]) > len(apart["events"])
    assert bad.startswith("date_from '2026-12-05T25:00' is not a date."), bad


async def test_a_ticket_price_said_roughly_is_a_fifth_either_side(tickets: TicketsEnv) -> None:
    """'40欧左右的音乐会' (concerts at about €40) found nothing ('No event matches 左右'): a price said roughly is a
    fifth either side of it."""
    async with Client(tickets.server) as c:
        about = await ok(c, "tickets_search_events", {"query": "40欧左右的音乐会", "limit": 20})
        english = await ok(c, "tickets_search_events", {"query": "concerts around 40 euros", "limit": 20})
        apart = await ok(c, "tickets_search_events", {"query": "音乐会", "price_min_minor": 3200,
                                                      "price_max_minor": 4800, "limit": 20})  # fmt: skip
    assert apart["events"] and about["events"] == apart["events"] == english["events"], about["note"]


async def test_chinese_words_tied_by_de_are_each_a_word(tickets: TicketsEnv) -> None:
    """'周末适合带孩子的活动' (something for the children this weekend) said 'No event matching 带孩子的 …': 的 (which
    ties Chinese words) stayed on the word the note quotes. Each side of it is a word, and the matches are unchanged:
    '带孩子的演出' is the family shows, '林夏的演唱会' Lin Xia's concerts, and a title with 的 in it is still found."""
    async with Client(tickets.server) as c:
        weekend = await ok(c, "tickets_search_events", {"query": "周末适合带孩子的活动", "limit": 20})
        kids = await ok(c, "tickets_search_events", {"query": "带孩子的演出", "limit": 20})
        family = await ok(c, "tickets_search_events", {"category": "family", "limit": 20})
        lin = await ok(c, "tickets_search_events", {"query": "林夏的演唱会", "limit": 20})
        apart = await ok(c, "tickets_search_events", {"query": "林夏 演唱会", "limit": 20})
        title = await ok(c, "tickets_search_events", {"query": "寒暄惹的祸", "limit": 20})  # 的 inside a title
    assert weekend["note"].startswith("No event matching '带孩子' has a session"), weekend["note"]
    assert kids["events"] and kids["events"] == family["events"], kids.get("note")
    assert lin["events"] and lin["events"] == apart["events"]
    assert title["events"] and all("寒暄惹的祸" in e["title"] for e in title["events"])


async def test_the_next_few_days_are_today_and_the_days_after(tickets: TicketsEnv) -> None:
    """'未来三天的演出' (shows in the next three days) found nothing ('No event matches 未来三天'), 'shows in the next 3
    days' nothing either: they are today and the two days after it, as the same dates written out."""
    async with Client(tickets.server) as c:
        said = {q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
                for q in ("未来三天的演出", "shows in the next 3 days", "接下来三天", "这几天的演出",
                          "shows the next few days")}  # fmt: skip
        dated = await ok(c, "tickets_search_events", {"date_from": "2026-11-25", "date_to": "2026-11-27", "limit": 20})
    for q, page in said.items():
        assert page["events"] and page["events"] == dated["events"], (q, page.get("note"))


async def test_a_kind_of_ticket_said_keeps_the_events_that_sell_it(tickets: TicketsEnv) -> None:
    """'VIP座位还有的演唱会' (concerts with VIP seats left) found nothing ('No event matches vip, 座位'), 'concerts with
    standing tickets' and '有站票的演出' none either: the tier said keeps the events that sell it, of the rest of the
    query, and the note says where what is left of it shows and how to hold it. A 的 left at a word's start by a
    phrase read out of the query matched every event with a 的 in its title."""
    events = tickets.service.catalog.events
    async with Client(tickets.server) as c:
        vip = await every_page(c, "tickets_search_events", "events", {"query": "VIP座位还有的演唱会"}, 20)
        concerts = await every_page(c, "tickets_search_events", "events", {"query": "演唱会"}, 20)
        standing = {q: await every_page(c, "tickets_search_events", "events", {"query": q}, 20)
                    for q in ("concerts with standing tickets", "有站票的演出")}  # fmt: skip
        noted = await ok(c, "tickets_search_events", {"query": "VIP tickets still available"})
        every = await every_page(c, "tickets_search_events", "events", {}, 20)
        bare = await every_page(c, "tickets_search_events", "events", {"query": "的演出"}, 20)
        standing_concerts = await every_page(c, "tickets_search_events", "events", {"query": "有站票的演唱会吗"}, 20)
        weekend = await ok(c, "tickets_search_events", {"query": "这周末有站票的演唱会吗"})
        tier_a = await every_page(c, "tickets_search_events", "events", {"query": "有A区票的话剧"}, 20)
        plays = await every_page(c, "tickets_search_events", "events", {"query": "话剧"}, 20)
        seated = await every_page(c, "tickets_search_events", "events", {"query": "有座位的演唱会"}, 20)

    def sells(tier: str) -> set[str]:
        return {e for e, rec in events.items() if any(t.code == tier for t in rec.tiers)}

    ids = [e["id"] for e in vip]
    assert ids and ids == [e["id"] for e in concerts if e["id"] in sells("VIP")], ids
    # the prices shown are the VIP seats' (a concert's 'from €39' was its cheapest tier's)
    sessions = tickets.service.catalog.sessions.values()
    for e in vip:
        face = {s.prices["VIP"] for s in sessions if s.event_id == e["id"] and "VIP" in s.prices}
        assert {e["price_from"]["amount_minor"], e["price_to"]["amount_minor"]} <= face, (e["title"], face)
    assert len(ids) < len(concerts)
    for q, found in standing.items():
        assert found and {e["id"] for e in found} <= sells("STANDING"), q
    assert {e["id"] for e in standing["有站票的演出"]} == {e["id"] for e in every} & sells("STANDING")
    assert "Read 'VIP tickets' as events selling VIP tickets" in noted["note"], noted["note"]
    assert "tickets_hold_seats(tier='VIP')" in noted["note"] and noted["events"]
    assert [e["id"] for e in bare] == [e["id"] for e in every]
    # none this weekend: the note counts the events selling that tier at other times, and quotes the words searched
    n = len(standing_concerts)
    assert 0 < n < len(concerts) and weekend["events"] == [], weekend["events"]
    assert "No event matching '演唱会' has a session" in weekend["note"], weekend["note"]
    assert f"{n} do at other times" in weekend["note"], weekend["note"]
    # a tier by its letter ('A区'), and seats of any tier ('有座位', 'seated'): not standing room or timed entry
    assert tier_a and [e["id"] for e in tier_a] == [e["id"] for e in plays if e["id"] in sells("A")]
    seats = {e for e, rec in events.items() if any(t.code not in ("STANDING", "ENTRY") for t in rec.tiers)}
    assert seated and [e["id"] for e in seated] == [e["id"] for e in concerts if e["id"] in seats]
    assert len(seated) < len(concerts)


async def test_a_price_said_for_all_the_tickets_is_each_tickets_share(tickets: TicketsEnv) -> None:
    """'两张票总共100欧以内的演唱会' (two tickets, 100 euros in all) and '2 tickets for under 60 euros total' found
    nothing ('No event matches 总共'): a total with how many is each ticket's share of it, and the note says so."""
    async with Client(tickets.server) as c:
        said = {
            q: await ok(c, "tickets_search_events", {"query": q, "limit": 20})
            for q in ("两张票总共100欧以内的演唱会", "2 tickets for under 60 euros total")
        }
        each = {
            q: await ok(c, "tickets_search_events", {"query": q, "price_max_minor": cents, "limit": 20})
            for q, cents in (("演唱会", 5000), ("", 3000))
        }
    assert said["两张票总共100欧以内的演唱会"]["events"] == each["演唱会"]["events"] != []
    assert said["2 tickets for under 60 euros total"]["page"]["total"] == each[""]["page"]["total"] > 0
    assert "total for 2 tickets: at most €50.00 each" in said["两张票总共100欧以内的演唱会"]["note"]
    assert "at most €30.00 each" in said["2 tickets for under 60 euros total"]["note"]


async def test_the_floor_or_the_stands_in_a_search_is_where_to_be(tickets: TicketsEnv) -> None:
    """'内场票 演唱会' (floor tickets for a concert) found nothing ('No event matches 内场'), '看台 演唱会' (seats in
    the stands) nothing either: which part of the venue is where to be, not words of an event. The search keeps
    the events selling places there, and the note says how the hold takes them."""
    async with Client(tickets.server) as c:
        concerts = await ok(c, "tickets_search_events", {"query": "演唱会", "limit": 20})
        floor = await ok(c, "tickets_search_events", {"query": "内场票 演唱会", "limit": 20})
        english = await ok(c, "tickets_search_events", {"query": "concerts with floor tickets", "limit": 20})
        stands = await ok(c, "tickets_search_events", {"query": "看台 演唱会", "limit": 20})
        shows = await ok(c, "tickets_search_events", {"query": "内场 展览"})
        held = [
            await c.call_tool("tickets_hold_seats", {"session_id": e["next_session_id"], "tier": "看台", "quantity": 1})
            for e in stands["events"]
        ]
    ids = {e["id"] for e in concerts["events"]}
    assert floor["events"] and {e["id"] for e in floor["events"]} <= ids
    assert english["page"]["total"] > floor["page"]["total"]  # 'concerts' are the orchestras' too
    assert english["note"].startswith("Read 'floor tickets' as where to be"), english
    assert floor["note"].startswith("Read '内场票' as where to be: events selling places on the floor"), floor
    assert "tickets_hold_seats(tier='内场票')" in floor["note"]
    assert stands["events"] and {e["id"] for e in stands["events"]} < ids  # a club with a floor alone sells none
    assert stands["note"].startswith("Read '看台' as where to be: events selling places in the stands"), stands
    for result in held:  # each listed event sells seats there: held, the tiers that sell them named, or sold out
        text = result.content[0].text  # type: ignore[union-attr]
        assert not result.is_error or "is the stands here" in text or "sold out" in text, text
    assert any(not result.is_error for result in held)
    assert shows["events"] == [] and "matching the rest sells '内场'" in shows["note"], shows
