"""The tool-calling loop: a Qwen model works through a task with the suite's tools, and the person decides about
money.

    async with Agent(Suite.stdio(), OpenAIChat(base_url=..., model="qwen3"), ask=Terminal()) as agent:
        transcript = await agent.run("Two seats for a film tonight, and dinner delivered home")
        print(transcript.text())

Each ``run`` is one task in a conversation that goes on (the next ``run`` remembers it). A step is one model turn;
its tool calls run one after another (money calls must not race), each result going back to the model, errors
included, marked ``Error: …``, so the model can correct itself.

Money moves only with the person's yes, never the model's:

- a server that can ask the person does so itself (elicitation, through ``Suite.ask``), and the agent passes the
  question on;
- a server that cannot returns ``confirmation_required`` with a quote; the agent then asks the person and, on a
  yes, calls the tool again with the quote's token itself; on a no the model gets ``declined`` without the token;
- a call carrying a ``confirmation_token`` the person did not approve (for that tool) is not sent: the model gets
  an error saying so.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clients.chat.llm import (
    ChatModel,
    Message,
    ModelError,
    TextResults,
    ToolCall,
    assistant_message,
    function_tools,
    result_messages,
)
from clients.chat.person import CONSENT_SCHEMA, approves, is_consent
from clients.chat.transcript import By, CallShown, Event, ModelTurn, Question, ToolRun, Transcript, UserTurn
from clients.suite import ERROR_PREFIX, Ask, Suite, ToolReply

SYSTEM_PROMPT = """\
You are a helpful lifestyle assistant in Helsinki acting for one person through tools of four services that share \
one account (one wallet, one address book): food delivery (food_*), event tickets (tickets_*), movie tickets \
(movies_*) and navigation (nav_*).
- Find ids with the tools (search, then read details); never make one up. Saved addresses such as 'Home' work \
wherever a tool takes an address.
- Holding seats is free. Buying, ordering, cancelling and refunding need the person's yes: call the tool without a \
confirmation_token; the person is asked to confirm the exact amount and the result says whether it happened \
(done or declined). Never invent or reuse a confirmation_token, and do not retry what the person declined.
- A result starting with "Error: " is an error: read it, fix the call or take another way, and go on.
- When the task is done, or cannot be done, answer briefly in the person's language: what was done, with times, \
places and amounts."""

DEFAULT_MAX_STEPS = 20


@dataclass(frozen=True)
class Thinking:
    """Progress only (not kept in the transcript): the model is working on turn ``step``."""

    step: int


@dataclass(frozen=True)
class ToolStarted:
    """Progress only: a tool call was sent (its ``ToolRun`` follows when it ends)."""

    id: str
    name: str
    arguments: dict[str, Any] | str
    by: By = "model"


Progress = Thinking | ToolStarted
Listener = Callable[[Event | Progress], None]
"""Told of each event as it happens, and of progress: a model turn begun, a tool call sent."""


