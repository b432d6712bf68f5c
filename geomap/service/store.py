"""The service's store: one schema (SQLAlchemy Core) for SQLite and PostgreSQL/PostGIS.

Tables
------
``reports``
    Every accepted report, its text and headers, keyed by a hash of its content.
    ``pending`` until it is analysed (then ``seq`` is renumbered and its ``report``
    change written). A retraction sets ``retracted_seq``; the row stays, so the change
    feed can name it.
``report_places``, ``report_mentions``
    What the pipeline found in one report (its places and its versions of events),
    written in the same transaction as the report: a report is never half-stored.
    A version also carries what says what it can merge with (``merge_key``, ``day``,
    ``lat``/``lon``, ``region_loc``) and the merged event it is in (``event_id``, kept by
    the derivation).
``events``, ``control``
    Derived: events merged across the live reports, control of regions on the last
    event day. Recomputed from the two tables above (:mod:`geomap.service.derive`);
    ``meta.derived_seq`` says which change they reflect, so a crash is repaired on start.
``control_days``
    Derived: a region's control state at the end of each day it has events (see
    :mod:`geomap.service.control`), so control is replayed only from a changed day on.
``changes``
    The change feed: one row per new, changed or retracted event, control change and
    report, numbered by ``seq`` (also the ``id`` of the Server-Sent Events).

The schema itself is created by Alembic migrations (``geomap/service/migrations``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

__all__ = ["CHUNK", "Store", "chunks", "default_db_path", "metadata"]

metadata = sa.MetaData()

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False, index=True),
    sa.Column("received", sa.String(32), nullable=False),
    sa.Column("date", sa.String(10)),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("date_origin", sa.String(16)),
    sa.Column("retracted_seq", sa.BigInteger),
    sa.Column("pending", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_reports_pending", "pending"),
)
report_places = sa.Table(
    "report_places",
    metadata,
    sa.Column("report", sa.String(40), sa.ForeignKey("reports.id"), nullable=False, index=True),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("country", sa.String(2)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("props", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("report", "n"),
)
report_mentions = sa.Table(
    "report_mentions",
    metadata,
    sa.Column("report", sa.String(40), sa.ForeignKey("reports.id"), nullable=False, index=True),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("props", sa.Text, nullable=False),
    sa.Column("merge_key", sa.Text),
    sa.Column("day", sa.String(10)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("region_loc", sa.Text),
    sa.Column("event_id", sa.String(64)),
    sa.PrimaryKeyConstraint("report", "n"),
    sa.Index(
        "ix_report_mentions_window",
        "merge_key",
        "day",
        "region_loc",
        "lat",
        "lon",
        "event_id",
        "report",
        "n",
    ),
)
events = sa.Table(
    "events",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False, index=True),
    sa.Column("event_date", sa.String(10)),
    sa.Column("event_type", sa.String(64)),
    sa.Column("actor1", sa.Text),
    sa.Column("actor2", sa.Text),
    sa.Column("country", sa.String(2)),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("digest", sa.String(32), nullable=False),
    sa.Column("props", sa.Text, nullable=False),
    sa.Column("iso_3166_2", sa.String(16)),
    sa.Column("effect", sa.String(16)),
    sa.Index("ix_events_lon_lat", "longitude", "latitude"),
    sa.Index("ix_events_iso_3166_2", "iso_3166_2"),
    sa.Index("ix_events_country_effect", "country", "effect"),
    sa.Index("ix_events_iso_date", "iso_3166_2", "event_date"),
)
control = sa.Table(
    "control",
    metadata,
    sa.Column("iso_3166_2", sa.String(16), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False, index=True),
    sa.Column("country", sa.String(2)),
    sa.Column("digest", sa.String(32), nullable=False),
    sa.Column("props", sa.Text, nullable=False),
)
control_days = sa.Table(
    "control_days",
    metadata,
    sa.Column("iso_3166_2", sa.String(16), nullable=False),
    sa.Column("day", sa.String(10), nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("iso_3166_2", "day"),
)
changes = sa.Table(
    "changes",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(24), nullable=False),
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
)
meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(32), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

MIGRATIONS = Path(__file__).with_name("migrations")

#: Parameters in one ``IN (...)`` at most (SQLite allows 32,766; PostgreSQL 65,535).
CHUNK = 500


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """``items`` in lists of at most ``size`` (for ``IN (...)`` lists)."""
    batch: list[Any] = []
    for x in items:
        batch.append(x)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def default_db_path() -> Path:
    """The embedded database file in the user's data folder (``platformdirs``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("geomap")) / "service.sqlite3"


def db_url(db: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL for ``--db``: a ``postgresql://`` URL or a SQLite file path."""
    if db is None:
        db = default_db_path()
    text = str(db)
    if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        _scheme, rest = text.split("://", 1)
        return f"postgresql+psycopg://{rest}"
    if text.startswith("sqlite:"):
        return text
    path = Path(text).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see Store.write)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # writers take the write lock up front, so two writers never deadlock on an upgrade
    immediate = conn.get_execution_options().get("geomap_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """Connections, migrations and sequence numbers of one database."""

    def __init__(self, db: str | os.PathLike[str] | None = None) -> None:
        self.url = db_url(db)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            # a connection per worker thread kept open: opening one (and its PRAGMAs)
            # costs more than most requests
            self.engine: Engine = sa.create_engine(
                self.url, poolclass=sa.pool.QueuePool, pool_size=48, max_overflow=16
            )
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        else:
            self.engine = sa.create_engine(self.url, pool_pre_ping=True)

    def migrate(self) -> None:
        """Bring the schema to the newest version (Alembic ``upgrade head``)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction; writers are serialised (SQLite: ``BEGIN IMMEDIATE``,
        PostgreSQL: a row lock on the sequence counter)."""
        with self.engine.connect().execution_options(geomap_write=True) as conn, conn.begin():
            if not self.is_sqlite:
                conn.execute(sa.select(meta.c.value).where(meta.c.key == "seq").with_for_update())
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @staticmethod
    def next_seq(conn: Connection, n: int = 1) -> int:
        """Reserve ``n`` sequence numbers; returns the first."""
        conn.execute(meta.update().where(meta.c.key == "seq").values(value=meta.c.value + n))
        last = conn.execute(sa.select(meta.c.value).where(meta.c.key == "seq")).scalar_one()
        return int(last) - n + 1

    @staticmethod
    def get_meta(conn: Connection, key: str) -> int:
        value = conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()
        return int(value or 0)

    @staticmethod
    def set_meta(conn: Connection, key: str, value: int) -> None:
        conn.execute(meta.update().where(meta.c.key == key).values(value=value))

    @staticmethod
    def add_change(conn: Connection, seq: int, kind: str, key: str, data: dict[str, Any]) -> None:
        conn.execute(changes.insert().values(seq=seq, kind=kind, key=key, data=json.dumps(data)))

    def last_seq(self) -> int:
        with self.read() as conn:
            return self.get_meta(conn, "seq")

    def changes_after(self, after: int, limit: int = 500) -> list[dict[str, Any]]:
        with self.read() as conn:
            rows = conn.execute(
                sa.select(changes).where(changes.c.seq > after).order_by(changes.c.seq).limit(limit)
            ).all()
        return [
            {"seq": r.seq, "kind": r.kind, "key": r.key, "data": json.loads(r.data)} for r in rows
        ]

    def dispose(self) -> None:
        self.engine.dispose()
