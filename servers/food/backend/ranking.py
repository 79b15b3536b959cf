"""The order of a restaurant search as sort-key columns, and cursors that name the last restaurant shown.

Every sort ends with the restaurant's id (its position in the id-ordered columns), so keys are unique and a
cursor holding the last key shown starts the next page right after that restaurant, whatever opened, closed or
moved since (an offset would skip or repeat restaurants when the list changed between pages).
"""

from __future__ import annotations

import bisect
import re
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.account.accounts import LABEL_WORDS, fold_label
from shared.districts import district_said_in
from shared.geo import CITY_TZ
from shared.hours import late_from
from shared.landmarks import NEAR_SAID, means_here
from shared.phrases import OPEN_LATE, distance_within, open_until
from shared.schemas.food import SortKey
from shared.text import any_of_words, take_match, take_out

from .columns import Columns

Ints = npt.NDArray[np.int64]
Column = npt.NDArray[Any]


def minute_of_week(at: datetime) -> int:
    """Minutes since Monday 00:00 local time, as ``shared.hours.is_open`` counts them."""
    local = at.astimezone(CITY_TZ)
    return local.weekday() * 1440 + local.hour * 60 + local.minute


FREE_DELIVERY = re.compile(
    r"(?<!\w)(?:free delivery|free shipping|no delivery fee|ilmainen toimitus|ilmaisella toimituksella)(?!\w)"
    r"|免配送费的?|免运费的?|免费配送的?|免费送的?|包邮的?",
    re.IGNORECASE,
)
"""Words that ask for free delivery ('free delivery pizza', '免配送费的披萨'): 'free' matched gluten-free dishes and
the rest was left out, so the page silently listed gluten-free pizzas. Read as the lowest fee first, with the
coupons that make delivery free (``FoodService.search``)."""
DEALS = re.compile(
    r"(?<!\w)(?:with )?(?:deals?|discounts?|coupons?|offers?|promos?|promotions?|tarjoukset|tarjous|alennus)(?!\w)"
    r"|有优惠的?|优惠券?的?|满减的?|打折的?|折扣的?|红包",
    re.IGNORECASE,
)
"""Words that ask for a deal ('pizza deals', '有优惠的', '满减'): on no menu, so the search found nothing. Coupons
apply at checkout, to the cart: the search lists what the rest asks for and the note names the coupons in force."""
NOT_SPICY = re.compile(
    r"(?<!\w)(?:not spicy|non-spicy|no spice|not hot|mild)(?!\w)|不辣的?|不要辣的?|不吃辣的?|不放辣的?|免辣的?",
    re.IGNORECASE,
)
"""Words that ask for a dish that is not spicy ('不辣的川菜', 'mild curry'): '不辣' was left out as on no menu, and the
spicy dishes listed first. Only dishes not tagged spicy are matched (a spicy dish's spice level has no 'none')."""
_GARNISH_ZH = "香菜|葱花|葱|大蒜|蒜|洋葱|生姜|姜|芝麻|蛋黄酱|芥末|冰块|冰"
_GARNISH_EN = "coriander|cilantro|onions?|garlic|ginger|sesame|mayo|mayonnaise|mustard|pickles?|ice"
KITCHEN_REQUEST = re.compile(
    rf"(?:不要|不加|别放|不放|去掉|去|免|少放|少加|少)(?:{_GARNISH_ZH})的?"
    rf"|(?<!\w)(?:no|without|hold the|minus|less)\s+(?:{_GARNISH_EN})(?!\w)",
    re.IGNORECASE,
)
"""What to leave out or go easy on ('不要香菜的越南粉', '不加葱的拉面', 'burger no onions', 'pho without coriander',
'少冰'): a request for the kitchen, which no menu records. Searched as words, 'no onions' kept the one burger bar
with onions on its menu, and '不要香菜' was left out as 'on no menu'; it goes in the order's note."""
FAST_DELIVERY = re.compile(
    r"(?<!\w)(?:fast(?:est)? delivery|quick(?:est)? delivery|delivered (?:fast|quickly)|nopea toimitus)(?!\w)"
    r"|送得快的?|送餐快的?|配送快的?|最快送达的?|快速送达的?",
    re.IGNORECASE,
)
"""Words that ask for a quick delivery ('fast delivery burger', '送得快的汉堡'): the soonest delivery first."""
LOW_MIN_ORDER = re.compile(
    r"(?<!\w)(?:low(?:est)? min(?:imum)? order|no min(?:imum)?(?: order)?|small minimum order)(?!\w)"
    r"|起送价?(?:最)?低的?|起送价?便宜的?|低起送的?|零起送的?|无起送的?|不限起送的?",
    re.IGNORECASE,
)
"""Words that ask for a low minimum order ('起送价低的披萨', 'low minimum order'): the lowest minimum order first."""
POPULAR = re.compile(
    r"(?<!\w)(?:most popular|popular|best[- ]?sell(?:ing|ers?)|most ordered)(?!\w)"
    r"|销量(?:最)?高的?|销量好的?|卖得(?:最)?好的?|最受欢迎的?|受欢迎的?|人气(?:最)?高的?|热门的?|爆款的?",
    re.IGNORECASE,
)
"""Words that ask for what most people order ('销量最高的汉堡', 'most popular pizza'): sales are not published, so
the restaurants with the most ratings first (each rating an order someone rated)."""
ORDERED_BEFORE = re.compile(
    r"(?<!\w)(?:(?:my|the) usual|(?:the )?same (?:place|restaurant|one) as (?:last time|before)"
    r"|(?:like |from )?last time|order(?:ed)? (?:again|before)|reorder"
    r"|where i (?:ordered|order) (?:from )?(?:before|last time)?)(?!\w)"
    r"|我?(?:经常|常常|老是|总是|常)(?:点|吃|叫)的?(?:那家|那几家|店)?|我?上[次回](?:点|吃|叫)?的?(?:那家|店)?"
    r"|(?<![没未])(?:以前|之前|我)?(?:点|吃)过的(?:那家|那几家|店)?|再来一单",
    re.IGNORECASE,
)
"""Words that ask for the restaurants the user ordered from ('上次点的那家', '我常点的', 'my usual', 'order again'):
searched as words they matched an option called 'Regular / 常规' in 72 kitchens, or a bar called Time Bar."""
DELIVER_TO = re.compile(
    r"(?<!\w)(?:deliver(?:ed|y)?\s+)?to\s+(?:my\s+|the\s+)?(home|house|work|office)(?!\w)"
    r"|(?:送到|送去|送至|送)我?的?(家里|家|公司|单位|办公室)",
    re.IGNORECASE,
)
"""Where the food should go, said in the query ('sushi delivered to work', '早餐送到公司'): the saved address of that
label is the delivery point; '送到公司' was left out as 'on no menu' and restaurants near home were listed."""


