"""The word rules of events: ``data/event_rules.csv`` read into patterns.

A rule names its verbs by lemma and particles ("take over", "push … from",
"fall into … hands"): :func:`verb_forms` generates every inflection of the
lemma with `lemminflect <https://pypi.org/project/lemminflect/>`_ (present,
third person, past, participle, gerund), so "take over" also reads "takes
over", "took over", "has taken over", "is taken over" and "taking over".
``…`` in a phrase stands for one to four words ("pushed the rebels from").
Nouns and fixed phrases that are not verbs ("the fall of", "under … control")
are in the ``words`` column as regular expressions.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lemminflect import getAllInflections, getAllLemmas

from geo.gates import SHARED_PASS, StartIndex, find_all
from geo.resources import data_path

__all__ = [
    "EFFECTS",
    "EVENT_RULES_CSV",
    "EVENT_TYPES",
    "EventRule",
    "RuleMatcher",
    "load_event_rules",
    "phrase_pattern",
    "rule_matcher",
    "verb_forms",
]

EVENT_RULES_CSV = data_path("event_rules.csv")
EVENT_TYPES = (
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Riots",
    "Protests",
    "Strategic developments",
)
EFFECTS = ("capture", "fight", "repel", "talks", "withdraw", "none")
# ``subject``: the place is the subject right before the words, joined to them by nothing
# but "is", "has been", "still", a comma ("X, held by the rebels"; not "talks in X were
# held by the UN")
PLACES = ("near", "object", "subject")
# Where a rule's agent is named: ``before`` the words (their subject), ``after`` them
# ("fell to X", "captured by X"), or ``loser``: after them, the subject being the side
# that loses ("the army lost control of X to Y"), so the agent is never taken from the
# subject nor, unnamed, from an earlier sentence.
ACTORS = ("before", "after", "loser")
# "…" in a phrase: one to four words (an object between a verb and its particle).
_GAP = r"(?:[\w'’.-]+\s+){1,4}?"


@dataclass(frozen=True)
class EventRule:
    """One row of ``data/event_rules.csv``.

    Attributes
    ----------
    pattern : re.Pattern
        The rule's words: generated verb forms and the ``words`` expressions.
    event_type, sub_event_type : str
        ACLED's type and sub-type.
    effect : str
        What the event does to control (one of :data:`EFFECTS`).
    place : str
        ``object`` (the place the words act on), ``subject`` (the place right before the
        words, their subject) or ``near`` (the nearest place).
    actor : str
        ``before`` (the subject), ``after`` ("fell to X", "in the hands of X") or
        ``loser`` ("lost control of X to Y": the subject is the side that loses).
    actor_kinds : frozenset of str
        Kinds of actor the rule needs (empty: any, or none named).
    note : str
        Why the rule is there.
    partial : bool
        The words never take a whole place ("entered the city": fighting inside it).
    """

    pattern: re.Pattern[str]
    event_type: str
    sub_event_type: str
    effect: str
    place: str
    actor: str
    actor_kinds: frozenset[str]
    note: str
    partial: bool = False
    #: the ``words`` expression alone (``None`` without one)
    words_pattern: re.Pattern[str] | None = None
    #: the generated verb forms alone (``None`` without verbs)
    verbs_pattern: re.Pattern[str] | None = None
    #: every written form of the verbs' first word: a sentence without any skips them
    first_words: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)
def verb_forms(lemma: str) -> tuple[str, ...]:
    """Every written form of an English verb, from its lemma.

    The forms are lemminflect's; they are also kept in a small JSON file in geomap's
    cache folder (one per lemminflect version), because lemminflect reads its whole
    table of 40,000 words (about a second) to give the first of them.

    Examples
    --------
    >>> verb_forms("overrun")
    ('overran', 'overrun', 'overrunning', 'overruns')
    >>> "fled" in verb_forms("flee")
    True
    """
    lemma = lemma.lower()
    kept = _kept_forms()
    if lemma in kept:
        return kept[lemma]
    forms = _inflect(lemma)
    kept[lemma] = forms
    _KEPT_CHANGED.append(lemma)
    return forms


def _inflect(lemma: str) -> tuple[str, ...]:
    forms = {lemma}
    for values in getAllInflections(lemma, upos="VERB").values():
        forms.update(v.lower() for v in values)
    if len(forms) == 1 and not getAllLemmas(lemma, upos="VERB"):
        raise ValueError(f"{lemma!r} is not an English verb lemminflect knows")
    return tuple(sorted(forms))


# the verb forms file: lemmas newly inflected in this process, to write back
_KEPT_CHANGED: list[str] = []


def _forms_file() -> Path:
    from importlib.metadata import version

    from geo.gazetteer.store import cache_dir

    return cache_dir() / f"verb_forms-lemminflect-{version('lemminflect')}.json"


@lru_cache(maxsize=1)
def _kept_forms() -> dict[str, tuple[str, ...]]:
    """The verb forms file, read once (data only: a damaged file is left unread)."""
    from geo.kept import kept_json

    raw = kept_json(_forms_file())
    if not isinstance(raw, dict):
        return {}
    return {
        k: tuple(v)
        for k, v in raw.items()
        if isinstance(k, str) and isinstance(v, list) and v and all(isinstance(f, str) for f in v)
    }


def _keep_forms() -> None:
    """Write the verb forms file when this process inflected new lemmas (best effort:
    a read-only cache folder only means lemminflect is read again next time)."""
    if not _KEPT_CHANGED:
        return
    from geo.kept import keep_json

    if keep_json(dict(sorted(_kept_forms().items())), _forms_file()):
        _KEPT_CHANGED.clear()


def phrase_pattern(phrase: str) -> str:
    """A regular expression for a verb phrase given by lemma and particles.

    The first word is the verb's lemma; the other words are written as they are
    (``…`` is a gap of one to four words). A lemma written ``re-take`` also reads
    "retook" and "re-took".

    Examples
    --------
    >>> import re
    >>> p = re.compile(phrase_pattern("push … from"), re.I)
    >>> bool(p.fullmatch("pushed the militants from"))
    True
    >>> bool(re.compile(phrase_pattern("fall to"), re.I).fullmatch("has fallen to"))
    False
    """
    words = phrase.split()
    if not words:
        raise ValueError("empty verb phrase")
    head = words[0].lower()
    prefix = ""
    if head.startswith("re-"):
        prefix, head = "re-?", head[3:]
    forms = "|".join(re.escape(f) for f in sorted(verb_forms(head), key=len, reverse=True))
    out = [f"{prefix}(?:{forms})"]
    for w in words[1:]:
        out.append(_GAP if w in ("…", "...") else re.escape(w) + r"\s+")
    pattern = out[0] + (r"\s+" + "".join(out[1:]) if len(out) > 1 else "")
    return pattern.removesuffix(r"\s+")


def rule_matches(rule: EventRule, sentence: str, words: set[str]) -> list[re.Match[str]]:
    """The rule's matches in ``sentence``: its ``words`` first, then its verbs when one of
    their forms is among ``words`` (the sentence's lower-case words), in that order."""
    out = list(rule.words_pattern.finditer(sentence)) if rule.words_pattern else []
    if rule.verbs_pattern is not None and not rule.first_words.isdisjoint(words):
        out += rule.verbs_pattern.finditer(sentence)
    if rule.words_pattern is None and rule.verbs_pattern is None:
        out = list(rule.pattern.finditer(sentence))
    return out


# the sentence's words, for the verbs' first-word test of :func:`rule_matches`: an
# apostrophe or hyphen only inside a word, so a verb in scare quotes ('secured', ‘seized’)
# is still the verb
_WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")
_WORD_CHAR = re.compile(r"\w")


def _word_at(sentence: str, at: int, forms: frozenset[str]) -> bool:
    """Whether one of ``sentence.lower()``'s words (``_WORD_RE``) begins at ``at`` and is
    one of ``forms`` (lower-case ASCII verb forms), without splitting the sentence.

    A word begins at ``at`` unless a word character, or an apostrophe or hyphen after
    one, comes before it. Lower-casing keeps such a word and its bounds: no character
    outside a word lower-cases to one (``tests/test_prefilter.py`` checks every code point).
    """
    if at > 0:
        before = sentence[at - 1]
        if _WORD_CHAR.match(before) is not None:
            return False
        if before in "'’-" and at > 1 and _WORD_CHAR.match(sentence[at - 2]) is not None:
            return False
    m = _WORD_RE.match(sentence, at)
    return m is not None and m.group(0).lower() in forms


class RuleMatcher:
    """The rules' matches in a sentence, as :func:`rule_matches` finds them, sooner.

    The ``words`` and verb expressions of all rules sit in one
    :class:`geo.gates.StartIndex`: one pass over a sentence says where each can start,
    and each runs only there (most sentences of a long report hold no start of any); the
    sentence's words are split only when a verb may match. The matches are the same as
    :func:`rule_matches`', rule by rule.

    Parameters
    ----------
    rules : sequence of EventRule
    """

    def __init__(self, rules: Sequence[EventRule]) -> None:
        self.rules = list(rules)
        slots: list[re.Pattern[str] | None] = []
        for rule in self.rules:
            plain = rule.words_pattern is None and rule.verbs_pattern is None
            slots += [rule.pattern if plain else rule.words_pattern, rule.verbs_pattern]
        # where each expression's matches can start, in one automaton: it is tried there
        # alone, and only in a sentence where it can start
        self._starts = StartIndex(slots, group=SHARED_PASS, keep=True)
        self._slots = slots
        # a sentence read again (a report's repeated wording) costs a look-up
        self._found = lru_cache(maxsize=4096)(self._matches)

    def matches(self, sentence: str) -> list[tuple[EventRule, list[re.Match[str]]]]:
        """``(rule, matches)`` for each rule that matches, in the rules' order."""
        return [(rule, list(ms)) for rule, ms in self._found(sentence)]

    def found(self, sentence: str) -> tuple[tuple[EventRule, tuple[re.Match[str], ...]], ...]:
        """:meth:`matches` as the matcher keeps them (tuples, shared by every caller that
        asks about the same sentence: not to be changed)."""
        return self._found(sentence)

    def _matches(self, sentence: str) -> tuple[tuple[EventRule, tuple[re.Match[str], ...]], ...]:
        starts, active = self._starts.scan(sentence)
        if not starts and not active:
            return ()
        active.update(starts)
        out = []
        words: set[str] | None = None
        for k in sorted({slot >> 1 for slot in active}):
            rule = self.rules[k]
            got: list[re.Match[str]] = []
            if 2 * k in active:  # the words (or, for a rule without either, its pattern)
                got = self._find(2 * k, sentence, starts)
            if 2 * k + 1 in active and rule.verbs_pattern is not None:
                # the verbs run only in a sentence that holds a form of their first word
                # (rule_matches); tried at their starts alone, they are cheaper than the
                # sentence's words, which are then split only when a verb matched
                anchored = self._starts.anchored[2 * k + 1]
                verbs = self._find(2 * k + 1, sentence, starts) if anchored else None
                if verbs:
                    # most often a verb found is itself such a word: asked at the verbs'
                    # own positions, the sentence need not be split
                    forms = rule.first_words
                    if any(_word_at(sentence, m.start(), forms) for m in verbs):
                        got += verbs
                        verbs = []
                if verbs is None or verbs:
                    if words is None:
                        words = set(_WORD_RE.findall(sentence.lower()))
                    if not rule.first_words.isdisjoint(words):
                        got += (
                            verbs if verbs is not None else self._find(2 * k + 1, sentence, starts)
                        )
            if got:
                out.append((rule, tuple(got)))
        return tuple(out)

    def _find(self, slot: int, sentence: str, starts: dict[int, list[int]]) -> list[re.Match[str]]:
        """The matches of one slot's expression, tried where they can start."""
        pattern = self._slots[slot]
        assert pattern is not None  # an active slot has an expression
        if self._starts.anchored[slot]:
            return find_all(pattern, sentence, starts.get(slot, _NONE))
        return list(pattern.finditer(sentence))


_NONE: list[int] = []  # no start of an expression in the sentence


@lru_cache(maxsize=8)
def rule_matcher(rules: tuple[EventRule, ...]) -> RuleMatcher:
    """The :class:`RuleMatcher` of a set of rules (built once per set)."""
    return RuleMatcher(rules)


def load_event_rules(path: str | Path | None = None) -> list[EventRule]:
    """Read the word rules (``data/event_rules.csv`` unless another file is given).

    Raises
    ------
    ValueError
        A missing column, an event type outside ACLED's six, an unknown effect, a verb
        lemminflect does not know or a bad regex.

    Examples
    --------
    >>> rules = load_event_rules()
    >>> sorted({r.event_type for r in rules}) == sorted(EVENT_TYPES)
    True
    """
    return list(_rules_cached(str(path or EVENT_RULES_CSV)))


_NEED = {
    "verbs",
    "words",
    "event_type",
    "sub_event_type",
    "effect",
    "place",
    "actor",
    "actor_kinds",
    "note",
}


@lru_cache(maxsize=8)
def _rules_cached(path: str) -> tuple[EventRule, ...]:
    rules = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = _NEED - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)!r}")
        for lineno, row in enumerate(reader, start=2):
            rules.append(_rule(row, f"{path}:{lineno}"))
    _keep_forms()
    return tuple(rules)


