"""Opening a sandbox: one database with the account, the clock, the service key and each vertical.

The first server to open a sandbox brings its schema to this code's (``shared.migrations``: every
table of the account and of each vertical, created on a fresh database, upgraded on an older one)
and seeds the account from ``fixtures/users.json`` (users, their address books and wallets, the
clock, the key the MCP servers sign provider credentials with); each vertical then seeds its own
tables. Everything is idempotent and done in one turn, so the four servers can start together.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlmodel import Session

from shared import migrations
from shared.errors import BackendUnavailableError
from shared.kit.db import drop_sandbox, ensure_seeded, make_engine
from shared.kit.settings import SANDBOX_FILE, Settings

from .accounts import Accounts, fold_label
from .clock import PG_WALL, SandboxClock, new_clock_row
from .models import AccountTable, AddressRow, LedgerRow, MetaRow, UserRow, WalletRow

log = logging.getLogger(__name__)

SCHEMA_VERSION = "2"
"""2: one account per sandbox (lifestyle-mcp 0.2). 1 was a database per vertical, each with its own users."""
OLD_FILES = ("food.db", "tickets.db", "movies.db", "nav.db")
SERVICE_KEY = "service_key"
SCALE = "scale"


@dataclass
class Sandbox:
    """One sandbox as a backend sees it: its database, its clock, its accounts and its service key."""

    engine: Engine
    clock: SandboxClock
    accounts: Accounts
    service_key: bytes
    fixtures_dir: Path
    scale: int = 1
    """How many times the real city this sandbox was grown to when it was created (``Settings.scale``): each
    vertical's seed reads it to grow its catalog (``servers/<v>/backend/growth.py``)."""
    verticals: list[str] = field(default_factory=list)


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _is_seeded(session: Session) -> bool:
    return session.get(MetaRow, "schema_version") is not None


def seed_accounts(session: Session, settings: Settings) -> None:
    """Users, address books, opening wallet balances, the clock and the service key of a new sandbox."""
    opened = datetime(2026, 1, 1, tzinfo=UTC)
    wall = None
    if session.get_bind().dialect.name == "postgresql":  # anchor on the database host's wall clock, as reads do
        wall = float(session.execute(text(PG_WALL)).scalar_one())
    session.add(new_clock_row(settings.clock_start, settings.time_scale, wall))
    users = _read(settings.fixtures_dir / "users.json")["users"]
    for user in users:
        session.add(
            UserRow(
                id=user["id"],
                name=user["name"],
                phone=user.get("phone", ""),
                email=user.get("email", ""),
                currency=user.get("currency", "EUR"),
                created_at=opened,
            )
        )
        balance = user["wallet_balance_minor"]
        session.add(WalletRow(user_id=user["id"], balance_minor=balance, currency=user.get("currency", "EUR")))
        session.add(
            LedgerRow(
                user_id=user["id"],
                vertical="account",
                kind="opening",
                ref=f"open_{user['id']}",
                amount_minor=balance,
                memo="Opening balance",
                at=opened,
            )
        )
        for n, adr in enumerate(user.get("addresses", [])):
            session.add(
                AddressRow(
                    id=adr["id"] if adr["id"].startswith("adr_") else f"adr_{adr['id']}",
                    user_id=user["id"],
                    label=adr["label"],
                    label_key=fold_label(adr["label"]),
                    street=adr["street"],
                    housenumber=adr["housenumber"],
                    postcode=adr.get("postcode", ""),
                    city=adr.get("city", "Helsinki"),
                    lat=adr["lat"],
                    lng=adr["lng"],
                    notes=adr.get("notes", ""),
                    seq=n,
                    created_at=opened,
                )
            )
    if settings.scale > 1:
        from .growth import grow_accounts

        grow_accounts(session, settings.scale, opened, settings.fixtures_dir)
    session.add(MetaRow(key=SERVICE_KEY, value=secrets.token_hex(32)))
    session.add(MetaRow(key=SCALE, value=str(settings.scale)))
    session.add(MetaRow(key="schema_version", value=SCHEMA_VERSION))


def _warn_about_old_files(settings: Settings) -> None:
    if settings.database_url:
        return
    old = [name for name in OLD_FILES if (settings.data_dir / name).exists()]
    if old:
        log.warning(
            "%s in %s are from lifestyle-mcp 0.1 (a database per server) and are no longer read: every server now "
            "shares one sandbox, %s, with one account and wallet. Their orders and balances are not carried over; "
            "delete the old files when you no longer need them.",
            ", ".join(old),
            settings.data_dir,
            SANDBOX_FILE,
        )


@contextmanager
def opening(settings: Settings) -> Iterator[None]:
    """Reaching the sandbox database failed before anything was asked of it: one error that names the setting to
    fix, where the command lines and servers used to show the driver's traceback (a refused connection, a URL that
    does not parse, a driver that is not installed, a data dir that is a file)."""
    try:
        yield
    except (SQLAlchemyError, OSError, ImportError) as exc:
        inner = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc  # the driver's own words
        cause = " ".join(f"{inner.__class__.__name__}: {inner}".split())[:300]
        cause += "" if cause.endswith((".", "?", "!")) else "."
        setting = "LIFESTYLE_DATABASE_URL" if settings.database_url else "LIFESTYLE_DATA_DIR"
        raise BackendUnavailableError(
            f"Cannot open the sandbox database {settings.database_shown} ({setting}): {cause}",
            "Check LIFESTYLE_DATABASE_URL (a postgresql+psycopg://user@host:port/db URL of a running server, or "
            "empty for SQLite in LIFESTYLE_DATA_DIR) and that LIFESTYLE_DATA_DIR is a directory you can write to.",
        ) from exc


