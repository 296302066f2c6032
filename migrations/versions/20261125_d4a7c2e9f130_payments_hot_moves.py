"""payments: no index names the status, and room on each page, so moves are HOT

Revision ID: d4a7c2e9f130
Revises: c6a1f3e8d2b7
Create Date: 2026-11-25 01:30:00

A payment's status moves four or five times on its way to PAID, each move
of a national payroll a million rows. With `status` in three indexes every
move wrote a new entry in all nine indexes of `payments` (issue 11). Now no
index names it, the payments of a request or group are found by request id
or group, those not yet requested by a partial index on `request_id IS
NULL`, and the failed ones through their transition to FAILED. On
PostgreSQL `payments` and `payment_versions` (bumped by the triggers on
every move) keep half of each page free, so the new version of a moved row
fits on its page: a HOT update, which writes no index at all.

The triggers' function sorts the people a statement changed; for a
million moved payments that spilled to disk with the default work_mem, so
the function now runs with more.

Only indexes are created and dropped (no batch copy of `payments`), so the
SQLite payment_versions triggers stay as they are.
"""
import sqlalchemy as sa
from alembic import op

revision = 'd4a7c2e9f130'
down_revision = 'c6a1f3e8d2b7'
branch_labels = None
depends_on = None

FILLFACTOR = 50

# Rows in person order, so two bulk statements bumping the same people take
# their row locks in the same order and cannot deadlock each other.
BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION bump_payment_versions() RETURNS trigger LANGUAGE plpgsql
{settings} AS $$
BEGIN
    INSERT INTO payment_versions (personal_id, version)
    SELECT DISTINCT personal_id, 1 FROM changed_payments ORDER BY personal_id
    ON CONFLICT (personal_id) DO UPDATE SET version = payment_versions.version + 1;
    RETURN NULL;
END
$$
"""


def upgrade():
    op.drop_index('ix_payments_group', table_name='payments')
    op.drop_index('ix_payments_request_status', table_name='payments')
    op.drop_index('ix_payments_to_request', table_name='payments')
    op.create_index('ix_payments_group', 'payments', ['programme', 'period', 'province_code'],
                    unique=False)
    op.create_index('ix_payments_request_id', 'payments', ['request_id'], unique=False)
    op.create_index('ix_payments_unrequested', 'payments', ['period'], unique=False,
                    sqlite_where=sa.text("request_id IS NULL"),
                    postgresql_where=sa.text("request_id IS NULL"))
    op.create_index('ix_payment_transitions_failed', 'payment_transitions', ['payment_id'],
                    unique=False, sqlite_where=sa.text("to_status = 'FAILED'"),
                    postgresql_where=sa.text("to_status = 'FAILED'"))
    if op.get_bind().dialect.name == "postgresql":
        # Pages written from now on; VACUUM FULL would rewrite the old ones.
        op.execute(f"ALTER TABLE payments SET (fillfactor = {FILLFACTOR})")
        op.execute(f"ALTER TABLE payment_versions SET (fillfactor = {FILLFACTOR})")
        op.execute(BUMP_FUNCTION.format(settings="SET work_mem = '64MB'"))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BUMP_FUNCTION.format(settings=""))
        op.execute("ALTER TABLE payment_versions RESET (fillfactor)")
        op.execute("ALTER TABLE payments RESET (fillfactor)")
    op.drop_index('ix_payment_transitions_failed', table_name='payment_transitions')
    op.drop_index('ix_payments_unrequested', table_name='payments')
    op.drop_index('ix_payments_request_id', table_name='payments')
    op.drop_index('ix_payments_group', table_name='payments')
    op.create_index('ix_payments_group', 'payments',
                    ['programme', 'period', 'province_code', 'status'], unique=False)
    op.create_index('ix_payments_request_status', 'payments', ['request_id', 'status'],
                    unique=False)
    op.create_index('ix_payments_to_request', 'payments', ['period'], unique=False,
                    sqlite_where=sa.text("status IN ('PLANNED', 'FAILED')"),
                    postgresql_where=sa.text("status IN ('PLANNED', 'FAILED')"))
