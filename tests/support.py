"""Helpers every test package shares: a sandbox per test, credentials for the provider APIs, snapshots."""

from __future__ import annotations

import atexit
import importlib.util
import json
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import httpx
import httpx2
from fastapi import FastAPI
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Engine

from shared.account.models import AccountTable
from shared.kit.client import IN_PROCESS_BASE
from shared.kit.db import drop_sandbox, make_engine
from shared.kit.settings import REPO_FIXTURES, SANDBOX_FILE, Settings

if TYPE_CHECKING:
    from shared.account import Sandbox


def sandbox_settings(vertical: str, tmp_path: Path, start: datetime, database_url: str = "", **extra: Any) -> Settings:
    """Settings for a fresh sandbox in ``tmp_path`` (or a wiped PostgreSQL database), frozen at ``start``."""
    return Settings.for_vertical(
        vertical, data_dir=tmp_path, database_url=database_url, user="usr_demo", time_scale=0, clock_start=start,
        **extra,
    )  # fmt: skip


def fresh_engine(settings: Settings) -> Engine:
    """An engine on the settings' database with no sandbox in it (PostgreSQL databases are shared by a session)."""
    engine = make_engine(settings.effective_database_url)
    drop_sandbox(engine)
    return engine


_TEMPLATES: dict[str, Path] = {}
"""Seeded SQLite sandboxes of this test process, by what seeded them (``seeded``)."""


def seeded(*verticals: tuple[Settings, Callable[..., Sandbox]]) -> list[Sandbox]:
    """Each ``prepare(settings, engine=…)`` in turn on one fresh sandbox (the first settings' database), as a test
    needs it. On SQLite the database is a copy of the first one this process seeded with the same steps and
    settings (clock, scale, user): seeding the city took 0.3–1 s of most tests, copying the file takes milliseconds.
    The copy holds what the same seed writes (the seed is deterministic), so the test sees the sandbox a fresh seed
    gives, and ``prepare`` opens it as a server opens an existing sandbox. PostgreSQL sandboxes are seeded each time
    (a wiped shared database)."""
    first = verticals[0][0]
    if first.database_url:
        engine = fresh_engine(first)
        return [prepare(settings, engine=engine) for settings, prepare in verticals]
    steps = [[step.__module__, settings.model_dump(mode="json", exclude={"data_dir"})] for settings, step in verticals]
    key = json.dumps(steps, sort_keys=True)
    template = _TEMPLATES.get(key)
    if template is None:
        where = Path(tempfile.mkdtemp(prefix="lifestyle-template-"))
        atexit.register(shutil.rmtree, where, ignore_errors=True)
        engine = fresh_engine(first.model_copy(update={"data_dir": where}))
        for settings, prepare in verticals:
            prepare(settings.model_copy(update={"data_dir": where}), engine=engine)
        engine.dispose()  # the last connection folds the WAL into the file
        template = _TEMPLATES[key] = where / SANDBOX_FILE
    fresh_engine(first).dispose()
    shutil.copyfile(template, first.data_dir / SANDBOX_FILE)
    engine = make_engine(first.effective_database_url)
    return [prepare(settings, engine=engine) for settings, prepare in verticals]


def auth(app: FastAPI, user: str = "usr_demo", scope: str = "act") -> dict[str, str]:
    """The header an MCP server of this sandbox would send to act for ``user``."""
    return {"Authorization": f"Bearer {app.state.keys.mint(user, scope)}"}


def snapshot(engine: Engine, *metadatas: MetaData) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of these metadatas and the account: compare before/after to prove nothing changed."""
    names = [name for md in (AccountTable.metadata, *metadatas) for name in md.tables]
    with engine.connect() as conn:
        return {name: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {name}")).all()), key=repr) for name in names}


def provider(app: FastAPI, user: str = "usr_demo", **kwargs: Any) -> httpx.AsyncClient:
    """An httpx client on a provider app in process, signed for ``user`` as an MCP server would sign it."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=IN_PROCESS_BASE, headers=auth(app, user), **kwargs
    )


@asynccontextmanager
async def mcp_over_http(url: str, token: str = "", *, mode: str = "auto") -> AsyncIterator[Client]:
    """An MCP client on a streamable HTTP endpoint, sending ``token`` as its bearer token."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    http = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=300))
    async with http, Client(streamable_http_client(url, http_client=http), mode=mode) as client:
        yield client


def first_port(proc: subprocess.Popen[str]) -> int:
    """The food port ``lifestyle-mcp serve --port 0`` printed first (``food     http://127.0.0.1:PORT/mcp``); the
    others follow it. The sockets are bound before the line is printed, so they accept from then on."""
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("food"):
        raise AssertionError(
            f"lifestyle-mcp serve printed {line!r}; stderr: {proc.stderr.read() if proc.stderr else ''}"
        )
    return int(line.split()[1].rsplit(":", 1)[1].split("/")[0])


def fixture_script(name: str) -> ModuleType:
    """A script of fixtures/ (``build_city``, ``build_movies``…) loaded as a module: they are not a package, and
    tests check that the committed fixtures are what they write."""
    spec = importlib.util.spec_from_file_location(name, REPO_FIXTURES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
