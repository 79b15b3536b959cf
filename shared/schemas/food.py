"""Food-delivery wire models: what the Ele.me-like provider API and the food tools exchange."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.schemas.account import Address, ConfirmStatus, Outcome, WalletNow
from shared.schemas.common import GeoPoint, Money, PageInfo, WireModel

SortKey = Literal["relevance", "distance", "rating", "delivery_time", "fee", "min_order", "popular"]
PaymentMethod = Literal["wallet", "cash"]
OrderStatus = Literal["placed", "accepted", "preparing", "picked_up", "delivering", "delivered", "cancelled"]
OrderFilter = Literal["any", "active", "delivered", "cancelled"]


def _empty(value: object) -> bool:
    """Left out of the JSON when false, zero or empty: menus are mostly defaults, and size is cost."""
    return not value


class MatchedDish(WireModel):
    """A dish that matched the search query, by its name, ingredients or options."""

    item_id: str = Field(description="Item id (itm_…); pass as item_id to food_update_cart.")
    name: str = Field(description="Dish name (English / 中文).")
    price: Money = Field(description="The dish's price at this restaurant, before options.")
    options: list[str] = Field(
        default_factory=list,
        exclude_if=_empty,
        description="The dish's options that matched the query, e.g. ['Oat milk / 燕麦奶']; absent if none.",
    )
    sold_out: bool = Field(
        default=False,
        exclude_if=_empty,
        description="True when this dish (or every matching option of it) cannot be ordered now; absent if false.",
    )


class RestaurantSummary(WireModel):
    """One search hit: enough to choose, details via food_get_restaurant."""

    id: str = Field(description="Restaurant id (rst_…).")
    name: str = Field(description="Name.")
    cuisines: list[str] = Field(description="Cuisine labels, English / 中文.")
    rating: float = Field(description="Average rating out of 5.")
    rating_count: int = Field(description="Number of ratings.")
    price_level: int = Field(description="1 (cheap) to 4 (expensive).")
    street: str = Field(
        default="",
        exclude_if=_empty,
        description="Street and number, e.g. 'Eerikinkatu 10': tells branches of one name apart; absent when unknown.",
    )
    distance_m: int = Field(description="Straight-line distance from the delivery point in metres.")
    is_open: bool = Field(
        description="Taking orders right now (simulated clock): open, and not closing before it could cook one."
    )
    opens_at: datetime | None = Field(
        description="When it next takes orders, local time, e.g. 2026-11-25T16:00:00+02:00; null when open now (or "
        "no opening in the coming week). Until then it can only be ordered ahead with "
        "food_place_order(deliver_at=…)."
    )
    hours_today: str = Field(
        description="Today's opening hours, local time, e.g. '11:00–22:00' or 'closed'. After midnight, while it is "
        "still in the previous day's late span, that span comes first with its day: "
        "'Fri 20:00–04:00 (now); Sat 20:00–04:00'."
    )
    delivers: bool = Field(description="Delivers to the requested point.")
    delivery_fee: Money | None = Field(
        description="Delivery fee to the requested point; null when it does not deliver there (delivers false)."
    )
    min_order: Money = Field(description="Minimum food subtotal.")
    eta_minutes: int | None = Field(
        description="Estimated minutes from ordering now to the door; null while it is closed (see opens_at) and "
        "when it does not deliver to the point."
    )
    matched_dishes: list[MatchedDish] = Field(
        default_factory=list,
        exclude_if=_empty,
        description="Up to 3 dishes that matched the query with their prices, orderable ones first (only those at "
        "the price the query said, if it said one); absent if none.",
    )


class RestaurantPage(WireModel):
    restaurants: list[RestaurantSummary] = Field(description="Results, best first.")
    page: PageInfo = Field(description="Pagination: pass page.next_cursor as cursor for more.")
    near: GeoPoint = Field(description="The point distances and fees were computed for.")
    note: str = Field(
        default="",
        exclude_if=_empty,
        description="Why the page is empty (no match, nobody delivers here, all closed, minimum orders too high) "
        "or which query words were ignored, with what to try; absent if nothing to say.",
    )


class MenuOption(WireModel):
    id: str = Field(description="Option id (opt_…); pass in option_ids.")
    name: str = Field(description="Option name with its extra price, e.g. 'Large / 大份 (+€4.00)'.")
    extra_minor: int = Field(
        default=0,
        exclude_if=_empty,
        description="Added to the item price, in minor units of menu.currency; 0 if absent.",
    )


class OptionGroup(WireModel):
    """A choice such as size or spice, defined once per restaurant; items list the groups they offer by id."""

    id: str = Field(description="Option group id (opg_…), as listed in an item's option_groups.")
    name: str = Field(description="Group name, e.g. Size / 份量.")
    rule: str = Field(description="How many to choose: 'choose 1', 'choose 1 to 2', 'optional, up to 3'.")
    options: list[MenuOption] = Field(description="Choices.")


class MenuItem(WireModel):
    id: str = Field(description="Item id (itm_…); pass as item_id.")
    name: str = Field(description="Dish name (English / 中文).")
    description: str = Field(default="", exclude_if=_empty, description="Short description; absent if none.")
    price: Money = Field(description="Base price before options.")
    sold_out: bool = Field(default=False, exclude_if=_empty, description="Cannot be ordered now; absent if false.")
    tags: list[str] = Field(
        default_factory=list,
        exclude_if=_empty,
        description="vegetarian, vegan, spicy, gluten_free, halal, popular, new, drink.",
    )
    option_groups: list[str] = Field(
        default_factory=list, exclude_if=_empty, description="Ids of the menu's option groups this item offers."
    )
    sold_out_options: list[str] = Field(
        default_factory=list, exclude_if=_empty, description="Option ids that cannot be chosen for this item now."
    )


class MenuCategory(WireModel):
    id: str = Field(description="Category id.")
    name: str = Field(description="Category name.")
    items: list[MenuItem] = Field(description="Dishes in this category.")


class Menu(WireModel):
    """Dishes by category; option groups (size, spice, extras…) are defined once and referenced by id."""

    currency: str = Field(description="ISO 4217 currency of every extra_minor.")
    option_groups: list[OptionGroup] = Field(description="Every option group, referenced from items by id.")
    categories: list[MenuCategory] = Field(description="Dishes by category.")


class RestaurantInfo(RestaurantSummary):
    """A restaurant as food_get_restaurant shows it: the search summary plus where, when and at what cost."""

    address: str = Field(description="Street address of the restaurant.")
    location: GeoPoint = Field(description="Where the restaurant is.")
    opening_hours: str = Field(
        description="Weekly hours, local time, same-hours days grouped, e.g. 'Mon–Fri 10:00–22:00; Sat–Sun closed'."
    )
    packaging_fee: Money = Field(description="Per-order packaging fee.")
    delivery_rule: str = Field(description="How the delivery fee is computed.")


# Two top-level fields on purpose: clients check each one against the output schema on every call.
class RestaurantDetail(WireModel):
    """A restaurant's details and its full menu."""

    restaurant: RestaurantInfo = Field(
        description="As in search results, plus address, location, weekly hours, packaging fee and delivery rule."
    )
    menu: Menu = Field(
        description="Dishes by category: items[] (id, name, price, tags, option_groups: ids, sold_out_options); "
        "option groups listed once: option_groups[] (id, name, rule, options[]: id, name, extra_minor)."
    )


