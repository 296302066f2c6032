"""the citizen's rights: consents can be withdrawn, sessions show where and when they were used

Revision ID: b8e2d4f6a1c3
Revises: e5b2c8d1f3a6
Create Date: 2026-11-25 08:00:00

A consent keeps its row when withdrawn (when it was given stays on record);
a session keeps the approximate place of its sign-in (never the address
itself), the device it named and when its tokens were last renewed.
"""
import sqlalchemy as sa
from alembic import op

import backend.db

revision = 'b8e2d4f6a1c3'
down_revision = 'e5b2c8d1f3a6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', backend.db.UTCDateTime(), nullable=True))
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_agent', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('place', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('last_seen_at', backend.db.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')
        batch_op.drop_column('place')
        batch_op.drop_column('user_agent')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')
