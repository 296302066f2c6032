"""Alembic owns the schema; this runs it from the service and the tests."""
from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig

from backend.config import REPO_ROOT


def alembic_config(database_url: str) -> AlembicConfig:
    config = AlembicConfig(str(REPO_ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
