"""`lifestyle-mcp serve`: all four servers over streamable HTTP in one process, one port each, with the URLs and a
token printed; streams are resumable (event ids, `retry`, replay on `Last-Event-ID`); Ctrl-C stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import free_port
from tests.support import mcp_over_http

BIN = Path(sys.executable).parent
INIT = {"jsonrpc": "2.0", "id": 7, "method": "initialize", "params": {
    "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}}  # fmt: skip


async def test_serve_runs_all_four_prints_urls_and_a_token_resumes_streams_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = {"LIFESTYLE_DATA_DIR": str(tmp_path), "PATH": os.environ["PATH"], "LIFESTYLE_LOG_LEVEL": "WARNING"}
    proc = _serve(env)
    try:
        lines = [proc.stdout.readline() for _ in range(5)] if proc.stdout else []
        urls = {line.split()[0]: line.split()[1] for line in lines[:4]}
        token = lines[4].split()[1]
        tools = {}
        for name, url in urls.items():
            async with mcp_over_http(url, token) as c:
                tools[name] = len((await c.list_tools()).tools)
        headers = {"Accept": "application/json, text/event-stream", "Authorization": f"Bearer {token}"}
        with httpx.Client(timeout=30) as http:
            first_stream = http.post(urls["food"], json=INIT, headers=headers)
            events = _events(first_stream.text)
            session = first_stream.headers["mcp-session-id"]
            priming = next(e for e in events if "data" not in e or not e["data"])
            resume = {"Mcp-Session-Id": session, "Last-Event-ID": priming["id"], "MCP-Protocol-Version": "2025-11-25"}
            replayed = ""
            with http.stream("GET", urls["food"], headers=headers | resume) as stream:  # stays open: read, then go
                for line in stream.iter_lines():
                    replayed += line + "\n"
                    if line.startswith("data:"):
                        break
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=30)
        finally:
            proc.kill()
    assert set(urls) == {"food", "tickets", "movies", "nav"} and all(u.endswith("/mcp") for u in urls.values())
    assert token.startswith("lsk_") and all(count >= 8 for count in tools.values())
    assert priming["retry"] == "1000" and all(e.get("id") for e in events)
    assert '"id":7' in replayed.replace(" ", "")  # the initialize result, sent again after the priming event
    assert code == 0


def _serve(env: dict[str, str]) -> subprocess.Popen[str]:
    """``lifestyle-mcp serve`` on four consecutive free ports, listening on all of them.

    Only the first port comes from the OS; the next three are merely checked free, so a test in another pytest
    worker may take one before the servers bind it. The servers then exit with "address already in use", and
    that start is tried again on other ports; any other exit fails the test with the servers' stderr.
    """
    for _ in range(3):
        first = free_port()
        while any(not _free(first + n) for n in range(4)):
            first = free_port()
        proc = subprocess.Popen([str(BIN / "lifestyle-mcp"), "serve", "--port", str(first)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        deadline = time.monotonic() + 60
        while proc.poll() is None and any(_free(first + n) for n in range(4)):
            assert time.monotonic() < deadline, f"lifestyle-mcp serve did not listen on {first}–{first + 3} in 60 s"
            time.sleep(0.05)  # waiting for a subprocess to listen, not timing anything
        if proc.poll() is None:
            return proc
        why = proc.stderr.read() if proc.stderr else ""
        assert "address already in use" in why.lower(), why[-3000:]
    raise AssertionError("four consecutive free ports were taken three times over")


def _free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _events(body: str) -> list[dict[str, str]]:
    """SSE text → events as {field: value}."""
    events = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            key, _, value = line.partition(":")
            fields[key] = value.strip()
        if fields:
            events.append(fields)
    return events
