"""Movies test fixtures: the committed fixtures, a frozen clock, SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.engine import Engine

from servers.movies.backend.app import create_app, prepare_engine
from servers.movies.backend.models import MoviesTable
from servers.movies.backend.orders import OrderDesk
from servers.movies.backend.service import MoviesService
from servers.movies.server import build_server
from shared.clock import SimClock
from shared.geo import CITY_TZ
from shared.kit.server import LifestyleServer
from shared.kit.settings import Settings

# A Wednesday noon in Helsinki: the season is anchored on Monday 23 November 2026, so the programme has
# films running since before the anchor and others opening on the Fridays after it.
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=CITY_TZ)


@dataclass
class MoviesEnv:
    settings: Settings
    clock: SimClock
    app: FastAPI
    server: LifestyleServer

    @property
    def engine(self) -> Engine:
        return self.app.state.engine  # type: ignore[no-any-return]

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
        return self.service.me(user).wallet.amount_minor

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every movies table: compare before/after to prove nothing changed."""
        with self.engine.connect() as conn:
            return {
                name: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {name}")).all()), key=repr)
                for name in MoviesTable.metadata.tables
            }


def make_env(tmp_path: Path, database_url: str = "") -> MoviesEnv:
    settings = Settings.for_vertical(
        "movies", data_dir=tmp_path, database_url=database_url, user="usr_demo", time_scale=0, clock_start=NOON
    )
    engine = prepare_engine(settings)
    if database_url:  # a shared PostgreSQL database: start from the fixtures every time
        MoviesTable.metadata.drop_all(engine)
        engine.dispose()
        engine = prepare_engine(settings)
    clock = SimClock(start=NOON, scale=0)
    app = create_app(settings, clock=clock, engine=engine)
    return MoviesEnv(settings=settings, clock=clock, app=app, server=build_server(settings, app=app))


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
