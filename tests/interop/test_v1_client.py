"""A client outside the project — the mcp 1.x SDK in its own venv, as Qwen-Agent and LangChain
embed it — completes search → menu → cart → confirmed order → track → cancel over stdio."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

VENV = Path(os.environ.get("LIFESTYLE_MCP1_VENV", Path.home() / ".cache" / "lifestyle-mcp" / "mcp1-venv"))
SCRIPT = Path(__file__).with_name("v1_food_client.py")


@pytest.fixture(scope="module")
def v1_python() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "mcp>=1.24,<2"], check=True, timeout=600)
    return python


def test_an_mcp1_client_completes_the_food_job_over_stdio(v1_python: Path, tmp_path: Path) -> None:
    food_mcp = Path(sys.executable).with_name("food-mcp")
    run = subprocess.run(
        [str(v1_python), str(SCRIPT), str(food_mcp), str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["protocol"] == "2025-11-25"
    assert "food_place_order" in seen["tools"]
    assert seen["first_status"] == "confirmation_required"
    assert seen["order_status"] == "placed"
    assert seen["cancelled"] == "cancelled" and seen["refunded"] == seen["cart_total"]
