"""Test-wide fixtures: a scratch PostgreSQL database, free ports and a real uvicorn server.

PostgreSQL runs at 127.0.0.1:5432 (user postgres, trust auth) on this machine and in CI. Each
test session creates its own database, so parallel runs never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import uvicorn

from servers.nav.backend.graph import RoadNetwork, load_network
from shared.kit.settings import default_fixtures
from tests.sandboxes import Lifestyle, make_lifestyle

PG_ADMIN = os.environ.get("LIFESTYLE_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
PG_BASE = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)


@contextmanager
def scratch_pg(prefix: str = "lifestyle") -> Iterator[str]:
    """A fresh PostgreSQL database (its SQLAlchemy URL), dropped afterwards whoever still holds it."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_BASE}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    with scratch_pg() as url:
        yield url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_in_thread(app: Any, port: int = 0) -> Iterator[str]:
    """Run an ASGI app under real uvicorn on 127.0.0.1 in a thread; yields the base URL.

    A sync context manager (not an async fixture) so no anyio cancel scope crosses
    pytest-asyncio's setup and teardown tasks.
    """
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="session")
def routing_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir ``cache/`` shared by the session: link it into a server's data dir to start warm."""
    return tmp_path_factory.mktemp("nav-data") / "cache"


@pytest.fixture(scope="session")
def network(routing_cache: Path) -> RoadNetwork:
    """The road network, its hierarchies prepared once per session."""
    return load_network(default_fixtures(), routing_cache / "nav")


@pytest.fixture
def lifestyle(tmp_path: Path, network: RoadNetwork) -> Iterator[Lifestyle]:
    """A fresh sandbox (SQLite) with all four providers."""
    env = make_lifestyle(tmp_path, network)
    yield env
    env.engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def lifestyle_any_db(request: pytest.FixtureRequest, tmp_path: Path, network: RoadNetwork) -> Iterator[Lifestyle]:
    """The same on SQLite and on PostgreSQL."""
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    env = make_lifestyle(tmp_path, network, url)
    yield env
    env.engine.dispose()
