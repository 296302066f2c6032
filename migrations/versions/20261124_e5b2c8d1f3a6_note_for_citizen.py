"""payout_links.note_for_citizen: what the reviewer tells the citizen on a rejection

Revision ID: e5b2c8d1f3a6
Revises: c3f1a9e0b7d4
Create Date: 2026-11-24 22:50:00

A link rejected with the reason OTHER told the citizen to "see the staff note",
which the citizen API never showed: the staff note is written for colleagues.
The reviewer now writes a separate note meant for the citizen.
"""
import sqlalchemy as sa
from alembic import op

revision = 'e5b2c8d1f3a6'
down_revision = 'c3f1a9e0b7d4'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no batch copy) on SQLite too.
    op.add_column('payout_links', sa.Column('note_for_citizen', sa.String(length=500),
                                            nullable=True))


def downgrade():
    with op.batch_alter_table('payout_links', schema=None) as batch_op:
        batch_op.drop_column('note_for_citizen')