DELIVER_TO_PLACE = re.compile(
    r"(?<!\w)(?:deliver(?:ed|y)?\s+)?to\s+(?P<en>[^\W\d_][\w.'-]*(?:\s+[^\W\d_][\w.'-]*)*(?:\s+\d+\s?[a-z]?)?)"
    r"(?:\s*$|(?=\s*,))|(?:送到|送去|送至)(?P<zh>[^的]+)(?:的|$)",
    re.IGNORECASE,
)
"""A street address or district said as where to deliver ('pizza to Mannerheimintie 5', '送到Kamppi的披萨', 'pizza
delivered to Kamppi'): at the end of an English query (what follows 'to' up to the end or a comma), after 送到 in
Chinese. The service looks it up on the map; what it cannot place stays words of the query."""


FOR_WHOM = re.compile(
    r"(?<!\w)for (?:the (?:whole )?)?(?:family|kids|children|everyone|office|team|group|party|(?:\d{1,2}|two|three|four"
    r"|five|six|eight|ten)(?: people| persons| of us| adults)?)(?!\w)"
    r"|(?:[一两二三四五六八十]|\d{1,2})人份的?|(?:[两二三四五六八十]|\d{1,2})个人吃的?|全家(?:人)?(?:一起)?吃的?|家庭装的?",
    re.IGNORECASE,
)
"""Who the meal is for ('pizza for the family', 'sushi for 4', '两人份的寿司', '全家吃的'): how much to order, not a
dish's words ('pizza for the family' found nothing: 'family' is in one restaurant's name)."""
TO_GO = re.compile(r"(?<!\w)(?:to go|to take away|for takeaway)(?!\w)|打包带走|打包", re.IGNORECASE)
"""'sushi to go', '打包': every order here is taken away; 'go' was searched as a dish word and found nothing."""


