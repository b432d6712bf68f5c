"""Events in ACLED's terms: what happened, where, when, who did it, who says so.

:func:`event_mentions` reads every sentence of every report against the word
rules in ``data/event_rules.csv`` (documented in ``docs/events.md``) and the
places :func:`geo.geoparse.find_places` found there. One row per event *as told
by one sentence* (a version). :func:`merge_events` turns versions of the same
event (same type, within ``distance_km`` and ``window_days``) into one event with
``sources_count`` and the ids of every report; :func:`extract_events` does both.

How a sentence becomes an event:

* a rule's words (the trigger) give ``event_type`` and ``sub_event_type``;
* the place is the sentence's place mention the rule points at (the object of
  "captured", the nearest place for "fighting"); "the city" or "the provincial
  capital" stand for the town of the report's country named most often so far
  (the latest of equals); a region phrase ("western
  Afghanistan", "much of the north") is kept as a region at precision 3;
* ``actor1`` is the actor named before the trigger (or after "to"/"by" for "fell
  to", "captured by"), else the first actor of the nearest sentence before that
  names one (``flags`` says so);
* :func:`geo.dates.resolve_date` dates it; :func:`claim_status` reads the wording.

A sentence whose only place is a whole country is not an event (ACLED codes
events at admin-1 or finer); a sentence with no place at all is not one either.
"""

from geo.events.acled import ACLED_COLUMNS, to_acled
from geo.events.claims import claim_status
from geo.events.columns import EVENT_COLUMNS
from geo.events.extract import EventWarning, event_mentions, event_rows, extract_events
from geo.events.merge import (
    VersionMerge,
    merge_columns,
    merge_events,
    merge_rows,
    version_columns,
)
from geo.events.rules import EVENT_RULES_CSV, EVENT_TYPES, EventRule, load_event_rules
from geo.events.twins import without_twins

__all__ = [
    "ACLED_COLUMNS",
    "EVENT_COLUMNS",
    "EVENT_RULES_CSV",
    "EVENT_TYPES",
    "EventRule",
    "EventWarning",
    "VersionMerge",
    "claim_status",
    "event_mentions",
    "event_rows",
    "extract_events",
    "load_event_rules",
    "merge_columns",
    "merge_events",
    "merge_rows",
    "to_acled",
    "version_columns",
    "without_twins",
]
