"""The model side: one chat completion from any OpenAI-compatible endpoint serving a Qwen model, with its tool calls
read in whichever style the endpoint emits them.

Endpoints hand back a Qwen model's tool calls in one of two ways (``shared/reference/clients.md`` §2.2):

- **OpenAI ``tool_calls``**, when the server parses them (DashScope compatible mode, vLLM with
  ``--enable-auto-tool-choice --tool-call-parser hermes``, Ollama, llama.cpp ``--jinja``);
- **text in the content**, when it does not: Hermes ``<tool_call>{"name": …, "arguments": {…}}</tool_call>``
  blocks (Qwen2.5/Qwen3), or the XML form ``<tool_call><function=NAME><parameter=P>V</parameter></function>
  </tool_call>`` (Qwen3-Coder/Qwen3.5), whose values are converted by the property's type in the tool's schema.

Both become ``ToolCall`` values. The history sent back is the same whichever style came in: the assistant turn
with ``tool_calls`` and one ``tool`` message per result, which the Qwen chat template renders as the
``<tool_call>``/``<tool_response>`` text the model was trained on. An endpoint that refuses ``tool`` messages can
have text-style calls answered in the model's own form instead (``text_results="user"``: the assistant's text
unchanged and the results as ``<tool_response>`` blocks in a user turn).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, cast

import openai
from mcp.types import Tool

from clients.suite import ToolReply

Message = dict[str, Any]
Style = Literal["tool_calls", "text", "none"]
TextResults = Literal["tool", "user"]

_TOOL_CALL = re.compile(r"<tool_call>(.*?)(?:</tool_call>|\Z)", re.S)
_FUNCTION = re.compile(r"<function=([^>\s]+)\s*>(.*?)(?:</function>|\Z)", re.S)
_PARAMETER = re.compile(r"<parameter=([^>\s]+)\s*>(.*?)(?:</parameter>|(?=<parameter=)|\Z)", re.S)
_NAME = re.compile(r'"name"\s*:\s*"([^"]+)"')
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.S)


class ModelError(Exception):
    """The endpoint could not be reached or refused the request; the message says which and why."""


@dataclass(frozen=True)
class ToolCall:
    """One call the model asked for: its arguments as the JSON object text it wrote, or why it could not be read."""

    id: str
    name: str
    arguments: str = "{}"
    problem: str = ""

    def parsed(self) -> dict[str, Any] | None:
        """The arguments as an object, or None when they are not a JSON object."""
        try:
            value = json.loads(self.arguments) if self.arguments.strip() else {}
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class ModelReply:
    """One assistant turn: what it says to the person and the tools it calls."""

    text: str  # for the person: tool-call blocks and <think> reasoning removed
    calls: list[ToolCall] = field(default_factory=list)
    style: Style = "none"  # how the calls came: native tool_calls, text in the content, or no calls
    content: str = ""  # the content as the endpoint returned it (reasoning removed)


class ChatModel(Protocol):
    """What the agent needs from a model: a name for the transcript and one completion at a time."""

    @property
    def name(self) -> str: ...

    async def complete(self, messages: Sequence[Message], tools: Sequence[Message]) -> ModelReply: ...


# ----- tools as OpenAI function tools ------------------------------------------------------------------------------
def function_tools(tools: Sequence[Tool]) -> list[Message]:
    """The suite's MCP tools as OpenAI function tools, input schemas passed whole (Qwen templates render them as
    JSON, so nothing needs flattening)."""
    return [
        {
            "type": "function",
            "function": {
                "name": tool.name,
                "description": tool.description or tool.title or tool.name,
                "parameters": dict(tool.input_schema) or {"type": "object", "properties": {}},
            },
        }
        for tool in tools
    ]


def _schemas(tools: Sequence[Message]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for tool in tools:
        function = tool.get("function") or {}
        if isinstance(function, Mapping) and isinstance(function.get("name"), str):
            found[function["name"]] = dict(function.get("parameters") or {})
    return found


# ----- reading a reply ---------------------------------------------------------------------------------------------
def strip_reasoning(content: str) -> str:
    """Drop Qwen3's ``<think>…</think>`` (also when the opening tag was in the prompt and only the end is returned)."""
    if "</think>" in content:
        content = content.rsplit("</think>", 1)[1]
    elif content.lstrip().startswith("<think>"):  # cut off while thinking: nothing for the person
        content = ""
    return content.strip()


