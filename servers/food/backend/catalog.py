"""The restaurant catalog as the service reads it: typed, indexed and held in memory.

Restaurants and menus change rarely and are read on every search, menu view and cart
update, so the service keeps a parsed copy built from the ``food_restaurant`` rows instead
of re-parsing JSON per request. Carts, orders and money always go to the database.
"""

from __future__ import annotations

import functools
import itertools
import json
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, TypeAdapter

from shared.geo import CITY_NAME
from shared.schemas.common import GeoPoint

if TYPE_CHECKING:
    from .columns import Columns


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
    district: str = ""
    """The grown district it stands in ('' for the real city's)."""
    template: str = ""
    """The real restaurant whose menu a grown one copies ('' for the real ones)."""
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
    def address_line(self) -> str:
        """'Mannerheimintie 16, 00100 Helsinki'; a grown district's copy of a real street names the district; a
        restaurant with no street address is just in the city (it read 'Helsinki,  Helsinki')."""
        street = f"{self.street} {self.housenumber}".strip()
        city = f"{self.district}, {CITY_NAME}" if self.district else f"{self.postcode} {CITY_NAME}".strip()
        return f"{street}, {city}" if street else city


class CuisineRec(_Fixture):
    slug: str
    en: str
    zh: str
    synonyms: list[str] = []
    found_by: list[str] = []
    """Other cuisines (slugs) whose searches find this one too, one way: vegan is found by 'vegetarian' ('素食'),
    while a vegan search never reaches a vegetarian place or dish (a Margherita)."""


def bilingual(en: str, zh: str) -> str:
    return f"{en} / {zh}" if zh and zh != en else en


ADDED_LATER = {"Dietary": 1, "Drink": 2, "Bread": 2}
"""Option groups added to the menus after their option ids were handed out (carts, orders and eval tasks hold them),
by when: numbered after every older group, so no older id moves (a gluten-free base on the Margherita made the
Diavola's 'Medium' spice another option's id; a chain's meals, listed first, would have moved its Dietary ids)."""


def share_option_groups(rest: RestaurantRec, aliases: dict[str, str]) -> list[OptionGroupRec]:
    """Give equal option groups of a restaurant's items one id (opg_<r>_<n>) and shared option ids
    (opt_<r>_<n>_<k>), so a menu lists each group once; per-item sold-out flags stay on the item's copy. The
    restaurant's distinct groups are returned (availability cleared); per-item option ids that changed are added
    to ``aliases`` (grown restaurants are stored already shared, so theirs add nothing). Groups are numbered in
    menu order, those ``ADDED_LATER`` after all older ones."""
    prefix = rest.id.removeprefix("rst_")
    offered: list[tuple[ItemRec, OptionGroupRec, tuple[object, ...]]] = []
    for cat in rest.menu:
        for item in cat.items:
            seen: dict[tuple[object, ...], int] = {}
            for group in item.option_groups:
                sig = group.signature()
                seen[sig] = seen.get(sig, 0) + 1
                offered.append((item, group, (*sig, seen[sig])))  # the same choice twice on one item stays two groups
    shared: dict[tuple[object, ...], OptionGroupRec] = {}
    groups: list[OptionGroupRec] = []
    for added in sorted({0, *ADDED_LATER.values()}):
        for _, group, key in offered:
            if key in shared or ADDED_LATER.get(group.name, 0) != added:
                continue
            n = len(groups) + 1
            options = [
                o.model_copy(update={"id": f"opt_{prefix}_{n}_{k}", "sold_out": False})
                for k, o in enumerate(group.options, 1)
            ]
            shared[key] = group.model_copy(update={"id": f"opg_{prefix}_{n}", "options": options})
            groups.append(shared[key])
    copies: dict[int, list[OptionGroupRec]] = {}
    for item, group, key in offered:
        common = shared[key]
        options = []
        for mine, theirs in zip(group.options, common.options, strict=True):
            if mine.id != theirs.id:
                aliases[mine.id] = theirs.id
            # an available option is the shared one to the letter (same id, words, price): keep one copy
            options.append(mine.model_copy(update={"id": theirs.id}) if mine.sold_out else theirs)
        same = group.required == common.required and group.min_select == common.min_select
        mine_copies = copies.setdefault(id(item), [])
        if same and all(o is theirs for o, theirs in zip(options, common.options, strict=True)):
            mine_copies.append(common)  # equal field for field: one object for every item offering the choice
        else:
            mine_copies.append(group.model_copy(update={"id": common.id, "options": options}))
    for cat in rest.menu:
        for item in cat.items:
            if item.option_groups:
                item.option_groups = copies[id(item)]
    return groups