ABSENT_CHAINS = {
    "kfc": ("KFC", "fried chicken"),
    "肯德基": ("KFC", "炸鸡"),
    "popeyes": ("Popeyes", "fried chicken"),
    "domino's": ("Domino's", "pizza"),
    "dominos": ("Domino's", "pizza"),
    "达美乐": ("Domino's", "披萨"),
    "five guys": ("Five Guys", "burger"),
    "瑞幸": ("Luckin Coffee", "咖啡"),
    "luckin": ("Luckin Coffee", "coffee"),
    "喜茶": ("HEYTEA", "奶茶"),
    "蜜雪冰城": ("Mixue", "奶茶"),
}
"""Chains people ask for that this city has no branch of, and what they sell: '肯德基' and 'KFC' found nothing, with a
note suggesting 'pizza'; Ele.me answers 'no KFC nearby' with the fried chicken that is. (McDonald's, Burger King,
Subway, Starbucks and Pizza Hut are here: ``fixtures/vocab/chains_zh.json``.)"""


_ABSENT = re.compile(
    "|".join(re.escape(said) if not said.isascii() else rf"(?<!\w){re.escape(said)}(?!\w)" for said in ABSENT_CHAINS)
)


OFF_MENU_DISHES: dict[str, tuple[str, str]] = {
    "北京烤鸭": ("Peking duck", "chinese"), "烤鸭": ("roast duck", "chinese"), "peking duck": ("", "chinese"),
    "roast duck": ("", "chinese"), "红烧肉": ("red-braised pork", "chinese"), "东坡肉": ("Dongpo pork", "chinese"),
    "回锅肉": ("twice-cooked pork", "chinese"), "糖醋排骨": ("sweet and sour ribs", "chinese"),
    "黄焖鸡": ("braised chicken with rice", "chinese"), "煲仔饭": ("claypot rice", "chinese"),
    "肉夹馍": ("roujiamo", "chinese"), "凉皮": ("liangpi", "chinese"), "煎饼果子": ("jianbing", "chinese"),
    "油条": ("youtiao", "chinese"), "豆浆": ("soy milk", "chinese"), "肠粉": ("rice noodle rolls", "dumplings"),
    "烧麦": ("shumai", "dumplings"), "烧卖": ("shumai", "dumplings"), "馄饨": ("wontons", "dumplings"),
    "云吞": ("wontons", "dumplings"), "wonton": ("", "dumplings"), "wontons": ("", "dumplings"),
    "串串": ("chuanchuan skewers", "hotpot"), "冒菜": ("maocai", "hotpot"), "烤串": ("grilled skewers", "kebab"),
    "羊肉串": ("lamb skewers", "kebab"), "烤羊排": ("grilled lamb chops", "steak"),
    "手抓饭": ("plov", "middle_eastern"),
    "部队锅": ("budae-jjigae", "korean"), "冷面": ("naengmyeon", "korean"), "寿喜烧": ("sukiyaki", "japanese"),
    "sukiyaki": ("", "japanese"), "天妇罗": ("tempura", "japanese"), "tempura": ("", "japanese"),
    "乌冬": ("udon", "noodle"), "udon": ("", "noodle"), "小龙虾": ("crayfish", "seafood"), "crayfish": ("", "seafood"),
    "大闸蟹": ("hairy crab", "seafood"), "生蚝": ("oysters", "seafood"), "oysters": ("", "seafood"),
    "bagel": ("", "bakery"), "bagels": ("", "bakery"), "pulla": ("cardamom bun", "bakery"),
}  # fmt: skip
"""Dishes people ask for by name that no menu of the real city lists: their English name where they are asked in
another language, and the kitchen whose like cooks them (a cuisine's slug). '烤鸭', '馄饨' and 'tempura' found
nothing, with a note suggesting pizza; Ele.me answers a dish no one near sells with the kitchens that cook its kind,
saying the dish itself is not listed. Read so only while no menu has the dish (``FoodService.search`` asks the
index): a menu that adds it is searched as any other."""

_OFF_MENU = re.compile(any_of_words(OFF_MENU_DISHES))


def off_menu_dish(query: str) -> tuple[str, str, str, int, int] | None:
    """(the dish as said, its name, the cuisine that cooks it, where it stands in the query) for a query naming a
    dish of ``OFF_MENU_DISHES``."""
    found = _OFF_MENU.search(query.casefold())
    if found is None:
        return None
    dish, slug = OFF_MENU_DISHES[found[0]]  # casefolding keeps lengths (ASCII, Chinese): the span is the query's
    return query[found.start() : found.end()], dish, slug, found.start(), found.end()


def absent_chain(query: str) -> tuple[str, str, str] | None:
    """(the chain as named, what it sells, the query with that instead) for a query naming an absent chain."""
    found = _ABSENT.search(query.casefold())
    if found is None:
        return None
    chain, sells = ABSENT_CHAINS[found[0]]  # casefolding keeps lengths (ASCII, Chinese): the span is the query's
    return chain, sells, query[: found.start()] + sells + query[found.end() :]


