"""The geocoder's indexes give the answers of a full scan (issue 12).

``Geocoder.lookup`` scores only the names that can reach the answer, collapses a candidate only against kept ones
near it, and lists a category's nearest places without sorting the city. ``scan`` below is the plain method
those replace: score every touched name, compare every candidate with every kept one, list every place of the
category. Both must agree on everything a caller sees (status, reason, branches, the first ``limit`` candidates
with their scores and distances, a category's count) on the labelled queries, on a grown city's varied queries,
and on made-up cities built to stress the shortcuts (crowded same-named places, chains of many branches).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from servers.nav.backend.geocoder import (
    CATEGORY_SCORE,
    CHAIN_FACTOR,
    CHAIN_GAP_M,
    CITY_WORDS,
    CONFIDENT,
    KIND_ORDER,
    MARGIN,
    PLAUSIBLE,
    POSTCODE,
    STOPWORDS,
    SUGGEST,
    Geocoder,
    Scored,
    Target,
    Verdict,
    _namesake,
    _same_spot,
    as_nearest,
    name_key,
    nearest_words,
)
from servers.nav.backend.graph import RoadNetwork
from servers.nav.backend.service import NavService
from shared.geo import CITY_CENTRE, haversine_m
from shared.schemas.common import GeoPoint
from tests.servers.nav.conftest import NavEnv, make_env
from tests.servers.nav.geocode_cases import CASES


def _heads(scored: list[Scored], twins: bool = True) -> list[Scored]:
    heads: list[Scored] = []
    for s in scored:
        if not any(_same_spot(h.target, s.target, twins) for h in heads):
            heads.append(s)
    return heads


def scan(
    g: Geocoder, text: str, near: GeoPoint | None, origin: GeoPoint, extra: list[Scored], kind_asked: bool = False
) -> Verdict:
    """The lookup as a full scan: every touched name scored, every candidate compared with every kept one."""
    kind, nearest = nearest_words(text)  # 'nearest pharmacy': the rule itself, around the scan of 'pharmacy'
    if nearest:
        return as_nearest(scan(g, kind, near, origin, extra, kind_asked=True))
    text = POSTCODE.sub(" ", text)
    query = g._query(text)
    words = [q for q in query if q.text not in STOPWORDS]
    if words and all(q.text in CITY_WORDS for q in words):
        return Verdict("not_found", "city", [])
    qkey = name_key(text)
    touched = {int(e) for q in query for tok in q.sims if tok in g.postings for e in g.postings[tok]}
    scored = [*g._scored(query, qkey, touched).values(), *extra]  # every touched name, not the index's prefix
    slugs = sorted(set.intersection(*[q.categories for q in words])) if words else []
    if slugs and all(q.categories for q in words) and (kind_asked or not any(s.exact for s in scored)):
        places = [Scored(t, CATEGORY_SCORE, False, haversine_m(origin, t.point)) for s in slugs
                  for t in g.by_category.get(s, [])]  # fmt: skip
        places = _heads(sorted(places, key=lambda s: (s.distance_m, s.target.id)), twins=False)
        if len(places) == 1:
            return Verdict("confident", "category", places, categories=slugs)
        return Verdict("ambiguous" if places else "not_found", "category", places, categories=slugs)
    for s in scored:
        s.distance_m = haversine_m(origin, s.target.point)
    scored.sort(key=lambda s: (-s.score, KIND_ORDER[s.target.kind], s.distance_m, s.target.id))
    heads = _heads([s for s in scored if s.score >= SUGGEST])
    plausible = [s for s in heads if s.score >= PLAUSIBLE]
    if not plausible:
        return Verdict("not_found", "nothing", heads[:3])
    top, rival = plausible[0], (plausible[1] if len(plausible) > 1 else None)
    if top.firm >= CONFIDENT and (rival is None or top.firm - rival.score >= MARGIN):
        return Verdict("confident", "match", plausible)
    tied = [s for s in plausible if top.score - s.score < MARGIN]
    if top.firm >= CONFIDENT and len({s.target.key for s in tied}) == 1:
        spot = _namesake(tied)  # the rule itself; what this scan checks is that the index finds the same ``tied``
        if spot is not None:
            return Verdict("confident", "match", [spot, *(s for s in plausible if s is not spot)])
        if near is not None:
            tied.sort(key=lambda s: s.distance_m)
            d1, d2 = tied[0].distance_m, tied[1].distance_m
            if d2 >= CHAIN_FACTOR * d1 and d2 - d1 >= CHAIN_GAP_M:
                rest = [s for s in plausible if s is not tied[0]]
                return Verdict("confident", "chain", [tied[0], *rest], branches=len(tied))
        return Verdict("ambiguous", "chain", sorted(tied, key=lambda s: s.distance_m), branches=len(tied))
    return Verdict("ambiguous", "tie" if top.score >= CONFIDENT and len(tied) > 1 else "weak", plausible)


def seen(v: Verdict, limit: int) -> tuple[object, ...]:
    """What a caller shown ``limit`` candidates sees of a verdict."""
    shown = [(s.target.kind, s.target.id, s.target.name, s.score, s.distance_m) for s in v.candidates[:limit]]
    return v.status, v.reason, v.branches, v.categories, shown, v.total if v.reason == "category" else None


def agree(g: Geocoder, text: str, near: GeoPoint | None, extra: list[Scored] | None = None) -> None:
    origin = near or CITY_CENTRE
    want = scan(g, text, near, origin, [Scored(s.target, s.score, s.exact) for s in extra or []])
    for limit in (1, 5, 10, None):
        got = g.lookup(text, near, origin, [Scored(s.target, s.score, s.exact) for s in extra or []], limit=limit)
        n = len(want.candidates) if limit is None else limit
        assert seen(got, n) == seen(want, n), (text, near, limit)


def service_agrees(svc: NavService, text: str, near: GeoPoint | None) -> None:
    agree(svc.geocoder, text, near, svc._house_candidates(text))


def test_the_labelled_queries_get_what_a_scan_gets(nav: NavEnv) -> None:
    svc: NavService = nav.app.state.service
    for case in CASES:
        if case.user:
            continue  # saved addresses are answered before the geocoder
        service_agrees(svc, case.query, None)
        service_agrees(svc, case.query, GeoPoint(lat=60.1650, lng=24.9330))


@pytest.fixture(scope="module")
def grown3(tmp_path_factory: pytest.TempPathFactory, network: RoadNetwork) -> Iterator[NavEnv]:
    env = make_env(tmp_path_factory.mktemp("nav-geocode-scale3"), network, scale=3)
    yield env
    env.engine.dispose()


def misspell(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def test_a_grown_citys_varied_queries_get_what_a_scan_gets(grown3: NavEnv) -> None:
    svc: NavService = grown3.app.state.service
    rng = random.Random(12)
    names = sorted({p.data["name"] for p in svc.places if p.data.get("name")})
    districts = [t.district for t in svc.tiles[1:]]
    streets = sorted({a.street for a in svc.addresses})
    queries = [
        *rng.sample(names, 120),
        *(misspell(rng, n) for n in rng.sample([n for n in names if len(n) >= 6], 60)),
        *(f"{rng.choice(streets)} {rng.randint(1, 30)}, {rng.choice(districts)}" for _ in range(40)),
        *(f"{rng.choice(streets)} {rng.randint(1, 30)}" for _ in range(20)),
        *(f"{rng.choice(streets)}, {rng.choice(districts)}" for _ in range(20)),
        "cafe", "restaurant", "pub", "library", "cinema", "museum", "咖啡馆", "Tori Express", "Helsinki", "zzz qqq",
    ]  # fmt: skip
    for text in queries:
        near = GeoPoint(lat=60.17 + rng.uniform(-0.06, 0.06), lng=24.94 + rng.uniform(-0.1, 0.1))
        service_agrees(svc, text, None)
        service_agrees(svc, text, near)


def place(i: int, name: str, lat: float, lng: float, category: str = "cafe") -> Target:
    return Target(kind="place", id=f"plc_{i:05d}", name=name, address="", category=category,
                  point=GeoPoint(lat=lat, lng=lng), key=name_key(name))  # fmt: skip


def made_up_city(seed: int) -> Geocoder:
    """Chains of many branches, some 40–120 m apart (one place on the ground, or not, by the order they are met
    in), landmarks a few metres from each other under other names, names that share common words, and places
    with several names."""
    rng = random.Random(seed)
    words = ["Kahvila", "Cafe", "Pub", "Sininen", "Kulma", "Tori", "Ranta", "Express", "Kitchen", "Meri", "Helmi"]
    targets: list[Target] = []
    for chain in range(25):
        name = f"{rng.choice(words)} {rng.choice(words)} {chain % 7}"
        lat, lng = 60.10 + rng.uniform(0, 0.15), 24.80 + rng.uniform(0, 0.3)
        for _ in range(rng.choice([1, 2, 5, 30, 80])):
            if rng.random() < 0.5:  # a neighbour of the last branch: crowded
                lat, lng = lat + rng.uniform(-0.0012, 0.0012), lng + rng.uniform(-0.002, 0.002)
            else:
                lat, lng = 60.10 + rng.uniform(0, 0.15), 24.80 + rng.uniform(0, 0.3)
            targets.append(place(len(targets), name, lat, lng, rng.choice(["cafe", "pub", "restaurant"])))
    for k in range(20):  # museums with a twin outline a few metres away
        lat, lng = 60.10 + rng.uniform(0, 0.15), 24.80 + rng.uniform(0, 0.3)
        targets.append(place(len(targets), f"Museo {k}", lat, lng, "museum"))
        targets.append(place(len(targets), f"Taidemuseo {k}", lat + 0.0002, lng, "museum"))
    # Some places go by several names, so a few best-scoring names can be fewer places than a caller is shown.
    names = [[t.name, f"{t.name} Helsinki", f"Ravintola {t.name}", f"{t.name} Oy"] if i % 3 == 0 else [t.name]
             for i, t in enumerate(targets)]  # fmt: skip
    return Geocoder(targets, names, {"cafe": ["cafe", "kahvila"], "pub": ["pub"], "museum": ["museum", "museo"],
                                     "restaurant": ["restaurant"]})  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_made_up_cities_with_crowded_chains_get_what_a_scan_gets(seed: int) -> None:
    g = made_up_city(seed)
    rng = random.Random(seed)
    queries = [*sorted({t.name for t in g.targets}), "cafe", "pub", "museum", "restaurant", "Kahvila", "Sininen Pub",
               "Museo", "Tori Kitchen", "Kulma"]  # fmt: skip
    for text in queries:
        for near in (None, *(GeoPoint(lat=60.10 + rng.uniform(0, 0.15), lng=24.80 + rng.uniform(0, 0.3))
                             for _ in range(3))):  # fmt: skip
            agree(g, text, near)


def test_a_category_counts_every_place_on_the_map_but_lists_only_the_nearest() -> None:
    g = made_up_city(4)
    full = g.lookup("cafe", None, CITY_CENTRE)
    short = g.lookup("cafe", None, CITY_CENTRE, limit=3)
    assert full.total == len(full.candidates) > 3
    assert short.total == full.total and len(short.candidates) == 3
    assert [s.target.id for s in short.candidates] == [s.target.id for s in full.candidates[:3]]


def test_rivals_that_collapse_or_go_by_several_names_are_listed_as_a_scan_lists_them() -> None:
    """The best few names here are few places (eight branches a few metres apart are one place on the ground;
    a café listed under four spellings is one candidate), so the lookup must look further down to fill a page."""
    targets = [place(0, "Meri", 60.17, 24.94)]
    names = [["Meri"]]
    for group in range(10):
        for branch in range(8):
            targets.append(place(len(targets), f"Meri Kulma {group}", 60.10 + 0.01 * group, 24.90 + 0.0002 * branch))
            names.append([f"Meri Kulma {group}"])
    for k in range(6):
        name = f"Meri Ranta {k}"
        targets.append(place(len(targets), name, 60.20, 24.80 + 0.01 * k))
        names.append([name, name.upper(), name.lower(), f"{name} Helsinki"])
    g = Geocoder(targets, names, {"cafe": ["cafe"]})
    for near in (None, GeoPoint(lat=60.12, lng=24.90)):
        agree(g, "Meri", near)
        agree(g, "Meri Kulma", near)
    assert len(g.lookup("Meri", None, CITY_CENTRE, limit=5).candidates) >= 5
