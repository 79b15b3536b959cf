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
