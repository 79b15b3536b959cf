"""The MCP side of the kit: a server base with one error boundary and portable schemas, and the
lifespan that gives every tool the vertical's backend client (consent lives in ``consent``,
bearer tokens in ``auth``).

``LifestyleServer`` is an ``MCPServer`` that (1) advertises normalized, client-portable
schemas (see ``shared.kit.schemas``) and (2) turns every ``LifestyleError`` escaping a tool
or resolver into a ``ToolError`` whose text says what went wrong and how to fix it. Anything
else stays a masked crash, so internals never leak to the model.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, Generic, TypeVar

from mcp.server import MCPServer, ServerRequestContext
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.types import (
    CallToolResult,
    EmptyResult,
    InputRequiredResult,
    SetLevelRequestParams,
    TextContent,
    ToolAnnotations,
)
from mcp.types import Tool as MCPTool
from pydantic import BaseModel, ValidationError

from shared.errors import LifestyleError
from shared.kit.auth import auth_options
from shared.kit.client import BackendClient, LazyApp, connect
from shared.kit.schemas import normalize_tool
from shared.kit.settings import Settings

log = logging.getLogger(__name__)

ERROR_PREFIX = "Error: "
"""How every tool error's text begins: clients that drop ``isError`` (Qwen-Agent) still show the model an error."""

READ = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
"""A lookup: safe to call any number of times."""
WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
"""Changes state, but repeating the same call leaves the same state (set-style writes)."""
PAY = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False)
"""Moves money; idempotent through its confirmation token."""


RESULT_MEMO_SIZE = 256


class LifestyleServer(MCPServer[Any]):
    """``MCPServer`` with portable advertised schemas, one domain-error boundary,
    ``logging/setLevel`` for handshake-era clients, and compact results.

    A tool returning its declared wire model gets a result whose text is that model's compact
    JSON (the SDK indents it, doubling the bytes a model reads for nothing) beside the same
    structured content. The result is built once per model instance: the backend client hands
    out the same instance while a cached answer stays valid (``shared.kit.client.ResponseCache``),
    so repeats skip re-serializing it. Wire models are never mutated after they are returned.
    """

    _normalized: dict[str, MCPTool]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client_log_level = "warning"
        self._results: dict[int, tuple[BaseModel, CallToolResult]] = {}
        # The 2026-07-28 revision dropped logging/setLevel, so MCPServer no longer serves it; the SDK's
        # MethodBinding docs name the low-level add_request_handler as the way to keep it for 2025-era
        # clients (the Inspector, Qwen-Agent, 1.x SDKs). There is no public accessor for that server.
        self._lowlevel_server.add_request_handler("logging/setLevel", SetLevelRequestParams, self._set_level)

    async def _set_level(self, ctx: ServerRequestContext[Any, Any], params: SetLevelRequestParams) -> EmptyResult:
        """Acknowledge the client's level. The operator's stderr log keeps LIFESTYLE_LOG_LEVEL: over HTTP one
        process serves many users, and one of them must not silence (or flood) it for everyone."""
        self.client_log_level = params.level
        return EmptyResult()

    async def list_tools(self) -> list[MCPTool]:
        cache = self.__dict__.setdefault("_normalized", {})
        tools = await super().list_tools()
        out = []
        for tool in tools:
            if tool.name not in cache:
                cache[tool.name] = normalize_tool(tool)
            out.append(cache[tool.name])
        return out

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        try:
            return await self._call_tool(name, arguments, context)
        except ToolError as exc:  # UnexpectedToolError included
            cause = exc.__cause__
            if isinstance(cause, LifestyleError):
                raise ToolError(ERROR_PREFIX + cause.for_model()) from cause
            if isinstance(cause, ValidationError):
                raise ToolError(ERROR_PREFIX + describe_invalid(name, cause)) from cause
            if isinstance(exc, UnexpectedToolError):  # masked: the cause is logged here, never shown
                log.error("%s failed", name, exc_info=cause or exc)
                raise ToolError(
                    f"{ERROR_PREFIX}{name} failed inside the server (the details are in its log). Retry once; if it "
                    "fails again, tell the user this service is not working right now."
                ) from exc
            text = str(exc)
            raise ToolError(text if text.startswith(ERROR_PREFIX) else ERROR_PREFIX + text) from exc

    async def _call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None
    ) -> CallToolResult | InputRequiredResult:
        # The SDK's own conversion (MCPServer.call_tool) unless the tool returns exactly its output model.
        # MCPServer has no public way to run a tool without converting its result; _tool_manager is the
        # seam its own call_tool uses, and Tool.run(convert_result=False) keeps its error wrapping.
        tool = self._tool_manager.get_tool(name)
        meta = tool.fn_metadata if tool is not None else None
        if (
            context is None
            or meta is None
            or meta.output_model is None
            or meta.wrap_output
            or meta.output_schema is None
        ):
            return await super().call_tool(name, arguments, context)
        assert tool is not None
        result = await tool.run(arguments, context, convert_result=False)
        if type(result) is not meta.output_model:
            try:
                return meta.convert_result(result)
            except Exception as exc:  # as Tool.run reports a failed conversion: masked
                raise UnexpectedToolError(f"Error executing tool {name}") from exc
        return self._model_result(result)

    def _model_result(self, model: BaseModel) -> CallToolResult:
        held = self._results.get(id(model))
        if held is not None and held[0] is model:
            return held[1]
        result = CallToolResult(
            content=[TextContent(type="text", text=model.model_dump_json(by_alias=True))],
            structured_content=model.model_dump(mode="json", by_alias=True),
        )
        if len(self._results) >= RESULT_MEMO_SIZE:
            self._results.clear()
        self._results[id(model)] = (model, result)  # holding the model keeps its id from being reused
        return result


