"""MCP Apps (``io.modelcontextprotocol/ui``): the views a server attaches to the tools that show seats, menus
and routes.

A host that renders MCP Apps reads a tool's ``_meta.ui.resourceUri``, fetches that ``ui://`` resource (one
self-contained HTML document) and shows it in a sandboxed iframe beside the answer; the view then calls the
server's own tools through the host (``tools/call`` over ``postMessage``), never the backend. A client without
Apps ignores both the ``_meta`` and the resources, so it keeps exactly the text and structured results it had.

Why a helper and not ``@apps.tool``: our tools are registered on the server (after it is built) and keep their
own decorator, annotations and schemas; only the ``_meta.ui`` stamp and the resources come from here. The
``Apps`` extension object is still what the server is built with, so the capability is advertised the SDK's
way (``capabilities.extensions["io.modelcontextprotocol/ui"]``).

The views live in ``shared/views/`` as package files. Parts they share (the host bridge, the theme) are
written once there and inlined when the HTML is loaded, so every resource a host reads is one document that
fetches nothing at run time.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from mcp.server.apps import Apps

View = Literal["seat_picker", "menu_cart", "route_map"]

TITLES: dict[View, str] = {
    "seat_picker": "Seat picker",
    "menu_cart": "Menu and cart",
    "route_map": "Route map",
}
DESCRIPTIONS: dict[View, str] = {
    "seat_picker": "The seat map drawn as the hall looks: tap free seats to hold them (buying stays a confirmed step).",
    "menu_cart": "The restaurant's menu as cards with options and a live bill; quantities update the cart.",
    "route_map": "The route drawn on the street map, with its steps and a travel-mode switch.",
}

INCLUDE = re.compile(r"/\*@include ([a-z_]+\.(?:js|css))\*/")
"""``/*@include bridge.js*/`` in a view is replaced by that shared file's text when the view is loaded."""


def view_uri(vertical: str, view: View) -> str:
    """The ``ui://`` address of ``view`` on ``vertical``'s server, e.g. ``ui://tickets/seat_picker.html``."""
    return f"ui://{vertical}/{view}.html"


def ui_meta(vertical: str, view: View, *, app_only: bool = False) -> dict[str, Any]:
    """The ``_meta`` a tool carries so Apps hosts render ``view`` with its result (pass as ``meta=``).

    ``app_only`` marks a tool only the view calls (visibility ``["app"]``, e.g. the streets under the route map):
    hosts keep it out of the model's tool list, so it costs the model no context and no wrong calls."""
    ui: dict[str, Any] = {"resourceUri": view_uri(vertical, view)}
    if app_only:
        ui["visibility"] = ["app"]
    return {"ui": ui}


@cache
def view_html(view: View) -> str:
    """The view's HTML with the shared parts inlined: one self-contained document."""
    folder = files("shared.views")

    def inline(match: re.Match[str]) -> str:
        return folder.joinpath(match.group(1)).read_text(encoding="utf-8")

    return INCLUDE.sub(inline, folder.joinpath(f"{view}.html").read_text(encoding="utf-8"))


def views_extension(vertical: str, *views: View) -> Apps:
    """The Apps extension serving ``views`` for ``vertical``: pass it to the server as ``extensions=[...]``."""
    apps = Apps()
    for view in views:
        apps.add_html_resource(
            view_uri(vertical, view),
            view_html(view),
            name=f"{vertical}_{view}",
            title=TITLES[view],
            description=DESCRIPTIONS[view],
            prefers_border=True,
        )
    return apps
