"""Catalog search: a query, in English or Chinese (or everyday Finnish food words, ``Catalog.read_as``), split into
the things it asks for, matched against restaurant names, cuisines, dishes, their ingredients (names, descriptions),
their diet tags and their options; accents do not count ('cafe' finds 'Café', ``folded``).

"oat milk latte" and "燕麦奶咖啡" are two parts each ("oat milk" + "latte", "燕麦奶" + "咖啡"): a restaurant
matches when one of its dishes satisfies every part, by its own words or options, or through the
restaurant (a coffee shop satisfies "咖啡"). Words are matched at word starts ("tea" is not in "steak");
Chinese, which has no spaces, is cut at the longest names the catalog knows. Parts that occur nowhere in
the catalog ("best", "please") are left out and reported, so a chatty query still finds the dish.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from shared.arrays import bounded_unique_inverse, find_sorted, unique, unique_inverse
from shared.errors import shown
from shared.hours import next_opening
from shared.schemas.common import GeoPoint, Money
from shared.schemas.food import MatchedDish
from shared.text import is_cjk, plain

from .catalog import Catalog, CategoryRec, CuisineRec, ItemRec, RestaurantRec, bilingual

Ints = npt.NDArray[np.int64]

MAX_DISHES = 3
WHOLE_DISH = 3
"""Score for a dish that has every part of a query of several ('Vegan burger' at a vegan place for 'vegan burger'),
as much as serving the cuisine: burger bars with vegan fries ranked level with it, and nearer ones first."""
MEMO = 512
"""Queries whose matches are kept (each costs a few KB; the scale pack's name matches more)."""
MAX_PHRASE = 8  # tokens: longer names are never a query part
STOPWORDS = frozenset(
    {
        *("a", "an", "the", "with", "and", "or", "of", "in", "on", "for", "some", "any", "me", "my", "i", "we"),
        *("want", "would", "like", "please", "to", "order", "get", "one", "two", "near", "nearby", "delivery"),
        *("deliver", "cup", "glass"),
        # 'something vegetarian that can arrive in 30 min' left 'that' and 'arrive' out as on no menu
        *("that", "which", "can", "could", "arrive", "arrives", "arriving", "delivered", "delivers", "is", "are"),
    }
)
TAG_WORDS = {
    "vegetarian": "vegetarian 素食",
    "vegan": "vegan vegetarian 纯素 素食",  # a vegan dish is a vegetarian one too
    "spicy": "spicy 辣",
    "gluten_free": "gluten-free 无麸质",
    "halal": "halal 清真",
}
"""What a dish's diet tags add to its searchable text, so 'vegetarian pizza' finds the Margherita the menu tags so
(the tags used to go unsearched: only a vegan restaurant, by its cuisine, could satisfy the word). 'popular' and
'new' are the menu's own words for ranking, not what a dish is, and are not searched."""
DIET_CUISINES = frozenset({"vegan", "vegetarian"})
"""Cuisines that say what a dish is made of, not only what kind of kitchen it is: at a vegetarian restaurant the
menu itself says which dishes are vegan, so 'vegan burger' there is its Vegan burger, not its Halloumi burger (the
cuisine stood for the word on every dish). Where a menu tags none, the cuisine still answers for it."""
LOOSER_DIET = {"vegan": "vegetarian", "纯素": "素食"}
"""A diet word and the looser one beside it (every vegan dish is vegetarian), offered when the strict one with the
rest of a query finds nothing."""
DRINKS = frozenset({"Drinks", "Soft drinks", "Coffee", "Tea", "Milk tea", "Fruit tea"})
"""Menu categories whose items' diet tags are not searched: nearly every drink is tagged vegan (sparkling water,
lager, sencha), which made every bar and café a 'vegan' match with a drink for its dish."""
ENGLISH: dict[str, tuple[str, ...]] = {
    "beer": ("lager",),
    "beers": ("lager",),
    "ice cream": ("gelato",),
    "ice creams": ("gelato",),
    "冰淇淋": ("gelato", "ice cream"),
    "雪糕": ("gelato", "ice cream"),
    "fried chicken": ("karaage",),
    "炸鸡": ("fried chicken", "karaage"),
    "清淡": ("salad", "poke", "miso soup", "salmon soup", "lentil soup", "porridge"),
    "果汁": ("juice",),
    "鲜榨果汁": ("juice",),
    "橙汁": ("juice",),
    "smoothie": ("juice",),
    "smoothies": ("juice",),
    "红酒": ("wine",),
    "葡萄酒": ("wine",),
    **dict.fromkeys(["米饭", "白米饭", "盖浇饭", "盖饭"], ("rice",)),
    **dict.fromkeys(["米线", "过桥米线", "螺蛳粉", "酸辣粉", "米粉"], ("rice noodles", "pho bo", "bun cha")),
    "兰州拉面": ("beef noodle soup",),
    **dict.fromkeys(["咖喱饭", "咖喱盖饭", "curry rice"], ("curry",)),
    **dict.fromkeys(["日式咖喱", "日式咖喱饭"], ("katsu curry",)),
    **dict.fromkeys(["汤面", "noodle soup", "noodle soups"], ("noodle soup", "ramen", "pho bo")),
    "麻辣香锅": ("malatang",),
    **dict.fromkeys(["下午茶", "afternoon tea"], ("tea", "cake", "pastry", "cinnamon bun", "scone")),
    **dict.fromkeys(
        ["burger", "burgers", "hamburger", "hamburgers", "汉堡", "汉堡包"],
        ("whopper", "big mac", "mcchicken", "long chicken", "filet-o-fish"),
    ),
    # 西餐 (Western food, as Chinese users name every European kitchen): the cuisines it means here
    **dict.fromkeys(
        ["西餐", "西式", "西餐厅", "western food"],
        ("italian", "steakhouse", "burgers", "pizza", "finnish", "sandwiches"),
    ),
    "gluten free": ("gluten-free",),
    "lactose free": ("lactose-free",),
    "dairy free": ("lactose-free", "vegan"),
}
"""Words the menus spell otherwise, English and Chinese: 'beer' found one restaurant by its name where '啤酒' found
the 71 that pour a 'Lager 0.5 l / 拉格啤酒0.5升'; 'ice cream' dropped 'cream' and found iced lattes; 冰淇淋, 果汁,
红酒 and 'smoothie' found nothing beside the gelato, juice and wine bars; 炸鸡 and 'fried chicken' found different
restaurants; 米饭 (rice), 米线 (rice noodles, as the pho and bun cha are), 兰州拉面 and 麻辣香锅 found nothing beside
the fried rice, rice noodles, beef noodle soup and malatang on the menus, nor 咖喱饭 (curry rice), 日式咖喱 and 汤面
(noodle soup) beside the curries, the katsu curry, the ramen and pho; the chains' burgers go by their names
(a Plant-based Whopper is no 'vegan burger' by its words); '西餐' found nothing; 'gluten free pizza' was split into
'gluten', 'free' and 'pizza'. Phrases are kept whole when a query is split."""
KINDS = {
    "fast_food": CuisineRec(
        slug="fast_food", en="Fast food", zh="快餐", synonyms=["fast-food", "快餐店", "速食", "pikaruoka"]
    ),
}
"""Kinds of restaurant (OpenStreetMap's amenity, ``RestaurantRec.kind``) searched as a cuisine is: '快餐', one of
Ele.me's first categories, and 'fast food' found nothing or every restaurant, though 54 of the city's kitchens are
tagged fast food (the burger and kebab counters, Subway, pizza by the slice). Not cuisines of a restaurant: they
are not shown in its list of cuisines, only found by."""
DISH_MODIFIERS = frozenset(
    {
        *("hot", "cold", "spicy", "sweet", "sour", "fried", "grilled", "baked", "roast", "roasted", "steamed"),
        *("boiled", "smoked", "crispy", "fresh", "big", "small", "large", "mini", "mild", "warm", "iced"),
    }
)
"""Words that only say how a dish is ('hot dog', 'spicy xyz'): before a dish on no menu, they alone are no search
for it. 'hot dog' was searched as 'hot' and listed the hot-pot kitchen, saying only that 'dog' was on no menu."""
GENERIC = frozenset(
    {
        *("food", "foods", "restaurant", "restaurants", "something", "anything", "eat", "eating", "meal", "meals"),
        *("eats", "grub", "bite", "bites"),
        *("lunch", "dinner", "supper", "takeaway", "takeout", "ravintola", "ravintolat", "ruoka", "ruokaa"),
        *("lounas", "illallinen", "syotavaa", "餐厅", "饭店", "外卖", "吃的", "美食", "东西", "好吃的", "随便"),
        *("餐馆", "饭馆", "菜馆", "馆子", "小馆", "料理店", "午餐", "晚餐", "午饭", "晚饭", "中饭", "中午饭"),
        # '中午吃什么' (what's for lunch) found nothing: a meal's time of day asks for any restaurant too
        *("吃什么", "吃啥", "吃点什么", "吃点啥", "吃饭", "中午", "晚上", "早上", "今晚"),
        # '推荐一家评价好的' (recommend one well reviewed) found nothing: asking for a recommendation names no dish
        *("推荐", "推荐一家", "推荐一下", "推荐个", "recommend", "recommendation", "recommendations", "suggest"),
        *("place", "places", "spot", "joint"),  # 'a good pizza place': the place is the restaurant
        *("good", "nice", "tasty", "delicious", "great", "decent", "不错", "不错的"),  # 'a good burger joint'
    }
)
"""Words that ask for any restaurant ('something to eat', 'food near me', '外卖'): a query of only these and
stopwords is no filter (``Index.vague``); searched as words they found nothing, or only names holding them. The
Chinese ones end a run of Chinese: '意大利餐厅' and '泰国餐馆' are 意大利 and 泰国 (words of 意大利菜, 泰国菜) and a
restaurant, where the whole run was one unknown word."""
CJK_STOP = frozenset(
    [
        *("的", "和", "加", "配", "要", "想", "我", "杯", "份", "个", "一", "一杯", "一份", "一个", "来"),
        *("附近", "周边", "旁边", "这边", "店"),  # every search is near the delivery point, of restaurants: as 'nearby'
    ]
)
CJK_ASKING = CJK_STOP | {"吃", "喝", "点", "些", "吧", "呢", "啊", "好", "吗", "有"}
ASKING_PHRASES = re.compile(
    r"有什么|有没有|什么|推荐一下|推荐|帮我|给我|来一份|来份|来点|想要|我想|适合|请|找一家|找家|找个|一家"
    r"|(?:还|仍然)?(?:能|可以)(?:配)?送(?:到)?|送得到"  # '晚上11点还能送的': delivering is what every one listed does
)
"""Words of Chinese that only ask ('附近有什么好吃的', '有没有素食', '来份麻辣烫'), cut from a query before it is split:
'有什么' joined the run it stood in, which no menu has, so 'anything good to eat nearby' found nothing."""
"""Characters that only ask (I want to eat, some, a ...) where no dish's name starts with them: they end an unknown
run of Chinese rather than join it, so '想吃辣的' asks for 辣 (spicy), not for the unknown '吃辣的' (it found nothing,
while '辣' found the spicy dishes)."""
_WORD_CHARS = "-_&%"
COUNT = re.compile(r"x?\d+x?")
"""A number typed as how many ('2 pizzas', 'pizza for 4', '2x margherita'), not what (``Index.quantity``)."""
NUMERALS = frozenset("一二两三四五六七八九十几半")
MEASURES = frozenset("个杯份碗盒瓶只串块张罐盘笼条根片位人")
"""Chinese counts are a numeral and a measure word (两份, 三个, 2杯, 两人份); a numeral alone is a dish's (三文鱼)."""


@functools.cache
def _bare(ch: str) -> str:
    """A Latin letter without its accents ('é' → 'e', 'ñ' → 'n', 'ở' → 'o'); any other character as it is."""
    if not ("\u00c0" <= ch < "\u0250" or "\u1e00" <= ch <= "\u1eff"):
        return ch
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)) or ch


