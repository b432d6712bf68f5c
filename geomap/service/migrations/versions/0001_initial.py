"""The first schema: reports, their places and event versions, derived events and
control, the change feed. On PostgreSQL, events also get a PostGIS point (GiST index).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(
        sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.BigInteger)),
        [
            {"key": "seq", "value": 0},
            {"key": "input_seq", "value": 0},
            {"key": "derived_seq", "value": 0},
        ],
    )
    op.create_table(
        "reports",
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
    )
    for name in ("report_places", "report_mentions"):
        extra = (
            [
                sa.Column("country", sa.String(2)),
                sa.Column("lat", sa.Float),
                sa.Column("lon", sa.Float),
            ]
            if name == "report_places"
            else []
        )
        op.create_table(
            name,
            sa.Column(
                "report", sa.String(40), sa.ForeignKey("reports.id"), nullable=False, index=True
            ),
            sa.Column("n", sa.Integer, nullable=False),
            *extra,
            sa.Column("props", sa.Text, nullable=False),
            sa.PrimaryKeyConstraint("report", "n"),
        )
    op.create_table(
        "events",
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
    )
    op.create_index("ix_events_lon_lat", "events", ["longitude", "latitude"])
    op.create_table(
        "control",
        sa.Column("iso_3166_2", sa.String(16), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False, index=True),
        sa.Column("country", sa.String(2)),
        sa.Column("digest", sa.String(32), nullable=False),
        sa.Column("props", sa.Text, nullable=False),
    )
    op.create_table(
        "changes",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        from geoalchemy2 import Geometry

        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        op.add_column(
            "events",
            sa.Column(
                "geom",
                Geometry("POINT", srid=4326, spatial_index=False),
                sa.Computed("ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)", persisted=True),
            ),
        )
        op.create_index("ix_events_geom", "events", ["geom"], postgresql_using="gist")


def downgrade() -> None:
    for name in (
        "changes",
        "control",
        "events",
        "report_mentions",
        "report_places",
        "reports",
        "meta",
    ):
        op.drop_table(name)
