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

import numpy as np
import numpy.typing as npt

from shared.errors import shown
from shared.hours import next_opening
from shared.schemas.common import GeoPoint, Money
from shared.schemas.food import MatchedDish

from .catalog import Catalog, CategoryRec, ItemRec, RestaurantRec, bilingual

Ints = npt.NDArray[np.int64]

MAX_DISHES = 3
MEMO = 512
"""Queries whose matches are kept (each costs a few KB; the scale pack's name matches more)."""
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
class Lookup:
    """What a query matched, for every restaurant of the city at once: a score per menu template (for the
    restaurants whose name does not match any part: most of them) and exceptions for those whose name does."""

    ignored: list[str]
    base: Ints
    """Score per template (0 = no match) when the restaurant's name matches no part of the query."""
    base_dishes: dict[int, list[MatchedDish]]
    named_at: Ints
    """Positions (sorted) of the restaurants whose name matches some part, with their own scores below."""
    named_score: Ints
    named_key: list[tuple[int, int]]
    """(template, name pattern) of each, the key of ``named_dishes``."""
    named_dishes: dict[tuple[int, int], list[MatchedDish]]

    def scores(self, at: Ints, template: Ints) -> Ints:
        """The score of each restaurant at positions ``at`` (``template``: the columns' template per position)."""
        out = self.base[template[at]]
        if len(self.named_at) and len(at):
            pos = np.searchsorted(self.named_at, at)
            found = pos < len(self.named_at)
            found[found] = self.named_at[pos[found]] == at[found]
            out = out.copy()
            out[found] = self.named_score[pos[found]]
        return out

    def dishes(self, position: int, template: int) -> list[MatchedDish]:
        """The matched dishes of the restaurant at ``position`` as its template's menu names them."""
        k = int(np.searchsorted(self.named_at, position)) if len(self.named_at) else 0
        if k < len(self.named_at) and self.named_at[k] == position:
            return self.named_dishes.get(self.named_key[k], [])
        return self.base_dishes.get(template, [])


