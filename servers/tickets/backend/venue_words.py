"""Words that ask where an event takes place rather than what it is: open-air ('室外的音乐会', 'outdoor concerts')."""

from __future__ import annotations

import re

OPEN_AIR = re.compile(
    r"(?<!\w)(?:open[- ]air|outdoors?|al fresco|ulkona)(?!\w)|(?<!\w)ulkoilma-?|室外|户外|露天|野外",
    re.IGNORECASE,
)
"""'室外的音乐会', '户外演出', 'open-air concerts', 'ulkoilmakonsertti' (its 'konsertti' stays): no event's words have
them, so the search found nothing and its note blamed the word ('No event matches 室外'). They ask for a venue under
the sky (``OPEN_AIR_KINDS``)."""

OPEN_AIR_KINDS = frozenset({"stadium", "park", "amphitheatre", "bandstand", "festival_grounds"})
"""Venue kinds that are open-air. The city's venues (theatres, clubs, concert halls, museums: OpenStreetMap's
kinds) are all indoors, so today the words only bring a note saying so; a venue of these kinds would be searched."""
