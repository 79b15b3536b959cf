"""A scripted Qwen behind an OpenAI-compatible endpoint, for the chat agent's tests.

``POST /v1/chat/completions`` on 127.0.0.1 (real uvicorn) answers each request with the next move of a script: a
generator function of the prompt that yields the model's moves (a list of ``Call``s, or ``Say`` to answer) and is
sent back the results of its calls, read from the request the agent made (its ``tool`` messages, or the
``<tool_response>`` blocks of a user turn). So a script decides its next call from what the servers really
returned, as a model would:

    def script(prompt):
        [shows] = yield [Call("movies_find_showtimes", {"date": "today"})]
        [hold] = yield [Call("movies_hold_seats", {"showtime_id": shows.data["showtimes"][0]["id"], "quantity": 2})]
        yield Say("Held.")

Calls go out in the style a Qwen endpoint uses: OpenAI ``tool_calls`` (``"tool_calls"``), Hermes
``<tool_call>{json}</tool_call>`` text in the content after a ``<think>`` block (``"hermes"``), or Qwen3-Coder
XML ``<tool_call><function=…><parameter=…>`` text (``"xml"``). Like a real endpoint it refuses (HTTP 400) a
request whose tool results do not answer the previous turn's ``tool_call_id``s, or that offers no tools. Every
request is recorded with its headers; a failing script answers 400 and its error is kept in ``errors``.
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.conftest import serve_in_thread

Style = Literal["tool_calls", "hermes", "xml"]
_RESPONSE = re.compile(r"<tool_response>\s*(.*?)\s*</tool_response>", re.S)


@dataclass(frozen=True)
class Call:
    """A tool call; ``arguments`` as text is written as is (to send a broken call)."""

    name: str
    arguments: dict[str, Any] | str = field(default_factory=dict)


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class Result:
    """One tool result as the agent sent it back."""

    text: str

    @property
    def is_error(self) -> bool:
        return self.text.startswith("Error: ")

    @property
    def data(self) -> dict[str, Any]:
        assert not self.is_error, self.text
        value = json.loads(self.text)
        assert isinstance(value, dict), self.text
        return value


Move = list[Call] | Say
Script = Callable[[str], Generator[Move, list[Result], None]]


@dataclass
class ChatLLM:
    script: Script
    style: Style = "tool_calls"
    model: str = "qwen-scripted"
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _moves: Generator[Move, list[Result], None] | None = None
    _issued: list[str] = field(default_factory=list)  # tool_call ids of the last turn
    _count: int = 0

    # ----- serving -------------------------------------------------------------------------------------
    @contextmanager
    def serve(self) -> Iterator[str]:
        """Run the endpoint; yields its base URL (``http://127.0.0.1:PORT/v1``)."""
        app = Starlette(routes=[Route("/v1/chat/completions", self._completions, methods=["POST"])])
        with serve_in_thread(app) as url:
            yield f"{url}/v1"

    async def _completions(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        try:
            move = self._next(body)
        except Exception:
            self.errors.append(traceback.format_exc())
            return JSONResponse({"error": {"message": self.errors[-1], "type": "invalid_request_error"}}, 400)
        return JSONResponse(self._completion(move))

    def _next(self, body: dict[str, Any]) -> Move:
        messages = body["messages"]
        assert body.get("tools"), "the request offers no tools"
        if self._moves is None:
            prompt = next(m["content"] for m in messages if m["role"] == "user")
            self._moves = self.script(prompt)
            return next(self._moves)
        return self._moves.send(self._results(messages))

    def _results(self, messages: list[dict[str, Any]]) -> list[Result]:
        """The results after the last assistant turn, checked against the calls it made."""
        last = max(i for i, m in enumerate(messages) if m["role"] == "assistant")
        tail = messages[last + 1 :]
        if tail and tail[0]["role"] == "user" and "<tool_response>" in (tail[0]["content"] or ""):
            return [Result(t) for t in _RESPONSE.findall(tail[0]["content"])]
        answered = [m["tool_call_id"] for m in tail if m["role"] == "tool"]
        assert answered == self._issued, f"tool results {answered} do not answer the calls {self._issued}"
        calls = messages[last].get("tool_calls") or []
        assert [c["id"] for c in calls] == self._issued, "the assistant turn in the history is not the one sent"
        for c in calls:
            json.loads(c["function"]["arguments"])  # history arguments must be JSON (DashScope insists)
        return [Result(m["content"]) for m in tail if m["role"] == "tool"]

    # ----- answering -----------------------------------------------------------------------------------
    def _completion(self, move: Move) -> dict[str, Any]:
        self._count += 1
        message: dict[str, Any] = {"role": "assistant", "content": None}
        finish = "stop"
        self._issued = []
        if isinstance(move, Say):
            message["content"] = move.text
        elif self.style == "tool_calls":
            self._issued = [f"call_{self._count}_{i}" for i in range(len(move))]
            message["tool_calls"] = [
                {"id": cid, "type": "function", "function": {"name": c.name, "arguments": _args_text(c)}}
                for cid, c in zip(self._issued, move, strict=True)
            ]
            finish = "tool_calls"
        else:
            blocks = [_hermes(c) if self.style == "hermes" else _xml(c) for c in move]
            message["content"] = "<think>\nThe person wants this done; next step.\n</think>\n\n" + "\n".join(blocks)
            # the agent names text calls call_1, call_2… in the history it sends back
            self._issued = [f"call_{i}" for i in range(1, len(move) + 1)]
        return {
            "id": f"chatcmpl-{self._count}",
            "object": "chat.completion",
            "created": 1_780_000_000,
            "model": self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }

    def assert_done(self) -> None:
        """The script ran to its answer without failing."""
        assert not self.errors, self.errors[0]


def _args_text(call: Call) -> str:
    return call.arguments if isinstance(call.arguments, str) else json.dumps(call.arguments, ensure_ascii=False)


def _hermes(call: Call) -> str:
    if isinstance(call.arguments, str):  # broken on purpose
        return f'<tool_call>\n{{"name": "{call.name}", "arguments": {call.arguments}}}\n</tool_call>'
    body = json.dumps({"name": call.name, "arguments": call.arguments}, ensure_ascii=False)
    return f"<tool_call>\n{body}\n</tool_call>"


def _xml(call: Call) -> str:
    assert isinstance(call.arguments, dict)
    params = "".join(
        f"<parameter={k}>\n{v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}\n</parameter>\n"
        for k, v in call.arguments.items()
    )
    return f"<tool_call>\n<function={call.name}>\n{params}</function>\n</tool_call>"
