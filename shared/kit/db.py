"""Database engines for the mocked backends: embedded SQLite by default, PostgreSQL by URL.

Each vertical keeps its tables in its own ``MetaData`` with prefixed table names, so all four
can share one PostgreSQL database without colliding.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)


def make_engine(url: str) -> Engine:
    """Create an engine tuned for a small concurrent service.

    SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` so that two writers serialize on
    the database lock instead of failing half-way; PostgreSQL relies on row locks
    (``SELECT … FOR UPDATE``) taken by the services.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # No pre-ping: it costs a round trip per transaction. A connection that died (server restart)
        # fails one request, SQLAlchemy then invalidates the pool and the next request reconnects.
        return create_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:")
    if not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event issue BEGIN itself
        cur = dbapi_conn.cursor()
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def ensure_seeded(
    engine: Engine, metadata: MetaData, is_seeded: Callable[[Session], bool], seed: Callable[[Session], None]
) -> bool:
    """Create tables and load fixtures on first run; returns True when it seeded."""
    metadata.create_all(engine)
    with session_scope(engine) as session:
        if is_seeded(session):
            return False
        log.info("seeding %s from fixtures", engine.url.render_as_string(hide_password=True))
        seed(session)
        return True


def reset(engine: Engine, metadata: MetaData, seed: Callable[[Session], None]) -> None:
    """Drop and recreate this vertical's tables, then reload the fixtures."""
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with session_scope(engine) as session:
        seed(session)


def open_seeded(
    url: str, metadata: MetaData, is_seeded: Callable[[Session], bool], seed: Callable[[Session], None]
) -> Engine:
    """An engine on ``url`` with this vertical's tables created and, on first run, seeded."""
    engine = make_engine(url)
    ensure_seeded(engine, metadata, is_seeded, seed)
    return engine


def reset_url(url: str, metadata: MetaData, seed: Callable[[Session], None]) -> None:
    """``reset`` on a fresh engine for ``url``, disposed afterwards (the CLI's ``reset`` command)."""
    engine = make_engine(url)
    reset(engine, metadata, seed)
    engine.dispose()
