"""A bare sandbox (the account alone, no vertical) on a SQLite file or PostgreSQL, frozen at noon."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from shared.account import Sandbox, open_sandbox
from shared.geo import CITY_TZ
from tests.support import fresh_engine, sandbox_settings

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=CITY_TZ)


@pytest.fixture(params=["sqlite", "postgres"])
def sandbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Sandbox]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    settings = sandbox_settings("", tmp_path, NOON, url)
    box = open_sandbox(settings, engine=fresh_engine(settings))
    yield box
    box.engine.dispose()


@pytest.fixture
def sqlite_sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    settings = sandbox_settings("", tmp_path, NOON)
    box = open_sandbox(settings, engine=fresh_engine(settings))
    yield box
    box.engine.dispose()
