"""bank results as ISO 20022 files: the files taken in, and each kept result's file

Revision ID: 3f7a1c2e9b10
Revises: 2448d605c931
Create Date: 2026-11-24 19:40:00

A result now comes from a signed callback or a line of a pain.002 / camt.054
file; a file's lines keep the file, not a JSON body. ACCEPTED is a pain.002
ACSC: settled on the debtor's side, not yet credited.
"""
import sqlalchemy as sa
from alembic import op

import backend.db

revision = '3f7a1c2e9b10'
down_revision = '2448d605c931'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bank_result_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('msg_id', sa.String(length=35), nullable=False),
    sa.Column('original_msg_id', sa.String(length=35), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('received_by', sa.String(length=80), nullable=False),
    sa.Column('received_at', backend.db.UTCDateTime(), nullable=False),
    sa.Column('transactions', sa.Integer(), nullable=False),
    sa.Column('unknown', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('pain.002', 'camt.054', 'camt.053')",
                       name=op.f('ck_bank_result_files_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_result_files')),
    sa.UniqueConstraint('file_sha256', name=op.f('uq_bank_result_files_file_sha256')),
    sa.UniqueConstraint('kind', 'msg_id', name='uq_bank_result_files_msg')
    )
    with op.batch_alter_table('bank_callbacks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result_file_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_bank_callbacks_result_file_id_bank_result_files'),
            'bank_result_files', ['result_file_id'], ['id'])
        batch_op.alter_column('payload', existing_type=sa.JSON(), nullable=True)
        batch_op.drop_constraint(batch_op.f('ck_bank_callbacks_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_bank_callbacks_status'),
                                         "status IN ('SETTLED', 'REJECTED', 'ACCEPTED')")


def downgrade():
    op.execute(sa.text("DELETE FROM bank_callbacks WHERE result_file_id IS NOT NULL"))
    with op.batch_alter_table('bank_callbacks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_bank_callbacks_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_bank_callbacks_status'),
                                         "status IN ('SETTLED', 'REJECTED')")
        batch_op.alter_column('payload', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_constraint(
            batch_op.f('fk_bank_callbacks_result_file_id_bank_result_files'),
            type_='foreignkey')
        batch_op.drop_column('result_file_id')
    op.drop_table('bank_result_files')
