"""payments: each row counts its own changes; payment_versions goes

Revision ID: f2b8d4a6c0e3
Revises: e5a1c7f3b9d2
Create Date: 2026-12-07 21:00:00

The payment list's ETag was a per-person counter in `payment_versions`,
bumped by a statement trigger in the transaction of every write to
`payments`. A national payroll's stages each move a million payments, and
the bump (an upsert of a million counters, sorted) took 4.5-6 s of each
such statement, about 13 s of a million-row payroll's minute (issue 11).

Now each payment carries `revision`: 1 when it is made, one more at every
change. The application writes `revision = revision + 1` in the same UPDATE
(the model's `onupdate`), which costs nothing more than the row it already
writes. A row trigger guards every other path: a change that did not raise
the revision gets it raised (PostgreSQL: BEFORE, so still one row version;
its WHEN is evaluated without calling the function, so the application's
own updates never enter it). The list's version is the sum of the person's
revisions, which rises with every committed change whatever order
transactions commit in (a maximum would not: a change committed late under
an earlier number would hide behind a later one).

The sum only rises if a payment never leaves its person: payments are never
deleted (they are money records: a wrong one is cancelled) and a payment's
personal ID never changes. The database now refuses both.

Every existing row starts at 1. The sums start again from the number of a
person's payments, which may equal a counter an app still holds, so the
list's ETag changes its form with this revision (backend.services.payments.
listing), and no tag from before matches one from after.
"""
import sqlalchemy as sa
from alembic import op

revision = 'f2b8d4a6c0e3'
down_revision = 'e5a1c7f3b9d2'
branch_labels = None
depends_on = None

POSTGRESQL_UPGRADE = [
    """
CREATE FUNCTION raise_payment_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := OLD.revision + 1;
    RETURN NEW;
END
$$
""",
    "CREATE TRIGGER payments_revision BEFORE UPDATE ON payments FOR EACH ROW"
    " WHEN (NEW.revision <= OLD.revision) EXECUTE FUNCTION raise_payment_revision()",
    """
CREATE FUNCTION refuse_payment_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a payment is never deleted and never changes person'
        USING ERRCODE = 'integrity_constraint_violation';
END
$$
""",
    "CREATE TRIGGER payments_never_deleted BEFORE DELETE ON payments"
    " FOR EACH STATEMENT EXECUTE FUNCTION refuse_payment_rewrite()",
    "CREATE TRIGGER payments_keep_their_person BEFORE UPDATE OF personal_id ON payments"
    " FOR EACH ROW WHEN (NEW.personal_id IS DISTINCT FROM OLD.personal_id)"
    " EXECUTE FUNCTION refuse_payment_rewrite()",
]

SQLITE_UPGRADE = [
    # SQLite's triggers run after the row is written and cannot change NEW;
    # recursive triggers are off, so the inner UPDATE does not come back here.
    """
CREATE TRIGGER payments_revision AFTER UPDATE ON payments
WHEN NEW.revision <= OLD.revision
BEGIN
    UPDATE payments SET revision = OLD.revision + 1 WHERE id = NEW.id;
END
""",
    """
CREATE TRIGGER payments_never_deleted BEFORE DELETE ON payments
BEGIN
    SELECT RAISE(ABORT, 'a payment is never deleted and never changes person');
END
""",
    """
CREATE TRIGGER payments_keep_their_person BEFORE UPDATE OF personal_id ON payments
WHEN NEW.personal_id IS NOT OLD.personal_id
BEGIN
    SELECT RAISE(ABORT, 'a payment is never deleted and never changes person');
END
""",
]

VERSION_EVENTS = ("insert", "update", "delete")
# As e5a1c7f3b9d2 left it, for the downgrade.
VERSION_FUNCTION = """
CREATE FUNCTION bump_payment_versions() RETURNS trigger LANGUAGE plpgsql
SET work_mem = '64MB' AS $$
BEGIN
    INSERT INTO payment_versions (personal_id, version)
    SELECT DISTINCT personal_id COLLATE "C", 1 FROM changed_payments ORDER BY 1
    ON CONFLICT (personal_id) DO UPDATE SET version = payment_versions.version + 1;
    RETURN NULL;
END
$$
"""


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for event in VERSION_EVENTS:
        op.execute(f"DROP TRIGGER payments_version_{event}" + (" ON payments" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION bump_payment_versions()")
    op.drop_table('payment_versions')
    # A plain ADD COLUMN with a constant default: no copy of the table on
    # either database (PostgreSQL keeps the default in the catalogue).
    op.add_column('payments', sa.Column('revision', sa.BigInteger(), nullable=False,
                                        server_default=sa.text("1")))
    for statement in POSTGRESQL_UPGRADE if postgresql else SQLITE_UPGRADE:
        op.execute(statement)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for trigger in ("payments_revision", "payments_never_deleted", "payments_keep_their_person"):
        op.execute(f"DROP TRIGGER {trigger}" + (" ON payments" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION raise_payment_revision()")
        op.execute("DROP FUNCTION refuse_payment_rewrite()")
    op.create_table(
        'payment_versions',
        sa.Column('personal_id', sa.String(length=12), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('personal_id', name=op.f('pk_payment_versions')),
    )
    # The counters go on from the sums, as tags of the other form.
    op.execute("INSERT INTO payment_versions (personal_id, version)"
               " SELECT personal_id, sum(revision) FROM payments GROUP BY personal_id")
    op.drop_column('payments', 'revision')
    if postgresql:
        op.execute(VERSION_FUNCTION)
        for event in VERSION_EVENTS:
            table = "OLD TABLE" if event == "delete" else "NEW TABLE"
            op.execute(f"CREATE TRIGGER payments_version_{event} AFTER {event.upper()} "
                       f"ON payments REFERENCING {table} AS changed_payments "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION bump_payment_versions()")
    else:
        for event in VERSION_EVENTS:
            row = "OLD" if event == "delete" else "NEW"
            op.execute(f"CREATE TRIGGER payments_version_{event} AFTER {event.upper()}"
                       f" ON payments BEGIN INSERT INTO payment_versions (personal_id, version)"
                       f" VALUES ({row}.personal_id, 1) ON CONFLICT (personal_id)"
                       f" DO UPDATE SET version = version + 1; END")
