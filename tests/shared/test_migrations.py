"""Schema migrations on SQLite and PostgreSQL: the revisions build exactly the models' schema, a sandbox made before
migrations is adopted and upgraded by a server's start with its data kept, ``lifestyle-mcp migrate`` works as a
command, a schema from a newer version is refused, and four servers starting at once on a fresh database agree."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from mcp import Client, StdioServerParameters
from mcp.types import TextContent
from sqlalchemy import MetaData, inspect, table, text
from sqlalchemy import column as col
from sqlalchemy.engine import Engine

from servers.food.backend.models import FoodTable
from servers.food.server import build_server
from servers.movies.backend.models import MoviesTable
from servers.nav.backend.graph import RoadNetwork
from servers.nav.backend.models import NavTable
from servers.tickets.backend.models import TicketsTable
from shared import migrations
from shared.account.models import AccountTable
from shared.kit.db import TABLE_PREFIXES, make_engine
from shared.kit.settings import Settings
from tests.sandboxes import NOON
from tests.servers.food.helpers import ok
from tests.support import fresh_engine, sandbox_settings

BIN = Path(sys.executable).parent
MODELS: list[MetaData] = [
    AccountTable.metadata,
    FoodTable.metadata,
    TicketsTable.metadata,
    MoviesTable.metadata,
    NavTable.metadata,
]
OPENED = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty sandbox database: a new SQLite file, or the session's PostgreSQL database wiped."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lifestyle.db'}"
    pg_url: str = request.getfixturevalue("pg_url")
    fresh_engine(Settings(database_url=pg_url)).dispose()
    return pg_url


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    yield engine
    engine.dispose()


def tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return {name for name in inspect(conn).get_table_names() if name.startswith(TABLE_PREFIXES)}


def revision_of(engine: Engine) -> str | None:
    return migrations.status(engine).current


def check_constraints(engine: Engine) -> dict[str, int]:
    """How many CHECK constraints each table has (Alembic's comparison does not look at them)."""
    names = tables(engine) - {migrations.VERSION_TABLE}
    with engine.connect() as conn:
        found = inspect(conn)
        return {name: len(found.get_check_constraints(name)) for name in names}


def declared_checks() -> dict[str, int]:
    from sqlalchemy import CheckConstraint

    return {
        t.name: sum(isinstance(c, CheckConstraint) for c in t.constraints) for md in MODELS for t in md.tables.values()
    }


def address(id_: str, label: str, seq: int) -> dict[str, Any]:
    return {"id": id_, "user_id": "usr_demo", "label": label, "label_key": label.lower(), "street": "Kalevankatu",
            "housenumber": str(seq + 1), "postcode": "00100", "city": "Helsinki", "lat": 60.165, "lng": 24.937,
            "notes": "", "seq": seq, "created_at": OPENED}  # fmt: skip


OLD_ROWS: dict[str, list[dict[str, Any]]] = {
    "account_meta": [{"key": "service_key", "value": "ab" * 32}, {"key": "schema_version", "value": "2"}],
    "account_state": [{"id": 1, "sim_anchor": OPENED, "real_anchor": 0.0, "scale": 0.0, "clock_version": 0,
                       "book_version": 2}],
    "account_user": [{"id": "usr_demo", "name": "Demo", "phone": "", "email": "", "currency": "EUR",
                      "created_at": OPENED}],
    "account_wallet": [{"user_id": "usr_demo", "balance_minor": 4321, "currency": "EUR"}],
    "account_ledger": [{"id": 1, "user_id": "usr_demo", "vertical": "account", "kind": "opening",
                        "ref": "open_usr_demo", "amount_minor": 4321, "memo": "Opening balance", "quote_token": "",
                        "at": OPENED}],
    "account_address": [address("adr_home", "Home", 0), address("adr_cottage", "Summer cottage", 1)],
}  # fmt: skip
"""An account as lifestyle-mcp 0.2 wrote it, in that version's columns: a user, their wallet, and two addresses
they saved (Summer cottage is not in the fixtures, so only the old sandbox can supply it)."""


def make_pre_migration_sandbox(engine: Engine) -> None:
    """What lifestyle-mcp 0.2 (fd2eb5f) left where only food-mcp had ever started: the account's and food's tables,
    made by ``create_all`` (the baseline revision is that schema, table for table), no revision recorded, and the
    account of ``OLD_ROWS``."""
    with engine.begin() as conn:
        migrations.run_to(conn, migrations.BASELINE)
        others = [name for name in inspect(conn).get_table_names() if name.startswith(("tickets_", "movies_", "nav_"))]
        for name in [migrations.VERSION_TABLE, *others]:
            conn.execute(text(f"DROP TABLE {name}"))
        for name, values in OLD_ROWS.items():
            conn.execute(table(name, *(col(key) for key in values[0])).insert(), values)


def test_the_revisions_build_exactly_the_models_schema_and_take_it_down_again(
    engine: Engine, capfd: pytest.CaptureFixture[str]
) -> None:
    before = migrations.upgrade(engine)
    printed = capfd.readouterr().out
    with engine.connect() as conn:
        drift = migrations.differences(conn, MODELS)
    checks = check_constraints(engine)
    with engine.begin() as conn:
        command.downgrade(migrations.config(connection=conn), "base")
    left = tables(engine)
    assert before.current is None and not before.legacy and before.head == migrations.head()
    assert drift == [], f"the models and the revisions disagree: `lifestyle-mcp migrate revision` for {drift}"
    assert checks == declared_checks()
    assert left == {migrations.VERSION_TABLE} and revision_of(engine) is None
    assert printed == ""  # a stdio server speaks the protocol on stdout: the migrations say nothing there


async def test_a_sandbox_from_before_migrations_is_upgraded_when_a_server_starts_and_keeps_its_data(
    url: str, engine: Engine, tmp_path: Path
) -> None:
    make_pre_migration_sandbox(engine)
    legacy = migrations.status(engine)
    settings = sandbox_settings("food", tmp_path, NOON, url)
    async with Client(build_server(settings)) as c:  # the provider, and so the sandbox, opens at the first call
        book = await ok(c, "food_list_addresses")
    with engine.connect() as conn:
        wallet = conn.execute(text("SELECT balance_minor FROM account_wallet WHERE user_id = 'usr_demo'")).scalar()
        users = conn.execute(text("SELECT count(*) FROM account_user")).scalar()
        drift = migrations.differences(conn, MODELS)
    assert legacy.legacy and legacy.current is None
    assert [a["label"] for a in book["addresses"]] == ["Home", "Summer cottage"]
    assert wallet == 4321 and users == 1  # the account was kept, not reseeded from the fixtures
    assert revision_of(engine) == migrations.head() and drift == []


async def test_a_schema_from_a_newer_version_is_refused_with_what_to_do_and_left_alone(
    url: str, engine: Engine, tmp_path: Path
) -> None:
    migrations.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {migrations.VERSION_TABLE} SET version_num = '9999'"))
    before = tables(engine)
    settings = sandbox_settings("food", tmp_path, NOON, url)
    async with Client(build_server(settings)) as c:
        refused = await c.call_tool("food_list_addresses", {})
    cli = run(tmp_path, "migrate", LIFESTYLE_DATABASE_URL=url)
    first = refused.content[0]
    said = first.text if isinstance(first, TextContent) else ""
    assert refused.is_error and "revision 9999" in said and "newer lifestyle-mcp" in said, said
    assert cli.returncode == 1 and "revision 9999" in cli.stderr and "Traceback" not in cli.stderr, cli.stderr
    assert revision_of_raw(engine) == "9999" and tables(engine) == before


def test_the_head_read_from_file_names_is_alembics_head() -> None:
    assert migrations.numbered_head() == migrations.head()


def test_opening_a_sandbox_at_head_does_not_load_alembic(engine: Engine, url: str) -> None:
    """A server's every start but the first finds the schema at head: one SELECT, not Alembic's machinery."""
    migrations.upgrade(engine)
    probe = (
        "import sys; from shared import migrations; from shared.kit.db import make_engine; "
        f"before = migrations.upgrade(make_engine({url!r})); "
        "print(before.up_to_date, 'alembic' in sys.modules)"
    )
    said = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert said.stdout.split() == ["True", "False"], said.stderr


def test_a_new_sqlite_sandbox_is_made_from_the_snapshot_of_what_the_revisions_build(tmp_path: Path) -> None:
    """The shipped snapshot is exactly what the revisions create, and a new sandbox made from it (without Alembic,
    in a fresh process as a server's first start) has exactly that schema and revision."""
    wanted = migrations.revisions_snapshot()
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    probe = (
        "import sys; from shared import migrations; from shared.kit.db import make_engine; "
        f"before = migrations.upgrade(make_engine({fresh!r})); "
        "print(before.current, before.head, 'alembic' in sys.modules)"
    )
    said = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    made = make_engine(fresh)
    got = migrations.snapshot_sql(made)
    made.dispose()
    assert migrations.SNAPSHOT.read_text(encoding="utf-8") == wanted, (
        "shared/migrations/head.sqlite.sql is not what the revisions build: rewrite it with "
        "`python -c 'from shared import migrations; migrations.write_snapshot()'`"
    )
    assert said.stdout.split() == ["None", migrations.head(), "False"], said.stderr
    assert got == wanted


def revision_of_raw(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text(f"SELECT version_num FROM {migrations.VERSION_TABLE}")).scalar_one())


