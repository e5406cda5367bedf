"""Persistence: SQLAlchemy 2 with Alembic migrations; SQLite (WAL) by default."""