class CartItemInput(WireModel):
    """One line to set in the cart."""

    item_id: str = Field(description="Item id (itm_…) from food_get_restaurant.")
    quantity: int = Field(description="New quantity for this item with these options; 0 removes the line.")
    option_ids: list[str] = Field(default_factory=list, description="Chosen option ids (opt_…).")


class CartUpdate(WireModel):
    restaurant_id: str = Field(default="", description="Restaurant the items are from.")
    from_order_id: str = Field(default="", description="Refill the cart from this past order (ord_…); '' = no.")
    items: list[CartItemInput] = Field(default_factory=list, description="Lines to set.")
    coupon_code: str = Field(default="", description="Coupon to apply; 'none' removes; '' keeps.")
    address_id: str = Field(default="", description="Delivery address id; '' keeps.")
    replace_cart: bool = Field(default=False, description="Empty a cart from another restaurant first.")
    clear: bool = Field(default=False, description="Empty the cart.")


class BillLine(WireModel):
    label: str = Field(description="What this line is.")
    amount: Money = Field(description="Amount (negative for discounts).")
    rule: str = Field(default="", description="How it was computed.")


class Bill(WireModel):
    """The exact price, explained line by line."""

    items_subtotal: Money = Field(description="Food and options.")
    packaging_fee: Money = Field(description="Packaging.")
    delivery_fee: Money = Field(description="Delivery by distance.")
    discount: Money = Field(description="Coupon discount (0 if none).")
    total: Money = Field(description="What will be charged.")
    lines: list[BillLine] = Field(description="The same, as explained lines.")
    distance_m: int = Field(
        description="Delivery distance by road, used for the fee (longer than a result's straight-line distance_m)."
    )


class CartLine(WireModel):
    line_id: str = Field(description="Stable id of this line.")
    item_id: str = Field(description="Item id.")
    name: str = Field(description="Dish name.")
    options: list[str] = Field(description="Chosen option names.")
    option_ids: list[str] = Field(description="Chosen option ids.")
    quantity: int = Field(description="Quantity.")
    unit_price: Money = Field(description="Price per unit with options.")
    line_total: Money = Field(description="unit_price × quantity.")


