"""The search index answers exactly as matching every restaurant's name and menu text by text would.

``search.Index`` finds a query's parts through sorted indexes of joined texts and scores every restaurant in
arrays; here a plain reference (a regex ``hit`` on each text, each restaurant matched dish by dish, as the search
first did) scores every restaurant of the real city and of a grown one (scale 2: names shared by many restaurants
of one template), and both must agree on every score, every matched dish and every word left out."""

from __future__ import annotations

import functools
import json
from typing import Any

import numpy as np
import pytest

from servers.food.backend import growth
from servers.food.backend.catalog import Catalog, RestaurantRec, Vocabulary, load_cuisines
from servers.food.backend.search import (
    CJK_STOP,
    DIET_CUISINES,
    GENERIC,
    KINDS,
    MAX_DISHES,
    STOPWORDS,
    WHOLE_DISH,
    Index,
    Joined,
    Part,
    Shown,
    hit,
)
from shared.kit.settings import default_fixtures

Scored = tuple[int, list[Shown]]

QUERIES = [
    *("pizza", "sushi", "coffee", "咖啡", "tea", "steak", "burger", "火锅", "ramen 拉面", "bar_food", "finnish"),
    *("oat milk latte", "燕麦奶咖啡", "iced latte", "filter coffee", "lager 0.5 l", "拉格啤酒0.5升", "wings (8)"),
    *("三文鱼握寿司（2个）", "vegetable dumplings (12)", "sirloin steak 250 g", "margherita", "extra cheese", "large"),
    *("i want a large cappuccino with oat milk please", "best pizza please", "spicy", "mild", "gluten-free", "vegan"),
    *("kallio", "pizza kallio", "sushi bar", "café", "coffee & tea", "fish-and-chips", "100%", "o'reilly", "(12)"),
    *("a | b", "pizza |", "| pizza", "|", "x", "zz", "e", "1", "0.5", "l", "pi", "ka", "the", "zzz nothing here"),
    *("a very long query that names pizza and sushi and coffee and tea and noodles and dumplings and soup",),
    *("japanese food", "pizza restaurant", "ravintola china", "fazer food", "bar food", "2 pizzas", "2份炒饭"),
    *("vegan food", "fast food", "italian food", "vegan pizza", "kebab pizza", "falafel pizza", "vegan burger"),
    *("gluten free pizza", "chicken curry", "无麸质汉堡", "快餐", "快餐店的汉堡", "vegetarian sushi", "素食汉堡"),
]


@functools.cache
def real() -> tuple[list[RestaurantRec], list[Any]]:
    fixtures = default_fixtures()
    docs = json.loads((fixtures / "food" / "restaurants.json").read_text(encoding="utf-8"))["restaurants"]
    return [RestaurantRec.model_validate(d) for d in docs], load_cuisines(fixtures)


@functools.cache
def index(scale: int) -> Index:
    """The index of the real city, or of one grown to ``scale`` (built in memory: only names and menus count)."""
    restaurants, cuisines = real()
    read_as = Vocabulary.load(default_fixtures()).read_as  # as the app loads it: 'pitsa' reads as 'pizza' here too
    if scale == 1:
        return Index(Catalog.from_records(restaurants, cuisines, read_as))
    templates = {t.id: t for t in Catalog.from_records(restaurants, cuisines).templates}
    docs = [{**d, "menu": []} for d in growth.restaurant_docs(default_fixtures(), scale, templates)]
    return Index(Catalog(restaurants, cuisines, grown=docs, read_as=read_as))


# ----- the reference: one text, one restaurant, one dish at a time ------------------------------------------------
def reference_match(ix: Index, template: int, parts: list[Part], in_name: list[bool]) -> Scored:
    """The relevance of a menu for the parts (0: no match) and its best dishes, dish by dish."""
    rest = ix.catalog.templates[template]
    serves = {*rest.cuisines, *({rest.kind} & KINDS.keys())}  # a kind searched as a cuisine: fast food, 快餐
    on_menu = [
        any(any(hit(t, d.text) or any(hit(t, o.text) for o in d.options) for t in p.terms) for d in ix.dishes[template])
        for p in parts
    ]
    # a part stands for the menu by the name where the menu does not say it, and by the cuisine unless it is a diet
    # the menu says itself (a vegetarian place's tagged vegan dishes)
    by_place = [(n and not m) or (bool(p.cuisines & serves) and not (m and p.cuisines <= DIET_CUISINES))
                for n, m, p in zip(in_name, on_menu, parts, strict=True)]  # fmt: skip
    # a diet the dishes must say qualifies the dish the other words name: those the menu has are asked of it too
    diet = [bool(p.cuisines) and p.cuisines <= DIET_CUISINES for p in parts]
    if any(not b and m and d for b, m, d in zip(by_place, on_menu, diet, strict=True)):
        by_place = [b and not (m and not d) for b, m, d in zip(by_place, on_menu, diet, strict=True)]
    found = []
    for index_, dish in enumerate(ix.dishes[template]):
        own = literal = 0
        labels: list[str] = []
        sold_out = dish.item.sold_out
        for part, placed in zip(parts, by_place, strict=True):
            in_text = any(hit(t, dish.text) for t in part.terms)
            options = [] if in_text else [o for o in dish.options if any(hit(t, o.text) for t in part.terms)]
            if not in_text and not options:
                if not placed:
                    break
                continue
            own += 1
            literal += hit(part.literal, dish.text) or any(hit(part.literal, o.text) for o in options)
            labels += [o.label for o in options if o.label not in labels]
            sold_out = sold_out or bool(options and all(o.sold_out for o in options))
        else:
            if own:
                shown = (dish.item.id, dish.label, tuple(labels), sold_out, dish.item.price_minor)
                found.append(((sold_out, -literal, -own, index_), shown))
    found.sort(key=lambda entry: entry[0])
    if not found and not all(by_place):
        return 0, []
    score = (5 if all(in_name) else 0) + (3 if any(p.cuisines & serves for p in parts) else 0)
    if found:
        score += 1 + min(sum(1 for key, _ in found if not key[0]), MAX_DISHES)
    if len(parts) > 1 and any(not key[0] and -key[2] == len(parts) for key, _ in found):  # a dish that is all of it
        score += WHOLE_DISH
    return score, [shown for _, shown in found[:MAX_DISHES]]