def reachable_engine(settings: Settings, engine: Engine | None = None, *, connect: bool = True) -> Engine:
    """The sandbox's engine (``engine``, or one made from the settings), its database reached once unless
    ``connect`` is off: a database that cannot be reached is ``opening``'s one error, not the driver's traceback
    at the first statement. The pool keeps the connection for what follows."""
    with opening(settings):
        engine = engine or make_engine(settings.effective_database_url)
        if connect:
            with engine.connect():
                pass
    return engine


def _recorded_scale(session: Session) -> int | None:
    """The scale the sandbox was created at (None: made before the scale pack, or not yet made)."""
    row = session.get(MetaRow, SCALE)
    return int(row.value) if row is not None else None


def sandbox_scale(settings: Settings) -> int | None:
    """The scale the sandbox ``settings`` name was created at; None when there is none yet, or it cannot be read
    (a damaged sandbox is what a reset is for)."""
    try:
        engine = make_engine(settings.effective_database_url)
    except (SQLAlchemyError, OSError, ImportError):
        return None
    try:
        with Session(engine) as session:
            return _recorded_scale(session)
    except (SQLAlchemyError, ValueError):
        return None
    finally:
        engine.dispose()


def open_sandbox(settings: Settings, *, engine: Engine | None = None) -> Sandbox:
    """The sandbox the settings name: migrated to this code's schema (created at first use), then seeded."""
    engine = reachable_engine(settings, engine)
    _warn_about_old_files(settings)
    migrations.upgrade(engine)
    ensure_seeded(engine, AccountTable.metadata, _is_seeded, lambda s: seed_accounts(s, settings))
    with Session(engine) as session:
        key = session.get(MetaRow, SERVICE_KEY)
        assert key is not None
        service_key = bytes.fromhex(key.value)
        scale = _recorded_scale(session) or 1  # sandboxes from before the scale pack are the real city
    clock = SandboxClock(engine)
    _warn_about_ignored_settings(settings, clock, scale)
    return Sandbox(
        engine=engine,
        clock=clock,
        accounts=Accounts(engine, clock, settings.fixtures_dir, scale=scale),
        service_key=service_key,
        fixtures_dir=settings.fixtures_dir,
        scale=scale,
    )


def _warn_about_ignored_settings(settings: Settings, clock: SandboxClock, scale: int) -> None:
    if "time_scale" in settings.model_fields_set and settings.time_scale != clock.scale:
        log.warning(
            "time_scale=%g only applies to a new sandbox; this one's clock runs at %g× (change it with "
            "`lifestyle-mcp clock run --scale N` or `lifestyle-mcp clock freeze`).",
            settings.time_scale,
            clock.scale,
        )
    if "scale" in settings.model_fields_set and settings.scale != scale:
        log.warning(
            "scale=%d only applies to a new sandbox; this one was created at scale %d "
            "(`lifestyle-mcp sandbox create --scale %d` rebuilds it).",
            settings.scale,
            scale,
            settings.scale,
        )


def prepare_vertical(
    settings: Settings,
    name: str,
    metadata: MetaData,
    is_seeded: Callable[[Session], bool],
    seed: Callable[[Session, Sandbox], None],
    *,
    engine: Engine | None = None,
) -> Sandbox:
    """Open the sandbox and make sure ``name``'s tables exist and are seeded."""
    sandbox = open_sandbox(settings, engine=engine)

    def seed_in_turn(session: Session) -> None:
        with sandbox.clock.through(session):  # the seed's clock.now() needs no second connection
            seed(session, sandbox)

    ensure_seeded(sandbox.engine, metadata, is_seeded, seed_in_turn)
    sandbox.verticals.append(name)
    return sandbox


def reset_sandbox(settings: Settings) -> list[str]:
    """Drop every table of the sandbox (all verticals, the account, the clock): the next start reseeds."""
    with opening(settings):
        engine = make_engine(settings.effective_database_url)
        try:
            return drop_sandbox(engine)
        finally:
            engine.dispose()


def require_schema(found: str | None, wanted: str, vertical: str, bind: Engine | Connection) -> None:
    """Refuse, with what to do, a vertical's tables written by another version of lifestyle-mcp."""
    if found is None or found == wanted:
        return
    where = bind.engine.url.render_as_string(hide_password=True)
    raise BackendUnavailableError(
        f"The sandbox database {where} holds {vertical} tables from another lifestyle-mcp version "
        f"(fixtures version {found}, this version uses {wanted}: one shared account instead of one per server).",
        "Run `lifestyle-mcp reset` to rebuild the sandbox from the fixtures (its orders are deleted), or point "
        "LIFESTYLE_DATABASE_URL at an empty database.",
    )
