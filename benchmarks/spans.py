"""The double-hold check both contention benchmarks use: from when each hold certainly existed."""

from __future__ import annotations

from collections import defaultdict

Span = tuple[str, float, float, str]  # seat, held from, held until (monotonic clock), hold id


def double_holds(spans: list[Span]) -> int:
    """Pairs of different holds of one seat whose certain lifetimes overlap: must be 0.

    A span that ends before it starts (the hold lapsed before its commit even returned) proves
    nothing and is skipped. Two spans of the same hold are one hold, not two (the same account
    sending the same request gets the same hold back, by design).
    """
    by_seat: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for seat, start, end, hold_id in spans:
        if end > start:
            by_seat[seat].append((start, end, hold_id))
    doubles = 0
    for intervals in by_seat.values():
        intervals.sort()
        live: list[tuple[float, str]] = []  # (end, hold id) of intervals begun so far that may still be open
        for start, end, hold_id in intervals:
            live = [(e, h) for e, h in live if e > start]
            doubles += sum(1 for _, h in live if h != hold_id)
            live.append((end, hold_id))
    return doubles