def folded(text: str) -> str:
    """``plain`` text with Latin accents dropped, as every name, dish, label and query is compared: menus write
    'Caffè latte', 'Jalapeños' and 'Töölö', people type 'cafe', 'jalapenos' and 'toolo' (or the other way round),
    and each found a fraction of the other. Only Latin letters are touched (NFKD of the whole text would also
    rewrite full-width Chinese punctuation and Korean syllables, which tokens() reads as they are)."""
    text = plain(text)
    return text if text.isascii() else "".join(map(_bare, text))


def singulars(word: str) -> tuple[str, ...]:
    """What an English plural may be the plural of ('pizzas' → 'pizza', 'sandwiches' → 'sandwiche', 'sandwich'),
    longest first; () for a word that is no plural ('fish', 'glass', 'bus', Chinese). ``Index.part`` takes one only
    where it names a cuisine or the plural is nowhere in the catalog: words match at word starts, so the stem alone
    would reach other words ('fries' → 'frie' → 'fried')."""
    if len(word) < 4 or not word.endswith("s") or word.endswith("ss") or not word.isascii() or not word.isalpha():
        return ()
    return (word[:-1], word[:-2]) if word.endswith("es") else (word[:-1],)


def tokens(text: str) -> list[str]:
    """Lowercase Latin words and single CJK characters, in order; punctuation and spaces separate."""
    out: list[str] = []
    word: list[str] = []
    for ch in folded(text):
        if is_cjk(ch):
            if word:
                out.append("".join(word))
                word = []
            out.append(ch)
        elif ch.isalnum() or (ch in _WORD_CHARS and word):
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def join(parts: list[str] | tuple[str, ...]) -> str:
    """Tokens back into text: a space between two Latin words, none around Chinese."""
    text = ""
    for tok in parts:
        if text and not is_cjk(text[-1]) and not is_cjk(tok[0]):
            text += " "
        text += tok
    return text


_patterns: dict[str, re.Pattern[str]] = {}


def hit(term: str, text: str) -> bool:
    """``term`` occurs in ``text``: at a word start for Latin terms ('tea' is not in 'steak'), anywhere for Chinese."""
    if term not in text:
        return False
    if is_cjk(term[0]):
        return True
    pattern = _patterns.get(term)
    if pattern is None:
        if len(_patterns) > 4096:
            _patterns.clear()
        pattern = _patterns[term] = re.compile(r"(?<![^\W_])" + re.escape(term))
    return pattern.search(text) is not None