class CouponOption(WireModel):
    """A coupon the user could use on this cart, and whether it applies right now."""

    code: str = Field(description="Code to pass as coupon_code.")
    rule: str = Field(description="What it gives and its conditions.")
    applies: bool = Field(description="True when it can be applied to the cart as it is now.")
    why_not: str = Field(default="", exclude_if=_empty, description="Why it does not apply now; absent if it does.")
    saving: Money = Field(description="What it takes off this cart now (0 when it does not apply).")


class NotAdded(WireModel):
    """A line of a past order that could not be put back in the cart."""

    item_id: str = Field(description="Item id in the past order.")
    name: str = Field(description="Dish name.")
    quantity: int = Field(description="Quantity ordered then.")
    options: list[str] = Field(default_factory=list, exclude_if=_empty, description="Options chosen then.")
    reason: str = Field(description="Why it was left out (sold out, option gone, no longer on the menu).")


class Cart(WireModel):
    restaurant_id: str = Field(description="Restaurant of this cart ('' when empty).")
    restaurant_name: str = Field(description="Its name.")
    address: Address | None = Field(description="Delivery address used for the bill.")
    lines: list[CartLine] = Field(description="Cart lines.")
    coupon_code: str = Field(description="Applied coupon ('' if none).")
    bill: Bill | None = Field(description="Exact bill; null when the cart is empty.")
    eta_minutes: int | None = Field(
        default=None,
        description="Estimated minutes from ordering now to the door; null while the restaurant is not taking orders "
        "(closed, or closing before it could cook: see opens_at), when the address is beyond its delivery range, and "
        "when the cart is empty.",
    )
    opens_at: datetime | None = Field(
        default=None,
        description="When the restaurant next takes orders, local time, as its search result says; null when it "
        "takes orders now (or the cart is empty). Until then the cart can only be ordered for a delivery slot: "
        "food_place_order(deliver_at=…), earliest_slot the first.",
    )
    problems: list[str] = Field(description="Why the cart cannot be ordered now, each with a fix.")
    can_order: bool = Field(description="True when food_place_order would succeed now (without deliver_at).")
    earliest_slot: datetime | None = Field(
        default=None,
        description="The first delivery slot food_place_order(deliver_at=…) can book for this cart, local time; "
        "null when the cart is empty, the address is beyond the restaurant's delivery range, or no slot is possible "
        "in the next 3 days.",
    )
    coupons: list[CouponOption] = Field(
        default_factory=list,
        description="Coupons valid today for this cart, applicable ones first (largest saving first), each with its "
        "rule and, when it does not apply now, why.",
    )
    not_added: list[NotAdded] = Field(
        default_factory=list,
        exclude_if=_empty,
        description="After from_order_id: the past order's lines that could not be added, and why; absent if none.",
    )


class QuoteRequest(WireModel):
    address_id: str = Field(default="", description="Delivery address; '' uses the cart's.")
    payment_method: PaymentMethod = Field(default="wallet", description="wallet or cash on delivery.")
    note: str = Field(default="", description="Note for the restaurant/courier.")
    deliver_at: str = Field(
        default="", description="Scheduled delivery slot, 'YYYY-MM-DDTHH:MM' local time or 'HH:MM' today; '' = ASAP."
    )


class OrderQuote(WireModel):
    """A priced, short-lived offer that placing the order must confirm."""

    confirmation_token: str = Field(description="Pass back to place exactly this order.")
    expires_at: datetime = Field(description="Token expiry (simulated clock).")
    restaurant_name: str = Field(description="Restaurant.")
    address: Address = Field(description="Delivery address.")
    payment_method: PaymentMethod = Field(description="How it will be paid.")
    bill: Bill = Field(description="Exact bill.")
    eta_minutes: int = Field(description="Estimated minutes to delivery (to the slot when scheduled).")
    deliver_at: datetime | None = Field(
        default=None, description="Scheduled delivery slot, local time; null = as soon as possible."
    )
    wallet_after: Money = Field(description="Wallet balance after paying (unchanged for cash).")
    unused_coupon: CouponOption | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="With no coupon in the cart: the one valid now that would save most, which this price is "
        "without (the summary says so). If the user wants it, food_update_cart(coupon_code=…) and quote again.",
    )
    summary: str = Field(description="One line to show the user before they confirm.")


class PlaceOrder(WireModel):
    """Placing what a quote offered. The other fields say what the caller asks for now; each is refused when it is
    not what the token was quoted for ('' = as quoted), so a token never places an order the agent did not ask for."""

    confirmation_token: str = Field(description="Token from the quote.")
    address_id: str = Field(default="", description="Delivery address id (adr_…); '' = as quoted.")
    deliver_at: str = Field(default="", description="Scheduled slot as the quote was asked for; '' = as quoted.")
    payment_method: Literal["", "wallet", "cash"] = Field(default="", description="'' = as quoted.")
    note: str = Field(default="", description="Note for the restaurant or courier; '' = as quoted.")


