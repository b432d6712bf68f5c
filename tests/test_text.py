import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.text import (
    fold,
    name_key,
    sentence_spans,
    sentence_starts,
    tokenize,
    translit_key,
    word_table,
)

SPELLINGS = [
    ["Qala-e-Naw", "Qala i Naw", "Kala-i-Nau", "Qal'eh-ye Now", "Qala-i-Naw"],
    ["Mazar-i-Sharif", "Mazar-e Sharif", "Mazari Sharif"],
    ["Sar-e Pol", "Sar-i-Pul", "Sari Pul", "Sar-e Pul"],
    ["Pul-e Khumri", "Pul-i-Khumri", "Pol-e Khomri"],
    ["Jawzjan", "Jowzjan"],
    ["Kunduz", "Qonduz", "Konduz"],
    ["Faizabad", "Fayzabad", "Feyzabad"],
    ["Paktia", "Paktya", "Paktiya"],
]


@pytest.mark.parametrize("spellings", SPELLINGS, ids=lambda s: s[0])
def test_press_spellings_share_one_transliteration_key(spellings):
    assert len({translit_key(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kabul", "Kandahar"),
        ("Herat", "Heart"),
        ("Balkh", "Baghlan"),
        ("Ghazni", "Ghor"),
        ("Paktia", "Paktika"),
    ],
)
def test_different_places_keep_different_keys(a, b):
    assert translit_key(a) != translit_key(b)


def test_exact_key_folds_diacritics_and_apostrophes():
    assert name_key("Herāt") == name_key("HERAT") == "herat"
    assert name_key("Qal`eh-ye Now") == name_key("Qal'eh-ye Now")


def test_tokens_keep_offsets_and_drop_possessive():
    text = "Iran’s envoy met in Tehran."
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens] == [t.surface for t in tokens]
    assert tokens[0].surface == "Iran"


def test_sentences_respect_abbreviations_and_quotes():
    text = "Gen. Miller left Bagram. “The city has fallen,” he said. U.S. forces left."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Gen. Miller left Bagram.",
        "“The city has fallen,” he said.",
        "U.S. forces left.",
    ]


# The word-by-word tokenizer that word_table replaced, kept as the oracle.
_ORACLE_WORD = re.compile(r"[^\W_]+(?:[.'’`ʼ][^\W_]+)*")
_ORACLE_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _oracle_tokens(text):
    out = []
    for m in _ORACLE_WORD.finditer(text):
        surface, start = m.group(), m.start()
        if len(surface) > 2 and surface[-2] in "'’`ʼ" and surface[-1] in "sS":
            surface = surface[:-2]
        elif _ORACLE_INITIALS.fullmatch(surface) and text[m.end() : m.end() + 1] == ".":
            surface += "."
        out.append((start, start + len(surface), surface))
    return out


_PIECES = st.sampled_from(
    [*"aAsSzZ.'’`ʼ _-éÉ\n1ǅß!?\"", "U.S.", "Iran's", "x's's", "ʼS", "Gen. ", "\n\n", "Mr. X"]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=40))
def test_word_table_is_the_word_by_word_tokenizer(text):
    words = word_table(text)
    assert list(zip(words.starts, words.ends, words.surfaces, strict=True)) == _oracle_tokens(text)
    assert words.folded == [fold(w) for w in words.surfaces]
    assert words.caps == [w[:1].isupper() for w in words.surfaces]
    bounds = [0, *words.ends], [*words.starts, len(text)]
    assert [text[e:s] for e, s in zip(*bounds, strict=True)] == words.gaps
    # The words that begin a sentence, as a walk through the words finds them.
    spans = sentence_spans(text)
    sent_of, firsts, k = [], set(), 0
    for idx, start in enumerate(words.starts):
        while k + 1 < len(spans) and start >= spans[k + 1][0]:
            k += 1
        if not sent_of or sent_of[-1] != k:
            firsts.add(idx)
        sent_of.append(k)
    assert sentence_starts(words, spans) == firsts


@pytest.mark.parametrize(
    "text",
    [
        "Alpha Bravo Charlie " * 300,  # names, no full stop
        "Alpha,Bravo,Charlie," * 300,  # no space either
        "word " * 150 + "Z" * 3000 + " tail",  # one word longer than the limit
        "A short sentence. " + "x " * 2000 + "End.",
    ],
)
def test_a_run_without_a_sentence_break_is_cut_into_bounded_pieces(text):
    from geo.text import MAX_SENTENCE_CHARS

    spans = sentence_spans(text)
    longest_word = max(len(w) for w in text.split())
    assert all(e - s <= max(MAX_SENTENCE_CHARS, longest_word + 1) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # in order
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())  # nothing lost but spaces


def test_sentences_under_the_limit_are_left_whole():
    from geo.text import MAX_SENTENCE_CHARS

    long = "The convoy " + "moved on " * ((MAX_SENTENCE_CHARS - 30) // 9) + "at dawn."
    text = f"{long} Then it stopped."
    assert [text[s:e] for s, e in sentence_spans(text)] == [long, "Then it stopped."]


# The sentence ends as one alternation finds them (how geo.text first wrote it).
_ONE_ALTERNATION = re.compile(
    r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z“\"'])"
)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.sampled_from([*".!?\n \t\r\"'”’)]“‘([Aa0\x85", "\n\n", ". A", "\n B"]), max_size=30
    ).map("".join)
)
def test_sentence_ends_from_two_patterns_are_those_of_one_alternation(text):
    from geo.sentences import _boundaries

    expected = [(m.start(), m.end()) for m in _ONE_ALTERNATION.finditer(text)]
    assert _boundaries(text, scan=False) == expected
    assert _boundaries(text, scan=True, dense=0) == expected


def test_a_long_text_split_again_gives_the_same_sentences():
    text = "Troops left the town. Rebels entered it! " * 6000  # over 200 KB
    first = sentence_spans(text)
    first.append((0, 1))  # the caller's list is its own
    again = sentence_spans(text)
    assert again == first[:-1]
    assert sentence_spans(text + " ") == again  # another text is split anew


def test_texts_split_again_give_their_own_sentences_and_the_memory_stays_bounded():
    import geo.sentences as text_module

    texts = [f"Report {k}. Troops left town {k}! Rebels came." for k in range(2000)]
    first = [sentence_spans(t) for t in texts]
    # equal texts that are other objects, and the same objects again: same sentences
    assert [sentence_spans("".join(list(t))) for t in texts] == first
    assert [sentence_spans(t) for t in texts] == first
    big = "Troops left the town. " * 400_000  # over the budget alone: still kept, alone
    assert sentence_spans(big) == sentence_spans(big)
    assert text_module._splits_chars <= max(text_module._REMEMBER_CHARS, len(big))
    assert sum(len(t) for t, _ in text_module._SPLITS.values()) == text_module._splits_chars