def reference(ix: Index, query: str) -> tuple[list[str], list[Scored]]:
    """The words left out, and every restaurant's score and dishes (in the columns' order)."""
    key = query.strip().lower()
    parts = [ix.part(w) for w in ix.split(key) if w not in STOPWORDS and w not in CJK_STOP]
    known = [bool(p.cuisines) or any(hit(t, ix.everything) for t in p.terms) for p in parts]
    kept = [p for p, k in zip(parts, known, strict=True) if k]
    asked = [p for p in kept if p.literal not in GENERIC]
    if asked and len(asked) < len(kept):  # then 'food' is only the word, not the cuisines it is in the labels of
        kept = [p if p in asked else Part(literal=p.literal, terms=(p.literal,), cuisines=frozenset()) for p in kept]
    alternatives = [kept] if kept else []
    whole = ix.part(key)
    if key and [whole.literal] != [p.literal for p in kept]:
        alternatives.append([whole])
    reduced = len(alternatives)
    if asked and len(asked) < len(kept):
        alternatives.append(asked)  # without the words for any restaurant, one point below
    cols = ix.catalog.columns
    seen: dict[tuple[int, int, tuple[bool, ...]], Scored] = {}
    out = []
    for i in range(len(cols)):
        name, template = cols.name_texts[int(cols.name_group[i])], int(cols.template[i])
        best: Scored = (0, [])
        for a, alternative in enumerate(alternatives):
            in_name = tuple(any(hit(t, name) for t in p.terms) for p in alternative)
            if (template, a, in_name) not in seen:
                score, dishes = reference_match(ix, template, alternative, list(in_name))
                seen[(template, a, in_name)] = (2 * score - (a >= reduced and score > 0), dishes)
            if seen[(template, a, in_name)][0] > best[0]:
                best = seen[(template, a, in_name)]
        out.append(best)
    ignored = [p.literal for p, k in zip(parts, known, strict=True) if not k] if kept else []
    return ignored, out


# ----- the tests ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scale", [1, 2])
def test_every_restaurant_scores_as_the_reference_scores_it(scale: int) -> None:
    ix = index(scale)
    cols = ix.catalog.columns
    every = np.arange(len(cols), dtype=np.int64)
    for query in QUERIES:
        look = ix.lookup(query)
        ignored, expected = reference(ix, query)
        assert look.ignored == ignored, query
        assert look.scores(every, cols.template).tolist() == [score for score, _ in expected], query
        for i, (score, dishes) in enumerate(expected):
            if score:
                assert look.shown(i, int(cols.template[i]))[:MAX_DISHES] == tuple(dishes), (query, cols.ids[i])


def test_a_joined_index_finds_exactly_the_texts_a_term_hits() -> None:
    texts = [
        *("pizza place ", "steak house", "tea room", "teahouse", "bubble tea 珍珠奶茶", "l'osteria", "100% vegan"),
        *("fish-and-chips", "x", "", "the lager 0.5 l bar", "咖啡馆 coffee", "a | b", "o'reilly's", "café au lait"),
        *("pizzapizzapizza pizza", "chicken wings (8) 鸡翅（8个）", "a very long name with many words in a row here"),
    ]
    joined = Joined.of(texts)
    terms = [
        *("pizza", "tea", "tea room", "l", "lager 0.5 l", "0.5", "5", "(8)", "（8个）", "8", "-and", "and", "%"),
        *("vegan", "'osteria", "osteria", "咖啡", "啡", "奶茶", "coffee", "café", "a", "b", "a | b", "| b", "x", "zz"),
        *("a very long name with many words", "very long name with many words in a row here", "pizza pizza", "here"),
    ]
    for term in terms:
        assert joined.holding(term).tolist() == [k for k, text in enumerate(texts) if hit(term, text)], term
    names = index(2).catalog.columns.name_texts
    for term in ("pizza", "sushi", "bar", "l", "ka", "咖啡", "寿司", "the", "café", "kallio", "o"):
        found = index(2)._name_texts.holding(term).tolist()
        assert found == [k for k, text in enumerate(names) if hit(term, text)], term
