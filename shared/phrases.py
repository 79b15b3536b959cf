"""Phrases that say how to search rather than what ('open now', 'open late', 'top rated'), one pattern each for every
vertical that reads them: each vertical had its own with slightly different words, so '还开着的' was open now to food
and a name to nav, and '好评如潮的' ordered food by rating and was searched as a film's words. A vertical cuts them out
of the query (``shared.text.take_out``) and reads them as its filter or its order."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from shared.clock import local
from shared.errors import InvalidInputError, NotFoundError, shown
from shared.hours import SMALL_HOURS_END
from shared.text import take_match

OPEN_NOW = re.compile(
    r"(?<!\w)(?:(?:that(?:'s| is| are) |which (?:is|are) )?(?:open (?:right )?now|currently open|still open|open at "
    r"the moment)|nyt auki|auki nyt)(?!\w)"
    r"|(?:现在|目前|正在|还在|现在还|现在仍|仍在|还)营业(?:中)?的?|营业中的?|(?:现在|现在还|还)(?:开门|开着)的?",
    re.IGNORECASE,
)
"""'sushi open now', 'pharmacy still open', '营业中的火锅', '现在营业的药店', '现在还营业的烧烤': open at this
moment."""

OPEN_LATE = re.compile(
    r"(?<!\w)(?:open (?:late|after midnight)|late[- ]?night|late at night|after midnight|night owl|myöhään|yöllä"
    r"|yöruoka)(?!\w)"
    r"|营业到(?:很晚|深夜)的?|(?:深夜|夜间)营业的?|夜宵|宵夜|深夜|半夜",
    re.IGNORECASE,
)
"""'late night burger', 'cafe open late', '夜宵', '深夜营业的酒吧', 'myöhään': open at ``shared.hours.late_from``."""

OPEN_UNTIL = re.compile(
    r"(?<!\w)(?:(?:that(?:'s| is| are) |which (?:is|are) )?open|opens?)\s+(?P<how>after|past|until|till|til|at)\s+"
    r"(?P<en>midnight|\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?)(?!\w)"
    r"|(?:营业|开)到(?P<part>晚上|夜里|凌晨|半夜)?(?P<h>\d{1,2})点(?P<half>半)?(?P<after>以后|之后|后)?的?"
    r"|(?P<at_part>晚上|夜里|凌晨|半夜)?(?P<at_h>\d{1,2})点(?P<at_half>半)?(?:以后|之后|后)?(?:还|仍然|也)"
    r"(?:在)?(?:开门|营业|开着|开)的?",
    re.IGNORECASE,
)
"""An hour a place must still be open at ('open until midnight', 'open after 11pm', 'bars open past 2', '营业到12点
以后的', '开到晚上11点的', '晚上10点还开门的'): it was read as words of a name, and swallowed by 'near X' ('near
Kinopalatsi open after 11pm' was no place)."""


def open_until(query: str, now: datetime) -> tuple[str, datetime | None]:
    """The query without an hour it says a place must be open at (``OPEN_UNTIL``), and that moment: the next such
    (tonight's, its small hours tomorrow's, 'open at 7am' at noon tomorrow's); 'until' is the minute before. A bare
    hour is the evening's ('open until 11' is 23:00), 12 midnight and 1–4 the small hours, as people say closing
    times. The query as it was, and None, when it says none."""
    rest, m = take_match(OPEN_UNTIL, query)
    if m is None:
        return query, None
    part = m["part"] or m["at_part"] or ""  # which half of the day a Chinese hour is in ('晚上', '凌晨')
    if m["en"]:
        said = m["en"].lower().replace(".", "").replace(" ", "")
        if said == "midnight":
            hour, minute, half = 0, 0, ""
        else:
            clock = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(am|pm)?", said)
            if clock is None:
                return query, None
            hour, minute, half = int(clock[1]), int(clock[2] or 0), clock[3] or ""
        until = m["how"].lower() in ("until", "till", "til")
    else:  # '营业到晚上11点的' (until then, unless '以后'), '晚上10点还开门的' (open at that hour)
        hour, minute = int(m["h"] or m["at_h"]), 30 if m["half"] or m["at_half"] else 0
        half = {"晚上": "pm", "夜里": "pm", "凌晨": "am", "半夜": "am"}.get(part, "")
        until = not (m["after"] or m["at_h"])
    if half:
        if not 1 <= hour <= 12:
            return query, None
        hour = hour % 12 + (12 if half == "pm" else 0)
        if part in ("夜里", "半夜") and hour in (12, 24):
            hour = 0
    elif 5 <= hour <= 11:
        hour += 12  # 'open until 11': the evening's
    elif hour == 12:
        hour = 0  # 'open until 12', '营业到12点': midnight
    if hour > 23 or minute > 59:
        return query, None
    today = local(now)
    moment = today.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if hour < SMALL_HOURS_END.hour and today.hour >= SMALL_HOURS_END.hour:
        moment += timedelta(days=1)  # 'open until 2' in the evening: tonight's small hours
    if until:
        moment -= timedelta(minutes=1)
    if moment < today:  # 'open at 7am' at noon: tomorrow morning's
        moment += timedelta(days=1)
    return rest, moment


DISTANCE_WITHIN = re.compile(
    r"(?P<zh>\d{1,4}(?:\.\d)?)\s*(?P<zh_unit>公里|千米|km|米|m)\s*(?:以内|之内|内|范围内)的?"
    r"|(?<!\w)(?:within|under|less than)\s+(?P<en>\d{1,4}(?:\.\d)?)\s*"
    r"(?P<en_unit>km|kilomet(?:er|re)s?|m|met(?:er|re)s?)(?![\w.])",
    re.IGNORECASE,
)
"""A farthest distance said ('1公里以内的咖啡', '500米以内的药店', 'pharmacy within 300 m'): its words were left out as
in no name or on no menu, and every place listed."""


def distance_within(query: str) -> tuple[str, int, str]:
    """The query without a farthest distance said in it, that distance in metres (0 for none), and the words said."""
    rest, m = take_match(DISTANCE_WITHIN, query)
    if m is None:
        return query, 0, ""
    amount, unit = float(m["zh"] or m["en"]), (m["zh_unit"] or m["en_unit"]).lower()
    metres = round(amount * (1000 if unit in ("公里", "千米", "km") or unit.startswith("kilomet") else 1))
    return rest, metres, m[0].strip().removesuffix("的")


TOP_RATED = re.compile(
    r"(?<!\w)(?:top[- ]rated|best[- ]rated|highly[- ]rated|highest[- ]rated|high[- ]rating|well[- ]reviewed"
    r"|best reviewed|critically acclaimed)(?!\w)"
    r"|评分最高的?|评分高的?|高分的?|好评如潮的?|好评多的?|好评的?|口碑(?:最|比较)?好的?|评价(?:最|比较)?(?:好|高)的?",
    re.IGNORECASE,
)
"""'top rated ramen', '评分高的日料', 'critically acclaimed sci-fi': the best rated first among what matches."""

LATEST_ORDER = re.compile(
    r"(?:(?:my|the|that|this) )?(?:(?:last|latest|most recent|newest|previous|current) (?:order|one|booking)|last"
    r"|latest|order|booking)|(?:the )?(?:order|one|booking) i just (?:placed|made|booked)"
    r"|最近的?一?[单订]单?|最新的?一?[单订]单?|(?:刚才|刚刚|刚)下?的?[那这]?[个一]?订?单|上一?[单次](?:的?订单)?"
    r"|我的订单|[那这]个?订单|[那这]一?单",
    re.IGNORECASE,
)
"""What an agent passes as order_id for 'my order' ('last', 'my latest order', '最近的订单', '刚才的订单'): it was
'not a valid id'; the refusal now gives the latest order's id (``latest_order_said``)."""


TICKETS_WANTED = re.compile(
    r"(?<!\w)(?:(?P<n>\d{1,2})|(?P<en>one|two|three|four|five|six|a pair of|a couple of))\s+(?:tickets?|seats?)"
    r"(?:\s+(?:for|to))?(?!\w)"
    r"|(?P<zh>\d{1,2}|[一两二三四五六])\s*张(?:电影票|门票|票)?"
    r"|(?<!\w)for\s+(?:(?P<for_n>\d{1,2})(?:\s+(?:people|persons|adults|of us))?"
    r"|(?P<for_en>two|three|four|five|six)\s+(?:people|persons|adults|of us))(?!\w)"
    r"|(?:我们)?(?P<zh_people>[两二三四五六])个人",
    re.IGNORECASE,
)
"""How many tickets a search says it wants ('2 tickets for a comedy show', '话剧 两张票', 'two seats for Dune'):
no title has those words, so the search found nothing."""
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a pair of": 2, "a couple of": 2,
           "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}  # fmt: skip


def tickets_wanted(query: str) -> tuple[str, int, str]:
    """The query without how many tickets it says it wants, that number (0 when it says none) and the phrase as
    said; the number is for the hold, not the search."""
    rest, m = take_match(TICKETS_WANTED, query)
    if m is None:
        return query, 0, ""
    said = m["n"] or m["zh"] or m["en"] or m["for_n"] or m["for_en"] or m["zh_people"]
    n = int(said) if said.isdigit() else _COUNTS[" ".join(said.lower().split())]
    return rest, n, re.sub(r"\s+(?:for|to)$", "", m[0].strip(), flags=re.IGNORECASE)


def latest_order_said(said: str, latest: Callable[[], tuple[str, datetime] | None], field: str, source: str) -> None:
    """Refuse, with the id to pass, an order_id that says 'my latest order' (``LATEST_ORDER``); return when it does
    not. ``latest``: the caller's most recent order of this vertical, its id and when it was placed (None: none)."""
    if LATEST_ORDER.fullmatch(" ".join(said.split())) is None:
        return
    found = latest()
    if found is None:
        raise NotFoundError(f"{field} {shown(said)} asks for your latest order, and there is none yet.",
                            f"Orders are listed by {source} once placed.", field=field)  # fmt: skip
    order_id, placed_at = found
    raise InvalidInputError(
        f"{field} {shown(said)} reads as your latest order: {order_id}, placed {local(placed_at):%a %d %b %H:%M}.",
        f"Call again with {field}='{order_id}' if that is the one (else {source} lists them all).",
        field=field,
    )
