"""Schema migrations (Alembic) for the sandbox's one database, on SQLite and on PostgreSQL.

The account and every vertical keep their tables in one database, so one chain of revisions
(``versions/``) covers them all. The revision a database is at lives in ``account_alembic_version``:
prefixed like the sandbox's tables, so ``lifestyle-mcp reset`` drops it with them and the next start
builds the sandbox again from the first revision.

Opening a sandbox calls :func:`upgrade`. A database already at head costs one read; otherwise the
upgrade runs in one transaction under the schema turn (``shared.kit.db.schema_turn``), so four servers
starting together on one database migrate it once. A sandbox from before migrations (its tables, no
version table) is adopted at the baseline, which creates only the tables it lacks, then upgraded.
A database at a revision this code does not know was migrated by a newer lifestyle-mcp: it is refused
with what to do, never altered.

``shared`` never imports ``servers``: whoever compares or autogenerates passes the metadata
(``lifestyle-mcp migrate revision`` passes every vertical's).
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from argparse import Namespace
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError

from shared.errors import BackendUnavailableError, InvalidInputError
from shared.kit.db import TABLE_PREFIXES, is_sqlite, schema_turn

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
VERSION_TABLE = "account_alembic_version"
BASELINE = "0001"
"""The schema of lifestyle-mcp 0.2 (commit fd2eb5f), the last one made by ``create_all``."""
_ALEMBIC = threading.Lock()
"""Alembic's ``op`` and ``context`` are process-wide: one migration at a time per process (the database's lock
orders processes; this orders threads, e.g. the four servers of ``lifestyle-mcp serve`` on their first calls)."""


@dataclass(frozen=True)
class Status:
    """Where a sandbox's schema stands against this code."""

    current: str | None  # the recorded revision; None: never migrated
    head: str
    tables: int  # without a revision: how many of the sandbox's tables it holds (-1: not counted)

    @property
    def legacy(self) -> bool:
        """Made before migrations existed: tables but no recorded revision."""
        return self.current is None and self.tables > 0

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    def describe(self) -> str:
        if self.up_to_date:
            return f"at {self.current} (head): up to date"
        if self.legacy:
            return f"made before migrations ({self.tables} tables, no revision): `migrate` adopts it at {BASELINE}"
        if self.current is None:
            return f"empty: `migrate` (or any server's start) creates it at {self.head}"
        return f"at {self.current}, head is {self.head}: `migrate` (or any server's start) upgrades it"


def config(**attributes: Any) -> Config:
    """Alembic's configuration, built here instead of read from an ``alembic.ini``; ``attributes`` reach
    ``env.py``: ``connection`` (online), ``url`` (``--sql``), ``metadata`` (autogenerate), ``stdout``."""
    from alembic.config import Config

    # Nothing of Alembic's may reach stdout, where a stdio server speaks the protocol: its messages are off
    # (quiet) and its output (--sql) goes where the caller says.
    stream = attributes.pop("stdout", sys.stderr)
    config = Config(stdout=stream, output_buffer=stream, cmd_opts=Namespace(quiet=True))
    config.set_main_option("script_location", str(HERE).replace("%", "%%"))  # the option is interpolated
    config.set_main_option("path_separator", "os")
    config.attributes.update(attributes)
    return config


@cache
def scripts() -> ScriptDirectory:
    """The revisions shipped with this code (parsed once per process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config())


def head() -> str:
    """The newest revision this code knows (the chain is linear: two heads are a merge to write)."""
    found = scripts().get_current_head()
    assert found is not None, "shared/migrations/versions has no revision"
    return found


def _where(bind: Engine | Connection) -> str:
    return bind.engine.url.render_as_string(hide_password=True)


def sandbox_tables(conn: Connection) -> list[str]:
    names = inspect(conn).get_table_names()
    return [name for name in names if name.startswith(TABLE_PREFIXES) and name != VERSION_TABLE]


def read_status(conn: Connection) -> Status:
    """The sandbox's revision; refuses one written by a newer lifestyle-mcp (see :func:`refuse_newer`)."""
    from alembic.migration import MigrationContext

    recorded = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_heads()
    for rev in recorded:
        refuse_newer(rev, _where(conn))
    if recorded:  # a sandbox that has a revision has its tables: no need to count them
        return Status(current=recorded[0], head=head(), tables=-1)
    return Status(current=None, head=head(), tables=len(sandbox_tables(conn)))


def revisions() -> list[str]:
    """Every revision this code knows, oldest first."""
    return [script.revision for script in reversed(list(scripts().walk_revisions()))]


