"""Every client format of `lifestyle-mcp config`, checked by launching what it says: the stdio entries' command
and env start the servers (acting for the configured user), and the HTTP entries' URL and header reach
`lifestyle-mcp serve` (Claude Desktop's through the mcp-remote bridge it names)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from clients.configs import CLIENTS, snippet
from tests.support import first_port, mcp_over_http

BIN = Path(sys.executable).parent
VERTICALS = ("food", "tickets", "movies", "nav")


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """`lifestyle-mcp config` for a user of the test's sandbox: once through the command line, then in process."""
    env = {"LIFESTYLE_DATA_DIR": str(tmp_path), "LIFESTYLE_USER": "usr_alice"}
    through_cli = subprocess.run([str(BIN / "lifestyle-mcp"), "config", "--client", "vscode"], env=env | {
        "PATH": os.environ["PATH"]}, capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert through_cli.stdout.strip() == snippet("vscode", list(VERTICALS)).strip()

    def render(client: str, *, http: bool = False, port: int = 8001) -> str:
        return snippet(client, list(VERTICALS), http=http, port=port)

    return render


def servers_of(client: str, text: str) -> dict[str, dict[str, Any]]:
    """The per-server entries, wherever this client's format keeps them."""
    if client == "codex":
        return dict(tomllib.loads(text)["mcp_servers"])
    doc = json.loads(text)
    if client == "continue":
        return {s["name"]: s for s in doc["mcpServers"]}
    if client == "goose":
        return {name: {**s, "command": s.get("cmd"), "env": s.get("envs"), "url": s.get("uri")}
                for name, s in doc["extensions"].items()}  # fmt: skip
    key = {"vscode": "servers", "zed": "context_servers"}.get(client, "mcpServers")
    return dict(doc[key])


def remote_of(client: str, entry: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """Where an HTTP entry points and the headers it sends."""
    url = entry.get("url") or entry.get("httpUrl") or entry.get("serverUrl") or entry.get("baseUrl") or ""
    headers = entry.get("headers") or entry.get("http_headers") or entry.get("requestOptions", {}).get("headers")
    return url, dict(headers or {})


async def test_stdio_entries_of_every_client_start_the_servers_for_the_configured_user(
    config: Callable[..., str],
) -> None:
    launches: dict[tuple[str, str, str], set[str]] = {}
    for client in CLIENTS:
        for name, entry in servers_of(client, config(client)).items():
            assert entry.get("args") == [], (client, entry)
            key = (entry["command"], json.dumps(entry["env"], sort_keys=True), name)
            launches.setdefault(key, set()).add(client)
    assert {name for _, _, name in launches} == set(VERTICALS)
    assert all(clients == set(CLIENTS) for clients in launches.values())  # one launch spec, however spelled
    for command, env, name in launches:
        async with Client(StdioServerParameters(command=command, args=[], env=json.loads(env))) as c:
            tools = (await c.list_tools()).tools
            if name == "food":  # it acts for the user the config names, on the data dir it names
                book = (await c.call_tool("food_list_addresses", {})).structured_content
        assert tools and all(t.name.startswith(name + "_") for t in tools)
    assert book is not None and [a["id"] for a in book["addresses"]] == ["adr_alice_1"]


async def test_http_entries_of_every_client_reach_serve_with_their_token(
    config: Callable[..., str], tmp_path: Path
) -> None:
    env = {"LIFESTYLE_DATA_DIR": str(tmp_path), "PATH": os.environ["PATH"], "LIFESTYLE_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([str(BIN / "lifestyle-mcp"), "serve", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        first = first_port(proc)
        seen: dict[str, int] = {}
        for client in CLIENTS:
            entries = servers_of(client, config(client, http=True, port=first))
            assert list(entries) == list(VERTICALS), client
            if client == "claude-desktop":
                assert entries["food"]["command"] == "npx"
                continue  # launched below, through the bridge
            for n, (name, entry) in enumerate(entries.items()):
                url, headers = remote_of(client, entry)
                assert url == f"http://127.0.0.1:{first + n}/mcp", (client, entry)
                token = headers["Authorization"].removeprefix("Bearer ")
                async with mcp_over_http(url, token) as c:
                    seen[f"{client}/{name}"] = len((await c.list_tools()).tools)
        assert len(seen) == 4 * (len(CLIENTS) - 1) and min(seen.values()) >= 8
        desktop = servers_of("claude-desktop", config("claude-desktop", http=True, port=first))
        await _through_mcp_remote(desktop["food"])
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


async def _through_mcp_remote(entry: dict[str, Any]) -> None:
    """Claude Desktop's HTTP entry is a stdio bridge (npx mcp-remote) with the header filled from env."""
    npx = shutil.which("npx")
    assert npx, "Node.js/npx is needed to check Claude Desktop's HTTP entry"
    cache = Path(os.environ.get("LIFESTYLE_NPM_CACHE", Path.home() / ".cache" / "lifestyle-mcp" / "npm"))
    env = {**entry["env"], "npm_config_cache": str(cache), "HOME": str(Path.home())}
    params = StdioServerParameters(command=npx, args=entry["args"], env=env)
    try:
        async with Client(params, mode="legacy", read_timeout_seconds=120) as c:
            tools = (await c.list_tools()).tools
    except BaseException as exc:  # pragma: no cover - shown with the bridge's reason
        pytest.fail(f"mcp-remote could not reach the server: {exc!r}")
    assert any(t.name == "food_search_restaurants" for t in tools)
