"""The English lexicon's words, read from lemminflect once and kept in the cache folder
(geo.geoparse.words.lexicon_words)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lemminflect import getAllLemmas

from geo.geoparse import words

# invented sentences: dictionary words, names and odd spellings
SENTENCES = (
    "The convoy of vans left Qarabagh before dawn, said Governor Haidari.",
    "Militants shelled the mobile clinic near the Kokcha bridge on Tuesday.",
    "Purées, formulæ and naïve façades: Zarghun's café reopened.",
)


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_CACHE", str(tmp_path))
    words.lexicon_words.cache_clear()
    yield tmp_path
    words.lexicon_words.cache_clear()  # the next tests read the real cache folder again


def _overridden() -> list[str]:
    """The words of lemminflect's own overrides file (pronouns its table lacks)."""
    import lemminflect

    path = Path(lemminflect.__file__).parent / "resources" / "lemma_overrides.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split(",")[0] for line in lines if line and not line.startswith("#")]


def _sample() -> list[str]:
    known = sorted(words.lexicon_words())
    picked = random.Random(7).sample(known, 3000)
    plain = [w.strip(".,:;'") for s in SENTENCES for w in s.split()]
    cased = [w.title() for w in picked[:300]] + [w.upper() for w in picked[:300]]
    return picked + cased + plain + _overridden()


def test_the_kept_words_answer_as_lemminflect_does(fresh_cache):
    sample = _sample()  # made from lemminflect's tables (the cache folder is empty)
    want = [bool(getAllLemmas(w)) for w in sample]
    assert [words.is_dictionary_word(w) for w in sample] == want
    words.lexicon_words.cache_clear()  # and read back from the file
    assert [words.is_dictionary_word(w) for w in sample] == want
    assert any(words.is_dictionary_word(w) for w in sample)
    assert not all(words.is_dictionary_word(w) for w in sample)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzæéïçİ'- ", min_size=1, max_size=12))
def test_any_string_is_answered_as_lemminflect_answers_it(text):
    assert words.is_dictionary_word(text) == bool(getAllLemmas(text))


def test_the_words_are_kept_for_the_next_process(fresh_cache, monkeypatch):
    assert words.is_dictionary_word("mobile") and not words.is_dictionary_word("seattle")
    [kept] = fresh_cache.glob("lexicon-lemminflect-*.json")
    assert "mobile" in json.loads(kept.read_text(encoding="utf-8"))

    words.lexicon_words.cache_clear()

    def boom():
        raise AssertionError("lemminflect read again")

    monkeypatch.setattr(words, "_lemminflect_words", boom)
    assert words.is_dictionary_word("van") and not words.is_dictionary_word("boston")


@pytest.mark.parametrize("content", ["[", "{}", "[]", '["van", 3]'])
def test_a_damaged_file_is_made_again_from_lemminflect(fresh_cache, content):
    words.lexicon_words()
    [kept] = fresh_cache.glob("lexicon-lemminflect-*.json")
    kept.write_text(content, encoding="utf-8")
    words.lexicon_words.cache_clear()
    assert words.is_dictionary_word("mobile") and not words.is_dictionary_word("seattle")
    assert "mobile" in json.loads(kept.read_text(encoding="utf-8"))


def test_a_cache_folder_that_cannot_be_written_only_means_reading_lemminflect(
    tmp_path, monkeypatch
):
    blocked = tmp_path / "a file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("GEOMAP_CACHE", str(blocked / "cache"))
    words.lexicon_words.cache_clear()
    try:
        assert words.is_dictionary_word("mobile") and not words.is_dictionary_word("seattle")
    finally:
        words.lexicon_words.cache_clear()
