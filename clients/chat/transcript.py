"""What happened in one task, in order: the person's prompt, each model turn, each tool call with its result, each
question put to the person, and the answer; as readable text or as JSON for machines."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

Stopped = Literal["answered", "max_steps", "error", "running"]
By = Literal["model", "agent"]
Via = Literal["server", "agent"]


@dataclass
class UserTurn:
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"type": "user", "text": self.text}


@dataclass
class CallShown:
    """A tool call as the model wrote it."""

    id: str
    name: str
    arguments: dict[str, Any] | str  # the object, or the text when it was not one

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "arguments": self.arguments}


@dataclass
class ModelTurn:
    text: str
    calls: list[CallShown]
    style: str  # tool_calls, text or none

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "assistant",
            "text": self.text,
            "style": self.style,
            "tool_calls": [c.to_json() for c in self.calls],
        }


@dataclass
class ToolRun:
    """One tool call and what came back. ``by`` is who made it: the model, or the agent passing on a token the
    person approved. ``refused``: the agent did not send it (the result says why)."""

    id: str
    name: str
    arguments: dict[str, Any] | str
    by: By = "model"
    text: str = ""
    is_error: bool = False
    data: dict[str, Any] | None = None
    refused: bool = False
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The result as ``data`` (its structured JSON), or as ``text`` when it has none (errors, plain text)."""
        out: dict[str, Any] = {
            "type": "tool", "id": self.id, "name": self.name, "arguments": self.arguments, "by": self.by,
            "is_error": self.is_error, "refused": self.refused, "seconds": round(self.seconds, 3),
        }  # fmt: skip
        if self.data is not None and not self.is_error:
            out["data"] = self.data
        else:
            out["text"] = self.text
        return out

    @property
    def mark(self) -> str:
        """ok, error, refused (not sent), or needs confirmation (a quote waiting for the person's yes)."""
        if self.refused:
            return "refused"
        if self.is_error:
            return "error"
        if isinstance(self.data, dict) and self.data.get("status") == "confirmation_required":
            return "needs confirmation"
        return "ok"

    def summary(self, width: int = 200) -> str:
        """One line for people: the error, the result's own message, or its fields in short."""
        if self.is_error or not isinstance(self.data, dict):
            return _clip(self.text, width)
        if isinstance(self.data.get("message"), str):
            return _clip(self.data["message"], width)
        return _clip(describe(self.data) or self.text, width)


@dataclass
class Question:
    """Something put to the person: a confirmation before money moves (asked by a server, or by the agent when
    the server could not ask), or another question a server asked."""

    message: str
    via: Via
    consent: bool
    answer: dict[str, Any] | None = None
    approved: bool | None = None  # for a consent: yes or no

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "question", "message": self.message, "via": self.via, "consent": self.consent,
            "answer": self.answer, "approved": self.approved,
        }  # fmt: skip


Event = UserTurn | ModelTurn | ToolRun | Question


@dataclass
class Transcript:
    """One task from prompt to answer."""

    prompt: str
    model: str
    events: list[Event] = field(default_factory=list)
    answer: str = ""
    stopped: Stopped = "running"
    steps: int = 0  # model turns
    error: str = ""

    @property
    def tool_runs(self) -> list[ToolRun]:
        return [e for e in self.events if isinstance(e, ToolRun)]

    @property
    def questions(self) -> list[Question]:
        return [e for e in self.events if isinstance(e, Question)]

    def to_json(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt, "model": self.model, "answer": self.answer, "stopped": self.stopped,
            "steps": self.steps, "error": self.error, "events": [e.to_json() for e in self.events],
        }  # fmt: skip

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)

    def text(self) -> str:
        """The task for people to read."""
        lines = render(self.events)
        if self.stopped == "max_steps":
            lines.append(f"(stopped after {self.steps} model turns without an answer)")
        elif self.stopped == "error":
            lines.append(f"(stopped: {self.error})")
        return "\n".join(lines)


def call_line(name: str, arguments: dict[str, Any] | str, width: int = 160) -> str:
    """``name(a='x', b=2)`` on one line."""
    if isinstance(arguments, dict):
        inner = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items())
    else:
        inner = arguments
    return f"{name}({_clip(inner, width)})"


def describe(data: dict[str, Any]) -> str:
    """A result's fields in short: scalars as ``key=value``, lists as counts (``10 showtimes``)."""
    if len(data) == 1 and isinstance(next(iter(data.values())), dict):
        return describe(next(iter(data.values())))
    parts: list[str] = []
    for key, value in data.items():
        if isinstance(value, list):
            parts.append(f"{len(value)} {key}")
        elif isinstance(value, str | int | float | bool) and value != "":
            parts.append(f"{key}={value}")
    return ", ".join(parts)


def render(events: list[Event]) -> list[str]:
    """The lines of these events; a server's question shows inside the call that asked it."""
    lines: list[str] = []
    inside: set[int] = set()  # questions already shown inside their call
    for i, event in enumerate(events):
        if i in inside:
            continue
        if isinstance(event, UserTurn):
            lines.append(f"you> {event.text}")
        elif isinstance(event, ModelTurn):
            lines.extend([f"qwen> {event.text}"] if event.text else [])
        elif isinstance(event, ToolRun):
            by = "  (by the agent, with the token you approved)" if event.by == "agent" else ""
            lines.append(f"  → {call_line(event.name, event.arguments)}{by}")
            j = i + 1
            while j < len(events) and isinstance(asked := events[j], Question) and asked.via == "server":
                lines.append("  " + _question(asked))
                inside.add(j)
                j += 1
            lines.append(f"    ← {event.mark}: {event.summary()}")
        else:
            lines.append(_question(event))
    return lines


def _question(event: Question) -> str:
    if event.consent:
        said = "yes" if event.approved else "no"
    else:
        said = json.dumps(event.answer, ensure_ascii=False) if event.answer is not None else "declined"
    return f"  ? {event.message} — {said}"


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
