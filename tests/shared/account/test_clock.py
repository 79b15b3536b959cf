"""The sandbox clock lives in the database: every process and every restart reads the same time, and it never
runs backwards unless someone explicitly sets it back."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from shared.account import Sandbox, SandboxClock, open_sandbox
from shared.account.clock import SkewEstimate
from shared.errors import InvalidInputError
from shared.kit.backend import provider_app
from tests.shared.account.conftest import NOON
from tests.support import auth, provider, sandbox_settings


def test_two_clocks_on_one_sandbox_agree_after_any_change(sandbox: Sandbox) -> None:
    other = SandboxClock(sandbox.engine)  # another process's view of the same database
    assert sandbox.clock.now() == other.now() == NOON
    sandbox.clock.advance(timedelta(minutes=90))
    other.refresh()  # what a provider does at the start of every request
    assert other.now() == NOON + timedelta(minutes=90)
    other.freeze(NOON + timedelta(hours=3))
    sandbox.clock.refresh()
    assert sandbox.clock.now() == NOON + timedelta(hours=3)


def test_a_slow_read_of_the_database_clock_does_not_set_this_process_back() -> None:
    """The skew to the database host's clock is the middle of the quickest round trip: a read that came back
    0.2 s late (a busy machine) would otherwise put this process 0.2 s behind the others, which at the
    benchmarks' 1,200x clock is four minutes of sandbox time, and a hold would look live here after it lapsed
    everywhere else."""
    skew = SkewEstimate()
    skew.observe(1000.0105, sent=1000.0, received=1000.001)  # 1 ms there and back: the database is 10 ms ahead
    assert abs(skew.value - 0.010) < 1e-9
    skew.observe(2000.0105, sent=2000.0, received=2000.201)  # answered at once, heard 0.2 s later
    assert abs(skew.value - 0.010) < 1e-9, "a slow sample must not replace a quick one"
    skew.observe(3000.0205, sent=3000.0, received=3000.0005)  # a quicker one: the host's clock moved
    assert abs(skew.value - 0.02025) < 1e-9


def test_the_clock_agrees_with_the_database_host_after_a_refresh(sandbox: Sandbox) -> None:
    """On PostgreSQL every process measures time on the database host; here both are one host, so the estimate
    is within a few milliseconds of nothing (SQLite: no skew at all)."""
    clock = sandbox.clock
    for _ in range(5):
        clock.refresh()
    if sandbox.engine.dialect.name != "postgresql":
        assert abs(clock.wall() - time.time()) < 0.001
        return
    with sandbox.engine.connect() as conn:
        sent = time.time()
        db = float(conn.exec_driver_sql("SELECT extract(epoch from clock_timestamp())").scalar_one())
        received = time.time()
    assert abs(clock.wall() - time.time() - (db - (sent + received) / 2)) < 0.005


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


def test_a_speed_or_jump_that_is_not_a_number_of_this_world_is_refused(sandbox: Sandbox) -> None:
    for scale in (float("inf"), float("nan"), -1.0, 1e12):
        with pytest.raises(InvalidInputError, match="is not a speed"):
            sandbox.clock.run(scale)
    with pytest.raises(InvalidInputError, match="out of range"):
        sandbox.clock.advance(timedelta(days=100_000))
    with pytest.raises(InvalidInputError, match="no UTC offset"):
        sandbox.clock.set(datetime(2026, 12, 24, 18, 0))  # noqa: DTZ001 - the mistake under test
    assert sandbox.clock.now() == NOON and sandbox.clock.scale == 0
    other = SandboxClock(sandbox.engine)  # and what is stored still reads
    assert other.now() == NOON


async def test_the_admin_clock_checks_a_whole_change_before_applying_any_of_it(sqlite_sandbox: Sandbox) -> None:
    settings = sandbox_settings("shop", sqlite_sandbox.fixtures_dir.parent, NOON)
    app = provider_app(settings, sqlite_sandbox, title="shop", description="A test provider.")
    admin = auth(app, "", "admin")
    christmas = "2026-12-24T18:00:00+02:00"
    async with provider(app) as http:
        answers = [
            await http.post("/admin/clock", json=body, headers=admin)
            for body in (
                {"set_to": christmas, "advance_seconds": 1e300},
                {"set_to": "2026-12-24T18:00:00"},
                {"scale": "Infinity"},
                {"set_to": christmas, "scale": 2},
            )
        ]
    assert [a.status_code for a in answers] == [422, 422, 422, 200]
    assert answers[-1].json()["now"].startswith("2026-12-24T18:00") and answers[-1].json()["scale"] == 2
