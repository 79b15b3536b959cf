"""Nav test fixtures: one road network per session (its hierarchies prepared once and cached on disk,
where the stdio servers find them too), a frozen clock on a weekday morning rush hour, SQLite or
PostgreSQL.

``nav`` is one environment for the whole session: the tools only read, so tests that never change
the database or move the clock share it (building one takes ~0.5 s: database, transit, indexes).
Tests that write, reset or move the clock take ``nav_rw``, a fresh environment of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from servers.nav.backend.app import create_app, prepare
from servers.nav.backend.graph import RoadNetwork
from servers.nav.server import build_server
from shared.account import Sandbox, SandboxClock
from shared.geo import CITY_TZ
from shared.kit.server import LifestyleServer
from shared.kit.settings import Settings
from tests.support import sandbox_settings, seeded

# A Wednesday at 08:00 in Helsinki: morning rush hour, trams every few minutes.
RUSH = datetime(2026, 11, 25, 8, 0, tzinfo=CITY_TZ)


@dataclass
class NavEnv:
    settings: Settings
    sandbox: Sandbox
    app: FastAPI
    server: LifestyleServer

    @property
    def engine(self) -> Engine:
        return self.sandbox.engine

    @property
    def clock(self) -> SandboxClock:
        return self.sandbox.clock

    def server_for(self, user: str) -> LifestyleServer:
        """Another account's view of the same backend."""
        return build_server(self.settings.model_copy(update={"user": user}), app=self.app)


def make_env(tmp_path: Path, network: RoadNetwork, database_url: str = "", scale: int = 1) -> NavEnv:
    settings = sandbox_settings("nav", tmp_path, RUSH, database_url, scale=scale)
    (sandbox,) = seeded((settings, prepare))
    app = create_app(settings, sandbox=sandbox, network=network)
    return NavEnv(settings=settings, sandbox=sandbox, app=app, server=build_server(settings, app=app))


@pytest.fixture(scope="session")
def nav(tmp_path_factory: pytest.TempPathFactory, network: RoadNetwork) -> Iterator[NavEnv]:
    """Shared and read-only: do not write to its database or move its clock (use ``nav_rw``)."""
    env = make_env(tmp_path_factory.mktemp("nav-shared"), network)
    yield env
    env.engine.dispose()


@pytest.fixture
def nav_rw(tmp_path: Path, network: RoadNetwork) -> Iterator[NavEnv]:
    """A fresh environment for a test that writes to the database or moves the clock."""
    env = make_env(tmp_path, network)
    yield env
    env.engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def nav_any_db(request: pytest.FixtureRequest, tmp_path: Path, network: RoadNetwork) -> Iterator[NavEnv]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    env = make_env(tmp_path, network, url)
    yield env
    env.engine.dispose()
