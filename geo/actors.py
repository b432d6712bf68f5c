"""Naming the actors of events the way ACLED does.

The words a report uses ("militants", "security forces", "the governor",
"US and NATO forces") are mapped to ACLED-style actor names by a data table,
``data/actors.csv``: one regular expression per row, the actor it names, the
actor's ``kind`` (``non_state``, ``state``, ``foreign``, ``civilians``,
``host``), the ``side`` it fights for (used for territorial control) and a
note saying why. Rows are tried in file order; a later row never matches words
an earlier row already took, so specific phrases ("Taliban officials") come
before generic ones ("officials").

``{country}`` in an actor name is filled with the name of the country the event
happens in (from the place's ISO code), so "police" in a report about Kunduz is
``Police Forces of Afghanistan`` and the host of talks in Tehran is
``Government of Iran``: no country is wired into the code. Words for an unnamed armed
group ("militants", "rebels") give ``Unidentified Armed Group ({country})`` here;
:mod:`geo.events` then names them after the armed group the report itself names.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.gates import SHARED_PASS, StartIndex, search_from
from geo.nationals import (
    NATIONAL,
    country_name,
    national_head,
    national_pattern,
    national_words,
)

__all__ = [
    "ACTORS_CSV",
    "ActorMention",
    "ActorRule",
    "ActorTable",
    "find_actors",
    "host_actor",
    "load_actors",
    "warm_actors",
]

ACTORS_CSV = __import__("geo.resources").resources.data_path("actors.csv")
#: ``national``: a row whose pattern holds ``{national}`` (a country's adjective or its
#: name with "'s"); it names the forces of that country, the state's own forces when the
#: event is in that country, else foreign forces (:meth:`ActorTable.find`).
KINDS = ("non_state", "state", "foreign", "civilians", "host", "national")


@dataclass(frozen=True)
class ActorRule:
    """One row of the actors table."""

    pattern: re.Pattern[str] | None
    actor: str
    kind: str
    side: str
    note: str
    #: ISO alpha-2 code: the row applies only to events in that country ("" = anywhere).
    country: str = ""
    #: A looser expression for the literal gate (``None``: the pattern itself). A
    #: ``national`` row's words are an alternation of thousands of names, too costly to
    #: analyse; its gate is the nouns every match holds.
    gate: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in a sentence.

    Attributes
    ----------
    actor : str
        ACLED-style name, e.g. ``Taliban`` or ``Military Forces of Afghanistan``.
    kind : str
        ``non_state``, ``state``, ``foreign``, ``civilians`` or ``host``.
    side : str
        Whom the actor fights for: the value used as ``controller`` in control maps.
    start, end : int
        Offsets of the words in the sentence.
    text : str
        The words as written.
    """

    actor: str
    kind: str
    side: str
    start: int
    end: int
    text: str


@lru_cache(maxsize=4096)
def _fill(template: str, country: str | None) -> str:
    return template.replace("{country}", country_name(country))


