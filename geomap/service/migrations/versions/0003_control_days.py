"""Control kept incrementally: each region's state at the end of each day it has events
(``control_days``), so a change replays a region only from its earliest changed day
(:mod:`geomap.service.control`); an index on the events' region and date to read those
days; a covering index for the look-ups of the incremental merge. The table is filled by the full derivation the service runs on start
(``derived_seq`` is reset to 0).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "control_days",
        sa.Column("iso_3166_2", sa.String(16), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("iso_3166_2", "day"),
    )
    op.create_index("ix_events_iso_date", "events", ["iso_3166_2", "event_date"])
    # a covering index for the incremental merge's look-ups: a version's row holds its
    # JSON, so reading a column stored after it means reading the JSON's overflow pages
    # (SQLite)
    op.drop_index("ix_report_mentions_key_day", "report_mentions")
    op.create_index(
        "ix_report_mentions_window",
        "report_mentions",
        ["merge_key", "day", "region_loc", "lat", "lon", "event_id", "report", "n"],
    )
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.BigInteger))
    op.get_bind().execute(meta.update().where(meta.c.key == "derived_seq").values(value=0))


def downgrade() -> None:
    op.drop_index("ix_report_mentions_window", "report_mentions")
    op.create_index("ix_report_mentions_key_day", "report_mentions", ["merge_key", "day"])
    op.drop_index("ix_events_iso_date", "events")
    op.drop_table("control_days")
