"""A price said in a query ('concerts under €40', 'konsertti alle 40 euroa', '40欧以下的演唱会', 'sushi under 20
euros', 'between 10 and 12 euros'), read as price bounds, as day words are read as dates: searched as words, they
matched nothing. Tickets filters events by them, food the matched dishes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from shared.text import cut_phrase

_EURO = r"(?:€|eur|euro|euros|euroa|e|欧元|欧|元|块)?"
_AMOUNT = rf"€?\s*(\d{{1,4}}(?:[.,]\d{{1,2}})?)\s*{_EURO}"
_EACH = r"(?:\s*(?:each|apiece|per (?:ticket|person|head|seat)|a (?:ticket|head|person)|kpl))?"
_EACH_ZH = r"(?:每张票?|每人|每位|一张票?|人均)?"
"""'under 50 euros each', '每张50欧以内': the price of one ticket, which is what a price filter is ('each' was left
as a word no event has, and the search found nothing)."""
_MONEY_WORD_ZH = r"(?:人均|每人|每位|每张票?|票价|价格|价钱)\s*"
_EUROS_ZH = r"€?\s*(\d{1,4}(?:[.,]\d{1,2})?)\s*(?:欧元|欧|元|块)"


def _bound_zh(words: str, after: str) -> str:
    """A bound said before its amount in Chinese ('不超过20欧', '人均不到15', '票价不低于20'): after a word of money
    the amount is money as it stands; without one only with its currency ('最多2张' is how many tickets)."""
    return rf"|{_MONEY_WORD_ZH}(?:{words})\s*{_AMOUNT}\s*(?:{after})?|(?:{words})\s*{_EUROS_ZH}\s*(?:{after})?"


_AT_MOST = re.compile(
    rf"(?<!\w)(?:under|below|less than|at most|up to|max|cheaper than|alle|enintaan|korkeintaan)"
    rf"\s*{_AMOUNT}(?![\w:.+-]){_EACH}"
    rf"|{_EACH_ZH}{_AMOUNT}\s*(?:以下|以内|之内|or less|tai alle){_EACH}"
    + _bound_zh("不超过|不高于|不到|(?<!不)低于|(?<!不)少于|最多", "以下|以内|之内"),
    re.IGNORECASE,
)
_AT_LEAST = re.compile(
    rf"(?<!\w)(?:over|above|more than|at least|yli|vahintaan)\s*{_AMOUNT}(?![\w:.+-]){_EACH}"
    rf"|{_EACH_ZH}{_AMOUNT}\s*以上" + _bound_zh("(?<!不)超过|(?<!不)高于|至少|最少|不低于|不少于", "以上"),
    re.IGNORECASE,
)

_ABOUT = re.compile(
    rf"(?<!\w)(?:around|about|roughly|approximately|approx\.?|circa|noin)\s*(?:€\s*(\d{{1,4}}(?:[.,]\d{{1,2}})?)"
    rf"|(\d{{1,4}}(?:[.,]\d{{1,2}})?)\s*(?:eur|euros?|euroa)\b){_EACH}"
    rf"|(?:人均|每人|每位|每张票?)\s*{_AMOUNT}\s*(?:左右|上下)|人均\s*{_AMOUNT}(?!\s*(?:欧元|欧|元|块)?\s*(?:以下|以内|之内|以上|[\d.,]))|€?\s*(\d{{1,4}}(?:[.,]\d{{1,2}})?)\s*(?:欧元|欧|元|块)"
    rf"\s*(?:左右|上下){_EACH_ZH}",
    re.IGNORECASE,
)
"""A price said roughly ('人均30左右的日料', 'around 30 euros each', '30欧左右', '人均30的'): a fifth either side of
it. With its currency or a per-person word only: 'around 7' may be an hour, '18左右' an age."""
ABOUT_SPAN = 0.2

_NUMBER = r"(\d{1,4}(?:[.,]\d{1,2})?)"
_CURRENCY = r"(?:€|\beur\b|\beuros?\b|\beuroa\b|欧元|欧|元|块)"
_RANGE = re.compile(
    rf"(?<![\w:.,])(?:between\s+|from\s+|välillä\s+)?€?\s*{_NUMBER}\s*{_CURRENCY}?"
    rf"\s*(?:-|–|—|~|to|and|到|至)\s*€?\s*{_NUMBER}(?![\d:])\s*{_CURRENCY}?(?:\s*之间|\s*välillä)?",
    re.IGNORECASE,
)
"""A price range: 'between 10 and 12 euros', '€10-15', '10到15欧', '10–15 euroa'. Only with a currency said: '10-12'
alone may be hours or a date, 'between 6 and 8' an hour."""

AGES = frozenset({7, 12, 13, 15, 16, 18, 21, 60, 65})
"""Age limits (K-7 … K-18 ratings, 18+/21+ shows, seniors at 60/65): 'under 18' or 'over 65' with no currency is who
may come, not a price; '€18' or '18 euros' is still one."""
_AGE = re.compile(
    r"(?<!\w)(?:(?:under|over|below|above|alle|yli)\s*(\d{1,2})(?:\s*s\b|\s*years?\b|-?vuotia\w*)?"
    r"(?![\w.,€]|\s*€|\s*(?:e|eur|euro|euros|euroa)\b)"  # '18.50', '18 €', '18 euros': a price
    r"|K-?(\d{1,2})\b|(\d{1,2})\s*\+|(\d{1,2})\s*岁)",
    re.IGNORECASE,
)


def said_age(query: str) -> tuple[str, int]:
    """An age limit said in ``query`` ('under 18', 'alle 18-vuotiaille', 'K-18', '18+', '18岁以下') and its age,
    or ('', 0)."""
    for m in _AGE.finditer(query):
        age = int(next(g for g in m.groups() if g is not None))
        if age in AGES:
            return m.group(0).strip(), age
    return "", 0


@dataclass(frozen=True)
class SaidPrice:
    query: str
    """The query without the price phrases (and the 的 that tied one to the rest)."""
    max_minor: int = 0
    min_minor: int = 0

    def __bool__(self) -> bool:
        """Whether a price was said at all."""
        return bool(self.max_minor or self.min_minor)

    def fits(self, minor: int) -> bool:
        """Whether ``minor`` is within the bounds said (a bound not said does not bound)."""
        return minor >= self.min_minor and (not self.max_minor or minor <= self.max_minor)


def _cents(amount: str) -> int:
    """'18.50' or '18,50' (euros) in cents."""
    return round(float(amount.replace(",", ".")) * 100)


def read_price(query: str) -> SaidPrice:
    """The price bounds ``query`` says, in cents (0: none said), and the query without them. Only a phrase with a
    bound word ('under', 'alle', '以下') or a range with its currency ('between 10 and 12 euros') is a price: '40'
    alone may be a title's ('Tribute to the 40s'), 'from 19:30' or '20点起' is a time, and 'under 18' or 'alle
    18-vuotiaille' (no currency) an age (``AGES``)."""
    text = query
    at_most = at_least = 0
    for said in _RANGE.finditer(text):  # a range with its currency: both bounds, and the query without it
        if re.search(_CURRENCY, said.group(0), re.IGNORECASE):
            low, high = sorted(map(_cents, said.groups()))
            return SaidPrice(" ".join(cut_phrase(text, said.start(), said.end()).split()), high, low)
    if (about := _ABOUT.search(text)) is not None:  # '人均30左右': a fifth either side
        cents = _cents(next(g for g in about.groups() if g is not None))
        low, high = int(round(cents * (1 - ABOUT_SPAN), -2)), int(round(cents * (1 + ABOUT_SPAN), -2))
        return SaidPrice(" ".join(cut_phrase(text, about.start(), about.end()).split()), high, low)
    for pattern, is_max in ((_AT_MOST, True), (_AT_LEAST, False)):
        m = pattern.search(text)
        if m is None or said_age(m.group(0))[0]:  # 'under 18' is who may come; 'under €18' a price
            continue
        amount = _cents(next(g for g in m.groups() if g is not None))
        if is_max:
            at_most = amount
        else:
            at_least = amount
        text = cut_phrase(text, m.start(), m.end())
    return SaidPrice(" ".join(text.split()), at_most, at_least)


