"""An event's ticket rules said in a search ('可以退票的话剧', 'refundable concerts', '需要实名的演唱会', 'no ID
needed'): no event's title holds them, so the search found nothing ('No event matches 退票', '实名'). They name a rule
every event has, its refund policy or whether its tickets carry the holder's name (实名制), and the search keeps the
events under it."""

from __future__ import annotations

import re

from shared.schemas.tickets import RefundPolicy
from shared.text import english_words, which_said

from .catalog import EventRec

RULE_SAID = re.compile(
    r"(?P<no_refund>不可以?退(?:票|款)?|不能退(?:票|款)?|不退(?:票|款)|"
    + english_words(r"non-?refundable|no refunds?")
    + r")|(?P<refundable>可以退(?:票|款)?|能退(?:票|款)?|可退(?:票|款)?|支持退票|"
    + english_words(r"refundable|with refunds?|can be refunded")
    + r")|(?P<no_real_name>(?:不需要|不用|无需|不是)实名(?:制|认证)?|"
    + english_words(r"no (?:real[- ]name|id) (?:needed|required)|without (?:real[- ]name|id)|no real[- ]name")
    + r")|(?P<real_name>(?:需要)?实名(?:制|认证)?|"
    + english_words(r"real[- ]name(?: tickets?| required)?|id required")
    + r")",
    re.IGNORECASE,
)
RULES = ("no_refund", "refundable", "no_real_name", "real_name")
"""The rules a search can keep, as ``RULE_SAID`` names its groups."""
REFUNDABLE: frozenset[RefundPolicy] = frozenset({"standard", "strict"})

READ = {
    "no_refund": "events whose tickets cannot be refunded",
    "refundable": "events whose tickets can be refunded (each event's policy says how much, and until when)",
    "no_real_name": "events whose tickets need no holder's name or ID (实名制)",
    "real_name": "events whose tickets carry each holder's name and ID (实名制: save them with tickets_save_attendee)",
}


def follows(event: EventRec, rule: str) -> bool:
    """Whether ``event`` is under ``rule`` (one of ``RULES``)."""
    refundable = event.refund_policy in REFUNDABLE
    return {"no_refund": not refundable, "refundable": refundable, "no_real_name": not event.real_name,
            "real_name": event.real_name}[rule]  # fmt: skip


def rule_said(query: str) -> tuple[str, str, str]:
    """The query without a rule said in it, the rule (one of ``RULES``) and the words as said; the query, '' and ''
    when it says none."""
    return which_said(RULE_SAID, query, RULES)
