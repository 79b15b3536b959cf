"""Baseline: the schema of lifestyle-mcp 0.2 (commit fd2eb5f), the last one made by ``create_all``.

Every table of the account and the four verticals, as their models declared them then. A sandbox from
before migrations holds some or all of them (each server created its own vertical's tables on its first
start), so a table is created only where it is missing: the same revision builds a new sandbox and adopts
an old one. Indexes are the models' ``index=True`` columns, named ``ix_<table>_<column>`` as SQLAlchemy
names them; the unique constraints are unnamed, as ``create_all`` made them (PostgreSQL calls them
``<table>_<columns>_key``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    present = set() if context.is_offline_mode() else set(sa.inspect(op.get_bind()).get_table_names())

    def table(name: str, *elements: sa.schema.SchemaItem, index: Sequence[str] = ()) -> None:
        if name in present:
            return
        op.create_table(name, *elements)
        for column in index:
            op.create_index(f"ix_{name}_{column}", name, [column])

    table(
        "account_address",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("label_key", sa.String(), nullable=False),
        sa.Column("street", sa.String(), nullable=False),
        sa.Column("housenumber", sa.String(), nullable=False),
        sa.Column("postcode", sa.String(), nullable=False),
        sa.Column("city", sa.String(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "label_key"),
        index=["user_id"],
    )
    table(
        "account_idempotency",
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "key"),
    )
    table(
        "account_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("vertical", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("memo", sa.String(), nullable=False),
        sa.Column("quote_token", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("vertical", "ref", "kind"),
        index=["user_id"],
    )
    table(
        "account_meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    table(
        "account_quote",
        sa.Column("token", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("vertical", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("subject_id", sa.String(), nullable=False),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result_id", sa.String(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token"),
        index=["subject_id", "user_id"],
    )
    table(
        "account_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sim_anchor", sa.DateTime(timezone=True), nullable=False),
        sa.Column("real_anchor", sa.Float(), nullable=False),
        sa.Column("scale", sa.Float(), nullable=False),
        sa.Column("clock_version", sa.Integer(), nullable=False),
        sa.Column("book_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    table(
        "account_token",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("digest", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"),
        index=["user_id"],
    )
    table(
        "account_user",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    table(
        "account_wallet",
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("balance_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    table(
        "food_cart",
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("restaurant_id", sa.String(), nullable=False),
        sa.Column("address_id", sa.String(), nullable=False),
        sa.Column("coupon_code", sa.String(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    table(
        "food_coupon",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    table(
        "food_meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    table(
        "food_order",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("restaurant_id", sa.String(), nullable=False),
        sa.Column("quote_token", sa.String(), nullable=False),
        sa.Column("total_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("payment_method", sa.String(), nullable=False),
        sa.Column("coupon_code", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.String(), nullable=False),
        sa.Column("refunded_minor", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("quote_token"),
        index=["user_id"],
    )
    table(
        "food_restaurant",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    table(
        "tickets_attendee",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("id_type", sa.String(), nullable=False),
        sa.Column("id_number", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "id_type", "id_number"),
        index=["user_id"],
    )
    table(
        "tickets_event",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("venue_id", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        index=["venue_id"],
    )
    table(
        "tickets_meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    table(
        "tickets_order",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("hold_id", sa.String(), nullable=False),
        sa.Column("quote_token", sa.String(), nullable=False),
        sa.Column("tickets_minor", sa.Integer(), nullable=False),
        sa.Column("fee_minor", sa.Integer(), nullable=False),
        sa.Column("total_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("refunded_minor", sa.Integer(), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hold_id"),
        sa.UniqueConstraint("quote_token"),
        index=["event_id", "session_id", "user_id"],
    )
    table(
        "tickets_seat_claim",
        sa.Column("inventory_id", sa.String(64), nullable=False),
        sa.Column("seat_id", sa.String(64), nullable=False),
        sa.Column("tier", sa.String(32), nullable=False),
        sa.Column("hold_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("inventory_id", "seat_id"),
        index=["hold_id", "order_id", "user_id"],
    )
    table(
        "tickets_seat_hold",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("inventory_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("request_key", sa.String(256), nullable=False),
        sa.Column("seats", sa.JSON(), nullable=False),
        sa.Column("total_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        index=["inventory_id", "user_id"],
    )
    table(
        "tickets_session",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("venue_id", sa.String(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sales_open_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prices", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        index=["event_id"],
    )
    table(
        "tickets_ticket",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("order_id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.String(), nullable=False),
        sa.Column("seat_label", sa.String(), nullable=False),
        sa.Column("tier", sa.String(), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("fee_minor", sa.Integer(), nullable=False),
        sa.Column("attendee_id", sa.String(), nullable=False),
        sa.Column("attendee", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("refund_id", sa.String(), nullable=False),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id", "position"),
        index=["event_id", "order_id", "session_id"],
    )
    table(
        "tickets_venue",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    table(
        "movies_cinema",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    table(
        "movies_film",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    table(
        "movies_meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    table(
        "movies_order",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("showtime_id", sa.String(), nullable=False),
        sa.Column("hold_id", sa.String(), nullable=False),
        sa.Column("quote_token", sa.String(), nullable=False),
        sa.Column("seats", sa.JSON(), nullable=False),
        sa.Column("tickets_minor", sa.Integer(), nullable=False),
        sa.Column("fee_minor", sa.Integer(), nullable=False),
        sa.Column("total_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("pickup_code", sa.String(), nullable=False),
        sa.Column("refund_id", sa.String(), nullable=False),
        sa.Column("refunded_minor", sa.Integer(), nullable=False),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hold_id"),
        sa.UniqueConstraint("quote_token"),
        index=["showtime_id", "user_id"],
    )
    table(
        "movies_seat_claim",
        sa.Column("inventory_id", sa.String(64), nullable=False),
        sa.Column("seat_id", sa.String(64), nullable=False),
        sa.Column("tier", sa.String(32), nullable=False),
        sa.Column("hold_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("inventory_id", "seat_id"),
        index=["hold_id", "order_id", "user_id"],
    )
    table(
        "movies_seat_hold",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("inventory_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("request_key", sa.String(256), nullable=False),
        sa.Column("seats", sa.JSON(), nullable=False),
        sa.Column("total_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        index=["inventory_id", "user_id"],
    )
    table(
        "nav_address",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("street", sa.String(), nullable=False),
        sa.Column("housenumber", sa.String(), nullable=False),
        sa.Column("postcode", sa.String(), nullable=False),
        sa.Column("city", sa.String(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        index=["street"],
    )
    table(
        "nav_meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    table(
        "nav_place",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        index=["category"],
    )


TABLES = (
    "account_address",
    "account_idempotency",
    "account_ledger",
    "account_meta",
    "account_quote",
    "account_state",
    "account_token",
    "account_user",
    "account_wallet",
    "food_cart",
    "food_coupon",
    "food_meta",
    "food_order",
    "food_restaurant",
    "tickets_attendee",
    "tickets_event",
    "tickets_meta",
    "tickets_order",
    "tickets_seat_claim",
    "tickets_seat_hold",
    "tickets_session",
    "tickets_ticket",
    "tickets_venue",
    "movies_cinema",
    "movies_film",
    "movies_meta",
    "movies_order",
    "movies_seat_claim",
    "movies_seat_hold",
    "nav_address",
    "nav_meta",
    "nav_place",
)


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
