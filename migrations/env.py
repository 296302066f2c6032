"""Alembic environment: the models' metadata, the database the config names."""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import make_url

import backend.models  # noqa: F401  (registers every table on the metadata)
from backend.config import Config
from backend.db import Base, make_engine
from backend.models.references import compared_on

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("database_url") or Config().DATABASE_URL


def _configure(dialect: str, **kwargs) -> None:
    context.configure(target_metadata=target_metadata, compare_type=True,
                      # SQLite can only change a table by copying it.
                      render_as_batch=True, include_object=compared_on(dialect), **kwargs)


def _run_online(connection) -> None:
    # Batch mode changes a SQLite table by copying it and dropping the old one;
    # with foreign keys on, that drop would fail while other rows point at it.
    # The pragma only takes effect outside a transaction.
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    _configure(connection.dialect.name, connection=connection)
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


if context.is_offline_mode():
    _configure(make_url(_url()).get_backend_name(), url=_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_online(connection)
    else:
        engine = make_engine(_url())
        with engine.connect() as connection:
            _run_online(connection)
        engine.dispose()
