"""Plausible wrong solutions of a task, made from its oracle: a task whose checks pass all of them checks nothing.

Each mutation is what a sloppy agent does: stops before the last thing that changes something (the purchase, the
order, the cancellation), drops the hold or the cart that the purchase needed, asks for one more (or one fewer) of
something, or answers without the facts it found. Tests run every task's mutations until one fails
(``tests/evals/test_sanity.py``); authors can run them on a new task the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

from evals.model import Call, Say, Step, Task

READS = ("_search", "_get_", "_list_", "_find_", "nav_", "_geocode", "_weather")
VAGUE = "Done."


def is_write(call: Call) -> bool:
    """Whether a tool changes something (by its name: every read tool is a search, get, list or find, or nav)."""
    return not any(part in call.call for part in READS)


def mutations(task: Task) -> Iterator[tuple[str, list[Step]]]:
    """(what was changed, the changed steps), the most telling first."""
    steps = list(task.oracle)
    writes = [i for i, s in enumerate(steps) if isinstance(s, Call) and is_write(s) and not s.error]
    for i in reversed(writes):
        call = steps[i]
        assert isinstance(call, Call)
        yield f"drop {call.call}", steps[:i] + steps[i + 1 :]
    for i in reversed(writes):
        call = steps[i]
        assert isinstance(call, Call)
        quantity = call.args.get("quantity")
        if isinstance(quantity, int):
            for other in (quantity + 1, quantity - 1):
                if other >= 1:
                    changed = call.model_copy(update={"args": {**call.args, "quantity": other}})
                    yield f"{call.call} quantity {other}", [*steps[:i], changed, *steps[i + 1 :]]
        items = call.args.get("items")
        if isinstance(items, list) and items and isinstance(items[0], dict) and "quantity" in items[0]:
            bumped = [{**items[0], "quantity": int(items[0]["quantity"]) + 1}, *items[1:]]
            changed = call.model_copy(update={"args": {**call.args, "items": bumped}})
            yield f"{call.call} one more of the first item", [*steps[:i], changed, *steps[i + 1 :]]
    if task.checks.answer:
        yield "a vague answer", [*steps[:-1], Say(say=VAGUE)]
