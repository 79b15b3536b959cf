"""A scripted OpenAI-compatible chat endpoint on 127.0.0.1: the model in tests of clients that drive one.

``POST /v1/chat/completions`` answers from a list of turns, one per request, in order. A turn is a plain assistant
message (``say``), one or more tool calls (``call``), or a function of the request that returns one (so a turn can
read the tool results the client sent back and act on them, as a model would). Tool calls go out as OpenAI
``tool_calls`` (``style="openai"``) or as Hermes ``<tool_call>{…}</tool_call>`` text in the content
(``style="hermes"``, what Qwen models emit when a client puts the tools in the prompt). Both ``stream: false`` and
``stream: true`` (server-sent chunks, content and arguments split over several) are answered.

Every request is recorded (``requests``) so tests can check what reached the model: the tools offered, the tool
results sent back. A request past the end of the script, or a turn function that raises, is answered with HTTP 400
(which OpenAI clients do not retry) and recorded in ``errors``.

    llm = ScriptedLLM([call("food_list_addresses"), lambda req: say(req.last_tool_result())])
    with llm.serve() as base_url:  # http://127.0.0.1:PORT/v1
        ...
    llm.assert_done()
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request as HttpRequest
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.conftest import serve_in_thread

Style = Literal["openai", "hermes"]
_TOOL_RESPONSE = re.compile(r"<tool_response>\s*(.*?)\s*</tool_response>", re.DOTALL)


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Turn:
    """One scripted assistant reply: text, tool calls, or both (text first)."""

    content: str = ""
    tool_calls: tuple[ToolCall, ...] = ()


def say(text: str) -> Turn:
    return Turn(content=text)


def call(name: str, arguments: dict[str, Any] | None = None, *, thought: str = "") -> Turn:
    """One tool call, optionally preceded by some text."""
    return Turn(content=thought, tool_calls=(ToolCall(name, arguments or {}),))


def calls(*tool_calls: ToolCall) -> Turn:
    """Several tool calls in one reply (parallel calls)."""
    return Turn(tool_calls=tool_calls)


@dataclass
class Request:
    """One chat completion request as the endpoint received it."""

    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages") or [])

    @property
    def tools(self) -> list[dict[str, Any]]:
        """The OpenAI ``tools`` functions offered (empty when the client put them in the prompt instead)."""
        return [t.get("function", t) for t in self.body.get("tools") or []]

    @property
    def system(self) -> str:
        return "\n".join(text_of(m) for m in self.messages if m.get("role") == "system")

    def tool_results(self) -> list[str]:
        """Every tool result in the conversation, oldest first: ``tool``/``function`` messages and Hermes
        ``<tool_response>`` blocks in user messages."""
        found: list[str] = []
        for message in self.messages:
            role = message.get("role")
            if role in ("tool", "function"):
                found.append(text_of(message))
            elif role == "user":
                found += _TOOL_RESPONSE.findall(text_of(message))
        return found

    def last_tool_result(self) -> str:
        results = self.tool_results()
        assert results, "no tool result reached the model"
        return results[-1]

    def last_user(self) -> str:
        """The text of the latest user message (in Hermes style, tool results are user messages too)."""
        users = [text_of(m) for m in self.messages if m.get("role") == "user"]
        assert users, "no user message"
        return users[-1]


Script = Turn | Callable[[Request], Turn]


def text_of(message: dict[str, Any]) -> str:
    """A message's content as text, whether a string or a list of parts."""
    content = message.get("content")
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(part.get("text") or "" for part in content if isinstance(part, dict))


class ScriptedLLM:
    """A chat completions endpoint that replies from a script and records what it was sent."""

    def __init__(self, script: Iterable[Script], *, style: Style = "openai", model: str = "qwen-test") -> None:
        self.script = list(script)
        self.style = style
        self.model = model
        self.requests: list[Request] = []
        self.errors: list[str] = []
        self._lock = threading.Lock()

    # ----- serving -------------------------------------------------------------------------------------
    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/chat/completions", self._completions, methods=["POST"]),
                Route("/v1/models", self._models, methods=["GET"]),
            ]
        )

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Serve on a free port of 127.0.0.1 while the block runs; yields the base URL (``…/v1``)."""
        with serve_in_thread(self.app) as url:
            yield f"{url}/v1"

    def assert_done(self) -> None:
        """Every turn was asked for, and nothing went wrong."""
        assert not self.errors, self.errors
        assert len(self.requests) == len(self.script), f"{len(self.requests)} requests for {len(self.script)} turns"

    # ----- answering -----------------------------------------------------------------------------------
    async def _models(self, _request: HttpRequest) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": self.model, "object": "model", "owned_by": "test"}]})

    async def _completions(self, http: HttpRequest) -> Response:
        body = await http.json()
        request = Request(body)
        with self._lock:
            index = len(self.requests)
            self.requests.append(request)
        try:
            if index >= len(self.script):
                raise AssertionError(f"request {index + 1} but the script has {len(self.script)} turns")
            step = self.script[index]
            turn = step(request) if callable(step) else step
        except Exception as exc:
            problem = f"turn {index + 1}: {type(exc).__name__}: {exc}"
            self.errors.append(problem)
            return JSONResponse({"error": {"message": problem, "type": "invalid_request_error"}}, status_code=400)
        completion_id = f"chatcmpl-{index + 1}"
        if body.get("stream"):
            return StreamingResponse(self._chunks(turn, completion_id), media_type="text/event-stream")
        return JSONResponse(self._completion(turn, completion_id))

    def _content(self, turn: Turn) -> str:
        if self.style == "openai" or not turn.tool_calls:
            return turn.content
        blocks = [
            "<tool_call>\n"
            + json.dumps({"name": c.name, "arguments": c.arguments}, ensure_ascii=False)
            + "\n</tool_call>"
            for c in turn.tool_calls
        ]
        return "\n".join([turn.content, *blocks] if turn.content else blocks)

    def _openai_calls(self, turn: Turn) -> Sequence[ToolCall]:
        return turn.tool_calls if self.style == "openai" else ()

    def _finish(self, turn: Turn) -> str:
        return "tool_calls" if self._openai_calls(turn) else "stop"

    def _completion(self, turn: Turn, completion_id: str) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": self._content(turn) or None}
        if tool_calls := self._openai_calls(turn):
            message["tool_calls"] = [
                {
                    "id": f"call_{completion_id}_{i}",
                    "type": "function",
                    "function": {"name": c.name, "arguments": json.dumps(c.arguments, ensure_ascii=False)},
                }
                for i, c in enumerate(tool_calls)
            ]
        return {
            "id": completion_id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": self._finish(turn)}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    async def _chunks(self, turn: Turn, completion_id: str) -> AsyncIterator[str]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            body = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": self.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        for piece in _pieces(self._content(turn)):
            yield chunk({"content": piece})
        for i, c in enumerate(self._openai_calls(turn)):
            head = {
                "id": f"call_{completion_id}_{i}",
                "type": "function",
                "function": {"name": c.name, "arguments": ""},
            }
            yield chunk({"tool_calls": [{"index": i, **head}]})
            for piece in _pieces(json.dumps(c.arguments, ensure_ascii=False)):
                yield chunk({"tool_calls": [{"index": i, "function": {"arguments": piece}}]})
        yield chunk({}, self._finish(turn))
        yield "data: [DONE]\n\n"


def _pieces(text: str, size: int = 24) -> list[str]:
    """Text split as a streaming model sends it, a few tokens per chunk."""
    return [text[i : i + size] for i in range(0, len(text), size)]
