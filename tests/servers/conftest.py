"""Fixtures every server's tests share: the road network (prepared once per session) and a whole sandbox
with all four providers on one database, as the four servers of one user's installation see it."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from servers.food.backend.models import FoodTable
from servers.movies.backend.models import MoviesTable
from servers.nav.backend.graph import RoadNetwork, load_network
from servers.nav.backend.models import NavTable
from servers.tickets.backend.models import TicketsTable
from shared.account import Sandbox
from shared.geo import CITY_TZ
from shared.kit.server import LifestyleServer
from shared.kit.settings import Settings, default_fixtures
from tests.support import fresh_engine, sandbox_settings, snapshot

VERTICALS = ("food", "tickets", "movies", "nav")
# A Wednesday noon in Helsinki: restaurants open, events and showtimes ahead.
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=CITY_TZ)


@pytest.fixture(scope="session")
def routing_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir ``cache/`` shared by the session: link it into a server's data dir to start warm."""
    return tmp_path_factory.mktemp("nav-data") / "cache"


@pytest.fixture(scope="session")
def network(routing_cache: Path) -> RoadNetwork:
    return load_network(default_fixtures(), routing_cache / "nav")


@dataclass
class Lifestyle:
    """One sandbox with every vertical's provider app and MCP server, all on one database."""

    settings: dict[str, Settings]
    sandboxes: dict[str, Sandbox]
    apps: dict[str, FastAPI]
    engine: Engine

    @property
    def sandbox(self) -> Sandbox:
        return self.sandboxes["food"]

    def server(self, vertical: str, user: str = "usr_demo", **settings: object) -> LifestyleServer:
        """``vertical``'s MCP server acting (over stdio or in memory) for ``user``, on this sandbox's provider."""
        chosen = self.settings[vertical].model_copy(update={"user": user, **settings})
        module = importlib.import_module(f"servers.{vertical}.server")
        server: LifestyleServer = module.build_server(chosen, app=self.apps[vertical])
        return server

    def snapshot(self) -> dict[str, list[tuple[object, ...]]]:
        return snapshot(self.engine, FoodTable.metadata, TicketsTable.metadata, MoviesTable.metadata, NavTable.metadata)


def make_lifestyle(tmp_path: Path, network: RoadNetwork, database_url: str = "") -> Lifestyle:
    from servers.food.backend import app as food
    from servers.movies.backend import app as movies
    from servers.nav.backend import app as nav
    from servers.tickets.backend import app as tickets

    settings = {v: sandbox_settings(v, tmp_path, NOON, database_url) for v in VERTICALS}
    engine = fresh_engine(settings["food"])
    sandboxes = {
        "food": food.prepare(settings["food"], engine=engine),
        "tickets": tickets.prepare(settings["tickets"], engine=engine),
        "movies": movies.prepare(settings["movies"], engine=engine),
        "nav": nav.prepare(settings["nav"], engine=engine),
    }
    apps = {
        "food": food.create_app(settings["food"], sandbox=sandboxes["food"]),
        "tickets": tickets.create_app(settings["tickets"], sandbox=sandboxes["tickets"]),
        "movies": movies.create_app(settings["movies"], sandbox=sandboxes["movies"]),
        "nav": nav.create_app(settings["nav"], sandbox=sandboxes["nav"], network=network),
    }
    return Lifestyle(settings=settings, sandboxes=sandboxes, apps=apps, engine=engine)


@pytest.fixture
def lifestyle(tmp_path: Path, network: RoadNetwork) -> Iterator[Lifestyle]:
    env = make_lifestyle(tmp_path, network)
    yield env
    env.engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def lifestyle_any_db(request: pytest.FixtureRequest, tmp_path: Path, network: RoadNetwork) -> Iterator[Lifestyle]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    env = make_lifestyle(tmp_path, network, url)
    yield env
    env.engine.dispose()
