"""payment_requests.cash_deadline: the hourly cash expiry reads only the requests it names

Revision ID: b6d2f8a4c1e9
Revises: a3c9e1f7b2d8
Create Date: 2026-12-07 10:15:00

Cash not collected by its deadline returns to the Treasury, checked every
hour. No index of `payments` may name the deadline (it is set by the move
that makes a payroll's cash ready, which must stay HOT), so the check read
every payment ever made, every hour. A request now carries the deadline of
the cash its approval made ready, until the expiry has returned what was
left; the check reads those requests' payments only. Requests with cash
waiting today get theirs from their payments.
"""
import sqlalchemy as sa
from alembic import op

revision = 'b6d2f8a4c1e9'
down_revision = 'a3c9e1f7b2d8'
branch_labels = None
depends_on = None

# Found by the group index: no index of payments names request_id.
BACKFILL = """
UPDATE payment_requests SET cash_deadline = (
    SELECT max(payments.cash_deadline) FROM payments
    WHERE payments.period = payment_requests.period
      AND payments.programme = payment_requests.programme
      AND payments.province_code = payment_requests.province_code
      AND payments.request_id = payment_requests.id
      AND payments.status = 'CASH_READY')
"""


def upgrade():
    with op.batch_alter_table('payment_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cash_deadline', sa.Date(), nullable=True))
    op.create_index('ix_payment_requests_cash_deadline', 'payment_requests', ['cash_deadline'],
                    unique=False, sqlite_where=sa.text("cash_deadline IS NOT NULL"),
                    postgresql_where=sa.text("cash_deadline IS NOT NULL"))
    op.execute(BACKFILL)


def downgrade():
    op.drop_index('ix_payment_requests_cash_deadline', table_name='payment_requests')
    with op.batch_alter_table('payment_requests', schema=None) as batch_op:
        batch_op.drop_column('cash_deadline')
