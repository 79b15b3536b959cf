"""References from a step's arguments to earlier results: ``$name.path`` and ``$prev.path``.

A string argument that is exactly one reference becomes the value it names, whatever its type (an id, a number, a
list); a reference inside a longer string is replaced by its text (``"Deliver to $home.street"``). ``path`` is
dot-separated keys and list indexes into a result's structured JSON (``$shows.showtimes.0.id``). Nothing else is
evaluated: tasks are data, and a typo must fail with the path it could not follow rather than compute something.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REFERENCE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_-]+)*)")


class ReferenceError_(LookupError):
    """A reference names no saved result, or its path leads nowhere."""


def names_in(value: Any) -> set[str]:
    """The result names a value's references use."""
    if isinstance(value, str):
        return {m.group(1) for m in REFERENCE.finditer(value)}
    if isinstance(value, Mapping):
        return set().union(*(names_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(names_in(v) for v in value)) if value else set()
    return set()


def follow(root: Any, path: str, shown: str = "") -> Any:
    """The value at a dotted ``path`` inside ``root``."""
    value = root
    for part in [p for p in path.split(".") if p]:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.lstrip("-").isdigit() and -len(value) <= int(part) < len(value):
            value = value[int(part)]
        else:
            raise ReferenceError_(f"{shown or path}: no {part!r} in {_kind(value)}")
    return value


def resolve(value: Any, saved: Mapping[str, Any]) -> Any:
    """``value`` with every reference replaced by what it names in ``saved`` (results by name, ``prev`` included)."""
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value)
        if whole:
            return _lookup(whole, saved)
        return REFERENCE.sub(lambda m: str(_lookup(m, saved)), value)
    if isinstance(value, Mapping):
        return {k: resolve(v, saved) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, saved) for v in value]
    return value


def _lookup(match: re.Match[str], saved: Mapping[str, Any]) -> Any:
    name, path = match.group(1), match.group(2)
    if name not in saved:
        raise ReferenceError_(f"${name}: no result saved under that name")
    return follow(saved[name], path, match.group(0))


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object with " + (", ".join(sorted(map(str, value))[:12]) or "no keys")
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return f"the value {value!r}"
