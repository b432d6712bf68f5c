"""The word rules of events: ``data/event_rules.csv`` read into patterns."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.resources import data_path

__all__ = ["EFFECTS", "EVENT_RULES_CSV", "EVENT_TYPES", "EventRule", "load_event_rules"]

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


@dataclass(frozen=True)
class EventRule:
    """One row of ``data/event_rules.csv``."""

    pattern: re.Pattern[str]
    event_type: str
    sub_event_type: str
    effect: str
    place: str
    actor: str
    actor_kinds: frozenset[str]
    note: str


def load_event_rules(path: str | Path | None = None) -> list[EventRule]:
    """Read the word rules (``data/event_rules.csv`` unless another file is given).

    Raises
    ------
    ValueError
        A missing column, an event type outside ACLED's six, an unknown effect or a bad regex.

    Examples
    --------
    >>> rules = load_event_rules()
    >>> sorted({r.event_type for r in rules}) == sorted(EVENT_TYPES)
    True
    """
    return list(_rules_cached(str(path or EVENT_RULES_CSV)))


@lru_cache(maxsize=8)
def _rules_cached(path: str) -> tuple[EventRule, ...]:
    rules = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {
            "pattern",
            "event_type",
            "sub_event_type",
            "effect",
            "place",
            "actor",
            "actor_kinds",
            "note",
        }
        missing = need - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)!r}")
        for lineno, row in enumerate(reader, start=2):
            where = f"{path}:{lineno}"
            if row["event_type"] not in EVENT_TYPES:
                raise ValueError(
                    f"{where}: event_type {row['event_type']!r} is not one of {EVENT_TYPES}"
                )
            if row["effect"] not in EFFECTS:
                raise ValueError(f"{where}: effect {row['effect']!r} is not one of {EFFECTS}")
            if row["place"] not in ("near", "object") or row["actor"] not in ("before", "after"):
                raise ValueError(f"{where}: place must be near/object and actor before/after")
            try:
                pattern = re.compile(rf"(?<![\w-])(?:{row['pattern']})(?![\w-])", re.I)
            except re.error as err:
                raise ValueError(f"{where}: bad pattern {row['pattern']!r}: {err}") from err
            kinds = frozenset(k.strip() for k in row["actor_kinds"].split(",") if k.strip())
            rules.append(
                EventRule(
                    pattern,
                    row["event_type"],
                    row["sub_event_type"],
                    row["effect"],
                    row["place"],
                    row["actor"],
                    kinds,
                    row["note"],
                )
            )
    return tuple(rules)