CHEAPEST = frozenset(
    {"cheapest", "lowest", "cheap", "最便宜", "最便宜的", "便宜的", "便宜", "最低价", "halvin", "halvimmat"}
)
DEAREST = frozenset(
    {"best", "dearest", "most expensive", "最贵", "最贵的", "最好的", "最好", "paras", "parhaat"}
    | {"best seats", "the best seats", "the best", "最好的位置", "最好的座位", "最佳位置", "最佳座位"}
    | {"好位置", "好座位"}
)
"""A tier asked for by its price rather than its name ('tier': '最便宜的', 'best'): the cheapest or the dearest of
the session's or showtime's tiers, in tickets and movies alike (movies reads the best seats as the best view
first: ``servers.movies.backend.pricing.BEST``). '最好的位置' was 'not a tier' of a concert."""

WHEELCHAIR_SAID = frozenset(
    {"wheelchair", "wheelchair space", "wheelchair spaces", "accessible", "accessible seat", "accessible seats"}
    | {"accessible seating", "无障碍", "无障碍座", "无障碍座位", "无障碍位", "无障碍席", "轮椅", "轮椅位", "轮椅座"}
    | {"轮椅座位", "pyörätuoli"}
)
"""A wheelchair space asked for as the tier ('无障碍', '轮椅位', 'accessible'): movies' WHEELCHAIR tier, and in
tickets a hold with wheelchair=true (a space of one of the priced tiers)."""


TOGETHER = re.compile(
    r"连座|连在一起|坐在一起|坐一起|在一起|挨着的?|相邻的?|挨在一起"
    r"|(?<![a-z])(?:(?:seated\s+)?together|side\s+by\s+side|next\s+to\s+each\s+other|adjacent)(?![a-z])",
    re.IGNORECASE,
)
"""Seats together said with the tier ('A区连座', 'VIP together'): best available always holds seats side by side."""
SOFTENED = re.compile(r"(?<=[\u3400-\u9fff])(?:一)?点儿?的?$|(?<=[\u3400-\u9fff])的$")
"""A softened or adjectival end ('便宜点的', '便宜一点', 'A区的'): the tier is the word before it."""


def plain_tier(said: str) -> str:
    """The tier as said without what every best-available hold does anyway ('连座', 'together') and without a softened
    end ('便宜点的' is 便宜, the cheapest): 'A区连座' and '便宜点的' were 'not a tier'."""
    text = " ".join(TOGETHER.sub(" ", said).split())
    return SOFTENED.sub("", text) if text not in CHEAPEST | DEAREST else text


def tier_by_price(said: str, prices: Mapping[str, int]) -> str | None:
    """The cheapest or the dearest of ``prices``' tiers (code → price) when ``said`` asks for one by its price
    (``CHEAPEST``, ``DEAREST``), else None (also when there are no prices)."""
    word = " ".join(said.split()).lower()
    if not prices or (word not in CHEAPEST and word not in DEAREST):
        return None
    return (min if word in CHEAPEST else max)(prices, key=prices.__getitem__)
