"""programmes as data: kind, one-off label, budget, closing

Revision ID: b7e2d4f1a6c3
Revises: 5e2b8d41c7a3
Create Date: 2026-11-25 00:00:00

Programmes were fixtures; staff now create, edit and close them (issue 16).
Only `programmes` is copied on SQLite, never `payments`, so the
payment_versions triggers stay as they are.
"""
import sqlalchemy as sa
from alembic import op

import backend.db

revision = 'b7e2d4f1a6c3'
down_revision = '5e2b8d41c7a3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10),
                                      server_default='recurring', nullable=False))
        batch_op.add_column(sa.Column('label', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('budget_vnd', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', backend.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', backend.db.UTCDateTime(), nullable=True))
        batch_op.create_unique_constraint(op.f('uq_programmes_label'), ['label'])
        batch_op.create_check_constraint(
            op.f('ck_programmes_kind'), "kind IN ('recurring', 'one_off')")
        batch_op.create_check_constraint(
            op.f('ck_programmes_label_of_one_off'), "(kind = 'one_off') = (label IS NOT NULL)")
        batch_op.create_check_constraint(
            op.f('ck_programmes_budget_not_negative'), "budget_vnd IS NULL OR budget_vnd >= 0")


def downgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_programmes_budget_not_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_programmes_label_of_one_off'), type_='check')
        batch_op.drop_constraint(op.f('ck_programmes_kind'), type_='check')
        batch_op.drop_constraint(op.f('uq_programmes_label'), type_='unique')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('budget_vnd')
        batch_op.drop_column('label')
        batch_op.drop_column('kind')
