"""Throwaway databases for the suite: never the database DATABASE_URL names.

With DATABASE_URL pointing at a PostgreSQL server, each throwaway database is
created on that server and dropped afterwards; otherwise it is a SQLite file.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@contextlib.contextmanager
def throwaway_database(directory: Path, label: str) -> Iterator[str]:
    server = server_url()
    if server is None:
        yield f"sqlite:///{directory / (label + '.sqlite3')}"
        return
    name = f"ssa_{label}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(server).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
