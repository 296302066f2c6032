"""passcodes: a citizen's 6-digit passcode for step-up, counted as its own sign-in factor

Revision ID: c6a1f3e8d2b7
Revises: b5d2e8f14a63
Create Date: 2026-11-25 01:30:00

Linking took a second one-time code, and a wait of up to 30 s for it (issue 18).
A passcode set with a one-time code confirms sensitive actions instead; its
failures are counted apart from the password's and the code's.
"""
import sqlalchemy as sa
from alembic import op

revision = 'c6a1f3e8d2b7'
down_revision = 'b5d2e8f14a63'
branch_labels = None
depends_on = None


def _factors(factors: str) -> None:
    with op.batch_alter_table('sign_in_throttles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sign_in_throttles_factor'), type_='check')
        batch_op.create_check_constraint(op.f('ck_sign_in_throttles_factor'),
                                         sa.text(f"factor IN ({factors})"))


def upgrade():
    with op.batch_alter_table('eid_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('passcode_hash', sa.String(length=200), nullable=True))
    _factors("'password', 'otp', 'passcode'")


def downgrade():
    op.execute("DELETE FROM sign_in_throttles WHERE factor = 'passcode'")
    _factors("'password', 'otp'")
    with op.batch_alter_table('eid_accounts', schema=None) as batch_op:
        batch_op.drop_column('passcode_hash')
