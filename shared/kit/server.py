"""The MCP side of the kit: a server base with one error boundary and portable schemas, and the
lifespan that gives every tool the vertical's backend client (consent lives in ``consent``,
bearer tokens in ``auth``).

``LifestyleServer`` is an ``MCPServer`` that (1) advertises normalized, client-portable, bounded
schemas (see ``shared.kit.schemas``), (2) holds every call's arguments to them before any tool code
runs (``shared.kit.hygiene``) and (3) turns every ``LifestyleError`` escaping a tool or resolver
into a ``ToolError`` whose text says what went wrong and how to fix it. Anything else stays a masked
crash, so internals never leak to the model.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from mcp import MCPError
from mcp.server import MCPServer, ServerRequestContext
from mcp.server.extension import Extension
from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedResourceError, UnexpectedToolError
from mcp.server.mcpserver.tools.base import Tool
from mcp.types import (
    INVALID_PARAMS,
    CallToolResult,
    EmptyResult,
    GetPromptResult,
    Icon,
    InputRequiredResult,
    SetLevelRequestParams,
    TextContent,
    ToolAnnotations,
)
from mcp.types import Tool as MCPTool
from pydantic import AnyUrl, BaseModel, ValidationError

from shared.errors import InvalidInputError, LifestyleError, NotFoundError, shown
from shared.kit.auth import auth_options
from shared.kit.client import BackendClient, LazyApp, connect
from shared.kit.hygiene import brief_step, check_arguments, check_prompt, check_resource_uri, enforced_schema
from shared.kit.schemas import normalize_schema, normalize_tool
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

_BUILT_TOOLS: dict[tuple[object, ...], Tool] = {}
"""Every tool this process built (``LifestyleServer.add_tool``), by what its schema is made of."""

_GIVEN: ContextVar[frozenset[str]] = ContextVar("given_arguments", default=frozenset())


def given(name: str) -> bool:
    """Whether the current tool call named argument ``name`` itself: a default the model left alone cannot be
    told from the same value sent on purpose, and a confirmation must refuse only what the model asked for
    (food_place_order's payment_method: the default 'wallet' keeps a cash quote, an explicit 'wallet' does not)."""
    return name in _GIVEN.get()


@contextmanager
def _logging_configured_without_rich() -> Iterator[None]:
    """``MCPServer`` configures logging as it is built, with rich's handler wherever rich is installed (Qwen-Agent's
    and schemathesis's dependencies bring it): it imported rich's console (~50 modules, ~3 MB of a server's resident
    memory) for a handler ``logging.basicConfig`` then dropped, the root logger having ours already
    (``shared.kit.cli.configure_logging``). Only then is rich kept out, as if it were missing, which the SDK expects;
    a process whose root logger has no handler gets the SDK's logging as before."""
    if not logging.getLogger().handlers or "rich.console" in sys.modules:
        yield
        return
    sys.modules["rich.console"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("rich.console", False) is None:
            del sys.modules["rich.console"]


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
        with _logging_configured_without_rich():
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
            check_arguments(self._enforced(name), arguments, name)
        except LifestyleError as exc:  # refused before any tool code ran: nothing changed
            raise ToolError(ERROR_PREFIX + exc.for_model()) from exc
        _GIVEN.set(frozenset(arguments))  # this call's own context: each request runs in its own task
        try:
            return await self._call_tool(name, arguments, context)
        except ToolError as exc:  # UnexpectedToolError included
            cause = exc.__cause__
            if isinstance(cause, LifestyleError):
                raise ToolError(ERROR_PREFIX + cause.for_model()) from cause
            if isinstance(cause, ValidationError):
                tool = self._registered(name)
                properties = tool.parameters.get("properties", {}) if tool is not None else {}
                raise ToolError(ERROR_PREFIX + describe_invalid(name, cause, properties)) from cause
            if isinstance(exc, UnexpectedToolError):  # masked: the cause is logged here, never shown
                log.error("%s failed", name, exc_info=cause or exc)
                raise ToolError(
                    f"{ERROR_PREFIX}{name} failed inside the server (the details are in its log). Retry once; if it "
                    "fails again, tell the user this service is not working right now."
                ) from exc
            text = str(exc)
            raise ToolError(text if text.startswith(ERROR_PREFIX) else ERROR_PREFIX + text) from exc

    async def read_resource(
        self, uri: AnyUrl | str, context: Context[Any, Any] | None = None
    ) -> Iterable[ReadResourceContents] | InputRequiredResult:
        """The SDK's read, after the URI passed the same hygiene as a tool's ids (its errors quote the URI whole). A
        template filled with an id that names nothing ('food://restaurants/rst_nope/menu') was 'Error creating
        resource from template' (-32603, the server's fault by its code): the provider's refusal is passed on."""
        try:
            check_resource_uri(str(uri))
        except LifestyleError as exc:
            raise MCPError(INVALID_PARAMS, exc.for_model()) from exc
        try:
            return await super().read_resource(uri, context)
        except UnexpectedResourceError as exc:
            if isinstance(exc.__cause__, LifestyleError):
                raise MCPError(INVALID_PARAMS, exc.__cause__.for_model()) from exc
            raise

    async def get_prompt(
        self, name: str, arguments: dict[str, Any] | None = None, context: Context[Any, Any] | None = None
    ) -> GetPromptResult | InputRequiredResult:
        """The SDK's prompt, after its arguments passed the same hygiene as a tool's free text. An unknown prompt or
        one without its required arguments is the caller's mistake, said as such: the SDK answered both with
        'Internal server error' (-32603), which reads as ours and says nothing of what to send."""
        try:
            check_prompt(name, arguments or {})
            prompt = self._prompt_manager.get_prompt(name)  # as _registered reaches its tools: no public lookup
            if prompt is None:
                raise NotFoundError(f"There is no prompt {shown(name)} on this server.",
                                    "Call prompts/list and use a name as listed.")  # fmt: skip
            missing = [a.name for a in prompt.arguments or [] if a.required and a.name not in (arguments or {})]
            if missing:
                takes = ", ".join(f"{a.name}{'' if a.required else ' (optional)'}" for a in prompt.arguments or [])
                raise InvalidInputError(f"Prompt {name} needs {', '.join(missing)}.", f"Its arguments: {takes}.")
        except LifestyleError as exc:
            raise MCPError(INVALID_PARAMS, exc.for_model()) from exc
        return await super().get_prompt(name, arguments, context)

    def add_tool(
        self,
        fn: Callable[..., Any],
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        annotations: ToolAnnotations | None = None,
        icons: list[Icon] | None = None,
        meta: dict[str, Any] | None = None,
        structured_output: bool | None = None,
    ) -> None:
        """The SDK's ``add_tool``, with a tool's schema and argument model built once per process: building them
        (``Tool.from_function``: a pydantic model of the signature and its JSON schema) took a server build 0.1–0.25 s
        for its eight to eleven tools, paid again by every server a process builds (one per test, per eval trial's
        suite, per user over HTTP). What they are made of is the function's code, its defaults and the module it
        resolves its annotations in; a later build of the same tool gets the same ``Tool`` with its own function."""
        inner = inspect.unwrap(fn)  # a decorated tool's signature is its wrapped function's (as the SDK reads it)
        code = getattr(inner, "__code__", None)
        key = (code, inner.__module__, fn.__name__, fn.__doc__, repr(getattr(inner, "__defaults__", None)),
               repr(getattr(inner, "__kwdefaults__", None)), name, title, description, structured_output)  # fmt: skip
        built = _BUILT_TOOLS.get(key) if code is not None else None
        if built is None:
            built = Tool.from_function(
                fn, name=name, title=title, description=description, structured_output=structured_output
            )
            if code is not None:  # a callable object or a partial has no code to know it by: built each time
                _BUILT_TOOLS[key] = built
        tool = built.model_copy(update={"fn": fn, "annotations": annotations, "icons": icons, "meta": meta})
        # The SDK's tool manager only builds tools from functions (its constructor alone takes built ones), so the
        # built tool goes where its own add_tool puts it, keeping the first of a name as that does.
        self._tool_manager._tools.setdefault(tool.name, tool)

    def _registered(self, name: str) -> Tool | None:
        """The SDK's registered tool ``name`` (its schema, metadata and ``run``), or None. The one reach into the
        SDK's private tool manager: ``MCPServer`` has no public way to look a tool up or to run one without
        converting its result, and this is the seam its own ``call_tool`` uses (checked against mcp 2.3.0;
        tests/test_portability.py and every tool test fail if it moves)."""
        return self._tool_manager.get_tool(name)

    def _enforced(self, name: str) -> dict[str, Any]:
        """The bounds a call to ``name`` is held to before it runs (``shared.kit.hygiene.enforced_schema``), from
        the tool's own schema through the SDK's tool manager, the seam ``_call_tool`` uses too."""
        cache: dict[str, dict[str, Any]] = self.__dict__.setdefault("_enforced_schemas", {})
        if name not in cache:
            tool = self._registered(name)
            if tool is None:
                raise NotFoundError(
                    f"There is no tool {shown(name)} on this server.",
                    "Call tools/list and use a tool name exactly as listed.",
                )
            cache[name] = enforced_schema(normalize_schema(tool.parameters, for_input=True))
        return cache[name]

    async def _call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None
    ) -> CallToolResult | InputRequiredResult:
        # The SDK's own conversion (MCPServer.call_tool) unless the tool returns exactly its output model.
        # Tool.run(convert_result=False) keeps the SDK's error wrapping.
        tool = self._registered(name)
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


INVALID_BUDGET = 600
"""Characters of argument problems one error lists; the rest are counted (a 1 MB list of bad values used to make
a 1 MB error)."""


def describe_invalid(tool: str, error: ValidationError, properties: dict[str, Any] | None = None) -> str:
    """Argument errors in a model's terms: which argument, what is wrong, what was sent (briefly); no links.

    A required argument left out was 'Field required (got {every other argument})': it now says so, with the values
    it takes when it takes a few (``properties``: the tool's input schema's), so the next call can be right."""
    lines: list[str] = []
    problems = error.errors(include_url=False)
    for item in problems:
        where = ".".join(map(brief_step, item["loc"])) or "arguments"
        msg = item["msg"] if len(item["msg"]) <= 200 else item["msg"][:199] + "…"
        line = f"{where}: {msg} (got {shown(item.get('input'))})"
        if item["type"] == "missing" and len(item["loc"]) == 1:
            enum = (properties or {}).get(str(item["loc"][0]), {}).get("enum")
            takes = f": one of {', '.join(repr(v) for v in enum)}" if enum else ""
            line = f"{where}: required, and not given{takes}"
        if lines and sum(map(len, lines)) + len(line) > INVALID_BUDGET:
            break
        lines.append(line)
    more = len(problems) - len(lines)
    rest = f"; and {more:,} more problem{'s' if more != 1 else ''}" if more else ""
    return (
        f"Invalid arguments for {tool}: " + "; ".join(lines) + rest + ". Nothing was changed. Fix these arguments "
        "and call again; the tool's input schema gives each argument's type, range and allowed values."
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
        self.app = None if settings.backend_url else LazyApp(app_factory, settings.vertical)
        self._live: list[C] = []

    def new_client(self) -> C:
        return self.client_cls(connect(self.settings, self.app), app=self.app, default_user=self.settings.user)

    @asynccontextmanager
    async def __call__(self, _server: Any) -> AsyncIterator[C]:
        client = self.new_client()
        self._live.append(client)
        warming = asyncio.create_task(self._warm()) if self.settings.warm_start and self.app is not None else None
        try:
            yield client
        finally:
            if warming is not None and not warming.done():
                warming.cancel()  # a build under way finishes in its thread first: nothing is left half-made
            self._live.remove(client)
            await client.aclose()

    async def _warm(self) -> None:
        """Build the provider now (``Settings.warm_start``). A build that fails is logged and left to the first
        call, which tries again and reports the cause to the model."""
        assert self.app is not None
        try:
            await self.app.ensure(warm=True)
        except LifestyleError as exc:
            log.warning("the provider could not be built at start (the first call will try again): %s", exc)

    def current(self) -> C | None:
        return self._live[-1] if self._live else None


def make_server(
    name: str,
    settings: Settings,
    lifespan: ClientLifespan[Any],
    instructions: str,
    extensions: Sequence[Extension] = (),
) -> LifestyleServer:
    """A vertical's server: its lifespan, its instructions, (for HTTP) bearer-token auth and its protocol extensions
    (the MCP Apps views of ``shared.kit.apps``)."""
    return LifestyleServer(
        name,
        version="2.0.0",
        instructions=instructions,
        lifespan=lifespan,
        log_level=settings.log_level,
        extensions=extensions,
        **auth_options(settings, lifespan.new_client),
    )
