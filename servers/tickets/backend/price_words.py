"""Price words only tickets reads: 'free' (every event here is ticketed). A price with a bound ('under €40') is
``shared.prices``, which food reads too."""

from __future__ import annotations

import re

FREE = re.compile(
    r"(?<!\w)(?:free entry|free admission|free of charge|free|ilmainen|maksuton|vapaa paasy)(?!\w)|免费的?",
    re.IGNORECASE,
)
"""'free concert', '免费的展览': no title has the word (then it is the title's), and every event here is ticketed, so
it reads as the lowest price first with a note saying so; '免费的展览' listed the €23 exhibitions saying nothing and
'free concert' was 'No event matches free'."""

TOTAL = re.compile(
    r"(?<!\w)(?:in total|total|altogether|for both|for all of us)(?!\w)|总共|一共|总价|加起来|合计",
    re.IGNORECASE,
)
"""A price said for all the tickets ('两张票总共100欧以内', '2 tickets for under 60 euros total'): with how many, each
ticket's share of it; the words were searched ('No event matches 总共')."""