def deliver_to_place(query: str) -> tuple[str, str]:
    """The query without a place said as where to deliver, or to look around ('pizza near Oodi', '坎皮附近的寿司':
    ``shared.landmarks.NEAR_SAID``; a district said as where, 'sushi in Kamppi', '坎皮的寿司', 'pizza Kampissa'), and
    that place as said, a district by its name ('' when it says none)."""
    rest, m = take_match(DELIVER_TO_PLACE, query)
    if m is None:
        rest, m = take_match(NEAR_SAID, query)
    if m is None:
        rest, district = district_said_in(query)
        return (rest, district.name) if district is not None else (query, "")
    return rest, (m["en"] or m["zh"] or "").strip()


def near_saved(query: str) -> tuple[str, str]:
    """The query without 'near me' or a saved address's label said as where to look around ('离家最近的咖啡',
    '公司附近的午餐', 'sushi near work'), and that label as ``deliver_to`` gives it (a word for home or work as said;
    '' for 'near me', the delivery point already, and for no such phrase). The query as it was when it says neither."""
    rest, m = take_match(NEAR_SAID, query)
    where = (m["en"] or m["zh"] or "").strip() if m else ""
    if not where:
        return query, ""
    if means_here(where):
        return rest, ""
    return (rest, where) if fold_label(where) in LABEL_WORDS else (query, "")


def deliver_to(query: str) -> tuple[str, str]:
    """The query without where it says to deliver, and that place, a word for home or work as said ('' when it says
    none): an address the user saved under that very label ('公司') is the one meant before the one the word means
    ('Work'); '送到公司' delivered to Work when the user had saved 公司 as another address."""
    rest, m = take_match(DELIVER_TO, query)
    if m is None:
        return query, ""
    return rest, next(g for g in m.groups() if g is not None)


_MINUTES_EN = r"(\d{1,3})\s*(?:minutes?|mins?)"
_WITHIN_EN = (
    rf"(?:(?:delivered|delivery|deliver(?:s|ing)?|arriv(?:es|ing)|here)\s+)?(?:(?:with)?in(?: under)?|under|in less "
    rf"than|less than)\s+(?:{_MINUTES_EN}|(half an hour|an hour|one hour))"
    rf"|{_MINUTES_EN}(?:\s+(?:or less|delivery|max(?:imum)?))?"
)
_ZH_SPAN = r"(\d{1,3})\s*分钟|(半小时|半个小时|一小时|一个小时|1小时|1个小时)"
DELIVERY_WITHIN = re.compile(
    rf"(?<!\w)(?:{_WITHIN_EN})(?!\w)|(?:{_ZH_SPAN})(?:以内|之内|内)?(?:能?送到的?|能?送达的?|能到的?|到的?)?",
    re.IGNORECASE,
)
"""A delivery time said in the query ('pizza delivered within 30 minutes', '30分钟内能送到的披萨', '半小时送达'): read
as the longest wait the user accepts (no dish is measured in minutes). Its words are on no menu, so they were left
out and a 31-minute delivery came first."""
_SPAN_MINUTES = {"half an hour": 30, "半小时": 30, "半个小时": 30}


def delivery_within(query: str) -> tuple[str, int | None]:
    """The query without a delivery time it says, and that time in minutes (None when it says none)."""
    rest, m = take_match(DELIVERY_WITHIN, query)
    if m is None:
        return query, None
    said = next(g for g in m.groups() if g is not None)
    return rest, int(said) if said.isdigit() else _SPAN_MINUTES.get(said.lower(), 60)


