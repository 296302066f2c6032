"""states: a CHECK on every status column, transition logs for requests and batches

Revision ID: 84f49a5eb340
Revises: 9c4c33b43950
Create Date: 2026-11-24 16:34:30.208945

The statuses are spelt out here as they stood when this ran; the enums in
backend/models/statuses.py are what the models use from now on.
"""
import sqlalchemy as sa
from alembic import op

import backend.db

revision = '84f49a5eb340'
down_revision = '9c4c33b43950'
branch_labels = None
depends_on = None

STATUS_CHECKS = {
    'payout_links': "status IN ('SUBMITTED', 'VERIFYING', 'NEEDS_REVIEW', 'ACTIVE', "
                    "'REJECTED', 'FAILED', 'CANCELLED', 'SUPERSEDED', 'UNLINKED')",
    'dispatch_batches': "status IN ('BUILT', 'SENT')",
    'bank_callbacks': "status IN ('SETTLED', 'REJECTED')",
    'social_security_accounts': "status IN ('ACTIVE')",
}


def _transition_log(table: str, key: str, record_table: str, status_length: int) -> None:
    op.create_table(table,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column(key, sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=status_length), nullable=True),
    sa.Column('to_status', sa.String(length=status_length), nullable=False),
    sa.Column('at', backend.db.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint([key], [f'{record_table}.id'],
                            name=op.f(f'fk_{table}_{key}_{record_table}')),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}'))
    )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_{key}'), [key], unique=False)


def _add_updated_at(table: str) -> None:
    """Every move stamps updated_at; rows made before this start at their creation."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', backend.db.UTCDateTime(), nullable=True))
    op.execute(sa.text(f'UPDATE {table} SET updated_at = created_at'))
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=backend.db.UTCDateTime(),
                              nullable=False)


def upgrade() -> None:
    _transition_log('payment_request_transitions', 'request_id', 'payment_requests', 12)
    _transition_log('dispatch_batch_transitions', 'batch_id', 'dispatch_batches', 10)
    _add_updated_at('payment_requests')
    _add_updated_at('dispatch_batches')
    # Earlier transitions did not record where a payment came from.
    with op.batch_alter_table('payment_transitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_status', sa.String(length=12), nullable=True))
    for table, condition in STATUS_CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f'ck_{table}_status'), condition)


def downgrade() -> None:
    for table in reversed(STATUS_CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_status'), type_='check')
    with op.batch_alter_table('payment_transitions', schema=None) as batch_op:
        batch_op.drop_column('from_status')
    for table in ('dispatch_batches', 'payment_requests'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('updated_at')
    for table, key in (('dispatch_batch_transitions', 'batch_id'),
                       ('payment_request_transitions', 'request_id')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{key}'))
        op.drop_table(table)
