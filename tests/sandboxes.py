"""A whole sandbox with all four providers on one database, as the four servers of one user's installation see it
(the ``lifestyle`` fixtures in ``tests/conftest.py`` build one per test)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from servers.food.backend.models import FoodTable
from servers.movies.backend.models import MoviesTable
from servers.nav.backend.graph import RoadNetwork
from servers.nav.backend.models import NavTable
from servers.tickets.backend.models import TicketsTable
from shared.account import Sandbox
from shared.geo import CITY_TZ
from shared.kit.server import LifestyleServer
from shared.kit.settings import Settings
from tests.support import sandbox_settings, seeded, snapshot

VERTICALS = ("food", "tickets", "movies", "nav")
# A Wednesday noon in Helsinki: restaurants open, events and showtimes ahead.
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=CITY_TZ)


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
    steps = [(settings[v], module.prepare) for v, module in zip(VERTICALS, (food, tickets, movies, nav), strict=True)]
    sandboxes = dict(zip(VERTICALS, seeded(*steps), strict=True))
    engine = sandboxes["food"].engine
    apps = {
        "food": food.create_app(settings["food"], sandbox=sandboxes["food"]),
        "tickets": tickets.create_app(settings["tickets"], sandbox=sandboxes["tickets"]),
        "movies": movies.create_app(settings["movies"], sandbox=sandboxes["movies"]),
        "nav": nav.create_app(settings["nav"], sandbox=sandboxes["nav"], network=network),
    }
    return Lifestyle(settings=settings, sandboxes=sandboxes, apps=apps, engine=engine)
