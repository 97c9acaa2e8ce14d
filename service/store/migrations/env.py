"""Alembic environment: the engine comes from the caller (service.store.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from service.store.tables import Base

engine = context.config.attributes.get("engine")
assert isinstance(engine, Engine), "run migrations through service.store.migrate"

with engine.connect() as connection:
    if engine.dialect.name == "postgresql":
        # Two processes starting at once must not both create the tables.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(72410531)")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=engine.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
