"""A cheap test before an expensive regular expression: the words a match must contain.

Most sentences of a report hold no trigger word of a rule, no actor and no date, yet each
rule's expression scans each sentence position by position. :func:`required_literals`
reads an expression's syntax tree and returns a set of literal strings such that *every*
match of it contains one of them (e.g. ``{"air strike", "airstrike", "drone strike",
...}``). :func:`start_literals` returns the strings one of which every match begins
with. :mod:`geo.gates` puts them in an Aho-Corasick automaton that reads a sentence's
:func:`fold`\\ ed (lower-cased) form once, in C, and says which expressions may match it,
and where; only those run, only there. The test is safe by construction: a text it turns
away cannot hold a match, so every expression's matches are unchanged; an expression
whose matches need no literal (``\\d{4}``) is always run.

Case: literals are lower-cased, and :func:`fold` lower-cases the text after mapping the
four non-ASCII letters Python's ``re.IGNORECASE`` treats as ASCII letters (dotted and
dotless I, long s, Kelvin sign) to those letters, so a case-insensitive match is never
missed; a case-sensitive part only makes the gate looser.

The package, by stage: :mod:`geo.prefilter.folding` (how a text is folded for a gate),
:mod:`geo.prefilter.literals` (what every match holds), :mod:`geo.prefilter.starts` (what
every match begins with), :mod:`geo.prefilter.cache` (the analyses kept on disk).
"""

from geo.prefilter.folding import CASED, DIGIT_EXTRA, FOLD_EXTRA, SPACE_EXTRA, fold, fold_spaces
from geo.prefilter.literals import (
    MAX_SETS,
    loose_literals,
    required_literal_sets,
    required_literals,
)
from geo.prefilter.starts import start_literals

__all__ = [
    "CASED",
    "DIGIT_EXTRA",
    "FOLD_EXTRA",
    "MAX_SETS",
    "SPACE_EXTRA",
    "fold",
    "fold_spaces",
    "loose_literals",
    "required_literal_sets",
    "required_literals",
    "start_literals",
]
