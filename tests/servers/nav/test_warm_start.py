"""A launched nav server builds, before its first call, what that call would otherwise wait for."""

from __future__ import annotations

from pathlib import Path

import anyio

from servers.nav.backend.app import create_app
from servers.nav.backend.graph import RoadNetwork
from servers.nav.client import NavClient
from shared.kit.client import LazyApp
from shared.kit.server import ClientLifespan
from tests.servers.nav.conftest import RUSH
from tests.support import sandbox_settings


async def test_a_warm_start_builds_the_geocoder_and_a_build_for_a_call_does_not(
    tmp_path: Path, network: RoadNetwork
) -> None:
    """The geocoder (every place, stop and street with all its names: 50-100 ms) was left to the first call naming a
    place, so a model's first route, asked seconds after ``initialize``, still waited for it. The warm start builds it
    with the provider; a provider built because a call needs it now (no warm start) leaves it to the calls that use
    it."""
    warm = sandbox_settings("nav", tmp_path / "warm", RUSH).warm_by_default()
    lifespan = ClientLifespan(warm, NavClient, lambda: create_app(warm, network=network))
    assert lifespan.app is not None
    async with lifespan(None):
        with anyio.fail_after(60):
            while lifespan.app._app is None:
                await anyio.sleep(0.05)
        built = lifespan.app._app.state.service
    assert "geocoder" in vars(built), "the warm start left the geocoder to the first call"

    cold = sandbox_settings("nav", tmp_path / "cold", RUSH)
    app = await LazyApp(lambda: create_app(cold, network=network), "nav").ensure()
    assert "geocoder" not in vars(app.state.service)