class ActorTable:
    """The rules that turn words into actors, read from a CSV file.

    Parameters
    ----------
    rules : list of ActorRule
    """

    def __init__(self, rules: list[ActorRule]) -> None:
        self.rules = rules
        self._host = next((r for r in rules if r.kind == "host"), None)
        # the literal gates of every row in one automaton (a row's gate is its own, so
        # the rows of a country are those of its rows the automaton lets through)
        # where each row's matches can start, in one automaton: a row is tried there, not
        # at every position, and only in a sentence where it can start (a row whose start
        # is not known runs where the automaton finds a literal of its gate, its own)
        self._starts = StartIndex(
            [r.pattern for r in rules], [r.gate for r in rules], group=SHARED_PASS, keep=True
        )
        # per country: its rows, their positions among the table's rows, whether each
        # row's own pattern can stand for its alternative, and the rows' table positions
        self._by_country: dict[str, tuple[list[ActorRule], dict[int, int], bool, list[int]]] = {}
        self._combos: dict[tuple[str, tuple[int, ...]], re.Pattern[str]] = {}
        # the actors of a sentence depend only on its words and the country: a sentence
        # read again (a report's repeated wording, a long report's refrain) costs a look-up
        self._found = lru_cache(maxsize=_MAX_SENTENCES)(self._find)

    @classmethod
    def from_csv(cls, path: str | Path) -> ActorTable:
        """Read an actors table with columns ``pattern, actor, kind, side, note``, and
        optionally ``country`` (the row applies only to events in that country).

        Raises
        ------
        ValueError
            If a column is missing, a kind is unknown or a pattern is not a valid regex.
        """
        rules: list[ActorRule] = []
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"pattern", "actor", "kind", "side", "note"} - set(reader.fieldnames or ())
            if missing:
                raise ValueError(f"{path}: missing columns {sorted(missing)!r}")
            for lineno, row in enumerate(reader, start=2):
                if row["kind"] not in KINDS:
                    raise ValueError(f"{path}:{lineno}: kind {row['kind']!r} is not one of {KINDS}")
                pattern = gate = None
                if row["kind"] != "host":
                    text = row["pattern"]
                    if row["kind"] == "national":
                        loose = text.replace(NATIONAL, ".*?")
                        gate = re.compile(rf"(?<![\w-])(?:{loose})(?![\w-])", re.I)
                        text = national_pattern(text)
                    try:
                        pattern = re.compile(rf"(?<![\w-])(?:{text})(?![\w-])", re.I)
                    except re.error as err:
                        raise ValueError(
                            f"{path}:{lineno}: bad pattern {row['pattern']!r}: {err}"
                        ) from err
                rules.append(
                    ActorRule(
                        pattern,
                        row["actor"],
                        row["kind"],
                        row["side"],
                        row["note"],
                        (row.get("country") or "").strip().upper(),
                        gate,
                    )
                )
        return cls(rules)

    def find(self, sentence: str, *, country: str | None = None) -> list[ActorMention]:
        """Actors named in ``sentence``, in text order, without overlapping matches.

        Parameters
        ----------
        sentence : str
        country : str, optional
            ISO alpha-2 code of the country the event happens in, for ``{country}``.
        """
        return list(self._found(sentence, country))

    def _find(self, sentence: str, country: str | None) -> tuple[ActorMention, ...]:
        # At each position the first row (in file order) that matches wins, as one
        # combined alternation would find them, so a specific phrase ("Taliban
        # officials") listed before a generic one ("officials") takes the words.
        found: list[ActorMention] = []
        for rule, m in self._matches(sentence, country or ""):
            if rule.kind == "national":
                found.append(_national(rule, m, country))
                continue
            found.append(
                ActorMention(
                    _fill(rule.actor, country),
                    rule.kind,
                    _fill(rule.side, country),
                    m.start(),
                    m.end(),
                    m.group(0),
                )
            )
        return tuple(found)

    def _rows(self, country: str) -> tuple[list[ActorRule], dict[int, int], bool, list[int]]:
        got = self._by_country.get(country)
        if got is None:
            keep = [
                i
                for i, r in enumerate(self.rules)
                if r.pattern is not None and r.country in ("", country)
            ]
            rows = [self.rules[i] for i in keep]
            # each row's own pattern is its alternative of the combined one when it was
            # read by from_csv (the word-boundary wrapper, case-insensitive)
            own = all(
                r.pattern is not None
                and r.pattern.flags & re.I
                and _bare(r.pattern.pattern) != r.pattern.pattern
                for r in rows
            )
            got = (rows, {i: k for k, i in enumerate(keep)}, own, keep)
            self._by_country[country] = got
        return got

    def _matches(self, sentence: str, country: str) -> list[tuple[ActorRule, re.Match[str]]]:
        """The rows' matches, leftmost first, the earliest row in file order at a position.

        Only the rows that can start somewhere in the sentence (or, for a row whose starts
        are not known, whose literal gate lets it through) can match anywhere in it. Each
        of those searches on its own from the current position; the earliest
        match wins, ties going to the row listed first; the scan goes on after it. That is
        what one alternation of the rows in file order finds, without compiling one per
        set of rows.
        """
        rules, local, own, keep = self._rows(country)
        starts, loose = self._starts.scan(sentence)
        active = [local[i] for i in starts if i in local]
        active += [local[i] for i in loose if i in local]
        if not active:
            return []
        active.sort()
        if not own:
            return self._combined_matches(sentence, country, rules, active)
        out: list[tuple[ActorRule, re.Match[str]]] = []
        ahead: dict[int, re.Match[str] | None] = {}
        # each row is tried only where one of its matches can start (geo.gates)
        anchored = self._starts.anchored
        pos = 0
        while True:
            best: tuple[int, re.Match[str]] | None = None
            for i in active:
                m = ahead.get(i)
                if i not in ahead or (m is not None and m.start() < pos):
                    pattern = rules[i].pattern
                    assert pattern is not None  # rows without one are not a country's
                    t = keep[i]
                    if anchored[t]:
                        m = search_from(pattern, sentence, starts.get(t, _NONE), pos)
                    else:
                        m = pattern.search(sentence, pos)
                    ahead[i] = m
                if m is not None and (best is None or m.start() < best[1].start()):
                    best = (i, m)
            if best is None:
                return out
            i, m = best
            if m.end() == m.start():  # an empty match: leave it to the combined pattern
                return self._combined_matches(sentence, country, rules, active)
            out.append((rules[i], m))
            pos = m.end()

    def _combined_matches(
        self, sentence: str, country: str, rules: list[ActorRule], active: list[int]
    ) -> list[tuple[ActorRule, re.Match[str]]]:
        """The same matches from one alternation of the active rows (compiled, kept)."""
        key = (country, tuple(active))
        pattern = self._combos.get(key)
        if pattern is None:
            if len(self._combos) >= _MAX_COMBOS:
                self._combos.clear()
            inner = "|".join(
                f"(?P<r{i}>{_bare(p.pattern)})(?![\\w-])"
                for i in active
                if (p := rules[i].pattern) is not None
            )
            # the word-start test once for all rows: positions inside a word fail at once
            pattern = re.compile(rf"(?<![\w-])(?:{inner})", re.I)
            self._combos[key] = pattern
        return [(rules[int(str(m.lastgroup)[1:])], m) for m in pattern.finditer(sentence)]

    def host(self, country: str | None) -> ActorMention | None:
        """The host-state actor for talks held in ``country`` (offsets are -1)."""
        if self._host is None or not country:
            return None
        name = _fill(self._host.actor, country)
        return ActorMention(name, "host", _fill(self._host.side, country), -1, -1, "")

    def kind_of(self, actor: str) -> str | None:
        """The kind of an actor name this table produces (``None`` if unknown)."""
        for rule in self.rules:
            template = re.escape(rule.actor).replace(re.escape("{country}"), ".+")
            if re.fullmatch(template, actor):
                return "state" if rule.kind == "national" else rule.kind
        return None


