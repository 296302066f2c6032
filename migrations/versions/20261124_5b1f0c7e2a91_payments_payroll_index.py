"""payments: an index on payroll_id, so a payroll's own payments are found without a scan

Revision ID: 5b1f0c7e2a91
Revises: 84f49a5eb340
Create Date: 2026-11-24 17:58:00

Planning a payroll records each new payment's first transition and adds up
its totals by payroll_id; without an index both read the whole table, so
the cost of each import grew with every month already paid.
"""
from alembic import op

revision = '5b1f0c7e2a91'
down_revision = '84f49a5eb340'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_payments_payroll_id', 'payments', ['payroll_id'])


def downgrade():
    op.drop_index('ix_payments_payroll_id', table_name='payments')
