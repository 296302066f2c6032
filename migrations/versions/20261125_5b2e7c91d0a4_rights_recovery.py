"""rights and recovery: app push devices, lost-phone recovery, payment problem reports

Revision ID: 5b2e7c91d0a4
Revises: b7e2d4f1a6c3
Create Date: 2026-11-25 00:00:00

Issue 15's push channel: the devices a citizen's app registered, and the
device a push message went to (in the queue and in the simulated outbox).
Issue 17: lost-phone recoveries, and payment problem reports ("I was not
paid") as support cases, each with their transitions.
"""
import sqlalchemy as sa
from alembic import op

import backend.db

revision = '5b2e7c91d0a4'
down_revision = 'b7e2d4f1a6c3'
branch_labels = None
depends_on = None

RECOVERY_STATUSES = ("status IN ('REQUESTED', 'VERIFIED', 'COMPLETED', 'REFUSED', "
                     "'EXPIRED')")


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


    op.create_table(
        'account_recoveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('citizen_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('verified_by_method', sa.String(length=10), nullable=True),
        sa.Column('verified_by', sa.String(length=80), nullable=True),
        sa.Column('pending_secret_encrypted', sa.String(length=300), nullable=True),
        sa.Column('created_at', backend.db.UTCDateTime(), nullable=False),
        sa.Column('expires_at', backend.db.UTCDateTime(), nullable=False),
        sa.Column('completed_at', backend.db.UTCDateTime(), nullable=True),
        sa.Column('updated_at', backend.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(RECOVERY_STATUSES, name=op.f('ck_account_recoveries_status')),
        sa.CheckConstraint("verified_by_method IS NULL OR verified_by_method IN "
                           "('officer', 'chip')",
                           name=op.f('ck_account_recoveries_verified_by_method')),
        sa.ForeignKeyConstraint(['citizen_id'], ['eid_accounts.id'],
                                name=op.f('fk_account_recoveries_citizen_id_eid_accounts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_recoveries')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_account_recoveries_token_hash')),
    )
    op.create_index(op.f('ix_account_recoveries_citizen_id'), 'account_recoveries',
                    ['citizen_id'])
    op.create_index(op.f('ix_account_recoveries_completed_at'), 'account_recoveries',
                    ['completed_at'])
    _transitions_table('account_recovery_transitions', 'recovery_id', 'account_recoveries')
    op.create_table(
        'payment_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=False),
        sa.Column('personal_id', sa.String(length=12), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('note', sa.String(length=1000), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('due_at', backend.db.UTCDateTime(), nullable=False),
        sa.Column('taken_by', sa.String(length=80), nullable=True),
        sa.Column('answer', sa.String(length=2000), nullable=True),
        sa.Column('answered_by', sa.String(length=80), nullable=True),
        sa.Column('answered_at', backend.db.UTCDateTime(), nullable=True),
        sa.Column('created_at', backend.db.UTCDateTime(), nullable=False),
        sa.Column('updated_at', backend.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("status IN ('OPEN', 'IN_PROGRESS', 'ANSWERED')",
                           name=op.f('ck_payment_reports_status')),
        sa.CheckConstraint("kind IN ('not_received', 'wrong_amount', 'not_mine')",
                           name=op.f('ck_payment_reports_kind')),
        sa.CheckConstraint("(status = 'ANSWERED') = (answer IS NOT NULL)",
                           name=op.f('ck_payment_reports_answered_with_answer')),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id'],
                                name=op.f('fk_payment_reports_payment_id_payments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_reports')),
    )
    op.create_index(op.f('ix_payment_reports_payment_id'), 'payment_reports', ['payment_id'])
    op.create_index(op.f('ix_payment_reports_personal_id'), 'payment_reports', ['personal_id'])
    waiting = sa.text("status <> 'ANSWERED'")
    op.create_index('uq_payment_reports_waiting', 'payment_reports', ['payment_id'],
                    unique=True, sqlite_where=waiting, postgresql_where=waiting)
    op.create_index('ix_payment_reports_due', 'payment_reports', ['due_at'],
                    sqlite_where=waiting, postgresql_where=waiting)
    _transitions_table('payment_report_transitions', 'report_id', 'payment_reports', 12)


def _transitions_table(name: str, key: str, record: str, status_length: int = 10) -> None:
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column(key, sa.Integer(), nullable=False),
        sa.Column('from_status', sa.String(length=status_length), nullable=True),
        sa.Column('to_status', sa.String(length=status_length), nullable=False),
        sa.Column('at', backend.db.UTCDateTime(), nullable=False),
        sa.Column('actor', sa.String(length=80), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=True),
        sa.Column('note', sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint([key], [f'{record}.id'], name=op.f(f'fk_{name}_{key}_{record}')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    )
    op.create_index(op.f(f'ix_{name}_{key}'), name, [key])


def downgrade() -> None:
    op.drop_table('payment_report_transitions')
    for index in ('ix_payment_reports_due', 'uq_payment_reports_waiting',
                  op.f('ix_payment_reports_personal_id'), op.f('ix_payment_reports_payment_id')):
        op.drop_index(index, table_name='payment_reports')
    op.drop_table('payment_reports')
    op.drop_table('account_recovery_transitions')
    op.drop_index(op.f('ix_account_recoveries_completed_at'), table_name='account_recoveries')
    op.drop_index(op.f('ix_account_recoveries_citizen_id'), table_name='account_recoveries')
    op.drop_table('account_recoveries')
    op.drop_column('sim_sms_outbox', 'device_token')
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbound_messages_push_device'), type_='check')
        batch_op.drop_column('device_token')
    op.drop_index(op.f('ix_push_devices_citizen_id'), table_name='push_devices')
    op.drop_table('push_devices')
