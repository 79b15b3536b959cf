"""Matching what people type against names: case and accents do not count ('toolo' finds Töölö)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents (combining marks dropped after NFKD), e.g. 'Kesäkino' → 'kesakino'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def plain(text: str) -> str:
    """Lower case without apostrophes, e.g. "MorriSon's" → 'morrisons': people and speech-to-text leave them out,
    so a name is matched as if it had none."""
    return text.lower().replace("'", "").replace("’", "")
