"""The seat-inventory engine shared by tickets and movies: layouts, holds that lapse, sales, seat maps."""

from .engine import MAX_SEATS_PER_HOLD, InventorySpec, SeatingEngine, seat_tables, utc
from .layout import BEST_AVAILABLE_ORDER, CompiledLayout, SeatInfo, compile_layout, several_seats

__all__ = [
    "BEST_AVAILABLE_ORDER",
    "MAX_SEATS_PER_HOLD",
    "CompiledLayout",
    "InventorySpec",
    "SeatInfo",
    "SeatingEngine",
    "compile_layout",
    "seat_tables",
    "several_seats",
    "utc",
]
