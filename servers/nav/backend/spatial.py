"""A uniform grid over projected points (metres): radius searches and nearest neighbours touch the cells around
the query point, not every point of the city, so a search costs the same in a city grown 100×."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from .ch import FloatArray, IntArray

CELL_M = 250.0


class GridIndex:
    def __init__(self, xs: FloatArray, ys: FloatArray, cell_m: float = CELL_M) -> None:
        self.xs = np.asarray(xs, dtype=np.float64)
        self.ys = np.asarray(ys, dtype=np.float64)
        self.cell = cell_m
        cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, (x, y) in enumerate(zip(self.xs.tolist(), self.ys.tolist(), strict=True)):
            cells[(math.floor(x / cell_m), math.floor(y / cell_m))].append(i)
        self.cells: dict[tuple[int, int], IntArray] = {k: np.array(v, dtype=np.int64) for k, v in cells.items()}

    def __len__(self) -> int:
        return len(self.xs)

    def _gather(self, cx0: int, cx1: int, cy0: int, cy1: int) -> IntArray:
        found = [
            a for cx in range(cx0, cx1 + 1) for cy in range(cy0, cy1 + 1) if (a := self.cells.get((cx, cy))) is not None
        ]
        return np.concatenate(found) if found else np.array([], dtype=np.int64)

    def within(self, x: float, y: float, radius: float) -> IntArray:
        """Indices of the points within ``radius`` metres of (x, y), in no particular order."""
        c = self.cell
        idx = self._gather(math.floor((x - radius) / c), math.floor((x + radius) / c),
                           math.floor((y - radius) / c), math.floor((y + radius) / c))  # fmt: skip
        if not len(idx):
            return idx
        d2 = (self.xs[idx] - x) ** 2 + (self.ys[idx] - y) ** 2
        return idx[d2 <= radius * radius]

    def nearest(self, x: float, y: float, k: int = 1) -> list[tuple[float, int]]:
        """The ``k`` nearest points as (distance, index), nearest first: rings of cells until no closer can be."""
        if not len(self.xs):
            return []
        c = self.cell
        cx, cy = math.floor(x / c), math.floor(y / c)
        ring = 0
        while True:
            idx = self._gather(cx - ring, cx + ring, cy - ring, cy + ring)
            if len(idx) >= k or len(idx) == len(self.xs):
                d = np.sqrt((self.xs[idx] - x) ** 2 + (self.ys[idx] - y) ** 2)
                order = np.lexsort((idx, d))[:k]
                best = [(float(d[i]), int(idx[i])) for i in order]
                # every point outside the searched square is at least ``ring * c`` away
                if best[-1][0] <= ring * c or len(idx) == len(self.xs):
                    return best
            ring += 1
