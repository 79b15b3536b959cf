"""Seats left held when a task ends are part of the state: an agent that holds seats, hears the person say no (or
finds the wallet short) and walks away without releasing them blocks those seats for everyone for ten minutes, and
fails the task, while the oracle that releases them passes."""

from __future__ import annotations

import pytest

from evals.checks import reason_kind
from evals.model import Call, Task
from evals.runner import Runner

DECLINED = ["movies-002-person-declines-price", "tickets-117-giselle-person-declines"]


def _task(tasks: list[Task], task_id: str) -> Task:
    return next(t for t in tasks if t.id == task_id)


@pytest.mark.parametrize("task_id", DECLINED)
async def test_a_hold_left_behind_after_a_no_fails_the_task(runner: Runner, tasks: list[Task], task_id: str) -> None:
    task = _task(tasks, task_id)
    oracle = await runner.trial(task, agent="oracle")
    assert oracle.passed, oracle.reasons
    vertical = task_id.split("-")[0]
    assert oracle.state["holds"][vertical] == []  # released: nothing held at the end

    kept = [s for s in task.oracle if not (isinstance(s, Call) and s.call.endswith("_release_hold"))]
    assert len(kept) == len(task.oracle) - 1
    left = await runner.trial(task, steps=kept)
    assert not left.passed
    assert [reason_kind(r) for r in left.reasons] == ["state"], left.reasons
    held = left.state["holds"][vertical]
    assert len(held) == 1 and held[0]["seats"] >= 1
