"""The seat picker (tickets and movies) in headless Chromium: the real seat map drawn seat for seat, and two seats
chosen in the view held on the server through the host's tools/call, in light and dark themes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.apps.conftest import USER, AppsStack, HostPage

FREE = ".a<>"
STYLES_BG = {"light": "rgb(250, 249, 245)", "dark": "rgb(38, 38, 36)"}  # the host's --color-background-primary


def seats_of(sections: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(seat id, map character) of every seat, as the map's legend and seat_id_format define them."""
    out = []
    for section in sections:
        for row in section["rows"]:
            chars = [c for c in row["seats"] if c != " "]
            out += [(f"{section['code']}-ROW{row['row']}-SEAT{row['first'] + k}", c) for k, c in enumerate(chars)]
    return out


def two_free_neighbours(sections: list[dict[str, Any]]) -> list[str]:
    """Two ordinary free seats side by side (no aisle between), from the back rows of the first section."""
    section = sections[0]
    for row in reversed(section["rows"]):
        k = 0
        for a, b in zip(row["seats"], row["seats"][1:], strict=False):
            if a == b == ".":
                first = row["first"] + k
                return [f"{section['code']}-ROW{row['row']}-SEAT{n}" for n in (first, first + 1)]
            k += a != " "
    raise AssertionError("no two free seats side by side")


def check_drawn(shown: HostPage, sections: list[dict[str, Any]], tiers: dict[str, str]) -> None:
    """Every seat of the map is drawn once, with its state; every tier's price is in the legend."""
    seats = seats_of(sections)
    view = shown.view
    expect(view.locator(".seat")).to_have_count(len(seats))
    expect(view.locator('.seat[data-state="free"]')).to_have_count(sum(c in FREE for _, c in seats))
    expect(view.locator('.seat[data-state="taken"]')).to_have_count(sum(c == "x" for _, c in seats))
    expect(view.locator('.seat[data-kind="wheelchair"]')).to_have_count(sum(c == "a" for _, c in seats))
    taken = [seat_id for seat_id, c in seats if c == "x"]
    if taken:
        expect(view.locator(f'.seat[data-seat-id="{taken[0]}"]')).to_have_attribute("aria-disabled", "true")
    for code, price in tiers.items():
        expect(view.locator(f'.legend li[data-tier="{code}"]')).to_have_attribute("data-price", price)


def check_theme(shown: HostPage, theme: str) -> None:
    """The host's theme and style variables are applied to the document."""
    expect(shown.view.locator("html")).to_have_attribute("data-theme", theme)
    expect(shown.view.locator("body")).to_have_css("background-color", STYLES_BG[theme])


def first_on_sale_session(stack: AppsStack) -> tuple[str, dict[str, Any]]:
    events = stack.call("tickets", "tickets_search_events", {"query": "Icebreaker", "limit": 1})["structuredContent"]
    session_id = events["events"][0]["next_session_id"]
    return session_id, stack.call("tickets", "tickets_get_seat_map", {"session_id": session_id})["structuredContent"]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_tickets_seat_map_is_drawn_and_two_clicked_seats_become_a_hold_on_the_server(
    stack: AppsStack, open_view: Any, theme: str
) -> None:
    session_id, seat_map = first_on_sale_session(stack)
    before = stack.claims("tickets", session_id)
    shown = open_view("tickets", "tickets_get_seat_map", {"session_id": session_id}, theme=theme)
    check_theme(shown, theme)
    check_drawn(shown, seat_map["sections"], {t["code"]: t["price"]["display"] for t in seat_map["tiers"]})
    expect(shown.view.locator(".front")).to_have_text("STAGE")
    assert [s["code"] for s in seat_map["sections"]] == ["STL", "BAL"]
    expect(shown.view.locator(".sec")).to_have_count(2)

    pair = two_free_neighbours(seat_map["sections"])
    for seat_id in pair:
        shown.view.locator(f'.seat[data-seat-id="{seat_id}"]').click()
        expect(shown.view.locator(f'.seat[data-seat-id="{seat_id}"]')).to_have_attribute("aria-pressed", "true")
    expect(shown.view.locator("#hold")).to_have_text("Hold 2 seats")
    shown.view.locator("#hold").click()
    expect(shown.view.locator("#status")).to_contain_text("Held for you", timeout=15_000)

    # The backend now holds exactly those two seats for this user, unsold.
    new = [c for c in stack.claims("tickets", session_id) if c not in before]
    assert sorted((seat, user, order) for seat, _, user, order in new) == [(s, USER, "") for s in sorted(pair)]
    hold_id = new[0][1]
    # The view redrew the map from the server: the two seats are the user's live hold.
    for seat_id in pair:
        expect(shown.view.locator(f'.seat[data-seat-id="{seat_id}"]')).to_have_attribute("data-state", "held")
    calls = shown.host("calls")
    assert {"name": "tickets_hold_seats", "arguments": {"session_id": session_id, "seat_ids": pair}} in calls
    assert calls[-1]["name"] == "tickets_get_seat_map"
    contexts = shown.host("contexts")
    assert contexts and contexts[-1]["structuredContent"]["hold_id"] == hold_id

    # Buying stays the confirmed money path: the view only asks in the chat; nothing is sold.
    shown.view.locator("#buy").click()
    shown.page.wait_for_function("() => window.__host.messages.length > 0")
    assert hold_id in shown.host("messages")[0]["content"][0]["text"]
    assert all(order == "" for *_, order in stack.claims("tickets", session_id))
    assert not any(call["name"] == "tickets_purchase" for call in shown.host("calls"))
    assert {"ui/initialize", "ui/notifications/initialized", "ui/notifications/tool-input",
            "ui/notifications/tool-result", "tools/call", "ui/notifications/size-changed",
            "ui/update-model-context", "ui/message"} <= shown.methods()  # fmt: skip
    shown.assert_clean()


