"""The official MCP conformance suite's generic server scenarios, run against every server over HTTP.

The other scenarios need the suite's own fixture tools (``test_simple_text`` …) and do not apply
to a product server. The suite is an npm package, installed once into a cache directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import serve_in_thread
from tests.sandboxes import VERTICALS, Lifestyle

PACKAGE = "@modelcontextprotocol/conformance@0.1.13"
GENERIC = [
    "server-initialize",
    "ping",
    "logging-set-level",
    "completion-complete",
    "tools-list",
    "resources-list",
    "prompts-list",
    "server-sse-multiple-streams",
    "dns-rebinding-protection",
]
CACHE = Path(os.environ.get("LIFESTYLE_NPM_CACHE", Path.home() / ".cache" / "lifestyle-mcp" / "conformance"))


@pytest.fixture(scope="module")
def conformance_cli() -> Path:
    npm = shutil.which("npm")
    assert npm, "Node.js/npm is needed for the conformance suite"
    cli = CACHE / "node_modules" / ".bin" / "conformance"
    if not cli.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "init", "-y"], cwd=CACHE, check=True, capture_output=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", PACKAGE],
            cwd=CACHE,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return cli


@pytest.mark.parametrize("vertical", VERTICALS)
def test_generic_conformance_scenarios_pass_over_http(
    lifestyle: Lifestyle, conformance_cli: Path, vertical: str
) -> None:
    failed = {}
    # The suite cannot send a bearer token: the documented way to run it is LIFESTYLE_AUTH=none, on loopback.
    server = lifestyle.server(vertical, auth="none")
    with serve_in_thread(server.streamable_http_app()) as base:
        for scenario in GENERIC:
            run = subprocess.run(
                [str(conformance_cli), "server", "--url", f"{base}/mcp", "--scenario", scenario],
                capture_output=True,
                text=True,
                timeout=120,
            )
            if run.returncode != 0 or "0 failed" not in run.stdout:
                failed[scenario] = run.stdout[-600:] + run.stderr[-300:]
    assert failed == {}
