"""Catalog search: a query, in English or Chinese, split into the things it asks for, matched against
restaurant names, cuisines, dishes, their ingredients (names, descriptions) and their options.

"oat milk latte" and "燕麦奶咖啡" are two parts each ("oat milk" + "latte", "燕麦奶" + "咖啡"): a restaurant
matches when one of its dishes satisfies every part, by its own words or options, or through the
restaurant (a coffee shop satisfies "咖啡"). Words are matched at word starts ("tea" is not in "steak");
Chinese, which has no spaces, is cut at the longest names the catalog knows. Parts that occur nowhere in
the catalog ("best", "please") are left out and reported, so a chatty query still finds the dish.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from shared.errors import shown
from shared.hours import next_opening
from shared.schemas.common import GeoPoint, Money
from shared.schemas.food import MatchedDish

from .catalog import Catalog, CategoryRec, ItemRec, RestaurantRec, bilingual

MAX_DISHES = 3
MAX_PHRASE = 8  # tokens: longer names are never a query part
STOPWORDS = frozenset(
    {
        *("a", "an", "the", "with", "and", "or", "of", "in", "on", "for", "some", "any", "me", "my", "i", "we"),
        *("want", "would", "like", "please", "to", "order", "get", "one", "two", "near", "nearby", "delivery"),
        *("deliver", "cup", "glass"),
    }
)
CJK_STOP = frozenset(["的", "和", "加", "配", "要", "想", "我", "杯", "份", "个", "一", "一杯", "一份", "一个", "来"])
_WORD_CHARS = "'’-_&%"


def is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uf900" <= ch <= "\ufaff"


def tokens(text: str) -> list[str]:
    """Lowercase Latin words and single CJK characters, in order; punctuation and spaces separate."""
    out: list[str] = []
    word: list[str] = []
    for ch in text.lower():
        if is_cjk(ch):
            if word:
                out.append("".join(word))
                word = []
            out.append(ch)
        elif ch.isalnum() or (ch in _WORD_CHARS and word):
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def join(parts: list[str] | tuple[str, ...]) -> str:
    """Tokens back into text: a space between two Latin words, none around Chinese."""
    text = ""
    for tok in parts:
        if text and not is_cjk(text[-1]) and not is_cjk(tok[0]):
            text += " "
        text += tok
    return text


_patterns: dict[str, re.Pattern[str]] = {}


def hit(term: str, text: str) -> bool:
    """``term`` occurs in ``text``: at a word start for Latin terms ('tea' is not in 'steak'), anywhere for Chinese."""
    if term not in text:
        return False
    if is_cjk(term[0]):
        return True
    pattern = _patterns.get(term)
    if pattern is None:
        if len(_patterns) > 4096:
            _patterns.clear()
        pattern = _patterns[term] = re.compile(r"(?<![^\W_])" + re.escape(term))
    return pattern.search(text) is not None


@dataclass(frozen=True)
class Part:
    """One thing a query asks for: its words, and every label of the cuisine it names (so '咖啡' finds coffee)."""

    literal: str
    terms: tuple[str, ...]
    cuisines: frozenset[str]


@dataclass(frozen=True)
class OptionText:
    text: str
    label: str
    sold_out: bool


@dataclass(frozen=True)
class Dish:
    item: ItemRec
    label: str
    text: str
    options: tuple[OptionText, ...]


@dataclass
class Index:
    """The catalog's searchable text, built once (the catalog is static while the app runs)."""

    catalog: Catalog
    names: dict[str, str] = field(default_factory=dict)
    dishes: dict[str, list[Dish]] = field(default_factory=dict)
    blobs: dict[str, str] = field(default_factory=dict)
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    everything: str = ""
    _memo: dict[str, tuple[dict[str, tuple[int, list[MatchedDish]]], list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for rest in self.catalog.restaurants.values():
            self.names[rest.id] = f"{rest.name} {rest.name_zh}".lower()
            dishes = [self._dish(item, cat) for cat in rest.menu for item in cat.items]
            self.dishes[rest.id] = dishes
            self.blobs[rest.id] = " | ".join(
                [self.names[rest.id], *(d.text for d in dishes), *(o.text for d in dishes for o in d.options)]
            )
        self.everything = " | ".join(self.blobs.values())
        for rest in self.catalog.restaurants.values():
            for cat in rest.menu:
                self._learn(cat.name_zh, chinese_only=True)
                for item in cat.items:
                    self._learn(item.name_zh, chinese_only=True)
                    for group in item.option_groups:
                        for name in (
                            group.name,
                            group.name_zh,
                            *(n for o in group.options for n in (o.name, o.name_zh)),
                        ):
                            self._learn(name)
        for rec in self.catalog.cuisines.values():
            for name in (rec.en, rec.zh, *rec.synonyms):
                self._learn(name)

    @staticmethod
    def _dish(item: ItemRec, cat: CategoryRec) -> Dish:
        text = f"{item.name} {item.name_zh} {item.description} {cat.name} {cat.name_zh}".lower()
        options = tuple(
            OptionText(text=f"{o.name} {o.name_zh}".lower(), label=bilingual(o.name, o.name_zh), sold_out=o.sold_out)
            for g in item.option_groups
            for o in g.options
        )
        return Dish(item=item, label=bilingual(item.name, item.name_zh), text=text, options=options)

    def _learn(self, name: str, *, chinese_only: bool = False) -> None:
        toks = tuple(tokens(name))
        if not toks or len(toks) > MAX_PHRASE or (chinese_only and not all(is_cjk(t) for t in toks)):
            return
        self.phrases.add(toks)

    # ----- the query -----------------------------------------------------------------------------
    def split(self, query: str) -> list[str]:
        """The query cut into parts at the longest phrases the catalog knows; unknown Chinese runs stay whole."""
        toks = tokens(query)
        parts: list[str] = []
        pending: list[str] = []  # Chinese characters that start no known phrase
        i = 0
        while i < len(toks):
            for size in range(min(MAX_PHRASE, len(toks) - i), 0, -1):
                if tuple(toks[i : i + size]) in self.phrases:
                    break
            else:
                size = 0
            if size == 0 and is_cjk(toks[i]):
                pending.append(toks[i])
                i += 1
                continue
            if pending:
                parts.append("".join(pending))
                pending = []
            parts.append(join(toks[i : i + max(size, 1)]))
            i += max(size, 1)
        if pending:
            parts.append("".join(pending))
        return parts

    def cuisines_named(self, literal: str) -> frozenset[str]:
        """The cuisines a query part names: a label or synonym, or words of one ('tea' → tea, bubble tea; not
        steak)."""
        return frozenset(
            rec.slug
            for rec in self.catalog.cuisines.values()
            if any(
                literal == label.lower() or (len(literal) >= 2 and hit(literal, label.lower()))
                for label in (rec.slug, rec.en, rec.zh, *rec.synonyms)
            )
        )

    def part(self, literal: str) -> Part:
        cuisines = self.cuisines_named(literal)
        terms = {literal}
        for slug in cuisines:
            rec = self.catalog.cuisines[slug]
            terms |= {t.lower() for t in (rec.en, rec.zh, *rec.synonyms) if len(t) >= 2}
        return Part(literal=literal, terms=tuple(sorted(terms)), cuisines=cuisines)

    def known(self, part: Part) -> bool:
        return bool(part.cuisines) or any(hit(t, self.everything) for t in part.terms)

    def lookup(self, query: str) -> tuple[dict[str, tuple[int, list[MatchedDish]]], list[str]]:
        """Restaurants matching ``query`` → (relevance, matched dishes), and the query words left out
        because nothing in the catalog has them. Memoized: the catalog is static."""
        key = query.strip().lower()
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        words = [w for w in self.split(key) if w not in STOPWORDS and w not in CJK_STOP]
        parts = [self.part(w) for w in words]
        kept = [p for p in parts if self.known(p)]
        ignored = [p.literal for p in parts if not self.known(p)]
        found: dict[str, tuple[int, list[MatchedDish]]] = {}
        alternatives = [kept] if kept else []
        whole = self.part(key)
        if key and [whole.literal] != [p.literal for p in kept]:
            alternatives.append([whole])  # the query as one phrase, as a name or dish may spell it
        for rest in self.catalog.restaurants.values():
            best: tuple[int, list[MatchedDish]] = (0, [])
            for alternative in alternatives:
                scored = self.match(rest, alternative)
                if scored[0] > best[0]:
                    best = scored
            if best[0]:
                found[rest.id] = best
        result = (found, ignored if kept else [])
        if len(self._memo) > 2048:
            self._memo.clear()
        self._memo[key] = result
        return result

    # ----- one restaurant ------------------------------------------------------------------------
    def match(self, rest: RestaurantRec, parts: list[Part]) -> tuple[int, list[MatchedDish]]:
        """Relevance of ``rest`` for every part of the query (0 = no match) and the dishes that matched."""
        name = self.names[rest.id]
        blob = self.blobs[rest.id]
        in_name = [any(hit(t, name) for t in p.terms) for p in parts]
        by_place = [n or bool(p.cuisines.intersection(rest.cuisines)) for n, p in zip(in_name, parts, strict=True)]
        for placed, p in zip(by_place, parts, strict=True):
            if not placed and not any(hit(t, blob) for t in p.terms):
                return 0, []
        found: list[tuple[tuple[int, int, int, int], MatchedDish]] = []
        for index, dish in enumerate(self.dishes[rest.id]):
            scored = self._dish_match(dish, parts, by_place)
            if scored is not None:
                own, literal, matched = scored
                found.append(((int(matched.sold_out), -literal, -own, index), matched))
        found.sort(key=lambda entry: entry[0])
        dishes = [matched for _, matched in found]
        if not dishes and not all(by_place):
            return 0, []
        score = 5 if all(in_name) else 0
        if any(p.cuisines.intersection(rest.cuisines) for p in parts):
            score += 3
        if dishes:
            available = sum(1 for d in dishes if not d.sold_out)
            score += 1 + min(available, MAX_DISHES)
        return score, dishes[:MAX_DISHES]

    @staticmethod
    def _dish_match(dish: Dish, parts: list[Part], by_place: list[bool]) -> tuple[int, int, MatchedDish] | None:
        """(parts the dish itself matched, of which literally, the dish as a result), or None."""
        own = literal = 0
        labels: list[str] = []
        sold_out = dish.item.sold_out
        for part, placed in zip(parts, by_place, strict=True):
            in_text = any(hit(t, dish.text) for t in part.terms)
            options = [] if in_text else [o for o in dish.options if any(hit(t, o.text) for t in part.terms)]
            if not in_text and not options:
                if not placed:
                    return None
                continue
            own += 1
            if hit(part.literal, dish.text) or any(hit(part.literal, o.text) for o in options):
                literal += 1
            labels += [o.label for o in options if o.label not in labels]
            if options and all(o.sold_out for o in options):
                sold_out = True
        if not own:
            return None
        return own, literal, MatchedDish(item_id=dish.item.id, name=dish.label, options=labels, sold_out=sold_out)


@dataclass
class LeftOut:
    """What a search left out and why, to explain an empty page rather than return a bare []."""

    matched: int = 0
    out_of_range: int = 0
    nearest: tuple[int, int, RestaurantRec] | None = None  # (beyond its radius, road distance, restaurant)
    closed: int = 0
    opens: tuple[datetime, RestaurantRec] | None = None
    over_min: int = 0
    lowest: RestaurantRec | None = None

    def far(self, rest: RestaurantRec, distance: int) -> None:
        self.out_of_range += 1
        entry = (distance - rest.delivery.radius_m, distance, rest)
        if self.nearest is None or entry[:2] < self.nearest[:2]:
            self.nearest = entry

    def shut(self, rest: RestaurantRec, now: datetime) -> None:
        self.closed += 1
        nxt = next_opening(rest.opening_hours, now)
        if nxt is not None and (self.opens is None or nxt < self.opens[0]):
            self.opens = (nxt, rest)

    def dear(self, rest: RestaurantRec) -> None:
        self.over_min += 1
        if self.lowest is None or rest.delivery.min_order_minor < self.lowest.delivery.min_order_minor:
            self.lowest = rest

    def why(self, query: str, near: GeoPoint, cap: int, money: Callable[[int], Money]) -> str:
        what = f" matching {shown(query)}" if query else ""
        if query and not self.matched:
            return (
                f"No restaurant, dish or option matches {shown(query)}. Try a dish, an ingredient or a cuisine in "
                "English or Chinese (e.g. 'pizza', 'oat milk', '火锅'), or an empty query for everything nearby."
            )
        if self.nearest is not None and self.out_of_range == self.matched:
            _, distance, rest = self.nearest
            return (
                f"No restaurant{what} delivers to ({near.lat:.5f}, {near.lng:.5f}): the nearest, {rest.name}, is "
                f"{distance / 1000:.1f} km away by road and delivers within {rest.delivery.radius_m / 1000:.1f} km. "
                "Deliver to an address nearer the centre (save one with food_save_address)."
            )
        said = []
        if self.closed:
            first = f" (the first opens {self.opens[0]:%a %H:%M}: {self.opens[1].name})" if self.opens else ""
            said.append(
                f"{self.closed} restaurant(s){what} deliver here but are closed now{first}: search without open_now to "
                "see them, and order ahead for a slot with food_place_order(deliver_at=…)."
            )
        if self.over_min and self.lowest is not None:
            low = self.lowest.delivery.min_order_minor
            said.append(
                f"{self.over_min} restaurant(s){what} deliver here but need a minimum order above {money(cap).display} "
                f"(the lowest: {money(low).display} at {self.lowest.name}): raise max_min_order_minor or order more."
            )
        return " ".join(said)
