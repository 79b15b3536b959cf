"""The mocked Taopiaopiao-like provider: an HTTP API (``app``) over SQLModel tables (``models``), with
the film and cinema catalog and showtimes in ``catalog``/``service``, holds, purchases and refunds in
``orders``, prices and the refund rule in ``pricing`` and fixture loading in ``seed``. Seats are the
shared seating engine's."""