def run(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"LIFESTYLE_DATA_DIR": str(data_dir), "PATH": os.environ["PATH"], "LIFESTYLE_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [str(BIN / "lifestyle-mcp"), *args], capture_output=True, text=True, timeout=120, env=base | env, check=False
    )


def test_lifestyle_mcp_migrate_adopts_an_old_sandbox_and_says_where_it_stands(
    url: str, engine: Engine, tmp_path: Path
) -> None:
    make_pre_migration_sandbox(engine)
    env = {"LIFESTYLE_DATABASE_URL": url}
    old = run(tmp_path, "migrate", "status", **env)
    migrated = run(tmp_path, "migrate", **env)
    again = run(tmp_path, "migrate", **env)
    now = run(tmp_path, "migrate", "status", **env)
    head = migrations.head()
    assert old.returncode == 0 and "current   -" in old.stdout and "made before migrations" in old.stdout, old.stderr
    assert migrated.returncode == 0 and f"adopted at {migrations.BASELINE}, upgraded to {head}" in migrated.stdout
    assert again.returncode == 0 and f"already at {head} (head)" in again.stdout
    assert f"current   {head}" in now.stdout and "up to date" in now.stdout
    assert revision_of(engine) == head and "Summer cottage" in addresses_of(engine)


def addresses_of(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT label FROM account_address ORDER BY seq")).scalars())


def test_lifestyle_mcp_migrate_sql_prints_the_upgrade_without_running_it(tmp_path: Path, pg_url: str) -> None:
    fresh_engine(Settings(database_url=pg_url)).dispose()
    printed = run(tmp_path, "migrate", "--sql", LIFESTYLE_DATABASE_URL=pg_url)
    stray = run(tmp_path, "migrate", "--from", "0001", LIFESTYLE_DATABASE_URL=pg_url)
    typo = run(tmp_path, "migrate", "--sql", "--from", "zzz", LIFESTYLE_DATABASE_URL=pg_url)
    engine = make_engine(pg_url)
    left = tables(engine)
    make_pre_migration_sandbox(engine)
    unknowable = run(tmp_path, "migrate", "--sql", LIFESTYLE_DATABASE_URL=pg_url)
    engine.dispose()
    assert printed.returncode == 0, printed.stderr
    assert "CREATE TABLE account_address" in printed.stdout and "CREATE TABLE nav_place" in printed.stdout
    assert f"INSERT INTO {migrations.VERSION_TABLE} (version_num) VALUES ('{migrations.BASELINE}')" in printed.stdout
    assert left == set()  # printed, not run
    assert stray.returncode == 1 and "--from only applies with --sql" in stray.stderr
    assert typo.returncode == 1 and "--from zzz is not a revision of this lifestyle-mcp" in typo.stderr
    assert "newer lifestyle-mcp" not in typo.stderr and not typo.stdout  # the typo is blamed, not the database
    assert unknowable.returncode == 1 and "made before migrations" in unknowable.stderr and not unknowable.stdout


async def test_four_servers_starting_at_once_on_a_fresh_database_all_answer(
    url: str, tmp_path: Path, network: RoadNetwork, routing_cache: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cache").symlink_to(routing_cache, target_is_directory=True)  # nav loads its road network warm
    env = {"LIFESTYLE_DATA_DIR": str(data), "LIFESTYLE_DATABASE_URL": url, "PATH": os.environ["PATH"],
           "LIFESTYLE_LOG_LEVEL": "WARNING"}  # fmt: skip
    calls = {
        "food": ("food_list_addresses", {}),
        "tickets": ("tickets_list_orders", {}),
        "movies": ("movies_list_orders", {}),
        "nav": ("nav_geocode", {"query": "Kiasma"}),
    }

    async def start(vertical: str) -> Any:
        tool, args = calls[vertical]
        async with Client(StdioServerParameters(command=str(BIN / f"{vertical}-mcp"), args=[], env=env)) as c:
            return await c.call_tool(tool, args)

    results = await asyncio.gather(*(start(v) for v in calls))
    engine = make_engine(url)
    with engine.connect() as conn:
        users = conn.execute(text("SELECT count(*) FROM account_user")).scalar()
        seeded = [conn.execute(text(f"SELECT count(*) FROM {v}_meta")).scalar() for v in calls]
    at = revision_of(engine)
    engine.dispose()
    for vertical, result in zip(calls, results, strict=True):
        first = result.content[0]
        assert not result.is_error, (vertical, first.text if isinstance(first, TextContent) else first)
    assert at == migrations.head() and users and all(seeded)  # migrated once, each vertical seeded once
