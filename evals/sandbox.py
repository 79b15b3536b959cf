"""A fresh sandbox per task, cheaply: one seeded template database per run, copied for each task.

Seeding the whole city takes seconds, copying its SQLite file milliseconds, so ``Template.build`` seeds once and
``Template.open`` gives every task its own copy in its own directory, with the clock frozen at the task's instant
(the clock lives in the sandbox, so a task's time cannot leak into another's). Tasks then run side by side without
seeing each other's orders, seats or wallets, and a task's user is as fresh as the fixtures made them.

The servers are the real ones, reached through the SDK's in-memory client (``memory``, the default) or started as
stdio subprocesses of their console scripts exactly as ``lifestyle-mcp chat`` starts them (``stdio``). Building an
MCP server costs more than the sandbox (the SDK derives every tool's schemas), so in memory the four servers are
built once per user and shared by every trial, each trial connecting its own clients; their in-process provider is
a ``Switch`` that hands each request to the provider app of the trial it belongs to (found through a context
variable the trial sets before it connects, which every task the connection starts inherits). Provider apps are
built per trial, on first use, over that trial's copy: nothing a provider keeps in memory outlives its trial.

Except what no trial can change: food's catalog (the restaurants, their menus and the search index over them) is
the same in every copy of the template, and the backend itself shares one between apps over identical sandboxes
(``servers.food.backend.seed.load_catalog``). Everything a trial can change (orders, carts, wallets, the clock,
the read cache over them) stays per trial.
"""

from __future__ import annotations

import importlib
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import SecretStr
from sqlalchemy.engine import Engine

from clients.suite import VERTICALS, Suite
from evals.model import Sandbox as SandboxSpec
from servers.nav.backend.graph import RoadNetwork, load_network
from shared.account import SandboxClock
from shared.account.wallet import top_up
from shared.kit.db import make_engine
from shared.kit.settings import SANDBOX_FILE, Settings

Transport = Literal["memory", "stdio"]
TEMPLATE_START = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def settings_for(vertical: str, data_dir: Path, user: str) -> Settings:
    """A server's settings on the SQLite sandbox in ``data_dir``, acting for ``user``, whatever the environment says
    about databases, remote backends or injected faults (an eval scores the agent, not the weather)."""
    return Settings.for_vertical(
        vertical, data_dir=data_dir, database_url="", backend_url="", user=user, time_scale=0,
        clock_start=TEMPLATE_START, faults="", log_level="ERROR", service_key=SecretStr(""),
    )  # fmt: skip


_TRIAL: ContextVar[TaskSandbox | None] = ContextVar("eval_trial", default=None)


def _current() -> TaskSandbox:
    box = _TRIAL.get()
    if box is None:
        raise RuntimeError("a shared eval server was called outside a trial (use TaskSandbox.suite)")
    return box


class _StateOfCurrent:
    """``app.state`` of the current trial's provider, read at each use (the kit reads ``keys`` and ``current_etag``
    from it, and keeps what it read: so ``current_etag`` is a function that asks the current app every time)."""

    def __init__(self, vertical: str) -> None:
        self._vertical = vertical

    def __getattr__(self, name: str) -> Any:
        if name == "current_etag":
            return self._current_etag
        return getattr(_current().app(self._vertical).state, name)

    def _current_etag(self) -> str | None:
        etag: Callable[[], str] | None = getattr(_current().app(self._vertical).state, "current_etag", None)
        return etag() if etag is not None else None


class Switch:
    """The in-process provider of a shared server: each request goes to its trial's app for this vertical."""

    def __init__(self, vertical: str) -> None:
        self.vertical = vertical
        self.state = _StateOfCurrent(vertical)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await _current().app(self.vertical)(scope, receive, send)


