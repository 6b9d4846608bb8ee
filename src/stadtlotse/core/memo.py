"""Results kept in this process under a key of everything they are computed from.

Some pages compute a lot from data that changes seldom: the portfolio ranking, a strategy's
progress. They are kept here, never invalidated by hand: the key holds the inputs themselves
or, for tables, ``history_revision`` — the newest history id of each audited table read. Every
write through the models (services, admin, deletions, cascades) adds a history row, so a
changed input is a new key and an old entry is never served for it. Bulk writes that bypass the
models (``bulk_create``, ``update``) add none: code that uses them on these tables must not
rely on the pages' figures in the same process (only the benchmark's data generator does).

Only what is read outside a transaction is kept: inside one, a write may be rolled back and
SQLite then hands out the same history id again. Entries are shared between requests: callers
must not change them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.db import connection


class Memo:
    """A small least-recently-used map, safe across the server's threads."""

    def __init__(self, size: int = 32) -> None:
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        if connection.in_atomic_block:  # only what is committed
            return
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def history_revision(*models) -> tuple:
    """The newest history id of each audited model, in one query."""
    tables = [model.history.model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {t})" for t in tables))  # noqa: S608
        return tuple(cursor.fetchone())
