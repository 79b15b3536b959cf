"""The route map (nav) in headless Chromium: the route's own geometry drawn as an SVG line between its ends, the
steps beside it, and the mode switch asking the server for a new route through the host."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.apps.conftest import AppsStack
from tests.apps.test_seat_picker import check_theme

ARGS = {"origin": "home", "destination": "Kiasma", "mode": "walking"}


def decode(polyline: str) -> list[tuple[float, float]]:
    """Google's encoded polyline (precision 5), decoded independently of the view's decoder."""
    points, index, lat, lng = [], 0, 0, 0
    while index < len(polyline):
        for axis in (0, 1):
            shift, value = 0, 0
            while True:
                byte = ord(polyline[index]) - 63
                index += 1
                value |= (byte & 0x1F) << shift
                shift += 5
                if byte < 0x20:
                    break
            delta = ~(value >> 1) if value & 1 else value >> 1
            if axis == 0:
                lat += delta
            else:
                lng += delta
        points.append((lat / 1e5, lng / 1e5))
    return points


def check_route(shown: Any, route: dict[str, Any]) -> None:
    points = decode(route["polyline"])
    assert len(points) >= 2
    line = shown.view.locator("#route")
    expect(line).to_have_attribute("data-points", str(len(points)))
    d = line.get_attribute("d") or ""
    assert d.startswith("M") and d.count("L") == len(points) - 1
    assert shown.view.locator("#route").evaluate("p => p.getTotalLength()") > 50  # a visible line, not a dot
    expect(shown.view.locator("#summary")).to_have_text(route["summary"])
    expect(shown.view.locator("#steps li")).to_have_count(len(route["legs"]) or len(route["steps"]))
    expect(shown.view.locator(f'#modes .btn[data-mode="{route["mode"]}"]')).to_have_attribute("aria-pressed", "true")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_route_line_steps_and_ends_are_drawn_and_the_mode_switch_asks_the_server_again(
    stack: AppsStack, open_view: Any, theme: str
) -> None:
    walking = stack.call("nav", "nav_route", ARGS)["structuredContent"]
    shown = open_view("nav", "nav_route", ARGS, theme=theme)
    check_theme(shown, theme)
    check_route(shown, walking["routes"][0])
    expect(shown.view.locator(".marker")).to_have_count(2)
    expect(shown.view.locator('.marker[data-label="A"] title')).to_have_text(f"A: {walking['origin']['name']}")
    expect(shown.view.locator('.marker[data-label="B"] title')).to_have_text(f"B: {walking['destination']['name']}")
    label = shown.view.locator("#map-label").text_content() or ""
    assert walking["origin"]["name"] in label and walking["destination"]["name"] in label

    shown.view.locator('#modes .btn[data-mode="transit"]').click()
    expect(shown.view.locator("body")).to_have_attribute("data-mode", "transit", timeout=15_000)
    assert shown.host("calls")[-1] == {"name": "nav_route", "arguments": {**ARGS, "mode": "transit"}}
    transit = stack.call("nav", "nav_route", {**ARGS, "mode": "transit"})["structuredContent"]
    check_route(shown, transit["routes"][0])
    assert transit["routes"][0]["legs"], "a transit route has legs"
    shown.assert_clean()
