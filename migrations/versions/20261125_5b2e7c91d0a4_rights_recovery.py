"""rights and recovery: app push devices, lost-phone recovery, payment problem reports

Revision ID: 5b2e7c91d0a4
Revises: c3f1a9e0b7d4
Create Date: 2026-11-25 00:00:00

Issue 15's push channel: the devices a citizen's app registered, and the
device a push message went to (in the queue and in the simulated outbox).
"""
import sqlalchemy as sa
from alembic import op

import backend.db

revision = '5b2e7c91d0a4'
down_revision = 'c3f1a9e0b7d4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'push_devices',
        sa.Column('token', sa.String(length=255), nullable=False),
        sa.Column('citizen_id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(length=10), nullable=False),
        sa.Column('registered_at', backend.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("platform IN ('android', 'ios')",
                           name=op.f('ck_push_devices_platform')),
        sa.ForeignKeyConstraint(['citizen_id'], ['eid_accounts.id'],
                                name=op.f('fk_push_devices_citizen_id_eid_accounts')),
        sa.PrimaryKeyConstraint('token', name=op.f('pk_push_devices')),
    )
    op.create_index(op.f('ix_push_devices_citizen_id'), 'push_devices', ['citizen_id'])
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device_token', sa.String(length=255), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_outbound_messages_push_device'),
            "(channel = 'push') = (device_token IS NOT NULL)")
    op.add_column('sim_sms_outbox',
                  sa.Column('device_token', sa.String(length=255), nullable=True))


def downgrade() -> None:
    op.drop_column('sim_sms_outbox', 'device_token')
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbound_messages_push_device'), type_='check')
        batch_op.drop_column('device_token')
    op.drop_index(op.f('ix_push_devices_citizen_id'), table_name='push_devices')
    op.drop_table('push_devices')
