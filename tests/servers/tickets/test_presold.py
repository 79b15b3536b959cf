"""The seats sold before the season opened, and the per-tier counts a search page reads from them.

Sandboxes seeded before hold orders on the seats around that sample, so it must never change: here it is drawn
again the way it always was (one ``random.Random`` value per seat, a stable sort of the compiled layout's seats
by their older ids) and compared, for the real city and a grown one, with what ``Inventory`` now draws in
numpy from a ``Zoning`` — and the counts ``remaining`` starts from with the counts of that very sample."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator

import numpy as np
import pytest
from sqlmodel import Session

from servers.tickets.backend.catalog import Catalog
from servers.tickets.backend.inventory import Inventory, _uniforms
from tests.servers.tickets.conftest import TicketsEnv, make_env


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TicketsEnv]:
    env = make_env(tmp_path_factory.mktemp("tickets-presold"))
    yield env
    env.engine.dispose()


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TicketsEnv]:
    env = make_env(tmp_path_factory.mktemp("tickets-presold-scale3"), scale=3)
    yield env
    env.engine.dispose()


def drawn_as_before(inventory: Inventory, catalog: Catalog, session_id: str) -> frozenset[str]:
    """The sample as it has been drawn since the first sandbox: better rows first, with noise."""
    event = catalog.events[catalog.sessions[session_id].event_id]
    percent = next(s.presold_percent for s in event.sessions if s.id == session_id)
    seats = sorted(inventory.seats(event).values(), key=lambda s: s.legacy_id)
    k = len(seats) * percent // 100
    if not k:
        return frozenset()
    rng = random.Random(f"presold:{session_id}")
    noise = [rng.random() for _ in seats]
    ordered = sorted(range(len(seats)), key=lambda i: seats[i].rank + noise[i] * 2.5)[:k]
    return frozenset(seats[i].seat_id for i in ordered)


def counted_from(inventory: Inventory, catalog: Catalog, session_id: str, sample: frozenset[str]) -> Counter[str]:
    """Per tier, the layout's seats less the sample's, tiers in the layout's order."""
    layout = inventory.layout(catalog.events[catalog.sessions[session_id].event_id])
    left = Counter(layout.tier_totals)
    for seat_id in sample:
        left[layout.seats[seat_id].tier] -= 1
    return left


@pytest.mark.parametrize("seed", ["presold:ses_abc", "", "x", "presold:ses_g1_0012_03" + "é" * 40])
@pytest.mark.parametrize("n", [0, 1, 2, 623, 624, 625, 5000])
def test_uniforms_are_python_randoms_values_bit_for_bit(seed: str, n: int) -> None:
    rng = random.Random(seed)
    assert _uniforms(seed, n).tolist() == [rng.random() for _ in range(n)]


@pytest.mark.parametrize("which", ["city", "grown"])
def test_every_session_keeps_its_sample_and_counts_it(which: str, request: pytest.FixtureRequest) -> None:
    env: TicketsEnv = request.getfixturevalue(which)
    catalog = env.service.catalog
    fresh = Inventory(catalog)  # cold caches, as in a new server process
    some_presold = 0
    for session_id in sorted(catalog.sessions):
        sample = drawn_as_before(fresh, catalog, session_id)
        assert fresh.presold(session_id) == sample, session_id
        unsold = fresh.unsold(session_id)
        assert list(unsold.items()) == list(counted_from(fresh, catalog, session_id, sample).items()), session_id
        some_presold += bool(sample)
    assert some_presold > len(catalog.sessions) // 2  # the comparison is not vacuous


def test_a_zoning_is_its_layouts_seats_in_the_order_of_their_older_ids(grown: TicketsEnv) -> None:
    catalog = grown.service.catalog
    inventory = Inventory(catalog)
    for event in catalog.events.values():
        zoning, layout = inventory.zoning(event), inventory.layout(event)
        seats = sorted(layout.seats.values(), key=lambda s: s.legacy_id)
        assert zoning.legacy_ids == [s.legacy_id for s in seats]
        assert zoning.ranks.tolist() == [s.rank for s in seats]
        assert [zoning.tiers[t] for t in zoning.tier_of.tolist()] == [s.tier for s in seats]
        assert dict(zip(zoning.tiers, zoning.totals.tolist(), strict=True)) == dict(layout.tier_totals)
        assert zoning.tiers == layout.tiers


def test_remaining_seats_need_no_layout_and_no_sample(grown: TicketsEnv) -> None:
    """What a search page reads — seats left per tier for sessions anywhere in the city — is counted without
    compiling a layout (~9 ms a hall) or building a sample's seat set: the costs that set its p99."""
    catalog = grown.service.catalog
    inventory = Inventory(catalog)
    sessions = random.Random(7).sample(sorted(catalog.sessions), 60)
    with Session(grown.engine) as session:
        counts = inventory.remaining(session, sessions, grown.service.now())
    assert inventory._layout.cache_info().currsize == 0
    assert inventory._presold.cache_info().currsize == 0
    reference = Inventory(catalog)
    for session_id in sessions:  # nothing is claimed in this city yet: what is left is what was not pre-sold
        sample = drawn_as_before(reference, catalog, session_id)
        assert counts[session_id] == dict(counted_from(reference, catalog, session_id, sample))


def test_no_presold_share_means_every_seat_is_left(city: TicketsEnv) -> None:
    catalog = city.service.catalog
    event = next(e for e in catalog.events.values() if any(not s.presold_percent for s in e.sessions))
    session_id = next(s.id for s in event.sessions if not s.presold_percent)
    inventory = Inventory(catalog)
    assert inventory.presold(session_id) == frozenset()
    assert inventory.unsold(session_id) == Counter(inventory.layout(event).tier_totals)
    assert np.array_equal(inventory.zoning(event).totals, list(inventory.layout(event).tier_totals.values()))