def refuse_newer(rev: str, where: str) -> None:
    from alembic.util import CommandError

    try:
        known = scripts().get_revision(rev)
    except CommandError:
        known = None
    if known is None:
        raise BackendUnavailableError(
            f"The sandbox database {where} is at schema revision {rev}, which this lifestyle-mcp (head "
            f"{head()}) does not know: a newer lifestyle-mcp migrated it, and this one will not touch it.",
            "Upgrade lifestyle-mcp to the version that wrote it (pip install -U lifestyle-mcp), or point "
            "LIFESTYLE_DATA_DIR / LIFESTYLE_DATABASE_URL at another sandbox.",
        )


def status(engine: Engine) -> Status:
    with engine.connect() as conn:
        return read_status(conn)


@cache
def numbered_head() -> str | None:
    """Head read from the file names alone, without Alembic: revisions are numbered (``revision`` writes
    ``0002_…`` after ``0001_…``), so the highest number is head. None when any file breaks the numbering (a
    hand-written revision id): then only Alembic can say, and it is asked."""
    names = [p.name for p in (HERE / "versions").glob("*.py") if p.name != "__init__.py"]
    numbers = [name.split("_", 1)[0] for name in names]
    if not numbers or not all(n.isdigit() and len(n) == 4 for n in numbers):
        return None
    return max(numbers)


def at_head(engine: Engine) -> Status | None:
    """The status of a sandbox already at head, read with one SELECT and no Alembic (whose import and
    machinery cost a server's start a fifth of a second and ~10 MB); None when it is not, or cannot tell."""
    head_ = numbered_head()
    if head_ is None:
        return None
    try:
        with engine.connect() as conn:
            recorded = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    except DBAPIError:  # no version table yet: a new (or pre-migrations) sandbox
        return None
    return Status(current=head_, head=head_, tables=-1) if recorded == [head_] else None


SNAPSHOT = HERE / "head.sqlite.sql"
"""An empty SQLite sandbox at head, as SQL: what the revisions create there, read back from ``sqlite_master``
(:func:`snapshot_sql`), and the version row. ``tests/shared/test_migrations.py`` fails when it differs from what
the revisions build; ``lifestyle-mcp migrate revision`` rewrites it (``write_snapshot``)."""


def snapshot_sql(engine: Engine) -> str:
    """The schema of a SQLite sandbox at head as the statements that recreate it, in the order SQLite made them."""
    with engine.connect() as conn:
        made = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
        ).scalars()
        versions = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    rows = [f"INSERT INTO {VERSION_TABLE} (version_num) VALUES ('{v}')" for v in versions]
    return "".join(f"{statement};\n" for statement in [*made, *rows])


def revisions_snapshot() -> str:
    """What :data:`SNAPSHOT` should hold: the revisions run on a scratch SQLite database, read back."""
    import tempfile

    from shared.kit.db import make_engine

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        try:
            with engine.begin() as conn:
                run_to(conn, "head")
            return snapshot_sql(engine)
        finally:
            engine.dispose()


def write_snapshot() -> Path:
    """Rebuild :data:`SNAPSHOT` from the revisions."""
    SNAPSHOT.write_text(revisions_snapshot(), encoding="utf-8")
    return SNAPSHOT


