"""The mocked Damai-like provider: an HTTP API (``app``) over SQLModel tables (``models``), with
catalog search in ``catalog``/``service``, holds and purchases in ``orders``, prices and refund
rules in ``pricing`` and fixture loading in ``seed``. Seat inventory is the shared seating engine."""
