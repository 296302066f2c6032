"""reconciliations stored, bank statements, result sources

Revision ID: 2448d605c931
Revises: 5b1e0c7d2a94
Create Date: 2026-11-24 19:14:52.432948

Reconciliation is stored per request after each result (issue 11); the
bank's camt.053 statements are kept to match it against; each kept bank
result names the file (or callback) it came from.
"""
import sqlalchemy as sa
from alembic import op

import backend.db

revision = '2448d605c931'
down_revision = '5b1e0c7d2a94'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bank_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('msg_id', sa.String(length=35), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('statement_date', sa.Date(), nullable=False),
    sa.Column('account', sa.String(length=34), nullable=False),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('received_at', backend.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_statements')),
    sa.UniqueConstraint('file_sha256', name=op.f('uq_bank_statements_file_sha256')),
    sa.UniqueConstraint('msg_id', name=op.f('uq_bank_statements_msg_id'))
    )
    op.create_table('reconciliations',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', backend.db.UTCDateTime(), nullable=False),
    sa.Column('stale', sa.Boolean(), nullable=False),
    sa.Column('trigger', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('differences', sa.JSON(), nullable=False),
    sa.Column('difference_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['payment_requests.id'], name=op.f('fk_reconciliations_request_id_payment_requests')),
    sa.PrimaryKeyConstraint('request_id', name=op.f('pk_reconciliations'))
    )
    op.create_table('statement_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('end_to_end_id', sa.String(length=35), nullable=False),
    sa.Column('amount_vnd', sa.BigInteger(), nullable=False),
    sa.Column('booked_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['bank_statements.id'], name=op.f('fk_statement_entries_statement_id_bank_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_entries'))
    )
    with op.batch_alter_table('statement_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_entries_end_to_end_id'), ['end_to_end_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_entries_statement_id'), ['statement_id'], unique=False)

    with op.batch_alter_table('bank_callbacks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=120), server_default='callback', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('bank_callbacks', schema=None) as batch_op:
        batch_op.drop_column('source')

    with op.batch_alter_table('statement_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_entries_statement_id'))
        batch_op.drop_index(batch_op.f('ix_statement_entries_end_to_end_id'))

    op.drop_table('statement_entries')
    op.drop_table('reconciliations')
    op.drop_table('bank_statements')
