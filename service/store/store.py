"""The repositories over one session factory: results, API keys, flags, eval runs, jobs.

Each repository is focused on one table family; `Store` only opens the database once and
hands the same sessions to all of them.
"""

from __future__ import annotations

from service.store.db import Database
from service.store.flags import EvalRunRepo, FlagRepo
from service.store.jobrepo import JobRepo
from service.store.keys import KeyRepo
from service.store.results import ResultRepo


class Store:
    def __init__(self, url: str) -> None:
        self.db = Database(url)
        self.results = ResultRepo(self.db.sessions)
        self.keys = KeyRepo(self.db.sessions)
        self.flags = FlagRepo(self.db.sessions)
        self.eval_runs = EvalRunRepo(self.db.sessions)
        self.jobs = JobRepo(self.db.sessions)

    def migrate(self) -> None:
        self.db.migrate()

    def close(self) -> None:
        self.db.close()
