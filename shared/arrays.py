"""Distinct values of numpy arrays by a sort and a neighbour compare, and many keys looked up in a sorted array.

``np.unique`` imports ``numpy.ma`` on first use in numpy 2.x (~1.2 MB resident in every server that calls it, for
a feature none of them needs); these do the same job for the three shapes the servers use. ``find_sorted`` looks
many keys up at once where a dict of every key would cost Python objects for each.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def run_starts(sorted_: np.ndarray) -> npt.NDArray[np.bool_]:
    """Where each run of equal values (or rows) begins in a sorted array."""
    first = np.ones(len(sorted_), np.bool_)
    if len(sorted_) > 1:
        differs = sorted_[1:] != sorted_[:-1]
        first[1:] = differs.any(axis=1) if differs.ndim > 1 else differs
    return first


def unique(values: npt.ArrayLike) -> np.ndarray:
    """The distinct values of a 1-d array, ascending (``np.unique(values)``)."""
    ordered = np.sort(np.asarray(values))
    return ordered[run_starts(ordered)]


def unique_inverse(array_like: npt.ArrayLike) -> tuple[np.ndarray, npt.NDArray[np.intp]]:
    """The distinct values of a 1-d array or the distinct rows of a 2-d one, ascending, and for each input value
    (row) the index of its distinct value: ``np.unique(values, axis=0, return_inverse=True)``."""
    values = np.asarray(array_like)
    order = np.lexsort(values.T[::-1]) if values.ndim == 2 else np.argsort(values, kind="stable")
    ordered = values[order]
    first = run_starts(ordered)
    inverse = np.empty(len(values), np.intp)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def unique_rows(values: npt.ArrayLike) -> np.ndarray:
    """The distinct rows of a 2-d array in lexicographic order (``np.unique(values, axis=0)``)."""
    return unique_inverse(values)[0]


def find_sorted(keys: np.ndarray, wanted: np.ndarray) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """Where each of ``wanted`` stands in the ascending ``keys`` (an index into ``keys``), and whether it is there."""
    if not len(keys):
        return np.zeros(len(wanted), np.intp), np.zeros(len(wanted), np.bool_)
    at = np.searchsorted(keys, wanted).clip(max=len(keys) - 1)
    return at, keys[at] == wanted


def bounded_unique_inverse(values: npt.NDArray[np.int64], bound: int) -> tuple[np.ndarray, npt.NDArray[np.intp]]:
    """``unique_inverse`` of non-negative integers below ``bound``, by a table of that size instead of a sort where
    the table is not much bigger than the values (a food search's named restaurants' keys on the scale pack: ~20,000
    values below ~30,000, 1.4 ms to sort, a tenth of that by the table)."""
    if bound > max(1 << 16, 4 * len(values)):
        return unique_inverse(values)
    seen = np.zeros(bound, np.bool_)
    seen[values] = True
    rank = np.cumsum(seen, dtype=np.intp) - 1
    return np.flatnonzero(seen).astype(values.dtype), rank[values]
