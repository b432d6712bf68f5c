"""An expression tried only where its matches can start finds what ``re.search`` and
``re.finditer`` find (geo.prefilter.start_literals, geo.gates)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo.dates
from geo.actors import load_actors
from geo.events import claims, hedges, load_event_rules, regions, story
from geo.gates import ScanGroup, StartIndex, find_all, search_from
from geo.prefilter import (
    DIGIT_EXTRA,
    SPACE_EXTRA,
    fold_spaces,
    required_literal_sets,
    start_literals,
)
from tests.conftest import case_variants


def _data_patterns() -> list[re.Pattern[str]]:
    out: list[re.Pattern[str]] = []
    for rule in load_event_rules():
        out += [p for p in (rule.pattern, rule.words_pattern, rule.verbs_pattern) if p]
    out += [r.pattern for r in load_actors().rules if r.pattern is not None]
    out += [p for _, p in geo.dates.expressions.PATTERNS]
    # the words around a trigger that leave it out, and those of a claim
    out += [hedges._HEDGE_BEFORE_RE, hedges._NAMED_BEFORE_RE]
    out += [claims._DENIED_RE, claims._UNVERIFIED_RE, claims._SAID_RE]
    # "the city", "much of the north"
    out += [story._ANAPHORA_RE, re.compile(regions._DIR, re.I), regions._BARE_REGION_RE]
    return out


PATTERNS = _data_patterns()
INDEX = StartIndex(PATTERNS)


def _spans(ms) -> list[tuple]:
    return [(m.span(), m.groups(), m.groupdict()) for m in ms]


# --- what every match starts with -------------------------------------------------------


def test_a_start_counts_an_optional_part_with_and_without_it():
    assert start_literals(r"(?:the |its )?(?:city|town) of") == {
        "the city of",
        "the town of",
        "its city of",
        "its town of",
        "city of",
        "town of",
    }


def test_zero_width_tests_add_nothing_to_a_start():
    assert start_literals(r"(?<![\w-])\b(?=ab)abc(?!d)") == {"abc"}


def test_an_optional_part_of_unknown_strings_gives_its_start_or_the_rest():
    assert start_literals(r"(?:the\s+)?islamic state") == {"the ", "islamic stat"}
    assert start_literals(r"a*b") == {"a", "b"}
    assert start_literals(r"(?:a\w)*b") == {"a", "b"}  # repeated, or not there at all


def test_a_part_that_keeps_its_case_is_looked_for_folded():
    assert start_literals(r"(?-i:TTP)|pakistani taliban") == {"ttp", "pakistani taliban"}


def test_a_start_that_begins_with_another_is_left_out():
    assert start_literals(r"officials?|official statement") == {"official"}


def test_any_space_is_a_space_in_a_start():
    # \\s, a tab or a line end in the expression: a space in the folded text
    assert start_literals(r"\ba\s+week\b") == {"a "}
    assert start_literals(r"in[\t]+control|under\s*control") == {"in ", "under ", "undercontrol"}
    assert {
        c: " " for c in range(0x110000) if re.fullmatch(r"\s", chr(c)) and c != 0x20
    } == SPACE_EXTRA
    assert all(not chr(c).isprintable() for c in SPACE_EXTRA)  # fold_spaces' shortcut
    assert fold_spaces("A\tB\u00a0C\u2028d") == "a b c d"


def test_any_digit_is_an_ascii_digit_in_a_start():
    assert start_literals(r"\b\d+ km") == {str(d) for d in range(10)}
    assert start_literals(r"(?:in|since)\s+(?:1\d{3}|20\d{2})") == {"in ", "since "}
    every = {c: str(int(chr(c))) for c in range(0x80, 0x110000) if re.fullmatch(r"\d", chr(c))}
    assert every == DIGIT_EXTRA
    assert fold_spaces("\u0663 May \uff12\uff10\uff12\uff11") == "3 may 2021"
    # a digit outside ASCII written in an expression is looked for as its ASCII one
    assert start_literals("\u0663 may") == {"3 may"}
    assert StartIndex(["\u0663 may"]).scan("on \u0663 May") == ({0: [3]}, set())
    assert StartIndex([r"\w+ \u0663"]).scan("on \u0663") == ({}, {0})  # and in a gate


def test_no_start_when_one_is_unknown_or_a_match_may_be_empty():
    assert start_literals(r"\w+ km") is None  # any letter or digit
    assert start_literals(r"(?:ab)?") is None
    assert start_literals(r"ab|\w+") is None
    assert start_literals(r"s[eé]l[eé]ka") is None  # é has a case partner


def test_most_data_expressions_are_anchored():
    # those that are not are searched as before (only slower): the date expressions that
    # begin with a digit, and an actor row with a letter outside ASCII
    loose = [p.pattern for p, a in zip(PATTERNS, INDEX.anchored, strict=True) if not a]
    assert len(loose) <= 8, loose
    assert sum(INDEX.anchored) > 0.9 * len(PATTERNS)


# --- the positions of the automaton -----------------------------------------------------


_ALPHABET = "abAB -'’.İıſK\n\t\u00a01\u0663"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="ab -'", min_size=1, max_size=4), min_size=1, max_size=5),
    st.text(alphabet=_ALPHABET, max_size=40),
)
def test_the_starts_are_every_position_where_a_start_string_begins(words, text):
    # each word alone, and all of them as one alternation (a slot of many start strings)
    patterns = [re.escape(w) for w in words] + ["|".join(map(re.escape, words))]
    index = StartIndex(patterns)
    folded = fold_spaces(text)
    got = index.starts(text)
    for slot, pattern in enumerate(patterns):
        lits = start_literals(pattern)
        if lits is None:
            assert not index.anchored[slot]
            continue
        want = [p for p in range(len(folded)) if any(folded.startswith(w, p) for w in lits)]
        assert got.get(slot, []) == want


def test_an_expression_without_a_start_runs_where_its_literals_are():
    index = StartIndex([r"\w+ (?:dead|killed)", r"\w+", r"air ?strikes?"], [None, None, None])
    assert index.anchored == [False, False, True]
    assert index.scan("12 were killed") == ({}, {0, 1})  # \w+ has no literal: always
    assert index.scan("no one") == ({}, {1})
    # a gate of its own for a slot: its literals, not the expression's
    gated = StartIndex([r"\w+ (?:dead|killed)"], [r"\w+ (?:wounded)"])
    assert gated.scan("12 killed") == ({}, set())
    assert gated.scan("12 wounded") == ({}, {0})


def test_an_expression_may_start_only_where_the_text_also_holds_its_literals():
    index = StartIndex([r"\ba\s+week\s+ago\b", r"\btaliban\b"])
    assert index.scan("a day ago, a month ago") == ({}, set())  # "a", never "week"
    # every "a" and a space is a start: the expression tells which one begins a match
    assert index.scan("a day and a week ago") == ({0: [0, 10]}, set())
    assert index.scan("the taliban") == ({1: [4]}, set())  # the start is the literal


def test_a_one_character_start_is_looked_for_where_the_text_meets_the_gate():
    # a match may begin at any space or digit; each holds "years" or "months"
    pattern = re.compile(r"\b(?:\d{1,2})?\s*(?:years|months)\s+ago\b", re.I)
    index = StartIndex([pattern])
    assert index.scan("2 days ago, then 3 weeks") == ({}, set())  # no gate: no starts
    for text in ("it was years ago", "taken 12 Months ago", "years ago, and 2 years ago"):
        starts = index.starts(text)[0]
        assert starts == sorted(set(starts))
        assert _spans(find_all(pattern, text, starts)) == _spans(pattern.finditer(text))
    assert index.starts("it was years ago") == {0: [2, 6, 7, 12]}  # spaces and "years"


def test_a_longer_start_found_after_a_shorter_one_is_put_first():
    # "abc" begins before "b" and ends after it: the automaton reports "b" first
    index = StartIndex([r"(?:abc|b)"])
    assert index.starts("xabc") == {0: [1, 2]}
    pattern = re.compile(r"(?:abc|b)")
    assert _spans(find_all(pattern, "xabc", [1, 2])) == _spans(pattern.finditer("xabc"))


def test_a_match_may_begin_where_the_last_one_ended():
    pattern = re.compile(r"ab")
    starts = StartIndex([pattern]).starts("abab")[0]
    assert [m.span() for m in find_all(pattern, "abab", starts)] == [(0, 2), (2, 4)]
    assert search_from(pattern, "abab", starts, 1).span() == (2, 4)


# --- the same matches as re: random expressions -----------------------------------------


def _expressions() -> st.SearchStrategy[str]:
    atom = st.sampled_from(
        [
            "a",
            "b",
            "ab",
            "ba",
            " ",
            "-",
            "'",
            "k",
            "s",
            "i",
            "[ab]",
            r"\w",
            r"\s+",
            r"\s",
            "\t",
            ".",
            r"\d",
            "1",
            "\u0663",  # a digit outside ASCII: its ASCII one in the folded text
        ]
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, inner).map("".join),
            st.tuples(inner, inner).map(lambda t: f"(?:{t[0]}|{t[1]})"),
            inner.map(lambda x: f"(?:{x})?"),
            inner.map(lambda x: f"(?:{x})+"),
            inner.map(lambda x: f"(?:{x})*"),
            inner.map(lambda x: f"(?-i:{x})"),
            inner.map(lambda x: rf"(?<![\w-])(?:{x})"),
            inner.map(lambda x: rf"\b{x}"),
            inner.map(lambda x: f"{x}(?![\\w-])"),
            inner.map(lambda x: f"(?={x})"),
        )

    return st.recursive(atom, extend, max_leaves=6)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions(), st.booleans(), st.text(alphabet=_ALPHABET, max_size=30), st.data())
def test_random_expressions_match_as_re_finds_them(expression, ignore_case, text, data):
    pattern = re.compile(expression, re.I if ignore_case else 0)
    index = StartIndex([pattern])
    if not index.anchored[0]:
        return
    starts = index.starts(text).get(0, [])
    assert _spans(find_all(pattern, text, starts)) == _spans(pattern.finditer(text))
    pos = data.draw(st.integers(0, len(text)))
    want, got = pattern.search(text, pos), search_from(pattern, text, starts, pos)
    assert (want and _spans([want])) == (got and _spans([got]))


# --- the same matches as re: every expression of the data -------------------------------

# words the data's expressions begin with and hold, in every case, with the letters
# re.I also reads as ASCII ones
_VOCAB = sorted(
    {w.strip() for p in PATTERNS for w in (start_literals(p) or ()) if w.strip()}
    | {w.strip() for p in PATTERNS for s in required_literal_sets(p) for w in s if w.strip()}
    | {"the", "a", "of", "by", "on", "in", "12", "2021", "3rd", "'s", "’s", ",", "("}
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(_VOCAB).flatmap(lambda w: st.sampled_from(case_variants(w, edges=True))),
        min_size=1,
        max_size=10,
    ),
    st.sampled_from([" ", "  ", "-", "\n", "\t", "\u00a0", " the ", ", "]),
    st.integers(0, 200),
)
def test_every_data_expression_matches_as_re_finds_it(words, sep, pos):
    text = sep.join(words)
    starts, loose = INDEX.scan(text)
    pos = min(pos, len(text))
    for slot, pattern in enumerate(PATTERNS):
        if not INDEX.anchored[slot]:
            # searched as it is, where the pass finds one of its literals: never turned
            # away from a text it matches
            assert slot in loose or pattern.search(text) is None, (pattern.pattern, text)
            continue
        mine = starts.get(slot, [])
        assert _spans(find_all(pattern, text, mine)) == _spans(pattern.finditer(text)), (
            pattern.pattern,
            text,
        )
        want = pattern.search(text, pos)
        got = search_from(pattern, text, mine, pos)
        assert (got and _spans([got])) == (want and _spans([want])), (pattern.pattern, text)


# --- one pass for a group of indexes ----------------------------------------------------

# the data's expressions in three indexes: the odd ones, the even ones, and all of them
# (which shares every string of the other two)
_PARTS = [PATTERNS[::2], PATTERNS[1::2], PATTERNS]
_ALONE = [StartIndex(part) for part in _PARTS]


def _sentences() -> st.SearchStrategy[str]:
    words = st.lists(
        st.sampled_from(_VOCAB).flatmap(lambda w: st.sampled_from(case_variants(w, edges=True))),
        max_size=8,
    )
    return st.tuples(words, st.sampled_from([" ", "\n", ", "])).map(lambda t: t[1].join(t[0]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_sentences(), min_size=1, max_size=5),
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2)), min_size=1, max_size=30),
    st.integers(1, 3),
)
def test_a_group_scans_as_its_members_alone(texts, reads, keep):
    # members read texts in any order, more texts than the group keeps, some twice
    group = ScanGroup(keep=keep)
    members = [StartIndex(part, group=group) for part in _PARTS]
    for t, m in reads:
        text = texts[t % len(texts)]
        assert members[m].scan(text) == _ALONE[m].scan(text), (m, text)
    # a member that joins late: the group builds its automaton again
    late = StartIndex(_PARTS[0], group=group)
    for text in texts:
        assert late.scan(text) == _ALONE[0].scan(text)
        assert members[2].scan(text) == _ALONE[2].scan(text)


def test_a_text_read_by_every_member_is_passed_over_once():
    group = ScanGroup()
    members = [StartIndex(part, group=group) for part in _PARTS]
    texts = ["Taliban fighters seized the city on Monday", "Air strikes hit a week ago", "x"]
    for text in texts:
        for member in members:
            member.scan(text)
    assert group.passes == len(texts)


def test_a_full_group_leaves_an_index_to_read_alone():
    group = ScanGroup(limit=2)
    members = [StartIndex(part, group=group) for part in _PARTS]
    text = "The Taliban seized Kunduz on Monday, two years ago, officials said"
    assert members[2].scan(text) == _ALONE[2].scan(text)
    assert group.passes == 0  # the third read it by itself
    for member, alone in zip(members[:2], _ALONE, strict=False):
        assert member.scan(text) == alone.scan(text)
    assert group.passes == 1
