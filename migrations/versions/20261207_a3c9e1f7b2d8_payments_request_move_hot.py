"""payments: no index names request_id, so putting a payroll into its requests is HOT

Revision ID: a3c9e1f7b2d8
Revises: d4a7c2e9f130
Create Date: 2026-12-07 09:20:00

Putting a payroll into its requests sets each payment's `request_id`. With
that column in two indexes the move wrote a new entry in every index of
`payments` for each of a million rows (35 s of a national payroll's 176 s,
issue 11). A request is one group, so its payments are now found by the
group index, led by the period so that building a period's requests uses it
too, and checked by request id. The few payments held out of requests, the
few reissues and the transfers (not cash) have partial indexes of their own,
which the rest of a payroll does not enter.

Only indexes are created and dropped (no batch copy of `payments`), so the
SQLite payment_versions triggers stay as they are.
"""
import sqlalchemy as sa
from alembic import op

revision = 'a3c9e1f7b2d8'
down_revision = 'd4a7c2e9f130'
branch_labels = None
depends_on = None


def _partial(column: str) -> dict:
    condition = sa.text(f"{column} IS NOT NULL")
    return {"sqlite_where": condition, "postgresql_where": condition}


def upgrade():
    op.drop_index('ix_payments_request_id', table_name='payments')
    op.drop_index('ix_payments_unrequested', table_name='payments')
    op.drop_index('ix_payments_group', table_name='payments')
    op.drop_index('ix_payments_dispatch_batch_id', table_name='payments')
    op.create_index('ix_payments_group', 'payments', ['period', 'programme', 'province_code'],
                    unique=False)
    op.create_index('ix_payments_held', 'payments', ['period', 'personal_id'], unique=False,
                    **_partial('hold_reason'))
    op.create_index('ix_payments_reissue_of', 'payments', ['reissue_of'], unique=False,
                    **_partial('reissue_of'))
    op.create_index('ix_payments_dispatch_batch_id', 'payments', ['dispatch_batch_id'],
                    unique=False, **_partial('dispatch_batch_id'))


def downgrade():
    op.drop_index('ix_payments_dispatch_batch_id', table_name='payments')
    op.drop_index('ix_payments_reissue_of', table_name='payments')
    op.drop_index('ix_payments_held', table_name='payments')
    op.drop_index('ix_payments_group', table_name='payments')
    op.create_index('ix_payments_dispatch_batch_id', 'payments', ['dispatch_batch_id'],
                    unique=False)
    op.create_index('ix_payments_group', 'payments', ['programme', 'period', 'province_code'],
                    unique=False)
    op.create_index('ix_payments_unrequested', 'payments', ['period'], unique=False,
                    sqlite_where=sa.text("request_id IS NULL"),
                    postgresql_where=sa.text("request_id IS NULL"))
    op.create_index('ix_payments_request_id', 'payments', ['request_id'], unique=False)
