"""A cursor names the list that issued it: any other list refuses it with an error that says so and how to fix it,
while the list that issued it pages on, and cursors issued before cursors were scoped are still read where they were
(the same through the MCP tools: ``tests/servers/test_cursor_mixups.py``)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from shared.cursor import key_cursor, keyset_slice, read_cursor
from shared.errors import InvalidInputError
from shared.schemas.common import decode_cursor, encode_cursor, page_slice


def raw(text: str) -> str:
    """A cursor as the code before scopes issued it (and as a client in mid-pagination may still hold)."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def opened(cursor: str) -> str:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()


def assert_other_list(exc: InvalidInputError, issued: str) -> None:
    """The refusal of a cursor another list issued: it names that list, and says how to get a right one."""
    said = exc.for_model()
    assert "different list" in said and f"({issued})" in said, said
    assert "next_cursor" in said and "''" in said, said
    assert exc.details == {"field": "cursor"}


def test_an_offset_cursor_names_its_list_and_only_that_list_reads_it() -> None:
    cursor = encode_cursor(20, "nav.places")
    assert opened(cursor) == "o:nav.places:20"
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") and len(cursor) < 24
    assert decode_cursor(cursor, "nav.places") == 20
    assert read_cursor(cursor, "nav.places") == 20
    for reader in (
        lambda: decode_cursor(cursor, "movies.films"),  # another offset list
        lambda: read_cursor(cursor, "food.search"),  # a key list, which also reads offsets
        lambda: decode_cursor(cursor),  # a list that names none
        lambda: read_cursor(cursor),
    ):
        with pytest.raises(InvalidInputError) as caught:
            reader()
        assert_other_list(caught.value, "nav.places")


def test_a_key_cursor_names_its_list_and_only_that_list_reads_it() -> None:
    key = (-4.5, 3, "a:b [c]", "rst_1")  # a colon or bracket in the key does not confuse the scope
    cursor = key_cursor(key, "food.search")
    assert opened(cursor).startswith("k:food.search:[")
    assert read_cursor(cursor, "food.search") == key
    for reader in (
        lambda: read_cursor(cursor, "food.orders"),  # same shape of key, other list
        lambda: read_cursor(cursor),
        lambda: decode_cursor(cursor, "nav.places"),  # an offset list says whose cursor it is too
    ):
        with pytest.raises(InvalidInputError) as caught:
            reader()
        assert_other_list(caught.value, "food.search")


def test_cursors_issued_before_scopes_are_still_read_where_they_were() -> None:
    legacy_offset, legacy_key = raw("o:15"), raw('k:[-1.5,"x:y","ord_1"]')
    # a list that names no scope issues them as before
    assert encode_cursor(15) == legacy_offset and key_cursor((-1.5, "x:y", "ord_1")) == legacy_key
    assert decode_cursor(legacy_offset, "nav.places") == 15
    assert read_cursor(legacy_offset, "food.search") == 15  # key lists kept reading offset cursors
    assert read_cursor(legacy_key, "food.orders") == (-1.5, "x:y", "ord_1")
    for bad, reader in (
        (legacy_key, lambda: decode_cursor(legacy_key, "nav.places")),  # never read by an offset list
        ("garbage!", lambda: read_cursor("garbage!", "food.search")),
        (raw("o:nav.places:-3"), lambda: decode_cursor(raw("o:nav.places:-3"), "nav.places")),
        (raw("k:food.search:{}"), lambda: read_cursor(raw("k:food.search:{}"), "food.search")),
    ):
        with pytest.raises(InvalidInputError, match="not a cursor this server issued") as caught:
            reader()
        assert bad[:10] in caught.value.message


@pytest.mark.parametrize("scope", ["Nav", "nav:places", "x" * 40])
def test_a_scope_is_a_short_plain_name(scope: str) -> None:
    with pytest.raises(ValueError, match="cursor scope"):
        encode_cursor(1, scope)
    with pytest.raises(ValueError, match="cursor scope"):
        key_cursor([1, "a"], scope)


def test_each_slice_pages_through_its_own_list_and_refuses_the_others_cursor() -> None:
    items = [(i % 7, f"id_{i:03d}") for i in range(23)]
    items.sort()
    seen: list[Any] = []
    cursor = ""
    while True:
        page, info = keyset_slice(items, lambda x: x, cursor, 5, scope="tickets.orders")
        seen += page
        cursor = info.next_cursor
        if not cursor:
            break
    assert seen == items
    offsets: list[Any] = []
    cursor = ""
    while True:
        chunk, info = page_slice(list(items), cursor, 4, scope="movies.cinemas")
        offsets += chunk
        cursor = info.next_cursor
        if not cursor:
            break
    assert offsets == items
    first_keyset = keyset_slice(items, lambda x: x, "", 5, scope="tickets.orders")[1].next_cursor
    first_offset = page_slice(list(items), "", 4, scope="movies.cinemas")[1].next_cursor
    with pytest.raises(InvalidInputError) as caught:
        keyset_slice(items, lambda x: x, first_offset, 5, scope="tickets.orders")
    assert_other_list(caught.value, "movies.cinemas")
    with pytest.raises(InvalidInputError) as caught:
        page_slice(list(items), first_keyset, 4, scope="movies.cinemas")
    assert_other_list(caught.value, "tickets.orders")
