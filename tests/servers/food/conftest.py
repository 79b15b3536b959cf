"""Food test fixtures: the committed city fixtures, a frozen clock, SQLite or PostgreSQL."""

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

from servers.food.backend.app import create_app, prepare_engine
from servers.food.backend.models import FoodTable
from servers.food.server import build_server
from shared.clock import SimClock
from shared.geo import CITY_TZ
from shared.kit.server import LifestyleServer
from shared.kit.settings import Settings

# A Wednesday lunchtime in Helsinki: most restaurants are open.
LUNCH = datetime(2026, 11, 25, 12, 30, tzinfo=CITY_TZ)


@dataclass
class FoodEnv:
    settings: Settings
    clock: SimClock
    app: FastAPI
    server: LifestyleServer

    @property
    def engine(self) -> Engine:
        return self.app.state.engine  # type: ignore[no-any-return]

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every food table: compare before/after to prove nothing changed."""
        with self.engine.connect() as conn:
            return {
                name: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {name}")).all()), key=repr)
                for name in FoodTable.metadata.tables
            }


def make_env(tmp_path: Path, database_url: str = "") -> FoodEnv:
    settings = Settings.for_vertical(
        "food", data_dir=tmp_path, database_url=database_url, user="usr_demo", time_scale=0, clock_start=LUNCH
    )
    engine = prepare_engine(settings)
    if database_url:  # a shared PostgreSQL database: start from the fixtures every time
        FoodTable.metadata.drop_all(engine)
        engine = prepare_engine(settings)
    clock = SimClock(start=LUNCH, scale=0)
    app = create_app(settings, clock=clock, engine=engine)
    return FoodEnv(settings=settings, clock=clock, app=app, server=build_server(settings, app=app))


@pytest.fixture
def food(tmp_path: Path) -> Iterator[FoodEnv]:
    env = make_env(tmp_path)
    yield env
    env.engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def food_any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FoodEnv]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    env = make_env(tmp_path, url)
    yield env
    env.engine.dispose()
