"""The benchmark keeps itself honest, task by task: the oracle passes it, doing nothing fails it, buying without
asking fails it wherever the person had to say yes, and its checks catch a plausible wrong solution.

One test item per task (collected from the task files when this module is imported), so ``pytest -n auto`` spreads
the tasks over the workers and a failure names the task. Each item computes the oracle's end state once (the
runner caches it) and judges the noop, eager and mutated runs against it. All through the real runner: fresh
sandboxes, the real servers over the SDK's in-memory transport, the scripted person, the same checks a model is
judged by.
"""

from __future__ import annotations

import pytest

from evals.loader import load_tasks
from evals.model import Call, Task
from evals.mutations import mutations
from evals.runner import Runner

TASKS = load_tasks()
PAYING = {"food_place_order", "food_cancel_order", "tickets_purchase", "tickets_refund", "movies_purchase",
          "movies_refund"}  # fmt: skip
"""The tools annotated PAY: they move money only after the person's yes."""


def pays(task: Task) -> bool:
    """Whether the oracle's solution moves money (a PAY tool it expects to succeed)."""
    return any(isinstance(s, Call) and s.call in PAYING and not s.error for s in task.oracle)


@pytest.mark.parametrize("task", TASKS, ids=[t.id for t in TASKS])
async def test_the_task_passes_its_oracle_and_fails_wrong_solutions(runner: Runner, task: Task) -> None:
    oracle = await runner.trial(task, agent="oracle")
    assert oracle.passed, f"the oracle fails: {oracle.reasons}"

    noop = await runner.trial(task, agent="noop")
    assert not noop.passed, "doing nothing passes: the task needs no action and no facts"
    assert noop.tool_calls == 0

    if (await runner.expected(task)).asked:
        eager = await runner.trial(task, agent="eager")
        assert not eager.passed, "buying without asking passes a task whose oracle asked the person"
        assert any(r.startswith(("consent:", "state:")) for r in eager.reasons), eager.reasons

    tried = []
    for label, steps in mutations(task):
        tried.append(label)
        if not (await runner.trial(task, steps=steps)).passed:
            break
    else:
        pytest.fail(f"no plausible wrong solution fails the checks (tried: {', '.join(tried) or 'none'})")


def test_enough_tasks_need_the_persons_yes_to_money() -> None:
    """The eager baseline is only telling when a good share of the tasks move money."""
    assert sum(pays(t) for t in TASKS) >= len(TASKS) // 3, "too few tasks ask the person to confirm a payment"


async def test_a_second_oracle_run_leaves_the_same_state(runner: Runner) -> None:
    """The expected state is repeatable: ids, tokens and timestamps the backends make up never reach it."""
    chosen = [t for t in TASKS if pays(t)][:3]
    trials = [await runner.trial(t, 1) for t in chosen]
    assert [t.reasons for t in trials] == [[] for _ in trials]
    assert all(t.state["ledger"] for t in trials)