def _types(schema: Mapping[str, Any]) -> set[str]:
    """The JSON types a property allows: its ``type`` (one or a list) and those of its ``anyOf``/``oneOf``."""
    found: set[str] = set()
    declared = schema.get("type")
    found.update([declared] if isinstance(declared, str) else declared if isinstance(declared, list) else [])
    for option in [*(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]:
        if isinstance(option, Mapping):
            found |= _types(option)
    return found


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "null": (type(None),),
}  # fmt: skip


def _xml_value(raw: str, schema: Mapping[str, Any]) -> Any:
    """A Qwen3-Coder parameter value, converted by the property's declared types: text stays text where a string
    is allowed (``0042`` for a string is not 42), other values are read as JSON."""
    value = raw.removeprefix("\n").removesuffix("\n")
    allowed = _types(schema)
    if "string" in allowed and allowed <= {"string", "null"}:
        return value
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return value
    fits = any(isinstance(parsed, _JSON_TYPES.get(t, ())) for t in allowed)
    return value if "string" in allowed and not fits else parsed


def _text_call(index: int, body: str, schemas: Mapping[str, dict[str, Any]]) -> ToolCall:
    call_id = f"call_{index}"
    body = body.strip()
    function = _FUNCTION.search(body)
    if function is not None:  # Qwen3-Coder XML
        name = function.group(1)
        props = schemas.get(name, {}).get("properties") or {}
        values = {p: _xml_value(v, props.get(p) or {}) for p, v in _PARAMETER.findall(function.group(2))}
        return ToolCall(call_id, name, json.dumps(values, ensure_ascii=False))
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1)
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        meant = _NAME.search(body)  # say which tool it was, for the transcript and the model
        return ToolCall(call_id, meant.group(1) if meant else "", body, problem=f"the call is not JSON ({exc.msg})")
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return ToolCall(call_id, "", body, problem='the call has no "name"')
    args = data.get("arguments", data.get("parameters", {}))
    if isinstance(args, str):  # some models double-encode
        return ToolCall(call_id, data["name"], args)
    return ToolCall(call_id, data["name"], json.dumps(args, ensure_ascii=False))


def parse_text_calls(content: str, tools: Sequence[Message] = ()) -> tuple[str, list[ToolCall]]:
    """Tool calls written in the content (Hermes JSON or Qwen3-Coder XML in ``<tool_call>`` blocks, or a bare
    ``{"name": <a known tool>, "arguments": …}`` object as the whole reply); returns the remaining text and the
    calls."""
    schemas = _schemas(tools)
    blocks = _TOOL_CALL.findall(content)
    if blocks:
        text = _TOOL_CALL.sub("", content).strip()
        return text, [_text_call(i, body, schemas) for i, body in enumerate(blocks, 1)]
    stripped = content.strip()
    fenced = _FENCE.match(stripped)
    candidate = fenced.group(1) if fenced else stripped
    if candidate.startswith("{") and '"name"' in candidate:
        try:
            data = json.loads(candidate)
        except json.JSONDecodeError:
            return content.strip(), []
        if isinstance(data, dict) and data.get("name") in schemas and ("arguments" in data or "parameters" in data):
            return "", [_text_call(1, candidate, schemas)]
    return content.strip(), []