def _rule(row: dict[str, str], where: str) -> EventRule:
    if row["event_type"] not in EVENT_TYPES:
        raise ValueError(f"{where}: event_type {row['event_type']!r} is not one of {EVENT_TYPES}")
    if row["effect"] not in EFFECTS:
        raise ValueError(f"{where}: effect {row['effect']!r} is not one of {EFFECTS}")
    if row["place"] not in PLACES or row["actor"] not in ACTORS:
        raise ValueError(f"{where}: place must be one of {PLACES} and actor one of {ACTORS}")
    alternatives = []
    # the words first: "fall of" must win over the verb "fall"
    words = (row["words"] or "").strip()
    if words:
        alternatives.append(words)
    try:
        # longest phrases first, so "take control of" wins over "take"
        phrases = sorted(
            (p.strip() for p in (row["verbs"] or "").split(";") if p.strip()), key=len, reverse=True
        )
        verbs = [phrase_pattern(p) for p in phrases]
        first: set[str] = set()
        for p in phrases:
            head = p.split()[0].lower()
            forms = verb_forms(head.removeprefix("re-"))
            first.update(forms)
            if head.startswith("re-"):
                first.update(["re" + f for f in forms] + ["re-" + f for f in forms])
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from err
    alternatives += verbs
    if not alternatives:
        raise ValueError(f"{where}: a rule needs verbs or words")
    text = "|".join(f"(?:{a})" for a in alternatives)
    try:
        pattern = re.compile(rf"(?<![\w-])(?:{text})(?![\w-])", re.I)
    except re.error as err:
        raise ValueError(f"{where}: bad pattern {text!r}: {err}") from err
    kinds = frozenset(k.strip() for k in row["actor_kinds"].split(",") if k.strip())
    words_pattern = re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.I) if words else None
    verbs_text = "|".join(f"(?:{v})" for v in verbs)
    verbs_pattern = re.compile(rf"(?<![\w-])(?:{verbs_text})(?![\w-])", re.I) if verbs else None
    return EventRule(
        pattern,
        row["event_type"],
        row["sub_event_type"],
        row["effect"],
        row["place"],
        row["actor"],
        kinds,
        row["note"],
        (row.get("partial") or "").strip().lower() in ("yes", "true", "1"),
        words_pattern,
        verbs_pattern,
        frozenset(first),
    )
