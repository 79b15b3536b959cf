"""The sandbox clock lives in the database: every process and every restart reads the same time, and it never
runs backwards unless someone explicitly sets it back."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from shared.account import Sandbox, SandboxClock, open_sandbox
from shared.errors import InvalidInputError
from tests.shared.account.conftest import NOON
from tests.support import sandbox_settings


def test_two_clocks_on_one_sandbox_agree_after_any_change(sandbox: Sandbox) -> None:
    other = SandboxClock(sandbox.engine)  # another process's view of the same database
    assert sandbox.clock.now() == other.now() == NOON
    sandbox.clock.advance(timedelta(minutes=90))
    other.refresh()  # what a provider does at the start of every request
    assert other.now() == NOON + timedelta(minutes=90)
    other.freeze(NOON + timedelta(hours=3))
    sandbox.clock.refresh()
    assert sandbox.clock.now() == NOON + timedelta(hours=3)


def test_a_reopened_sandbox_keeps_its_time_and_ignores_a_new_start(tmp_path: Path) -> None:
    first = open_sandbox(sandbox_settings("", tmp_path, NOON))
    first.clock.advance(timedelta(hours=2))
    first.engine.dispose()
    again = open_sandbox(sandbox_settings("", tmp_path, NOON - timedelta(days=30)))  # a stale CLOCK_START
    assert again.clock.now() == NOON + timedelta(hours=2)
    again.engine.dispose()


def test_it_does_not_go_back_unless_asked(sandbox: Sandbox) -> None:
    with pytest.raises(InvalidInputError, match="does not go back"):
        sandbox.clock.set(NOON - timedelta(minutes=1))
    with pytest.raises(InvalidInputError):
        sandbox.clock.advance(timedelta(minutes=-1))
    assert sandbox.clock.now() == NOON
    sandbox.clock.set(NOON - timedelta(hours=1), backwards=True)
    assert sandbox.clock.now() == NOON - timedelta(hours=1)


def test_a_running_clock_moves_at_its_scale_and_ignores_a_wall_clock_stepping_back(
    sqlite_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    wall = [time.time()]
    monkeypatch.setattr("shared.account.clock.time.time", lambda: wall[0])  # the wall clock, under our control
    clock = sqlite_sandbox.clock
    clock.run(60)  # a minute per second
    start = clock.now()
    wall[0] += 30
    assert clock.now() - start == timedelta(minutes=30)
    wall[0] -= 20  # NTP steps the machine's clock back
    assert clock.now() - start == timedelta(minutes=30)  # simulated time waits instead of going back
    frozen = clock.freeze()
    wall[0] += 100
    assert clock.now() == frozen and clock.scale == 0
