"""Storage: one session factory (db.py) and focused repositories for results, API keys,
flags and eval runs, and jobs (the job state machine), with Alembic migrations."""