def create_from_snapshot(engine: Engine) -> Status | None:
    """Create an empty SQLite sandbox from :data:`SNAPSHOT` in one turn, without Alembic (whose import and
    revisions cost a new sandbox's first start ~0.3 s and ~6 MB for as long as the server runs); None when the
    database is not SQLite, not empty, or the snapshot is not of this code's head (then Alembic does the work), and
    the status at head when another server made the sandbox meanwhile."""
    head_ = numbered_head()
    if not is_sqlite(engine) or head_ is None or not SNAPSHOT.exists():
        return None
    script = SNAPSHOT.read_text(encoding="utf-8")
    if f"VALUES ('{head_}')" not in script:
        return None
    with schema_turn(engine) as conn:
        empty = not inspect(conn).get_table_names()
        if empty:
            log.info("creating %s at %s", _where(conn), head_)
            for statement in script.split(";\n"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
    return Status(current=None, head=head_, tables=0) if empty else at_head(engine)


def upgrade(engine: Engine) -> Status:
    """Bring the sandbox to head (creating it if empty); returns where it was before.

    The first read takes no turn, so the servers of an up-to-date sandbox never queue behind each other;
    the status is read again inside the turn, where another process may already have done the work. An empty
    SQLite sandbox is created from the snapshot of head (:func:`create_from_snapshot`).
    """
    fast = at_head(engine)
    if fast is not None:
        return fast
    made = create_from_snapshot(engine)
    if made is not None:
        return made
    before = status(engine)
    if before.up_to_date:
        return before
    with _ALEMBIC, schema_turn(engine) as conn:
        before = read_status(conn)
        if before.up_to_date:
            return before
        if before.legacy:
            log.warning(
                "%s was made before lifestyle-mcp had migrations (%d tables, no revision): adopting it at the "
                "baseline %s and upgrading it to %s; its data stays.",
                _where(conn), before.tables, BASELINE, before.head,
            )  # fmt: skip
        else:
            log.info("migrating %s from %s to %s", _where(conn), before.current or "empty", before.head)
        try:
            run_to(conn, "head")
        except Exception as exc:
            # The whole upgrade is one transaction (DDL included, on both databases): nothing was changed.
            raise BackendUnavailableError(
                f"Upgrading the sandbox database {_where(conn)} from {before.current or 'nothing'} to "
                f"{before.head} failed and was rolled back: {str(exc).splitlines()[0] if str(exc) else repr(exc)}",
                "Nothing was changed. Run `lifestyle-mcp migrate status` to see where it stands; `lifestyle-mcp "
                "reset` rebuilds the sandbox from the fixtures (its orders are deleted).",
            ) from exc
    return before


def run_to(conn: Connection, target: str) -> None:
    """Upgrade on ``conn``, inside its transaction; no turn, no checks (see :func:`upgrade` for those)."""
    from alembic import command

    command.upgrade(config(connection=conn), target)


def upgrade_sql(url: str, output: TextIO, start: str | None = None) -> None:
    """The SQL that upgrades a database of ``url``'s kind from ``start`` (None: empty) to head, without
    connecting; for a DBA who applies it by hand. SQLite cannot rebuild a table offline, so a revision
    that alters a table there is for the online upgrade only."""
    from alembic import command
    from alembic.util import CommandError

    where = make_url(url).render_as_string(hide_password=True)
    if start is not None:
        refuse_newer(start, where)
    span = f"{start}:head" if start else "head"
    written = io.StringIO()  # all or nothing: half a script must not reach a DBA
    try:
        command.upgrade(config(url=url, stdout=written), span, sql=True)
    except CommandError as exc:
        raise InvalidInputError(
            f"The upgrade of {where} from {start or 'nothing'} cannot be written as SQL: {str(exc).split('; ')[0]}.",
            "Run `lifestyle-mcp migrate` without --sql: it upgrades the database itself, in one transaction.",
        ) from None
    output.write(written.getvalue())


def differences(conn: Connection, metadatas: Sequence[MetaData]) -> list[Any]:
    """What autogenerate would write to bring the database to ``metadatas`` (empty: they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    context = MigrationContext.configure(conn, opts=_context_options(list(metadatas)))
    every: Any = list(metadatas)  # Alembic takes a sequence of MetaData wherever it takes one (its hint says one)
    return list(compare_metadata(context, every))


def revision(engine: Engine, metadatas: Sequence[MetaData], message: str) -> Path | None:
    """Autogenerate the next revision into ``versions/`` from the difference between head and ``metadatas``.

    ``engine`` should be a scratch database: it is brought to head first. Returns the new file, or None when
    nothing differs. Read what it wrote: data that a new constraint would refuse needs a data migration first.
    """
    from alembic import command

    upgrade(engine)
    with engine.connect() as conn:
        if not differences(conn, metadatas):
            return None
    rev_id = f"{int(head()) + 1:04d}"
    with engine.begin() as conn:
        command.revision(
            config(connection=conn, metadata=list(metadatas)), message=message, autogenerate=True, rev_id=rev_id
        )
    scripts.cache_clear()
    numbered_head.cache_clear()
    write_snapshot()
    return next((HERE / "versions").glob(f"{rev_id}_*.py"))


def _ours(name: str | None, type_: str, _parents: Any) -> bool:
    """Only the sandbox's tables: a PostgreSQL database may hold others, which are none of our business."""
    return type_ != "table" or (name or "").startswith(TABLE_PREFIXES)


def _render_item(type_: str, obj: Any, _context: Any) -> str | bool:
    """SQLModel's ``AutoString`` is a plain ``String``: revisions must not depend on the model library."""
    if type_ == "type" and type(obj).__name__ == "AutoString":
        return "sa.String()"
    return False


def _context_options(metadata: list[MetaData] | None) -> dict[str, Any]:
    return {
        "version_table": VERSION_TABLE,
        "target_metadata": metadata,
        "render_as_batch": True,  # SQLite alters a table by rebuilding it
        "include_name": _ours,
        "compare_type": True,
        "render_item": _render_item,
    }


def run_env(context: Any) -> None:
    """What ``env.py`` does with ``alembic.context``: migrate on the caller's connection (inside its
    transaction and turn), or write SQL for ``url`` offline."""
    config = context.config
    options = _context_options(config.attributes.get("metadata"))
    if context.is_offline_mode():
        context.configure(url=config.attributes["url"], literal_binds=True, **options)
    else:
        context.configure(connection=config.attributes["connection"], **options)
    with context.begin_transaction():
        context.run_migrations()
