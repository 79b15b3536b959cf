"""Food test fixtures: the committed city fixtures, a frozen sandbox clock, SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from servers.food.backend.app import create_app, prepare
from servers.food.backend.catalog import Catalog
from servers.food.backend.models import FoodTable
from servers.food.server import build_server
from shared.account import Sandbox, SandboxClock
from shared.geo import CITY_TZ
from shared.kit.server import LifestyleServer
from shared.kit.settings import Settings
from tests.support import sandbox_settings, seeded, snapshot

# A Wednesday lunchtime in Helsinki: most restaurants are open.
LUNCH = datetime(2026, 11, 25, 12, 30, tzinfo=CITY_TZ)


@dataclass
class FoodEnv:
    settings: Settings
    sandbox: Sandbox
    app: FastAPI
    server: LifestyleServer

    @property
    def engine(self) -> Engine:
        return self.sandbox.engine

    @property
    def catalog(self) -> Catalog:
        """The app's in-memory catalog (restaurants, menus, hours), read by tests that look up what to expect."""
        return self.app.state.service.catalog

    @property
    def clock(self) -> SandboxClock:
        return self.sandbox.clock

    def server_for(self, user: str) -> LifestyleServer:
        """Another account's view of the same backend."""
        return build_server(self.settings.model_copy(update={"user": user}), app=self.app)

    def wallet(self, user: str = "usr_demo") -> int:
        return self.sandbox.accounts.me(user).wallet.amount_minor

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every food and account table: compare before/after to prove nothing changed."""
        return snapshot(self.engine, FoodTable.metadata)


def make_env(tmp_path: Path, database_url: str = "", scale: int = 1) -> FoodEnv:
    settings = sandbox_settings("food", tmp_path, LUNCH, database_url, scale=scale)
    (sandbox,) = seeded((settings, prepare))
    app = create_app(settings, sandbox=sandbox)
    return FoodEnv(settings=settings, sandbox=sandbox, app=app, server=build_server(settings, app=app))


@pytest.fixture
def fresh_food(tmp_path: Path) -> Iterator[FoodEnv]:
    """A sandbox of the test's own; also the name to ask for it by where a module's tests share one
    (``food_readonly``, under the name ``food``) and this test changes it."""
    env = make_env(tmp_path)
    yield env
    env.engine.dispose()


@pytest.fixture
def food(fresh_food: FoodEnv) -> FoodEnv:
    """A sandbox of the test's own (a search module overrides it with ``food_readonly``)."""
    return fresh_food


@pytest.fixture(scope="module")
def food_readonly(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FoodEnv]:
    """One backend for a module of tests that change nothing (searches): a sandbox per test cost 0.3-0.6 s, and under
    a loaded suite several, a hundred times over."""
    env = make_env(tmp_path_factory.mktemp("food"))
    yield env
    env.engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def food_any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FoodEnv]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    env = make_env(tmp_path, url)
    yield env
    env.engine.dispose()
