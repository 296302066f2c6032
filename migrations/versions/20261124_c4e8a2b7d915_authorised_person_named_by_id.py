"""payout_links: the authorised person is named by personal ID, resolved after the request

Revision ID: c4e8a2b7d915
Revises: a7d3f1c2e9b8
Create Date: 2026-11-24 20:30:00

Naming an authorised person answered 422 for an ID without a level-2 account
and 202 for one with it (issue 14, item 7). The request now keeps the ID as
named and a task resolves it afterwards, so authorised_account_id may be
empty while the check is pending.
"""
import sqlalchemy as sa
from alembic import op

revision = 'c4e8a2b7d915'
down_revision = 'a7d3f1c2e9b8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payout_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authorised_personal_id', sa.String(length=12),
                                      nullable=True))
    op.execute("UPDATE payout_links SET authorised_personal_id = ("
               "SELECT personal_id FROM social_security_accounts"
               " WHERE social_security_accounts.id = payout_links.authorised_account_id)"
               " WHERE kind = 'authorised_person'")
    with op.batch_alter_table('payout_links', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_payout_links_authorised_person_named'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_payout_links_authorised_person_named'),
            sa.text("(kind = 'authorised_person') = (authorised_personal_id IS NOT NULL)"))


def downgrade():
    # A request still waiting for its check has no account to fall back on.
    op.execute("DELETE FROM payout_links WHERE kind = 'authorised_person'"
               " AND authorised_account_id IS NULL")
    with op.batch_alter_table('payout_links', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_payout_links_authorised_person_named'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_payout_links_authorised_person_named'),
            sa.text("(kind = 'authorised_person') = (authorised_account_id IS NOT NULL)"))
        batch_op.drop_column('authorised_personal_id')
