"""The command line over the sandbox, run as installed scripts: users, tokens, the clock, client configs, resets,
refusals to serve beyond loopback unsafely, and sandboxes left by an older version."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.types import TextContent
from sqlalchemy import text

from shared.account import open_sandbox
from shared.account.credentials import introspect
from shared.account.wallet import statement
from shared.kit.client import read_service_key
from shared.kit.db import make_engine
from shared.kit.settings import Settings
from tests.conftest import free_port
from tests.support import mcp_over_http

BIN = Path(sys.executable).parent


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)  # waiting for a subprocess to listen, not timing anything
    raise AssertionError(f"nothing listens on {port}")


def run(data_dir: Path, *args: str, script: str = "lifestyle-mcp", **env: str) -> subprocess.CompletedProcess[str]:
    base = {"LIFESTYLE_DATA_DIR": str(data_dir), "PATH": os.environ["PATH"], "LIFESTYLE_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [str(BIN / script), *args], capture_output=True, text=True, timeout=120, env=base | env, check=False
    )


def test_users_tokens_and_the_clock_from_the_command_line(tmp_path: Path) -> None:
    users = run(tmp_path, "users")
    token = run(tmp_path, "token", "--user", "usr_alice", "--days", "1")
    frozen = run(tmp_path, "clock", "freeze", "2026-12-24T18:00:00+02:00")
    moved = run(tmp_path, "clock", "advance", "90m")
    back = run(tmp_path, "clock", "set", "2026-12-24T12:00:00+02:00")
    shown = run(tmp_path, "clock", "show")
    refrozen = run(tmp_path, "clock", "freeze", "2026-12-24T12:00:00+02:00", "--backwards")  # as the refusal says
    assert users.returncode == 0 and "usr_alice" in users.stdout and "€150.00" in users.stdout
    assert token.returncode == 0 and token.stdout.startswith("lsk_")
    assert frozen.stdout.startswith("2026-12-24 18:00:00") and "frozen" in frozen.stdout
    assert moved.stdout.startswith("2026-12-24 19:30:00")
    assert back.returncode != 0 and "does not go back" in back.stderr and shown.stdout.startswith("2026-12-24 19:30")
    assert refrozen.returncode == 0 and refrozen.stdout.startswith("2026-12-24 12:00:00"), refrozen.stderr
    sandbox = open_sandbox(Settings(data_dir=tmp_path))
    seen = introspect(sandbox.engine, token.stdout.strip())
    with sandbox.engine.connect() as conn:
        stored = conn.execute(text("SELECT digest FROM account_token")).scalars().all()
    sandbox.engine.dispose()
    assert seen.active and seen.sub == "usr_alice"
    assert token.stdout.strip() not in stored and len(stored) == 1  # only its digest is kept


@pytest.mark.parametrize("client", ["claude-code", "qwen-agent", "gemini", "cursor", "claude-desktop"])
def test_http_configs_carry_a_live_token_for_the_configured_user(tmp_path: Path, client: str) -> None:
    done = run(tmp_path, "config", "--client", client, "--http", LIFESTYLE_USER="usr_bob")
    entries = json.loads(done.stdout)["mcpServers"]
    assert set(entries) == {"food", "tickets", "movies", "nav"}
    blob = json.dumps(entries["food"])
    token = blob.split("Bearer ", 1)[1].split('"', 1)[0]
    sandbox = open_sandbox(Settings(data_dir=tmp_path))
    assert introspect(sandbox.engine, token).sub == "usr_bob"
    sandbox.engine.dispose()


def test_serving_beyond_loopback_needs_allowed_hosts_and_never_runs_without_auth(tmp_path: Path) -> None:
    open_host = run(tmp_path, "--transport", "http", "--host", "0.0.0.0", "--port", "1", script="food-mcp")
    no_auth = run(tmp_path, "--transport", "http", "--host", "0.0.0.0", "--port", "1", script="food-mcp",
                  LIFESTYLE_ALLOWED_HOSTS="mcp.example.com:*", LIFESTYLE_AUTH="none")  # fmt: skip
    backend = run(tmp_path, "backend", "--host", "0.0.0.0", "--port", "1", script="food-mcp")
    assert open_host.returncode != 0 and "LIFESTYLE_ALLOWED_HOSTS" in open_host.stderr
    assert no_auth.returncode != 0 and "loopback only" in no_auth.stderr
    assert backend.returncode != 0 and "LIFESTYLE_ALLOWED_HOSTS" in backend.stderr


def test_old_per_server_files_are_named_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "food.db").write_bytes(b"an old sandbox")
    done = run(tmp_path, "users")
    assert done.returncode == 0 and "usr_demo" in done.stdout
    assert "food.db" in done.stderr and "no longer read" in done.stderr
    assert (tmp_path / "food.db").read_bytes() == b"an old sandbox"


async def test_a_sandbox_of_an_older_version_gets_a_clear_tool_error_and_reset_rebuilds_it(tmp_path: Path) -> None:
    engine = make_engine(Settings(data_dir=tmp_path).effective_database_url)
    with engine.begin() as conn:  # what lifestyle-mcp 0.1 left in a shared PostgreSQL database
        conn.execute(text("CREATE TABLE food_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"))
        conn.execute(text("INSERT INTO food_meta VALUES ('fixture_version', '1')"))
        conn.execute(text("CREATE TABLE food_user (id VARCHAR PRIMARY KEY, wallet_minor INTEGER)"))
    engine.dispose()
    env = {"LIFESTYLE_DATA_DIR": str(tmp_path), "PATH": os.environ["PATH"]}
    async with Client(StdioServerParameters(command=str(BIN / "food-mcp"), args=[], env=env)) as c:
        old = await c.call_tool("food_list_addresses", {})
    reset = run(tmp_path, "reset")
    async with Client(StdioServerParameters(command=str(BIN / "food-mcp"), args=[], env=env)) as c:
        rebuilt = await c.call_tool("food_list_addresses", {})
    text_of_error = old.content[0].text if isinstance(old.content[0], TextContent) else ""
    assert old.is_error and "from another lifestyle-mcp version" in text_of_error
    assert "lifestyle-mcp reset" in text_of_error
    assert reset.returncode == 0 and "Rebuilt the sandbox" in reset.stdout
    assert not rebuilt.is_error and rebuilt.structured_content is not None


async def test_tokens_and_keys_never_reach_the_logs_even_at_debug_level(tmp_path: Path) -> None:
    token = run(tmp_path, "token").stdout.strip()
    port = free_port()
    env = {"LIFESTYLE_DATA_DIR": str(tmp_path), "PATH": os.environ["PATH"], "LIFESTYLE_LOG_LEVEL": "DEBUG"}
    proc = subprocess.Popen([str(BIN / "food-mcp"), "--transport", "http", "--port", str(port)], env=env,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        wait_for_port(port)
        async with mcp_over_http(f"http://127.0.0.1:{port}/mcp", token) as c:
            assert not (await c.call_tool("food_list_addresses", {})).is_error
            assert not (await c.call_tool("food_search_restaurants", {"query": "pizza", "limit": 1})).is_error
        try:
            async with mcp_over_http(f"http://127.0.0.1:{port}/mcp", token[:-3] + "xyz"):
                pass
        except BaseException:  # the refused token ends its client with an error; the logs are what is checked
            pass
    finally:
        proc.terminate()
        _, logs = proc.communicate(timeout=30)
    key = read_service_key(Settings(data_dir=tmp_path)).hex()
    assert "DEBUG" in logs and "/auth/introspect" in logs and "/restaurants?query=pizza" in logs  # in detail
    assert token not in logs and token[:-3] not in logs and key not in logs
    assert "eyJ" not in logs  # no service credential (a JWT) either


def test_bad_command_line_input_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    ghost = run(tmp_path, "token", "--user", "usr_ghost")
    negative = run(tmp_path, "token", "--days", "-1")
    endless = run(tmp_path, "clock", "advance", "99999999d")
    nan = run(tmp_path, "clock", "run", "--scale", "nan")
    no_server = run(tmp_path, "serve", "bogus")
    flags_first = run(tmp_path, "serve", "--port", "18780", "food")  # used to be dropped: a stdio server ran
    no_room = run(tmp_path, "serve", "--port", "65534")
    bad_port = run(tmp_path, "--transport", "http", "--port", "-1", script="food-mcp")
    loud = run(tmp_path, "--log-level", "LOUD", script="food-mcp")
    inf = run(tmp_path, "top-up", "--amount", "inf")
    sub_cent = run(tmp_path, "top-up", "--amount", "12.345")  # was topped up by 12.34 without a word
    done_all = (ghost, negative, endless, nan, no_server, flags_first, no_room, bad_port, loud, inf, sub_cent)
    for done in done_all:
        assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert "No user 'usr_ghost'" in ghost.stderr and "out of range" in negative.stderr
    assert "out of range" in endless.stderr and "is not a speed" in nan.stderr
    assert "no server 'bogus'" in no_server.stderr and "serve food --transport http" in flags_first.stderr
    assert "leaves no room for all four" in no_room.stderr and "'-1' is not a port" in bad_port.stderr
    assert "invalid choice: 'LOUD'" in loud.stderr and "'inf' is not an amount" in inf.stderr
    assert "'12.345' is not a whole number of cents" in sub_cent.stderr
    assert all(done.returncode == 2 for done in done_all[4:])  # argparse's usage errors


def test_a_servers_flags_work_after_serve_too(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "food-mcp"), "serve", "--transport", "http", "--port", str(port)],
        env={"LIFESTYLE_DATA_DIR": str(tmp_path), "PATH": os.environ["PATH"], "LIFESTYLE_LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)  # `food-mcp serve --transport http` used to be refused as unrecognized arguments
    finally:
        proc.terminate()
        proc.wait(20)


def test_the_database_password_is_never_printed(tmp_path: Path, pg_url: str) -> None:
    url = pg_url.replace("postgres@", "postgres:S3cretPassw0rd@", 1)  # trust auth accepts any password
    reset = run(tmp_path, "reset", LIFESTYLE_DATABASE_URL=url)
    per_server = run(tmp_path, "reset", script="food-mcp", LIFESTYLE_DATABASE_URL=url)
    assert reset.returncode == 0 and per_server.returncode == 0, reset.stderr + per_server.stderr
    shown = reset.stdout + reset.stderr + per_server.stdout + per_server.stderr
    assert "S3cretPassw0rd" not in shown and "***" in shown


def test_a_top_up_is_a_ledger_entry_like_any_other_movement(tmp_path: Path) -> None:
    topped = run(tmp_path, "top-up", "--user", "usr_broke", "--amount", "20")
    refused = run(tmp_path, "top-up", "--user", "usr_broke", "--amount", "-5")
    sandbox = open_sandbox(Settings(data_dir=tmp_path))
    book = statement(sandbox.engine, "usr_broke")
    sandbox.engine.dispose()
    assert topped.returncode == 0 and "€23.00" in topped.stdout
    assert refused.returncode != 0 and "out of range" in refused.stderr
    assert [(e.kind, e.amount.amount_minor) for e in book.entries] == [("top_up", 2000), ("opening", 300)]
    assert book.balance.amount_minor == 2300


async def test_a_provider_that_cannot_start_is_a_tool_error_naming_the_cause(tmp_path: Path) -> None:
    empty = tmp_path / "no-fixtures"
    empty.mkdir()
    env = {"LIFESTYLE_DATA_DIR": str(tmp_path / "data"), "LIFESTYLE_FIXTURES_DIR": str(empty)}
    env["PATH"] = os.environ["PATH"]
    async with Client(StdioServerParameters(command=str(BIN / "food-mcp"), args=[], env=env)) as c:
        broken = await c.call_tool("food_search_restaurants", {})
    text = broken.content[0].text if isinstance(broken.content[0], TextContent) else ""
    assert broken.is_error and text.startswith("Error: The provider could not start: FileNotFoundError")
    assert "users.json" in text and "reinstall" in text


def test_a_bad_setting_is_named_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    umbrella = run(tmp_path, "clock", "show", LIFESTYLE_FAULTS="bogus=1")
    vertical = run(tmp_path, "migrate", "status", script="food-mcp", LIFESTYLE_BACKEND_RETRIES="many")
    assert umbrella.returncode == 2 and vertical.returncode == 2
    assert umbrella.stderr.startswith("lifestyle-mcp clock: LIFESTYLE_FAULTS: ")
    assert "use latency, jitter" in umbrella.stderr
    assert vertical.stderr.startswith("food-mcp: LIFESTYLE_BACKEND_RETRIES: ")
    assert "Traceback" not in umbrella.stderr + vertical.stderr and umbrella.stdout == vertical.stdout == ""
    assert not (tmp_path / "lifestyle.db").exists()  # refused before the sandbox was opened
    nowhere = run(tmp_path, "migrate", "status", script="food-mcp", FOOD_BACKEND_URL="not-a-url")
    assert nowhere.returncode == 2 and nowhere.stderr.startswith("food-mcp: FOOD_BACKEND_URL: ")
    assert "is not an http(s) URL" in nowhere.stderr


def test_sandbox_create_grows_the_city_and_a_later_scale_setting_does_not_change_it(tmp_path: Path) -> None:
    made = run(tmp_path, "sandbox", "create", "--scale", "2")
    shown = run(tmp_path, "sandbox", "show", LIFESTYLE_SCALE="5")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Created a scale-2 sandbox")
    assert "scale 2 · 2,005 users" in shown.stdout  # the 5 fixture users and 1,000 per step
    assert "only applies to a new sandbox" in shown.stderr and "created at scale 2" in shown.stderr
    for vertical in ("food", "tickets", "movies", "nav"):
        assert f"  {vertical}: " in shown.stdout
    sandbox = open_sandbox(Settings(data_dir=tmp_path))
    crowd = sandbox.accounts.list_addresses("usr_c000001")
    sandbox.engine.dispose()
    assert [a.label for a in crowd.addresses] == ["Home"]
    refused = run(tmp_path, "sandbox", "create", "--scale", "0")
    assert refused.returncode != 0 and "scale" in refused.stderr and "Traceback" not in refused.stderr
    reset = run(tmp_path, "reset")  # undoes what was done in the sandbox, at the size it was made
    after = run(tmp_path, "sandbox", "show")
    assert reset.returncode == 0 and "scale 2" in reset.stdout, reset.stderr
    assert "scale 2 · 2,005 users" in after.stdout


def test_a_database_that_cannot_be_opened_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    closed = free_port()  # nothing listens there
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed}/test"
    refused = run(tmp_path, "users", LIFESTYLE_DATABASE_URL=url)
    unparsable = run(tmp_path, "clock", "show", LIFESTYLE_DATABASE_URL="garbage")
    (tmp_path / "a-file").write_text("not a directory")
    not_a_dir = run(tmp_path / "a-file" / "data", "token")
    server_reset = run(tmp_path / "a-file" / "data", "reset", script="food-mcp")
    server_migrate = run(tmp_path, "migrate", "status", script="nav-mcp", LIFESTYLE_DATABASE_URL=url)
    for done in (refused, unparsable, not_a_dir, server_reset, server_migrate):
        assert done.returncode == 1 and "Traceback" not in done.stderr and done.stdout == "", done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Cannot open the sandbox database" in done.stderr
    assert f"127.0.0.1:{closed}/test (LIFESTYLE_DATABASE_URL): OperationalError" in refused.stderr
    assert "(a URL that does not parse) (LIFESTYLE_DATABASE_URL)" in unparsable.stderr
    assert "(LIFESTYLE_DATA_DIR): NotADirectoryError" in not_a_dir.stderr
    assert server_reset.stderr.startswith("food-mcp reset: Cannot open the sandbox database")
    assert server_migrate.stderr.startswith("nav-mcp migrate: Cannot open the sandbox database")


def test_an_empty_data_dir_setting_is_the_default_one_and_a_tilde_is_home(tmp_path: Path) -> None:
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "LIFESTYLE_LOG_LEVEL": "WARNING"}  # fmt: skip
    for data_dir, made in (("", home / "data" / "lifestyle-mcp"), ("~/sandbox", home / "sandbox")):
        done = subprocess.run([str(BIN / "lifestyle-mcp"), "users"], capture_output=True, text=True, timeout=120,
                              env=env | {"LIFESTYLE_DATA_DIR": data_dir}, cwd=work, check=False)  # fmt: skip
        assert done.returncode == 0 and "usr_alice" in done.stdout, done.stderr
        assert (made / "lifestyle.db").exists()
    assert list(work.iterdir()) == []  # nothing in the directory the command ran in


def places_seeded(data_dir: Path) -> int:
    """How many nav places the sandbox in ``data_dir`` holds (0: not built yet)."""
    path = data_dir / "lifestyle.db"
    if not path.exists():
        return 0
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM nav_place")).scalar_one())
    except Exception:  # the file or the table is still being made
        return 0
    finally:
        engine.dispose()


async def test_a_launched_server_builds_its_provider_before_the_first_call_unless_told_not_to(tmp_path: Path) -> None:
    warm, cold = tmp_path / "warm", tmp_path / "cold"

    def params(data_dir: Path, **env: str) -> StdioServerParameters:
        base = {"LIFESTYLE_DATA_DIR": str(data_dir), "PATH": os.environ["PATH"], "LIFESTYLE_LOG_LEVEL": "WARNING"}
        return StdioServerParameters(command=str(BIN / "nav-mcp"), env=base | env)

    async with Client(params(warm)) as c, Client(params(cold, LIFESTYLE_WARM_START="false")) as lazy:
        assert (await c.list_tools()).tools and (await lazy.list_tools()).tools
        deadline = time.monotonic() + 90
        while not places_seeded(warm):  # no tool called: the server builds its provider on its own
            assert time.monotonic() < deadline, "the launched server never built its provider"
            await anyio.sleep(0.1)
        assert places_seeded(cold) == 0  # told not to: nothing until a call needs it
        answer = await lazy.call_tool("nav_geocode", {"query": "Kamppi"})
        assert not answer.is_error and places_seeded(cold) > 0
        answer = await c.call_tool("nav_geocode", {"query": "Kamppi"})
        assert not answer.is_error
