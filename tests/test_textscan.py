"""The NumPy scans of geo.textscan give what the regular expressions of geo.text give.

The regular-expression paths of :func:`geo.text._word_table` and
:func:`geo.sentences._split_sentences` are the reference; the scans must equal them on any text.
"""

import random
import string

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import asciiscan, textscan
from geo.sentences import _END_MARK_RE, _boundaries, _split_sentences, sentence_spans
from geo.sentences import SCAN_FROM as _SCAN_FROM
from geo.text import _word_table, word_table
from geo.textscan import (
    _BMP,
    _bmp_flags,
    _flags,
    ascii_flags,
    char_classes,
    sentence_ends,
    word_pieces,
)

# Pieces that exercise every rule: joining characters (straight, curly and modifier
# apostrophes, backquote, dot), closers and openers, digits, the underscore, a combining
# accent, spaces of several kinds, newlines, capitals, titlecase, CJK, Arabic, a letter
# beyond the Basic Multilingual Plane, an emoji, a lone surrogate, and a NUL.
_PIECE_LIST = [
    *"aAzZsS0 9_.'’`ʼ!?\"”“‘)]([,-\n\t\r\x0b\x85\xa0\u2003\u3000",
    "é",
    "É",
    "e\u0301",
    "ǅ",
    "ß",
    "İ",
    "中文",
    "کابل",
    "\u0660",  # Arabic-Indic digit zero
    "𝐀",  # mathematical bold capital A: a letter, upper case, beyond the BMP
    "😀",
    "\ud800",
    "\x00",
    "U.S.",
    "Iran's",
    "x's's",
    "Gen. ",
    "Mr. X",
    "\n\n",
    "\n \n",
    ". A",
    "! “B",
    "\n B",
    "...",
    "?!' ",
]
_TEXTS = st.lists(st.sampled_from(_PIECE_LIST), max_size=80).map("".join) | st.text(max_size=80)


@settings(max_examples=1500, deadline=None)
@given(_TEXTS)
def test_scanned_words_are_the_regular_expressions_words(text):
    words = _word_table(text, scan=True)
    assert words == _word_table(text, scan=False)
    # the first letter's case, as the string methods say (geoparsing's lower-case words)
    assert words.lower == [w[0].islower() for w in words.surfaces]
    assert words.caps == [w[0].isupper() for w in words.surfaces]


# ASCII texts (geo.asciiscan's path): every joining character, possessives, initials,
# dots and quotes in runs, digits, the underscore, a NUL.
_ASCII_TEXTS = st.lists(
    st.sampled_from(
        [*"aAzZsS09_.'`!?\"),]([ \n\t\x00-", "U.S.", "Iran's", "x's's", "a.b.c", "I.", "'s"]
    ),
    max_size=120,
).map("".join) | st.text(st.characters(max_codepoint=127), max_size=120)


@settings(max_examples=1500, deadline=None)
@given(_ASCII_TEXTS)
def test_the_ascii_pass_gives_the_regular_expressions_words(text):
    assert _word_table(text, scan=True) == _word_table(text, scan=False)
    # a word without a capital is its own folded key: the same string, no copy
    words = asciiscan.ascii_words(text, ascii_flags(text))
    for k, (surface, key) in enumerate(zip(words.surfaces, words.folded, strict=True)):
        if k not in words.odd and surface.lower() == surface:
            assert key is surface


def test_the_ascii_pass_reads_the_flags_of_the_character_table():
    for name in ("LETTER", "INNER", "UPPER", "LOWER"):
        assert getattr(asciiscan, name) == getattr(textscan, name)
    text = "".join(map(chr, range(128)))
    assert list(ascii_flags(text)) == char_classes(text).tolist()


def test_a_long_ascii_text_gets_machine_offsets_and_shared_words():
    text = "The U.S. convoy left Kandahar's airport at 0400. " * 5_000  # over 200,000
    scanned, reference = _word_table(text, scan=True), _word_table(text, scan=False)
    assert scanned == reference
    assert type(scanned.starts) is type(reference.starts)  # a machine array for both
    folded = {}
    for w in scanned.folded:  # one string object per distinct word
        assert folded.setdefault(w, w) is w


