"""institution_inquiries: account-holder inquiries (acmt.023/024) and each institution's line

Revision ID: b5d2e8f14a63
Revises: 5b2e7c91d0a4
Create Date: 2026-11-25 00:00:00

Verification no longer holds a worker thread while a bank thinks: each link
request's inquiry is a row that waits for a slot at its institution, is sent,
and is answered, timed out or failed (issue 13).
"""
import sqlalchemy as sa
from alembic import op

import backend.db

revision = 'b5d2e8f14a63'
down_revision = '5b2e7c91d0a4'
branch_labels = None
depends_on = None

STATUSES = ("'WAITING', 'SENT', 'ANSWERED', 'TIMED_OUT', 'FAILED', 'WITHDRAWN'")
OPEN = "status IN ('WAITING', 'SENT')"


def upgrade():
    op.create_table(
        'institution_inquiries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('link_id', sa.Integer(), nullable=False),
        sa.Column('institution', sa.String(length=20), nullable=False),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_at', backend.db.UTCDateTime(), nullable=False),
        sa.Column('updated_at', backend.db.UTCDateTime(), nullable=False),
        sa.Column('sent_at', backend.db.UTCDateTime(), nullable=True),
        sa.Column('due_at', backend.db.UTCDateTime(), nullable=True),
        sa.Column('answered_at', backend.db.UTCDateTime(), nullable=True),
        sa.Column('answer_ms', sa.Integer(), nullable=True),
        sa.Column('report', sa.JSON(), nullable=True),
        sa.CheckConstraint(f'status IN ({STATUSES})',
                           name=op.f('ck_institution_inquiries_status')),
        sa.CheckConstraint('attempt >= 1', name=op.f('ck_institution_inquiries_attempt')),
        sa.CheckConstraint('answer_ms >= 0', name=op.f('ck_institution_inquiries_answer_ms')),
        sa.ForeignKeyConstraint(['institution'], ['institutions.code'],
                                name=op.f('fk_institution_inquiries_institution_institutions')),
        sa.ForeignKeyConstraint(['link_id'], ['payout_links.id'],
                                name=op.f('fk_institution_inquiries_link_id_payout_links')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_inquiries')),
    )
    with op.batch_alter_table('institution_inquiries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_inquiries_link_id'), ['link_id'],
                              unique=False)
        batch_op.create_index('uq_institution_inquiries_one_open', ['link_id'], unique=True,
                              sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
        batch_op.create_index('ix_institution_inquiries_line',
                              ['institution', 'status', 'id'], unique=False)
        batch_op.create_index('ix_institution_inquiries_due', ['status', 'due_at'],
                              unique=False)
        batch_op.create_index('ix_institution_inquiries_answered',
                              ['institution', 'answered_at'], unique=False)
    op.create_table(
        'institution_inquiry_transitions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inquiry_id', sa.Integer(), nullable=False),
        sa.Column('from_status', sa.String(length=20), nullable=True),
        sa.Column('to_status', sa.String(length=20), nullable=False),
        sa.Column('at', backend.db.UTCDateTime(), nullable=False),
        sa.Column('actor', sa.String(length=80), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ['inquiry_id'], ['institution_inquiries.id'],
            name=op.f('fk_institution_inquiry_transitions_inquiry_id_institution_inquiries')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_inquiry_transitions')),
    )
    with op.batch_alter_table('institution_inquiry_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_inquiry_transitions_inquiry_id'),
                              ['inquiry_id'], unique=False)
    op.create_table(
        'institution_inquiry_lines',
        sa.Column('institution', sa.String(length=20), nullable=False),
        sa.Column('open_inquiries', sa.Integer(), nullable=False),
        sa.Column('consecutive_failures', sa.Integer(), nullable=False),
        sa.Column('paused_until', backend.db.UTCDateTime(), nullable=True),
        sa.CheckConstraint('open_inquiries >= 0',
                           name=op.f('ck_institution_inquiry_lines_open_inquiries')),
        sa.CheckConstraint('consecutive_failures >= 0',
                           name=op.f('ck_institution_inquiry_lines_consecutive_failures')),
        sa.ForeignKeyConstraint(
            ['institution'], ['institutions.code'],
            name=op.f('fk_institution_inquiry_lines_institution_institutions')),
        sa.PrimaryKeyConstraint('institution', name=op.f('pk_institution_inquiry_lines')),
    )


def downgrade():
    op.drop_table('institution_inquiry_lines')
    with op.batch_alter_table('institution_inquiry_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_inquiry_transitions_inquiry_id'))
    op.drop_table('institution_inquiry_transitions')
    with op.batch_alter_table('institution_inquiries', schema=None) as batch_op:
        batch_op.drop_index('ix_institution_inquiries_answered')
        batch_op.drop_index('ix_institution_inquiries_due')
        batch_op.drop_index('ix_institution_inquiries_line')
        batch_op.drop_index('uq_institution_inquiries_one_open', sqlite_where=sa.text(OPEN),
                            postgresql_where=sa.text(OPEN))
        batch_op.drop_index(batch_op.f('ix_institution_inquiries_link_id'))
    op.drop_table('institution_inquiries')