class TimelineStep(WireModel):
    status: OrderStatus = Field(description="Lifecycle step.")
    at: datetime = Field(description="When it happened or is expected.")
    done: bool = Field(description="Already happened.")


class Rider(WireModel):
    name: str = Field(description="Courier's first name.")
    phone: str = Field(description="Masked phone number.")
    location: GeoPoint = Field(description="Current position.")


class OrderSummary(WireModel):
    id: str = Field(description="Order id (ord_…).")
    restaurant_name: str = Field(description="Restaurant.")
    status: OrderStatus = Field(description="Current status.")
    total: Money = Field(description="Amount charged.")
    placed_at: datetime = Field(description="When it was placed.")
    item_count: int = Field(description="Number of items.")
    scheduled_for: datetime | None = Field(
        default=None, description="Scheduled delivery slot, local time; null for an as-soon-as-possible order."
    )


class Order(WireModel):
    id: str = Field(description="Order id (ord_…).")
    status: OrderStatus = Field(description="Current status.")
    restaurant_id: str = Field(description="Restaurant id.")
    restaurant_name: str = Field(description="Restaurant.")
    address: Address = Field(description="Delivery address.")
    lines: list[CartLine] = Field(description="What was ordered.")
    bill: Bill = Field(description="What was charged.")
    payment_method: PaymentMethod = Field(description="wallet or cash.")
    note: str = Field(description="Note given at ordering.")
    placed_at: datetime = Field(description="When placed.")
    scheduled_for: datetime | None = Field(
        default=None,
        description="Scheduled delivery slot, local time (the lifecycle runs back from it); "
        "null = as soon as possible.",
    )
    eta: datetime | None = Field(description="Expected delivery time; null once delivered or cancelled.")
    timeline: list[TimelineStep] = Field(description="Lifecycle, past and expected.")
    rider: Rider | None = Field(description="Courier once assigned.")
    cancellation_policy: str = Field(description="What cancelling now would refund.")
    refunded: Money = Field(description="Refunded so far.")
    cancel_reason: str = Field(description="Why it was cancelled ('' if not).")


class OrderPage(WireModel):
    orders: list[OrderSummary] = Field(description="Orders, newest first.")
    page: PageInfo = Field(description="Pagination.")


class OrderList(OrderPage):
    """A page of orders with the wallet they were paid from."""

    wallet: WalletNow = Field(description="The one wallet's balance now and its latest movements (every service's).")


class CancelQuote(WireModel):
    confirmation_token: str = Field(description="Pass back to cancel with exactly this refund.")
    expires_at: datetime = Field(
        description="Token expiry, local time (simulated clock): at the latest when the refund drops."
    )
    order_id: str = Field(description="Order to cancel.")
    refund: Money = Field(description="What will be refunded.")
    policy: str = Field(description="Why this refund.")
    refund_drops_at: datetime | None = Field(
        default=None,
        description="When the refund gets smaller, local time: when the restaurant is expected to accept (or the "
        "kitchen to start) or the rider to pick up; null if it will not change.",
    )
    refund_then: Money | None = Field(
        default=None, description="The refund from refund_drops_at on (0 = no longer cancellable); null if unchanged."
    )
    wallet_after: Money = Field(description="Wallet balance after the refund.")
    summary: str = Field(description="One line to show the user before they confirm.")


class CancelOrder(WireModel):
    confirmation_token: str = Field(description="Token from the cancel quote.")
    reason: str = Field(default="", description="Why the user cancels.")


class Cuisine(WireModel):
    slug: str = Field(description="Cuisine key.")
    en: str = Field(description="English label.")
    zh: str = Field(description="Chinese label.")


class CuisineList(WireModel):
    cuisines: list[Cuisine] = Field(description="Known cuisines.")


class PlaceOrderResult(Outcome):
    """Either a quote to confirm, or the placed order."""

    status: ConfirmStatus = Field(
        description="confirmation_required: show the quote and call again with its token; "
        "done: the order is placed; declined: the user said no, nothing charged."
    )
    quote: OrderQuote | None = Field(default=None, description="The exact offer awaiting confirmation.")
    order: Order | None = Field(default=None, description="The placed order.")


class CancelResult(Outcome):
    """Either a refund quote to confirm, or the cancelled order."""

    status: ConfirmStatus = Field(
        description="confirmation_required: show the refund and call again with its token; "
        "done: cancelled and refunded; declined: the user kept the order."
    )
    quote: CancelQuote | None = Field(default=None, description="The refund awaiting confirmation.")
    order: Order | None = Field(default=None, description="The cancelled order.")
