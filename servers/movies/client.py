"""Typed client for the movies provider API: the only way the tools reach the backend."""

from __future__ import annotations

from shared.kit.client import SAME_HOLD_AGAIN, BackendClient, seg
from shared.schemas.common import IdParam
from shared.schemas.movies import (
    CinemaPage,
    ConfirmRequest,
    FilmDetail,
    FilmPage,
    FormatFilter,
    HoldRequest,
    MovieHold,
    MovieOrder,
    MovieSeatMap,
    OrderFilter,
    OrderPage,
    PurchaseQuote,
    PurchaseQuoteRequest,
    RefundConfirm,
    RefundQuote,
    RefundQuoteRequest,
    ShowingFilter,
    ShowtimePage,
    ShowtimeSort,
)

# The id parameters of the movies tools: a refusal names the one that was wrong and where a right id comes from.
MOVIE_ID = IdParam("movie_id", "mov", "movies_search_movies")
SHOWTIME_ID = IdParam("showtime_id", "sht", "movies_find_showtimes")
HOLD_ID = IdParam("hold_id", "hld", "movies_hold_seats")
ORDER_ID = IdParam("order_id", "mvo", "movies_list_orders")


class MoviesClient(BackendClient):
    vertical = "movies"

    async def search_movies(
        self,
        *,
        query: str = "",
        showing: ShowingFilter = "now_showing",
        genre: str = "",
        limit: int = 10,
        cursor: str = "",
    ) -> FilmPage:
        params = {"query": query, "showing": showing, "genre": genre, "limit": limit, "cursor": cursor}
        return await self.call("GET", "/movies", FilmPage, params=params)

    async def get_movie(self, movie_id: str) -> FilmDetail:
        return await self.call("GET", f"/movies/{seg(movie_id, MOVIE_ID)}", FilmDetail)

    async def search_cinemas(
        self, *, address: str = "", lat: float = 0, lng: float = 0, limit: int = 10, cursor: str = ""
    ) -> CinemaPage:
        params = {"address": address, "lat": lat, "lng": lng, "limit": limit, "cursor": cursor}
        return await self.call("GET", "/cinemas", CinemaPage, params=params)

    async def find_showtimes(
        self,
        *,
        movie_id: str = "",
        cinema_id: str = "",
        date: str = "",
        address: str = "",
        lat: float = 0,
        lng: float = 0,
        format: FormatFilter = "any",
        language: str = "",
        time_from: str = "",
        time_to: str = "",
        sort: ShowtimeSort = "auto",
        limit: int = 10,
        cursor: str = "",
    ) -> ShowtimePage:
        params = {
            "movie_id": movie_id,
            "cinema_id": cinema_id,
            "date": date,
            "address": address,
            "lat": lat,
            "lng": lng,
            "format": format,
            "language": language,
            "time_from": time_from,
            "time_to": time_to,
            "sort": sort,
            "limit": limit,
            "cursor": cursor,
        }
        return await self.call("GET", "/showtimes", ShowtimePage, params=params)

    async def seat_map(self, showtime_id: str) -> MovieSeatMap:
        return await self.call("GET", f"/showtimes/{seg(showtime_id, SHOWTIME_ID)}/seatmap", MovieSeatMap)

    async def hold_seats(self, body: HoldRequest) -> MovieHold:
        return await self.call(
            "POST", "/holds", MovieHold, json=body.model_dump(mode="json"), if_unsure=SAME_HOLD_AGAIN
        )

    async def release_hold(self, hold_id: str) -> MovieHold:
        return await self.call("POST", f"/holds/{seg(hold_id, HOLD_ID)}/release", MovieHold)

    async def quote_purchase(self, hold_id: str) -> PurchaseQuote:
        body = PurchaseQuoteRequest(hold_id=hold_id)
        return await self.call(
            "POST", "/orders/quote", PurchaseQuote, json=body.model_dump(mode="json"), repeatable=True
        )

    async def purchase(self, hold_id: str, confirmation_token: str) -> MovieOrder:
        body = ConfirmRequest(confirmation_token=confirmation_token)
        return await self.call(
            "POST",
            f"/holds/{seg(hold_id, HOLD_ID)}/purchase",
            MovieOrder,
            json=body.model_dump(),
            idempotency_key=confirmation_token,
        )

    async def list_orders(self, status: OrderFilter = "any", limit: int = 5, cursor: str = "") -> OrderPage:
        return await self.call("GET", "/orders", OrderPage, params={"status": status, "limit": limit, "cursor": cursor})

    async def get_order(self, order_id: str) -> MovieOrder:
        return await self.call("GET", f"/orders/{seg(order_id, ORDER_ID)}", MovieOrder)

    async def quote_refund(self, order_id: str, seat_ids: list[str] | None = None) -> RefundQuote:
        body = RefundQuoteRequest(seat_ids=seat_ids or [])
        return await self.call(
            "POST",
            f"/orders/{seg(order_id, ORDER_ID)}/refund/quote",
            RefundQuote,
            json=body.model_dump(mode="json"),
            repeatable=True,
        )

    async def refund(self, order_id: str, confirmation_token: str, seat_ids: list[str]) -> MovieOrder:
        body = RefundConfirm(confirmation_token=confirmation_token, seat_ids=seat_ids)
        return await self.call(
            "POST",
            f"/orders/{seg(order_id, ORDER_ID)}/refund",
            MovieOrder,
            json=body.model_dump(),
            idempotency_key=confirmation_token,
        )