def couple_showtime(stack: AppsStack) -> tuple[str, dict[str, Any]]:
    """A showtime on sale in a hall with couple seats and wheelchair spaces."""
    cursor = ""
    showtimes: list[dict[str, Any]] = []
    for _ in range(5):
        page = stack.call("movies", "movies_find_showtimes", {"limit": 10, "cursor": cursor})["structuredContent"]
        showtimes += page["showtimes"]
        cursor = page["page"].get("next_cursor") or ""
        if not cursor:
            break
    for showtime in showtimes:
        if showtime["status"] == "on_sale" and any(t["tier"] == "COUPLE" and t["free"] for t in showtime["tiers"]):
            result = stack.call("movies", "movies_get_seat_map", {"showtime_id": showtime["id"]})
            return showtime["id"], result["structuredContent"]
    raise AssertionError("no showtime with couple seats")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_movies_couple_pair_chosen_by_keyboard_is_held_whole_and_released_from_the_view(
    stack: AppsStack, open_view: Any, theme: str
) -> None:
    showtime_id, seat_map = couple_showtime(stack)
    sections = seat_map["seat_map"]["sections"]
    shown = open_view("movies", "movies_get_seat_map", {"showtime_id": showtime_id}, theme=theme)
    check_theme(shown, theme)
    check_drawn(shown, sections, {t["tier"]: t["price"]["display"] for t in seat_map["seat_map"]["tiers"]})
    expect(shown.view.locator(".front")).to_have_text("SCREEN")
    assert sum(c in "<>" for _, c in seats_of(sections)) > 0
    expect(shown.view.locator(".seat.couple-l")).to_have_count(sum(c == "<" for _, c in seats_of(sections)))

    # Keyboard: the map is one tab stop; arrows move seat by seat; Enter chooses (a couple half takes its pair).
    couples = [seat_id for seat_id, c in seats_of(sections) if c == "<"]
    target = shown.view.locator(f'.seat[data-seat-id="{couples[-1]}"]')
    target.focus()
    shown.page.keyboard.press("ArrowRight")
    shown.page.keyboard.press("ArrowLeft")
    shown.page.keyboard.press("Enter")
    pair = couples[-1], re.sub(r"SEAT(\d+)$", lambda m: f"SEAT{int(m.group(1)) + 1}", couples[-1])
    for seat_id in pair:
        expect(shown.view.locator(f'.seat[data-seat-id="{seat_id}"]')).to_have_attribute("aria-pressed", "true")
    label = shown.view.locator(f'.seat[data-seat-id="{pair[0]}"]').get_attribute("aria-label") or ""
    assert "couple seat" in label and "chosen" in label
    shown.view.locator("#hold").click()
    expect(shown.view.locator("#status")).to_contain_text("Held for you", timeout=15_000)
    held = [(seat, order) for seat, _, user, order in stack.claims("movies", showtime_id) if seat in pair]
    assert sorted(held) == [(pair[0], ""), (pair[1], "")]

    shown.view.locator("#release").click()
    expect(shown.view.locator("#status")).to_contain_text("Released", timeout=15_000)
    assert [c for c in stack.claims("movies", showtime_id) if c[0] in pair] == []
    expect(shown.view.locator(f'.seat[data-seat-id="{pair[0]}"]')).to_have_attribute("data-state", "free")
    shown.assert_clean()


def test_seat_picker_fits_a_narrow_chat_column_and_works_behind_a_sandbox_proxy(
    stack: AppsStack, open_view: Any
) -> None:
    """320 px wide, rendered the web-host way (a sandbox proxy on another origin): the buttons stay in view."""
    session_id, seat_map = first_on_sale_session(stack)
    shown = open_view("tickets", "tickets_get_seat_map", {"session_id": session_id}, width=320, mode="proxy")
    expect(shown.view.locator(".seat")).to_have_count(len(seats_of(seat_map["sections"])))
    width = shown.view.locator("body").evaluate("b => b.scrollWidth")
    assert width <= 320
    box = shown.view.locator("#hold").bounding_box()
    assert box is not None and box["width"] > 0
    shown.assert_clean()
