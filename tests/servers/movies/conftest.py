"""Movies test fixtures: the committed fixtures, a frozen sandbox clock, SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from servers.movies.backend.app import create_app, prepare
from servers.movies.backend.models import MoviesTable
from servers.movies.backend.orders import OrderDesk
from servers.movies.backend.service import MoviesService
from servers.movies.server import build_server
from shared.account import Sandbox, SandboxClock
from shared.geo import CITY_TZ
from shared.kit.server import LifestyleServer
from shared.kit.settings import Settings
from tests.support import sandbox_settings, seeded, snapshot

# A Wednesday noon in Helsinki: the season is anchored on Monday 23 November 2026, so the programme has
# films running since before the anchor and others opening on the Fridays after it.
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=CITY_TZ)


@dataclass
class MoviesEnv:
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

    @property
    def service(self) -> MoviesService:
        return self.app.state.service  # type: ignore[no-any-return]

    @property
    def desk(self) -> OrderDesk:
        return self.app.state.desk  # type: ignore[no-any-return]

    def server_for(self, user: str) -> LifestyleServer:
        """Another account's view of the same backend."""
        return build_server(self.settings.model_copy(update={"user": user}), app=self.app)

    def wallet(self, user: str = "usr_demo") -> int:
        return self.sandbox.accounts.me(user).wallet.amount_minor

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every movies and account table: compare before/after to prove nothing changed."""
        return snapshot(self.engine, MoviesTable.metadata)


def make_env(tmp_path: Path, database_url: str = "", scale: int = 1) -> MoviesEnv:
    settings = sandbox_settings("movies", tmp_path, NOON, database_url, scale=scale)
    (sandbox,) = seeded((settings, prepare))
    app = create_app(settings, sandbox=sandbox)
    return MoviesEnv(settings=settings, sandbox=sandbox, app=app, server=build_server(settings, app=app))


@pytest.fixture
def movies(tmp_path: Path) -> Iterator[MoviesEnv]:
    env = make_env(tmp_path)
    yield env
    env.engine.dispose()


@pytest.fixture(scope="module")
def movies_readonly(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MoviesEnv]:
    """One backend for a module of tests that must change nothing (each proves it with a snapshot)."""
    env = make_env(tmp_path_factory.mktemp("movies"))
    yield env
    env.engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def movies_any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MoviesEnv]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    env = make_env(tmp_path, url)
    yield env
    env.engine.dispose()
