"""The four servers as one set of tools, reached with the ``mcp`` 2.x client.

What the Qwen-Agent plugin and the chat agent share: connect to each server (a stdio subprocess of its
console script, a streamable HTTP URL with a bearer token, or an in-process server in tests), list the
suite's tools once, and call any of them by name. A call's reply is its JSON text, or its error text
marked as an error (``Error: …``), so clients that drop ``isError`` still read it as one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx2
from anyio.abc import TaskGroup
from mcp import Client, StdioServerParameters
from mcp.client.session import ClientRequestContext
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ElicitRequestParams, ElicitResult, ErrorData, TextContent, Tool

VERTICALS = ("food", "tickets", "movies", "nav")
ERROR_PREFIX = "Error: "

Ask = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any] | None]]
"""Put a question (message, JSON schema of the answer) to the person; the answer, or None for no."""


@dataclass(frozen=True)
class ToolReply:
    """What one tool call came back with, in the form a model reads."""

    name: str
    text: str
    is_error: bool
    data: dict[str, Any] | None = None


@dataclass
class Suite:
    """The servers of one installation: ``targets`` maps a server name to anything ``mcp.Client`` accepts."""

    targets: Mapping[str, Any]
    ask: Ask | None = None  # how elicitation questions reach the person; None: the client cannot be asked
    tools: list[Tool] = field(default_factory=list)
    _clients: dict[str, Client] = field(default_factory=dict)
    _owner: dict[str, str] = field(default_factory=dict)
    _listed: dict[str, list[Tool]] = field(default_factory=dict)
    _group: TaskGroup | None = None
    _closing: anyio.Event | None = None
    _http: list[httpx2.AsyncClient] = field(default_factory=list)

    # ----- where the servers are ----------------------------------------------------------------------
    @classmethod
    def stdio(cls, *, env: Mapping[str, str] | None = None, verticals: tuple[str, ...] = VERTICALS, **kw: Any) -> Suite:
        """Each server as a subprocess of its console script (beside this interpreter), with ``env`` added to the
        short environment the SDK passes (data dir, user…)."""
        bin_dir = Path(sys.executable).parent
        targets = {
            v: StdioServerParameters(command=str(bin_dir / f"{v}-mcp"), args=[], env=dict(env or {})) for v in verticals
        }
        return cls(targets, **kw)

    @classmethod
    def http(cls, urls: Mapping[str, str], token: str, **kw: Any) -> Suite:
        """Each server at its streamable HTTP URL, with the user's bearer token."""
        https = {name: _bearer(token) for name in urls}
        targets = {name: streamable_http_client(url, http_client=https[name]) for name, url in urls.items()}
        return cls(targets, _http=list(https.values()), **kw)

    # ----- connecting ----------------------------------------------------------------------------------
    async def __aenter__(self) -> Suite:
        """Connect to every server at once (each client lives in a task of its own until the suite closes)."""
        self._closing = anyio.Event()
        group = anyio.create_task_group()
        await group.__aenter__()
        self._group = group
        try:
            ready = [anyio.Event() for _ in self.targets]
            failures: list[BaseException] = []
            for event, (name, target) in zip(ready, self.targets.items(), strict=True):
                group.start_soon(self._hold, name, target, event, failures)
            for event in ready:
                await event.wait()
            if failures:
                raise failures[0]
            for name in self.targets:  # in the order given, whatever order they connected in
                for tool in self._listed[name]:
                    if for_model(tool):
                        self.tools.append(tool)
                        self._owner[tool.name] = name
        except BaseException:
            await self.__aexit__(*sys.exc_info())
            raise
        return self

    async def _hold(self, name: str, target: Any, ready: anyio.Event, failures: list[BaseException]) -> None:
        try:
            callback = self._on_elicit if self.ask else None
            async with Client(target, elicitation_callback=callback) as client:
                self._clients[name] = client
                self._listed[name] = (await client.list_tools()).tools
                ready.set()
                assert self._closing is not None
                await self._closing.wait()
        except Exception as exc:
            failures.append(exc)
        finally:
            ready.set()

    async def __aexit__(self, *exc: object) -> None:
        if self._closing is not None:
            self._closing.set()
        if self._group is not None:
            group, self._group = self._group, None
            await group.__aexit__(None, None, None)
        for http in self._http:
            await http.aclose()
        self._http.clear()

    def tool(self, name: str) -> Tool:
        for tool in self.tools:
            if tool.name == name:
                return tool
        raise KeyError(name)

    # ----- calling -------------------------------------------------------------------------------------
    async def call(self, name: str, arguments: Mapping[str, Any] | str | None = None) -> ToolReply:
        """Call a tool by name; arguments as a mapping or a JSON object string (as models write them)."""
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except json.JSONDecodeError as exc:
                return ToolReply(name, f"{ERROR_PREFIX}the arguments are not JSON ({exc.msg}). Send a JSON object.",
                                 True)  # fmt: skip
        if not isinstance(arguments, Mapping) and arguments is not None:
            return ToolReply(name, f"{ERROR_PREFIX}the arguments must be a JSON object.", True)
        server = self._owner.get(name)
        if server is None:
            known = ", ".join(sorted(self._owner))
            return ToolReply(name, f"{ERROR_PREFIX}there is no tool {name!r}. Tools: {known}.", True)
        result = await self._clients[server].call_tool(name, dict(arguments or {}))
        text = "\n\n".join(c.text for c in result.content if isinstance(c, TextContent))
        if result.is_error and not text.startswith(ERROR_PREFIX):
            text = ERROR_PREFIX + text
        return ToolReply(name, text, result.is_error, result.structured_content)

    async def _on_elicit(self, context: ClientRequestContext, params: ElicitRequestParams) -> ElicitResult | ErrorData:
        assert self.ask is not None
        schema = getattr(params, "requested_schema", None) or {}
        answer = await self.ask(params.message, dict(schema))
        if answer is None:
            return ElicitResult(action="decline")
        return ElicitResult(action="accept", content=answer)


def for_model(tool: Tool) -> bool:
    """Whether a model may see the tool. MCP Apps marks tools only its views call with ``_meta.ui.visibility:
    ["app"]`` (e.g. ``nav_map_streets``, the streets under the route map); hosts keep them from the model, and so
    does the suite: their results are drawing data, large and of no use in a conversation."""
    ui = (tool.meta or {}).get("ui")
    visibility = ui.get("visibility") if isinstance(ui, dict) else None
    return not isinstance(visibility, list) or "model" in visibility


def _bearer(token: str) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30, read=300))
