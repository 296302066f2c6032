"""payments: indexes for each stage's scope (payroll, request and status, to request)

Revision ID: 5b1e0c7d2a94
Revises: 84f49a5eb340
Create Date: 2026-11-24 18:10:00

Without them, scoping a stage to its payroll or request scanned every
payment on a fresh database (issue 11). (request_id, status) replaces the
index on request_id alone.
"""
import sqlalchemy as sa
from alembic import op

revision = '5b1e0c7d2a94'
down_revision = '84f49a5eb340'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index('ix_payments_payroll_id', ['payroll_id'], unique=False)
        batch_op.create_index('ix_payments_request_status', ['request_id', 'status'],
                              unique=False)
        batch_op.create_index('ix_payments_to_request', ['period'], unique=False,
                              sqlite_where=sa.text("status IN ('PLANNED', 'FAILED')"),
                              postgresql_where=sa.text("status IN ('PLANNED', 'FAILED')"))
        batch_op.drop_index('ix_payments_request_id')


def downgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index('ix_payments_request_id', ['request_id'], unique=False)
        batch_op.drop_index('ix_payments_to_request')
        batch_op.drop_index('ix_payments_request_status')
        batch_op.drop_index('ix_payments_payroll_id')