def _reference_sentences(text):
    """The sentences as geo.text split them before the scans: both patterns' finditer,
    and the word before a full stop walked back letter by letter."""
    from geo.sentences import _ABBREVIATIONS, _END_MARK_RE, _LINE_BREAK_RE, _capped

    found = [*_END_MARK_RE.finditer(text), *_LINE_BREAK_RE.finditer(text)]
    spans, start = [], 0
    for m in sorted(found, key=lambda m: m.start()):
        if text[m.start()] == ".":
            e = m.start() + 1
            while e > start and text[e - 1] == ".":
                e -= 1
            b = e
            while b > start and text[b - 1] in string.ascii_letters:
                b -= 1
            word = text[b:e].lower()
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in _capped(text, spans):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


_ABBREVIATED = st.lists(
    st.sampled_from([*_PIECE_LIST, "approx. ", "Approx. B", "Dept. ", "xDr. ", "hr. ", "A. B"]),
    max_size=80,
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_TEXTS | _ABBREVIATED)
def test_scanned_sentence_ends_are_the_regular_expressions_ends(text):
    assert _boundaries(text, scan=True, dense=0) == _boundaries(text, scan=False)
    expected = _reference_sentences(text)
    assert _split_sentences(text, scan=True) == expected
    assert _split_sentences(text, scan=False) == expected


@pytest.mark.parametrize("seed", [1, 2])
def test_a_long_text_gets_the_same_words_and_sentences_both_ways(seed):
    rng = random.Random(seed)
    pieces = [p for p in _PIECE_LIST if p != "\x00"]
    words = ["Kandahar", "convoy", "U.S.", "Taliban's", "Qal'eh", "Herāt", "2021", "fighters"]
    parts, size = [], 0
    while size < 210_000:  # over the size at which words are shared
        parts.append(rng.choice(words) if rng.random() < 0.6 else rng.choice(pieces))
        parts.append(" ")
        size += len(parts[-2]) + 1
    text = "".join(parts)
    scanned, reference = _word_table(text, scan=True), _word_table(text, scan=False)
    assert scanned == reference
    assert type(scanned.starts) is type(reference.starts)  # a machine array for both
    assert scanned.surfaces[0] is scanned.surfaces[scanned.surfaces.index(scanned.surfaces[0])]
    folded = {}
    for w in scanned.folded:  # one string object per distinct word
        assert folded.setdefault(w, w) is w
    assert _split_sentences(text, scan=True) == _split_sentences(text, scan=False)


@pytest.mark.parametrize("size", [_SCAN_FROM - 1, _SCAN_FROM, _SCAN_FROM + 1])
def test_texts_either_side_of_the_length_that_chooses_the_scan(size):
    text = ("Troops of the U.S. left Kabul's airport. Then? “Rebels” came!\n\n" * 20)[:size]
    assert word_table(text) == _word_table(text, scan=False) == _word_table(text, scan=True)
    assert sentence_spans(text) == _split_sentences(text, scan=False)


def test_the_character_table_is_the_string_methods():
    table = _bmp_flags()
    expected = np.fromiter((_flags(chr(i)) for i in range(_BMP)), np.uint8, _BMP)
    assert (table == expected).all()
    assert table[ord("A")] != table[ord("a")]  # the flags do tell letters apart


def test_characters_beyond_the_basic_plane_are_classed_by_the_string_methods():
    text = "𝐀b 😀 c 😀𝐀"
    assert char_classes(text).tolist() == [_flags(c) for c in text]


def test_a_text_with_a_nul_is_left_to_the_regular_expression():
    assert word_pieces("a\x00b") is None
    assert _word_table("Kabul\x00Herat", scan=True).surfaces == ["Kabul", "Herat"]


def test_no_words_and_no_text():
    assert word_pieces("") == ([""], [0], [], [], [])
    assert word_pieces(" ,; ") == ([" ,; "], [4], [], [], [])
    assert sentence_ends("") == []
    assert sentence_ends(".") == []
    assert _boundaries("\n\n", scan=True) == [(0, 2)]


@settings(max_examples=1500, deadline=None)
@given(_ASCII_TEXTS | _ABBREVIATED.filter(str.isascii))
def test_the_ascii_pass_finds_the_scans_sentence_ends(text):
    flags = ascii_flags(text)
    assert asciiscan.ascii_sentence_ends(text, flags) == sentence_ends(text)
    for p in range(len(text)):  # the end mark's pattern, read at every position
        m = _END_MARK_RE.match(text, p)
        assert asciiscan.ascii_end_mark(text, flags, p) == (m.end() if m else -1)
    assert _split_sentences(text, scan=True) == _split_sentences(text, scan=False)
