"""Running tasks: each trial in its own fresh sandbox, agents side by side, one result per trial.

A trial opens a copy of the template sandbox at the task's clock (``evals.sandbox``), connects the agent to the
four servers, makes the task's setup calls (approved, not counted as the person's), captures the state, then
gives the agent the request and lets the person (``evals.user``) answer its questions until it has nothing more to
ask or say; then the state is captured again and judged (``evals.checks``) against the state the oracle's solution
leaves in another fresh copy (computed once per task and run, and kept for every trial and agent that needs it).
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clients.chat.agent import Agent
from clients.chat.llm import ChatModel
from clients.chat.person import always
from clients.suite import Suite
from evals.agents import AgentKind, MeteredChat, ScriptModel, Usage, script_model
from evals.checks import Outcome, Verdict, judge
from evals.model import Step, Task
from evals.refs import ReferenceError_, resolve
from evals.sandbox import Template, Transport
from evals.state import State, capture, others_digest, state_hash
from evals.user import LlmUser, ScriptedUser

log = logging.getLogger(__name__)
MAX_USER_TURNS = 6


@dataclass(frozen=True)
class Endpoint:
    """An OpenAI-compatible model endpoint (for ``chat`` and the LLM user)."""

    base_url: str
    model: str
    api_key: str = ""
    temperature: float | None = None
    timeout: float = 120.0

    def chat(self) -> MeteredChat:
        return MeteredChat(
            base_url=self.base_url, model=self.model, api_key=self.api_key, temperature=self.temperature,
            timeout=self.timeout,
        )  # fmt: skip


@dataclass
class Options:
    agent: AgentKind = "oracle"
    k: int = 1
    parallel: int = 4
    transport: Transport = "memory"
    endpoint: Endpoint | None = None
    user_llm: bool = False
    max_steps: int = 20
    elicitation: bool = True
    keep: bool = False


@dataclass
class Trial:
    """One run of one task by one agent, judged."""

    task: Task
    index: int
    agent: str
    passed: bool
    reasons: list[str]
    diff: str
    answer: str
    events: list[dict[str, Any]]
    tool_calls: int
    usage: Usage
    consents: list[dict[str, Any]]
    state: State
    expected_hash: str
    seconds: float

    def to_json(self) -> dict[str, Any]:
        t = self.task
        return {
            "task": t.id, "group": t.group, "verticals": t.verticals, "language": t.language, "tags": t.tags,
            "request": t.request, "trial": self.index, "agent": self.agent, "passed": self.passed,
            "reasons": self.reasons, "diff": self.diff, "answer": self.answer, "tool_calls": self.tool_calls,
            "requests": self.usage.requests, "prompt_tokens": self.usage.prompt_tokens,
            "completion_tokens": self.usage.completion_tokens, "consents": self.consents,
            "state_hash": state_hash(self.state), "expected_hash": self.expected_hash,
            "seconds": round(self.seconds, 2), "events": self.events,
        }  # fmt: skip


@dataclass
class Played:
    """What an agent left in a sandbox (before judging)."""

    outcome: Outcome
    events: list[dict[str, Any]]
    usage: Usage
    consents: list[dict[str, Any]]
    asked: int  # confirmations put to the person


class SetupError(RuntimeError):
    """A task's setup call failed: the task is broken, not the agent."""


