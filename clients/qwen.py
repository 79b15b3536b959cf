"""Qwen-Agent plugin: the lifestyle suite's tools as Qwen-Agent tools for an ``Assistant``.

Qwen-Agent 0.0.34's own MCP layer (``{"mcpServers": …}`` in ``function_list``) imports names that mcp 2.x removed,
so it fails in the servers' environment. This plugin does not use it: it reaches the servers with the mcp 2.x
client (:class:`clients.suite.Suite`, on an event loop of its own in a background thread) and hands Qwen-Agent one
plain ``BaseTool`` per MCP tool:

- named as the server names it (``food_search_restaurants``, not ``food-food_search_restaurants``);
- described by the tool's description and its input schema exactly as the server advertises it;
- answering with the tool's JSON text; an error's text starts ``Error: `` (Qwen-Agent hands the model tool results
  as plain text, so the prefix is how the model tells an error from data; :meth:`LifestyleTools.call` also gives
  ``is_error`` and the structured result).

Money moves only after the user confirms: without ``ask`` the first call of a paying tool returns
``status: confirmation_required`` with a quote and a token, the model asks the person, and calls again with the
token once they said yes. With ``ask`` (a plain function: message and answer schema in, the answer or None out) the
servers put the question to the person directly.

Usage (``pip install 'lifestyle-mcp[qwen]'``)::

    from qwen_agent.agents import Assistant
    from clients.qwen import lifestyle_tools

    llm = {"model": "qwen3-8b", "model_type": "oai", "model_server": "http://127.0.0.1:8000/v1", "api_key": "EMPTY"}
    with lifestyle_tools(env={"LIFESTYLE_DATA_DIR": "/path/to/data"}) as tools:  # the four servers over stdio
        bot = Assistant(llm=llm, function_list=tools)
        *_, reply = bot.run([{"role": "user", "content": "How do I walk from home to Kiasma?"}])
        print(reply[-1]["content"])

Servers already running over streamable HTTP: ``lifestyle_tools(urls={"food": "http://127.0.0.1:8001/mcp", …},
token=USER_TOKEN)``. By default Qwen-Agent puts the tools in the system prompt and reads Hermes ``<tool_call>`` text
back, which works with any OpenAI-compatible endpoint. ``"generate_cfg": {"use_raw_api": True}`` in ``llm`` uses the
endpoint's native ``tools``/``tool_calls`` instead; Qwen-Agent 0.0.34 then sends tool results without
``tool_call_id`` (vLLM-style servers accept that, strict OpenAI-style ones refuse it). Qwen-Agent's ``Assistant``
makes a ``workspace/`` directory in the working directory (``QWEN_AGENT_DEFAULT_WORKSPACE`` moves it). Without a
model::

    from clients.qwen import LifestyleTools

    with LifestyleTools.stdio(env={"LIFESTYLE_DATA_DIR": "/path/to/data"}) as suite:
        reply = suite.call("food_list_addresses")
        print(reply.is_error, reply.text)
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from mcp.types import Tool

from clients.suite import ERROR_PREFIX, VERTICALS, Ask, Suite, ToolReply

try:
    import json5
    from qwen_agent.tools.base import BaseTool
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "The Qwen-Agent plugin needs Qwen-Agent: pip install 'lifestyle-mcp[qwen]'. "
        "(Only Qwen-Agent's own MCP manager is incompatible with mcp 2.x; this plugin does not use it.)"
    ) from exc

__all__ = ["Confirm", "LifestyleTool", "LifestyleTools", "lifestyle_tools"]

DEFAULT_TIMEOUT = 300.0

Confirm = Callable[[str, dict[str, Any]], dict[str, Any] | None]
"""Put a question (message, JSON schema of the answer) to the person: the answer, or None for no. Called in a
worker thread, so it may block (``input()``, a GUI dialog)."""


class LifestyleTool(BaseTool):
    """One MCP tool of the suite as a Qwen-Agent tool (synchronous, as Qwen-Agent calls tools)."""

    def __init__(self, owner: LifestyleTools, tool: Tool) -> None:
        self.name = tool.name
        self.description = tool.description or tool.title or tool.name
        super().__init__({"name_for_human": tool.title or tool.name})
        # Set after BaseTool.__init__: its check of a dict schema admits only the keys type/properties/required,
        # and the zero-argument tools also say additionalProperties: false. The model gets the schema unchanged.
        self.parameters = dict(tool.input_schema)
        self.mcp_tool = tool
        self._owner = owner

    def call(self, params: str | dict[str, Any], **kwargs: Any) -> str:
        """Qwen-Agent's entry point: the arguments as the model wrote them (a JSON object, as text or parsed);
        the tool's JSON text, or its error text starting ``Error: ``. Extra keyword arguments (``messages``,
        ``files``) are Qwen-Agent's and are ignored."""
        return self._owner.call(self.name, params).text


