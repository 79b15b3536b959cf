"""What is left to buy, said in a search ('快售罄的演唱会', '还有票的话剧', 'concerts selling fast', 'sold out
shows'): no event's title holds these words, so the search found nothing ('No event matches 快售罄'). They ask for
events by what their sessions have left now, the ``availability`` each event of a page shows."""

from __future__ import annotations

import re

from shared.schemas.tickets import Availability
from shared.text import english_words, which_said

from .pricing import FEW_LEFT

AVAILABILITY_SAID = re.compile(
    r"(?P<few_left>快要?(?:售罄|卖完|卖光|抢光|没票)了?|即将售罄|余票(?:不多|紧张)|票(?:不多|快没)了?|所剩无几|"
    + english_words(
        r"selling fast|(?:almost|nearly) sold[- ]out|(?:only )?a few (?:tickets |seats )?left|few tickets left|"
        r"last (?:few )?tickets"
    )
    + r")|(?P<available>还有票|有余票|有票|正在售票|在售|还能买(?:到)?|能买到|没(?:有)?(?:售罄|卖完)|未售罄|"
    + english_words(r"not sold[- ]out|on sale(?: now)?|(?:tickets |seats |still )available|with tickets(?: left)?")
    + r")|(?P<sold_out>已经?(?:售罄|卖完|卖光)了?|售罄|卖完了?|"
    + english_words(r"sold[- ]out")
    + r")",
    re.IGNORECASE,
)
"""Few left before sold out: '快售罄' holds '售罄', and 'not sold out' holds 'sold out'."""

WANTED: dict[str, frozenset[Availability]] = {
    "few_left": frozenset({"few_left"}),
    "available": frozenset({"available", "few_left"}),
    "sold_out": frozenset({"sold_out"}),
}
LEFT_MEANS = {
    "few_left": f"events with few tickets left now (fewer than {FEW_LEFT} in a session on sale)",
    "available": "events with tickets on sale now",
    "sold_out": "events sold out now",
}


def availability_said(query: str) -> tuple[str, str, str]:
    """The query without what is left said in it, which of ``WANTED`` it asks for and the words as said; the query,
    '' and '' when it says none."""
    return which_said(AVAILABILITY_SAID, query, list(WANTED))
