"""payment_moves: a move of whole requests or a whole payroll recorded once

Revision ID: d9f3b5e1a7c4
Revises: c8e4a2d6f0b1
Create Date: 2026-12-07 15:10:00

A national payroll's stages (planning, requests, Treasury control, cash
collected, a large result file's credits) each moved a million payments
and wrote a million transition rows, each with a foreign-key check: 38 s of a million-payment move, 13 s
of it the rows and checks (issue 11). On PostgreSQL such a move is now
recorded once in `payment_moves` (from, to, time, actor, reason, as a
transition), and each payment it moved names it in `payments.moves`, in the
same write that moves it, and the move keeps the requests it touched (a
bank's statement finds the transfers paid on its day by them, through a
partial index like the transitions'). A payment's history is its own
transitions and the moves it names, in the order of their ids: both take
them from the transitions' sequence.

What the foreign key checked, a trigger checks: at the end of each
statement that writes payments, every move they name must be recorded.
SQLite records every move per payment, as before; the column stays empty.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'd9f3b5e1a7c4'
down_revision = 'c8e4a2d6f0b1'
branch_labels = None
depends_on = None

EVENTS = ("insert", "update")
PAID_TRANSFERS = "from_status = 'SENT' AND to_status = 'PAID'"

CHECK_FUNCTION = """
CREATE FUNCTION check_payment_moves_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT unnest(moves) AS id FROM changed_payments) named
               WHERE NOT EXISTS (SELECT 1 FROM payment_moves WHERE payment_moves.id = named.id))
    THEN
        RAISE EXCEPTION 'a payment names a move that is not recorded in payment_moves'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade():
    op.create_table(
        'payment_moves',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('from_status', sa.String(length=12), nullable=True),
        sa.Column('to_status', sa.String(length=12), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor', sa.String(length=80), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=True),
        sa.Column('request_ids', postgresql.ARRAY(sa.Integer()).with_variant(sa.JSON(), 'sqlite'),
                  nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_moves')))
    op.create_index('ix_payment_moves_paid_transfers', 'payment_moves', ['at'], unique=False,
                    sqlite_where=sa.text(PAID_TRANSFERS),
                    postgresql_where=sa.text(PAID_TRANSFERS))
    # A plain ADD COLUMN, no copy of the table: the SQLite triggers stay.
    op.add_column('payments', sa.Column(
        'moves', postgresql.ARRAY(sa.Integer()).with_variant(sa.JSON(), 'sqlite'),
        nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CHECK_FUNCTION)
        for event in EVENTS:
            op.execute(f"CREATE TRIGGER payments_moves_recorded_{event} AFTER {event.upper()}"
                       " ON payments REFERENCING NEW TABLE AS changed_payments"
                       " FOR EACH STATEMENT EXECUTE FUNCTION check_payment_moves_recorded()")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        # Each recorded move back as a transition of each payment it moved,
        # and the whole log numbered again in the order of the ids it had,
        # which is the order a payment's history is read in.
        op.execute("CREATE TEMPORARY TABLE merged_steps ON COMMIT DROP AS"
                   " SELECT id AS step_id, payment_id, from_status, to_status, at, actor,"
                   " reason FROM payment_transitions UNION ALL"
                   " SELECT m.id, payments.id, m.from_status, m.to_status, m.at, m.actor,"
                   " m.reason FROM payments CROSS JOIN unnest(payments.moves) AS named(id)"
                   " JOIN payment_moves m ON m.id = named.id")
        op.execute("DELETE FROM payment_transitions")
        op.execute("INSERT INTO payment_transitions (payment_id, from_status, to_status, at,"
                   " actor, reason) SELECT payment_id, from_status, to_status, at, actor,"
                   " reason FROM merged_steps ORDER BY step_id, payment_id")
        for event in EVENTS:
            op.execute(f"DROP TRIGGER payments_moves_recorded_{event} ON payments")
        op.execute("DROP FUNCTION check_payment_moves_recorded()")
    op.drop_column('payments', 'moves')
    op.drop_index('ix_payment_moves_paid_transfers', table_name='payment_moves')
    op.drop_table('payment_moves')
