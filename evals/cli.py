"""``lifestyle-mcp eval``: score an agent on the errands in ``evals/tasks``.

    lifestyle-mcp eval run --agent oracle                          # every task must pass (a sanity check)
    lifestyle-mcp eval run --agent chat --base-url URL --model M --k 4 --parallel 4 --out runs/qwen3
    lifestyle-mcp eval report --out runs/qwen3                     # report.html + summary.json
    lifestyle-mcp eval list [--tasks PATTERN]                      # the tasks, counted per vertical and language

``run`` writes ``results.json`` (every trial with its transcript and verdict), then the report beside it, and
prints the scores; it exits 0 when every trial passed, 1 otherwise (so CI can gate on the oracle). The model
endpoint defaults to the chat agent's settings (``LIFESTYLE_LLM_*``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from clients.chat.settings import LlmSettings
from evals.agents import AGENTS
from evals.loader import TaskFileError, load_tasks, select
from evals.metrics import summarise
from evals.model import Task
from evals.report import write_report, write_results
from evals.runner import Endpoint, Options, Runner, Trial


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lifestyle-mcp eval", description=__doc__.split("\n\n")[0] if __doc__ else "")
    verbs = p.add_subparsers(dest="verb", required=True)
    run = verbs.add_parser("run", help="run the tasks with an agent and score it")
    run.add_argument("--agent", choices=AGENTS, default="oracle", help="who does the errands (default oracle)")
    run.add_argument("--base-url", help="OpenAI-compatible endpoint for --agent chat (and --user-llm)")
    run.add_argument("--model", help="model name at that endpoint")
    run.add_argument("--api-key", help="API key (DashScope); local servers need none")
    run.add_argument("--temperature", type=float, help="sampling temperature")
    run.add_argument("--k", type=_positive, default=1, help="trials per task, for pass^k (default 1)")
    run.add_argument(
        "--tasks", default="", help="ids (shell patterns), verticals, cross, en/zh or tags; comma-separated"
    )
    run.add_argument("--parallel", type=_positive, default=4, help="trials at a time (default 4)")
    run.add_argument("--out", type=Path, default=Path("eval-results"), help="where results and the report go")
    run.add_argument(
        "--transport",
        choices=["memory", "stdio"],
        default="memory",
        help="servers in process over the SDK's memory transport (default), or stdio subprocesses",
    )
    run.add_argument("--max-steps", type=_positive, default=20, help="model turns per user turn (default 20)")
    run.add_argument("--user-llm", action="store_true", help="the person's answers worded by the model too")
    run.add_argument("--no-elicitation", action="store_true", help="servers quote and the agent asks (no elicitation)")
    run.add_argument("--task-dir", type=Path, action="append", default=[], help="tasks from here instead")
    run.add_argument("--keep", action="store_true", help="keep each trial's sandbox directory (under --out)")
    run.add_argument("--quiet", action="store_true", help="no line per trial on stderr")
    report = verbs.add_parser("report", help="write report.html and summary.json from a run's results.json")
    report.add_argument("--out", type=Path, default=Path("eval-results"), help="the run's directory")
    report.add_argument("--html", type=Path, help="write the page here instead")
    report.add_argument("--json", type=Path, help="write the summary here instead")
    listing = verbs.add_parser("list", help="list the tasks")
    listing.add_argument("--tasks", default="")
    listing.add_argument("--task-dir", type=Path, action="append", default=[])
    return p


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        ns = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        if ns.verb == "report":
            html, summary = write_report(ns.out, ns.html, ns.json)
            _say(f"{html}\n{summary}")
            return 0
        tasks = select(load_tasks(ns.task_dir), ns.tasks)
    except (TaskFileError, FileNotFoundError) as exc:
        sys.stderr.write(f"lifestyle-mcp eval: {exc}\n")
        return 2
    if ns.verb == "list":
        try:
            for task in tasks:
                _say(f"{task.id:48} {task.group:8} {task.language}  {','.join(task.tags)}")
            _say(counts(tasks))
            sys.stdout.flush()
        except BrokenPipeError:  # `eval list | head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit's flush
        return 0
    if not tasks:
        sys.stderr.write(f"lifestyle-mcp eval: no task matches {ns.tasks!r}\n")
        return 2
    options = _options(ns)
    if ns.agent == "chat" and options.endpoint is None:
        parser.error("--agent chat needs a model endpoint")
    if (unwritable := _unwritable(ns.out)) is not None:  # before the trials, not after an hour of model calls
        sys.stderr.write(f"lifestyle-mcp eval: --out {ns.out}: {unwritable}. Pass a directory you can write to.\n")
        return 2
    return asyncio.run(_run(ns, options, tasks))


def _unwritable(out: Path) -> str | None:
    """Why the results could not be written to ``out`` (None: they can), found by making the directory and a file
    in it now."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".write-check-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or exc.__class__.__name__
    return None


