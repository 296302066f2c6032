"""bank result files are never lost; a kept result's file is checked per statement

Revision ID: c3e7a9d1f5b8
Revises: b9d5f1a3c7e6
Create Date: 2026-12-08 00:00:00

A million-line camt.054 or pain.002 keeps each line in bank_callbacks, all
naming the file they came in: the foreign key checked that, one query and
one row lock a line, 4.4 s of the 15.6 s the INSERT cost (issue 11).

A result file taken in is the bank's word on what it paid; the service never
deletes one nor renumbers it, and now the database refuses both, on either
database. So on PostgreSQL a kept result's file is checked as the payments'
references are (a7c3e9f1d5b2): one statement trigger per event, over the
distinct files the statement's rows name (a file's lines all name one).
"""
from alembic import op

revision = 'c3e7a9d1f5b8'
down_revision = 'b9d5f1a3c7e6'
branch_labels = None
depends_on = None

TABLE = "bank_result_files"
FOREIGN_KEY = "fk_bank_callbacks_result_file_id_bank_result_files"
EVENTS = ("insert", "update")


def upgrade():
    refusal = f"a row of {TABLE} is never deleted and never changes its id"
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(FOREIGN_KEY, "bank_callbacks", type_="foreignkey")
        for event in EVENTS:
            op.execute(f"CREATE TRIGGER bank_callbacks_references_{event} AFTER {event.upper()}"
                       " ON bank_callbacks REFERENCING NEW TABLE AS written_rows"
                       " FOR EACH STATEMENT EXECUTE FUNCTION"
                       f" check_references_named('repeated', 'result_file_id', '{TABLE}')")
        op.execute(f"CREATE TRIGGER {TABLE}_never_deleted BEFORE DELETE ON {TABLE}"
                   " FOR EACH STATEMENT EXECUTE FUNCTION refuse_losing_a_record()")
        op.execute(f"CREATE TRIGGER {TABLE}_keep_their_id BEFORE UPDATE OF id ON {TABLE}"
                   " FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id)"
                   " EXECUTE FUNCTION refuse_losing_a_record()")
    else:
        op.execute(f"CREATE TRIGGER {TABLE}_never_deleted BEFORE DELETE ON {TABLE}"
                   f" BEGIN SELECT RAISE(ABORT, '{refusal}'); END")
        op.execute(f"CREATE TRIGGER {TABLE}_keep_their_id BEFORE UPDATE OF id ON {TABLE}"
                   f" WHEN NEW.id IS NOT OLD.id BEGIN SELECT RAISE(ABORT, '{refusal}'); END")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    on = f" ON {TABLE}" if postgresql else ""
    op.execute(f"DROP TRIGGER {TABLE}_never_deleted{on}")
    op.execute(f"DROP TRIGGER {TABLE}_keep_their_id{on}")
    if postgresql:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER bank_callbacks_references_{event} ON bank_callbacks")
        op.create_foreign_key(FOREIGN_KEY, "bank_callbacks", TABLE, ["result_file_id"], ["id"])
