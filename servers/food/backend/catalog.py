"""The restaurant catalog as the service reads it: typed, indexed and held in memory.

Restaurants and menus change rarely and are read on every search, menu view and cart
update, so the service keeps a parsed copy built from the ``food_restaurant`` rows instead
of re-parsing JSON per request. Carts, orders and money always go to the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from shared.schemas.common import GeoPoint


class _Fixture(BaseModel):
    model_config = ConfigDict(extra="ignore")


class OptionRec(_Fixture):
    id: str
    name: str
    name_zh: str = ""
    price_delta_minor: int = 0
    sold_out: bool = False


class OptionGroupRec(_Fixture):
    id: str
    name: str
    name_zh: str = ""
    required: bool = False
    min_select: int = 0
    max_select: int = 1
    options: list[OptionRec]

    @property
    def least(self) -> int:
        """Fewest options to choose (a required group needs at least one)."""
        return max(self.min_select, 1 if self.required else 0)

    def signature(self) -> tuple[object, ...]:
        """What makes two items' groups the same choice (availability aside)."""
        opts = tuple((o.name, o.name_zh, o.price_delta_minor) for o in self.options)
        return (self.name, self.name_zh, self.least, self.max_select, opts)


class ItemRec(_Fixture):
    id: str
    name: str
    name_zh: str = ""
    description: str = ""
    price_minor: int
    sold_out: bool = False
    tags: list[str] = []
    option_groups: list[OptionGroupRec] = []


class CategoryRec(_Fixture):
    id: str
    name: str
    name_zh: str = ""
    items: list[ItemRec]


class DeliveryRec(_Fixture):
    radius_m: int
    base_fee_minor: int
    fee_per_km_minor: int
    min_order_minor: int
    packaging_fee_minor: int = 0


class RestaurantRec(_Fixture):
    id: str
    place_id: str = ""
    name: str
    name_zh: str = ""
    kind: str
    cuisines: list[str]
    lat: float
    lng: float
    street: str = ""
    housenumber: str = ""
    postcode: str = ""
    rating: float
    rating_count: int
    price_level: int
    opening_hours: dict[str, list[list[str]]]
    prep_minutes: int
    delivery: DeliveryRec
    menu: list[CategoryRec]

    @property
    def location(self) -> GeoPoint:
        return GeoPoint(lat=self.lat, lng=self.lng)

    @property
    def street_address(self) -> str:
        return f"{self.street} {self.housenumber}".strip() or "Helsinki"


class CuisineRec(_Fixture):
    slug: str
    en: str
    zh: str
    synonyms: list[str] = []


def bilingual(en: str, zh: str) -> str:
    return f"{en} / {zh}" if zh and zh != en else en


@dataclass
class Catalog:
    """Restaurants by id, items by id, shared option groups (searching them is ``search.Index``)."""

    restaurants: dict[str, RestaurantRec]
    cuisines: dict[str, CuisineRec]
    items: dict[str, tuple[RestaurantRec, ItemRec]] = field(default_factory=dict)
    option_groups: dict[str, list[OptionGroupRec]] = field(default_factory=dict)
    """Per restaurant, its distinct option groups (availability cleared); items' groups carry their ids."""
    option_aliases: dict[str, str] = field(default_factory=dict)
    """Per-item option ids of the fixtures (and of carts saved before sharing) → shared option ids."""

    def __post_init__(self) -> None:
        for rest in self.restaurants.values():
            self._share_option_groups(rest)
            for cat in rest.menu:
                for item in cat.items:
                    self.items[item.id] = (rest, item)

    def _share_option_groups(self, rest: RestaurantRec) -> None:
        """Give equal option groups of a restaurant's items one id (opg_<r>_<n>) and shared option ids
        (opt_<r>_<n>_<k>), so a menu lists each group once; per-item sold-out flags stay on the item's copy."""
        prefix = rest.id.removeprefix("rst_")
        shared: dict[tuple[object, ...], OptionGroupRec] = {}
        groups: list[OptionGroupRec] = []
        for cat in rest.menu:
            for item in cat.items:
                seen: dict[tuple[object, ...], int] = {}
                copies = []
                for group in item.option_groups:
                    sig = group.signature()
                    seen[sig] = seen.get(sig, 0) + 1
                    key = (*sig, seen[sig])  # the same choice twice on one item stays two groups
                    if key not in shared:
                        n = len(groups) + 1
                        options = [
                            o.model_copy(update={"id": f"opt_{prefix}_{n}_{k}", "sold_out": False})
                            for k, o in enumerate(group.options, 1)
                        ]
                        shared[key] = group.model_copy(update={"id": f"opg_{prefix}_{n}", "options": options})
                        groups.append(shared[key])
                    common = shared[key]
                    options = []
                    for mine, theirs in zip(group.options, common.options, strict=True):
                        self.option_aliases[mine.id] = theirs.id
                        options.append(mine.model_copy(update={"id": theirs.id}))
                    copies.append(group.model_copy(update={"id": common.id, "options": options}))
                item.option_groups = copies
        self.option_groups[rest.id] = groups

    def canonical_options(self, option_ids: list[str]) -> list[str]:
        """Chosen option ids in their shared, sorted form (older per-item ids still resolve)."""
        return sorted(self.option_aliases.get(oid, oid) for oid in option_ids)

    def cuisine_label(self, slug: str) -> str:
        rec = self.cuisines.get(slug)
        return bilingual(rec.en, rec.zh) if rec else slug

    @classmethod
    def from_records(cls, restaurants: list[RestaurantRec], cuisines: list[CuisineRec]) -> Catalog:
        return cls(restaurants={r.id: r for r in restaurants}, cuisines={c.slug: c for c in cuisines})


def load_cuisines(fixtures_dir: Path) -> list[CuisineRec]:
    raw = json.loads((fixtures_dir / "vocab" / "cuisines.json").read_text(encoding="utf-8"))
    return [CuisineRec.model_validate(c) for c in raw]
