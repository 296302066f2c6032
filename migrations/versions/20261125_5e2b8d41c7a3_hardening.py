"""hardening: identifiers in one canonical form, checked by the database;
staff cases for contradicting bank results

Revision ID: 5e2b8d41c7a3
Revises: b8e2d4f6a1c3
Create Date: 2026-11-25 00:00:00

Issue 14: a CHECK on every column that holds a personal ID, a period, a
province code, a BIN, a phone number, the last 4 digits of an account or a
programme code, so that a value in another script's digits, with a
zero-width or exotic space, a sign or a trailing newline cannot be stored
whatever the path (a period in fullwidth digits was once paid as a second
month). The conditions use length, substr and ltrim(x, chars), which SQLite
and PostgreSQL read alike; they are spelt out as they stood when this ran
(backend/canonical.py builds the models' ones).

result_conflicts: one staff case per payment the bank reported both settled
and rejected.

On SQLite a CHECK is added by copying the table, which drops the triggers of
payments: they are made again as 20261124_c3f1a9e0b7d4_payment_versions
made them.
"""
import sqlalchemy as sa
from alembic import op

import backend.db

revision = '5e2b8d41c7a3'
down_revision = 'b8e2d4f6a1c3'
branch_labels = None
depends_on = None

_DIGITS = "'0123456789'"
_CAPITALS = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"


def _digits(column: str, length: int) -> str:
    return f"length({column}) = {length} AND ltrim({column}, {_DIGITS}) = ''"


def _period(column: str) -> str:
    """A month (YYYY-MM), or a one-off programme's label (QK2025), as canonical.sql_period."""
    month = (f"length({column}) = 7 AND substr({column}, 5, 1) = '-'"
             f" AND ltrim(substr({column}, 1, 4) || substr({column}, 6, 2), {_DIGITS}) = ''"
             f" AND substr({column}, 6, 2) BETWEEN '01' AND '12'")
    label = (f"length({column}) BETWEEN 5 AND 7"
             f" AND ltrim(substr({column}, 1, 1), {_CAPITALS}) = ''"
             f" AND ltrim(substr({column}, 2), '{_CAPITALS[1:-1]}0123456789') = ''"
             f" AND ltrim(substr({column}, length({column}) - 3), {_DIGITS}) = ''")
    return f"({month}) OR ({label})"


def _programme_code(column: str) -> str:
    return (f"length({column}) BETWEEN 1 AND 30"
            f" AND ltrim({column}, 'abcdefghijklmnopqrstuvwxyz0123456789_') = ''"
            f" AND ltrim(substr({column}, 1, 1), 'abcdefghijklmnopqrstuvwxyz') = ''")


CANONICAL_CHECKS = {
    'eid_accounts': {'personal_id_canonical': _digits('personal_id', 12),
                     'phone_canonical': _digits('phone', 10)},
    'social_security_accounts': {'personal_id_canonical': _digits('personal_id', 12)},
    'institutions': {'bin_canonical': _digits('bin', 6)},
    'programmes': {'code_canonical': _programme_code('code')},
    'payout_links': {'account_last4_canonical': _digits('account_last4', 4),
                     'authorised_personal_id_canonical': _digits('authorised_personal_id', 12),
                     'province_code_canonical': _digits('province_code', 3)},
    'payroll_rows': {'personal_id_canonical': _digits('personal_id', 12),
                     'period_canonical': _period('period'),
                     'province_code_canonical': _digits('province_code', 3)},
    'payment_requests': {'period_canonical': _period('period'),
                         'province_code_canonical': _digits('province_code', 3)},
    'payments': {'personal_id_canonical': _digits('personal_id', 12),
                 'programme_canonical': _programme_code('programme'),
                 'period_canonical': _period('period'),
                 'province_code_canonical': _digits('province_code', 3),
                 'destination_last4_canonical': _digits('destination_last4', 4)},
}

PAYMENT_TRIGGER_EVENTS = ("insert", "update", "delete")


def _sqlite_payment_trigger(event: str) -> str:
    row = "OLD" if event == "delete" else "NEW"
    return f"""
CREATE TRIGGER payments_version_{event} AFTER {event.upper()} ON payments
BEGIN
    INSERT INTO payment_versions (personal_id, version) VALUES ({row}.personal_id, 1)
    ON CONFLICT (personal_id) DO UPDATE SET version = version + 1;
END
"""


def _restore_payment_triggers() -> None:
    """SQLite's batch copy of payments dropped them; PostgreSQL altered in place."""
    if op.get_bind().dialect.name == "sqlite":
        for event in PAYMENT_TRIGGER_EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS payments_version_{event}")
            op.execute(_sqlite_payment_trigger(event))


def upgrade() -> None:
    op.create_table('result_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('end_to_end_id', sa.String(length=35), nullable=False),
    sa.Column('opened_at', backend.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'],
                            name=op.f('fk_result_conflicts_payment_id_payments')),
    sa.ForeignKeyConstraint(['request_id'], ['payment_requests.id'],
                            name=op.f('fk_result_conflicts_request_id_payment_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_conflicts')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_result_conflicts_payment_id'))
    )
    with op.batch_alter_table('result_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_result_conflicts_request_id'), ['request_id'],
                              unique=False)
    for table, checks in CANONICAL_CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in checks.items():
                batch_op.create_check_constraint(op.f(f'ck_{table}_{name}'), condition)
    _restore_payment_triggers()


def downgrade() -> None:
    for table, checks in reversed(CANONICAL_CHECKS.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in checks:
                batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
    _restore_payment_triggers()
    with op.batch_alter_table('result_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_result_conflicts_request_id'))
    op.drop_table('result_conflicts')
