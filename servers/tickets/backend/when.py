"""The window a tickets search's time words ('comedy tonight', '脱口秀 今晚') narrow (``shared.when`` reads them)."""

from __future__ import annotations

from dataclasses import replace

from shared.when import Said

from .index import Window


def narrowed(window: Window, said: list[Said]) -> Window:
    """``window`` within the days (and from the evening) the time phrases name; with date_from or time_from too,
    what both allow ('tonight' with date_from tomorrow is nothing). Several phrases ('today or tomorrow') span
    their days, and the evening only when every one names it."""
    if not said:
        return window
    days = [s for s in said if s.first is not None and s.last is not None]
    parts = [s for s in said if s.first is None]
    starts = [s.earliest for s in days if s.earliest is not None]
    evening = min(starts) if days and len(starts) == len(days) else None
    if days:
        window = replace(
            window,
            first=max(d for d in (min(s.first for s in days if s.first), window.first) if d is not None),
            last=min(d for d in (max(s.last for s in days if s.last), window.last) if d is not None),
        )
    return replace(
        window,
        earliest=max(
            (t for t in (evening, window.earliest, *(p.earliest for p in parts)) if t is not None), default=None
        ),
        latest=min((t for t in (window.latest, *(p.latest for p in parts)) if t is not None), default=None),
    )