class Agent:
    """A Qwen model, the suite's tools and the person, in one conversation."""

    def __init__(
        self,
        suite: Suite,
        model: ChatModel,
        *,
        ask: Ask | None = None,
        max_steps: int = DEFAULT_MAX_STEPS,
        system: str = SYSTEM_PROMPT,
        elicitation: bool = True,
        text_results: TextResults = "tool",
        on_event: Listener | None = None,
    ) -> None:
        """``ask`` puts questions to the person (None: they cannot be asked, so every confirmation is a no);
        ``elicitation`` lets servers ask them directly (else servers quote and the agent asks)."""
        if max_steps < 1:
            raise ValueError("max_steps must be at least 1")
        self.suite = suite
        self.model = model
        self.ask = ask
        self.max_steps = max_steps
        self.elicitation = elicitation
        self.text_results: TextResults = text_results
        self.on_event = on_event
        self.messages: list[Message] = [{"role": "system", "content": system}] if system else []
        self._tools: list[Message] = []
        self._approved: set[tuple[str, str]] = set()  # (tool, confirmation token) the person said yes to
        self._transcript: Transcript | None = None

    # ----- connecting ----------------------------------------------------------------------------------
    async def __aenter__(self) -> Agent:
        self.suite.ask = self._on_elicit if self.elicitation else None
        await self.suite.__aenter__()
        self._tools = function_tools(self.suite.tools)
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.suite.__aexit__(*exc)

    @property
    def tools(self) -> list[Message]:
        """The tools as the model sees them (OpenAI function tools)."""
        return self._tools

    # ----- one task ------------------------------------------------------------------------------------
    async def run(self, prompt: str) -> Transcript:
        """Work on ``prompt`` until the model answers without calling a tool, ``max_steps`` model turns pass, or the
        model endpoint fails; the transcript says which."""
        if not self._tools:
            raise RuntimeError("the agent is not connected: use 'async with Agent(...) as agent'")
        transcript = Transcript(prompt=prompt, model=self.model.name)
        self._transcript = transcript
        self.messages.append({"role": "user", "content": prompt})
        self._record(UserTurn(prompt))
        try:
            for step in range(1, self.max_steps + 1):
                self._emit(Thinking(step))
                try:
                    reply = await self.model.complete(self.messages, self._tools)
                except ModelError as exc:
                    transcript.stopped, transcript.error = "error", str(exc)
                    return transcript
                transcript.steps = step
                shown = [CallShown(c.id, c.name, _shown(c)) for c in reply.calls]
                self._record(ModelTurn(reply.text, shown, reply.style))
                self.messages.append(assistant_message(reply, self.text_results))
                if not reply.calls:
                    transcript.answer, transcript.stopped = reply.text, "answered"
                    return transcript
                results = [await self._run_tool(call) for call in reply.calls]
                self.messages.extend(result_messages(reply, results, self.text_results))
            transcript.stopped = "max_steps"
            return transcript
        finally:
            self._transcript = None

    # ----- one tool call -------------------------------------------------------------------------------
    async def _run_tool(self, call: ToolCall) -> ToolReply:
        args = call.parsed()
        run = ToolRun(call.id, call.name, args if args is not None else call.arguments)
        self._keep(run)
        if call.problem:
            reply = ToolReply(call.name, f"{ERROR_PREFIX}{call.problem}. Write each call as <tool_call>"
                                         '{"name": …, "arguments": {…}}</tool_call>.', True)  # fmt: skip
            return self._finish(run, reply, 0.0)
        token = (args or {}).get("confirmation_token")
        if token and not (isinstance(token, str) and (call.name, token) in self._approved):
            reply = ToolReply(
                call.name,
                f"{ERROR_PREFIX}the user has not confirmed this, so it was not sent. Do not pass a "
                f"confirmation_token yourself: call {call.name} without one and the user will be asked to confirm "
                "the exact amount.",
                True,
            )
            run.refused = True
            return self._finish(run, reply, 0.0)
        reply = await self._call(run, call.name, call.arguments)
        quote = _pending_quote(reply)
        if quote is None:
            return reply
        # the server could not ask the person: the agent does, and passes the token on only after a yes
        approved = await self._confirm(str(quote.get("summary") or (reply.data or {}).get("message") or ""))
        if not approved:
            return _declined(call.name, quote)
        token = str(quote["confirmation_token"])
        self._approved.add((call.name, token))
        again = {**(args or {}), "confirmation_token": token}
        second = ToolRun(f"{call.id}-confirmed", call.name, again, by="agent")
        self._keep(second)
        return await self._call(second, call.name, again)

    async def _call(self, run: ToolRun, name: str, arguments: dict[str, Any] | str) -> ToolReply:
        self._emit(ToolStarted(run.id, run.name, run.arguments, run.by))
        started = time.monotonic()
        try:
            reply = await self.suite.call(name, arguments)
        except Exception as exc:  # a server that failed or went away: the model hears of it, the task goes on
            reply = ToolReply(name, f"{ERROR_PREFIX}calling {name} failed ({type(exc).__name__}: {exc}).", True)
        return self._finish(run, reply, time.monotonic() - started)

    def _finish(self, run: ToolRun, reply: ToolReply, seconds: float) -> ToolReply:
        run.text, run.is_error, run.data, run.seconds = reply.text, reply.is_error, reply.data, seconds
        self._emit(run)
        return reply

    # ----- the person ----------------------------------------------------------------------------------
    async def _confirm(self, summary: str) -> bool:
        message = f"{summary} Go ahead?".strip()
        answer = await self.ask(message, CONSENT_SCHEMA) if self.ask else None
        approved = approves(answer)
        self._record(Question(message, "agent", True, answer, approved))
        return approved

    async def _on_elicit(self, message: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        """A server's question (Suite.ask): to the person, and into the transcript."""
        answer = await self.ask(message, schema) if self.ask else None
        consent = is_consent(schema)
        self._record(Question(message, "server", consent, answer, approves(answer) if consent else None))
        return answer

    # ----- recording -----------------------------------------------------------------------------------
    def _record(self, event: Event) -> None:
        self._keep(event)
        self._emit(event)

    def _keep(self, event: Event) -> None:
        """Into the transcript, in the order things began (a tool run is filled in when it ends)."""
        if self._transcript is not None:
            self._transcript.events.append(event)

    def _emit(self, event: Event | Progress) -> None:
        if self.on_event is not None:
            self.on_event(event)


def _shown(call: ToolCall) -> dict[str, Any] | str:
    parsed = call.parsed()
    return parsed if parsed is not None else call.arguments


def _pending_quote(reply: ToolReply) -> dict[str, Any] | None:
    """The quote of a ``confirmation_required`` result that carries a token, if this is one."""
    data = reply.data
    if reply.is_error or not isinstance(data, dict) or data.get("status") != "confirmation_required":
        return None
    quote = data.get("quote")
    if isinstance(quote, dict) and isinstance(quote.get("confirmation_token"), str) and quote["confirmation_token"]:
        return quote
    return None


def _declined(name: str, quote: dict[str, Any]) -> ToolReply:
    """What the model hears after the person said no: the quote without its token, as a server words it."""
    data = {
        "status": "declined",
        "message": f"The user declined; nothing happened. Do not call {name} for this again unless the user asks.",
        "quote": {**quote, "confirmation_token": ""},
    }
    return ToolReply(name, json.dumps(data, ensure_ascii=False), False, data)
