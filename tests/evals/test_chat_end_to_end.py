"""The chat agent scored end to end: a scripted OpenAI-compatible endpoint plays the model (real HTTP), the runner
gives it a fresh sandbox and the real servers, the scripted person answers its question from the task's facts and
confirms the payment, and the report shows the result; a model that buys the wrong thing fails with a state diff."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evals.loader import load_tasks
from evals.metrics import summarise
from evals.report import write_report, write_results
from evals.runner import Endpoint, Options, Runner
from tests.clients.scripted_llm import Request, ScriptedLLM, Turn, call, say

TASK = """
id: movies-e2e-how-many
verticals: [movies]
language: en
tags: [ask-back, multi-turn, confirm]
request: Standard seats for Hero tonight at Kinopalatsi, please.
sandbox: {clock: "2026-11-25T16:00:00+02:00"}
user:
  facts: [{keywords: [how many], say: "Two, please."}]
oracle:
  - {call: movies_find_showtimes, args: {movie_id: mov_q260379, cinema_id: cin_n1376356017, date: today}, save: shows}
  - {say: "It starts at 19:15. How many seats?"}
  - {call: movies_hold_seats, args: {showtime_id: $shows.showtimes.0.id, tier: STD, quantity: 2}, save: hold}
  - {call: movies_purchase, args: {hold_id: $hold.id}}
  - {say: "Two seats for Hero at 19:15 are yours."}
checks:
  expect: {movies.orders|len: 1}
  answer: ["19:15"]
"""


def _result(request: Request, index: int = -1) -> dict[str, Any]:
    return dict(json.loads(request.tool_results()[index]))


def model_script(seats: int) -> list[Any]:
    """A model that looks the show up, asks how many, then holds ``seats`` and buys them."""

    def hold(request: Request) -> Turn:
        assert request.last_user() == "Two, please."
        show = _result(request, 0)["showtimes"][0]["id"]
        return call("movies_hold_seats", {"showtime_id": show, "tier": "STD", "quantity": seats})

    def buy(request: Request) -> Turn:
        return call("movies_purchase", {"hold_id": _result(request)["id"]})

    def answer(request: Request) -> Turn:
        assert _result(request)["status"] == "done"
        return say("Booked: Hero at 19:15, Kinopalatsi.")

    return [
        call("movies_find_showtimes", {"movie_id": "mov_q260379", "cinema_id": "cin_n1376356017", "date": "today"}),
        say("Hero starts at 19:15 in the IMAX hall. How many seats would you like?"),
        hold, buy, answer,
    ]  # fmt: skip


async def _score(tmp_path: Path, seats: int) -> tuple[dict[str, Any], str]:
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "e2e.yaml").write_text(TASK, encoding="utf-8")
    [task] = load_tasks([tmp_path / "tasks"])
    llm = ScriptedLLM(model_script(seats))
    with llm.serve() as base_url, Runner(Options(agent="chat", endpoint=Endpoint(base_url, "qwen-scripted"))) as runner:
        [trial] = await runner.run([task])
    llm.assert_done()
    out = tmp_path / "out"
    write_results(out, {"agent": "chat", "model": "qwen-scripted", "k": 1}, [trial.to_json()])
    html, summary = write_report(out)
    return json.loads(summary.read_text(encoding="utf-8")) | {"trial": trial.to_json()}, html.read_text("utf-8")


async def test_a_scripted_model_that_asks_and_buys_what_was_asked_passes(tmp_path: Path) -> None:
    summary, html = await _score(tmp_path, seats=2)
    trial = summary["trial"]
    assert trial["reasons"] == []
    assert [e["text"] for e in trial["events"] if e["type"] == "user"] == [
        "Standard seats for Hero tonight at Kinopalatsi, please.",
        "Two, please.",
    ]
    assert [c["approved"] for c in trial["consents"]] == [True]
    assert (trial["tool_calls"], trial["requests"], trial["prompt_tokens"] + trial["completion_tokens"]) == (3, 5, 10)
    assert summary["overall"]["pass_rate"] == 1.0
    assert summary["groups"]["movies"]["pass_hat_k"] == {"1": 1.0}
    assert "<svg" in html and "Failed trials (0)" in html


async def test_a_scripted_model_that_buys_too_many_fails_with_the_state_diff_in_the_report(tmp_path: Path) -> None:
    summary, html = await _score(tmp_path, seats=3)
    trial = summary["trial"]
    assert len(trial["reasons"]) == 1
    assert trial["reasons"][0].startswith("state: the final state differs")
    assert summary["failure_kinds"] == {"state": 1}
    assert summary["failed_tasks"] == ["movies-e2e-how-many"]
    assert "Failed trials (1)" in html and "movies-e2e-how-many" in html
    assert "movies_purchase" in html  # the transcript
    assert '<span class="add">' in html  # the diff, the agent's extra seat marked


def test_summaries_count_pass_hat_k_over_trials() -> None:
    rows = [
        {"task": t, "group": "food", "language": "en", "passed": p, "reasons": [] if p else ["state: x"],
         "tool_calls": 2, "prompt_tokens": 5, "completion_tokens": 5}
        for t, p in [("a", True), ("a", True), ("b", True), ("b", False)]
    ]  # fmt: skip
    scores = summarise(rows, 2)["overall"]
    assert scores["pass_rate"] == 0.75
    assert scores["pass_hat_k"] == {"1": 0.75, "2": 0.5}  # a: 1; b: C(1,2)/C(2,2) = 0
