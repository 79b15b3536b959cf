"""The person behind the agent: how questions reach them and how they answer.

Every question has one shape, the one MCP elicitation uses (``clients.suite.Ask``): a message and the JSON schema of
the answer; the answer is an object, or None when the person declines or cannot be asked. A confirmation before
money moves is the one-field form ``{"confirm": true|false}``, whether a server asks it (elicitation) or the agent
does (a ``confirmation_required`` quote).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TextIO

from clients.suite import Ask

CONSENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"confirm": {"type": "boolean", "description": "Yes: charge/refund exactly the amount shown."}},
    "required": ["confirm"],
}
YES = {"y", "yes", "ok", "sure", "是", "好", "确认"}


def is_consent(schema: dict[str, Any]) -> bool:
    """Whether a question is a yes/no confirmation (the servers' and the agent's one-field form)."""
    props = schema.get("properties") or {}
    return set(props) == {"confirm"} and (props["confirm"] or {}).get("type") == "boolean"


def approves(answer: dict[str, Any] | None) -> bool:
    return answer is not None and answer.get("confirm") is True


def always(approve: bool) -> Ask:
    """A person who cannot be asked (no terminal): confirmations get ``approve`` (``--yes``), other questions are
    declined."""

    async def ask(_message: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        return {"confirm": approve} if is_consent(schema) else None

    return ask


async def read_line(prompt: str, read: Callable[[str], str] = input) -> str | None:
    """A line from the terminal without blocking the event loop; None at end of input.

    A daemon thread, not the loop's executor: a Ctrl-C while waiting must not leave the process joining a thread
    stuck in ``input()``.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[str | None] = loop.create_future()

    def deliver(value: str | None, error: BaseException | None) -> None:
        if done.done():
            return
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(value)

    def work() -> None:
        try:
            line: str | None = read(prompt)
        except EOFError:
            line = None
        except Exception as exc:
            loop.call_soon_threadsafe(deliver, None, exc)
            return
        loop.call_soon_threadsafe(deliver, line, None)

    threading.Thread(target=work, name="chat-input", daemon=True).start()
    return await done


class Terminal:
    """A person at a terminal: confirmations as ``[y/N]`` (``yes=True`` approves them without asking), other
    questions field by field."""

    def __init__(self, *, yes: bool = False, out: TextIO | None = None, read: Callable[[str], str] = input) -> None:
        self.yes = yes
        self.out = out
        self.read = read

    def _say(self, line: str) -> None:
        if self.out is not None:
            self.out.write(line + "\n")
            self.out.flush()

    async def __call__(self, message: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        if is_consent(schema):
            if self.yes:
                self._say(f"? {message} — yes (--yes)")
                return {"confirm": True}
            line = await read_line(f"? {message} [y/N] ", self.read)
            return {"confirm": (line or "").strip().lower() in YES}
        return await self._form(message, schema)

    async def _form(self, message: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        self._say(f"? {message}  (empty line to skip a field, '-' to decline)")
        required = set(schema.get("required") or [])
        answer: dict[str, Any] = {}
        for name, prop in (schema.get("properties") or {}).items():
            prop = prop or {}
            hint = prop.get("description") or prop.get("title") or ""
            kind = prop.get("type", "string")
            choices = prop.get("enum")
            shown = f" {choices}" if choices else f" ({kind})"
            while True:
                line = await read_line(f"  {name}{shown}{': ' + hint if hint else ''} > ", self.read)
                if line is None or line.strip() == "-":
                    return None
                line = line.strip()
                if not line and name not in required:
                    break
                value = _convert(line, kind)
                if value is not None and (not choices or value in choices):
                    answer[name] = value
                    break
                self._say(f"  please give a {kind}" + (f" from {choices}" if choices else ""))
        return answer


def _convert(text: str, kind: str) -> Any:
    if kind == "boolean":
        return text.lower() in YES
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return None
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return None
    return text or None