@dataclass
class Template:
    """The seeded sandbox every task copies, the road network they share, the static parts of their provider
    apps, and the shared servers."""

    root: Path
    _network: RoadNetwork | None = None
    _servers: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def database(self) -> Path:
        return self.root / "template" / SANDBOX_FILE

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @classmethod
    def build(cls, root: Path) -> Template:
        """Seed every vertical once into ``root/template`` (frozen clock, the real city)."""
        template = cls(root)
        data_dir = template.database.parent
        data_dir.mkdir(parents=True, exist_ok=True)
        template.cache.mkdir(exist_ok=True)
        engine = make_engine(f"sqlite:///{template.database}")
        try:
            for vertical in VERTICALS:
                backend = importlib.import_module(f"servers.{vertical}.backend.app")
                backend.prepare(settings_for(vertical, data_dir, "usr_demo"), engine=engine)
        finally:
            engine.dispose()
        with sqlite3.connect(template.database) as conn:  # everything into the main file, so one copy is whole
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return template

    @property
    def network(self) -> RoadNetwork:
        with self._lock:
            if self._network is None:
                fixtures = settings_for("nav", self.root, "usr_demo").fixtures_dir
                self._network = load_network(fixtures, self.cache / "nav")
            return self._network

    def servers(self, user: str) -> dict[str, Any]:
        """The four MCP servers acting for ``user``, built once and shared by every trial of that user."""
        with self._lock:
            if user not in self._servers:
                built = {}
                for vertical in VERTICALS:
                    module = importlib.import_module(f"servers.{vertical}.server")
                    built[vertical] = module.build_server(
                        settings_for(vertical, self.database.parent, user), app=Switch(vertical)
                    )
                self._servers[user] = built
            return self._servers[user]

    def open(self, spec: SandboxSpec, directory: Path) -> TaskSandbox:
        """A copy for one task: its own database at the task's clock, the user's wallet topped up as asked."""
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.database, directory / SANDBOX_FILE)
        (directory / "cache").symlink_to(self.cache, target_is_directory=True)
        box = TaskSandbox(self, directory, spec.user, make_engine(f"sqlite:///{directory / SANDBOX_FILE}"))
        SandboxClock(box.engine).freeze(spec.clock, backwards=True)
        if spec.top_up_minor:
            top_up(box.engine, spec.user, spec.top_up_minor, spec.clock, memo="Eval setup")
        return box


@dataclass
class TaskSandbox:
    """One task's sandbox: its directory, whose account, an engine for the harness to read it with, and (in
    memory) the provider apps of the verticals the agent used."""

    template: Template
    directory: Path
    user: str
    engine: Engine
    _apps: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _closed: bool = field(default=False, repr=False)

    def app(self, vertical: str) -> Any:
        """This trial's provider app for ``vertical``, built on first use over this trial's database."""
        with self._lock:
            if vertical not in self._apps:
                backend = importlib.import_module(f"servers.{vertical}.backend.app")
                settings = settings_for(vertical, self.directory, self.user)
                sandbox = backend.prepare(settings, engine=self.engine)
                extra = {"network": self.template.network} if vertical == "nav" else {}
                self._apps[vertical] = backend.create_app(settings, sandbox=sandbox, **extra)
            return self._apps[vertical]

    @contextmanager
    def active(self) -> Iterator[None]:
        """Requests of shared servers made in this block (and in tasks started in it) reach this sandbox."""
        token = _TRIAL.set(self)
        try:
            yield
        finally:
            _TRIAL.reset(token)

    def suite(self, transport: Transport = "memory") -> Suite:
        """The four servers on this sandbox, acting for its user (connect inside ``active()`` when in memory)."""
        if transport == "stdio":
            env = {
                "LIFESTYLE_DATA_DIR": str(self.directory), "LIFESTYLE_USER": self.user, "LIFESTYLE_DATABASE_URL": "",
                "LIFESTYLE_BACKEND_URL": "", "LIFESTYLE_FAULTS": "", "LIFESTYLE_LOG_LEVEL": "ERROR",
            }  # fmt: skip
            return Suite.stdio(env=env)
        return Suite(self.template.servers(self.user))

    def close(self, *, keep: bool = False) -> None:
        if self._closed:
            return
        self._closed = True
        self.engine.dispose()
        if not keep:
            shutil.rmtree(self.directory, ignore_errors=True)
