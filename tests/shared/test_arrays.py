"""The sort-and-compare distinct values agree with ``np.unique`` on every shape the servers use."""

from __future__ import annotations

import numpy as np
import pytest

from shared.arrays import find_sorted, unique, unique_inverse, unique_rows


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
