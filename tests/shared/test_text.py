"""``shared.text.any_of_words``: one pattern for many phrases finds what the phrases' own whole-word patterns,
joined longest first, find (the form it replaced because it took most of a second to compile)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.text import any_of_words, as_words, has_cjk

LETTERS = "ab 1é周末晚上-"
phrases = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=4), min_size=1, max_size=6)
texts = st.text(alphabet=LETTERS + "c", max_size=16)


def joined(ps: list[str]) -> str:
    return "|".join(as_words(p) for p in sorted(set(ps), key=len, reverse=True))


@settings(max_examples=400, deadline=None)
@given(phrases, texts)
def test_finds_what_each_phrase_finds(ps: list[str], text: str) -> None:
    ours = [(m.span(), m.group()) for m in re.finditer(any_of_words(ps), text)]
    theirs = [(m.span(), m.group()) for m in re.finditer(joined(ps), text)]
    assert ours == theirs


@settings(max_examples=400, deadline=None)
@given(phrases, texts)
def test_with_a_word_guard_of_its_own_finds_what_each_phrase_finds(ps: list[str], text: str) -> None:
    """District and off-map names are guarded by any word character (Chinese too), as each was alone."""
    each = "|".join(
        re.escape(p) if has_cjk(p) else rf"(?<!\w){re.escape(p)}(?!\w)" for p in sorted(set(ps), key=len, reverse=True)
    )
    ours = [(m.span(), m.group()) for m in re.finditer(any_of_words(ps, word=r"\w"), text)]
    assert ours == [(m.span(), m.group()) for m in re.finditer(each, text)]


def test_whole_words_and_chinese_anywhere() -> None:
    pattern = re.compile(any_of_words(["tomorrow", "tomorrow night", "明天", "明天晚上"]))
    assert [m.group() for m in pattern.finditer("tomorrow night, not tomorrows; 明天晚上的, 后明天")] == [
        "tomorrow night",
        "明天晚上",
        "明天",
    ]
    assert pattern.search("演唱会tomorrow") is not None  # Chinese ends a word as a space does
    assert re.compile(any_of_words([])).search("anything") is None
