"""Each mode's graph is built when first asked for (``graph.LazyModes``): a first walking route does not wait for
the driving and cycling graphs, racing first routes of one mode share one graph, and the mapping still lists every
mode as the dict it replaced did."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from servers.nav.backend.graph import MODE_FLAGS, load_network
from shared.kit.settings import default_fixtures


def test_a_mode_is_built_once_on_first_use_even_when_asked_at_once() -> None:
    network = load_network(default_fixtures())
    assert list(network.modes) == list(MODE_FLAGS) and len(network.modes) == 3
    assert network.modes._built == {}, "loading the network built a mode nobody asked for"  # type: ignore[attr-defined]
    with ThreadPoolExecutor(8) as pool:
        graphs = list(pool.map(lambda _: network.modes["walking"], range(8)))
    assert all(g is graphs[0] for g in graphs) and graphs[0].mode == "walking"
    assert set(network.modes._built) == {"walking"}  # type: ignore[attr-defined]
    assert {mode for mode, g in network.modes.items()} == {"driving", "walking", "cycling"}
    with pytest.raises(KeyError):
        network.modes["flying"]


def test_street_names_of_a_mode_are_read_without_building_its_graph() -> None:
    network = load_network(default_fixtures())
    tails, names = network.edge_names("walking")  # what the geocoder's street index reads
    assert network.modes._built == {}, "edge_names built a graph"  # type: ignore[attr-defined]
    walking = network.modes["walking"]
    assert tails.tolist() == walking.tail.tolist() and names.tolist() == walking.name.tolist()
    assert network.edge_names("walking")[0] is walking.tail  # a graph built already is read, not made again
    for mode in ("driving", "cycling"):
        tails, names = network.edge_names(mode)
        graph = network.modes[mode]
        assert tails.tolist() == graph.tail.tolist() and names.tolist() == graph.name.tolist()
