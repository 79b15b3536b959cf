"""Static map images: the street network, a route and numbered markers, drawn with Pillow."""

from __future__ import annotations

import io
import math

import numpy as np

from .graph import MAJOR, RoadNetwork

SIZES = {"small": (480, 360), "medium": (800, 600), "large": (1200, 900)}
BACKGROUND = (242, 239, 233)
MINOR_ROAD = (255, 255, 255)
MINOR_EDGE = (214, 208, 198)
PATH = (200, 196, 188)
MAJOR_ROAD = (252, 214, 164)
ROUTE = (30, 110, 230)
RIDE = (200, 40, 120)
ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"

Point = tuple[float, float]


def render_map(
    network: RoadNetwork,
    lines: list[tuple[list[Point], tuple[int, int, int]]],
    markers: list[tuple[str, Point, tuple[int, int, int]]],
    size: str = "medium",
    shifts: list[tuple[float, float]] | None = None,
) -> tuple[bytes, Point, Point]:
    """PNG bytes plus the south-west and north-east corners of what it shows. ``shifts`` are the (dx, dy) metres of
    every copy of the street network (a grown city's districts); the copies in the frame are drawn."""
    from PIL import Image, ImageDraw, ImageFont  # only maps need Pillow: not imported by a server that never draws

    width, height = SIZES[size]
    pts = [p for line, _ in lines for p in line] + [p for _, p, _ in markers]
    if not pts:
        s, w, n, e = network.bounds
        pts = [(s, w), (n, e)]
    xy = np.array([network.project(lat, lng) for lat, lng in pts])
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    span = max((x1 - x0) / width, (y1 - y0) / height, 300 / min(width, height)) * 1.15  # metres per pixel
    left, top = cx - span * width / 2, cy + span * height / 2

    def to_px(x: float, y: float) -> tuple[float, float]:
        return (x - left) / span, (top - y) / span

    img = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(img)
    walk, drive = network.modes["walking"], network.modes["driving"]
    road_w = max(2, round(9 / span))
    major = np.array([c in MAJOR for c in network.classes])[drive.road_class]
    for dx, dy in shifts or [(0.0, 0.0)]:
        px = (network.x + dx - left) / span
        py = (top - network.y - dy) / span
        inside = (px > -50) & (px < width + 50) & (py > -50) & (py < height + 50)
        if not inside.any():
            continue
        for tail, head, width_px, colour in (
            (walk.tail, walk.head, max(1, road_w // 3), PATH),
            (drive.tail, drive.head, road_w + 2, MINOR_EDGE),
            (drive.tail, drive.head, road_w, MINOR_ROAD),
        ):
            keep = inside[tail] | inside[head]
            for u, v in zip(tail[keep].tolist(), head[keep].tolist(), strict=True):
                draw.line([(px[u], py[u]), (px[v], py[v])], fill=colour, width=width_px)
        keep = (inside[drive.tail] | inside[drive.head]) & major
        for u, v in zip(drive.tail[keep].tolist(), drive.head[keep].tolist(), strict=True):
            draw.line([(px[u], py[u]), (px[v], py[v])], fill=MAJOR_ROAD, width=road_w + 1)
    for line, colour in lines:
        coords = [to_px(*network.project(lat, lng)) for lat, lng in line]
        if len(coords) > 1:
            draw.line(coords, fill=(255, 255, 255), width=road_w + 5, joint="curve")
            draw.line(coords, fill=colour, width=road_w + 2, joint="curve")
    font = ImageFont.load_default()
    radius = 11 if size != "small" else 9
    for label, (lat, lng), colour in markers:
        x, y = to_px(*network.project(lat, lng))
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour, outline=(255, 255, 255), width=2)
        draw.text((x, y), label, fill=(255, 255, 255), font=font, anchor="mm")
    scale_m = _nice(span * width / 5)
    bar = scale_m / span
    draw.rectangle([10, height - 22, 10 + bar, height - 18], fill=(60, 60, 60))
    draw.text((10, height - 34), f"{scale_m:g} m" if scale_m < 1000 else f"{scale_m / 1000:g} km", fill=(60, 60, 60),
              font=font)  # fmt: skip
    draw.text((width - 8, height - 8), ATTRIBUTION, fill=(90, 90, 90), font=font, anchor="rd")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    k = math.pi / 180 * 6_371_008.8
    coslat = math.cos(math.radians(network.lat0))
    sw = ((top - span * height) / k, left / (k * coslat))
    ne = (top / k, (left + span * width) / (k * coslat))
    return buf.getvalue(), sw, ne


def _nice(metres: float) -> float:
    exp = 10 ** math.floor(math.log10(metres))
    for step in (1, 2, 5, 10):
        if step * exp >= metres:
            return float(step * exp)
    return float(10 * exp)
