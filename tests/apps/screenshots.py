"""Write the README's screenshots of the MCP Apps views (docs/screenshots/*.png). A script, not a test.

Each view is loaded by the same test host as tests/apps (ext-apps AppBridge, real servers on a fresh sandbox at
the tests' frozen noon), driven a little (seats held, dishes added, the mode switched) and its iframe captured.

    apt-get install -y chromium fonts-wqy-microhei     # the font draws the Chinese names
    .venv/bin/python -m tests.apps.screenshots [--out docs/screenshots] [--only route-map]

It lives beside the test host it uses; it is a checkout tool and is not in the wheel.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import FrameLocator, Page, expect, sync_playwright

from servers.nav.backend.graph import load_network
from shared.kit.settings import default_fixtures
from tests.apps.conftest import CHROMIUM, USER, AppsStack
from tests.apps.harness import host_app
from tests.conftest import serve_in_thread
from tests.sandboxes import VERTICALS, make_lifestyle

ROOT = Path(__file__).parents[2]
WIDTH = 560


def open_view(page: Page, stack: AppsStack, server: str, tool: str, args: dict[str, Any], theme: str) -> FrameLocator:
    page.goto(stack.url(server, tool, args, theme=theme, width=WIDTH))
    view = page.frame_locator("#view")
    expect(view.locator("body")).to_have_attribute("data-state", "ready", timeout=30_000)
    return view


def settle(page: Page) -> None:
    """Let the view report its final height and the host resize the frame."""
    page.wait_for_function("() => { const s = window.__host.sizes; return s.length > 0; }")
    page.wait_for_timeout(400)


def seat_picker_tickets(page: Page, stack: AppsStack, theme: str) -> None:
    events = stack.call("tickets", "tickets_search_events", {"query": "Icebreaker", "limit": 1})["structuredContent"]
    view = open_view(
        page, stack, "tickets", "tickets_get_seat_map", {"session_id": events["events"][0]["next_session_id"]}, theme
    )
    free = view.locator('.sec[data-section="STL"] .seat[data-state="free"][data-tier="B"]')
    free.nth(8).click()
    free.nth(9).click()
    view.locator("#hold").click()
    expect(view.locator("#status")).to_contain_text("Held for you", timeout=15_000)


def seat_picker_movies(page: Page, stack: AppsStack, theme: str) -> None:
    page_ = stack.call("movies", "movies_find_showtimes", {"limit": 10})["structuredContent"]
    showtime = next(s for s in page_["showtimes"] if any(t["tier"] == "COUPLE" for t in s["tiers"]))
    view = open_view(page, stack, "movies", "movies_get_seat_map", {"showtime_id": showtime["id"]}, theme)
    view.locator('.seat.couple-l[data-state="free"]').last.click()


def route_map(page: Page, stack: AppsStack, theme: str) -> None:
    view = open_view(
        page, stack, "nav", "nav_route", {"origin": "home", "destination": "Kiasma", "mode": "walking"}, theme
    )
    if theme == "dark":
        view.locator('#modes .btn[data-mode="transit"]').click()
        expect(view.locator("body")).to_have_attribute("data-mode", "transit", timeout=15_000)
    expect(view.locator("body")).to_have_attribute("data-streets", "drawn", timeout=15_000)


def menu_cart(page: Page, stack: AppsStack, theme: str) -> None:
    stack.call("food", "food_update_cart", {"clear": True})
    found = stack.call("food", "food_search_restaurants", {})["structuredContent"]["restaurants"]
    view = open_view(page, stack, "food", "food_get_restaurant", {"restaurant_id": found[0]["id"]}, theme)
    cards = view.locator(".card")
    for n in (0, 0, 3):
        before = cards.nth(n).locator("output").text_content()
        cards.nth(n).locator(".plus").click()
        expect(cards.nth(n).locator("output")).not_to_have_text(before or "", timeout=15_000)


SHOTS = [
    ("seat-picker-tickets-light", seat_picker_tickets, "light"),
    ("seat-picker-movies-dark", seat_picker_movies, "dark"),
    ("route-map-light", route_map, "light"),
    ("route-map-dark", route_map, "dark"),
    ("menu-cart-light", menu_cart, "light"),
    ("menu-cart-dark", menu_cart, "dark"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", default="", help="only the screenshots whose name starts with this, e.g. route-map")
    options = parser.parse_args()
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = make_lifestyle(Path(tmp), load_network(default_fixtures(), Path(tmp) / "cache" / "nav"))
        servers = {vertical: env.server(vertical, USER) for vertical in VERTICALS}
        with serve_in_thread(host_app(servers)) as host, sync_playwright() as p:
            stack = AppsStack(env, host, "")
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
            for name, drive, theme in (shot for shot in SHOTS if shot[0].startswith(options.only)):
                page = browser.new_page(viewport={"width": WIDTH + 40, "height": 2400}, device_scale_factor=1.5)
                drive(page, stack, theme)
                settle(page)
                page.locator("#view").screenshot(path=str(out / f"{name}.png"))
                print(out / f"{name}.png", file=sys.stderr)
                page.close()
            browser.close()
        env.engine.dispose()


if __name__ == "__main__":
    main()
