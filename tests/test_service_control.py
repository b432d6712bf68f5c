"""The service's control (plain records, replayed from checkpoints) equals
geo.control_as_of on the last event day, on random invented event tables."""

from __future__ import annotations

import random

import pytest

import geo
from geomap.service import control as C
from geomap.service import derive as D

SIDES = ["Taliban", "Government of Afghanistan", None]


@pytest.fixture(scope="module")
def regions():
    return geo.default_boundaries(["AF", "PK"])


def _events(rng: random.Random, n: int, isos: list[str]) -> list[dict]:
    out = []
    for i in range(n):
        iso = rng.choice(isos)
        out.append(
            {
                "event_id": f"ev-{rng.randrange(16**6):06x}-{i}",
                "event_date": rng.choice([f"2021-08-{rng.randint(1, 9):02d}"] * 9 + [None]),
                "iso_3166_2": iso,
                "country": iso[:2],
                "effect": rng.choice(["capture", "capture", "fight", "repel", "withdraw"]),
                "target": rng.choice(["whole", "whole", "part", None]),
                "capital": rng.random() < 0.6,
                "side1": rng.choice(SIDES),
                "claim_status": rng.choice(["reported"] * 4 + ["claimed", "denied"]),
                "place_kind": rng.choice(["town"] * 5 + ["province", "region"]),
                "report": f"r-{i}",
                "notes": f"invented sentence {i}",
                "sentence_start": rng.randint(0, 500),
                "sentence_end": 600,
            }
        )
    return out


def _reference(events: list[dict], regions) -> dict[str, dict]:
    """geo.control_as_of on the last event day, as the service's rows were before."""
    frame = D.events_frame(events)
    dated = frame["event_date"].dropna()
    if dated.empty:
        return {}
    sub = D.control_regions(frame, regions)
    with pytest.warns() if frame["event_date"].isna().any() else _nothing():
        table = geo.control_as_of(frame, sub, dated.max())
    table = table[table["status"] != "unknown"]
    return {r["iso_3166_2"]: r for r in D.frame_records(table.drop(columns=["as_of"]))}


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize("seed", range(12))
def test_full_control_equals_control_as_of(seed, regions):
    rng = random.Random(seed)
    isos = ["AF-HER", "AF-KDZ", "AF-BDG", "PK-BA"][: rng.randint(1, 4)]
    events = _events(rng, rng.randint(1, 60), isos)
    rows, checkpoints = C.full_control(events, C.Regions(regions))
    assert rows == _reference(events, regions)
    assert {iso for iso, _d, _s in checkpoints} <= set(isos)


@pytest.mark.parametrize("seed", range(12))
def test_replay_from_a_checkpoint_equals_a_full_replay(seed):
    rng = random.Random(100 + seed)
    events = _events(rng, rng.randint(5, 60), ["AF-HER"])
    full, days = C.replay(events)
    assert days, "the mix has dated events that count"
    cut = rng.choice([d for d, _ in days])  # replay from this day on
    before = [C.Timeline.from_json(st) for d, st in days if d < cut]
    later = [e for e in events if (C.counting_day(e) or "") >= cut]
    tail, tail_days = C.replay(later, before[-1] if before else None)
    assert tail.to_json() == full.to_json()
    assert tail_days == [(d, st) for d, st in days if d >= cut]