def find(term: str, text: str, start: int = 0) -> int:
    """The first position at or after ``start`` where ``term`` occurs in ``text`` as ``hit`` counts it (at a word
    start for Latin terms: the character before is no letter or digit, as the regex's look-behind says), or -1.
    A ``str.find`` loop: over a long text many times faster than the regex, whose look-behind defeats its literal
    search."""
    i = text.find(term, start)
    if is_cjk(term[0]):
        return i
    while i > 0 and text[i - 1].isalnum():
        i = text.find(term, i + 1)
    return i


KEY = 16
"""Characters of each indexed position kept as its sort key in ``Joined`` (longer terms are checked in full)."""
_ENTRIES = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]|(?<![^\W_])[^\W_]")
"""Where a term can hit: any Chinese (``is_cjk``) character, and every letter or digit at a word start."""


@dataclass
class Joined:
    """Many texts as one string with a sorted index of the places a term can hit there (word starts, Chinese
    characters), so finding the texts a term hits is a binary search and a few array operations however many
    texts there are: the scale pack has 13,000 distinct restaurant names, and a query part used to cost a
    regex on each (tens of ms); a plain scan of the joined text still costs a step per occurrence of a short
    word ('l' in 'lager 0.5 l') inside other words."""

    text: str
    starts: Ints
    ends: Ints
    at: Ints
    """Indexed positions, ordered by the text that follows them (the first ``KEY`` characters of it: a binary
    search reads them from ``text`` as it goes, rather than a list of them being kept, which cost 2.5 times the
    joined texts themselves: ~4 MB of a default-city server)."""

    @classmethod
    def of(cls, texts: list[str], sep: str = " | ") -> Joined:
        """The texts joined by ``sep``, which must end in a character that is no letter or digit (so a text's
        start reads as a word start, as it does alone)."""
        lengths = np.array([len(t) for t in texts], np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths + len(sep))[:-1]]).astype(np.int64) if texts else lengths
        text = sep.join(texts)
        entries = [m.start() for m in _ENTRIES.finditer(text)]
        entries.sort(key=lambda i: text[i : i + KEY])  # stable: positions with equal keys stay ascending
        return cls(text, starts, starts + lengths, np.array(entries, np.int64))

    def _head(self, i: int) -> str:
        return self.text[i : i + KEY]

    def holding(self, term: str) -> Ints:
        """The (ascending) indexes of the texts that ``hit(term, text)``: an occurrence counts when it lies inside
        one text (the separator before a text reads as a word start, as the text's own start does)."""
        first = term[0]
        if not (first.isalnum() or is_cjk(first)):
            return self._scan(term)  # a term starting with punctuation: rare, and not indexed
        head = term[:KEY]
        lo = bisect.bisect_left(self.at, head, key=self._head)
        hi = bisect.bisect_left(self.at, head[:-1] + chr(ord(head[-1]) + 1), lo, key=self._head)
        at = self.at[lo:hi]
        if len(term) > KEY:
            at = at[np.array([self.text.startswith(term, i) for i in at.tolist()], np.bool_)]
        k = np.searchsorted(self.starts, at, side="right") - 1
        return unique(k[at + len(term) <= self.ends[k]])

    def _scan(self, term: str) -> Ints:
        """``holding`` by walking the occurrences of the term in the joined text."""
        out: list[int] = []
        size, last = len(term), len(self.starts) - 1
        i = find(term, self.text)
        while i >= 0:
            k = int(np.searchsorted(self.starts, i, side="right")) - 1
            if i + size <= self.ends[k]:
                out.append(k)
                if k == last:
                    break
                i = find(term, self.text, int(self.starts[k + 1]))
            else:
                i = find(term, self.text, i + 1)
        return np.array(out, np.int64)


@dataclass(frozen=True)
class Part:
    """One thing a query asks for: its words, and every label of the cuisine it names (so '咖啡' finds coffee)."""

    literal: str
    terms: tuple[str, ...]
    cuisines: frozenset[str]
    typed: str = ""
    """The word as the user typed it where it is read as the menus spell it ('piza' for 'pizza'), else ''."""


@dataclass(frozen=True)
class OptionText:
    text: str
    label: str
    sold_out: bool


@dataclass(frozen=True)
class Dish:
    item: ItemRec
    label: str
    text: str
    options: tuple[OptionText, ...]
    number: int = 0
    """Its index among every template's dishes (``Index._dish_texts``)."""
    first_option: int = 0
    """The index of its first option among every dish's options (``Index._option_texts``)."""


@dataclass(frozen=True)
class Reach:
    """Where one query part occurs in the catalog (``Index.reach``)."""

    groups: Ints
    """Name groups (ascending) whose text the part hits."""
    menus: npt.NDArray[np.bool_]
    """Per template: some dish of its menu hits the part (by its own text or an option's)."""
    serves: npt.NDArray[np.bool_]
    """Per template: it serves a cuisine the part names."""
    touched: Ints
    """The dishes (``Dish.number``, ascending) that hit the part by their own text or an option's."""
    text: Ints
    """Dishes (``Dish.number``, ascending) whose own text hits a term of the part."""
    options: Ints
    """Options (``Dish.first_option`` + k, ascending) whose text hits a term of the part."""
    literal_text: Ints
    """Dishes (ascending) whose own text hits the part as written."""
    literal_options: Ints
    """Options (ascending) whose text hits the part as written."""
    diet: bool = False
    """The part names a diet (``DIET_CUISINES``): what each dish must be, not only what the kitchen is."""


def spans(alternatives: list[list[Part]]) -> list[tuple[int, int]]:
    """Where each alternative's parts lie in the alternatives flattened."""
    out, at = [], 0
    for alternative in alternatives:
        out.append((at, at + len(alternative)))
        at += len(alternative)
    return out


def bitmasks(flags: npt.NDArray[np.bool_]) -> Ints:
    """Each row of flags as the bits of one number (column j is bit j), for fewer than 63 columns."""
    return flags.astype(np.int64) @ (1 << np.arange(flags.shape[1], dtype=np.int64))


def wide_bitmasks(flags: npt.NDArray[np.bool_]) -> list[int]:
    """Each row of flags as the bits of one number, of any width."""
    if flags.shape[1] < 63:
        return bitmasks(flags).tolist()
    return [sum(1 << j for j, f in enumerate(row) if f) for row in flags.tolist()]


def merged(found: list[Ints]) -> Ints:
    """The distinct values of several ascending arrays, ascending."""
    return found[0] if len(found) == 1 else unique(np.concatenate(found))


Shown = tuple[str, str, tuple[str, ...], bool, int]
"""A matched dish as a lookup keeps it: ``MatchedDish``'s item_id, name, options, sold_out and the template's price
(minor units, without options) as a plain tuple.
A lookup keeps the dishes of each restaurant it showed (``DishLists``); as models they cost a few µs each to build
and, kept in the memo, objects that every full collection walked; tuples of strings are built in a fraction of that
and the collector stops tracking them."""


def matched(shown: Shown, price: Money, item_id: str = "") -> MatchedDish:
    """The wire form of a kept dish at the restaurant's own ``price`` (``item_id``: under another id, as a grown
    restaurant names the dish)."""
    own, name, options, sold_out, _ = shown
    return MatchedDish(item_id=item_id or own, name=name, options=list(options), sold_out=sold_out, price=price)


