"""The agents a run can score, all driving the same ``clients.chat.Agent`` loop through the real servers.

- ``chat``: a Qwen model behind an OpenAI-compatible endpoint (``OpenAIChat``), with its token use metered.
- ``oracle``: the task's own solution played as a model's turns, one tool call per turn, its ``$references``
  resolved against the results the loop sent back; a ``say`` ends the turn (a question for the person, or the
  final answer). It scores 100% by construction unless a task is broken, which is what it is for.
- ``noop``: answers at once and does nothing (must fail every task that needs an action).
- ``eager``: the oracle's calls without its questions, and it approves confirmations itself instead of asking the
  person (must fail every task whose solution needed the person's yes).

Playing scripts as models (rather than calling tools directly) keeps one code path: confirmations, elicitation,
transcripts and tool-call counting are exactly those a real model gets.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from clients.chat.llm import Message, ModelReply, OpenAIChat, ToolCall
from evals.model import Call, Say, Step, Task
from evals.refs import ReferenceError_, resolve

AgentKind = Literal["oracle", "chat", "noop", "eager"]
AGENTS: tuple[AgentKind, ...] = ("oracle", "chat", "noop", "eager")
NOOP_ANSWER = "Sorry, I can't help with that."


@dataclass
class Usage:
    """What the model side cost: completions asked for and tokens the endpoint reported."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class ScriptModel:
    """A list of steps played as a model: each call is one turn, each say ends a turn."""

    steps: Sequence[Step]
    label: str = "oracle"
    usage: Usage = field(default_factory=Usage)
    problems: list[str] = field(default_factory=list)
    _next: int = 0
    _saved: dict[str, Any] = field(default_factory=dict)
    _waiting: Call | None = None

    @property
    def name(self) -> str:
        return self.label

    async def complete(self, messages: Sequence[Message], tools: Sequence[Message]) -> ModelReply:
        self.usage.requests += 1
        if self._waiting is not None:
            self._take_result(self._waiting, messages)
            self._waiting = None
        while self._next < len(self.steps):
            step = self.steps[self._next]
            self._next += 1
            if isinstance(step, Say):
                return ModelReply(step.say, [], "none", step.say)
            try:
                args = resolve(step.args, self._saved)
            except ReferenceError_ as exc:
                self.problems.append(f"{step.call}: {exc}")
                continue
            self._waiting = step
            call = ToolCall(f"call_{self._next}", step.call, json.dumps(args, ensure_ascii=False))
            return ModelReply("", [call], "tool_calls", "")
        return ModelReply(NOOP_ANSWER, [], "none", NOOP_ANSWER)  # past the script (a mutated one): stop

    def _take_result(self, step: Call, messages: Sequence[Message]) -> None:
        text = str(messages[-1].get("content") or "") if messages and messages[-1].get("role") == "tool" else ""
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError:
            data = text
        failed = text.startswith("Error: ")
        if failed != step.error:
            said = "failed: " + text[:300] if failed else "succeeded but the task expects an error"
            self.problems.append(f"{step.call} {said}")
        self._saved["prev"] = data
        if step.save:
            self._saved[step.save] = data


def eager_steps(task: Task) -> list[Step]:
    """The oracle's calls in one turn, without its questions to the person: what an agent that never asks does."""
    return [s for s in task.oracle if isinstance(s, Call)] + [Say(say=task.answer)]


def script_model(kind: AgentKind, task: Task, steps: Sequence[Step] | None = None) -> ScriptModel:
    if kind == "noop":
        return ScriptModel([Say(say=NOOP_ANSWER)], "noop")
    if kind == "eager":
        return ScriptModel(eager_steps(task), "eager")
    return ScriptModel(list(steps if steps is not None else task.oracle), "oracle")


class MeteredChat(OpenAIChat):
    """``OpenAIChat`` that adds up the token use each completion reports."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.usage = Usage()
        create: Callable[..., Awaitable[Any]] = self._client.chat.completions.create

        async def counted(*args: Any, **kwargs: Any) -> Any:
            completion = await create(*args, **kwargs)
            self.usage.requests += 1
            usage = getattr(completion, "usage", None)
            if usage is not None:
                self.usage.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
                self.usage.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
            return completion

        # the one completion call OpenAIChat makes, wrapped: clients.chat keeps no usage of its own
        self._client.chat.completions.create = counted  # type: ignore[method-assign]
