"""Alembic owns the schema: upgrading an empty database gives exactly the models."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import backend.models  # noqa: F401
from backend import schema
from backend.db import Base, make_engine
from tests.databases import throwaway_database


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_upgrade_head_matches_the_models(tmp_path):
    with throwaway_database(tmp_path, "migrations") as url:
        schema.upgrade(url)
        assert _differences(url) == []


def test_downgrade_to_base_and_up_again(tmp_path):
    with throwaway_database(tmp_path, "roundtrip") as url:
        schema.upgrade(url)
        command.downgrade(schema.alembic_config(url), "base")
        engine = make_engine(url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        schema.upgrade(url)
        assert _differences(url) == []
