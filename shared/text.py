"""Matching what people type against names: case and accents do not count ('toolo' finds Töölö)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence


def fold(text: str) -> str:
    """Lower case without accents (combining marks dropped after NFKD), e.g. 'Kesäkino' → 'kesakino'.

    ASCII text has nothing to decompose or drop: it is only lowered (most names and queries are ASCII; building nav's
    geocoder, which folds every name, takes 29 ms instead of 31)."""
    if text.isascii():
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def is_cjk(ch: str) -> bool:
    """Whether ``ch`` is a Chinese (or other CJK) character: such text has no spaces between words, so a word is
    looked for inside it rather than between word boundaries."""
    return "\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uf900" <= ch <= "\ufaff"


def has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


NOT_CJK_WORD = r"[^\W\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]"
"""A letter or digit of a script written with spaces (``is_cjk``'s ranges left out): what may not touch a word found
as a whole word. Chinese ends a word as a space does: 'Helsinki Music Centre附近', 'pizza外卖'."""


def as_words(phrase: str) -> str:
    """A regular expression finding ``phrase`` as whole words ('today' not in 'todays'; a Chinese character next
    to it is no part of it); Chinese, written without spaces, anywhere."""
    if has_cjk(phrase):
        return re.escape(phrase)
    return rf"(?<!{NOT_CJK_WORD}){re.escape(phrase)}(?!{NOT_CJK_WORD})"


def any_of_words(phrases: Iterable[str], word: str = NOT_CJK_WORD) -> str:
    """A regular expression finding any of ``phrases`` as ``as_words`` finds each, the longest first ('tomorrow
    night' before 'tomorrow'). ``word``: the character class that may not touch a spaced phrase (``NOT_CJK_WORD``;
    any word character where Chinese may not touch it either, as district and off-map names are read).

    The whole-word guards stand once around all the spaced phrases, not around each: every guard is a character
    class over the CJK ranges, which ``re`` takes about a millisecond to compile, so a few hundred phrases guarded
    one by one kept a server's first answer waiting most of a second. Phrases with Chinese in them come first: one
    of them and a phrase without any can only both match at one place if the one with Chinese is the longer.
    """
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    parts = [re.escape(p) for p in ordered if has_cjk(p)]
    spaced = [re.escape(p) for p in ordered if p and not has_cjk(p)]
    if spaced:
        parts.append(rf"(?<!{word})(?:{'|'.join(spaced)})(?!{word})")
    return "|".join(parts) or "(?!)"


def plain(text: str) -> str:
    """Lower case without apostrophes, e.g. "MorriSon's" → 'morrisons': people and speech-to-text leave them out,
    so a name is matched as if it had none."""
    return text.lower().replace("'", "").replace("’", "")


def house_key(number: str) -> str:
    """A house number as compared: case and spaces do not count ('39 B', '39b' and '39B' are one number)."""
    return number.lower().replace(" ", "")


def house_number(value: str) -> int:
    """The number a house number starts with ('22-24' → 22, '13A' → 13), to order and compare houses by; a large one
    when it has none."""
    digits = re.match(r"\s*(\d+)", value)
    return int(digits[1]) if digits else 10**6


def staircase_house(number: str) -> str:
    """The house of a staircase number ('39b' → '39', as ``house_key`` writes it), or '' when ``number`` is none:
    'Fabianinkatu 39 B' is staircase B of house 39, which is where to go when the map has no 39 B of its own."""
    return number[:-1] if number[-1:].isalpha() and number[:-1].isdigit() else ""


CHEAP = re.compile(
    r"(?<!\w)(?:cheap|cheapest|cheaply|budget|inexpensive|affordable|low[- ]cost|halpa|halpaa|halpoja|halvin|halvalla"
    r"|edullinen|edullista|edullisesti)(?!\w)|(?:便宜|实惠|平价|划算)(?:一?点儿?)?的?",
    re.IGNORECASE,
)
"""Words that ask for a low price ('cheap sushi', '便宜的寿司', '便宜点的', 'halpa konsertti'): no menu or title
has them, so they were left out and the dearest restaurant or concert could come first (``cheap_first``). Food and
tickets read them alike."""


def take_out(words: re.Pattern[str], query: str) -> tuple[str, bool]:
    """The query without what ``words`` matches (spaces tidied), and whether it matched: words that ask how ('cheap',
    'late night', 'nearest') rather than what, read as a filter or an order by the vertical and not searched."""
    rest = words.sub(" ", query)
    return " ".join(rest.split()), rest != query


def english_words(alternatives: str) -> str:
    """``alternatives`` (a regular expression) as whole English words, for a pattern that also finds Chinese, where
    no word boundary stands ('non-refundable' not inside 'nonrefundables')."""
    return rf"(?<![a-z])(?:{alternatives})(?![a-z])"


def which_said(pattern: re.Pattern[str], query: str, names: Sequence[str]) -> tuple[str, str, str]:
    """The query without the first thing ``pattern`` finds in it, which of ``names`` (its named groups) that is, and
    the words as said; the query, '' and '' when it finds nothing (a ticket rule said, what is left to buy)."""
    rest, m = take_match(pattern, query)
    if m is None:
        return query, "", ""
    return rest, next(name for name in names if m[name]), m[0].strip()


def take_match(pattern: re.Pattern[str], query: str) -> tuple[str, re.Match[str] | None]:
    """The query without the first thing ``pattern`` finds in it (spaces tidied), and that match (None, and the
    query as it was, when it finds nothing): a phrase read for its value ('within 30 minutes', 'to work')."""
    m = pattern.search(query)
    if m is None:
        return query, None
    return " ".join((query[: m.start()] + " " + query[m.end() :]).split()), m


def cheap_first(query: str) -> tuple[str, bool]:
    """The query without its price words, and whether it had any: then the cheapest comes first among equally good
    matches (food: the lowest price level; tickets: the lowest face value)."""
    return take_out(CHEAP, query)


ASKING_CHARACTERS = frozenset(
    "的地得了吗呢吧啊哦嘛我你他她们想要看听去买订票门张个场部位些点一两几有没什么哪儿里在和跟与及或给找帮请能可以会"
    "适合带这那还也都就是多少好最很人家"
)
"""Characters that only ask, count or tie ('我想看', '有没有', '适合…看的', '两张票'): where one starts no word a
catalog knows it is dropped from a Chinese query. Any other character is a word the catalog lacks."""


def cut_at_known(run: str, known: Callable[[str], bool]) -> list[str]:
    """Chinese written without spaces ('林夏演唱会', '有没有适合小孩看的动画片') as the words it holds that a catalog
    knows: from the left, the longest run that ``known`` accepts ('林夏', then '演唱会'). A character starting no
    known run of two is dropped where it only asks (``ASKING_CHARACTERS``: '的', '票', '看'), and a last one after
    words, a suffix ('坎皮区', '情侣座'). The other characters the catalog does not know are kept as one word ('冰球'
    in '冰球比赛', '宫崎骏'), a lone one with the character after it ('歌剧' in '芬兰国家歌剧院'): dropped, the query
    asked for what the rest names, and the Finnish National Theatre's plays answered a search for the opera house.
    Tickets and movies cut queries so. [] when nothing is left."""
    pieces: list[str] = []
    i, unknown = 0, -1
    while i < len(run):
        j = i + 1
        while j < len(run) and known(run[i : j + 1]):
            j += 1
        if j - i >= 2 or run[i] in ASKING_CHARACTERS:
            if unknown >= 0:
                pieces.append(_unknown_word(run, unknown, i))
                unknown = -1
            if j - i >= 2:
                pieces.append(run[i:j])
        elif unknown < 0:
            unknown = i
        i = j
    if unknown >= 0 and (len(run) - unknown > 1 or not pieces):  # one last after words is a suffix: 区, 座, 厅
        pieces.append(_unknown_word(run, unknown, len(run)))
    return pieces


def _unknown_word(run: str, start: int, end: int) -> str:
    """The run of unknown characters at [start, end); one alone takes the character after it, which it most likely
    makes a word with ('歌' of '歌剧院', '老' of '老人')."""
    if end - start == 1 and end < len(run):
        end += 1
    return run[start:end]


_TIED_BEFORE = re.compile(r"(?:^|\s)(?:on|in|at|for|during|over|this)\s*$", re.IGNORECASE)
"""An English word that only tied the phrase after it to the query ('kids events on Sunday', 'jazz this Friday',
'sushi for under 20 euros'): left in, an empty page's note read "No event matching 'kids events on'"."""


def cut_phrase(text: str, start: int, end: int) -> str:
    """``text`` without the phrase at [start, end) and the particle or preposition that tied it to the rest:
    '周六晚上的演唱会' is '演唱会', not '的演唱会', which nothing has, and 'kids events on Sunday' 'kids events' (day
    words, prices said in a query)."""
    before = _TIED_BEFORE.sub(" ", text[:start].removesuffix("的"))
    return before + " " + text[end:].lstrip().removeprefix("的")
