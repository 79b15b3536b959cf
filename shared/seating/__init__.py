"""The seat-inventory engine shared by tickets and movies: layouts, holds that lapse, sales, seat maps."""

from .engine import MAX_SEATS_PER_HOLD, InventorySpec, SeatingEngine, seat_tables, utc
from .layout import CompiledLayout, SeatInfo, compile_layout

__all__ = [
    "MAX_SEATS_PER_HOLD",
    "CompiledLayout",
    "InventorySpec",
    "SeatInfo",
    "SeatingEngine",
    "compile_layout",
    "seat_tables",
    "utc",
]
