"""Candidate finding for the geoparser: runs of capitalised words looked up, longest first.

The rules are those of :mod:`geo.geoparse.spot` (which calls :func:`spot`): a run
starts at a capitalised word that is no day or month name, takes up to
:data:`~geo.geoparse.spot.MAX_WORDS` words of one sentence joined by spaces, hyphens
or apostrophes, capitalised or small joining particles, and is matched longest prefix
first, exact key, then transliteration key (acronyms by their own key).

What is different is the work per word: the scan jumps from one capitalised word to
the next (``itertools.compress`` over the capitalisation flags), so Python touches only
the words that can start a name and the runs that follow them, not every word of the
report; and a run's answer is cached by its words (``Gazetteer.run_cache``), so a name
met again costs one dictionary look-up.

Why not a compiled multi-pattern matcher (Aho–Corasick over the folded text)? It was
weighed for this step: a run's answer depends on its transliteration key as well as
its exact key (the longest prefix wins whichever key matched), so an automaton of the
exact names would still leave the per-run transliteration lookups in Python, and
building one over the gazetteer's ~1.4 million names costs seconds and hundreds of MB
per process, against a step that is under a tenth of geoparsing time
(``docs/scale.md``).
"""

from __future__ import annotations

from itertools import compress
from typing import TYPE_CHECKING

from geo.gazetteer import Gazetteer, is_acronym
from geo.text import Token

if TYPE_CHECKING:
    from geo.geoparse.spot import Mention

__all__ = ["spot"]

_GAP_CHARS = frozenset(" -–‐'’`ʼ")


def spot(
    text: str,
    tokens: list[Token],
    folded: list[str],
    caps: list[bool],
    sent_of: list[int],
    gaz: Gazetteer,
) -> list[Mention]:
    """The runs of words that name something in the gazetteer, in text order.

    Parameters
    ----------
    text : str
    tokens, folded, caps, sent_of : list
        The words of ``text`` (:func:`geo.text.tokenize`), their folded keys, whether
        each is capitalised, and the index of each one's sentence.
    gaz : Gazetteer

    Returns
    -------
    list of geo.geoparse.spot.Mention
        Non-overlapping, each the longest run from its first word that names something.
    """
    from geo.geoparse.spot import CALENDAR, JOINERS, MAX_WORDS, Mention, _is_dateline, _match_run

    mentions: list[Mention] = []
    runs = gaz.run_cache
    n = len(tokens)
    resume = 0  # the first word not inside the last mention
    for i in compress(range(n), caps):
        if i < resume:
            continue
        word = folded[i]
        if not word or word in CALENDAR:
            continue
        # Longest run first: capitalised words, possibly joined by small particles.
        last = i
        sentence = sent_of[i]
        while last + 1 < n and last - i + 1 < MAX_WORDS and sent_of[last + 1] == sentence:
            nxt = last + 1
            if not (caps[nxt] or folded[nxt] in JOINERS):
                break
            gap = text[tokens[last].end : tokens[nxt].start]
            if len(gap) > 3 or not _GAP_CHARS.issuperset(gap):
                break
            last = nxt
        surface = tokens[i].surface
        acronym = is_acronym(surface)
        if acronym and _is_dateline(text, tokens[i]):
            acronym = False  # "KYIV, Ukraine —": a place in capitals, not an acronym
        key = (tuple(folded[i : last + 1]), tuple(caps[i : last + 1]), acronym)
        if key in runs:
            found = runs[key]
        else:
            found = runs[key] = _match_run(*key, gaz)
        if found is None:
            continue
        jrel, rids, how = found
        j = i + jrel
        mentions.append(
            Mention(
                i,
                j,
                tokens[i].start,
                tokens[j].end,
                rids,
                how,
                sentence,
                " ".join(folded[i : j + 1]),
            )
        )
        resume = j + 1
    return mentions
