"""Who did it: the actors of an event version, and the report's context of actors.

:func:`pick_actors` reads ``actor1``, its allies and ``actor2`` around a trigger;
:class:`ContextActors` names "rebels" and "militants" after the armed group the report
itself names; :func:`first_actor` is the actor a later sentence without one inherits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from geo.actors import ActorMention
from geo.events.rules import EventRule
from geo.gates import LiteralIndex
from geo.nationals import country_name
from geo.prefilter import fold

__all__ = ["ContextActors", "first_actor", "pick_actors"]

# "victory against X", "backed by X": X is not the one who acts
_NOT_AGENT_BEFORE_RE = re.compile(
    r"\b(?:against|targeting|(?:backed|supported|aided|assisted|helped|led|commanded|headed"
    r"|trained|armed|funded|financed)\s+by|loyal\s+to|allied\s+(?:with|to)|linked\s+to"
    r"|with the (?:help|support|backing) of)\s+[^,;.]{0,60}$",
    re.I,
)
_NOT_AGENT_INDEX = LiteralIndex([_NOT_AGENT_BEFORE_RE], keep=True)


@lru_cache(maxsize=4096)
def _may_name_not_agent(s_text: str) -> bool:
    """Whether the sentence holds the words of "against X", "backed by X" at all (the
    expression searched before every actor, else not run)."""
    return bool(_NOT_AGENT_INDEX.active(fold(s_text)))


# the words of :func:`pick_actors`, compiled once
_OF_END_RE = re.compile(r"\bof$", re.I)
# ("fell to the rebels", "handed X over to allied militias": one lower-case word between)
_AGENT_BEFORE_RE = re.compile(r"\b(?:to|by|into)\s+(?:the\s+)?(?-i:[a-z-]+\s+)?$", re.I)
_THE_GAP_RE = re.compile(r"\s*(?:the\s+)?")
_BY_END_RE = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
_CLAUSE_BREAK_RE = re.compile(r"[;:]")
# A form of "be" (or "get") right before the trigger: the verb is passive ("were driven
# out of X", "has been retaken"), so its subject is acted on, and its agent, if named,
# comes after "by".
_PASSIVE_BEFORE_RE = re.compile(
    # lower case only: "IS seized X" is the Islamic State, not a verb
    r"\b(?:was|were|been|being|is|are|be|get|gets|got|gotten|getting)\s+(?:[a-z]+ly\s+)?$"
)
# The agent of a passive verb: "by" and at most three words before it ("besieged for a
# year by Haftar's self-styled X").
_BY_AGENT_RE = re.compile(r"\bby\s+(?:[\w'’-]+\s+){0,3}$", re.I)
_BE_FORMS = frozenset({"was", "were", "been", "being", "is", "are", "be", "get", "got"})
# Between a subject and its verb: a few lower-case words ("have", "had been", "have
# reportedly"), no name.
_SUBJECT_GAP_RE = re.compile(r"(?:\s+[a-z]+){0,3}\s*")
# "... and captured", "..., and then took": a verb that shares the subject of the verb
# before it (no subject of its own between "and" and it)
_SHARED_SUBJECT_RE = re.compile(
    r"^[^;:]*\band\s+(?:(?:then|later|also|subsequently|eventually|quickly|finally"
    r"|soon|had|has|have)\s+)*$",
    re.I,
)
# ("the Houthis and allied fighters": the allies of the first)
_LIST_SEP_RE = re.compile(r"\s*(?:,|and|,\s*and)\s*(?:(?:allied|affiliated|friendly)\s+)?", re.I)


# a sentence opening with a participle clause: "After capturing", "Having seized", "On taking"
_PARTICIPLE_LEAD_RE = re.compile(
    r"\W*(?:(?:after|since|before|upon|on|while|when)\s+)?(?:having\s+)?"
    r"(?P<verb>[a-z-]+(?:ing|ed|en))\b",
    re.I,
)
# between that clause's comma and the subject of the sentence: its article at most
_SUBJECT_START_RE = re.compile(r",\s*(?:the\s+|its\s+|their\s+)?", re.I)
# events whose actors may be unarmed crowds
_CROWD_TYPES = frozenset(("Riots", "Protests"))
_SAID_AFTER_RE = re.compile(
    r"^[^,;.]{0,30}?\b(?:said|say|says|told|reported|recounted|described)\b", re.I
)
_ACCORDING_BEFORE_RE = re.compile(r"\b(?:according\s+to|told\s+by)\s+(?:the\s+|some\s+)?$", re.I)


def _teller(s_text: str, a: ActorMention, any_kind: bool = False) -> bool:
    """True for unarmed people who only tell of the event ("residents said"); with
    ``any_kind``, for anyone named as who tells it ("police said")."""
    if a.kind != "civilians" and not any_kind:
        return False
    return _tells(s_text, a.start, a.end)


@lru_cache(maxsize=16384)
def _tells(s_text: str, start: int, end: int) -> bool:
    """:func:`_teller` of the words at ``start:end``: it depends on the sentence alone."""
    return bool(
        _SAID_AFTER_RE.match(s_text[end : end + 30])
        or _ACCORDING_BEFORE_RE.search(s_text[max(0, start - 20) : start])
    )


# first words of a rule's words that are no verb ("in full control of", "under … control")
_NO_PARTICIPLE = frozenset(("in", "under", "back", "into", "on", "at", "now"))


def _passive(rule: EventRule, s_text: str, a0: int, a1: int) -> bool:
    """A trigger read as a passive verb: a form of "be" or "get" right before a past
    participle ("were driven out of", "was shelled"; not "are fighting", "were clashes")."""
    if rule.actor != "before":
        return False
    return _passive_at(s_text, a0, a1)


@lru_cache(maxsize=16384)
def _passive_at(s_text: str, a0: int, a1: int) -> bool:
    """:func:`_passive` of a rule whose agent comes before: it depends on the sentence
    alone, so a sentence read again costs a look-up."""
    head = s_text[a0:a1].split(maxsplit=1)[0].lower() if s_text[a0:a1].strip() else ""
    if (
        head in _BE_FORMS and s_text[a0:a1][:1].islower()
    ):  # the rule's words hold the auxiliary ("were driven out of")
        return True
    if head.endswith(("ing", "s")) or head in _NO_PARTICIPLE:
        return False  # "were in full control of X": a state, not a passive
    return bool(_PASSIVE_BEFORE_RE.search(s_text[max(0, a0 - 40) : a0]))


class ContextActors:
    """ "Rebels", "militants": the armed group the report names nearest before, else first.

    A generic word for an armed group gets the name of the non-state group last named
    before it in the report, or the first one the report names at all; with none, it
    stays an unidentified armed group of the country (ACLED's naming).
    """

    def __init__(self, mentions: list[ActorMention]) -> None:
        named = [a for a in mentions if a.kind == "non_state" and not _generic(a)]
        self._first = named[0] if named else None
        self._last: ActorMention | None = None

    def seen(self, mentions: Sequence[ActorMention]) -> None:
        """Take in the actors of a sentence just read."""
        for a in mentions:
            if a.kind == "non_state" and not _generic(a):
                self._last = a

    def resolve(
        self, a: ActorMention, s_text: str = "", sentence: Sequence[ActorMention] = ()
    ) -> ActorMention:
        """``a``, named after the armed group of the context when it is a generic word.

        Not when the sentence ``s_text`` (whose actors are ``sentence``) describes it as
        another group's ally ("Iran-backed militias", "pro-government fighters"), nor after
        the group it first names when that is its foe in the same sentence ("militias
        seized X from the Islamic State").
        """
        if (
            a.kind == "state"
            and a.actor.startswith("Military Forces of ")
            and s_text
            and _POSSESSIVE_END_RE.search(s_text[: a.start])
        ):
            # "Russia's defence ministry said its troops took X": the forces of the state
            # named before, not of the place's country
            owner = [b for b in sentence if b.end <= a.start and b.kind == "foreign"]
            if owner and owner[-1].actor.startswith(("Government of ", "Military Forces of ")):
                b = owner[-1]
                name = "Military Forces of " + b.actor.split(" of ", 1)[1]
                return ActorMention(name, b.kind, b.side, a.start, a.end, a.text)
        if not _generic(a) or _UNKNOWN_RE.match(a.text):
            return a  # a group by name, or one the words say is unknown
        for b in sentence:
            if (
                b.end <= a.start
                and b.kind == "non_state"
                and not _generic(b)
                and not s_text[b.end : a.start].strip()
            ):
                # "Houthi fighters", "M23 rebels": the group named right before the word
                return ActorMention(b.actor, a.kind, b.side, a.start, a.end, a.text)
        ref = self._last or self._first
        if ref is None:
            return a
        if s_text and _may_describe(s_text):
            w0 = max(0, a.start - 60)
            lead = _DESCRIBED_BEFORE_RE.search(s_text[w0 : a.start])
            if lead and not any(
                w0 + lead.end("mod") <= b.start < a.start for b in sentence if b is not a
            ):
                return a  # an ally of another group: unnamed (the country's, ACLED's way)
        if (
            self._last is None
            and ref.start > a.start
            and any(b is ref for b in sentence)
            and _FOE_BEFORE_RE.search(s_text[: ref.start])
        ):
            return a  # the group it fights, named after it
        return ActorMention(ref.actor, a.kind, ref.side, a.start, a.end, a.text)


# "unknown gunmen", "unidentified assailants": no group of the report's
_UNKNOWN_RE = re.compile(r"(?:unknown|unidentified)\b", re.I)
# "Iran-backed", "RSF-aligned", "pro-government" (and up to two words) before a generic
# word: a group described by whom it serves, not that group
_DESCRIBED_BEFORE_RE = re.compile(
    r"(?P<mod>\b[\w'’]+-(?:backed|aligned|allied|affiliated|sponsored|supported|funded"
    r"|armed|trained|linked|loyal)|\bpro-[\w'’-]+|\b(?:allied|friendly))\s+(?:[\w'’-]+\s+){0,2}$",
    re.I,
)
_DESCRIBED_INDEX = LiteralIndex([_DESCRIBED_BEFORE_RE], keep=True)
# "its troops", "their own forces": owned by an actor named before
_POSSESSIVE_END_RE = re.compile(r"\b(?:its|their)\s+(?:own\s+)?$", re.I)
# a group named as the one acted on: "from the Islamic State", "against the SDF"
_FOE_BEFORE_RE = re.compile(
    r"\b(?:from|against|targeting|on)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.I
)


@lru_cache(maxsize=4096)
def _may_describe(s_text: str) -> bool:
    return bool(_DESCRIBED_INDEX.active(fold(s_text)))


def _generic(a: ActorMention) -> bool:
    return a.actor.startswith("Unidentified Armed Group")


def first_actor(actors: Sequence[ActorMention]) -> ActorMention | None:
    """The first actor of a sentence who can act (not civilians, not a host state).

    Parameters
    ----------
    actors : sequence of ActorMention
        The sentence's actors, in text order.

    Returns
    -------
    ActorMention or None
    """
    for a in actors:
        if a.kind != "civilians" and a.kind != "host":
            return a
    return None


def _from_context(prev_actor: ActorMention | None, country: str | None) -> ActorMention | None:
    """The earlier sentence's actor as the agent of a sentence that names none: not a
    foreign state (officials across the border, hosts of talks named earlier are not the
    agents of a later unattributed attack or capture)."""
    if prev_actor is None or _elsewhere(prev_actor, country):
        return None
    return prev_actor


def _context_flags(prev_actor: ActorMention | None, country: str | None) -> str:
    if prev_actor is None:
        return ""
    if _elsewhere(prev_actor, country):
        return "no actor named"
    return "actor1 from an earlier sentence"


def _foreign(actor: ActorMention, country: str | None) -> bool:
    return country is not None and country_name(country) not in actor.actor


def _elsewhere(actor: ActorMention, country: str | None) -> bool:
    """A foreign state, or a group named after another country ("Unidentified Armed
    Group (Haiti)" in a sentence about Syria): no agent of this country's events."""
    if actor.kind == "state":
        return _foreign(actor, country)
    return _generic(actor) and _foreign(actor, country)


def pick_actors(
    rule: EventRule,
    s_text: str,
    s0: int,
    t0: int,
    t1: int,
    s_actors: Sequence[ActorMention],
    prev_actor: ActorMention | None,
    country: str | None = None,
) -> tuple[ActorMention | None, ActorMention | None, list[ActorMention], str]:
    """Who did it and to whom, for the trigger at ``t0:t1`` (report offsets).

    ``actor1`` is the actor named before the trigger (after "to"/"by"/"into" for a rule
    whose actor comes after: "fell to X", "captured by X"), else ``prev_actor`` (the
    actor of an earlier sentence, flagged; never a foreign state); the actors listed
    with it ("US and NATO forces") are its allies; ``actor2`` is the nearest actor of
    another side.

    Parameters
    ----------
    rule : EventRule
    s_text : str
        The sentence; ``s0`` is its offset in the report.
    s0, t0, t1 : int
    s_actors : sequence of ActorMention
        The sentence's actors (offsets in the sentence).
    prev_actor : ActorMention or None
    country : str, optional
        ISO alpha-2 code of the event's place.

    Returns
    -------
    tuple
        ``(actor1, actor2, allies, flags)``; ``flags`` says when actor1 came from context.
    """
    if not s_actors:  # the sentence names no one: the earlier sentence's actor, if any
        if rule.actor == "loser":
            prev_actor = None  # "It lost control of X": the side of the sentence before lost it
        return _from_context(prev_actor, country), None, [], _context_flags(prev_actor, country)
    a0, a1 = t0 - s0, t1 - s0
    # those who only tell it ("residents said", "according to witnesses") are no party
    s_actors = [a for a in s_actors if not _teller(s_text, a)]
    before = [a for a in s_actors if a.end <= a0 and a.kind != "host"]
    after = [a for a in s_actors if a.start >= a1 and a.kind != "host"]
    flags = ""
    actor1 = None
    inside = [a for a in s_actors if a0 <= a.start and a.end <= a1 and a.kind != "host"]
    agent_after = rule.actor in ("after", "loser")
    if agent_after and inside:
        actor1 = inside[0]  # "fell into rebel hands", "under government control"
    # "captured by X", "fell to X", "in the hands of X": the agent comes after the verb
    trigger_of = bool(after) and bool(_OF_END_RE.search(s_text[a0:a1]))
    passive = _passive(rule, s_text, a0, a1)
    for a in after if actor1 is None else ():
        between = s_text[a1 : a.start]
        agent = _AGENT_BEFORE_RE.search(between) or (trigger_of and _THE_GAP_RE.fullmatch(between))
        if passive and len(between) <= 60 and _BY_AGENT_RE.search(between):
            actor1 = a
            break
        if len(between) <= 40 and agent:
            if agent_after or (_BY_END_RE.search(between) and "," not in between):
                # ("…which the Taliban seized in May, was recaptured by the army": the
                # "by" of the main clause is not the relative clause's agent)
                actor1 = a
            break
    # The subject of the trigger's clause: for a passive verb, or a rule whose agent comes
    # after ("lost control of X to Y"), the side that undergoes it, never its agent.
    patient = None
    if passive or agent_after:
        clause_before = [a for a in before if not _CLAUSE_BREAK_RE.search(s_text[a.end : a0])]
        if clause_before:
            last = clause_before[-1]
            if _SUBJECT_GAP_RE.fullmatch(s_text[last.end : a0]):
                patient = last
    if actor1 is None and not before and rule.actor == "before":
        # "After capturing X on Sunday, the Taliban moved on": the participle's agent is
        # the subject of the clause after it
        lead = _PARTICIPLE_LEAD_RE.match(s_text[:a1])
        lead_ok = lead is not None and lead.start("verb") == a0 and "," not in s_text[:a0]
        comma = s_text.find(",", a1) if lead_ok else -1
        if comma >= 0:
            subject = [a for a in after if a.start > comma]
            if subject and _SUBJECT_START_RE.fullmatch(s_text[comma : subject[0].start]):
                actor1 = subject[0]
    if actor1 is None and before and rule.actor == "before" and not passive:
        # the nearest actor before the trigger, not across a ";" or ":", and not one
        # that is fought or that backs the agent ("victory against X", "backed by X")
        if _may_name_not_agent(s_text):
            agents = [a for a in before if not _NOT_AGENT_BEFORE_RE.search(s_text[: a.start])]
            before = agents or before
        clause = [a for a in before if not _CLAUSE_BREAK_RE.search(s_text[a.end : a0])]
        actor1 = clause[-1] if clause else before[-1]
        if len(clause) > 1 and _SHARED_SUBJECT_RE.search(s_text[actor1.end : a0]):
            # "The Taliban attacked government positions and captured X": the side
            # after the first verb is its object; the subject of both verbs took X
            k = clause.index(actor1)
            while k > 0 and _LIST_SEP_RE.fullmatch(s_text[clause[k - 1].end : clause[k].start]):
                k -= 1  # "the army and police": one object
            if k > 0:
                actor1 = clause[k - 1]
        if actor1.kind == "civilians" and rule.event_type not in _CROWD_TYPES:
            # unarmed people take no place and fight no battle ("residents fled as
            # fighting spread", "residents withdrew savings"): no agent named, and none
            # from an earlier sentence either
            actor1, prev_actor = None, None
    allies: list[ActorMention] = []
    if actor1 is not None and actor1 in before:
        # "US and NATO forces": the first of a pair is actor1, the others its allies
        k = before.index(actor1)
        while k > 0 and _LIST_SEP_RE.fullmatch(s_text[before[k - 1].end : before[k].start]):
            k -= 1
        chain = before[k : before.index(actor1) + 1]
        actor1, allies = chain[0], [a for a in chain[1:] if a.actor != chain[0].actor]
    if patient is not None and prev_actor is not None and prev_actor.side == patient.side:
        # "The army lost control of X": the army of the sentence before is the loser
        prev_actor = None
    if rule.actor == "loser":
        prev_actor = None  # "It lost control of X": the side of the sentence before lost it
    if (
        actor1 is None
        and prev_actor is not None
        and rule.effect == "capture"
        and any(a.side == prev_actor.side for a in (*inside, *after))
    ):
        # "Forces ... ousted the jihadists from X": the side a capture names in or after its
        # verb loses the place; the actor of the sentence before, of that side, takes nothing
        prev_actor = None
    if actor1 is None and prev_actor is not None:
        actor1, flags = _from_context(prev_actor, country), _context_flags(prev_actor, country)
    actor2 = None
    others = [a for a in s_actors if a is not actor1 and a not in allies and a.kind != "host"]
    if actor1 is not None:
        others = [a for a in others if a.side != actor1.side]
        if others and not flags and rule.effect != "talks":
            # armed or official tellers after the words (", officials said") or before the
            # agent ("police said gunmen stormed X") are not the side acted on (they may be
            # the agent: "the army said it retook X"; the parties to talks tell of them)
            first = actor1.start
            others = [
                a
                for a in others
                if not ((a.start >= a1 or a.end <= first) and _teller(s_text, a, any_kind=True))
            ]
    if rule.event_type not in _CROWD_TYPES and not passive:
        # unarmed people named before the words are not their object ("residents fled
        # as fighting spread": no attack on them)
        others = [a for a in others if a.kind != "civilians" or a.start >= a1]
    if patient is not None and patient in others:
        actor2 = patient  # "M23 fighters were driven out of X": M23 is the side acted on
    elif others:
        actor2 = min(others, key=lambda a: abs(a.start - a1))
    return actor1, actor2, allies, flags