@dataclass
class Index:
    """The catalog's searchable text, built once (the catalog is static while the app runs).

    Dishes are indexed per menu template (the real restaurants' menus, which every grown restaurant copies word
    for word), so matching a query costs the same in the real city and the scale pack; names, which differ per
    restaurant, are grouped by their text, and a query part is checked once per distinct name."""

    catalog: Catalog
    dishes: list[list[Dish]] = field(default_factory=list)
    blobs: list[str] = field(default_factory=list)
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    everything: str = ""
    names: str = ""
    members: list[Ints] = field(default_factory=list)
    """Positions of the restaurants of each name group."""
    _memo: dict[str, Lookup] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cols = self.catalog.columns
        for rest in self.catalog.templates:
            dishes = [self._dish(item, cat) for cat in rest.menu for item in cat.items]
            self.dishes.append(dishes)
            self.blobs.append(" | ".join([*(d.text for d in dishes), *(o.text for d in dishes for o in d.options)]))
        self.names = " | ".join(cols.name_texts)
        self.everything = " | ".join([self.names, *self.blobs])
        order = np.argsort(cols.name_group, kind="stable")
        bounds = np.searchsorted(cols.name_group[order], np.arange(len(cols.name_texts) + 1))
        self.members = [order[bounds[g] : bounds[g + 1]] for g in range(len(cols.name_texts))]
        for rest in self.catalog.templates:
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

    def named(self, part: Part) -> set[int]:
        """The name groups whose text matches the part (a quick look at all names first: most parts hit none)."""
        terms = [t for t in part.terms if t in self.names]
        if not terms:
            return set()
        return {g for g, text in enumerate(self.catalog.columns.name_texts) if any(hit(t, text) for t in terms)}

    def lookup(self, query: str) -> Lookup:
        """Every restaurant's match for ``query``, and the query words left out because nothing in the catalog
        has them. Memoized: the catalog is static."""
        key = query.strip().lower()
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        words = [w for w in self.split(key) if w not in STOPWORDS and w not in CJK_STOP]
        parts = [self.part(w) for w in words]
        kept = [p for p in parts if self.known(p)]
        ignored = [p.literal for p in parts if not self.known(p)]
        alternatives = [kept] if kept else []
        whole = self.part(key)
        if key and [whole.literal] != [p.literal for p in kept]:
            alternatives.append([whole])  # the query as one phrase, as a name or dish may spell it
        flat = [p for alternative in alternatives for p in alternative]
        hits = [self.named(p) for p in flat]
        templates = len(self.catalog.templates)
        none = (False,) * len(flat)
        base = np.zeros(templates, np.int64)
        base_dishes: dict[int, list[MatchedDish]] = {}
        for t in range(templates):
            score, dishes = self._best(t, alternatives, none)
            base[t] = score
            if score:
                base_dishes[t] = dishes
        patterns: dict[tuple[bool, ...], list[int]] = {}
        for g in sorted(set().union(*hits)):
            patterns.setdefault(tuple(g in h for h in hits), []).append(g)
        cols = self.catalog.columns
        at_parts: list[Ints] = []
        score_parts: list[Ints] = []
        keys: list[tuple[int, int]] = []
        named_dishes: dict[tuple[int, int], list[MatchedDish]] = {}
        for pid, (pattern, groups) in enumerate(patterns.items()):
            at = np.concatenate([self.members[g] for g in groups])
            lut = np.zeros(templates, np.int64)
            for t in np.unique(cols.template[at]).tolist():
                lut[t], named_dishes[(t, pid)] = self._best(t, alternatives, pattern)
            at_parts.append(at)
            score_parts.append(lut[cols.template[at]])
            keys += [(t, pid) for t in cols.template[at].tolist()]
        named_at = np.concatenate(at_parts) if at_parts else np.zeros(0, np.int64)
        order = np.argsort(named_at, kind="stable")
        result = Lookup(
            ignored=ignored if kept else [],
            base=base,
            base_dishes=base_dishes,
            named_at=named_at[order],
            named_score=(np.concatenate(score_parts) if score_parts else np.zeros(0, np.int64))[order],
            named_key=[keys[k] for k in order.tolist()],
            named_dishes=named_dishes,
        )
        if len(self._memo) > MEMO:
            self._memo.clear()
        self._memo[key] = result
        return result

    def _best(
        self, template: int, alternatives: list[list[Part]], in_name: tuple[bool, ...]
    ) -> tuple[int, list[MatchedDish]]:
        """The best match of a template's menu over the query's alternatives, the name matching as ``in_name``
        says (one flag per part of every alternative, in order)."""
        best: tuple[int, list[MatchedDish]] = (0, [])
        offset = 0
        for alternative in alternatives:
            flags = list(in_name[offset : offset + len(alternative)])
            offset += len(alternative)
            scored = self.match(template, alternative, flags)
            if scored[0] > best[0]:
                best = scored
        return best

    # ----- one menu ------------------------------------------------------------------------------
    def match(self, template: int, parts: list[Part], in_name: list[bool]) -> tuple[int, list[MatchedDish]]:
        """Relevance of a restaurant serving the template's menu for every part of the query (0 = no match) and
        the dishes that matched; ``in_name`` says which parts the restaurant's own name matches."""
        rest = self.catalog.templates[template]
        blob = self.blobs[template]
        by_place = [n or bool(p.cuisines.intersection(rest.cuisines)) for n, p in zip(in_name, parts, strict=True)]
        for placed, p in zip(by_place, parts, strict=True):
            if not placed and not any(hit(t, blob) for t in p.terms):
                return 0, []
        found: list[tuple[tuple[int, int, int, int], MatchedDish]] = []
        for index, dish in enumerate(self.dishes[template]):
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
