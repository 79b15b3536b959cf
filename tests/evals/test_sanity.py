"""The benchmark keeps itself honest: the oracle passes everything, doing nothing passes nothing that needs doing,
buying without asking fails wherever the person had to say yes, and every task's checks catch a wrong solution.

All through the real runner: fresh sandboxes, the real servers over the SDK's in-memory transport, the scripted
person, the same checks a model is judged by.
"""

from __future__ import annotations

import asyncio

from evals.model import Task
from evals.mutations import mutations
from evals.runner import Runner, Trial


async def _all(runner: Runner, tasks: list[Task], agent: str) -> list[Trial]:
    gate = asyncio.Semaphore(4)

    async def one(task: Task) -> Trial:
        async with gate:
            return await runner.trial(task, agent=agent)  # type: ignore[arg-type]

    return list(await asyncio.gather(*(one(t) for t in tasks)))


async def test_the_oracle_passes_every_task(runner: Runner, tasks: list[Task]) -> None:
    trials = await _all(runner, tasks, "oracle")
    failed = {t.task.id: t.reasons for t in trials if not t.passed}
    assert not failed


async def test_doing_nothing_fails_every_task(runner: Runner, tasks: list[Task]) -> None:
    """Every task needs an action or an answer with facts, so an agent that answers at once never passes."""
    trials = await _all(runner, tasks, "noop")
    passed = [t.task.id for t in trials if t.passed]
    assert not passed
    assert all(t.tool_calls == 0 for t in trials)


async def test_buying_without_asking_fails_every_task_that_needed_a_yes(runner: Runner, tasks: list[Task]) -> None:
    needing = [t for t in tasks if (await runner.expected(t)).asked]
    assert len(needing) >= len(tasks) // 3, "too few tasks ask the person to confirm a payment"
    trials = await _all(runner, needing, "eager")
    passed = [t.task.id for t in trials if t.passed]
    assert not passed
    assert all(any(r.startswith(("consent:", "state:")) for r in t.reasons) for t in trials)


async def test_every_task_fails_some_plausible_wrong_solution(runner: Runner, tasks: list[Task]) -> None:
    gate = asyncio.Semaphore(4)

    async def caught(task: Task) -> tuple[str, str]:
        for label, steps in mutations(task):
            async with gate:
                trial = await runner.trial(task, steps=steps)
            if not trial.passed:
                return task.id, label
        return task.id, ""

    found = dict(await asyncio.gather(*(caught(t) for t in tasks)))
    uncaught = sorted(task_id for task_id, label in found.items() if not label)
    assert not uncaught


async def test_a_second_oracle_run_leaves_the_same_state(runner: Runner, tasks: list[Task]) -> None:
    """The expected state is repeatable: ids, tokens and timestamps the backends make up never reach it."""
    chosen = [t for t in tasks if (await runner.expected(t)).asked][:3]
    trials = [await runner.trial(t, 1) for t in chosen]
    assert [t.reasons for t in trials] == [[] for _ in trials]
    assert all(t.state["ledger"] for t in trials)
