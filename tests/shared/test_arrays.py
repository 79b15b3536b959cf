"""The sort-and-compare distinct values agree with ``np.unique`` on every shape the servers use."""

from __future__ import annotations

import numpy as np
import pytest

from shared.arrays import bounded_unique_inverse, find_sorted, unique, unique_inverse, unique_rows


@pytest.mark.parametrize("n", [0, 1, 2, 7, 500])
def test_distinct_values_and_rows_match_numpys_unique(n: int) -> None:
    rng = np.random.default_rng(n)
    values = rng.integers(-5, 20, n)
    assert unique(values).tolist() == np.unique(values).tolist()
    distinct, inverse = unique_inverse(values)
    expected, expected_inverse = np.unique(values, return_inverse=True)
    assert distinct.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()
    assert (distinct[inverse] == values).all()
    for rows in (rng.integers(0, 3, (n, 4)), rng.random((n, 5)) < 0.5):
        distinct, inverse = unique_inverse(rows)
        expected, expected_inverse = np.unique(rows, axis=0, return_inverse=True)
        assert distinct.tolist() == expected.tolist()
        assert inverse.tolist() == expected_inverse.reshape(-1).tolist()
        assert unique_rows(rows).tolist() == expected.tolist()


@pytest.mark.parametrize(("n", "bound"), [(0, 1), (1, 3), (50, 40), (500, 30_000), (20, 1 << 40)])
def test_distinct_integers_below_a_bound_by_a_table_match_the_sort(n: int, bound: int) -> None:
    """By a table where it is small beside the values, else by the sort: the same either way (the last bound is
    far too big for a table)."""
    values = np.random.default_rng(n).integers(0, bound, n)
    distinct, inverse = bounded_unique_inverse(values, bound)
    expected, expected_inverse = unique_inverse(values)
    assert distinct.dtype == values.dtype
    assert distinct.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.tolist()


def test_a_list_is_taken_as_an_array() -> None:
    distinct, inverse = unique_inverse([9, 3, 9])
    assert distinct.tolist() == [3, 9]
    assert inverse.tolist() == [1, 0, 1]


def test_keys_are_found_where_they_stand_and_missing_ones_say_so() -> None:
    keys = np.array([2, 5, 9])
    at, found = find_sorted(keys, np.array([5, 1, 9, 10, 2]))
    assert found.tolist() == [True, False, True, False, True]
    assert keys[at[found]].tolist() == [5, 9, 2]
    at, found = find_sorted(np.array([], np.int64), np.array([3, 4]))
    assert not found.any() and len(at) == 2
