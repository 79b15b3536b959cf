"""An event search that finds nothing says why, and what is nearest, instead of a bare [] an agent can only guess
at: words no event has, a price typed into the query, or the one filter (dates, price, category, area) that left
out events matching everything else. Each note's suggestion, taken, finds events."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from mcp import Client

from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import ok


async def search(c: Client, **args: object) -> dict[str, object]:
    return await ok(c, "tickets_search_events", {"limit": 5, **args})


async def test_a_word_no_event_has_is_named_with_the_categories_there_are(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        karaoke = await search(c, query="karaoke")
        found = await search(c, query="Giselle")
        by_category = await search(c, category="concert")
    assert karaoke["events"] == [] and karaoke["page"]["total"] == 0  # type: ignore[index]
    note = str(karaoke["note"])
    assert "'karaoke'" in note and "every word" in note
    concerts = int(re.search(r"concert / 演唱会 \((\d+)\)", note)[1])  # type: ignore[index]
    assert concerts == by_category["page"]["total"]  # type: ignore[index]
    assert "note" not in found and found["events"]


async def test_a_price_typed_into_the_query_points_at_the_price_filter(tickets: TicketsEnv) -> None:
    """'concert under 40 euros' is read as the filter (``price_words``); a price typed without a bound ('concert 40
    euros': at most? at least?) is left to the words, and the empty page says where a price goes."""
    async with Client(tickets.server) as c:
        typed = await search(c, query="concert 40 euros")
        bounded = await search(c, query="concert under 40 euros")
        filtered = await search(c, query="concert", price_max_minor=4000)
    note = str(typed["note"])
    assert "'euros'" in note and "'40'" in note and "price_max_minor=4000" in note
    assert filtered["events"] and "note" not in filtered and bounded == filtered


async def test_an_empty_price_range_names_the_cheapest_ticket_there_is(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        cheap = await search(c, query="Giselle", price_max_minor=100)
        note = str(cheap["note"])
        euros, cents = re.search(r"the cheapest ticket €(\d+)\.(\d\d)", note).groups()  # type: ignore[union-attr]
        cheapest = int(euros) * 100 + int(cents)
        at_that = await search(c, query="Giselle", price_max_minor=cheapest)
        below = await search(c, query="Giselle", price_max_minor=cheapest - 1)
    assert "price_max_minor" in note
    assert at_that["events"] and "note" not in at_that
    assert below["events"] == []


async def test_days_with_nothing_name_the_next_session_that_matches(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        first = await search(c, query="Giselle")
        start = datetime.fromisoformat(str(first["events"][0]["next_session_at"])).date()
        asked = [(start - timedelta(days=n)).isoformat() for n in (2, 1)]
        empty = await search(c, query="Giselle", date_from=asked[0], date_to=asked[1])
        note = str(empty["note"])
        named = re.search(r"the next: Giselle / 吉赛尔 on \w{3} (\d+) (\w{3}) (\d\d:\d\d)", note)
        assert named is not None, note
        day = datetime.strptime(f"{named[1]} {named[2]} {start.year} +0200", "%d %b %Y %z").date()
        on_that_day = await search(c, query="Giselle", date_from=day.isoformat(), date_to=day.isoformat())
        between = await search(c, query="Giselle", date_from=asked[0], date_to=(day - timedelta(days=1)).isoformat())
        weekend = await search(c, query="Giselle this weekend")
    assert "No event matching 'Giselle' has a session" in note
    assert asked[0] <= day.isoformat() and on_that_day["events"]  # the note's session is real, and on or after
    assert between["events"] == []  # the asked days, and none between them and the one named
    if weekend["events"] == []:  # the frozen day's weekend has no Giselle: the phrase is read as days, not a word
        assert "read from 'this weekend'" in str(weekend["note"])


async def test_a_category_or_area_that_leaves_out_every_match_says_where_they_are(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        comedy = await search(c, query="Giselle", category="comedy")
        everywhere = await search(c, query="Peer Gynt")
        areas = {e["area"] for e in everywhere["events"]}  # type: ignore[union-attr]
        elsewhere = next(a for a in ("Töölö", "Hakaniemi", "Punavuori", "Kluuvi") if not any(a in x for x in areas))
        away = await search(c, query="Peer Gynt", area=elsewhere)
    assert "dance / 舞蹈 (" in str(comedy["note"]) and "category 'any'" in str(comedy["note"])
    assert away["events"] == [] and f"in '{elsewhere}'" in str(away["note"])
    assert "elsewhere in the city" in str(away["note"])


async def test_a_chinese_word_no_event_has_is_not_dropped_from_the_rest(tickets: TicketsEnv) -> None:
    """Chinese is cut into the words the catalog knows; a character starting none was dropped, so '芬兰国家歌剧院'
    (the opera house) listed the Finnish National Theatre's plays (and matched them as a near spelling of
    芬兰国家剧院), '冰球比赛' boxing and esports, '音乐剧妈妈咪呀' every musical. Words that only ask ('我想看',
    '适合…看的') and a last suffix ('坎皮区') are still dropped."""
    async with Client(tickets.server) as c:
        opera = await search(c, query="芬兰国家歌剧院")
        hockey = await search(c, query="冰球比赛")
        mamma_mia = await search(c, query="音乐剧妈妈咪呀")
        elders = await search(c, query="适合老人看的演出")
        theatre = await search(c, query="芬兰国家剧院")
        giselle = await search(c, query="我想看吉赛尔")
        kamppi = await search(c, query="坎皮区")
    for page, word in ((opera, "歌剧"), (hockey, "冰球"), (mamma_mia, "妈妈咪呀"), (elders, "老人")):
        assert page["events"] == [] and f"No event matches '{word}'" in str(page["note"]), page
    assert theatre["events"] and giselle["events"] and kamppi["events"]