def _national(rule: ActorRule, m: re.Match[str], country: str | None) -> ActorMention:
    """The state a ``national`` row's words name ("Iraqi forces", "Russia's defence
    ministry"): its own at home (the row's actor and side for the event's country), a
    foreign state abroad ("Israeli troops" in Gaza: the row's actor for that country, its
    side the country's name, as the rows of foreign forces have it)."""
    head = national_head().match(m.group(0))
    codes = national_words().get(head.group(1).lower(), ()) if head else ()
    if country and (country in codes or not codes):
        actor, side, kind = _fill(rule.actor, country), _fill(rule.side, country), "state"
    else:
        named = codes[0] if codes else None
        actor, side, kind = _fill(rule.actor, named), country_name(named), "foreign"
    return ActorMention(actor, kind, side, m.start(), m.end(), m.group(0))


_WRAP = (r"(?<![\w-])(?:", r")(?![\w-])")
_NONE: list[int] = []  # no start of a row in the sentence
#: Most combined patterns an actor table keeps (one per country and set of gated rows).
_MAX_COMBOS = 2048
#: Most sentences whose actors an actor table keeps (per sentence and country).
_MAX_SENTENCES = 4096


def _bare(pattern: str) -> str:
    """A row's own expression, without the word-boundary wrapper added when it was read."""
    if pattern.startswith(_WRAP[0]) and pattern.endswith(_WRAP[1]):
        return "(?:" + pattern[len(_WRAP[0]) : -len(_WRAP[1])] + ")"
    return pattern


def warm_actors() -> None:
    """Build now what finding actors builds on first use: the table, and the expression of
    every nationality word (~0.1 s, most of it compiling that expression). A pool's
    forked workers then share them instead of each building its own."""
    load_actors()
    national_head()


def load_actors(path: str | Path | None = None) -> ActorTable:
    """The actors table: ``data/actors.csv`` unless another file is given.

    Examples
    --------
    >>> table = load_actors()
    >>> [a.actor for a in table.find("Militants attacked police posts.", country="AF")]
    ['Unidentified Armed Group (Afghanistan)', 'Police Forces of Afghanistan']
    """
    return _load_cached(str(path or ACTORS_CSV))


@lru_cache(maxsize=8)
def _load_cached(path: str) -> ActorTable:
    return ActorTable.from_csv(path)


def find_actors(
    sentence: str, *, country: str | None = None, table: ActorTable | None = None
) -> list[ActorMention]:
    """Actors named in ``sentence`` (see :meth:`ActorTable.find`).

    Examples
    --------
    >>> [a.actor for a in find_actors("US and NATO forces left the base.")]
    ['Military Forces of the United States', 'NATO: North Atlantic Treaty Organization']
    """
    return (table or load_actors()).find(sentence, country=country)


def host_actor(country: str | None, *, table: ActorTable | None = None) -> str | None:
    """The ACLED name of the state hosting talks in ``country``.

    Examples
    --------
    >>> host_actor("IR")
    'Government of Iran'
    """
    mention = (table or load_actors()).host(country)
    return mention.actor if mention else None
