"""Client config snippets from one source: every MCP client spells its config differently, so
``lifestyle-mcp config --client X [--http --host H --port P]`` writes them.

Stdio entries carry an ``env`` block (the data dir, the user, the database if set): desktop clients start
servers with a short whitelist of variables and no shell. HTTP entries point at ``lifestyle-mcp serve``
(food on ``port``, then tickets, movies, nav) and carry ``Authorization: Bearer <token>`` for the configured
user (a new token is issued each time; ``lifestyle-mcp token`` issues more).

Formats (see clients.md §6): ``mcpServers`` JSON for Claude Desktop (HTTP through ``mcp-remote``), Claude
Code, Cursor, Gemini CLI, Qwen Code, Windsurf (``serverUrl``), Cherry Studio (``streamableHttp``/``baseUrl``),
LM Studio and Qwen-Agent (``streamable-http``); ``servers`` for VS Code; TOML ``[mcp_servers.x]`` for Codex;
``context_servers`` for Zed; YAML (written as JSON, which YAML reads) for Continue and Goose.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERTICALS = ("food", "tickets", "movies", "nav")
FIRST_PORT = 8001
MCP_REMOTE = ["-y", "mcp-remote"]
AUTH_FROM_ENV = "Authorization:${AUTH_HEADER}"


@dataclass(frozen=True)
class Entry:
    """One server as a client should reach it: a command (stdio) or a URL (HTTP)."""

    name: str
    command: str = ""
    env: dict[str, str] | None = None
    url: str = ""
    token: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _stdio(e: Entry, **extra: Any) -> dict[str, Any]:
    return {**extra, "command": e.command, "args": [], "env": e.env or {}}


Formatter = Callable[[Entry], dict[str, Any]]

# client → (top-level key, stdio entry, HTTP entry)
JSON_CLIENTS: dict[str, tuple[str, Formatter, Formatter]] = {
    "claude-desktop": (
        "mcpServers",
        _stdio,
        lambda e: {  # the file is stdio-only: HTTP through mcp-remote, which fills ${AUTH_HEADER} from env
            "command": "npx",
            "args": [*MCP_REMOTE, e.url, "--allow-http", "--transport", "http-only", "--header", AUTH_FROM_ENV],
            "env": {"AUTH_HEADER": f"Bearer {e.token}"},
        },
    ),
    "claude-code": (
        "mcpServers",
        lambda e: _stdio(e, type="stdio"),
        lambda e: {"type": "http", "url": e.url, "headers": e.headers},
    ),
    "cursor": ("mcpServers", _stdio, lambda e: {"url": e.url, "headers": e.headers}),
    "lm-studio": ("mcpServers", _stdio, lambda e: {"url": e.url, "headers": e.headers}),
    "vscode": (
        "servers",
        lambda e: _stdio(e, type="stdio"),
        lambda e: {"type": "http", "url": e.url, "headers": e.headers},
    ),
    "gemini": ("mcpServers", _stdio, lambda e: {"httpUrl": e.url, "headers": e.headers}),
    "qwen-code": ("mcpServers", _stdio, lambda e: {"httpUrl": e.url, "headers": e.headers}),
    "qwen-agent": (
        "mcpServers",
        _stdio,
        lambda e: {"type": "streamable-http", "url": e.url, "headers": e.headers, "sse_read_timeout": 300},
    ),
    "windsurf": ("mcpServers", _stdio, lambda e: {"serverUrl": e.url, "headers": e.headers}),
    "cherry-studio": (
        "mcpServers",
        lambda e: _stdio(e, type="stdio"),
        lambda e: {"type": "streamableHttp", "baseUrl": e.url, "headers": e.headers},
    ),
    "zed": ("context_servers", _stdio, lambda e: {"url": e.url, "headers": e.headers}),
}
CLIENTS = [*JSON_CLIENTS, "codex", "continue", "goose"]


def _codex(entries: list[Entry], http: bool) -> str:
    lines: list[str] = []
    for e in entries:
        lines.append(f"[mcp_servers.{e.name}]")
        if http:
            lines.append(f"url = {json.dumps(e.url)}")
            lines.append(f'http_headers = {{ "Authorization" = {json.dumps(e.headers["Authorization"])} }}')
        else:
            lines.append(f"command = {json.dumps(e.command)}")
            lines.append("args = []")
            env = ", ".join(f"{k} = {json.dumps(v)}" for k, v in (e.env or {}).items())
            lines.append(f"env = {{ {env} }}")
        lines.append("")
    return "\n".join(lines)


def _continue(entries: list[Entry], http: bool) -> dict[str, Any]:
    servers: list[dict[str, Any]] = []
    for e in entries:
        if http:
            servers.append({"name": e.name, "type": "streamable-http", "url": e.url,
                            "requestOptions": {"headers": e.headers}})  # fmt: skip
        else:
            servers.append({"name": e.name, "type": "stdio", "command": e.command, "args": [], "env": e.env or {}})
    return {"mcpServers": servers}


def _goose(entries: list[Entry], http: bool) -> dict[str, Any]:
    extensions: dict[str, Any] = {}
    for e in entries:
        if http:
            extensions[e.name] = {"type": "streamable_http", "name": e.name, "enabled": True, "uri": e.url,
                                  "headers": e.headers, "timeout": 300}  # fmt: skip
        else:
            extensions[e.name] = {"type": "stdio", "name": e.name, "enabled": True, "cmd": e.command, "args": [],
                                  "envs": e.env or {}, "timeout": 300}  # fmt: skip
    return {"extensions": extensions}


def entries(names: list[str], *, env: dict[str, str], http: bool, host: str, port: int, token: str) -> list[Entry]:
    """The suite's servers as one client would reach them."""
    ordered = [n for n in VERTICALS if n in names] + [n for n in names if n not in VERTICALS]
    if not http:
        bin_dir = Path(sys.executable).parent
        return [Entry(name, command=str(bin_dir / f"{name}-mcp"), env=env) for name in ordered]
    shown = f"[{host}]" if ":" in host else host
    return [Entry(name, url=f"http://{shown}:{port + n}/mcp", token=token) for n, name in enumerate(ordered)]


def render(client: str, servers: list[Entry], *, http: bool) -> str:
    """The config text for ``client`` (JSON, or TOML for Codex)."""
    if client == "codex":
        return _codex(servers, http)
    if client == "continue":
        return json.dumps(_continue(servers, http), indent=2)
    if client == "goose":
        return json.dumps(_goose(servers, http), indent=2)
    key, stdio, remote = JSON_CLIENTS[client]
    return json.dumps({key: {e.name: (remote(e) if http else stdio(e)) for e in servers}}, indent=2)


def snippet(
    client: str, names: list[str], *, http: bool = False, host: str = "127.0.0.1", port: int = FIRST_PORT
) -> str:
    """``lifestyle-mcp config``: the entries for the configured user and sandbox, rendered for ``client``."""
    from datetime import timedelta

    from shared.account import open_sandbox
    from shared.account.credentials import issue_token
    from shared.kit.settings import Settings

    settings = Settings()
    token = ""
    if http:
        sandbox = open_sandbox(settings)
        token = issue_token(sandbox.engine, settings.user, ttl=timedelta(days=30), label=f"config:{client}")
        sandbox.engine.dispose()
    env = {"LIFESTYLE_DATA_DIR": str(settings.data_dir.resolve()), "LIFESTYLE_USER": settings.user}
    if settings.database_url:
        env["LIFESTYLE_DATABASE_URL"] = settings.database_url
    servers = entries(names, env=env, http=http, host=host, port=port, token=token)
    return render(client, servers, http=http)
