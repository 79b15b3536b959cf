"""The tasks as data: every shipped file validates, ids are unique, the mix covers every vertical and both
languages, and a broken task file is refused with its name; the ``lifestyle-mcp eval`` command lists, runs and
reports."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.checks import states_fact
from evals.cli import main
from evals.loader import TaskFileError, load_tasks, select
from evals.model import Task
from evals.refs import ReferenceError_, resolve
from evals.user import amount_minor
from servers.cli import main as lifestyle_mcp


def test_the_shipped_tasks_cover_every_vertical_cross_errands_and_both_languages(tasks: list[Task]) -> None:
    groups = Counter(t.group for t in tasks)
    assert set(groups) == {"food", "tickets", "movies", "nav", "cross"}
    languages = Counter(t.language for t in tasks)
    assert languages["zh"] >= len(tasks) // 3
    assert any("multi-turn" in t.tags for t in tasks)
    assert any(t.user.max_minor or not t.user.approve for t in tasks)  # a person who says no


def test_a_task_file_that_does_not_validate_is_refused_with_its_name_and_task(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "id: x-1\nverticals: [food]\nlanguage: en\nrequest: hi\nsandbox: {clock: '2026-11-25T12:00:00+02:00'}\n"
        "oracle: [{call: food_get_cart, args: {}, sav: typo}, {say: ok}]\n",
        encoding="utf-8",
    )
    with pytest.raises(TaskFileError) as caught:
        load_tasks([tmp_path])
    assert "bad.yaml, task x-1" in str(caught.value)
    assert "sav" in str(caught.value)


def test_an_oracle_must_refer_only_to_results_saved_before_and_end_with_an_answer(tmp_path: Path) -> None:
    base = "id: x-1\nverticals: [food]\nlanguage: en\nrequest: hi\nsandbox: {clock: '2026-11-25T12:00:00+02:00'}\n"
    (tmp_path / "a.yaml").write_text(
        base + "oracle: [{call: food_get_order, args: {order_id: $later.id}}, {say: ok}]\n"
    )
    (tmp_path / "b.yaml").write_text(base.replace("x-1", "x-2") + "oracle: [{call: food_get_cart}]\n")
    for name, words in (("a.yaml", "$later is not saved"), ("b.yaml", "must end with a say")):
        with pytest.raises(TaskFileError) as caught:
            load_tasks([tmp_path / name])
        assert words in str(caught.value)


def test_references_follow_keys_and_indexes_and_say_where_they_stop() -> None:
    saved = {"shows": {"showtimes": [{"id": "sht_1", "tiers": [1, 2]}]}, "prev": {"id": "hld_9"}}
    assert resolve({"a": "$shows.showtimes.0.id", "b": "$prev.id", "c": ["$shows.showtimes.0.tiers"]}, saved) == {
        "a": "sht_1", "b": "hld_9", "c": [[1, 2]],
    }  # fmt: skip
    assert resolve("hold $prev.id now", saved) == "hold hld_9 now"
    with pytest.raises(ReferenceError_) as caught:
        resolve("$shows.showtimes.3.id", saved)
    assert "no '3' in a list of 1" in str(caught.value)


def test_confirmation_amounts_are_read_as_the_largest_euro_figure() -> None:
    message = "Buy 2 ticket(s): tickets €35.80 + booking fee €0.95 × 2 = €37.70 from the wallet. Buy now?"
    assert amount_minor(message) == 3770
    assert amount_minor("Refund 12,50 € to the wallet?") == 1250
    assert amount_minor("Go ahead?") is None


def test_a_number_in_a_fact_is_matched_whole_in_the_answer() -> None:
    """'8 min' is not stated by '18 min' (nor '12' by '123'); words, currency and times still match as written."""
    assert states_fact("It is an 8 min walk.", "8 min") and states_fact("Walk: 18 min", ["8 min", "18 min"])
    assert not states_fact("Walk: 18 min", "8 min") and not states_fact("about 1.8 min", "8 min")
    assert not states_fact("bus 123", "12") and states_fact("Gate 12.", "12")
    assert states_fact("Total €12.50 at 19:00", "€12.50") and states_fact("Total €12.50 at 19:00", "19:00")
    assert states_fact("大约 8 分钟", "8 分钟") and not states_fact("大约 18 分钟", "8 分钟")


def test_patterns_select_by_id_group_language_and_tag(tasks: list[Task]) -> None:
    assert {t.group for t in select(tasks, "cross")} == {"cross"}
    assert {t.language for t in select(tasks, "zh")} == {"zh"}
    assert [t.id for t in select(tasks, "food-001*")] == ["food-001-salmon-nigiri-home"]
    assert len(select(tasks, "")) == len(tasks)


def test_eval_run_writes_results_report_and_summary_and_exits_0_when_all_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        lifestyle_mcp(["eval", "run", "--agent", "oracle", "--tasks", "nav-001*", "--out", str(tmp_path), "--quiet"])
    assert done.value.code == 0
    assert "oracle: 1/1 trials passed" in capsys.readouterr().out
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["overall"]["pass_rate"] == 1.0
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main(["report", "--out", str(tmp_path), "--html", str(tmp_path / "again.html")]) == 0
    assert (tmp_path / "again.html").exists()


def test_eval_run_exits_1_when_a_trial_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--agent", "noop", "--tasks", "nav-001*", "--out", str(tmp_path), "--quiet"]) == 1
    assert "failures: answer 1" in capsys.readouterr().out


def test_an_out_directory_that_cannot_be_written_is_refused_before_any_trial_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    out = tmp_path / "a-file" / "results"
    assert main(["run", "--agent", "oracle", "--tasks", "nav-001*", "--out", str(out), "--quiet"]) == 2
    said = capsys.readouterr()
    assert f"--out {out}: Not a directory" in said.err and said.out == ""  # no trial ran, none was scored


def test_eval_run_over_stdio_servers_scores_the_same(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The console scripts as subprocesses, as ``lifestyle-mcp chat`` starts them, on the trial's sandbox copy."""
    code = main(["run", "--tasks", "movies-001*", "--transport", "stdio", "--out", str(tmp_path), "--quiet"])
    assert code == 0, capsys.readouterr().out
    trial = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["trials"][0]
    assert trial["state_hash"] == trial["expected_hash"]