Recipe = tuple[int, int, int]
"""Which of a lookup's dishes a restaurant shows: (the alternative that scored it, its template, the parts its dishes
must have, as bits: those neither its name nor its cuisine gives)."""


@dataclass(frozen=True)
class Matches:
    """The dishes of every template's menu that have some part of one alternative of a query (``Index.matches``),
    read in arrays at once: a menu's cola, water and fries are on ~400 of the 425 menus, and matching them menu by
    menu in Python was most of such a query's first lookup (15-20 ms on the scale pack)."""

    dish: Ints
    """The dishes (``Dish.number``, ascending) that have some part."""
    has: npt.NDArray[np.bool_]
    """(dish, part): the dish has the part, by its own text or an option's."""
    in_text: npt.NDArray[np.bool_]
    """(dish, part): by its own text (an option that also has it is not shown as the match)."""
    sold_out: npt.NDArray[np.bool_]
    """The dish is sold out, or every option that gives it some part is."""
    literal: Ints
    """How many parts the dish has as written."""
    options: list[Ints]
    """Per part, the options (ascending) that have it (``Reach.options``)."""


@dataclass
class DishLists:
    """A lookup's matched dishes per restaurant, built when a result shows them (a page: a few restaurants of the
    hundreds a query matches), each list once (``Recipe``)."""

    index: Index
    matches: dict[int, Matches] = field(default_factory=dict)
    """Per alternative of the query that matched some restaurant: its dishes' parts."""
    built: dict[Recipe, tuple[Shown, ...]] = field(default_factory=dict)

    def of(self, recipe: Recipe) -> tuple[Shown, ...]:
        got = self.built.get(recipe)
        if got is None:
            number, template, needed = recipe
            got = self.built[recipe] = self.index.shown(self.matches[number], template, needed)
        return got


@dataclass
class Lookup:
    """What a query matched, for every restaurant of the city at once: a score per menu template (for the
    restaurants whose name does not match any part: most of them) and exceptions for those whose name does."""

    ignored: list[str]
    base: Ints
    """Score per template (0 = no match) when the restaurant's name matches no part of the query."""
    base_dishes: dict[int, Recipe]
    named_at: Ints
    """Positions (sorted) of the restaurants whose name matches some part, with their own scores below."""
    named_score: Ints
    named_key: Ints
    """The key of each one's dishes in ``named_dishes`` (its name pattern and template: see ``Index.lookup``)."""
    named_dishes: dict[int, Recipe]
    dishes: DishLists
    parts: tuple[str, ...] = ()
    """The query's parts as it was searched (every one must match), e.g. ('gluten free', 'pizza')."""
    respelt: tuple[tuple[str, str], ...] = ()
    """Words read as the menus spell them: (as said, as read), e.g. ('piza', 'pizza')."""

    def scores(self, at: Ints, template: Ints) -> Ints:
        """The score of each restaurant at positions ``at`` (``template``: the columns' template per position)."""
        out = self.base[template[at]]
        if len(self.named_at) and len(at):
            pos = np.searchsorted(self.named_at, at)
            found = pos < len(self.named_at)
            found[found] = self.named_at[pos[found]] == at[found]
            out = out.copy()
            out[found] = self.named_score[pos[found]]
        return out

    def shown(self, position: int, template: int) -> tuple[Shown, ...]:
        """The matched dishes of the restaurant at ``position`` as its template's menu names them (``Shown``), all of
        them, best first."""
        k = int(np.searchsorted(self.named_at, position)) if len(self.named_at) else 0
        if k < len(self.named_at) and self.named_at[k] == position:
            recipe = self.named_dishes.get(int(self.named_key[k]))
        else:
            recipe = self.base_dishes.get(template)
        return self.dishes.of(recipe) if recipe is not None else ()


