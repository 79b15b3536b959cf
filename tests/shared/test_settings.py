"""``Settings.for_vertical``: explicit overrides (what tests, benchmarks, evals and the command lines pass) are
checked and coerced like the environment's values, so a mistake shows where it is made, not at the first call."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client
from pydantic import ValidationError

from servers.nav.server import build_server
from shared.kit.faults import FaultPlan
from shared.kit.settings import SANDBOX_FILE, Settings


async def test_a_data_dir_given_as_text_is_a_path_and_the_server_answers_on_it(tmp_path: Path) -> None:
    settings = Settings.for_vertical("nav", data_dir=str(tmp_path), time_scale="0", log_level="WARNING")
    assert settings.data_dir == tmp_path and settings.time_scale == 0.0
    async with Client(build_server(settings)) as c:
        found = await c.call_tool("nav_geocode", {"query": "Helsinki Cathedral"})
    assert not found.is_error, found.content
    assert (tmp_path / SANDBOX_FILE).exists()


def test_an_override_that_is_no_setting_or_out_of_range_is_refused_at_once() -> None:
    with pytest.raises(TypeError, match="not a setting: data_path"):
        Settings.for_vertical("nav", data_path="/tmp")
    with pytest.raises(ValidationError, match="time_scale"):
        Settings.for_vertical("nav", time_scale=-1)


@pytest.mark.parametrize("spec", ["", " ", ",", " , ,"])
def test_a_fault_setting_naming_no_fault_is_no_faults(spec: str) -> None:
    assert Settings(faults=spec).fault_plan == FaultPlan() == FaultPlan.parse(spec)
    with pytest.raises(ValidationError, match="not key=value"):
        Settings(faults=spec + ",error")
