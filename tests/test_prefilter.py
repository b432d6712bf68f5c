"""The literal gates before the rule, actor and date expressions are safe: they never
turn away a sentence an expression matches (geo.prefilter, geo.events.rules.RuleMatcher)."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wordfreq import zipf_frequency

import geo.dates
from geo.actors import load_actors
from geo.events import extract_events, load_event_rules
from geo.events.rules import EVENT_RULES_CSV, RuleMatcher, rule_matches, verb_forms
from geo.gates import LiteralIndex
from geo.prefilter import (
    FOLD_EXTRA,
    fold,
    required_literal_sets,
    required_literals,
    start_literals,
)
from geo.reports import report_from_text
from tests.conftest import case_variants

RULES = load_event_rules()
# a sentence's words as the verbs' first-word test reads them (rule_matches): an
# apostrophe or hyphen only inside a word
_WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")


def _all_patterns() -> list[re.Pattern[str]]:
    out: list[re.Pattern[str]] = []
    for rule in RULES:
        out += [p for p in (rule.pattern, rule.words_pattern, rule.verbs_pattern) if p]
    out += [r.pattern for r in load_actors().rules if r.pattern is not None]
    # a national row's loose gate ("<any words> forces", "... (?= shelling)") too
    out += [r.gate for r in load_actors().rules if r.gate is not None]
    out += [p for _, p in geo.dates.expressions.PATTERNS]
    return out


PATTERNS = _all_patterns()
INDEX = LiteralIndex(PATTERNS)


def test_fold_extra_lists_every_non_ascii_letter_ignorecase_reads_as_ascii():
    ascii_letter = re.compile("[a-z]", re.I)
    found = [c for c in range(0x80, 0x110000) if ascii_letter.fullmatch(chr(c))]
    assert sorted(FOLD_EXTRA) == found
    for c, letter in FOLD_EXTRA.items():
        assert re.fullmatch(letter, chr(c), re.I)
        # and fold keeps offsets: one character for one
        assert fold(f"x{chr(c)}y") == f"x{letter}y"


def test_a_lookahead_and_a_branch_that_may_match_nothing_still_give_a_gate():
    # every match of the second branch is followed by one of the lookahead's words:
    # the text holds them, so they gate it with the first branch's words
    pattern = re.compile(r"\w+(?: (?:troops|forces)|(?= (?:shelling|air ?strikes?)))", re.I)
    assert sorted(required_literals(pattern)) == [
        " air strike",
        " airstrike",
        " forces",
        " shelling",
        " troops",
    ]
    index = LiteralIndex([pattern])
    for text in ["Ruritanian forces left.", "Ruritanian shelling went on.", "An AIR STRIKE hit."]:
        assert pattern.search(text) and index.active(fold(text)) == {0}
    assert index.active(fold("Talks went on.")) == frozenset()
    # a lookbehind may read before the position a search starts at: it gives no gate
    assert required_literals(r"(?<=the )town") == frozenset({"town"})


def test_a_part_that_keeps_its_case_is_looked_for_with_its_case():
    # an acronym spelt like a common word: "(?-i:TOR)" is no gate for "tor"
    pattern = re.compile(r"(?<![\w-])(?:the tor front|(?-i:TOR))(?![\w-])", re.I)
    index = LiteralIndex([pattern])
    for text in ["TOR fighters came.", "The Tor Front came."]:
        assert pattern.search(text) and index.active(fold(text), text) == {0}
    for text in ["A tor is a hill.", "History repeats."]:
        assert not pattern.search(text) and index.active(fold(text), text) == frozenset()
    # given only the folded text, the gate lets the case go (looser, as safe)
    assert index.active(fold("A tor is a hill.")) == {0}
    # a literal that is partly cased is looked for without case
    assert required_literals(r"(?i)(?-i:AB)cd") == frozenset({"abcd"})


def test_every_rule_actor_and_date_expression_gets_a_gate():
    # an expression without a gate would run on every sentence (correct, only slower)
    assert [p.pattern for p in PATTERNS if required_literals(p) is None] == []
    assert INDEX.always == frozenset()


def test_literal_sets_are_what_every_match_must_hold():
    sets = required_literal_sets(r"(?<![\w-])(?:air ?strikes?|drone strikes?)(?![\w-])")
    assert sets == (frozenset({"air strike", "airstrike", "drone strike"}),)
    assert required_literal_sets(r"\d{4}-\d{2}") == (frozenset({"-"}),)
    assert required_literal_sets(r"(?:abc)?\d") == ()
    # a word written with capitals, read without case: looked for folded, as one string
    pattern = re.compile(r"Kabul (?:Airport|Bazaar)", re.I)
    assert required_literal_sets(pattern)[0] == frozenset({"kabul airport", "kabul bazaar"})
    assert start_literals(pattern) == frozenset({"kabul airport", "kabul bazaar"})
    # with its case where it keeps it
    assert required_literal_sets(r"(?i)(?-i:KAM Air)")[0] == frozenset({"\x01KAM Air"})


# words the expressions are made of, in every case, with the letters re.I also reads
_VOCAB = sorted(
    {lit.strip() for p in PATTERNS for s in required_literal_sets(p) for lit in s if lit.strip()}
    | {f for rule in RULES for f in rule.first_words}
    | {"the", "a", "of", "to", "by", "on", "in", "12", "2021", "2021-07-05", "'s", "’s", ","}
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(_VOCAB).flatmap(lambda w: st.sampled_from(case_variants(w))),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from([" ", "  ", "-", "\n", " the "]),
)
def test_no_expression_matches_a_text_its_gate_turns_away(words, sep):
    text = sep.join(words)
    for active in (INDEX.active(fold(text), text), INDEX.active(fold(text))):
        missed = [p.pattern for i, p in enumerate(PATTERNS) if p.search(text) and i not in active]
        assert missed == []


def _read_phrases() -> list[list[str]]:
    """Each rule's verb phrases as the rules file writes them (one rule per row)."""
    with open(EVENT_RULES_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(RULES)
    return [[p.strip() for p in (row["verbs"] or "").split(";") if p.strip()] for row in rows]


PHRASES = _read_phrases()


def _sentences_from_every_verb_form() -> list[str]:
    out = []
    for rule, phrases in zip(RULES, PHRASES, strict=True):
        for phrase in phrases:
            out += [_sentence(rule, phrase, form) for form in _forms(phrase)]
    return out


def _forms(phrase: str) -> list[str]:
    head = phrase.split()[0].lower()
    forms = list(verb_forms(head.removeprefix("re-")))
    if head.startswith("re-"):
        forms = [f"re{f}" for f in forms] + [f"re-{f}" for f in forms]
    return forms


def _sentence(rule, phrase: str, form: str) -> str:
    rest = " ".join("the militants" if w in ("…", "...") else w for w in phrase.split()[1:])
    verb = f"{form} {rest}".strip()
    if rule.actor == "after":
        return f"Ardmore {verb} to the rebels on Monday."
    return f"Rebels {verb} Ardmore on Monday."


SENTENCES = _sentences_from_every_verb_form()


def test_the_matcher_finds_what_every_rule_finds_on_its_own():
    assert len(SENTENCES) > 200  # every inflection of every verb of the rules file
    matcher = RuleMatcher(RULES)
    # and each with its verb glued to an apostrophe's word ("seized's"): the verb then is
    # no word of the sentence, and its rule's verbs do not run, though they would match
    glued = [f"{a} {b}'s {c}" for a, b, c in (s.split(" ", 2) for s in SENTENCES)]
    for s in SENTENCES + glued:
        words = set(_WORD_RE.findall(s.lower()))
        want = [(r, [m.span() for m in rule_matches(r, s, words)]) for r in RULES]
        got = [(r, [m.span() for m in ms]) for r, ms in matcher.matches(s)]
        assert got == [(r, spans) for r, spans in want if spans], s


# what may stand right before a verb: a hyphen or apostrophe joined to a word before it
# (the verb is then inside that word), the same marks alone or doubled (it is not), a
# letter outside ASCII, a combining mark, a digit, the underscore, the Kelvin sign
_BEFORE_VERB = ["-", "x-", "’", "x’", "--", " '", " ‘", "é", "e\u0301", "1", "_", "\u212a", "İ"]


@pytest.mark.parametrize("before", _BEFORE_VERB)
def test_a_verb_is_a_word_of_the_sentence_as_its_words_split(before):
    # the matcher asks at a verb's own position whether it is one of the sentence's
    # words, and splits the sentence only when not: the same rules match
    matcher = RuleMatcher(RULES)
    for s in SENTENCES[::3]:
        a, b = s.split(" ", 1)
        for text in (f"{a}{before}{b}", f"{a}{before}{b.upper()}"):
            words = set(_WORD_RE.findall(text.lower()))
            want = [(r, [m.span() for m in rule_matches(r, text, words)]) for r in RULES]
            got = [(r, [m.span() for m in ms]) for r, ms in matcher.matches(text)]
            assert got == [(r, spans) for r, spans in want if spans], text


@pytest.mark.parametrize(
    ("text", "at", "want"),
    [
        ("Rebels seized it", 7, True),
        ("Rebels SEIZED it", 7, True),  # read in lower case
        ("Rebels 'seized' it", 8, True),  # scare quotes: still the word
        ("Rebels ‘seized’ it", 8, True),
        ("Rebels --seized it", 9, True),  # a mark after no word character
        ("Rebels x-seized it", 9, False),  # inside "x-seized"
        ("Rebels x’seized it", 9, False),
        ("Rebelsseized it", 6, False),  # inside "rebelsseized"
        ("Rebels éseized it", 8, False),
        ("Rebels seized's it", 7, False),  # the word is "seized's"
        ("Rebels seizedly", 7, False),
        ("seized it", 0, True),
    ],
)
def test_a_verb_form_is_read_as_a_word_at_its_position(text, at, want):
    from geo.events.rules import _word_at

    assert _word_at(text, at, frozenset({"seized"})) is want
    words = set(_WORD_RE.findall(text.lower()))  # what splitting the sentence says
    assert want is (any(m.start() == at for m in _WORD_RE.finditer(text)) and "seized" in words)


def test_no_character_outside_a_word_lower_cases_into_one():
    # what lets the matcher read a verb's word bounds in the sentence as they are in its
    # lower case (geo.events.rules._word_at)
    word = re.compile(r"\w")
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        c = chr(code)
        if word.match(c) or c in "'’-":
            continue
        assert not any(word.match(x) or x in "'’-" for x in c.lower()), hex(code)


def _rarest_capture_sentences() -> list[tuple[str, str]]:
    """For each capture rule with verbs: a sentence whose only trigger is the rule's
    least frequent verb form in English (wordfreq), and the form."""
    out = []
    for rule, phrases in zip(RULES, PHRASES, strict=True):
        if rule.effect != "capture" or not phrases:
            continue
        pairs = [(p, f) for p in phrases for f in _forms(p)]
        phrase, form = min(pairs, key=lambda pf: (zipf_frequency(pf[1], "en"), pf[1]))
        out.append((_sentence(rule, phrase, form), form))
    return out


@pytest.mark.parametrize(("sentence", "form"), _rarest_capture_sentences())
def test_a_rare_inflected_verb_form_alone_still_gives_its_event(sentence, form):
    report = report_from_text(f"date: 2021-07-07\n\n{sentence}", name="rare")
    start = report.text.index("Ardmore")
    places = pd.DataFrame(
        [
            {
                "report": report.id,
                "start": start,
                "end": start + 7,
                "mention": "Ardmore",
                "name": "Ardmore",
                "kind": "town",
                "country": "AF",
                "admin1": "AAA",
                "iso_3166_2": "AF-AAA",
                "lat": 35.0,
                "lon": 63.0,
                "source": "test:Ardmore",
            }
        ]
    )
    events = extract_events([report], places)
    captures = events[(events["effect"] == "capture") & (events["location"] == "Ardmore")]
    assert len(captures) == 1, (form, sentence)
    trigger = report.text[int(captures["start"].iloc[0]) : int(captures["end"].iloc[0])]
    assert trigger.lower().startswith(form.lower())