_FIELDS_SETS: dict[tuple[type, frozenset[str]], set[str]] = {}
"""One ``__pydantic_fields_set__`` per record class and content (``compact``)."""


def _interned(value: Any) -> Any:
    """A field's value with its strings (also in lists and dicts, as tags and opening hours hold them) interned."""
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, list) and value and not isinstance(value[0], BaseModel):
        return [_interned(v) for v in value]
    if isinstance(value, dict):
        return {sys.intern(k): _interned(v) for k, v in value.items()}
    return value


def compact(rest: RestaurantRec, groups: list[OptionGroupRec], *, strings: bool = True) -> None:
    """Make a restaurant's records (and its shared ``groups``) take less memory, their values unchanged: pydantic
    gives each record its own set of the fields it was given (~640 bytes, most of a small record: 3.5 MB of the
    real city's 5,500 records, and 40 of the ~100 objects of a loaded restaurant that every full collection
    walks), which here is one set per class and content; nothing reads those sets but ``model_fields_set`` and
    ``exclude_unset`` dumps, which no catalog record is put through. With ``strings`` (the resident restaurants,
    built once: 0.03 ms more per restaurant) every string is interned as well, as the menus' words repeat across
    the city (dish names, tags, hours): values are written to ``__dict__``, as validation left them."""
    records: list[BaseModel] = [rest, rest.delivery, *groups]
    for cat in rest.menu:
        records.append(cat)
        for item in cat.items:
            records.append(item)
            for group in item.option_groups:
                records.append(group)
                records.extend(group.options)
    for group in groups:
        records.extend(group.options)
    done: set[int] = set()
    for record in records:
        if id(record) in done:
            continue
        done.add(id(record))
        if strings:
            fields = record.__dict__
            for name, value in fields.items():
                if isinstance(value, (str, list, dict)):
                    fields[name] = _interned(value)
        have = record.__pydantic_fields_set__
        key = (type(record), frozenset(have))
        one = _FIELDS_SETS.get(key)
        if one is None:
            one = _FIELDS_SETS.setdefault(key, set(have))
        object.__setattr__(record, "__pydantic_fields_set__", one)


def restaurant_of_item(item_id: str) -> str:
    """The restaurant an item id belongs to: ``itm_<r>_<k>`` is an item of ``rst_<r>`` (fixtures and growth both
    name them so), which lets an item be found without an index of every dish in the city."""
    return "rst_" + item_id.removeprefix("itm_").rpartition("_")[0]


LOADED = 512
"""Restaurants outside ``resident`` kept loaded (``Catalog.loaded``): the menus recently viewed and carts' own. A
loaded restaurant is ~60 objects that every full collection of the heap walks, and a miss reads one row by id
(~0.15 ms), so the cache holds what carts in use need, not every menu an agent has browsed."""


@dataclass
class Loaded:
    """A restaurant with its full menu, ready to serve: items by id and its shared option groups."""

    rest: RestaurantRec
    items: dict[str, ItemRec]
    groups: list[OptionGroupRec]


