"""`lifestyle-mcp serve`: all four servers over streamable HTTP in one process, one port each, with the URLs and a
token printed; streams are resumable (event ids, `retry`, replay on `Last-Event-ID`); Ctrl-C stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

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
    ports = [int(u.rsplit(":", 1)[1].split("/")[0]) for u in urls.values()]
    assert ports == list(range(ports[0], ports[0] + 4))  # consecutive, as configs written for --port N expect
    assert token.startswith("lsk_") and all(count >= 8 for count in tools.values())
    assert priming["retry"] == "1000" and all(e.get("id") for e in events)
    assert '"id":7' in replayed.replace(" ", "")  # the initialize result, sent again after the priming event
    assert code == 0


def _serve(env: dict[str, str]) -> subprocess.Popen[str]:
    """``lifestyle-mcp serve --port 0``: it binds four free consecutive ports itself before printing their URLs,
    so no other pytest worker can take one between choosing and listening."""
    return subprocess.Popen([str(BIN / "lifestyle-mcp"), "serve", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


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
