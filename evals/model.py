"""A task as data: what the person asks, what they know, the sandbox it starts from, how an expert would do it, and
what must be true at the end. Tasks live in ``evals/tasks/*.yaml`` (or ``.json``), one task or ``tasks: [...]`` per
file, and are validated here with ``extra="forbid"`` so a misspelt key fails loudly instead of silently checking
nothing.

    id: movies-004-two-seats-tonight          # unique, lower-case words and digits joined by '-'
    verticals: [movies]                        # one for a single vertical, several for a cross-vertical errand
    language: en                               # en or zh: the language of ``request`` (and of the answer)
    tags: [confirm]                            # free labels: confirm, refuse, ask-back, trap, multi-turn …
    request: Two seats for Dune tonight at the cinema nearest home.
    sandbox:
      user: usr_demo                           # whose account the servers act for (fixtures/users.json)
      clock: 2026-11-25T12:00:00+02:00         # the sandbox's frozen "now"
      setup: [...]                             # tool calls made (and approved) before the agent starts
    user:                                      # the person the agent works for (the user simulator)
      facts:                                   # what they answer when asked; keywords are matched in the question
        - {keywords: [how many, 几], say: Two tickets.}
      approve: true                            # their answer to a confirmation …
      max_minor: 4000                          # … but no to anything costing more than this
    oracle:                                    # the expert's way: tool calls, questions, the answer
      - {call: movies_find_showtimes, args: {movie_id: mov_dune, date: today}, save: shows}
      - {call: movies_hold_seats, args: {showtime_id: $shows.showtimes.0.id, quantity: 2}}
      - {call: movies_purchase, args: {hold_id: $prev.id}}
      - {say: "Booked two seats for Dune at 19:00, €27.00."}
    checks:
      expect: {movies.orders|len: 1}           # paths into the final state (see ``evals.state``)
      answer: [Dune, ["19:00", "7 pm"]]        # each item must appear in the final answer (a list: any of them)
      forbid_calls: [tickets_purchase]         # tools whose successful use fails the task

Arguments may refer to earlier results: ``$name.path`` (a step's ``save`` name) or ``$prev.path`` (the step before),
where ``path`` is dot-separated keys and list indexes into the result's structured JSON; a string that is exactly
one reference becomes the value it names (``evals.refs``).

Whether the run passes is decided by ``evals.checks``: the final state of the person's account must equal the one
the oracle leaves (a normalised state hash, with a readable diff when it does not), the ``expect`` paths must hold,
the answer must state the facts, and the standing prohibitions hold for every task: no money moves without the
person's yes to it, nothing happens to another user's data, and no forbidden tool succeeds.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Vertical = Literal["food", "tickets", "movies", "nav"]
Language = Literal["en", "zh"]
TASK_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
VERTICALS: tuple[Vertical, ...] = ("food", "tickets", "movies", "nav")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Call(Strict):
    """One tool call of an oracle solution or a sandbox setup."""

    call: str = Field(description="The tool's name, e.g. food_place_order.")
    args: dict[str, Any] = Field(default_factory=dict, description="Its arguments; strings may be $references.")
    save: str = Field(default="", description="A name later steps refer to this result by ($name.path).")
    error: bool = Field(default=False, description="The call is expected to fail (its error is part of the path).")


class Say(Strict):
    """Something the oracle says to the person: a question back (the person answers, the task goes on) or, last, the
    final answer."""

    say: str


Step = Call | Say


class Fact(Strict):
    """Something only the person knows, told when the agent's question mentions one of the keywords."""

    keywords: list[str] = Field(min_length=1, description="Case-insensitive words, any of which triggers the fact.")
    say: str = Field(description="What the person answers.")


class Person(Strict):
    """The person behind the request, as the user simulator plays them."""

    facts: list[Fact] = Field(default_factory=list)
    approve: bool = Field(default=True, description="Whether they say yes to a confirmation at all.")
    max_minor: int = Field(default=0, ge=0, description="No to a confirmation over this amount (0: no limit).")
    persona: str = Field(default="", description="Extra background for an LLM user simulator.")
    done: str = Field(default="", description="What they say when the agent asks something no fact answers.")


class Sandbox(Strict):
    """Where the task starts: whose account, what time it is, and what happened before."""

    user: str = "usr_demo"
    clock: datetime = Field(description="The sandbox's frozen now, with its UTC offset.")
    top_up_minor: int = Field(default=0, ge=0, description="Money added to the wallet before the task.")
    setup: list[Call] = Field(default_factory=list, description="Calls made and approved before the agent starts.")

    @field_validator("clock")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("clock needs a UTC offset, e.g. 2026-11-25T19:00:00+02:00")
        return value


AnswerFact = str | list[str]


class Checks(Strict):
    """What must be true when the agent is done, besides the final state equal to the oracle's."""

    expect: dict[str, Any] = Field(
        default_factory=dict,
        description="Paths into the final normalised state and what they must be (a value, or {op: value} with op "
        "one of ==, !=, <, <=, >, >=, contains).",
    )
    answer: list[AnswerFact] = Field(default_factory=list, description="Facts the final answer must state.")
    forbid_calls: list[str] = Field(default_factory=list, description="Tools that must not succeed.")
    state: bool = Field(default=True, description="Compare the final state with the oracle's (almost always).")
    seats: Literal["count", "exact"] = Field(
        default="count", description="exact: the seat ids must match the oracle's (the person asked for these seats)."
    )


class Task(Strict):
    id: str
    verticals: list[Vertical] = Field(min_length=1)
    language: Language
    tags: list[str] = Field(default_factory=list)
    request: str = Field(min_length=1)
    sandbox: Sandbox
    user: Person = Field(default_factory=Person)
    oracle: list[Step] = Field(min_length=1)
    checks: Checks = Field(default_factory=Checks)
    source: str = Field(default="", description="The file the task came from (filled in by the loader).")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not TASK_ID.match(value):
            raise ValueError(f"{value!r}: use lower-case words and digits joined by '-'")
        return value

    @model_validator(mode="after")
    def _ends_with_answer(self) -> Task:
        if not isinstance(self.oracle[-1], Say):
            raise ValueError("the oracle must end with a say: the final answer")
        saved = {"prev"}
        for step in self.oracle:
            if isinstance(step, Call):
                for name in _references(step.args):
                    if name not in saved:
                        raise ValueError(f"{step.call}: ${name} is not saved by an earlier step")
                if step.save:
                    saved.add(step.save)
        return self

    @property
    def cross(self) -> bool:
        """Whether the errand spans verticals."""
        return len(set(self.verticals)) > 1

    @property
    def group(self) -> str:
        """The vertical it is scored under: its one vertical, or 'cross'."""
        return "cross" if self.cross else self.verticals[0]

    @property
    def calls(self) -> list[Call]:
        return [s for s in self.oracle if isinstance(s, Call)]

    @property
    def answer(self) -> str:
        last = self.oracle[-1]
        assert isinstance(last, Say)
        return last.say


def _references(value: Any) -> set[str]:
    from evals.refs import names_in

    return names_in(value)
