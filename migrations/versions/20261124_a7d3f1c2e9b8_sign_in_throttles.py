"""identity: sign-in throttles per subject and factor replace the accounts' lockout columns

Revision ID: a7d3f1c2e9b8
Revises: 3f7a1c2e9b10
Create Date: 2026-11-24 19:30:00

The lockout counted failures on the account row after the check, so parallel
guesses overtook it, and an unknown ID was never throttled (issue 14). The
counts start afresh: a lock in progress is lifted by the upgrade.
"""
import sqlalchemy as sa
from alembic import op

import backend.db

revision = 'a7d3f1c2e9b8'
down_revision = '3f7a1c2e9b10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_in_throttles',
        sa.Column('subject_hash', sa.String(length=64), nullable=False),
        sa.Column('factor', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('retry_at', backend.db.UTCDateTime(), nullable=True),
        sa.Column('unreported_failures', sa.Integer(), nullable=False),
        sa.CheckConstraint("factor IN ('password', 'otp')", name=op.f('ck_sign_in_throttles_factor')),
        sa.CheckConstraint('attempts >= 0', name=op.f('ck_sign_in_throttles_attempts_positive')),
        sa.CheckConstraint('unreported_failures >= 0',
                           name=op.f('ck_sign_in_throttles_unreported_failures_positive')),
        sa.PrimaryKeyConstraint('subject_hash', 'factor', name=op.f('pk_sign_in_throttles')),
    )
    for table in ('eid_accounts', 'staff_accounts'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_failed_attempts_positive'), type_='check')
            batch_op.drop_column('locked_until')
            batch_op.drop_column('failed_attempts')


def downgrade():
    for table in ('staff_accounts', 'eid_accounts'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('failed_attempts', sa.Integer(), nullable=False,
                                          server_default='0'))
            batch_op.add_column(sa.Column('locked_until', backend.db.UTCDateTime(),
                                          nullable=True))
            batch_op.create_check_constraint(op.f(f'ck_{table}_failed_attempts_positive'),
                                             sa.text('failed_attempts >= 0'))
    op.drop_table('sign_in_throttles')
