"""Storage adapters: SQLAlchemy Core tables, the unit of work and every query. SQLite and PostgreSQL."""
