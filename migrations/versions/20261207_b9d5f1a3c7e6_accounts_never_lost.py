"""social security accounts are never lost; a notification's account is checked per statement

Revision ID: b9d5f1a3c7e6
Revises: a7c3e9f1d5b2
Create Date: 2026-12-07 22:00:00

Every payment event tells its citizen in the app: a national stage writes a
million notifications in one statement, and the foreign key to the account
took 4.4 s of the 11.4 s it cost (issue 11, a million-result camt.054).

A social security account carries its citizen's payment history and what
they were told; the service never deletes one (none is even closed yet; a
closed one would keep its row, with its status), nor renumbers it, and now
the database refuses both, on either database. So on PostgreSQL a notification's account is checked
as the payments' references are (a7c3e9f1d5b2): one statement trigger per
event, each row's account looked up (every notification of a statement
names another citizen). Outbound SMS and push messages keep their foreign
key: the sender updates them one at a time, and a statement trigger would
run for each.
"""
from alembic import op

revision = 'b9d5f1a3c7e6'
down_revision = 'a7c3e9f1d5b2'
branch_labels = None
depends_on = None

TABLE = "social_security_accounts"
FOREIGN_KEY = "fk_notifications_account_id_social_security_accounts"
EVENTS = ("insert", "update")


def upgrade():
    refusal = f"a row of {TABLE} is never deleted and never changes its id"
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(FOREIGN_KEY, "notifications", type_="foreignkey")
        for event in EVENTS:
            op.execute(f"CREATE TRIGGER notifications_references_{event} AFTER {event.upper()}"
                       " ON notifications REFERENCING NEW TABLE AS written_rows"
                       " FOR EACH STATEMENT EXECUTE FUNCTION"
                       f" check_references_named('unique', 'account_id', '{TABLE}')")
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
            op.execute(f"DROP TRIGGER notifications_references_{event} ON notifications")
        op.create_foreign_key(FOREIGN_KEY, "notifications", TABLE, ["account_id"], ["id"])
