"""The restaurants a grown city adds, as light records every vertical can compute alone.

Food builds its full catalog from these (``servers/food/backend/growth.py``: the menu of the record's
``template``, a real fixtures restaurant, with the record's own ids, prices and hours), and nav puts the same
places on its map by the same ids, so 'Golden Dumplings in Kallio' is one place in every server. Each grown tile
(``shared.growth.tiles``; tile 0, the real city, grows nothing) gets ``RESTAURANTS_PER_TILE`` restaurants on that
tile's copies of real street addresses, modelled in turn on every real restaurant, so a grown district has the
real city's mix of cafés, pubs and kitchens. At scale 100 that is 99 × 575 + 425 real = 57,350 restaurants.

Ids carry a ``g`` (grown) and the tile number (``rst_g12_0042``), which no real OSM-derived id (``rst_n…``,
``rst_w…``) can contain, so grown entities never collide with fixture ones. Only ``grown_restaurants`` takes
``(fixtures_dir, scale)``: nav discovers its sources by that signature.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import Tile, sites_in, tiles

RESTAURANTS_PER_TILE = 575
"""Restaurants per grown district: a scale-N city has at least 500 × N (the scale pack's 50,000, N/100 of them at N)."""
STRIDE = 97
"""Step through the real restaurants (coprime with their number) so a tile's templates mix every kind."""

WORDS = (
    ("Golden", "金"), ("Lucky", "福"), ("Jade", "玉"), ("Lotus", "莲"), ("Harbour", "港湾"), ("Nordic", "北欧"),
    ("Corner", "街角"), ("Little", "小"), ("Urban", "都市"), ("Green", "绿"), ("Happy", "开心"), ("Old Town", "老城"),
    ("Sunny", "阳光"), ("Silver", "银"), ("Royal", "皇家"), ("Family", "家庭"), ("Aalto", "阿尔托"), ("Kuu", "月亮"),
    ("Meri", "海"), ("Sininen", "蓝"), ("Kulma", "拐角"), ("Tori", "市集"), ("Satama", "码头"), ("Puisto", "公园"),
    ("Helmi", "珍珠"), ("Tähti", "星"), ("Ranta", "海岸"), ("Kivi", "石"), ("Bella", "美丽"), ("Casa", "之家"),
    ("Red Lantern", "红灯笼"), ("East Wind", "东风"),
)  # fmt: skip
"""First words of grown names, each with the Chinese a bilingual sign would carry."""

NOUNS = {
    "bar_food": ("Pub", "酒馆"), "coffee": ("Coffee", "咖啡馆"), "chinese": ("Kitchen", "中餐馆"),
    "italian": ("Trattoria", "意式餐厅"), "asian": ("Wok", "亚洲餐厅"), "sandwich": ("Deli", "三明治店"),
    "burger": ("Burgers", "汉堡店"), "finnish": ("Ravintola", "芬兰餐厅"), "japanese": ("Izakaya", "居酒屋"),
    "pizza": ("Pizzeria", "披萨店"), "sushi": ("Sushi", "寿司店"), "bakery": ("Bakery", "烘焙坊"),
    "seafood": ("Fish House", "海鲜馆"), "kebab": ("Kebab", "烤肉店"), "tea": ("Tea House", "茶馆"),
    "steak": ("Steakhouse", "牛排馆"), "breakfast": ("Brunch", "早午餐"), "salad": ("Salad Bar", "沙拉店"),
    "indian": ("Curry House", "印度餐厅"), "mexican": ("Cantina", "墨西哥餐厅"), "nepalese": ("Himalaya", "尼泊尔餐厅"),
    "vietnamese": ("Pho", "越南粉"), "thai": ("Thai", "泰国餐厅"), "middle_eastern": ("Falafel", "中东餐厅"),
    "vegan": ("Vegan", "素食店"), "bubble_tea": ("Bubble Tea", "奶茶店"), "ramen": ("Ramen", "拉面馆"),
    "dumplings": ("Dumplings", "饺子馆"), "hotpot": ("Hotpot", "火锅店"), "korean": ("Korean BBQ", "韩国烤肉"),
    "noodle": ("Noodles", "面馆"),
}  # fmt: skip
"""What a grown restaurant's name says it serves, by its template's first cuisine."""
KIND_NOUNS = {
    "cafe": ("Café", "咖啡馆"),
    "pub": ("Pub", "酒馆"),
    "bar": ("Bar", "酒吧"),
    "fast_food": ("Express", "快餐"),
}
CHINESE_SIGNS = frozenset({"chinese", "asian", "dumplings", "hotpot", "noodle", "bubble_tea", "tea", "ramen"})
"""Cuisines whose grown restaurants carry a Chinese name too, as Helsinki's Chinese restaurants do."""


@dataclass(frozen=True)
class Template:
    """What a grown restaurant copies from a real one: its menu and kind (food reads the rest itself)."""

    id: str
    kind: str
    cuisines: tuple[str, ...]
    chain: tuple[str, str] | None = None
    """The chain's name (and its Chinese one, or '') when the real city has more than one restaurant of that name:
    a copy of a McDonald's menu (its Big Mac) is another McDonald's, not a 'Golden Express'."""


@dataclass(frozen=True)
class GrownRestaurant:
    """A restaurant in a grown district: where it stands, what it is called and which real one it is modelled on.

    ``variant`` (0–7) is how food varies the template: prices, opening hours, rating and delivery terms."""

    id: str
    name: str
    name_zh: str
    kind: str
    cuisines: tuple[str, ...]
    lat: float
    lng: float
    street: str
    housenumber: str
    postcode: str
    district: str
    tile: int
    template: str
    variant: int


@cache
def templates(fixtures_dir: Path) -> tuple[Template, ...]:
    """The real restaurants in id order: the models of every grown one."""
    data = json.loads((fixtures_dir / "food" / "restaurants.json").read_text(encoding="utf-8"))
    rows = sorted(data["restaurants"], key=lambda r: r["id"])
    branches = Counter(r["name"] for r in rows)
    chains_zh = json.loads((fixtures_dir / "vocab" / "chains_zh.json").read_text(encoding="utf-8"))
    zh_of = {name: zh for zh, names in chains_zh.items() for name in names}
    return tuple(
        Template(
            r["id"],
            r["kind"],
            tuple(r["cuisines"]),
            (r["name"], r.get("name_zh") or zh_of.get(r["name"], "")) if branches[r["name"]] > 1 else None,
        )
        for r in rows
    )


def grown_id(tile_number: int, n: int) -> str:
    return f"rst_g{tile_number}_{n:04d}"


def _name(template: Template, word: int) -> tuple[str, str]:
    if template.chain is not None:
        return template.chain
    cuisine = template.cuisines[0] if template.cuisines else ""
    noun = KIND_NOUNS.get(template.kind) if template.kind != "restaurant" and cuisine != "coffee" else None
    en_noun, zh_noun = noun or NOUNS.get(cuisine, ("Kitchen", "餐厅"))
    en_word, zh_word = WORDS[word % len(WORDS)]
    chinese = bool(CHINESE_SIGNS.intersection(template.cuisines))
    return f"{en_word} {en_noun}", f"{zh_word}{zh_noun}" if chinese else ""


def _restaurants_in(fixtures_dir: Path, where: Tile) -> list[GrownRestaurant]:
    models = templates(fixtures_dir)
    sites = list(sites_in(fixtures_dir, where))
    taken: set[str] = set()
    out: list[GrownRestaurant] = []
    for n in range(RESTAURANTS_PER_TILE):
        template = models[(n * STRIDE + where.number * 31) % len(models)]
        site = sites[(n * 7 + where.number * 13) % len(sites)]
        name, name_zh = _name(template, n * 5 + where.number)
        if name in taken:  # a second 'Golden Pizzeria' in the district is told apart by its street, as chains are
            name = f"{name} {site.street}"
            name_zh = f"{name_zh}（{site.street}店）" if name_zh else ""
        if name in taken:
            name = f"{name} {site.housenumber}"
        taken.add(name)
        # a few metres apart, so two restaurants at one street address are still two points on the map
        jitter = ((n % 5) - 2) * 0.00004
        out.append(
            GrownRestaurant(
                id=grown_id(where.number, n),
                name=name,
                name_zh=name_zh,
                kind=template.kind,
                cuisines=template.cuisines,
                lat=round(site.lat + jitter, 7),
                lng=round(site.lng - jitter, 7),
                street=site.street,
                housenumber=site.housenumber,
                postcode=site.postcode,
                district=where.district,
                tile=where.number,
                template=template.id,
                variant=(n + where.number) % 8,
            )
        )
    return out


def grown_restaurants(fixtures_dir: Path, scale: int) -> list[GrownRestaurant]:
    """Every restaurant a city grown ``scale``× adds to the real one, tile by tile, in id order."""
    return [r for where in tiles(scale)[1:] for r in _restaurants_in(fixtures_dir, where)]