@dataclass
class Index:
    """The catalog's searchable text, built once (the catalog is static while the app runs).

    Dishes are indexed per menu template (the real restaurants' menus, which every grown restaurant copies word
    for word), so matching a query costs the same in the real city and the scale pack; names, which differ per
    restaurant, are grouped by their text. A query part is looked up once in each of the sorted indexes of names,
    dishes and options (``Joined``), and every restaurant is scored at once in arrays per (name pattern,
    template), matching dish by dish only the dishes some part hits (``_score``)."""

    catalog: Catalog
    dishes: list[list[Dish]] = field(default_factory=list)
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    _name_texts: Joined = field(default_factory=lambda: Joined.of([]))
    """The name groups' texts, to find the groups a term hits in one scan (``Joined``)."""
    _dish_texts: Joined = field(default_factory=lambda: Joined.of([]))
    """Every template's dishes' texts (dish by ``Dish.number``), likewise."""
    _option_texts: Joined = field(default_factory=lambda: Joined.of([]))
    """Every dish's options' texts (by ``Dish.first_option`` + k), likewise."""
    _learned: set[tuple[str, bool]] = field(default_factory=set)
    """The names ``_learn`` has read while the index is built (as said, and whether only as Chinese), each read once:
    menus repeat theirs across the city (every pizzeria's 'Margherita', every menu's soft drinks), ~20% of the
    build."""
    _first_dish: list[int] = field(default_factory=lambda: [0])
    """The ``Dish.number`` of each template's first dish (and the count of all dishes at the end): a template's
    dishes are numbered in a row."""
    _dish_template: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    """``Dish.number`` → its template."""
    _option_dish: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    """Option → the ``Dish.number`` it belongs to."""
    _dish_sold_out: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, np.bool_))
    _option_sold_out: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, np.bool_))
    _serves: dict[str, npt.NDArray[np.bool_]] = field(default_factory=dict)
    """Cuisine → which templates serve it."""
    _kitchens: dict[str, CuisineRec] = field(default_factory=dict)
    """The catalog's cuisines and the kinds of restaurant searched as one (``KINDS``), by slug."""
    _labels: list[tuple[str, str]] = field(default_factory=list)
    """(slug, label in lowercase) for every label and synonym of every cuisine, and of the cuisines it is found by
    (``CuisineRec.found_by``: 'vegetarian' names vegan too)."""
    _label_texts: Joined = field(default_factory=lambda: Joined.of([]))
    _parts: dict[str, Part] = field(default_factory=dict)
    _memo: dict[str, Lookup] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cols = self.catalog.columns
        option_dish: list[int] = []
        shown: dict[int, OptionText] = {}
        for rest in self.catalog.templates:
            dishes: list[Dish] = []
            for cat in rest.menu:
                for item in cat.items:
                    dish = self._dish(item, cat, self._first_dish[-1] + len(dishes), len(option_dish), shown)
                    option_dish += [dish.number] * len(dish.options)
                    dishes.append(dish)
            self.dishes.append(dishes)
            self._first_dish.append(self._first_dish[-1] + len(dishes))
        self._name_texts = Joined.of(cols.name_texts)
        self._dish_texts = Joined.of([d.text for dishes in self.dishes for d in dishes])
        self._dish_template = np.repeat(np.arange(len(self.dishes)), [len(d) for d in self.dishes]).astype(np.int64)
        self._option_dish = np.array(option_dish, np.int64)
        self._dish_sold_out = np.array([d.item.sold_out for dishes in self.dishes for d in dishes], np.bool_)
        self._option_sold_out = np.array([o.sold_out for dishes in self.dishes for d in dishes for o in d.options],
                                         np.bool_)  # fmt: skip
        self._option_texts = Joined.of([o.text for dishes in self.dishes for d in dishes for o in d.options])
        self._kitchens = {**self.catalog.cuisines, **KINDS}
        self._labels = [
            (rec.slug, folded(label))
            for rec in self._kitchens.values()
            for other in (rec.slug, *rec.found_by)
            if other in self._kitchens
            for label in self._names(other)
        ]
        self._label_texts = Joined.of([label for _, label in self._labels])
        for t, rest in enumerate(self.catalog.templates):
            for slug in [*rest.cuisines, *([rest.kind] if rest.kind in KINDS else [])]:
                self._serves.setdefault(slug, np.zeros(len(self.dishes), np.bool_))[t] = True
        for rest in self.catalog.templates:
            for cat in rest.menu:
                self._learn(cat.name_zh, chinese_only=True)
                for item in cat.items:
                    self._learn(item.name_zh, chinese_only=True)
                    for group in item.option_groups:
                        for name in (
                            group.name,
                            group.name_zh,
                            *(n for o in group.options for n in (o.name, o.name_zh)),
                        ):
                            self._learn(name)
        for rec in self._kitchens.values():
            for name in (rec.en, rec.zh, *rec.synonyms):
                self._learn(name)
        for name in ENGLISH:
            self._learn(name)
        for words in TAG_WORDS.values():  # '清真餐厅' is 清真 and a restaurant, not one unknown run
            for word in words.split():
                if len(word) > 1:
                    self._learn(word, chinese_only=True)
        for word in GENERIC:
            self._learn(word, chinese_only=True)
        for name in self.catalog.read_as:  # '汉堡王' is one word (Burger King), not 汉堡 and an unknown 王
            self._learn(name, chinese_only=True)
        self._learned.clear()  # read once at the build: the phrases stay

    def _names(self, slug: str) -> tuple[str, ...]:
        """Every word that names the cuisine: its slug, labels and synonyms."""
        rec = self._kitchens[slug]
        return (rec.slug, rec.en, rec.zh, *rec.synonyms)

    @functools.cached_property
    def everything(self) -> str:
        """Every name group's text, then per template its dishes' and options' texts, joined by ' | ': only a term
        with a '|' or an outer space can hit it where no single text has it (``known``), and no query part is
        such a term, so it is built on first use instead of kept by every server (~1 MB on the default city)."""
        blobs = [
            " | ".join([*(d.text for d in dishes), *(o.text for d in dishes for o in d.options)])
            for dishes in self.dishes
        ]
        return " | ".join([" | ".join(self.catalog.columns.name_texts), *blobs])

    @staticmethod
    def _dish(
        item: ItemRec,
        cat: CategoryRec,
        number: int = 0,
        first_option: int = 0,
        shown: dict[int, OptionText] | None = None,
    ) -> Dish:
        """``shown``: the texts of the options seen so far, by the option record (a menu's items share the records
        of the options they offer alike, ``catalog.share_option_groups``), so each is made once."""
        text = folded(f"{item.name} {item.name_zh} {item.description} {cat.name} {cat.name_zh}")
        if cat.name not in DRINKS:
            text += "".join(" " + TAG_WORDS[t] for t in item.tags if t in TAG_WORDS)
        shown = {} if shown is None else shown
        options = []
        for g in item.option_groups:
            for o in g.options:
                got = shown.get(id(o))
                if got is None:
                    said = folded(f"{o.name} {o.name_zh}")
                    got = shown[id(o)] = OptionText(said, bilingual(o.name, o.name_zh), o.sold_out)
                options.append(got)
        label = bilingual(item.name, item.name_zh)
        return Dish(item=item, label=label, text=text, options=tuple(options), number=number, first_option=first_option)

    def _learn(self, name: str, *, chinese_only: bool = False) -> None:
        if (name, chinese_only) in self._learned:  # menus repeat their names ('Margherita', '饮料', 'Size')
            return
        self._learned.add((name, chinese_only))
        toks = tuple(tokens(name))
        if not toks or len(toks) > MAX_PHRASE or (chinese_only and not all(is_cjk(t) for t in toks)):
            return
        self.phrases.add(toks)

    # ----- the query -----------------------------------------------------------------------------
    def split(self, query: str) -> list[str]:
        """The query cut into parts at the longest phrases the catalog knows; unknown Chinese runs stay whole. How
        many of a dish ('2 pizzas', 两份炒饭) is no part (``quantity``) unless a longer phrase starts with it."""
        toks = [piece for tok in tokens(ASKING_PHRASES.sub(" ", query)) for piece in self._pieces(tok)]
        parts: list[str] = []
        pending: list[str] = []  # Chinese characters that start no known phrase
        i = 0
        while i < len(toks):
            for size in range(min(MAX_PHRASE, len(toks) - i), 0, -1):
                if tuple(toks[i : i + size]) in self.phrases:
                    break
            else:
                size = 0
            count = self.quantity(toks, i) if size < 2 else 0
            if count:
                i += count
                continue
            if size == 0 and toks[i] in CJK_ASKING:  # '想吃辣的': 辣, not the unknown run 吃辣的
                if pending:
                    parts.append("".join(pending))
                    pending = []
                i += 1
                continue
            if size == 0 and is_cjk(toks[i]):
                pending.append(toks[i])
                i += 1
                continue
            if pending:
                parts.append("".join(pending))
                pending = []
            parts.append(join(toks[i : i + max(size, 1)]))
            i += max(size, 1)
        if pending:
            parts.append("".join(pending))
        return parts

    @staticmethod
    def quantity(toks: list[str], i: int) -> int:
        """How many tokens from ``i`` say how many of a dish, 0 if they do not: a number ('2', '12', '2x'), or a
        Chinese numeral (两, 三, 十二), either with the measure words after it (2杯, 两份, 三个, 两人份). '2 pizzas'
        and '2杯拿铁' found nothing, as '2' is on menus only as a count ('Salmon nigiri (2)'); '2份炒饭' left out
        '份炒饭' and found the dishes with a '2'. A numeral without a measure word is part of a dish (三文鱼)."""
        at = i
        if COUNT.fullmatch(toks[at]):
            at += 1
        else:
            while at < len(toks) and toks[at] in NUMERALS:
                at += 1
            if at == i or at == len(toks) or toks[at] not in MEASURES:
                return 0
        while at < len(toks) and toks[at] in MEASURES:
            at += 1
        return at - i

    def _pieces(self, tok: str) -> list[str]:
        """A hyphenated query word as its words when the catalog writes them apart: 'burger-king' found nothing
        while every name says 'Burger King'. A word the catalog itself hyphenates stays whole."""
        if (
            "-" not in tok
            or (tok,) in self.phrases
            or len(self._name_texts.holding(tok))
            or len(self._dish_texts.holding(tok))
        ):
            return [tok]
        return [piece for piece in tok.split("-") if piece] or [tok]

    def cuisines_named(self, literal: str) -> frozenset[str]:
        """The cuisines a query part names: a label or synonym, or words of one ('tea' → tea, bubble tea; not
        steak)."""
        slugs = [slug for slug, label in self._labels if label == literal]
        if len(literal) >= 2:
            slugs += [self._labels[k][0] for k in self._label_texts.holding(literal).tolist()]
        return frozenset(slugs)

    def part(self, literal: str) -> Part:
        """The query part ``literal`` with the cuisines it names (memoized: users repeat words across queries); read
        as ``folded`` text, as the catalog's is. An everyday Finnish word also reads as its English words
        (``Catalog.read_as``, as a chain's Chinese name reads as its name), an English word the menus spell otherwise
        as theirs (``ENGLISH``), and a plural as its singular where that names a cuisine or the plural is nowhere in
        the catalog (``singulars``)."""
        literal = folded(literal)
        memo = self._parts.get(literal)
        if memo is not None:
            return memo
        found = self._as_written(literal)
        for english in self.catalog.read_as.get(literal, ()) + ENGLISH.get(literal, ()):
            alt = self._as_written(folded(english))
            terms, cuisines = tuple(sorted({*found.terms, *alt.terms})), found.cuisines | alt.cuisines
            found = Part(literal=literal, terms=terms, cuisines=cuisines)
        for one in singulars(literal) if not found.cuisines else ():
            alt = self._as_written(one)
            if alt.cuisines or (not self.known(found) and self.known(alt)):
                found = Part(literal=literal, terms=tuple(sorted({*found.terms, *alt.terms})), cuisines=alt.cuisines)
                break
        if not found.cuisines and literal not in GENERIC and not self.known(found):
            alike = self._spelt_alike(literal)
            if alike:  # 'piza', 'hamburguer', 'capuccino': the word as the menus spell it, searched as it is
                found = dataclasses.replace(self.part(alike), typed=literal)
        if len(self._parts) > 4 * MEMO:
            self._parts.clear()
        self._parts[literal] = found
        return found

    @functools.cached_property
    def _spellings(self) -> tuple[list[str], list[str]]:
        """The Latin words to read a misspelt word as: the menus' and the cuisines' words of five letters or more,
        and the cuisines' own names of four ('piza' is a pizza; 'late' is no 'latte', a word for coffee)."""
        menus = {w for dishes in self.dishes for d in dishes for w in tokens(d.text)}
        kitchens = {w for slug in self._kitchens for name in self._names(slug) for w in tokens(name)}
        labels = {w for rec in self._kitchens.values() for name in (rec.slug, rec.en) for w in tokens(name)}
        latin = lambda ws: sorted(w for w in ws if w.isascii() and w.isalpha())  # noqa: E731
        return latin(w for w in menus | kitchens if len(w) >= 5), latin(w for w in labels if len(w) >= 4)

    def _spelt_alike(self, literal: str) -> str:
        """The word ``literal`` misspells by one letter more, less, changed or swapped ('piza' → 'pizza',
        'capuccino' → 'cappuccino', 'suhsi' → 'sushi'), starting with its letter: a menu's or a cuisine's word,
        only a cuisine's own name for four letters; '' for none, a shorter word or one not Latin."""
        if len(literal) < 4 or not literal.isascii() or not literal.isalpha():
            return ""
        words, kitchens = self._spellings
        found = process.extractOne(literal, words if len(literal) > 4 else kitchens,
                                   scorer=DamerauLevenshtein.distance, score_cutoff=1)  # fmt: skip
        return found[0] if found is not None and found[0][0] == literal[0] else ""

    def _as_written(self, literal: str) -> Part:
        """The part with the words it names: itself and every label of the cuisines it names (their own labels: a
        'vegetarian' part names vegan too and searches 'vegan', never the reverse)."""
        cuisines = self.cuisines_named(literal)
        terms = {literal}
        for slug in cuisines:
            rec = self._kitchens[slug]
            terms |= {folded(t) for t in (rec.en, rec.zh, *rec.synonyms) if len(t) >= 2}
        return Part(literal=literal, terms=tuple(sorted(terms)), cuisines=cuisines)

    def reach(self, part: Part) -> Reach:
        """Where the part occurs: the name groups and the template menus any of its terms hits, and the
        templates serving a cuisine it names."""
        groups: list[Ints] = []
        texts: list[Ints] = []
        options_: list[Ints] = []
        literal_text = literal_options = np.zeros(0, np.int64)
        for term in part.terms:
            groups.append(self._name_texts.holding(term))
            texts.append(self._dish_texts.holding(term))
            options_.append(self._option_texts.holding(term))
            if term == part.literal:
                literal_text, literal_options = texts[-1], options_[-1]
        text, options = merged(texts), merged(options_)
        touched = merged([text, self._option_dish[options]])
        menus = np.zeros(len(self.dishes), np.bool_)
        menus[self._dish_template[touched]] = True
        serves = np.zeros(len(self.dishes), np.bool_)
        for slug in part.cuisines:
            if slug in self._serves:
                serves |= self._serves[slug]
        return Reach(
            groups=merged(groups),
            menus=menus,
            serves=serves,
            touched=touched,
            text=text,
            options=options,
            literal_text=literal_text,
            literal_options=literal_options,
            diet=bool(part.cuisines) and part.cuisines <= DIET_CUISINES,
        )

    def known(self, part: Part, reach: Reach | None = None) -> bool:
        """Whether the catalog has the part anywhere (a name, a menu or a cuisine); else it is left out."""
        if part.cuisines:
            return True
        where = reach or self.reach(part)
        if len(where.groups) or where.menus.any():
            return True
        # a term with a '|' or an outer space may also occur across two of the texts (as ``everything`` joins
        # them), which counted when ``everything`` was searched: it still does
        return any(("|" in t or t[0].isspace() or t[-1].isspace()) and hit(t, self.everything) for t in part.terms)

    def vague(self, query: str) -> bool:
        """Whether the query names nothing to tell restaurants apart by: only stopwords and ``GENERIC`` words, and
        words on no menu beside a generic one ('late lunch' found nothing: 'late' is on no menu, and 'lunch' alone
        lists everything, as the lookup's note on a left-out word says)."""
        words = self._asking(query)
        if not words:
            return bool(query.strip())
        return any(w in GENERIC for w in words) and all(w in GENERIC or not self.known(self.part(w)) for w in words)

    def unknown(self, query: str) -> list[str]:
        """The query's words on no menu, in no name and naming no cuisine (left out of a search)."""
        return [w for w in self._asking(query) if w not in GENERIC and not self.known(self.part(w))]

    def _asking(self, query: str) -> list[str]:
        """The query's parts, stopwords aside."""
        return [w for w in self.split(folded(query.strip())) if w not in STOPWORDS and w not in CJK_STOP]

    def lookup(self, query: str) -> Lookup:
        """Every restaurant's match for ``query``, and the query words left out because nothing in the catalog
        has them. Memoized: the catalog is static."""
        key = folded(query.strip())
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        words = [w for w in self.split(key) if w not in STOPWORDS and w not in CJK_STOP]
        reaches: dict[Part, Reach] = {}

        def reach(p: Part) -> Reach:  # once per part: the whole query is often also its only part
            if p not in reaches:
                reaches[p] = self.reach(p)
            return reaches[p]

        parts = [self.part(w) for w in words]
        known = [self.known(p, reach(p)) for p in parts]
        if len(parts) > 1 and not known[-1] and all(p.literal in DISH_MODIFIERS for p in parts[:-1]):
            known = [False] * len(parts)  # 'hot dog': the dish is on no menu, and 'hot' alone found the hot pot
        kept = [p for p, k in zip(parts, known, strict=True) if k]
        ignored = [p.literal for p, k in zip(parts, known, strict=True) if not k]
        asked = [p for p in kept if p.literal not in GENERIC]
        if asked and len(asked) < len(kept):  # beside what is asked for, 'food' reads as written, not as a cuisine
            kept = [
                p if p in asked else Part(literal=p.literal, terms=(p.literal,), cuisines=frozenset()) for p in kept
            ]
        alternatives = [kept] if kept else []
        whole = self.part(key)
        if key and [whole.literal] != [p.literal for p in kept]:
            alternatives.append([whole])  # the query as one phrase, as a name or dish may spell it
        reduced = len(alternatives)
        if asked and len(asked) < len(kept):
            # 'japanese food', 'pizza restaurant': beside what is asked for, a word for any restaurant asks for
            # nothing more (as alone it asks for anything). It is on the catalog ('Fazer Food Market', and 'food'
            # named the cuisines labelled 'Chinese food' and 'Bar food'), so as a part it had to match too: 'japanese
            # food' found nothing, 'vegan food' ranked a Chinese hot pot first. Without it, ranked just below what has
            # it as written too ('Ravintola China').
            alternatives.append(asked)
        flat = [p for alternative in alternatives for p in alternative]
        where = [reach(p) for p in flat]
        templates = len(self.catalog.templates)
        # restaurants whose name matches some part, by which parts (their name pattern)
        cols = self.catalog.columns
        groups = len(cols.name_texts)
        named = np.zeros((len(flat), groups), np.bool_)
        for j, w in enumerate(where):
            named[j, w.groups] = True
        hit_groups = np.flatnonzero(named.any(axis=0))
        pattern_of_group = np.zeros(groups, np.int64)  # 0: the name matches no part
        patterns = np.zeros((1, len(flat)), np.bool_)  # row p: which parts pattern p's names match
        if len(hit_groups):
            if len(flat) < 63:  # each group's pattern as the bits of one number: a quicker unique than by rows
                bits = np.arange(len(flat), dtype=np.int64)
                codes, inverse = bounded_unique_inverse(bitmasks(named[:, hit_groups].T), 1 << len(flat))
                rows = (codes[:, None] >> bits & 1).astype(np.bool_)
            else:
                rows, inverse = unique_inverse(named[:, hit_groups].T)
            pattern_of_group[hit_groups] = inverse.reshape(-1) + 1
            patterns = np.concatenate([patterns, rows.reshape(-1, len(flat))])
        pattern = pattern_of_group[cols.name_group]
        named_at = np.flatnonzero(pattern).astype(np.int64)
        named_key = pattern[named_at] * templates + cols.template[named_at]
        keys, inverse = bounded_unique_inverse(named_key, len(patterns) * templates)
        # one row to score per template (a name matching nothing: pattern 0), then per (pattern, template) named
        every = np.arange(templates, dtype=np.int64)
        row_template = np.concatenate([every, keys % templates])
        lists = DishLists(self)
        scores, dishes = self._score(
            row_template,
            patterns[np.concatenate([every * 0, keys // templates])],
            spans(alternatives),
            where,
            reduced,
            lists,
        )
        result = Lookup(
            ignored=ignored if kept else [],
            base=scores[:templates],
            base_dishes={t: dishes[t] for t in np.flatnonzero(scores[:templates]).tolist()},
            named_at=named_at,
            named_score=scores[templates:][inverse.reshape(-1)],
            named_key=named_key,
            named_dishes={int(keys[n - templates]): d for n, d in dishes.items() if n >= templates},
            dishes=lists,
            parts=tuple(p.literal for p in kept),
            respelt=tuple((p.typed, p.literal) for p in kept if p.typed),
        )
        if len(self._memo) > MEMO:
            self._memo.clear()
        self._memo[key] = result
        return result

    def _score(
        self,
        template: Ints,
        in_name: npt.NDArray[np.bool_],
        alternatives: list[tuple[int, int]],
        where: list[Reach],
        reduced: int,
        lists: DishLists,
    ) -> tuple[Ints, dict[int, Recipe]]:
        """The relevance (0 = no match) and matched dishes of a restaurant serving ``template``'s menu whose name
        matches the parts ``in_name`` flags, one row per restaurant kind, over every alternative of the query
        (``alternatives``: each one's span of the flattened parts, ``where`` their reach); the first alternative
        that scores highest wins. The dishes are given for the rows that score, as which of ``lists`` to show.
        Alternatives from ``reduced`` on leave out words of the query (``GENERIC`` ones), and score just below the
        same match with them.

        In an alternative every part must be in the name, the cuisine or some dish; then a dish matches when it
        has every part that is neither in the cuisine nor in the name alone (a part of the name that some dish also
        has must be in the matching dish: 'vegan pizza' is no falafel wrap at a 'Pizza Kebab'). The score: 5 if
        the name has every part, 3 if the restaurant serves a cuisine some part names, and 1 + the available
        matching dishes (at most ``MAX_DISHES``) if any dish matches, doubled (less 1 in a reduced alternative);
        nothing matches if no dish does and some part is only on the menu. Counted in arrays over the rows,
        counting the matching dishes of every template at once per set of parts they must have (``matches``)."""
        best = np.zeros(len(template), np.int64)
        dishes: dict[int, Recipe] = {}
        for number, (start, end) in enumerate(alternatives):
            span = where[start:end]
            name = in_name[:, start:end]
            serves = np.array([w.serves for w in span], np.bool_)[:, template].T
            menus = np.array([w.menus for w in span], np.bool_)[:, template].T
            # a part the name says stands for the menu only where the menu does not say it itself: 'vegan pizza' at
            # Dedo's Pizza Kebab (a kebab menu with a kebab pizza) was its falafel wrap
            # and a diet the cuisine says, likewise: a vegetarian place's Halloumi burger is no 'vegan burger'
            diet = np.array([w.diet for w in span], np.bool_)
            placed = (name & ~menus) | (serves & ~(menus & diet))
            # a diet word says what the dish the other words name is made of: 'vegan burger' at a burger bar is a
            # vegan dish that is a burger (its vegan fries were the match); a word its menu has is asked of that dish
            qualified = (~placed & menus & diet).any(axis=1, keepdims=True)
            placed &= ~(qualified & menus & ~diet)
            rows = np.flatnonzero((placed | menus).all(axis=1))
            if not len(rows):
                continue
            lists.matches[number] = matches = self.matches(span)
            found, available, whole, needed = self._counts(matches, template[rows], ~placed[rows])
            score = 5 * name[rows].all(axis=1) + 3 * serves[rows].any(axis=1)
            score += np.where(found > 0, 1 + np.minimum(available, MAX_DISHES), 0)
            if end - start > 1:  # a dish that is all of what was asked, above a menu that has it only in parts
                score += WHOLE_DISH * whole
            score[(found == 0) & ~placed[rows].all(axis=1)] = 0
            score = 2 * score - ((score > 0) & (number >= reduced))  # doubled: room to rank one below the other
            better = score > best[rows]
            for j in np.flatnonzero(better).tolist():
                dishes[int(rows[j])] = (number, int(template[rows[j]]), needed[j])
            best[rows[better]] = score[better]
        return best, dishes

    def matches(self, span: list[Reach]) -> Matches:
        """Every dish that has some part of the alternative ``span`` (their reaches), with which parts it has."""
        dish = unique(np.concatenate([w.touched for w in span]))
        has = np.zeros((len(dish), len(span)), np.bool_)
        in_text = np.zeros((len(dish), len(span)), np.bool_)
        sold_out = self._dish_sold_out[dish]  # indexing by an array copies: the index's own flags stay
        literal = np.zeros(len(dish), np.int64)
        for j, w in enumerate(span):
            in_text[:, j] = find_sorted(w.text, dish)[1]
            at = np.searchsorted(dish, self._option_dish[w.options])  # every option's dish is touched
            by_options = np.bincount(at, minlength=len(dish))
            sold = np.bincount(at, weights=self._option_sold_out[w.options], minlength=len(dish))
            literal_option = np.bincount(
                np.searchsorted(dish, self._option_dish[w.literal_options]), minlength=len(dish)
            )
            by_option = ~in_text[:, j] & (by_options > 0)  # a dish's own text has it: no option is the match
            has[:, j] = in_text[:, j] | by_option
            sold_out |= by_option & (sold == by_options)  # every option that has the part is sold out
            literal += find_sorted(w.literal_text, dish)[1] | (by_option & (literal_option > 0))
        options = [w.options for w in span]
        return Matches(dish=dish, has=has, in_text=in_text, sold_out=sold_out, literal=literal, options=options)

    def _counts(
        self, matches: Matches, template: Ints, needed: npt.NDArray[np.bool_]
    ) -> tuple[Ints, Ints, npt.NDArray[np.bool_], list[int]]:
        """For restaurants serving ``template`` whose dishes must have the parts ``needed`` flags (one row each):
        how many dishes of the menu have them, how many of those are available, whether an available one has every
        part; and the needed parts as bits (``Recipe``). Counted per distinct set of needed parts (a handful) for
        every template at once."""
        templates = len(self.dishes)
        of = self._dish_template[matches.dish]
        available = ~matches.sold_out
        whole = np.bincount(of[matches.has.all(axis=1) & available], minlength=templates)[template] > 0
        found = np.zeros(len(template), np.int64)
        free = np.zeros(len(template), np.int64)
        kinds, which = unique_inverse(needed)
        for k, kind in enumerate(kinds):
            chosen = (matches.has | ~kind).all(axis=1)
            rows = which == k
            found[rows] = np.bincount(of[chosen], minlength=templates)[template[rows]]
            free[rows] = np.bincount(of[chosen & available], minlength=templates)[template[rows]]
        bits = wide_bitmasks(kinds.reshape(-1, needed.shape[1])) if len(kinds) else []
        return found, free, whole, [bits[k] for k in which.tolist()]

    def shown(self, matches: Matches, template: int, needed: int) -> tuple[Shown, ...]:
        """The dishes of the template's menu that have every part in ``needed`` (bits), best first: available ones,
        then those with more parts as written, then more parts, then in menu order; with the options that gave
        them a part their own text does not have."""
        first, end = self._first_dish[template], self._first_dish[template + 1]
        lo, hi = np.searchsorted(matches.dish, [first, end])
        must = np.array([needed >> j & 1 for j in range(len(matches.options))], np.bool_)
        rows = lo + np.flatnonzero((matches.has[lo:hi] | ~must).all(axis=1))
        own = matches.has[rows].sum(axis=1)
        rows = rows[np.lexsort((matches.dish[rows], -own, -matches.literal[rows], matches.sold_out[rows]))]
        out: list[Shown] = []
        for row in rows.tolist():
            dish = self.dishes[template][int(matches.dish[row]) - first]
            labels: list[str] = []
            for j, options in enumerate(matches.options):
                if matches.has[row, j] and not matches.in_text[row, j]:
                    a, b = np.searchsorted(options, [dish.first_option, dish.first_option + len(dish.options)])
                    for k in options[a:b].tolist():
                        label = dish.options[k - dish.first_option].label
                        if label not in labels:
                            labels.append(label)
            sold_out = bool(matches.sold_out[row])
            out.append((dish.item.id, dish.label, tuple(labels), sold_out, dish.item.price_minor))
        return tuple(out)


@dataclass
class LeftOut:
    """What a search left out and why, to explain an empty page rather than return a bare []."""

    matched: int = 0
    out_of_range: int = 0
    nearest: tuple[int, int, RestaurantRec] | None = None  # (beyond its radius, road distance, restaurant)
    closed: int = 0
    opens: tuple[datetime, RestaurantRec] | None = None
    over_min: int = 0
    lowest: RestaurantRec | None = None

    def far(self, rest: RestaurantRec, distance: int) -> None:
        self.out_of_range += 1
        entry = (distance - rest.delivery.radius_m, distance, rest)
        if self.nearest is None or entry[:2] < self.nearest[:2]:
            self.nearest = entry

    def shut(self, rest: RestaurantRec, now: datetime) -> None:
        self.closed += 1
        nxt = next_opening(rest.opening_hours, now)
        if nxt is not None and (self.opens is None or nxt < self.opens[0]):
            self.opens = (nxt, rest)

    def dear(self, rest: RestaurantRec) -> None:
        self.over_min += 1
        if self.lowest is None or rest.delivery.min_order_minor < self.lowest.delivery.min_order_minor:
            self.lowest = rest

    def why(self, query: str, near: GeoPoint, cap: int, money: Callable[[int], Money]) -> str:
        what = f" matching {shown(query)}" if query else ""
        if query and not self.matched:
            return (
                f"No restaurant, dish or option matches {shown(query)}. Try a dish, an ingredient or a cuisine in "
                "English or Chinese (e.g. 'pizza', 'oat milk', '火锅'), or an empty query for everything nearby."
            )
        if self.nearest is not None and self.out_of_range == self.matched:
            _, distance, rest = self.nearest
            return (
                f"No restaurant{what} delivers to ({near.lat:.5f}, {near.lng:.5f}): the nearest, {rest.name}, is "
                f"{distance / 1000:.1f} km away by road and delivers within {rest.delivery.radius_m / 1000:.1f} km. "
                "Deliver to an address nearer the centre (save one with food_save_address)."
            )
        said = []
        if self.closed:
            first = f" (the first opens {self.opens[0]:%a %H:%M}: {self.opens[1].name})" if self.opens else ""
            said.append(
                f"{self.closed} restaurant(s){what} deliver here but are closed now{first}: search without open_now to "
                "see them, and order ahead for a slot with food_place_order(deliver_at=…)."
            )
        if self.over_min and self.lowest is not None:
            low = self.lowest.delivery.min_order_minor
            said.append(
                f"{self.over_min} restaurant(s){what} deliver here but need a minimum order above {money(cap).display} "
                f"(the lowest: {money(low).display} at {self.lowest.name}): raise max_min_order_minor or order more."
            )
        return " ".join(said)
