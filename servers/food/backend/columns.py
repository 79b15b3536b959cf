"""Every restaurant of the city as light columns: what a search filters, ranks and summarises, without menus.

A search used to walk every restaurant record in Python (hours, haversine, fee for each): fine for the real
city's 425, linear in the city's size. Here each field a search reads is a numpy column in restaurant-id
order, so filtering and ranking are a few vector operations over the restaurants near the point (a grid of
~1 km cells, restaurants sorted by cell, so the cells around a point are a few contiguous slices), opening
hours are distinct weekly spans shared by the restaurants that keep them (open-now is one lookup per span per
minute), and a menu is read only for the page shown. The scale pack's 50,915 restaurants take ~10 MB here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.geo import EARTH_RADIUS_M
from shared.hours import WEEK_MIN, Schedule, _week_spans

from .catalog import DeliveryRec, RestaurantRec
from .pricing import DETOUR, HANDLING_MIN, RIDER_SPEED_M_PER_MIN, SHORTEST_RIDE_MIN
from .search import folded
from .slots import ACCEPT_AFTER, PREP_STARTS

CELL_LAT = 0.01
"""Grid cell height in degrees (≈1.1 km)."""
CELL_LNG = 0.02
"""Grid cell width in degrees (≈1.1 km at 60° N)."""

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def _cell(lat: float, lng: float) -> tuple[int, int]:
    return math.floor(lat / CELL_LAT), math.floor(lng / CELL_LNG)


@dataclass
class Columns:
    """Restaurants in id order (a restaurant's position is its rank by id, the last part of every sort key)."""

    ids: list[str]
    names: list[str]
    names_zh: list[str]
    streets: list[tuple[str, str]]
    """Street and house number: results name them, so branches of one name can be told apart."""
    kinds: list[str]
    template: Ints
    """Index into the catalog's templates of the menu the restaurant serves (a real one serves its own)."""
    cuisines: list[tuple[str, ...]]
    lat: Floats
    lng: Floats
    rating: Floats
    rating_count: Ints
    price_level: Ints
    prep: Ints
    radius: Ints
    base_fee: Ints
    per_km: Ints
    min_order: Ints
    packaging: Ints
    hours: Ints
    """Index into ``schedules``."""
    schedules: list[Schedule]
    name_group: Ints
    """Index into ``name_texts``: restaurants with the same name (lowercase, both languages) share one."""
    name_texts: list[str]
    price_factor: Floats
    """A grown restaurant's prices against its template's (``pricing.scaled_minor``); 0 where they are the template's
    own (a real restaurant, or one grown before its documents carried the factor)."""
    position: dict[str, int] = field(default_factory=dict)
    _span_hours: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    _span_start: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    _span_end: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    _taking_at: tuple[int, npt.NDArray[np.bool_]] | None = None
    _by_cell: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    _cells: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    max_reach_m: float = 0.0
    """The farthest any restaurant delivers, in straight-line metres (its radius is by road)."""

    def __post_init__(self) -> None:
        self.position = {rid: i for i, rid in enumerate(self.ids)}
        starts: list[int] = []
        ends: list[int] = []
        owners: list[int] = []
        for k, schedule in enumerate(self.schedules):
            for a, b in _week_spans(schedule):
                owners.append(k)
                starts.append(a)
                ends.append(b)
        self._span_hours = np.array(owners, np.int64)
        self._span_start = np.array(starts, np.int64)
        self._span_end = np.array(ends, np.int64)
        keys = [_cell(la, ln) for la, ln in zip(self.lat.tolist(), self.lng.tolist(), strict=True)]
        order = sorted(range(len(keys)), key=lambda i: keys[i])
        self._by_cell = np.array(order, np.int64)
        start = 0
        for n in range(1, len(order) + 1):
            if n == len(order) or keys[order[n]] != keys[order[start]]:
                self._cells[keys[order[start]]] = (start, n)
                start = n
        self.max_reach_m = float(self.radius.max()) / DETOUR + 1 if len(self.ids) else 0.0

    def __len__(self) -> int:
        return len(self.ids)

    # ----- building ----------------------------------------------------------------------------------------------
    @classmethod
    def build(cls, docs: Iterable[dict[str, Any]], templates: list[RestaurantRec]) -> Columns:
        """Columns from restaurant documents (any order; only their light fields are read)."""
        template_at = {t.id: k for k, t in enumerate(templates)}
        schedule_at: dict[str, int] = {}
        schedules: list[Schedule] = []
        group_at: dict[str, int] = {}
        cuisine_sets: dict[tuple[str, ...], tuple[str, ...]] = {}
        kinds: dict[str, str] = {}
        rows: list[tuple[Any, ...]] = []
        for d in docs:
            hours = d["opening_hours"]
            hkey = repr(sorted((day, [tuple(s) for s in spans]) for day, spans in hours.items()))
            if hkey not in schedule_at:
                schedule_at[hkey] = len(schedules)
                schedules.append(hours)
            text = folded(f"{d['name']} {d.get('name_zh', '')}")
            if text not in group_at:
                group_at[text] = len(group_at)
            cuisines = tuple(d["cuisines"])
            dv = d["delivery"]
            rows.append(
                (
                    d["id"], d["name"], d.get("name_zh", ""), template_at[d.get("template") or d["id"]],
                    cuisine_sets.setdefault(cuisines, cuisines), d["lat"], d["lng"], d["rating"], d["rating_count"],
                    d["price_level"], d["prep_minutes"], dv["radius_m"], dv["base_fee_minor"], dv["fee_per_km_minor"],
                    dv["min_order_minor"], dv.get("packaging_fee_minor", 0), schedule_at[hkey], group_at[text],
                    kinds.setdefault(d["kind"], d["kind"]), (d.get("street", ""), d.get("housenumber", "")),
                    d.get("price_factor", 0.0),
                )
            )  # fmt: skip
        rows.sort(key=lambda r: r[0])
        cols = list(zip(*rows, strict=True)) if rows else [()] * 21

        def ints(k: int) -> Ints:
            return np.array(cols[k], np.int64)

        def floats(k: int) -> Floats:
            return np.array(cols[k], np.float64)

        return cls(
            ids=list(cols[0]), names=list(cols[1]), names_zh=list(cols[2]), template=ints(3), cuisines=list(cols[4]),
            lat=floats(5), lng=floats(6), rating=floats(7), rating_count=ints(8), price_level=ints(9), prep=ints(10),
            radius=ints(11), base_fee=ints(12), per_km=ints(13), min_order=ints(14), packaging=ints(15),
            hours=ints(16), schedules=schedules, name_group=ints(17), name_texts=list(group_at), kinds=list(cols[18]),
            streets=list(cols[19]), price_factor=floats(20),
        )  # fmt: skip

    # ----- reading -----------------------------------------------------------------------------------------------
    def near(self, lat: float, lng: float, metres: float | None = None) -> Ints:
        """Positions of the restaurants in the grid cells within ``metres`` (default: the farthest reach) of the
        point: a superset of those that could deliver there, in no particular order."""
        reach = self.max_reach_m if metres is None else metres
        dlat = reach / 111_195 + CELL_LAT
        dlng = reach / (111_195 * max(0.1, math.cos(math.radians(lat)))) + CELL_LNG
        (r0, c0), (r1, c1) = _cell(lat - dlat, lng - dlng), _cell(lat + dlat, lng + dlng)
        parts = [
            self._by_cell[span[0] : span[1]]
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
            if (span := self._cells.get((r, c))) is not None
        ]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def _metres(self, at: Ints, lat: float, lng: float) -> npt.NDArray[np.float64]:
        """``shared.geo.haversine_m`` from the restaurants at ``at`` to the point, vectorised."""
        la1, lo1 = np.radians(self.lat[at]), np.radians(self.lng[at])
        la2, lo2 = math.radians(lat), math.radians(lng)
        h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * math.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
        metres: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(h))
        return metres

    def road_distance(self, at: Ints, lat: float, lng: float) -> Ints:
        """``pricing.delivery_distance_m`` for the restaurants at ``at``, vectorised (the same haversine)."""
        return np.rint(self._metres(at, lat, lng) * DETOUR).astype(np.int64)

    def straight_distance(self, at: Ints, lat: float, lng: float) -> Ints:
        """The straight-line metres a search result shows (``RestaurantSummary.distance_m``), vectorised."""
        return np.rint(self._metres(at, lat, lng)).astype(np.int64)

    def fee(self, at: Ints, distance: Ints) -> Ints:
        """``pricing.delivery_fee_minor``, vectorised: base + per km × started 100 m."""
        km = np.ceil(distance / 100) / 10
        return self.base_fee[at] + np.rint(self.per_km[at] * km).astype(np.int64)

    def eta(self, at: Ints, distance: Ints) -> Ints:
        """``pricing.eta_minutes``, vectorised."""
        ride = np.maximum(SHORTEST_RIDE_MIN, np.rint(distance / RIDER_SPEED_M_PER_MIN)).astype(np.int64)
        return HANDLING_MIN + self.prep[at] + ride  # np.rint rounds half to even, as round() does

    def open_mask(self, minute_of_week: int) -> npt.NDArray[np.bool_]:
        """Which schedules are open at this minute of the week (Monday 00:00 = 0)."""
        m = minute_of_week % WEEK_MIN
        live = (self._span_start <= m) & (m < self._span_end)
        mask = np.zeros(len(self.schedules), np.bool_)
        mask[self._span_hours[live]] = True
        return mask

    def taking_orders(self, minute_of_week: int) -> npt.NDArray[np.bool_]:
        """Which restaurants would cook an order placed at this minute: open at acceptance and at the last minute of
        cooking, as ``slots.taking_orders`` asks (its 5-minute steps between them only see a break shorter than a
        prep time, which no schedule has). Computed for every restaurant once per minute: each search in that
        minute (and its explanation of what it left out) only indexes it."""
        cached = self._taking_at
        if cached is not None and cached[0] == minute_of_week:
            return cached[1]
        ok = self.open_mask(minute_of_week + ACCEPT_AFTER // timedelta(minutes=1))[self.hours]
        ready = minute_of_week + PREP_STARTS // timedelta(minutes=1) + self.prep - 1
        for minute in np.unique(ready).tolist():
            same = ready == minute
            ok[same] &= self.open_mask(minute)[self.hours[same]]
        self._taking_at = (minute_of_week, ok)
        return ok

    def record(self, i: int) -> RestaurantRec:
        """A menu-less record of the restaurant at ``i``: enough for a search summary or an explanation."""
        return RestaurantRec.model_construct(
            id=self.ids[i],
            kind=self.kinds[i],
            name=self.names[i],
            name_zh=self.names_zh[i],
            street=self.streets[i][0],
            housenumber=self.streets[i][1],
            cuisines=list(self.cuisines[i]),
            lat=float(self.lat[i]),
            lng=float(self.lng[i]),
            rating=float(self.rating[i]),
            rating_count=int(self.rating_count[i]),
            price_level=int(self.price_level[i]),
            opening_hours=self.schedules[int(self.hours[i])],
            prep_minutes=int(self.prep[i]),
            delivery=DeliveryRec.model_construct(
                radius_m=int(self.radius[i]),
                base_fee_minor=int(self.base_fee[i]),
                fee_per_km_minor=int(self.per_km[i]),
                min_order_minor=int(self.min_order[i]),
                packaging_fee_minor=int(self.packaging[i]),
            ),
            menu=[],
        )