class Catalog:
    """The city's restaurants: every one as light columns (``columns.Columns``: what search and summaries read),
    the real ones (``resident``: the menus grown ones copy, few) fully in memory, and any other restaurant's full
    record loaded from the database on first use and kept in a bounded LRU, so the scale pack's 50,000 menus never
    sit in memory together. ``restaurants``, ``items`` and ``option_groups`` read like dicts over all of them."""

    def __init__(
        self,
        resident: list[RestaurantRec],
        cuisines: list[CuisineRec],
        grown: Iterable[dict[str, Any]] = (),
        load: Callable[[str], dict[str, Any] | None] | None = None,
        cache_size: int = LOADED,
        read_as: Mapping[str, tuple[str, ...]] | None = None,
        names_zh: Mapping[str, str] | None = None,
    ) -> None:
        from .columns import Columns

        self.cuisines = {c.slug: c for c in cuisines}
        self.read_as: Mapping[str, tuple[str, ...]] = read_as or {}
        """Query words → the words the catalog writes for them: everyday Finnish food words (``load_finnish``) and
        the Chinese names of chains (``load_chains_zh``)."""
        self.option_aliases: dict[str, str] = {}
        """Per-item option ids of the fixtures (and of carts saved before sharing) → shared option ids."""
        self.names_zh: Mapping[str, str] = names_zh or {}
        """Chinese names of chains, by name casefolded (``Vocabulary.chain_names_zh``): OSM gives the real city's
        branches none (a grown restaurant has a name of its own, never a chain's)."""
        self.resident: dict[str, Loaded] = {}
        for rest in sorted(resident, key=lambda r: r.id):
            self.resident[rest.id] = self._prepare(rest, resident=True)
        self.search_index: Any = None
        """The search index over this catalog (``search.Index``), built by the first service over it and shared by
        the next: a catalog is shared between apps over identical sandboxes (``seed.load_catalog``)."""
        self.templates = [entry.rest for entry in self.resident.values()]
        """The real restaurants in id order: every grown one copies one of these menus (``template``)."""
        light = [r.model_dump(exclude={"menu"}) for r in self.templates]
        self.columns: Columns = Columns.build(itertools.chain(grown, light), self.templates)
        self._load = load
        self._lru: OrderedDict[str, Loaded] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.restaurants: Mapping[str, RestaurantRec] = _Restaurants(self)
        self.items: Mapping[str, tuple[RestaurantRec, ItemRec]] = _Items(self)
        self.option_groups: Mapping[str, list[OptionGroupRec]] = _Groups(self)

    def _prepare(self, rest: RestaurantRec, *, resident: bool = False) -> Loaded:
        if not rest.name_zh and (zh := self.names_zh.get(rest.name.casefold())):
            rest.name_zh = zh
        groups = share_option_groups(rest, self.option_aliases)
        compact(rest, groups, strings=resident)
        return Loaded(rest, {item.id: item for cat in rest.menu for item in cat.items}, groups)

    def loaded(self, restaurant_id: str) -> Loaded | None:
        """The restaurant with its menu: resident, cached, or read from the database now."""
        entry = self.resident.get(restaurant_id)
        if entry is not None:
            return entry
        with self._lock:
            entry = self._lru.get(restaurant_id)
            if entry is not None:
                self._lru.move_to_end(restaurant_id)
                return entry
        if self._load is None or restaurant_id not in self.columns.position:
            return None
        doc = self._load(restaurant_id)
        if doc is None:
            return None
        entry = self._prepare(RestaurantRec.model_validate(doc))
        with self._lock:
            self._lru[restaurant_id] = entry
            while len(self._lru) > self._cache_size:
                self._lru.popitem(last=False)
        return entry

    def canonical_options(self, option_ids: list[str]) -> list[str]:
        """Chosen option ids in their shared, sorted form (older per-item ids still resolve)."""
        return sorted(self.option_aliases.get(oid, oid) for oid in option_ids)

    def cuisine_label(self, slug: str) -> str:
        rec = self.cuisines.get(slug)
        return bilingual(rec.en, rec.zh) if rec else slug

    @classmethod
    def from_records(
        cls,
        restaurants: list[RestaurantRec],
        cuisines: list[CuisineRec],
        read_as: Mapping[str, tuple[str, ...]] | None = None,
    ) -> Catalog:
        """A catalog of these restaurants only, all in memory (the real city, or a test's own)."""
        return cls(restaurants, cuisines, read_as=read_as)


class _Restaurants(Mapping[str, RestaurantRec]):
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def __getitem__(self, restaurant_id: str) -> RestaurantRec:
        entry = self.catalog.loaded(restaurant_id)
        if entry is None:
            raise KeyError(restaurant_id)
        return entry.rest

    def __contains__(self, restaurant_id: object) -> bool:
        return restaurant_id in self.catalog.columns.position

    def __iter__(self) -> Iterator[str]:
        return iter(self.catalog.columns.ids)

    def __len__(self) -> int:
        return len(self.catalog.columns.ids)