def describe_invalid(tool: str, error: ValidationError) -> str:
    """Argument errors in a model's terms: which argument, what is wrong, what was sent; no links."""
    lines = []
    for item in error.errors(include_url=False)[:5]:
        where = ".".join(str(p) for p in item["loc"]) or "arguments"
        sent = repr(item.get("input"))
        sent = sent if len(sent) <= 60 else sent[:57] + "..."
        lines.append(f"{where}: {item['msg']} (got {sent})")
    return (
        f"Invalid arguments for {tool}: " + "; ".join(lines) + ". Nothing was changed. Fix these arguments and call "
        "again; the tool's input schema gives each argument's type, range and allowed values."
    )


C = TypeVar("C", bound=BackendClient)


class ClientLifespan(Generic[C]):
    """The server's lifespan: one backend client for as long as the server runs.

    The client is the lifespan context tools read (``ctx.request_context.lifespan_context``).
    ``current()`` serves the few handlers the SDK calls without a Context (completions). Every
    client of one server (each in-memory connection, the token verifier's) reaches the same
    in-process provider, built once on first use.
    """

    def __init__(self, settings: Settings, client_cls: type[C], app_factory: Callable[[], Any]) -> None:
        self.settings = settings
        self.client_cls = client_cls
        self.app = None if settings.backend_url else LazyApp(app_factory)
        self._live: list[C] = []

    def new_client(self) -> C:
        return self.client_cls(connect(self.settings, self.app), app=self.app, default_user=self.settings.user)

    @asynccontextmanager
    async def __call__(self, _server: Any) -> AsyncIterator[C]:
        client = self.new_client()
        self._live.append(client)
        try:
            yield client
        finally:
            self._live.remove(client)
            await client.aclose()

    def current(self) -> C | None:
        return self._live[-1] if self._live else None


def make_server(name: str, settings: Settings, lifespan: ClientLifespan[Any], instructions: str) -> LifestyleServer:
    """A vertical's server: its lifespan, its instructions and (for HTTP) bearer-token auth."""
    return LifestyleServer(
        name,
        version="2.0.0",
        instructions=instructions,
        lifespan=lifespan,
        log_level=settings.log_level,
        **auth_options(settings, lifespan.new_client),
    )
