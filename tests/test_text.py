import pytest

from geo.text import name_key, sentence_spans, tokenize, translit_key

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