class _Items(Mapping[str, tuple[RestaurantRec, ItemRec]]):
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def __getitem__(self, item_id: str) -> tuple[RestaurantRec, ItemRec]:
        entry = self.catalog.loaded(restaurant_of_item(item_id)) if item_id.startswith("itm_") else None
        item = entry.items.get(item_id) if entry is not None else None
        if entry is None or item is None:
            raise KeyError(item_id)
        return entry.rest, item

    def __delitem__(self, item_id: str) -> None:
        """Take a dish off the menu (as a restaurant does between a past order and 'order again')."""
        entry = self.catalog.loaded(restaurant_of_item(item_id))
        if entry is None or item_id not in entry.items:
            raise KeyError(item_id)
        del entry.items[item_id]

    def __iter__(self) -> Iterator[str]:  # every dish of the city: for tests on the small one
        for restaurant_id in self.catalog.columns.ids:
            entry = self.catalog.loaded(restaurant_id)
            if entry is not None:
                yield from entry.items

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Groups(Mapping[str, list[OptionGroupRec]]):
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def __getitem__(self, restaurant_id: str) -> list[OptionGroupRec]:
        entry = self.catalog.loaded(restaurant_id)
        if entry is None:
            raise KeyError(restaurant_id)
        return entry.groups

    def __iter__(self) -> Iterator[str]:
        return iter(self.catalog.columns.ids)

    def __len__(self) -> int:
        return len(self.catalog.columns.ids)


def load_cuisines(fixtures_dir: Path) -> list[CuisineRec]:
    raw = json.loads((fixtures_dir / "vocab" / "cuisines.json").read_text(encoding="utf-8"))
    return [CuisineRec.model_validate(c) for c in raw]


_WORDS = TypeAdapter(dict[str, tuple[str, ...]])


def load_finnish(fixtures_dir: Path) -> dict[str, tuple[str, ...]]:
    """Everyday Finnish food words, written without umlauts (as ``search.folded`` reads a query), and the English
    words the menus use for them: the city is Helsinki, and 'pitsa', 'hampurilainen', 'kahvi' or 'lohi' found
    nothing, as menus are written in English and Chinese (the cuisine vocabulary knows only 'suomalainen'). A query
    part that is one of these words matches as itself (a name such as 'Ihana Kahvila') and as its English words,
    cuisines included (``search.Index.part``). Vocabulary, so kept with the cuisines' in fixtures/vocab (by hand:
    no build script writes it)."""
    return _WORDS.validate_json((fixtures_dir / "vocab" / "food_words_fi.json").read_bytes())


def load_chains_zh(fixtures_dir: Path) -> dict[str, tuple[str, ...]]:
    """Chains by the Chinese names people order them by ('麦当劳', '汉堡王'; OSM gives these restaurants no Chinese
    name): '麦当劳' found nothing. Hand-kept in fixtures/vocab beside the Finnish words, read the same way."""
    return _WORDS.validate_json((fixtures_dir / "vocab" / "chains_zh.json").read_bytes())


@dataclass(frozen=True)
class Vocabulary:
    """The words the catalog is searched by, as fixtures/vocab holds them: the cuisines, and query words read as the
    catalog's (the Finnish food words, the Chinese names of chains)."""

    cuisines: list[CuisineRec]
    read_as: dict[str, tuple[str, ...]]
    chain_names_zh: dict[str, str] = field(default_factory=dict)
    """A chain's Chinese name by its name (casefolded): 'mcdonald's' → '麦当劳', shown beside it as films' are."""

    @classmethod
    @functools.cache
    def load(cls, fixtures_dir: Path) -> Vocabulary:
        """Once per fixtures directory: the same vocabulary object is what a cached catalog was searched by
        (``seed.load_catalog``)."""
        chains = load_chains_zh(fixtures_dir)
        return cls(
            cuisines=load_cuisines(fixtures_dir),
            read_as={**load_finnish(fixtures_dir), **chains},
            chain_names_zh={name.casefold(): zh for zh, names in chains.items() for name in names},
        )
