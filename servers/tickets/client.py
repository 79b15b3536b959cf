"""Typed client for the tickets provider API: the only way the tools reach the backend."""

from __future__ import annotations

from shared.kit.client import SAME_HOLD_AGAIN, BackendClient, seg
from shared.schemas.common import IdParam
from shared.schemas.tickets import (
    Attendee,
    AttendeeInput,
    AttendeeList,
    CategoryFilter,
    EventDetail,
    EventPage,
    Hold,
    HoldRequest,
    Order,
    OrderFilter,
    OrderPage,
    PurchaseConfirm,
    PurchaseQuote,
    PurchaseQuoteRequest,
    RefundConfirm,
    RefundQuote,
    RefundQuoteRequest,
    SeatMap,
)

# The id parameters of the tickets tools: a refusal names the one that was wrong and where a right id comes from.
EVENT_ID = IdParam("event_id", "evt", "tickets_search_events")
SESSION_ID = IdParam("session_id", "ses", "tickets_get_event (sessions[].id)")
HOLD_ID = IdParam("hold_id", "hld", "tickets_hold_seats")
ORDER_ID = IdParam("order_id", "tko", "tickets_list_orders")


class TicketsClient(BackendClient):
    vertical = "tickets"

    async def search_events(
        self,
        *,
        query: str = "",
        category: CategoryFilter = "any",
        area: str = "",
        lat: float = 0,
        lng: float = 0,
        date_from: str = "",
        date_to: str = "",
        time_from: str = "",
        time_to: str = "",
        price_min_minor: int = 0,
        price_max_minor: int = 0,
        limit: int = 10,
        cursor: str = "",
    ) -> EventPage:
        params = {
            "query": query,
            "category": category,
            "area": area,
            "lat": lat,
            "lng": lng,
            "date_from": date_from,
            "date_to": date_to,
            "time_from": time_from,
            "time_to": time_to,
            "price_min_minor": price_min_minor,
            "price_max_minor": price_max_minor,
            "limit": limit,
            "cursor": cursor,
        }
        return await self.call("GET", "/events", EventPage, params=params)

    async def get_event(self, event_id: str) -> EventDetail:
        return await self.call("GET", f"/events/{seg(event_id, EVENT_ID)}", EventDetail)

    async def seat_map(self, session_id: str, section: str = "") -> SeatMap:
        return await self.call(
            "GET", f"/sessions/{seg(session_id, SESSION_ID)}/seatmap", SeatMap, params={"section": section}
        )

    async def hold_seats(self, body: HoldRequest) -> Hold:
        return await self.call("POST", "/holds", Hold, json=body.model_dump(mode="json"), if_unsure=SAME_HOLD_AGAIN)

    async def release_hold(self, hold_id: str) -> Hold:
        return await self.call("POST", f"/holds/{seg(hold_id, HOLD_ID)}/release", Hold)

    async def quote_purchase(self, body: PurchaseQuoteRequest) -> PurchaseQuote:
        return await self.call(
            "POST", "/orders/quote", PurchaseQuote, json=body.model_dump(mode="json"), repeatable=True
        )

    async def purchase(self, hold_id: str, confirmation_token: str, attendee_ids: list[str]) -> Order:
        body = PurchaseConfirm(confirmation_token=confirmation_token, attendee_ids=attendee_ids)
        return await self.call(
            "POST",
            f"/holds/{seg(hold_id, HOLD_ID)}/purchase",
            Order,
            json=body.model_dump(),
            idempotency_key=confirmation_token,
        )

    async def list_orders(self, status: OrderFilter = "any", limit: int = 5, cursor: str = "") -> OrderPage:
        return await self.call("GET", "/orders", OrderPage, params={"status": status, "limit": limit, "cursor": cursor})

    async def get_order(self, order_id: str) -> Order:
        return await self.call("GET", f"/orders/{seg(order_id, ORDER_ID)}", Order)

    async def quote_refund(self, order_id: str, ticket_ids: list[str]) -> RefundQuote:
        body = RefundQuoteRequest(ticket_ids=ticket_ids)
        return await self.call(
            "POST",
            f"/orders/{seg(order_id, ORDER_ID)}/refund/quote",
            RefundQuote,
            json=body.model_dump(),
            repeatable=True,
        )

    async def refund(self, order_id: str, confirmation_token: str, ticket_ids: list[str]) -> Order:
        body = RefundConfirm(confirmation_token=confirmation_token, ticket_ids=ticket_ids)
        return await self.call(
            "POST",
            f"/orders/{seg(order_id, ORDER_ID)}/refund",
            Order,
            json=body.model_dump(),
            idempotency_key=confirmation_token,
        )

    async def list_attendees(self) -> AttendeeList:
        return await self.call("GET", "/attendees", AttendeeList)

    async def save_attendee(self, body: AttendeeInput) -> Attendee:
        return await self.call("POST", "/attendees", Attendee, json=body.model_dump(mode="json"))
