"""Database engines for the sandbox: embedded SQLite by default, PostgreSQL by URL.

One database holds a whole sandbox: the account's tables and each vertical's, every set on its
own ``MetaData`` with prefixed table names, so they never collide. The migrations
(``shared.migrations``) create and alter the tables; seeding them comes after. Four servers may
start at the same moment on a fresh sandbox (a desktop client launches them together), so migrating
and seeding happen in one turn at a time (``schema_turn``).
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast
from weakref import WeakKeyDictionary

from sqlalchemy import MetaData, Select, String, event, inspect, text
from sqlalchemy.engine import Connection, Dialect, Engine, make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, create_engine

from shared.errors import BackendUnavailableError

log = logging.getLogger(__name__)

TABLE_PREFIXES = ("account_", "food_", "tickets_", "movies_", "nav_")
SCHEMA_LOCK_KEY = zlib.crc32(b"lifestyle-mcp schema")


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


def upsert(dialect: str, table: Any) -> Any:
    """The dialect's ``INSERT … ON CONFLICT`` for ``table``; the dialect's module is imported on first use, as a
    SQLite sandbox never needs PostgreSQL's (2.4 MB resident)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


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


Read = tuple[Select[Any], Mapping[str, Any]]
"""A read for ``pipelined``: a prebuilt Core select and its parameters."""

Rows = list[Mapping[str, Any]]


def pipelined(session: Session, reads: Sequence[Read]) -> list[Rows]:
    """Reads of one transaction sent together, each read's rows as mappings by column name: on PostgreSQL in one
    round trip (psycopg's pipeline mode; where they start the transaction, psycopg sends its ``BEGIN`` first and
    waits for it, one round trip more), elsewhere one after another.

    For the hot path of a sale, where a hold's reads (the user's turn, their live holds, what they own, the seats
    taken) are independent of each other's answers: four round trips cost a blocked event loop ~0.5 ms each
    (``benchmarks/bench_holds.py``). PostgreSQL still runs them in order, so a lock taken by the first holds for
    the rest. On PostgreSQL the rows are what psycopg loads (SQLAlchemy's result processing is skipped), so read
    columns of plain types (text, numbers, timestamps, JSON), and bind values, not literal-execute parameters
    (``aggregate_strings`` renders its separator that way: ``joined_strings`` binds it)."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return [[dict(row._mapping) for row in conn.execute(statement, params)] for statement, params in reads]
    pg: Any = conn.connection.driver_connection  # psycopg's: SQLAlchemy has no pipeline
    compiled = [_for_psycopg(statement, conn.dialect) for statement, _ in reads]
    with pg.pipeline():
        cursors = [
            pg.execute(sql, {**fixed, **params}) for (sql, fixed), (_, params) in zip(compiled, reads, strict=True)
        ]
    out: list[Rows] = []
    for cursor in cursors:
        names = [column.name for column in cursor.description]
        out.append([dict(zip(names, row, strict=True)) for row in cursor.fetchall()])
    return out


_COMPILED: WeakKeyDictionary[Select[Any], tuple[str, dict[str, Any]]] = WeakKeyDictionary()


def _for_psycopg(statement: Select[Any], dialect: Dialect) -> tuple[str, dict[str, Any]]:
    """A prebuilt statement's SQL as psycopg takes it (``%(name)s``) and the values it binds itself, compiled once
    per statement (the statements are built once, at import or with their engine, and forgotten with it)."""
    known = _COMPILED.get(statement)
    if known is None:
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError(f"pipelined reads bind every value; this statement renders some at execution: {statement}")
        fixed = {name: bind.effective_value for name, bind in compiled.binds.items()}
        known = _COMPILED[statement] = (compiled.string, fixed)
    return known


class joined_strings(FunctionElement[str]):
    """``string_agg(value, separator)`` on PostgreSQL, ``group_concat(value, separator)`` on SQLite, the separator
    a bound parameter: SQLAlchemy's ``aggregate_strings`` renders it into the SQL at execution, which a statement
    sent through ``pipelined`` cannot have."""

    type = String()
    name = "joined_strings"
    inherit_cache = True


@compiles(joined_strings, "postgresql")
def _joined_pg(element: joined_strings, compiler: SQLCompiler, **kw: Any) -> str:
    return f"string_agg({compiler.process(element.clauses, **kw)})"


@compiles(joined_strings)
def _joined_other(element: joined_strings, compiler: SQLCompiler, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.clauses, **kw)})"


@contextmanager
def statement_scope(engine: Engine) -> Iterator[Connection]:
    """A connection for one write that commits by itself, for hot bookkeeping outside any larger transaction.

    On PostgreSQL the connection is in autocommit mode, so the statement is its own transaction with no
    ``BEGIN`` and ``COMMIT`` round trips around it (two of three round trips of a one-statement transaction).
    SQLite writers take turns on ``BEGIN IMMEDIATE`` (``make_engine``), so there it is an ordinary transaction.
    Run one statement in it: two would not be atomic on PostgreSQL.
    """
    if is_sqlite(engine):
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        yield conn


@contextmanager
def schema_turn(engine: Engine) -> Iterator[Connection]:
    """A transaction no other process creating, seeding or dropping sandbox tables runs beside.

    SQLite's ``BEGIN IMMEDIATE`` already takes the database's write lock (and its DDL is
    transactional); PostgreSQL takes a transaction-scoped advisory lock.
    """
    with engine.begin() as conn:
        if not is_sqlite(engine):
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        yield conn


def ensure_seeded(
    engine: Engine, metadata: MetaData, is_seeded: Callable[[Session], bool], seed: Callable[[Session], None]
) -> bool:
    """Load fixtures into ``metadata``'s tables (made by the migrations) on first run, in one turn; returns True
    when it seeded."""
    with schema_turn(engine) as conn:
        require_tables(conn, metadata)
        with Session(bind=conn) as session:
            if is_seeded(session):
                return False
            log.info("seeding %s from fixtures", engine.url.render_as_string(hide_password=True))
            seed(session)
            session.flush()
            return True


def require_tables(conn: Connection, metadata: MetaData) -> None:
    """Refuse tables the models declare but no migration creates: seeding them would fail half-way."""
    present = set(inspect(conn).get_table_names())
    missing = sorted(set(metadata.tables) - present)
    if missing:
        raise BackendUnavailableError(
            f"The sandbox database {conn.engine.url.render_as_string(hide_password=True)} has no table "
            f"{', '.join(missing)}: this code declares it, but no migration in shared/migrations/versions creates it.",
            "A developer's checkout lacks a revision: run `lifestyle-mcp migrate revision -m '<what changed>'`, "
            "read the file it writes, then start again.",
        )


def drop_sandbox(engine: Engine) -> list[str]:
    """Drop every table of a sandbox (any vertical, any schema version); returns their names."""
    with schema_turn(engine) as conn:
        names = [n for n in inspect(conn).get_table_names() if n.startswith(TABLE_PREFIXES)]
        if names:
            found = MetaData()
            found.reflect(conn, only=names)
            found.drop_all(conn)
    return names