def _options(ns: argparse.Namespace) -> Options:
    endpoint = None
    if ns.agent == "chat" or ns.user_llm:
        settings = LlmSettings()
        endpoint = Endpoint(
            base_url=ns.base_url or settings.base_url, model=ns.model or settings.model,
            api_key=ns.api_key or settings.api_key.get_secret_value(),
            temperature=ns.temperature if ns.temperature is not None else settings.temperature,
            timeout=settings.timeout,
        )  # fmt: skip
    return Options(
        agent=ns.agent, k=ns.k, parallel=ns.parallel, transport=ns.transport, endpoint=endpoint,
        user_llm=ns.user_llm, max_steps=ns.max_steps, elicitation=not ns.no_elicitation, keep=ns.keep,
    )  # fmt: skip


def counts(ts: list[Task]) -> str:
    """Tasks per group and language, on one line."""
    groups = Counter(t.group for t in ts)
    langs = Counter(t.language for t in ts)
    shown = ", ".join(f"{g} {n}" for g, n in sorted(groups.items()))
    return f"{len(ts)} tasks: {shown}; " + ", ".join(f"{lang} {n}" for lang, n in sorted(langs.items()))


async def _run(ns: argparse.Namespace, options: Options, chosen: list[Task]) -> int:
    started = datetime.now(UTC).isoformat(timespec="seconds")

    def progress(trial: Trial) -> None:
        if not ns.quiet:
            mark = "pass" if trial.passed else "FAIL " + "; ".join(trial.reasons)[:160]
            sys.stderr.write(f"{trial.task.id} #{trial.index}: {mark}\n")

    workdir = ns.out / "sandboxes" if ns.keep else None
    with Runner(options, workdir) as runner:
        trials = await runner.run(chosen, progress)
    records = [t.to_json() for t in trials]
    run = {
        "agent": options.agent, "model": options.endpoint.model if options.endpoint and ns.agent == "chat" else "",
        "base_url": options.endpoint.base_url if options.endpoint and ns.agent == "chat" else "", "k": options.k,
        "tasks": len(chosen), "pattern": ns.tasks, "transport": options.transport, "started": started,
    }  # fmt: skip
    write_results(ns.out, run, records)
    html, _ = write_report(ns.out)
    scores = summarise(records, options.k)
    overall = scores["overall"]
    _say(f"{options.agent}: {overall['passed']}/{overall['trials']} trials passed "
         f"({100 * (overall['pass_rate'] or 0):.1f}%), pass^{options.k} "
         f"{100 * (overall['pass_hat_k'][str(options.k)] or 0):.1f}%")  # fmt: skip
    for group, s in scores["groups"].items():
        _say(f"  {group:8} {s['passed']}/{s['trials']}")
    if scores["failure_kinds"]:
        _say("  failures: " + ", ".join(f"{k} {n}" for k, n in scores["failure_kinds"].items()))
    _say(f"report: {html}")
    return 0 if overall["passed"] == overall["trials"] else 1
