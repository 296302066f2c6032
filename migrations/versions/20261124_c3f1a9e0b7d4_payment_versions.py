"""payment_versions: a per-person counter bumped by triggers on payments

Revision ID: c3f1a9e0b7d4
Revises: ea161e8631a5
Create Date: 2026-11-24 19:30:00

The citizen's payment list is polled with If-None-Match; its ETag is this
counter, read with one index look-up. Triggers bump it in the transaction
that changes a payment, whichever code changes it. On PostgreSQL one
statement-level trigger per event reads the statement's transition table, so
a bulk move of 100,000 payments bumps each person once, set-based; SQLite
has row triggers only (the embedded default's volumes).
"""
import sqlalchemy as sa
from alembic import op

revision = 'c3f1a9e0b7d4'
down_revision = 'ea161e8631a5'
branch_labels = None
depends_on = None

EVENTS = ("insert", "update", "delete")

# Rows in person order, so two bulk statements bumping the same people take
# their row locks in the same order and cannot deadlock each other.
POSTGRESQL_FUNCTION = """
CREATE FUNCTION bump_payment_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO payment_versions (personal_id, version)
    SELECT DISTINCT personal_id, 1 FROM changed_payments ORDER BY personal_id
    ON CONFLICT (personal_id) DO UPDATE SET version = payment_versions.version + 1;
    RETURN NULL;
END
$$
"""


def _sqlite_trigger(event: str) -> str:
    row = "OLD" if event == "delete" else "NEW"
    return f"""
CREATE TRIGGER payments_version_{event} AFTER {event.upper()} ON payments
BEGIN
    INSERT INTO payment_versions (personal_id, version) VALUES ({row}.personal_id, 1)
    ON CONFLICT (personal_id) DO UPDATE SET version = version + 1;
END
"""


def upgrade():
    op.create_table(
        'payment_versions',
        sa.Column('personal_id', sa.String(length=12), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('personal_id', name=op.f('pk_payment_versions')),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        for event in EVENTS:
            table = "OLD TABLE" if event == "delete" else "NEW TABLE"
            op.execute(f"CREATE TRIGGER payments_version_{event} AFTER {event.upper()} "
                       f"ON payments REFERENCING {table} AS changed_payments "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION bump_payment_versions()")
    else:
        for event in EVENTS:
            op.execute(_sqlite_trigger(event))


def downgrade():
    for event in EVENTS:
        op.execute(f"DROP TRIGGER payments_version_{event}"
                   + (" ON payments" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION bump_payment_versions()")
    op.drop_table('payment_versions')
