"""Small lists of English words the geoparser's rules read (no place names).

Titles come before a person's name; organisation words make the capitalised name
next to them an organisation, team, medium or unit; cue words say what kind of place
a name is; feature words make one place of a name and what follows it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

# Titles and roles that come before a person's name ("Governor X", "coach X").
TITLES: Final = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "prof",
        "professor",
        "rev",
        "gen",
        "general",
        "col",
        "colonel",
        "lt",
        "lieutenant",
        "maj",
        "major",
        "capt",
        "captain",
        "sgt",
        "sergeant",
        "cpl",
        "corporal",
        "cmdr",
        "commander",
        "brig",
        "brigadier",
        "adm",
        "admiral",
        "marshal",
        "officer",
        "governor",
        "gov",
        "president",
        "vice",
        "premier",
        "chancellor",
        "minister",
        "pm",
        "ambassador",
        "envoy",
        "consul",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chief",
        "mullah",
        "mawlawi",
        "maulvi",
        "mawlana",
        "haji",
        "hajji",
        "sheikh",
        "shaikh",
        "sayed",
        "syed",
        "ayatollah",
        "pope",
        "bishop",
        "pastor",
        "imam",
        "amir",
        "emir",
        "king",
        "queen",
        "prince",
        "princess",
        "senator",
        "sen",
        "congressman",
        "congresswoman",
        "rep",
        "mp",
        "judge",
        "deputy",
        "secretary",
        "chairman",
        "chairwoman",
        "mayor",
        "trustee",
        "councillor",
        "councilman",
        "lord",
        "saint",
        "father",
        "coach",
        "manager",
        "goalkeeper",
        "striker",
        "agent",
        "actor",
        "actress",
        "singer",
        "reporter",
        "correspondent",
        "analyst",
    ]
)
# Words after a capitalised name that make it an organisation, a medium, a team, a
# unit or an event ("Kabul Bank", "X Police Department", "X Operations Command",
# "X People's Liberation Front", "X Award"), looked for among the next few
# capitalised words.
ORG_WORDS: Final = frozenset(
    [
        "bank",
        "university",
        "college",
        "institute",
        "school",
        "academy",
        "airlines",
        "airways",
        "times",
        "post",
        "tribune",
        "herald",
        "gazette",
        "news",
        "daily",
        "today",
        "express",
        "observer",
        "chronicle",
        "journal",
        "telegraph",
        "monitor",
        "radio",
        "tv",
        "television",
        "channel",
        "broadcasting",
        "media",
        "club",
        "company",
        "corporation",
        "corp",
        "group",
        "agency",
        "press",
        "ltd",
        "inc",
        "llc",
        "fc",
        "united",
        "foundation",
        "council",
        "committee",
        "commission",
        "party",
        "movement",
        "front",
        "network",
        "declaration",
        "accord",
        "agreement",
        "process",
        "format",
        "summit",
        "conference",
        "talks",
        "department",
        "police",
        "command",
        "brigade",
        "brigades",
        "regiment",
        "battalion",
        "division",
        "corps",
        "army",
        "forces",
        "militia",
        # a criminal group named after its home ("the X Cartel")
        "cartel",
        "authority",
        "ministry",
        "assembly",
        "parliament",
        "award",
        "awards",
        "prize",
        "festival",
        "days",
        "arena",
        "stadium",
        "league",
        "cup",
    ]
)
# Words before a capitalised name that make it a medium or a team ("Radio X", "FC X").
ORG_PREFIXES: Final = frozenset({"radio", "fc", "tv", "ac", "sc", "sporting", "athletic", "real"})
# Words that make a name an admin-1 region: "X province", "the governor of X", and the
# names other countries give their first-level units ("X oblast", "X region", "X state").
PROVINCE_CUES: Final = frozenset(
    {"province", "provinces", "provincial", "governor", "governorate", "oblast", "region", "state"}
)
# Words after a name that make it a region, not a people ("Somali region", "Chin State").
REGION_WORDS: Final = frozenset(
    {"province", "provinces", "provincial", "governorate", "region", "state", "oblast"}
)
# Words of nature after a name: "the X valley" is the valley named after X.
NATURE_WORDS: Final = frozenset(
    {"valley", "river", "mountains", "basin", "plain", "plains", "desert"}
)
# Nouns of a religious, ethnic or political group's people and places: a word before one
# is the group's adjective ("X fighters", "the X community", "X shrines"), a place only
# by its own main name (a town's alternate spelling is not enough: "Yazidi" is no Yazd).
GROUP_NOUNS: Final = frozenset(
    {
        "community",
        "communities",
        "minority",
        "minorities",
        "sect",
        "sects",
        "militants",
        "militia",
        "militias",
        "militiamen",
        "fighters",
        "rebels",
        "insurgents",
        "guerrillas",
        "separatists",
        "tribes",
        "tribesmen",
        "clerics",
        "elders",
        "leaders",
        "followers",
        "worshippers",
        "pilgrims",
        "faithful",
        "shrines",
        "mosques",
        "temples",
        "families",
        "survivors",
    }
)
CITY_CUES: Final = frozenset({"city", "town", "village", "capital", "district"})
BASE_CUES: Final = frozenset({"airbase", "airport", "airfield", "base"})
# Words for a feature of a place: "Panjshir Valley", "Kandahar Airfield" are one place.
FEATURE_WORDS: Final = frozenset(
    [
        "valley",
        "river",
        "airfield",
        "airport",
        "airbase",
        "base",
        "pass",
        "gorge",
        "mountains",
        "mountain",
        "range",
        "lake",
        "dam",
        "road",
        "highway",
        "bridge",
        "gate",
        "square",
        "border",
        "crossing",
        "district",
        "province",
        "city",
        "town",
        "village",
        "camp",
        "prison",
        "market",
    ]
)
# Compass and size words that start a region's name ("Eastern Ukraine"): not a person.
DIRECTIONS: Final = frozenset(
    [
        "north",
        "northern",
        "south",
        "southern",
        "east",
        "eastern",
        "west",
        "western",
        "central",
        "northeast",
        "northeastern",
        "northwest",
        "northwestern",
        "southeast",
        "southeastern",
        "southwest",
        "southwestern",
        "upper",
        "lower",
        "greater",
    ]
)
# Suffixes of demonyms made from a country's name (Kenya-n, Iraq-i, Syria-n, Leban-ese).
DEMONYM_SUFFIXES: Final = ("n", "an", "ian", "i", "ese", "ish", "ic", "ean", "")
# Prepositions and conjunctions of four letters or more, which a headline in title case
# may leave in lower case ("Rebels Seize Town near River").
LINKING_WORDS: Final = frozenset(
    {"about", "above", "across", "after", "against", "along", "amid", "amidst", "among"}
    | {"amongst", "around", "before", "behind", "below", "beneath", "beside", "besides"}
    | {"between", "beyond", "despite", "down", "during", "except", "from", "inside", "into"}
    | {"like", "near", "onto", "outside", "over", "past", "since", "than", "that", "then"}
    | {"through", "throughout", "till", "toward", "towards", "under", "unless", "until"}
    | {"upon", "versus", "when", "where", "while", "with", "within", "without", "says"}
)


def is_dictionary_word(word: str) -> bool:
    """Whether a (folded) word is in lemminflect's English lexicon: "van", "mobile" are;
    a frequent proper name ("boston", "washington") is not. The same answer as
    ``bool(lemminflect.getAllLemmas(word))``, from the lexicon's words kept in the cache
    folder (:func:`lexicon_words`).

    Examples
    --------
    >>> is_dictionary_word("mobile"), is_dictionary_word("seattle")
    (True, False)
    """
    return word.lower() in lexicon_words()


def warm_lexicon() -> None:
    """Read the lexicon's words now, as :func:`is_dictionary_word` does on its first call:
    a pool's parent does it before it forks, so that its workers share one copy instead of
    each reading its own (``geo.parallel``)."""
    lexicon_words()


@lru_cache(maxsize=1)
def lexicon_words() -> frozenset[str]:
    """Every word lemminflect's lexicon gives a lemma for (in any part of speech, its
    overrides too), as ``getAllLemmas`` looks them up.

    lemminflect reads its tables on its first call: ~0.57 s of CPU and ~37 MB in each
    process. The ~70,000 words are kept in the cache folder as a JSON list, named by
    lemminflect's version (data only: a damaged file is read as missing), and read in
    ~0.03 s; the file is made from lemminflect's tables the first time, and written whole
    or not at all (a read-only cache folder only means reading lemminflect each time).
    """
    from importlib.metadata import version

    from geo.gazetteer.store import cache_dir
    from geo.kept import keep_json, kept_json

    path = cache_dir() / f"lexicon-lemminflect-{version('lemminflect')}.json"
    raw = kept_json(path)
    if isinstance(raw, list) and raw and all(isinstance(w, str) for w in raw):
        return frozenset(raw)
    words = _lemminflect_words()
    keep_json(sorted(words), path)
    return words


def _lemminflect_words() -> frozenset[str]:
    """The words of lemminflect's lemma table and overrides that have a lemma (its own
    ``getAllLemmas`` reads them, merged, after lower-casing the word)."""
    from lemminflect import Lemmatizer

    lemmatizer = Lemmatizer()
    table = lemmatizer._getLemmaDict()
    overrides = lemmatizer._getOverridesDict()
    return frozenset(w for w in {*table, *overrides} if table.get(w) or overrides.get(w))