class Runner:
    """Runs trials; holds the template sandbox and the oracle's expected states for as long as it lives."""

    def __init__(self, options: Options | None = None, workdir: Path | None = None) -> None:
        self.options = options or Options()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="lifestyle-eval-")
            workdir = Path(self._tmp.name)
        self.workdir = workdir
        self._template: Template | None = None
        self._expected: dict[str, asyncio.Future[Played]] = {}
        self._serial = 0

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def template(self) -> Template:
        if self._template is None:
            self._template = Template.build(self.workdir)
        return self._template

    # ----- the oracle's end state -------------------------------------------------------------------------------
    async def expected(self, task: Task) -> Played:
        """What the oracle's solution leaves (once per task)."""
        if task.id not in self._expected:
            future: asyncio.Future[Played] = asyncio.get_running_loop().create_future()
            self._expected[task.id] = future
            try:
                future.set_result(await self.play(task, "oracle"))
            except BaseException as exc:
                future.set_exception(exc)
                raise
        return await self._expected[task.id]

    # ----- one trial --------------------------------------------------------------------------------------------
    async def trial(
        self, task: Task, index: int = 0, *, agent: AgentKind | None = None, steps: Sequence[Step] | None = None
    ) -> Trial:
        """Run ``task`` once with ``agent`` (or a given script of steps, for mutation tests) and judge it."""
        kind = agent or self.options.agent
        started = time.monotonic()
        try:
            reference = await self.expected(task)
            fresh = kind != "oracle" or steps is not None or index > 0  # later oracle trials check it is repeatable
            played = await self.play(task, kind, steps) if fresh else reference
        except Exception as exc:  # a broken task or sandbox: the trial fails with the reason, the run goes on
            log.exception("task %s failed to run", task.id)
            return _crashed(task, index, kind, exc, time.monotonic() - started)
        verdict: Verdict = judge(task, played.outcome, reference.outcome.after, task.sandbox.user)
        return Trial(
            task=task, index=index, agent=kind if steps is None else f"{kind}*", passed=verdict.passed,
            reasons=verdict.reasons, diff=verdict.diff, answer=played.outcome.answer, events=played.events,
            tool_calls=sum(1 for e in played.events if e.get("type") == "tool" and e.get("by") == "model"),
            usage=played.usage, consents=played.consents, state=played.outcome.after,
            expected_hash=state_hash(reference.outcome.after), seconds=time.monotonic() - started,
        )  # fmt: skip

    async def play(self, task: Task, kind: AgentKind, steps: Sequence[Step] | None = None) -> Played:
        """Let an agent work on the task in a fresh sandbox; what it left behind."""
        self._serial += 1
        box = self.template.open(task.sandbox, self.workdir / "runs" / f"{task.id}-{self._serial}")
        model, usage = self._model(kind, task, steps)
        user = self._user(task)
        ask = always(True) if kind == "eager" else user.ask  # the eager agent answers its own confirmations
        try:
            agent = Agent(
                box.suite(self.options.transport), model, ask=ask, max_steps=self.options.max_steps,
                elicitation=self.options.elicitation,
            )  # fmt: skip
            with box.active():
                async with agent:
                    await self._setup(task, agent, user)
                    before = capture(box.engine, box.user, seats=task.checks.seats)
                    others = others_digest(box.engine, box.user)
                    events, answer, stopped = await self._converse(task, agent, user)
                    paying = paying_tools(agent.suite)
            after = capture(box.engine, box.user, seats=task.checks.seats)
            # a script's own trouble fails the oracle; a mutated script is judged by the task's checks alone
            problems = []
            if isinstance(model, ScriptModel) and steps is None:
                problems = [f"{model.name}: {p}" for p in model.problems]
            outcome = Outcome(
                before=before, after=after, others_changed=others_digest(box.engine, box.user) != others,
                answer=answer, stopped=stopped, tool_runs=[e for e in events if e.get("type") == "tool"],
                approvals=user.approvals, problems=problems, paying=paying,
            )  # fmt: skip
            asked = sum(1 for e in events if e.get("type") == "question" and e.get("consent"))
            return Played(outcome, events, usage, [c.to_json() for c in user.consents], asked)
        finally:
            if hasattr(model, "aclose"):
                await model.aclose()
            box.close(keep=self.options.keep)

    def _model(self, kind: AgentKind, task: Task, steps: Sequence[Step] | None) -> tuple[ChatModel, Usage]:
        if kind == "chat":
            if self.options.endpoint is None:
                raise ValueError("the chat agent needs an endpoint (--base-url and --model)")
            chat = self.options.endpoint.chat()
            return chat, chat.usage
        script = script_model(kind, task, steps)
        return script, script.usage

    def _user(self, task: Task) -> ScriptedUser:
        if self.options.user_llm and self.options.endpoint is not None:
            return LlmUser(task.user, model=self.options.endpoint.chat())
        return ScriptedUser(task.user)

    async def _setup(self, task: Task, agent: Agent, user: ScriptedUser) -> None:
        saved: dict[str, Any] = {}
        user.setting_up = True
        try:
            for step in task.sandbox.setup:
                try:
                    args = resolve(step.args, saved)
                except ReferenceError_ as exc:
                    raise SetupError(f"setup {step.call}: {exc}") from exc
                reply = await agent.suite.call(step.call, args)
                if reply.is_error != step.error:
                    raise SetupError(f"setup {step.call}: {reply.text[:300]}")
                saved["prev"] = reply.data
                if step.save:
                    saved[step.save] = reply.data
        finally:
            user.setting_up = False

    async def _converse(self, task: Task, agent: Agent, user: ScriptedUser) -> tuple[list[dict[str, Any]], str, str]:
        events: list[dict[str, Any]] = []
        message: str | None = task.request
        answer, stopped = "", "answered"
        for _ in range(MAX_USER_TURNS):
            if message is None:
                break
            transcript = await agent.run(message)
            events.extend(e.to_json() for e in transcript.events)
            answer, stopped = transcript.answer, transcript.stopped
            if stopped != "answered":
                if transcript.error:
                    events.append({"type": "error", "text": transcript.error})
                break
            message = await user.reply(task.request, answer)
        return events, answer, stopped

    # ----- many -------------------------------------------------------------------------------------------------
    async def run(self, tasks: Sequence[Task], on_trial: Any = None) -> list[Trial]:
        """Every task ``k`` times, ``parallel`` trials at a time; trials in task order."""
        self.template  # noqa: B018 (built before the trials start, not by the first of them)
        gate = asyncio.Semaphore(max(1, self.options.parallel))

        async def one(task: Task, index: int) -> Trial:
            async with gate:
                trial = await self.trial(task, index)
            if on_trial is not None:
                on_trial(trial)
            return trial

        return list(await asyncio.gather(*(one(t, i) for t in tasks for i in range(self.options.k))))


def paying_tools(suite: Suite) -> frozenset[str]:
    """The tools that take or give back money, as the servers annotate them (``PAY``: the only destructive ones), so
    the consent check needs no list of names to keep up to date."""
    return frozenset(t.name for t in suite.tools if t.annotations is not None and t.annotations.destructive_hint)


def _crashed(task: Task, index: int, kind: str, exc: BaseException, seconds: float) -> Trial:
    return Trial(
        task=task, index=index, agent=kind, passed=False, reasons=[f"crash: {type(exc).__name__}: {exc}"], diff="",
        answer="", events=[], tool_calls=0, usage=Usage(), consents=[], state={}, expected_hash="", seconds=seconds,
    )  # fmt: skip
