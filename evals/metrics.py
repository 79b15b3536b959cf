"""The scores of a run: pass rate and pass^k, overall, per vertical (cross-vertical errands apart), per language;
tool calls and tokens per task; why failures failed.

pass^k is τ²-bench's: for a task run n times with c passes, the chance that k runs drawn from them all pass,
C(c, k) / C(n, k), averaged over tasks. pass^1 is the pass rate; pass^k for larger k rewards agents that succeed
every time, not once in a while.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from math import comb
from typing import Any

from evals.checks import reason_kind

GROUPS = ("food", "tickets", "movies", "nav", "cross")


def pass_hat_k(outcomes: Mapping[str, list[bool]], k: int) -> float | None:
    """pass^k over tasks (None when no task has k trials)."""
    scores = [comb(sum(runs), k) / comb(len(runs), k) for runs in outcomes.values() if len(runs) >= k]
    return sum(scores) / len(scores) if scores else None


def _by_task(trials: Iterable[Mapping[str, Any]]) -> dict[str, list[bool]]:
    found: dict[str, list[bool]] = defaultdict(list)
    for t in trials:
        found[t["task"]].append(bool(t["passed"]))
    return dict(found)


def _score(trials: Sequence[Mapping[str, Any]], k: int) -> dict[str, Any]:
    by_task = _by_task(trials)
    n = len(trials)
    return {
        "tasks": len(by_task),
        "trials": n,
        "passed": sum(bool(t["passed"]) for t in trials),
        "pass_rate": (sum(bool(t["passed"]) for t in trials) / n) if n else None,
        "pass_hat_k": {str(j): pass_hat_k(by_task, j) for j in range(1, k + 1)},
        "tool_calls_per_task": (sum(t["tool_calls"] for t in trials) / n) if n else None,
        "tokens_per_task": (sum(t["prompt_tokens"] + t["completion_tokens"] for t in trials) / n) if n else None,
    }


def summarise(trials: Sequence[Mapping[str, Any]], k: int) -> dict[str, Any]:
    """The whole run's scores, from trial records (``Trial.to_json``)."""
    failures: Counter[str] = Counter()
    for t in trials:
        if not t["passed"]:
            failures.update({reason_kind(r) for r in t["reasons"]})
    groups = {g: _score([t for t in trials if t["group"] == g], k) for g in GROUPS}
    languages = {lang: _score([t for t in trials if t["language"] == lang], k) for lang in ("en", "zh")}
    return {
        "overall": _score(trials, k),
        "groups": {g: s for g, s in groups.items() if s["trials"]},
        "languages": {lang: s for lang, s in languages.items() if s["trials"]},
        "failure_kinds": dict(failures.most_common()),
        "failed_tasks": sorted({t["task"] for t in trials if not t["passed"]}),
    }
