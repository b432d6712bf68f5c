"""Writing derived rows: each changed event or control row gets a new ``seq`` and a row
in the change feed; versions get their merged event; regions their control
checkpoints. Inside the caller's write transaction, in a few statements each."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geomap.service import store as S

__all__ = ["apply", "digest", "write_delta", "write_links"]


def digest(props: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(props, sort_keys=True).encode()).hexdigest()[:32]


def write_links(conn: Connection, links: list[tuple[str, int, str | None]]) -> None:
    """Set the merged event of versions (``report_mentions.event_id``)."""
    if not links:
        return
    rm = S.report_mentions
    conn.execute(
        rm.update()
        .where(rm.c.report == sa.bindparam("r"), rm.c.n == sa.bindparam("k"))
        .values(event_id=sa.bindparam("e")),
        [{"r": r, "k": k, "e": e} for r, k, e in links],
    )


def apply(conn: Connection, new_events: dict, control_rows: dict) -> int:
    """Write the differences between the stored and the new derived rows (all of them),
    each with a ``seq`` and a row in the change feed (inside the caller's write
    transaction)."""
    from geomap.service.incremental import Delta

    old = dict(conn.execute(sa.select(S.events.c.event_id, S.events.c.digest)).all())
    old_c = dict(conn.execute(sa.select(S.control.c.iso_3166_2, S.control.c.digest)).all())
    delta = Delta(
        events=[(k, r) for k, r in new_events.items() if old.get(k) != digest(r)],
        events_gone=[k for k in old if k not in new_events],
        control=[(k, r) for k, r in control_rows.items() if old_c.get(k) != digest(r)],
        control_gone=[k for k in old_c if k not in control_rows],
        existing_events=set(old),
        existing_control=set(old_c),
    )
    return write_delta(conn, delta)


def _upsert(
    conn: Connection, table: sa.Table, key: str, rows: list[dict[str, Any]], existing: set[str]
) -> None:
    """Insert the ``rows`` whose ``key`` is not in ``existing``, update the others (one
    statement each, many parameter sets)."""
    inserts = [r for r in rows if r[key] not in existing]
    updates = [{**r, "_key": r[key]} for r in rows if r[key] in existing]
    if inserts:
        conn.execute(table.insert(), inserts)
    if updates:  # SET the columns of the parameter sets
        conn.execute(
            table.update().where(table.c[key] == sa.bindparam("_key")),
            [{k: v for k, v in u.items() if k != key} for u in updates],
        )


def _write_control_days(
    conn: Connection, replays: list[tuple[str, str, list[tuple[str, str]]]]
) -> None:
    """Replace each replayed region's checkpoints from its first replayed day on."""
    if not replays:
        return
    cd = S.control_days
    conn.execute(
        cd.delete().where(cd.c.iso_3166_2 == sa.bindparam("i"), cd.c.day >= sa.bindparam("d")),
        [{"i": iso, "d": day} for iso, day, _ in replays],
    )
    rows = [
        {"iso_3166_2": iso, "day": d, "state": st} for iso, _, days in replays for d, st in days
    ]
    if rows:
        conn.execute(cd.insert(), rows)


def write_delta(conn: Connection, delta: Any) -> int:
    """Write a :class:`geomap.service.incremental.Delta`: each changed row gets a ``seq``
    and a row in the change feed (inside the caller's write transaction)."""
    upserts, gone = delta.events, delta.events_gone
    c_upserts, c_gone = delta.control, delta.control_gone
    old, old_c = delta.existing_events, delta.existing_control
    write_links(conn, delta.links)
    _write_control_days(conn, delta.control_days)
    n = len(upserts) + len(gone) + len(c_upserts) + len(c_gone)
    seq = S.Store.next_seq(conn, n) if n else S.Store.get_meta(conn, "seq") + 1
    for batch in S.chunks(gone):
        conn.execute(S.events.delete().where(S.events.c.event_id.in_(batch)))
    for batch in S.chunks(c_gone):
        conn.execute(S.control.delete().where(S.control.c.iso_3166_2.in_(batch)))
    feed: list[dict[str, Any]] = []
    seq = _retractions(feed, seq, "event_retracted", "event_id", gone)
    event_rows = []
    for key, r in upserts:
        data = json.dumps(r)  # once: the row's props and its feed entry
        event_rows.append(
            {
                "event_id": key,
                "seq": seq,
                "event_date": r.get("event_date"),
                "event_type": r.get("event_type"),
                "actor1": r.get("actor1"),
                "actor2": r.get("actor2"),
                "country": r.get("country"),
                "latitude": r.get("latitude"),
                "longitude": r.get("longitude"),
                "iso_3166_2": r.get("iso_3166_2"),
                "effect": r.get("effect"),
                "digest": digest(r),
                "props": data,
            }
        )
        feed.append({"seq": seq, "kind": "event", "key": key, "data": data})
        seq += 1
    _upsert(conn, S.events, "event_id", event_rows, old)
    seq = _retractions(feed, seq, "control_retracted", "iso_3166_2", c_gone)
    control_rows = []
    for key, r in c_upserts:
        data = json.dumps(r)
        control_rows.append(
            {
                "iso_3166_2": key,
                "seq": seq,
                "country": r.get("country"),
                "digest": digest(r),
                "props": data,
            }
        )
        feed.append({"seq": seq, "kind": "control", "key": key, "data": data})
        seq += 1
    _upsert(conn, S.control, "iso_3166_2", control_rows, old_c)
    if feed:
        conn.execute(S.changes.insert(), feed)
    return n


def _retractions(feed: list[dict[str, Any]], seq: int, kind: str, field: str, keys) -> int:
    """Feed entries that retract ``keys`` (``{field: key}``), numbered from ``seq``; the
    next number."""
    for key in keys:
        feed.append({"seq": seq, "kind": kind, "key": key, "data": json.dumps({field: key})})
        seq += 1
    return seq
