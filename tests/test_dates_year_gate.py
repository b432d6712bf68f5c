"""The year gate of the date expressions: the patterns that need a year run only on
sentences holding one, and find what they found without the gate."""

from __future__ import annotations

import re

import pytest

from geo.dates import expressions
from geo.dates.expressions import PATTERNS, find_date_expressions

# invented sentences, with and without years, some with numbers that are no year
SENTENCES = [
    "Fighting resumed in the spring of 2016 near the dam.",
    "The 2015 offensive stalled before the rains.",
    "Troops have held the pass since 1998, officials said.",
    "In early 2019 the convoy came under fire.",
    "A 1980 treaty set the border, and 37 people died on Monday.",
    "Rebels shelled the market on the 3rd and withdrew two days later.",
    "Police said 12 people and 140 cattle were missing.",
    "The summer 2021 harvest was lost when the 20th brigade arrived.",
    "Officials met on 5 July 2021 and again last week.",
    "Reference 2100 and route 1999x are no years here, nor is 12345.",
]


def _ungated(sentence: str) -> list[tuple[str, tuple[int, int]]]:
    """Every pattern run as find_date_expressions runs them, with no year gate."""
    saved = expressions._NEEDS_YEAR
    expressions._NEEDS_YEAR = frozenset()
    expressions._expressions.cache_clear()
    try:
        return [(k, m.span()) for k, m in find_date_expressions(sentence)]
    finally:
        expressions._NEEDS_YEAR = saved
        expressions._expressions.cache_clear()


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_gate_finds_what_the_patterns_find(sentence: str) -> None:
    expressions._expressions.cache_clear()
    gated = [(k, m.span()) for k, m in find_date_expressions(sentence)]
    assert gated == _ungated(sentence)


def test_the_gated_patterns_need_a_year() -> None:
    gated = [PATTERNS[i][1] for i in sorted(expressions._NEEDS_YEAR)]
    assert len(gated) >= 3  # "in 1998", "the 2015 offensive", "early 2019", "summer 2021"
    hits = 0
    for sentence in SENTENCES:
        # the same sentence with every year-like run of digits turned into other digits
        no_year = re.sub(r"1\d{3}|20\d{2}", "3333", sentence)
        for pattern in gated:
            hits += bool(pattern.search(sentence))
            assert pattern.search(no_year) is None, (pattern.pattern, no_year)
    assert hits >= 4  # the sentences above do reach the gated patterns
