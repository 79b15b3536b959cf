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

from servers.nav.backend.app import create_app, prepare_engine
from servers.nav.backend.graph import RoadNetwork, load_network
from servers.nav.backend.models import NavTable
from servers.nav.server import build_server
from shared.clock import SimClock
from shared.geo import CITY_TZ
from shared.kit.server import LifestyleServer
from shared.kit.settings import REPO_FIXTURES, Settings

# A Wednesday at 08:00 in Helsinki: morning rush hour, trams every few minutes.
RUSH = datetime(2026, 11, 25, 8, 0, tzinfo=CITY_TZ)


@dataclass
class NavEnv:
    settings: Settings
    clock: SimClock
    app: FastAPI
    server: LifestyleServer

    @property
    def engine(self) -> Engine:
        return self.app.state.engine  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def routing_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir ``cache/`` shared by the session: link it into a server's data dir to start warm."""
    return tmp_path_factory.mktemp("nav-data") / "cache"


@pytest.fixture(scope="session")
def network(routing_cache: Path) -> RoadNetwork:
    return load_network(REPO_FIXTURES, routing_cache / "nav")


def make_env(tmp_path: Path, network: RoadNetwork, database_url: str = "") -> NavEnv:
    settings = Settings.for_vertical(
        "nav", data_dir=tmp_path, database_url=database_url, time_scale=0, clock_start=RUSH
    )
    engine = prepare_engine(settings)
    if database_url:  # a shared PostgreSQL database: start from the fixtures every time
        NavTable.metadata.drop_all(engine)
        engine = prepare_engine(settings)
    clock = SimClock(start=RUSH, scale=0)
    app = create_app(settings, clock=clock, engine=engine, network=network)
    return NavEnv(settings=settings, clock=clock, app=app, server=build_server(settings, app=app))


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
