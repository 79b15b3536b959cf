"""The route map (nav) in headless Chromium: the route's own geometry drawn as an SVG line between its ends, over
the streets the view asked the server for through the host (nav_map_streets, an app-only tool), the steps beside it,
and the mode switch asking the server for a new route through the host."""

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


def check_streets(shown: Any, stack: AppsStack, *, on_streets: bool) -> None:
    """Streets from the server's street graph are drawn under the route, and their request went through the host.
    ``on_streets``: the whole route runs on streets (a walk), so streets must lie under the sampled points."""
    expect(shown.view.locator("body")).to_have_attribute("data-streets", "drawn", timeout=15_000)
    asked = [c for c in shown.host("calls") if c["name"] == "nav_map_streets"]
    assert asked, "the view asked for the streets through the host"
    box = asked[-1]["arguments"]
    assert set(box) == {"min_lat", "min_lng", "max_lat", "max_lng"}
    served = stack.call("nav", "nav_map_streets", box)["structuredContent"]
    streets = shown.view.locator("#streets path.street")
    expect(streets).to_have_count(len(served["streets"]))
    assert streets.count() > 100
    major = shown.view.locator("#streets path.street.major")
    assert 0 < major.count() < streets.count()
    assert float(major.first.get_attribute("stroke-width") or 0) > float(
        shown.view.locator("#streets path.street.path").first.get_attribute("stroke-width") or 0
    )
    expect(shown.view.locator('#streets path.street[data-name="Mannerheimintie"] title').first).to_have_text(
        "Mannerheimintie"
    )
    labels = shown.view.locator("#street-labels text").all_text_contents()
    assert labels and set(labels) <= {s["name"] for s in served["streets"]}
    # The route is on top: at points along its line the topmost element is the route itself, although (for a
    # walk) a street runs under them: drawn the other way round, a street would be hit.
    on_top = shown.view.locator("#route").evaluate(
        """route => {
            const m = route.getScreenCTM(), total = route.getTotalLength();
            return [0.2, 0.4, 0.6, 0.8].map((f) => {
                const p = route.getPointAtLength(total * f).matrixTransform(m);
                return document.elementFromPoint(p.x, p.y)?.id ?? null;
            });
        }"""
    )
    assert on_top == ["route"] * 4
    under = shown.view.locator("#route").evaluate(
        """route => {
            const m = route.getScreenCTM(), total = route.getTotalLength();
            route.style.visibility = "hidden";
            document.getElementById("route-casing").style.visibility = "hidden";
            const hits = [0.2, 0.4, 0.6, 0.8].map((f) => {
                const p = route.getPointAtLength(total * f).matrixTransform(m);
                const el = document.elementFromPoint(p.x, p.y);
                return el ? el.getAttribute("class") : null;
            });
            route.style.visibility = document.getElementById("route-casing").style.visibility = "";
            return hits;
        }"""
    )
    if on_streets:
        assert sum(bool(h) and ("street" in h or "casing" in h) for h in under) >= 3, under


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
    check_streets(shown, stack, on_streets=True)

    shown.view.locator('#modes .btn[data-mode="transit"]').click()
    expect(shown.view.locator("body")).to_have_attribute("data-mode", "transit", timeout=15_000)
    routes = [c for c in shown.host("calls") if c["name"] == "nav_route"]
    assert routes[-1] == {"name": "nav_route", "arguments": {**ARGS, "mode": "transit"}}
    transit = stack.call("nav", "nav_route", {**ARGS, "mode": "transit"})["structuredContent"]
    check_route(shown, transit["routes"][0])
    assert transit["routes"][0]["legs"], "a transit route has legs"
    check_streets(shown, stack, on_streets=False)
    shown.assert_clean()
