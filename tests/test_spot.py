"""geo.geoparse.spot finds the same candidates as the word-by-word scan it replaced."""

from __future__ import annotations

import random

import pytest

from geo.gazetteer import default_gazetteer, is_acronym
from geo.geoparse.spot import (
    CALENDAR,
    JOINERS,
    MAX_WORD_CHARS,
    MAX_WORDS,
    TRUNCATING,
    is_dateline,
    match_run,
    spot,
)
from geo.text import fold, sentence_spans, tokenize, word_table

_GAP = frozenset(" -–‐'’`ʼ")


def _reference(text, tokens, folded, caps, sent_of, gaz):
    """The scan as it was: every word visited in turn (kept here as the oracle)."""
    out = []
    i, n = 0, len(tokens)
    while i < n:
        if not caps[i] or folded[i] in CALENDAR or not folded[i] or len(folded[i]) > MAX_WORD_CHARS:
            i += 1
            continue
        last = i
        while (
            last + 1 < n
            and last - i + 1 < MAX_WORDS
            and sent_of[last + 1] == sent_of[i]
            and len(folded[last + 1]) <= MAX_WORD_CHARS
            and (
                caps[last + 1]
                or folded[last + 1] in JOINERS
                or (folded[last + 1] == "the" and folded[last] == "of")
            )
            and len(gap := text[tokens[last].end : tokens[last + 1].start]) <= 3
            and _GAP.issuperset(gap)
        ):
            last += 1
        acronym = is_acronym(tokens[i].surface) and not is_dateline(
            text, tokens[i].start, tokens[i].end
        )
        found = match_run(tuple(folded[i : last + 1]), tuple(caps[i : last + 1]), acronym, gaz)
        if found is None:
            i += 1
            continue
        j = i + found[0]
        if j < last and folded[j + 1] in TRUNCATING:  # a longer name the gazetteer lacks
            i = last + 1
            continue
        out.append((i, j, tokens[i].start, tokens[j].end, found[2], " ".join(folded[i : j + 1])))
        i = j + 1
    return out


def _spot(text, gaz):
    return spot(text, word_table(text), sentence_spans(text), gaz)


def _words(text):
    """The oracle's inputs, made word by word as before."""
    tokens = tokenize(text)
    folded = [fold(t.surface) for t in tokens]
    spans = sentence_spans(text)
    sent_of, k = [], 0
    for tok in tokens:
        while k + 1 < len(spans) and tok.start >= spans[k + 1][0]:
            k += 1
        sent_of.append(k)
    caps = [t.surface[:1].isupper() for t in tokens]
    return text, tokens, folded, caps, sent_of


# Invented pieces: real place names, joiners, titles, acronyms, calendar words, odd gaps.
_PIECES = [
    "Kunduz",
    "Herat",
    "Mazar-i-Sharif",
    "Qala-i-Naw",
    "Kala - i Nau",
    "Pul-e Khumri",
    "Dasht-e Laili",
    "Sar-e Pol",
    "Kabul",
    "Ghazni",
    "Spin Boldak",
    "Islam Qala",
    "Tehran",
    "New York",
    "Porto do Son",
    "Ciudad del Este",
    "US",
    "NATO",
    "U.S.",
    "UN",
    "Monday",
    "July",
    "Governor",
    "Karim",
    "Sadat",
    "Bank",
    "fighters",
    "the",
    "of",
    "e",
    "i",
    "captured",
    "in",
    "province",
    "city",
    "near",
    "and",
    "Taliban",
    "Afghan",
    "Iran's",
    "Qal'eh-ye Now",
    "KABUL,",
    "Badghis",
    "Faryab",
    "Jowzjan",
    "Lashkar Gah",
    "—",
    ",",
    "Helmand River",
    "Deir ez-Zor",
    "Ain al-Arab",
    "al",
    "Democratic Republic of the Congo",
    "Kandahar Air Field",
    "Uzbek",
    "Tajik",
    "Georgia",
    "Hamilton",
]


def _invented(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 12)):
        words = [rng.choice(_PIECES) for _ in range(rng.randint(3, 14))]
        sep = rng.choice([" ", " ", " ", "-", "  ", "\n"])
        sentences.append(sep.join(words) + rng.choice([".", "!", "?", ".\n\n"]))
    return " ".join(sentences)


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


def test_spotter_equals_the_word_by_word_scan_on_invented_text(gaz):
    rng = random.Random(11)
    found = 0
    for _ in range(300):
        text = _invented(rng)
        got = [(m.i, m.j, m.start, m.end, m.match, m.key) for m in _spot(text, gaz)]
        assert got == _reference(*_words(text), gaz)
        found += len(got)
    assert found > 3000  # the invented texts are full of names


def test_spotter_keeps_runs_joiners_and_datelines(gaz):
    text = "KABUL, July 5 — Fighters left Mazar-i-Sharif for Pul-e Khumri and the US."
    mentions = _spot(text, gaz)
    got = [(text[m.start : m.end], m.match) for m in mentions]
    assert ("KABUL", "exact") in got  # a dateline in capitals is a place, not an acronym
    assert ("Mazar-i-Sharif", "exact") in got and ("Pul-e Khumri", "exact") in got
    assert ("US", "acronym") in got
    assert not any(t == "July" for t, _ in got)


@pytest.mark.pure
def test_a_word_longer_than_any_name_is_not_looked_up(monkeypatch):
    # A hostile "word" of 200,000 letters: the spotter passes it by, so no look-up or
    # comparison (difflib is quadratic) ever sees it; a real name after it is found.
    import importlib

    spot_module = importlib.import_module("geo.geoparse.spot")
    seen = []
    real = spot_module.match_run

    def recording(words, caps, acronym, gaz):
        seen.append(max(map(len, words)))
        return real(words, caps, acronym, gaz)

    monkeypatch.setattr(spot_module, "match_run", recording)
    text = "K" + "a" * 200_000 + " fell. Fighting reached Kunduz."
    from geo.gazetteer import Gazetteer

    found = _spot(text, Gazetteer.load())  # its own look-up caches: every run is looked up
    assert [text[m.start : m.end] for m in found] == ["Kunduz"]
    assert seen and max(seen) <= MAX_WORD_CHARS
