"""A client outside the project — the mcp 1.x SDK in its own venv, as Qwen-Agent and LangChain
embed it — completes search → menu → cart → confirmed order → track → cancel over stdio."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import first_port

VENV = Path(os.environ.get("LIFESTYLE_MCP1_VENV", Path.home() / ".cache" / "lifestyle-mcp" / "mcp1-venv"))
SCRIPT = Path(__file__).with_name("v1_food_client.py")


@pytest.fixture(scope="module")
def v1_python() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    # an install cut short (a run stopped meanwhile) leaves the venv without mcp: install until it imports
    if subprocess.run([str(python), "-c", "import mcp.client.stdio"], capture_output=True).returncode != 0:
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


SUITE = Path(__file__).with_name("v1_suite_client.py")


def check_suite(seen: dict[str, dict[str, object]]) -> None:
    assert set(seen) == {"food", "tickets", "movies", "nav"}
    for name, got in seen.items():
        assert got["protocol"] == "2025-11-25", name
        assert all(str(t).startswith(name + "_") for t in got["tools"]), name  # type: ignore[attr-defined]
        assert got["bad_is_error"] and str(got["bad_text"]).startswith("Error: No "), got["bad_text"]


def test_an_mcp1_client_reaches_every_server_over_stdio(v1_python: Path, tmp_path: Path) -> None:
    run = subprocess.run([str(v1_python), str(SUITE), "stdio", str(Path(sys.executable).parent), str(tmp_path)],
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    check_suite(json.loads(run.stdout.strip().splitlines()[-1]))


def test_an_mcp1_client_reaches_every_server_over_http_with_a_token(v1_python: Path, tmp_path: Path) -> None:
    env = {"LIFESTYLE_DATA_DIR": str(tmp_path), "PATH": os.environ["PATH"], "LIFESTYLE_LOG_LEVEL": "WARNING"}
    serve = subprocess.Popen([str(Path(sys.executable).with_name("lifestyle-mcp")), "serve", "--port", "0"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        first = first_port(serve)
        assert serve.stdout is not None
        token = next(line.split()[1] for line in iter(serve.stdout.readline, "") if line.startswith("token"))
        run = subprocess.run([str(v1_python), str(SUITE), "http", str(first), token], capture_output=True, text=True,
                             timeout=300)  # fmt: skip
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=30)
    assert run.returncode == 0, run.stderr[-2000:]
    check_suite(json.loads(run.stdout.strip().splitlines()[-1]))