RATING_AT_LEAST = re.compile(
    r"(?:评分|评价|口碑|星级)\s*(?:在)?\s*(?P<zh>[1-5](?:\.\d)?)\s*(?:分|星)?\s*(?:以上|及以上|或以上|\+)的?"
    r"|(?P<zh_bare>[1-5](?:\.\d)?)\s*(?:分|星)\s*(?:以上|及以上)的?"
    r"|(?<![\w.])(?:rated|rating|ratings)\s+(?:of\s+)?(?:above|over|at least|>=?|≥)?\s*(?P<en>[1-5](?:\.\d)?)"
    r"\s*(?:\+|stars?)?(?:\s+or (?:more|higher|above|better))?(?![\w.])"
    r"|(?<![\w.])(?P<stars>[1-5](?:\.\d)?)\s*\+?\s*stars?(?:\s+(?:and up|or (?:more|higher|above|better)))?(?![\w.])",
    re.IGNORECASE,
)
"""A least rating said ('评分4.5以上的寿司', 'sushi rated above 4.5', '4.5 stars and up'): its number was read as a
dish price ('at least €4.50') and the rating was left out."""
FEE_AT_MOST = re.compile(
    r"(?:配送费|运费|送费)\s*(?:在)?\s*(?P<zh>\d{1,2}(?:\.\d{1,2})?)\s*(?:欧元?|€|块)?\s*(?:以下|以内|之内|内)的?"
    r"|(?<!\w)delivery\s+(?:fee|cost|charge)s?\s+(?:under|below|less than|at most|of at most|<=?)\s*€?\s*"
    r"(?P<en>\d{1,2}(?:\.\d{1,2})?)\s*(?:€|euros?|eur)?(?![\w.])",
    re.IGNORECASE,
)
"""A highest delivery fee said ('配送费3欧以下的披萨', 'delivery fee under 3 euros'): read as a dish price, it found
no pizza at €3."""


def bounds_said(query: str) -> tuple[str, float, int, int, list[str]]:
    """The query without a least rating, a highest delivery fee and a farthest distance said in it, and those
    (0 for none: the rating out of 5, the fee in cents, the distance in metres), with the words as said."""
    words: list[str] = []
    query, m = take_match(RATING_AT_LEAST, query)
    rating = float(m["zh"] or m["zh_bare"] or m["en"] or m["stars"]) if m else 0.0
    words += [m[0].strip().removesuffix("的")] if m else []
    query, m = take_match(FEE_AT_MOST, query)
    fee = round(float(m["zh"] or m["en"]) * 100) if m else 0
    words += [m[0].strip().removesuffix("的")] if m else []
    query, metres, said = distance_within(query)  # '1公里以内': as nav reads it for its radius
    words += [said] if said else []
    return query, rating, fee, metres, words


def late_night(query: str, now: datetime) -> tuple[str, datetime | None]:
    """The query without its late-night words, and the time a restaurant must take orders at if it had any
    (``shared.hours.late_from``), or at the hour said ('open until midnight'): a burger bar closing at 21:00 came
    first for 'late night burger'."""
    rest, late = take_out(OPEN_LATE, query)
    if late:
        return rest, late_from(now)
    return open_until(query, now)  # 'open until midnight', '营业到12点以后的'; (query, None) when it says no hour


def sort_columns(
    cols: Columns,
    sort: SortKey,
    at: Ints,
    score: Ints,
    distance: Ints,
    open_: npt.NDArray[np.bool_],
    straight: Ints,
    cheap: bool = False,
) -> list[Column]:
    """The sort key of each restaurant at ``at``, as columns, most significant first, the position last.
    ``distance`` is by road (what fees and ETAs count), ``straight`` the distance each result shows: sorting by
    distance goes by the one shown first, so a page never reads '108 m, 107 m' (two rounded road distances tie
    where the straight ones differ by a metre)."""
    if sort == "relevance" and cheap:
        return [-score, cols.price_level[at], (~open_).astype(np.int64), -cols.rating[at], distance, at]
    if sort == "relevance":
        return [-score, (~open_).astype(np.int64), -cols.rating[at], distance, at]
    if sort == "distance":
        return [straight, distance, at]
    if sort == "rating":
        return [-cols.rating[at], -cols.rating_count[at], at]
    if sort == "delivery_time":  # a closed restaurant delivers after it opens (its eta is null): last
        return [(~open_).astype(np.int64), cols.eta(at, distance), distance, at]
    if sort == "fee":
        return [cols.fee(at, distance), distance, at]
    if sort == "popular":
        return [-cols.rating_count[at], -cols.rating[at], distance, at]
    return [cols.min_order[at], distance, at]


def cursor_key(ranked: list[Column], k: int, cols: Columns) -> list[Any]:
    """The key of the ``k``-th ranked restaurant as a cursor carries it: plain numbers, then its id."""
    return [v.item() for v in (c[k] for c in ranked[:-1])] + [cols.ids[int(ranked[-1][k])]]


def id_rank(ids: list[str], restaurant_id: str) -> float:
    """The position a cursor's id sorts at: its own, or half a step before where it would be inserted."""
    p = bisect.bisect_left(ids, restaurant_id)
    return p if p < len(ids) and ids[p] == restaurant_id else p - 0.5