class LifestyleTools:
    """The suite's tools for Qwen-Agent, with the MCP connections kept on a background event loop.

    A context manager: entering connects to every server and lists the tools; leaving disconnects (and stops
    stdio subprocesses). ``tools()`` are the Qwen-Agent tools, ``call()`` calls one by name.
    """

    def __init__(self, suite: Suite, *, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        self.suite = suite
        self.timeout = timeout  # per call; Qwen-Agent itself waits forever
        self._tools: list[LifestyleTool] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._started = False

    # ----- where the servers are ----------------------------------------------------------------------
    @classmethod
    def stdio(
        cls,
        *,
        env: Mapping[str, str] | None = None,
        verticals: tuple[str, ...] = VERTICALS,
        ask: Confirm | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> LifestyleTools:
        """Each server as a subprocess of its console script, with ``env`` (data dir, user…) added."""
        return cls(Suite.stdio(env=env, verticals=verticals, ask=_in_thread(ask)), timeout=timeout)

    @classmethod
    def http(
        cls, urls: Mapping[str, str], token: str, *, ask: Confirm | None = None, timeout: float | None = DEFAULT_TIMEOUT
    ) -> LifestyleTools:
        """Each server at its streamable HTTP URL (name → URL), acting for the user whose bearer token this is."""
        return cls(Suite.http(urls, token, ask=_in_thread(ask)), timeout=timeout)

    @classmethod
    def servers(
        cls, targets: Mapping[str, Any], *, ask: Confirm | None = None, timeout: float | None = DEFAULT_TIMEOUT
    ) -> LifestyleTools:
        """Any targets ``mcp.Client`` accepts, by server name (server objects in process, transports, URLs)."""
        return cls(Suite(targets, ask=_in_thread(ask)), timeout=timeout)

    # ----- lifecycle -----------------------------------------------------------------------------------
    def __enter__(self) -> LifestyleTools:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        """Connect to every server and list the tools (returns once they are listed, or raises why not)."""
        if self._started:
            raise RuntimeError("a LifestyleTools connects once: make a new one to connect again")
        self._started = True
        ready = threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._run(ready),), name="lifestyle-tools")
        self._thread.daemon = True
        self._thread.start()
        ready.wait()
        if self._loop is None:  # the suite did not connect
            self._thread.join()
            failure, self._failure, self._thread = self._failure, None, None
            raise RuntimeError(f"could not connect to the lifestyle servers: {_describe(failure)}") from failure
        self._tools = [LifestyleTool(self, tool) for tool in self.suite.tools]

    def close(self) -> None:
        """Disconnect from every server; raises what went wrong while disconnecting, if anything did."""
        loop, stop, thread = self._loop, self._stop, self._thread
        self._loop = None
        if thread is None:
            return
        if loop is not None and stop is not None:
            loop.call_soon_threadsafe(stop.set)
        thread.join()
        self._thread = None
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    async def _run(self, ready: threading.Event) -> None:
        """The background thread's whole life: one task enters the suite, waits for ``close``, leaves it (the
        MCP clients' task groups must be entered and left by the same task)."""
        self._stop = asyncio.Event()
        try:
            async with self.suite:
                self._loop = asyncio.get_running_loop()
                ready.set()
                await self._stop.wait()
        except BaseException as exc:  # reported by start() or close(), in the caller's thread
            self._failure = exc
        finally:
            ready.set()

    # ----- the tools -----------------------------------------------------------------------------------
    def tools(self) -> list[LifestyleTool]:
        """One Qwen-Agent tool per MCP tool of the suite, for ``Assistant(function_list=…)``."""
        if self._loop is None:
            raise RuntimeError("LifestyleTools is not started: use it in a with block")
        return list(self._tools)

    def call(self, name: str, params: str | Mapping[str, Any] | None = None) -> ToolReply:
        """Call a tool by name and wait for its reply (text, is_error, structured data). ``params`` is a JSON
        object as text (as models write it; JSON5 laxness such as single quotes is forgiven) or a mapping."""
        loop = self._loop
        if loop is None:
            raise RuntimeError("LifestyleTools is not started: use it in a with block")
        coro = self.suite.call(name, _arguments(params))
        try:
            future = asyncio.run_coroutine_threadsafe(coro, loop)
        except RuntimeError:  # the loop has ended: the connection broke
            coro.close()
            text = f"the connection to the servers is lost ({_describe(self._failure)}). Nothing was called."
            return ToolReply(name, ERROR_PREFIX + text, True)
        try:
            return future.result(self.timeout)
        except TimeoutError:
            future.cancel()
            text = (
                f"{name} did not answer within {self.timeout:g} s. It may still take effect: check (for example by "
                "listing orders) before calling it again."
            )
        except Exception as exc:  # the connection, not the tool: a tool's own errors come back as replies
            text = (
                f"calling {name} failed ({type(exc).__name__}: {exc}). The server may have stopped; whether the call "
                "took effect is unknown."
            )
        return ToolReply(name, ERROR_PREFIX + text, True)


