CREATE TABLE account_alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT account_alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE account_address (
	id VARCHAR NOT NULL, 
	user_id VARCHAR NOT NULL, 
	label VARCHAR NOT NULL, 
	label_key VARCHAR NOT NULL, 
	street VARCHAR NOT NULL, 
	housenumber VARCHAR NOT NULL, 
	postcode VARCHAR NOT NULL, 
	city VARCHAR NOT NULL, 
	lat FLOAT NOT NULL, 
	lng FLOAT NOT NULL, 
	notes VARCHAR NOT NULL, 
	seq INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (user_id, label_key)
);
CREATE INDEX ix_account_address_user_id ON account_address (user_id);
CREATE TABLE account_idempotency (
	user_id VARCHAR NOT NULL, 
	"key" VARCHAR NOT NULL, 
	fingerprint VARCHAR NOT NULL, 
	status INTEGER NOT NULL, 
	body BLOB NOT NULL, 
	content_type VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (user_id, "key")
);
CREATE TABLE account_ledger (
	id INTEGER NOT NULL, 
	user_id VARCHAR NOT NULL, 
	vertical VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	ref VARCHAR NOT NULL, 
	amount_minor INTEGER NOT NULL, 
	memo VARCHAR NOT NULL, 
	quote_token VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (vertical, ref, kind)
);
CREATE INDEX ix_account_ledger_user_id ON account_ledger (user_id);
CREATE TABLE account_meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE TABLE account_quote (
	token VARCHAR NOT NULL, 
	user_id VARCHAR NOT NULL, 
	vertical VARCHAR NOT NULL, 
	action VARCHAR NOT NULL, 
	subject_id VARCHAR NOT NULL, 
	direction VARCHAR NOT NULL, 
	method VARCHAR NOT NULL, 
	fingerprint VARCHAR NOT NULL, 
	amount_minor INTEGER NOT NULL, 
	payload JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	result_id VARCHAR NOT NULL, 
	used_at DATETIME, 
	PRIMARY KEY (token)
);
CREATE INDEX ix_account_quote_subject_id ON account_quote (subject_id);
CREATE INDEX ix_account_quote_user_id ON account_quote (user_id);
CREATE TABLE account_state (
	id INTEGER NOT NULL, 
	sim_anchor DATETIME NOT NULL, 
	real_anchor FLOAT NOT NULL, 
	scale FLOAT NOT NULL, 
	clock_version INTEGER NOT NULL, 
	book_version INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE account_token (
	id VARCHAR NOT NULL, 
	user_id VARCHAR NOT NULL, 
	digest VARCHAR NOT NULL, 
	label VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME, 
	revoked_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (digest)
);
CREATE INDEX ix_account_token_user_id ON account_token (user_id);
CREATE TABLE account_user (
	id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	phone VARCHAR NOT NULL, 
	email VARCHAR NOT NULL, 
	currency VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE account_wallet (
	user_id VARCHAR NOT NULL, 
	balance_minor INTEGER NOT NULL, 
	currency VARCHAR NOT NULL, 
	PRIMARY KEY (user_id)
);
CREATE TABLE food_cart (
	user_id VARCHAR NOT NULL, 
	restaurant_id VARCHAR NOT NULL, 
	address_id VARCHAR NOT NULL, 
	coupon_code VARCHAR NOT NULL, 
	lines JSON NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (user_id)
);
CREATE TABLE food_coupon (
	code VARCHAR NOT NULL, 
	data JSON NOT NULL, 
	PRIMARY KEY (code)
);
CREATE TABLE food_meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE TABLE food_order (
	id VARCHAR NOT NULL, 
	user_id VARCHAR NOT NULL, 
	restaurant_id VARCHAR NOT NULL, 
	quote_token VARCHAR NOT NULL, 
	total_minor INTEGER NOT NULL, 
	currency VARCHAR NOT NULL, 
	payment_method VARCHAR NOT NULL, 
	coupon_code VARCHAR NOT NULL, 
	note VARCHAR NOT NULL, 
	snapshot JSON NOT NULL, 
	placed_at DATETIME NOT NULL, 
	cancelled_at DATETIME, 
	cancel_reason VARCHAR NOT NULL, 
	refunded_minor INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (quote_token)
);
CREATE INDEX ix_food_order_user_id ON food_order (user_id);
CREATE TABLE food_restaurant (
	id VARCHAR NOT NULL, 
	data JSON NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE tickets_attendee (
	id VARCHAR NOT NULL, 
	user_id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	id_type VARCHAR NOT NULL, 
	id_number VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (user_id, id_type, id_number)
);
CREATE INDEX ix_tickets_attendee_user_id ON tickets_attendee (user_id);
CREATE TABLE tickets_event (
	id VARCHAR NOT NULL, 
	venue_id VARCHAR NOT NULL, 
	data JSON NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_tickets_event_venue_id ON tickets_event (venue_id);
CREATE TABLE tickets_meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE TABLE tickets_order (
	id VARCHAR NOT NULL, 
	user_id VARCHAR NOT NULL, 
	event_id VARCHAR NOT NULL, 
	session_id VARCHAR NOT NULL, 
	hold_id VARCHAR NOT NULL, 
	quote_token VARCHAR NOT NULL, 
	tickets_minor INTEGER NOT NULL, 
	fee_minor INTEGER NOT NULL, 
	total_minor INTEGER NOT NULL, 
	currency VARCHAR NOT NULL, 
	refunded_minor INTEGER NOT NULL, 
	placed_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (hold_id), 
	UNIQUE (quote_token)
);
CREATE INDEX ix_tickets_order_event_id ON tickets_order (event_id);
CREATE INDEX ix_tickets_order_session_id ON tickets_order (session_id);
CREATE INDEX ix_tickets_order_user_id ON tickets_order (user_id);
CREATE TABLE tickets_seat_claim (
	inventory_id VARCHAR(64) NOT NULL, 
	seat_id VARCHAR(64) NOT NULL, 
	tier VARCHAR(32) NOT NULL, 
	hold_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(64) NOT NULL, 
	order_id VARCHAR(64) NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (inventory_id, seat_id)
);
CREATE INDEX ix_tickets_seat_claim_hold_id ON tickets_seat_claim (hold_id);
CREATE INDEX ix_tickets_seat_claim_order_id ON tickets_seat_claim (order_id);
CREATE INDEX ix_tickets_seat_claim_user_id ON tickets_seat_claim (user_id);
CREATE TABLE tickets_seat_hold (
	id VARCHAR(64) NOT NULL, 
	inventory_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(64) NOT NULL, 
	request_key VARCHAR(256) NOT NULL, 
	seats JSON NOT NULL, 
	total_minor INTEGER NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	released_at DATETIME, 
	order_id VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_tickets_seat_hold_inventory_id ON tickets_seat_hold (inventory_id);
CREATE INDEX ix_tickets_seat_hold_user_id ON tickets_seat_hold (user_id);
CREATE TABLE tickets_session (
	id VARCHAR NOT NULL, 
	event_id VARCHAR NOT NULL, 
	venue_id VARCHAR NOT NULL, 
	starts_at DATETIME NOT NULL, 
	sales_open_at DATETIME NOT NULL, 
	prices JSON NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_tickets_session_event_id ON tickets_session (event_id);
CREATE TABLE tickets_ticket (
	id VARCHAR NOT NULL, 
	order_id VARCHAR NOT NULL, 
	session_id VARCHAR NOT NULL, 
	event_id VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	seat_id VARCHAR NOT NULL, 
	seat_label VARCHAR NOT NULL, 
	tier VARCHAR NOT NULL, 
	price_minor INTEGER NOT NULL, 
	fee_minor INTEGER NOT NULL, 
	attendee_id VARCHAR NOT NULL, 
	attendee VARCHAR NOT NULL, 
	code VARCHAR NOT NULL, 
	refund_id VARCHAR NOT NULL, 
	refunded_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (order_id, position)
);
CREATE INDEX ix_tickets_ticket_event_id ON tickets_ticket (event_id);
CREATE INDEX ix_tickets_ticket_order_id ON tickets_ticket (order_id);
CREATE INDEX ix_tickets_ticket_session_id ON tickets_ticket (session_id);
CREATE TABLE tickets_venue (
	id VARCHAR NOT NULL, 
	data JSON NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE movies_cinema (
	id VARCHAR NOT NULL, 
	data JSON NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE movies_film (
	id VARCHAR NOT NULL, 
	data JSON NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE movies_meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE TABLE movies_order (
	id VARCHAR NOT NULL, 
	user_id VARCHAR NOT NULL, 
	showtime_id VARCHAR NOT NULL, 
	hold_id VARCHAR NOT NULL, 
	quote_token VARCHAR NOT NULL, 
	seats JSON NOT NULL, 
	tickets_minor INTEGER NOT NULL, 
	fee_minor INTEGER NOT NULL, 
	total_minor INTEGER NOT NULL, 
	currency VARCHAR NOT NULL, 
	pickup_code VARCHAR NOT NULL, 
	refund_id VARCHAR NOT NULL, 
	refunded_minor INTEGER NOT NULL, 
	refunded_at DATETIME, 
	placed_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (hold_id), 
	UNIQUE (quote_token)
);
CREATE INDEX ix_movies_order_showtime_id ON movies_order (showtime_id);
CREATE INDEX ix_movies_order_user_id ON movies_order (user_id);
CREATE TABLE movies_seat_claim (
	inventory_id VARCHAR(64) NOT NULL, 
	seat_id VARCHAR(64) NOT NULL, 
	tier VARCHAR(32) NOT NULL, 
	hold_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(64) NOT NULL, 
	order_id VARCHAR(64) NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (inventory_id, seat_id)
);
CREATE INDEX ix_movies_seat_claim_hold_id ON movies_seat_claim (hold_id);
CREATE INDEX ix_movies_seat_claim_order_id ON movies_seat_claim (order_id);
CREATE INDEX ix_movies_seat_claim_user_id ON movies_seat_claim (user_id);
CREATE TABLE movies_seat_hold (
	id VARCHAR(64) NOT NULL, 
	inventory_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(64) NOT NULL, 
	request_key VARCHAR(256) NOT NULL, 
	seats JSON NOT NULL, 
	total_minor INTEGER NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	released_at DATETIME, 
	order_id VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_movies_seat_hold_inventory_id ON movies_seat_hold (inventory_id);
CREATE INDEX ix_movies_seat_hold_user_id ON movies_seat_hold (user_id);
CREATE TABLE nav_address (
	id VARCHAR NOT NULL, 
	street VARCHAR NOT NULL, 
	housenumber VARCHAR NOT NULL, 
	postcode VARCHAR NOT NULL, 
	city VARCHAR NOT NULL, 
	lat FLOAT NOT NULL, 
	lng FLOAT NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_nav_address_street ON nav_address (street);
CREATE TABLE nav_meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE TABLE nav_place (
	id VARCHAR NOT NULL, 
	category VARCHAR NOT NULL, 
	lat FLOAT NOT NULL, 
	lng FLOAT NOT NULL, 
	data JSON NOT NULL, 
	hours JSON NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_nav_place_category ON nav_place (category);
INSERT INTO account_alembic_version (version_num) VALUES ('0001');
