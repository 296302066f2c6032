"""payment_transitions: the transfers paid on a day, for the bank's statement of that day

Revision ID: c8e4a2d6f0b1
Revises: b6d2f8a4c1e9
Create Date: 2026-12-07 12:45:00

A camt.053 statement is matched against the transfers paid on its day. They
were found by `payments.updated_at`, which nothing indexes (every move sets
it, and the moves must stay HOT), so each statement read every payment ever
made. The log of moves is appended to, never rewritten: the day's moves
SENT -> PAID (the only way a transfer is paid) get a partial index of their
own, which cash and every other move never enter.
"""
import sqlalchemy as sa
from alembic import op

revision = 'c8e4a2d6f0b1'
down_revision = 'b6d2f8a4c1e9'
branch_labels = None
depends_on = None

PAID_TRANSFERS = "from_status = 'SENT' AND to_status = 'PAID'"


def upgrade():
    op.create_index('ix_payment_transitions_paid_transfers', 'payment_transitions', ['at'],
                    unique=False, sqlite_where=sa.text(PAID_TRANSFERS),
                    postgresql_where=sa.text(PAID_TRANSFERS))


def downgrade():
    op.drop_index('ix_payment_transitions_paid_transfers', table_name='payment_transitions')
