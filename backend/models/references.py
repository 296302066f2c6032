"""Foreign keys that PostgreSQL checks once a statement, not once a row.

A national payroll writes a million payments in one statement, and a foreign
key is checked one query a row, each locking the row it names: 3-5 s of such
a statement (issue 11). A column declared with `checked_per_statement` stays
a foreign key in the models (the ORM joins on it; SQLite enforces it as
such), but on PostgreSQL a statement trigger checks it (migrations
a7c3e9f1d5b2, b9d5f1a3c7e6, c3e7a9d1f5b8): every value the statement wrote
must name a row. No lock is needed, because the rows they name are never
lost: the database refuses to delete a payroll, a request, a dispatch
batch, a payment, a social security account or a bank result file, or to
change its id, on both databases.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ForeignKey, ForeignKeyConstraint

CHECKED_PER_STATEMENT = "checked_per_statement"


def checked_per_statement(target: str) -> ForeignKey:
    """A foreign key to a table whose rows are never lost, checked per statement on PostgreSQL."""
    return ForeignKey(target, info={CHECKED_PER_STATEMENT: True})


def compared_on(dialect: str) -> Callable[..., bool]:
    """Alembic's include_object: leaves out the foreign keys the database checks by trigger."""
    def include(item: Any, name: str | None, type_: str, reflected: bool,
                compare_to: Any) -> bool:
        return not (dialect == "postgresql" and isinstance(item, ForeignKeyConstraint)
                    and any(key.info.get(CHECKED_PER_STATEMENT) for key in item.elements))
    return include
