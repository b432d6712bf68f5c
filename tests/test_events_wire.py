"""Events from the wording of wire copy: quotes, clauses and the actors they name.

The sentences are invented; the places are the hand-made towns of ``test_events``.
"""

from __future__ import annotations

import pytest
from test_events import _events, _report


@pytest.mark.parametrize("quoted", ["‘secured’", "'secured'", '"secured"', "“secured”"])
def test_a_verb_in_scare_quotes_is_still_the_verb(quoted):
    ev = _events(_report(f"Rebel radio said the Taliban had {quoted} Ardmore on Monday."))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert (row.location, row.actor1, row.target) == ("Ardmore", "Taliban", "whole")
