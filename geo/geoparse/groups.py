"""Armed groups named in a report, as evidence of the report's countries.

A report that names a group and no country ("Houthi fighters shelled X") is about the
group's countries, as one that names a province is about the province's country: the
group's name weighs for them in the report's focus (:mod:`geo.geoparse.resolve`), so an
ambiguous town is read there and a small place there may count. The groups and their
countries are data (``data/armed_groups.csv``, a source per row); groups active
worldwide are not listed.

Matching runs over the words :func:`geo.text.word_table` already made: from each
capitalised word, the longest listed name that starts there, word for word (folded); a
name written in capitals in the data only in capitals (``ELN``, not "Eln").
"""

from __future__ import annotations

from functools import lru_cache
from itertools import compress
from typing import Final, NamedTuple

import pandas as pd

from geo.resources import data_path
from geo.text import Words, folded_words

__all__ = ["GROUP_WEIGHT", "ArmedGroups", "armed_groups", "load_groups"]

#: What one group's name adds to the report's focus, shared among its countries (a
#: country's name adds 2, a region's 1: a group says less than a place).
GROUP_WEIGHT: Final = 0.5
# What may stand between two words of one group's name.
_GAP_CHARS: Final = frozenset(" -–'’")

# first folded word → [(folded words, written in capitals, group's row, countries)],
# longest first
_Index = dict[str, list[tuple[tuple[str, ...], bool, int, tuple[str, ...]]]]


@lru_cache(maxsize=1)
def load_groups() -> _Index:
    """The groups of ``data/armed_groups.csv``, indexed by the first folded word of each name.

    Returns
    -------
    dict
        First word → list of (the name's folded words, whether the name is in capitals,
        the group's row, the group's countries), longest name first.

    Examples
    --------
    >>> ("boko", "haram") in [entry[0] for entry in load_groups()["boko"]]
    True
    """
    table = pd.read_csv(data_path("armed_groups.csv"), comment="#", dtype=str).fillna("")
    index: _Index = {}
    for row, (names, countries) in enumerate(zip(table["names"], table["countries"], strict=True)):
        codes = tuple(c.strip().upper() for c in countries.split(";") if c.strip())
        for name in names.split("|"):
            words = tuple(folded_words(name))
            if words and codes:
                index.setdefault(words[0], []).append((words, name.isupper(), row, codes))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


class ArmedGroups(NamedTuple):
    """The armed groups a text names: what they weigh for each country, and their words."""

    focus: dict[str, float]  # ISO alpha-2 code → weight
    words: frozenset[int]  # the indices of the words of the groups' names


def armed_groups(words: Words) -> ArmedGroups:
    """The armed groups a text names: the focus weight they give each country, and the
    words of their names (no place, though a name may be a place's alternate one:
    "Hamas" is also a name of Hamm).

    Parameters
    ----------
    words : geo.text.Words
        The words of the text (:func:`geo.text.word_table`).

    Returns
    -------
    ArmedGroups
        ``focus``: ISO alpha-2 code → weight, each distinct group counted once, its
        :data:`GROUP_WEIGHT` shared equally among its countries; ``words``: the word
        indices of the names found.

    Examples
    --------
    >>> from geo.text import word_table
    >>> armed_groups(word_table("Houthi fighters fired missiles on Monday."))
    ArmedGroups(focus={'YE': 0.5}, words=frozenset({0}))
    """
    index = load_groups()
    folded, gaps, surfaces = words.folded, words.gaps, words.surfaces
    n = len(folded)
    seen: dict[int, tuple[str, ...]] = {}
    found: list[int] = []
    resume = 0
    for i in compress(range(n), words.caps):
        if i < resume:
            continue
        entries = index.get(folded[i])
        if entries is None:
            continue
        for name, capitals, row, codes in entries:
            k = len(name)
            if i + k > n or tuple(folded[i : i + k]) != name:
                continue
            if any(
                len(gaps[t]) > 2 or not _GAP_CHARS.issuperset(gaps[t]) for t in range(i + 1, i + k)
            ):
                continue
            if capitals and not all(surfaces[t].isupper() for t in range(i, i + k)):
                continue
            seen[row] = codes
            found.extend(range(i, i + k))
            resume = i + k
            break
    out: dict[str, float] = {}
    for codes in seen.values():
        for cc in codes:
            out[cc] = out.get(cc, 0.0) + GROUP_WEIGHT / len(codes)
    return ArmedGroups(out, frozenset(found))
