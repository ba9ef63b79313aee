"""The schema. Every inventory table is keyed by event so a hot transaction touches one event's rows
(and the schema can later be distributed by event without changing a query)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy.engine import Dialect

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# BigInteger ids that are still SQLite rowids (SQLite autoincrements INTEGER PRIMARY KEY only).
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, on SQLite (which keeps naive text) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(name: str, nullable: bool = False) -> Column[datetime]:
    return Column(name, UTCDateTime(), nullable=nullable)


companies = Table(
    "companies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("admin_key_hash", String(64), nullable=False, unique=True),
    _ts("created_at"),
    # the account (seats.io's /accounts/me): domain/accounts.py
    Column("email", String(320), nullable=True),
    # the designer key as the workspace keys are kept (services/keys.py); None: the company has none yet
    Column("designer_key_hash", String(64), nullable=True),
    Column("designer_key_salt", String(64), nullable=True),
    Column("password_hash", String(200), nullable=True),  # scrypt, services/passwords.py; None: none set
    Column("hold_period_minutes", Integer, nullable=False, default=15, server_default="15"),
    Column("draft_chart_drawings_enabled", Boolean, nullable=False, default=True, server_default=true()),
)

# A company's chart validation levels (domain/accounts.py): one row for each check set; OFF where none.
account_chart_validation = Table(
    "account_chart_validation",
    metadata,
    Column("company_id", ForeignKey("companies.id"), primary_key=True),
    Column("setting", String(64), primary_key=True),
    Column("level", String(16), nullable=False),
)

workspaces = Table(
    "workspaces",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("company_id", ForeignKey("companies.id"), nullable=False),
    Column("key", String(64), nullable=False, unique=True),  # public workspace key
    Column("name", String(200), nullable=False),
    Column("is_test", Boolean, nullable=False, default=False),
    Column("is_default", Boolean, nullable=False, default=False),
    Column("is_active", Boolean, nullable=False, default=True),
    _ts("created_at"),
    _ts("deleted_at", nullable=True),  # deleted workspaces are kept (their charts and events too), unseen
)

# A workspace's secret keys (one or more): the SHA-256 digest to find the caller by, and the salt the key
# is derived from with the system secret, so it can be shown again (None: shown once). services/keys.py.
workspace_secret_keys = Table(
    "workspace_secret_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("secret_key_hash", String(64), nullable=False, unique=True),
    Column("salt", String(64), nullable=True),
    _ts("created_at"),
)

ticket_buyers = Table(
    "ticket_buyers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the paging cursor
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    Column("buyer_id", String(36), nullable=False),  # a UUID, lower case with hyphens
    _ts("created_at"),
    UniqueConstraint("workspace_id", "buyer_id"),
)

charts = Table(
    "charts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    Column("key", String(128), nullable=False),
    Column("name", String(500), nullable=False),
    Column("published_version", Integer, nullable=False, default=1),
    Column("published_drawing", JSON, nullable=False),
    Column("draft_drawing", JSON(none_as_null=True), nullable=True),  # None is SQL NULL: "no draft"
    Column("tags", JSON, nullable=False, default=list),
    Column("archived", Boolean, nullable=False, default=False),
    _ts("created_at"),
    UniqueConstraint("workspace_id", "key"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    Column("key", String(128), nullable=False),
    Column("chart_id", ForeignKey("charts.id"), nullable=False),
    Column("name", String(500), nullable=True),
    Column("date", String(10), nullable=True),  # ISO date, as seats.io keeps it
    Column("settings", JSON, nullable=False, default=dict),  # tableBookingConfig, forSaleConfig, ...
    _ts("created_at"),
    _ts("updated_at", nullable=True),
    # Bumped by every write that changes which seats may be picked without a status-change log entry
    # (channels, forSale, categories, new objects, a hold brought forward): in-process availability
    # caches (services/availability.py) of every server process reload when they see it move.
    Column("availability_version", Integer, nullable=False, default=0, server_default="0"),
    # seats.io seasons are events too: TOP_LEVEL or PARTIAL (None: a plain event). A partial season and an
    # event in a season name their top-level season (events.id; no foreign key, as the column was added later).
    Column("season_kind", String(16), nullable=True),
    Column("top_level_season_id", Integer, nullable=True),
    UniqueConstraint("workspace_id", "key"),
)

# Which events each season (top-level or partial) holds: a status change on the season changes them too.
season_events = Table(
    "season_events",
    metadata,
    Column("season_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_season_events_event", "event_id"),
)

# Objects of an event in a season whose season status is overridden (seats.io's override-season-status): the
# event sells them on its own, and a status change on the season leaves them alone until the season frees them.
season_overrides = Table(
    "season_overrides",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("label", String(300), primary_key=True),
)

event_objects = Table(
    "event_objects",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("label", String(300), primary_key=True),
    Column("object_type", String(20), nullable=False),
    Column("category_key", String(100), nullable=True),
    Column("section", String(200), nullable=True),
    Column("capacity", Integer, nullable=False, default=0),
    Column("status", String(100), nullable=False, default="free"),
    Column("hold_token", String(64), nullable=True),
    Column("status_before_hold", String(100), nullable=True),
    Column("order_id", String(200), nullable=True),
    Column("ticket_type", String(200), nullable=True),
    Column("channel_key", String(200), nullable=True),
    Column("for_sale", Boolean, nullable=False, default=True),
    # a general admission area's places off sale (seats.io's areaPlaces); the whole area is `for_sale`
    Column("places_not_for_sale", Integer, nullable=False, default=0, server_default="0"),
    # a channel's share of a general admission area is a row of its own (`partition_of` names the area);
    # the area counts the places moved out to its shares in `places_in_channels`
    Column("places_in_channels", Integer, nullable=False, default=0, server_default="0"),
    Column("partition_of", String(300), nullable=True),
    Column("extra_data", JSON, nullable=True),
    Column("resale_listing_id", String(200), nullable=True),
    Column("version", Integer, nullable=False, default=0),
    Index("ix_event_objects_event_status", "event_id", "status"),
    Index("ix_event_objects_hold_token", "hold_token"),
)

area_allocations = Table(
    "area_allocations",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(300), nullable=False),
    Column("status", String(100), nullable=False),
    Column("hold_token", String(64), nullable=True),
    Column("order_id", String(200), nullable=True),
    Column("ticket_type", String(200), nullable=True),
    Column("quantity", Integer, nullable=False),
    Index("ix_area_allocations_event_label", "event_id", "label"),
    Index("ix_area_allocations_hold_token", "hold_token"),
)

hold_tokens = Table(
    "hold_tokens",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    _ts("created_at"),
    _ts("expires_at"),
)

channels = Table(
    "channels",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("color", String(30), nullable=False, default=""),
    Column("position", Integer, nullable=True),  # seats.io's optional channel index
)

status_changes = Table(
    "status_changes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("workspace_id", Integer, nullable=False),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(300), nullable=False),
    Column("status", String(100), nullable=False),
    Column("previous_status", String(100), nullable=False),
    Column("quantity", Integer, nullable=False, default=1),
    Column("hold_token", String(64), nullable=True),
    Column("order_id", String(200), nullable=True),
    Column("ticket_type", String(200), nullable=True),
    Column("channel_key", String(200), nullable=True),
    Column("extra_data", JSON, nullable=True),
    Column("origin", String(40), nullable=False, default="API_CALL"),
    Column("origin_ip", String(64), nullable=True),
    _ts("created_at"),
    Index("ix_status_changes_event", "event_id", "id"),
    Index("ix_status_changes_event_label", "event_id", "label", "id"),
)

event_log = Table(
    "event_log",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    Column("type", String(64), nullable=False),  # chart.created, event.channels.updated, ...
    Column("subject_key", String(128), nullable=False),  # the chart's or the event's key
    _ts("created_at"),
    Index("ix_event_log_workspace", "workspace_id", "id"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(100), primary_key=True),  # the credential the key belongs to
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("response_status", Integer, nullable=True),
    Column("response_body", Text, nullable=True),
    _ts("created_at"),
    Column("owner", String(100), nullable=True),  # the process running it (services.heartbeats.OWNER)
)

# When each server process was last alive: an in-flight idempotency key whose process has gone quiet was
# left by a crash, and may be taken over at once instead of after services.idempotency.IN_FLIGHT_TIMEOUT.
process_heartbeats = Table(
    "process_heartbeats",
    metadata,
    Column("owner", String(100), primary_key=True),
    _ts("beat_at"),
)

# The commerce tables share this metadata; importing them here keeps one schema for Alembic.
from boxoffice.storage import commerce_tables  # noqa: E402, F401

# API users of the Spektrix-style dialect's authenticated mode. The signing key is never stored: it is derived
# from the system secret and the user's id (services/api_users.py), shown once at creation.
api_users = Table(
    "api_users",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    Column("name", String(200), nullable=False),
    _ts("created_at"),
    Column("active", Boolean, nullable=False, default=True),
    UniqueConstraint("workspace_id", "name"),
)
