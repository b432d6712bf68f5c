"""Reports accepted before they are analysed (``reports.pending``), and incremental
derivation: each event version carries what says what it can merge with
(``merge_key``, ``day``, ``lat``, ``lon``, ``region_loc``) and the merged event it is in
(``event_id``); events carry their region and
effect, so a change re-merges only the versions it can affect and recomputes control only
for the regions it touches (:mod:`geomap.service.incremental`).

The new columns are filled here, except the versions' ``event_id``, which the full
derivation the service runs on start fills (``derived_seq`` is reset to 0).

Revision ID: 0002
Revises: 0001
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from geomap.service.versions import partition

    # accepted before analysed: a report is committed whole, then analysed in batches
    op.add_column(
        "reports",
        sa.Column("pending", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_reports_pending", "reports", ["pending"])

    op.add_column("report_mentions", sa.Column("merge_key", sa.Text))
    op.add_column("report_mentions", sa.Column("day", sa.String(10)))
    op.add_column("report_mentions", sa.Column("lat", sa.Float))
    op.add_column("report_mentions", sa.Column("lon", sa.Float))
    op.add_column("report_mentions", sa.Column("region_loc", sa.Text))
    op.add_column("report_mentions", sa.Column("event_id", sa.String(64)))
    op.create_index("ix_report_mentions_key_day", "report_mentions", ["merge_key", "day"])
    op.add_column("events", sa.Column("iso_3166_2", sa.String(16)))
    op.add_column("events", sa.Column("effect", sa.String(16)))
    op.create_index("ix_events_iso_3166_2", "events", ["iso_3166_2"])
    op.create_index("ix_events_country_effect", "events", ["country", "effect"])
    bind = op.get_bind()
    rm = sa.table(
        "report_mentions",
        sa.column("report", sa.String),
        sa.column("n", sa.Integer),
        sa.column("props", sa.Text),
        sa.column("merge_key", sa.Text),
        sa.column("day", sa.String),
        sa.column("lat", sa.Float),
        sa.column("lon", sa.Float),
        sa.column("region_loc", sa.Text),
    )
    rows = bind.execute(sa.select(rm.c.report, rm.c.n, rm.c.props)).all()
    for report, n, props in rows:
        bind.execute(
            rm.update()
            .where(rm.c.report == report, rm.c.n == n)
            .values(**partition(json.loads(props)))
        )
    ev = sa.table(
        "events",
        sa.column("event_id", sa.String),
        sa.column("props", sa.Text),
        sa.column("iso_3166_2", sa.String),
        sa.column("effect", sa.String),
    )
    for event_id, props in bind.execute(sa.select(ev.c.event_id, ev.c.props)).all():
        p = json.loads(props)
        bind.execute(
            ev.update()
            .where(ev.c.event_id == event_id)
            .values(iso_3166_2=p.get("iso_3166_2"), effect=p.get("effect"))
        )
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.BigInteger))
    bind.execute(meta.update().where(meta.c.key == "derived_seq").values(value=0))


def downgrade() -> None:
    op.drop_index("ix_reports_pending", "reports")
    op.drop_column("reports", "pending")
    op.drop_index("ix_events_country_effect", "events")
    op.drop_index("ix_events_iso_3166_2", "events")
    op.drop_column("events", "effect")
    op.drop_column("events", "iso_3166_2")
    op.drop_index("ix_report_mentions_key_day", "report_mentions")
    for name in ("event_id", "region_loc", "lon", "lat", "day", "merge_key"):
        op.drop_column("report_mentions", name)