def read_reply(message: Any, tools: Sequence[Message] = ()) -> ModelReply:
    """A reply from an OpenAI-compatible ``choices[0].message``: native ``tool_calls`` first, else calls in the
    text."""
    content = strip_reasoning(getattr(message, "content", None) or "")
    native = getattr(message, "tool_calls", None) or []
    calls: list[ToolCall] = []
    for i, raw in enumerate(native, 1):
        function = getattr(raw, "function", None)
        if function is None:  # a non-function (custom) tool call: nothing of ours
            continue
        args = function.arguments if isinstance(function.arguments, str) else json.dumps(function.arguments)
        calls.append(ToolCall(getattr(raw, "id", "") or f"call_{i}", function.name or "", args or "{}"))
    if calls:
        text, _ = parse_text_calls(content, tools)
        return ModelReply(text, calls, "tool_calls", content)
    text, calls = parse_text_calls(content, tools)
    return ModelReply(text, calls, "text" if calls else "none", content)


# ----- writing the history -----------------------------------------------------------------------------------------
def _history_arguments(call: ToolCall) -> str:
    """Arguments as the history carries them: valid JSON always (DashScope rejects a history with broken JSON)."""
    parsed = call.parsed()
    return json.dumps(parsed, ensure_ascii=False) if parsed is not None else "{}"


def assistant_message(reply: ModelReply, text_results: TextResults = "tool") -> Message:
    if not reply.calls:
        return {"role": "assistant", "content": reply.text}
    if reply.style == "text" and text_results == "user":
        return {"role": "assistant", "content": reply.content}
    calls = [
        {"id": c.id, "type": "function", "function": {"name": c.name or "invalid", "arguments": _history_arguments(c)}}
        for c in reply.calls
    ]
    return {"role": "assistant", "content": reply.text or None, "tool_calls": calls}


def result_messages(
    reply: ModelReply, results: Sequence[ToolReply], text_results: TextResults = "tool"
) -> list[Message]:
    """The tool results for the next request: ``tool`` messages, or one ``<tool_response>`` user turn when the calls
    came as text and the endpoint wants them answered so."""
    if reply.style == "text" and text_results == "user":
        body = "\n".join(f"<tool_response>\n{r.text}\n</tool_response>" for r in results)
        return [{"role": "user", "content": body}]
    return [
        {"role": "tool", "tool_call_id": call.id, "content": result.text}
        for call, result in zip(reply.calls, results, strict=True)
    ]


# ----- the endpoint ------------------------------------------------------------------------------------------------
class OpenAIChat:
    """A Qwen model behind an OpenAI-compatible ``/v1/chat/completions`` (DashScope, vLLM, Ollama, llama.cpp…)."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str = "",
        timeout: float = 120.0,
        temperature: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> None:
        self.model = model
        self.base_url = base_url
        self.temperature = temperature
        self.extra_body = dict(extra_body or {})
        # local servers need no key, but the client insists on one
        self._client = openai.AsyncOpenAI(base_url=base_url, api_key=api_key or "none", timeout=timeout, max_retries=1)

    @property
    def name(self) -> str:
        return self.model

    async def complete(self, messages: Sequence[Message], tools: Sequence[Message]) -> ModelReply:
        options: dict[str, Any] = {}
        if tools:
            options["tools"] = list(tools)
        if self.temperature is not None:
            options["temperature"] = self.temperature
        if self.extra_body:
            options["extra_body"] = self.extra_body
        try:
            completion = await self._client.chat.completions.create(
                model=self.model, messages=cast(Any, list(messages)), **options
            )
        except openai.APIStatusError as exc:
            raise ModelError(f"the model endpoint {self.base_url} answered {exc.status_code}: {exc.message}") from exc
        except openai.APIConnectionError as exc:  # "Connection error." alone said nothing of what to do
            raise ModelError(
                f"the model endpoint {self.base_url} could not be reached ({exc.message}): start an OpenAI-compatible "
                "server there (e.g. `ollama serve` after `ollama pull qwen3`), or name one with --base-url and "
                "--model (or LIFESTYLE_LLM_BASE_URL, LIFESTYLE_LLM_MODEL)"
            ) from exc
        except openai.APIError as exc:
            raise ModelError(f"the model endpoint {self.base_url} failed: {exc.message}") from exc
        if not completion.choices:
            raise ModelError(f"the model endpoint {self.base_url} returned no choices")
        return read_reply(completion.choices[0].message, tools)

    async def aclose(self) -> None:
        await self._client.close()
