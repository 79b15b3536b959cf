"""Fixtures for the MCP Apps view tests: one sandbox with the four real servers behind the test host, and Debian's
Chromium driven headless by Playwright.

Chromium is required, not optional: without it these tests fail (the README's test command installs it first).
Playwright's own browser download is never used (it needs the network); it drives ``/usr/bin/chromium``.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, FrameLocator, Page, expect, sync_playwright
from sqlalchemy import text

from servers.nav.backend.graph import RoadNetwork
from tests.apps.harness import host_app, sandbox_app
from tests.conftest import serve_in_thread
from tests.sandboxes import VERTICALS, Lifestyle, make_lifestyle

CHROMIUM = os.environ.get("LIFESTYLE_CHROMIUM", "/usr/bin/chromium")
USER = "usr_demo"


@dataclass
class AppsStack:
    """The sandbox, the test host's URL and the sandbox proxy's (another origin)."""

    env: Lifestyle
    host: str
    sandbox: str

    def call(self, server: str, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """A tool result through the same host API (and MCP client) the page uses."""
        body = json.dumps({"name": tool, "arguments": arguments}).encode()
        req = urllib.request.Request(
            f"{self.host}/api/{server}/call", data=body, headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            result: dict[str, Any] = json.load(resp)
        assert not result.get("isError"), result
        return result

    def url(self, server: str, tool: str, args: dict[str, Any], *, theme: str = "light", width: int = 520,
            mode: str = "srcdoc") -> str:  # fmt: skip
        url = f"{self.host}/?server={server}&tool={tool}&theme={theme}&width={width}&mode={mode}"
        url += "&args=" + quote(json.dumps(args), safe="")
        return url + ("&sandbox=" + quote(self.sandbox, safe="") if mode == "proxy" else "")

    def claims(self, vertical: str, inventory_id: str) -> list[tuple[str, str, str, str]]:
        """(seat_id, hold_id, user_id, order_id) of every seat claimed in the backend for ``inventory_id``."""
        with self.env.engine.connect() as conn:
            rows = conn.execute(
                text(
                    f"SELECT seat_id, hold_id, user_id, order_id FROM {vertical}_seat_claim "
                    "WHERE inventory_id = :inv ORDER BY seat_id"
                ),
                {"inv": inventory_id},
            ).all()
        return [(r[0], r[1], r[2], r[3]) for r in rows]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, network: RoadNetwork) -> Iterator[AppsStack]:
    env = make_lifestyle(tmp_path_factory.mktemp("apps"), network)
    servers = {vertical: env.server(vertical, USER) for vertical in VERTICALS}
    try:
        with serve_in_thread(host_app(servers)) as host, serve_in_thread(sandbox_app()) as sandbox:
            # localhost vs 127.0.0.1: the proxy runs on another origin than the host page, as the spec asks.
            yield AppsStack(env, host, sandbox.replace("127.0.0.1", "localhost") + "/sandbox.html")
    finally:
        env.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to test the views")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@dataclass
class HostPage:
    """The host page with a view loaded, and what happened on it."""

    page: Page
    view: FrameLocator
    stack: AppsStack
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def host(self, key: str) -> Any:
        """What the test host recorded: calls, messages, contexts, wire, sizes, toolResult."""
        return self.page.evaluate(f"() => window.__host[{json.dumps(key)}]")

    def methods(self) -> set[str]:
        return {message.get("method", "") for _, message in self.host("wire")}

    def assert_clean(self) -> None:
        """No script errors, and nothing fetched outside the harness: the view is self-contained."""
        assert self.errors == []
        local = (self.stack.host, "http://localhost:", "about:", "data:")
        assert [u for u in self.requests if not u.startswith(local)] == []


@pytest.fixture
def open_view(browser: Browser, stack: AppsStack) -> Iterator[Callable[..., HostPage]]:
    pages: list[Page] = []

    def opener(server: str, tool: str, args: dict[str, Any], **options: Any) -> HostPage:
        width = options.get("width", 520)
        page = browser.new_page(viewport={"width": width + 40, "height": 900})
        pages.append(page)
        shown = HostPage(page, page.frame_locator("#view"), stack)
        page.on("pageerror", lambda e: shown.errors.append(str(e)))
        page.on("console", lambda m: shown.errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: shown.requests.append(r.url))
        page.goto(stack.url(server, tool, args, **options))
        if options.get("mode") == "proxy":
            shown.view = shown.view.frame_locator("iframe")  # host -> sandbox proxy -> view
        expect(shown.view.locator("body")).to_have_attribute("data-state", "ready", timeout=30_000)
        return shown

    yield opener
    for page in pages:
        page.close()
