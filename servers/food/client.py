"""Typed client for the food provider API: the only way the tools reach the backend."""

from __future__ import annotations

from shared.kit.client import BackendClient, seg
from shared.schemas.common import IdParam
from shared.schemas.food import (
    CancelOrder,
    CancelQuote,
    Cart,
    CartUpdate,
    CuisineList,
    Order,
    OrderFilter,
    OrderPage,
    OrderQuote,
    PlaceOrder,
    QuoteRequest,
    RestaurantDetail,
    RestaurantPage,
    SortKey,
)

# The id parameters of the food tools: a refusal names the one that was wrong and where a right id comes from.
RESTAURANT_ID = IdParam("restaurant_id", "rst", "food_search_restaurants")
ORDER_ID = IdParam("order_id", "ord", "food_place_order or food_list_orders")


class FoodClient(BackendClient):
    vertical = "food"

    async def search_restaurants(
        self,
        *,
        query: str = "",
        address_id: str = "",
        lat: float = 0,
        lng: float = 0,
        open_now: bool = False,
        sort: SortKey = "relevance",
        limit: int = 10,
        cursor: str = "",
        max_min_order_minor: int = 0,
    ) -> RestaurantPage:
        params = {
            "query": query,
            "address_id": address_id,
            "lat": lat,
            "lng": lng,
            "open_now": open_now,
            "sort": sort,
            "limit": limit,
            "cursor": cursor,
            "max_min_order_minor": max_min_order_minor,
        }
        return await self.call("GET", "/restaurants", RestaurantPage, params=params)

    async def get_restaurant(self, restaurant_id: str, address_id: str = "") -> RestaurantDetail:
        return await self.call(
            "GET",
            f"/restaurants/{seg(restaurant_id, RESTAURANT_ID)}",
            RestaurantDetail,
            params={"address_id": address_id},
        )

    async def cuisines(self) -> CuisineList:
        return await self.call("GET", "/cuisines", CuisineList)

    async def get_cart(self) -> Cart:
        return await self.call("GET", "/cart", Cart)

    async def update_cart(self, body: CartUpdate) -> Cart:
        return await self.call("PUT", "/cart", Cart, json=body.model_dump(mode="json"))

    async def quote_order(self, body: QuoteRequest) -> OrderQuote:
        return await self.call("POST", "/orders/quote", OrderQuote, json=body.model_dump(mode="json"), repeatable=True)

    async def place_order(self, body: PlaceOrder) -> Order:
        """Place the order the body's token was quoted for; the provider refuses it when the rest of the body (what
        the caller asks for now, '' = as quoted) is not what the token was quoted for."""
        return await self.call(
            "POST", "/orders", Order, json=body.model_dump(), idempotency_key=body.confirmation_token
        )

    async def list_orders(self, status: OrderFilter = "any", limit: int = 10, cursor: str = "") -> OrderPage:
        return await self.call("GET", "/orders", OrderPage, params={"status": status, "limit": limit, "cursor": cursor})

    async def get_order(self, order_id: str) -> Order:
        return await self.call("GET", f"/orders/{seg(order_id, ORDER_ID)}", Order)

    async def quote_cancel(self, order_id: str) -> CancelQuote:
        return await self.call("POST", f"/orders/{seg(order_id, ORDER_ID)}/cancel/quote", CancelQuote, repeatable=True)

    async def cancel_order(self, order_id: str, confirmation_token: str, reason: str = "") -> Order:
        body = CancelOrder(confirmation_token=confirmation_token, reason=reason)
        return await self.call(
            "POST",
            f"/orders/{seg(order_id, ORDER_ID)}/cancel",
            Order,
            json=body.model_dump(),
            idempotency_key=confirmation_token,
        )