@contextmanager
def lifestyle_tools(
    *,
    env: Mapping[str, str] | None = None,
    urls: Mapping[str, str] | None = None,
    token: str = "",
    verticals: tuple[str, ...] = VERTICALS,
    ask: Confirm | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Iterator[list[LifestyleTool]]:
    """The suite's Qwen-Agent tools while the block runs: over streamable HTTP when ``urls`` are given (with the
    user's ``token``), else each server in ``verticals`` as a stdio subprocess with ``env`` added."""
    if urls is not None:
        suite = LifestyleTools.http(urls, token, ask=ask, timeout=timeout)
    else:
        suite = LifestyleTools.stdio(env=env, verticals=verticals, ask=ask, timeout=timeout)
    with suite:
        yield suite.tools()


def _arguments(params: str | Mapping[str, Any] | None) -> str | Mapping[str, Any] | None:
    """Arguments as the suite takes them: text that is not strict JSON but is JSON5 is parsed here; anything
    else goes on as it came, so the suite's error says what is wrong with it."""
    if isinstance(params, str) and params.strip():
        try:
            json.loads(params)
        except json.JSONDecodeError:
            try:
                parsed = json5.loads(params)
            except ValueError:
                return params
            return parsed if isinstance(parsed, dict) else params
    return params


def _describe(exc: BaseException | None) -> str:
    """What went wrong, with task-group wrappers taken off: ``ConnectError: All connection attempts failed``."""
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(_describe(inner) for inner in exc.exceptions)
    return f"{type(exc).__name__}: {exc}" if exc is not None else "unknown"


def _in_thread(ask: Confirm | None) -> Ask | None:
    """A blocking question function as the suite's asynchronous one, run in a worker thread."""
    if ask is None:
        return None
    confirm = ask

    async def asked(message: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        return await asyncio.to_thread(confirm, message, schema)

    return asked
