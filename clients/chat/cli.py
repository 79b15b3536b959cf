"""``lifestyle-mcp chat``: talk to a Qwen model that works the four servers for you.

    lifestyle-mcp chat                                   # interactive; confirmations asked at the terminal
    lifestyle-mcp chat --once "PROMPT" [--yes] [--json]  # one task; no terminal needed

The servers run as stdio subprocesses (``--data-dir``, ``--user``) or are reached over streamable HTTP
(``--http`` for ``lifestyle-mcp serve``'s four, or ``--http food=URL`` …, with ``--token``). The model is any
OpenAI-compatible endpoint (``--base-url``, ``--model``, ``--api-key``, or ``LIFESTYLE_LLM_*`` settings).
Progress goes to stderr, the transcript to stdout.

Confirmations before money moves: ``--yes`` approves them; otherwise the person is asked at the terminal, and
with ``--once`` and no terminal the answer is no.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from clients.chat.agent import Agent, Progress, Thinking, ToolStarted
from clients.chat.llm import OpenAIChat
from clients.chat.person import Terminal, always, read_line
from clients.chat.settings import LlmSettings, mcp_token, server_env
from clients.chat.transcript import Event, ModelTurn, Question, ToolRun, Transcript, call_line
from clients.configs import FIRST_PORT
from clients.suite import VERTICALS, Ask, Suite

QUIT = {"exit", "quit", "/exit", "/quit", ":q"}
SERVE_DEFAULT = f"127.0.0.1:{FIRST_PORT}"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lifestyle-mcp chat",
        description="A Qwen model (any OpenAI-compatible endpoint) that uses the food, tickets, movies and nav "
        "servers for you. Interactive unless --once.",
    )
    p.add_argument("--once", metavar="PROMPT", help="do this one task and exit (no terminal needed)")
    p.add_argument("--yes", action="store_true", help="approve every confirmation: money moves without asking")
    p.add_argument("--json", action="store_true", help="print the transcript as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    model = p.add_argument_group("model (default: LIFESTYLE_LLM_* settings, else a local Ollama)")
    model.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1")
    model.add_argument("--model", help="model name, e.g. qwen3 or Qwen/Qwen3-8B")
    model.add_argument("--api-key", help="API key (DashScope); local servers need none")
    model.add_argument("--max-steps", type=_positive, help="model turns per task before stopping (default 20)")
    model.add_argument("--temperature", type=float, help="sampling temperature")
    model.add_argument(
        "--text-results", choices=["tool", "user"],
        help="answer tool calls the model wrote as text with 'tool' messages (default) or <tool_response> user turns",
    )  # fmt: skip
    servers = p.add_argument_group("servers (default: the four stdio servers)")
    servers.add_argument("--data-dir", type=Path, help="the sandbox of the stdio servers (LIFESTYLE_DATA_DIR)")
    servers.add_argument("--user", help="the user the stdio servers act for (LIFESTYLE_USER)")
    servers.add_argument(
        "--http", metavar="HOST:PORT|NAME=URL", action="append", nargs="?", const=SERVE_DEFAULT, default=[],
        help="reach the servers over streamable HTTP: alone or with HOST:PORT, the four of `lifestyle-mcp serve` "
        f"(food on PORT, then tickets, movies, nav; default {SERVE_DEFAULT}); or each as NAME=URL, repeated",
    )  # fmt: skip
    servers.add_argument("--token", help="bearer token for --http servers (default: LIFESTYLE_MCP_TOKEN)")
    servers.add_argument(
        "--no-elicitation", action="store_true",
        help="servers do not ask you directly; they quote and the agent asks (the same yes/no)",
    )  # fmt: skip
    return p


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def _http_urls(p: argparse.ArgumentParser, values: list[str]) -> dict[str, str]:
    """The servers' URLs from ``--http`` values: ``HOST:PORT`` (``lifestyle-mcp serve``'s layout) or ``NAME=URL``."""
    urls: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep:
            host, _, port = value.rpartition(":")
            if not host or not port.isdigit():
                p.error(f"--http {value!r}: give HOST:PORT (as `lifestyle-mcp serve` prints) or NAME=URL")
            urls |= {v: f"http://{host}:{int(port) + n}/mcp" for n, v in enumerate(VERTICALS)}
        elif name in VERTICALS and url.startswith(("http://", "https://")):
            urls[name] = url
        else:
            p.error(f"--http {value!r}: give NAME=URL with NAME one of {', '.join(VERTICALS)}")
    return urls


class ProgressLines:
    """Progress lines on stderr while a task runs."""

    def __init__(self, out: TextIO, *, questions: bool) -> None:
        self.out = out
        self.questions = questions

    def __call__(self, event: Event | Progress) -> None:
        line = ""
        if isinstance(event, Thinking):
            line = f"· thinking (turn {event.step})…"
        elif isinstance(event, ToolStarted):
            by = " [agent, after your yes]" if event.by == "agent" else ""
            line = f"→ {call_line(event.name, event.arguments, 100)}{by}"
        elif isinstance(event, ToolRun):
            line = f"  ← {event.mark} in {event.seconds:.1f}s: {event.summary(120)}"
        elif isinstance(event, ModelTurn) and event.text and event.calls:
            line = f"qwen: {event.text}"
        elif isinstance(event, Question) and self.questions:
            said = ("yes" if event.approved else "no") if event.consent else ("answered" if event.answer else "no")
            line = f"? {event.message} — {said}"
        if line:
            self.out.write(line + "\n")
            self.out.flush()


def _person(ns: argparse.Namespace) -> tuple[Ask, bool]:
    """Who answers questions, and whether they see them at a terminal."""
    at_terminal = ns.once is None or sys.stdin.isatty()
    if at_terminal:
        return Terminal(yes=ns.yes, out=sys.stderr), True
    return always(ns.yes), False


def main(argv: list[str] | None = None) -> int:
    """Run ``lifestyle-mcp chat`` with these arguments; the exit status (0: answered, 1: stopped or failed, 2: bad
    usage, 130: interrupted)."""
    parser = build_parser()
    try:
        ns = parser.parse_args(argv)
        agent, model = _build(parser, ns)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    except ValidationError as exc:  # a LIFESTYLE_LLM_* setting that is not valid
        sys.stderr.write(f"lifestyle-mcp chat: {exc}\n")
        return 2
    try:
        return asyncio.run(_session(agent, model, ns))
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
    except Exception as exc:  # servers that would not start, an endpoint URL that is not one…
        sys.stderr.write(f"lifestyle-mcp chat: {_reason(exc)}\n")
        return 1


def _build(parser: argparse.ArgumentParser, ns: argparse.Namespace) -> tuple[Agent, OpenAIChat]:
    settings = LlmSettings()
    if ns.http:
        if ns.user or ns.data_dir:
            parser.error("--user and --data-dir are for stdio servers; over HTTP the token says who you are")
        token = ns.token or mcp_token()
        if not token:
            parser.error("--http needs --token (or LIFESTYLE_MCP_TOKEN): see `lifestyle-mcp token`")
        suite = Suite.http(_http_urls(parser, ns.http), token)
    else:
        suite = Suite.stdio(env=server_env(data_dir=ns.data_dir, user=ns.user))
    model = OpenAIChat(
        base_url=ns.base_url or settings.base_url,
        model=ns.model or settings.model,
        api_key=ns.api_key or settings.api_key.get_secret_value(),
        timeout=settings.timeout,
        temperature=ns.temperature if ns.temperature is not None else settings.temperature,
    )
    ask, at_terminal = _person(ns)
    agent = Agent(
        suite,
        model,
        ask=ask,
        max_steps=ns.max_steps or settings.max_steps,
        elicitation=not ns.no_elicitation,
        text_results=ns.text_results or settings.text_results,
        on_event=None if ns.quiet else ProgressLines(sys.stderr, questions=not at_terminal),
    )
    return agent, model


async def _session(agent: Agent, model: OpenAIChat, ns: argparse.Namespace) -> int:
    try:
        async with agent:
            if ns.once is not None:
                transcript = await agent.run(ns.once)
                sys.stdout.write((transcript.dumps() if ns.json else transcript.text()) + "\n")
                if transcript.stopped == "error":
                    sys.stderr.write(f"lifestyle-mcp chat: {transcript.error}\n")
                return 0 if transcript.stopped == "answered" else 1
            return await _interactive(agent, json_lines=ns.json)
    finally:
        await model.aclose()


async def _interactive(agent: Agent, *, json_lines: bool) -> int:
    sys.stderr.write(f"Chatting with {agent.model.name} over {len(agent.tools)} tools. Ctrl-D or 'exit' ends.\n")
    while True:
        line = await read_line("you> ")
        if line is None or line.strip().lower() in QUIT:
            sys.stdout.write("\n" if line is None else "")
            return 0
        if not line.strip():
            continue
        transcript = await agent.run(line.strip())
        sys.stdout.write(_turn(transcript, json_lines) + "\n")
        sys.stdout.flush()


def _turn(transcript: Transcript, json_lines: bool) -> str:
    if json_lines:
        return json.dumps(transcript.to_json(), ensure_ascii=False)
    if transcript.stopped == "answered":
        return f"qwen> {transcript.answer}"
    if transcript.stopped == "error":
        return f"(stopped: {transcript.error})"
    return f"(stopped after {transcript.steps} model turns without an answer)"


def _reason(exc: BaseException) -> str:
    """The first real cause inside anyio's exception groups."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    said = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    # Nothing answered: say where it asked, and what usually serves it. The SDK's HTTP client is its own fork of
    # httpx (httpx2), so its errors are matched by the class they share a name with.
    if any(kind.__name__ == "TransportError" for kind in type(exc).__mro__):
        try:
            where = f" at {exc.request.url}"  # type: ignore[attr-defined]
        except (AttributeError, RuntimeError):  # raised without a request
            where = ""
        said += f" (no answer{where}: is `lifestyle-mcp serve` running there, or the model endpoint up?)"
    return said


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
