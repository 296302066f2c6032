"""money records are never lost; PostgreSQL checks their references per statement

Revision ID: a7c3e9f1d5b2
Revises: f2b8d4a6c0e3
Create Date: 2026-12-07 21:30:00

A foreign key is checked one query a row, each locking the row it names.
In a national payroll's statements that was 3-5 s a million rows: the
payroll named by each payment, the request set on each payment at the
build, the payment named by each cash hand-over, and the foreign keys of
the payments' still-empty columns (issue 11).

Payrolls, payment requests, dispatch batches and payments are records of
money: the service never deletes one, nor changes its id, and now the
database refuses both, on either database (as it already refused to delete
a payment). A row that is never lost needs no lock to stay there, so on
PostgreSQL the foreign keys that name them from the tables written a
million rows at a time (payments, cash hand-overs) become statement
triggers: after each statement, every value it wrote in such a column must
name a row, one query a column over the statement's rows. (The import
stages its lines in a temporary table, which has no foreign key.) SQLite
keeps its foreign keys (the embedded default's volumes). The models still
declare them (backend.models.references).
"""
from alembic import op

revision = 'a7c3e9f1d5b2'
down_revision = 'f2b8d4a6c0e3'
branch_labels = None
depends_on = None

# (table, column, the table it names): the constraint is fk_<table>_<column>_<named>.
REFERENCES = (
    ("payments", "payroll_id", "payrolls"),
    ("payments", "request_id", "payment_requests"),
    ("payments", "dispatch_batch_id", "dispatch_batches"),
    ("payments", "reissue_of", "payments"),
    ("cash_handovers", "payment_id", "payments"),
)
# Whether the values a table's rows name repeat from row to row (see CHECK_FUNCTION).
NAMED_VALUES = {"payments": "repeated", "cash_handovers": "unique"}
NEVER_LOST = ("payrolls", "payment_requests", "dispatch_batches", "payments")

# Each column's values are looked up with one anti-join: a hash of the few
# payrolls or requests named, or a probe of the payments' key a value. Where
# values repeat (a million payments name one payroll, 315 requests), one
# pass first gathers their distinct combinations: a moved payment's row is
# wide, and its transition table, spilled to disk, was read again for each
# column (about 1 s a column in a 500k-row move). Where every value is new
# (a hand-over's payment) that DISTINCT spilled too and cost four times the
# probes, so those rows are looked up as they are.
# TG_ARGV: 'repeated' or 'unique', then column, the table it names; ...
CHECK_FUNCTION = """
CREATE FUNCTION check_references_named() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    columns text := '';
    lookups text := '';
    source text := CASE TG_ARGV[0] WHEN 'repeated' THEN 'combinations' ELSE 'written_rows' END;
    found record;
BEGIN
    FOR pair IN 0 .. (TG_NARGS - 1) / 2 - 1 LOOP
        columns := columns || CASE WHEN pair > 0 THEN ', ' ELSE '' END
            || quote_ident(TG_ARGV[pair * 2 + 1]);
        lookups := lookups || CASE WHEN pair > 0 THEN ' UNION ALL ' ELSE '' END || format(
            'SELECT %1$L::text AS name, s.%1$I AS id FROM %3$I s WHERE s.%1$I IS NOT NULL'
            ' AND NOT EXISTS (SELECT 1 FROM %2$I n WHERE n.id = s.%1$I)',
            TG_ARGV[pair * 2 + 1], TG_ARGV[pair * 2 + 2], source);
    END LOOP;
    EXECUTE CASE WHEN source = 'combinations' THEN 'WITH combinations AS MATERIALIZED'
        || ' (SELECT DISTINCT ' || columns || ' FROM written_rows) ' ELSE '' END
        || lookups || ' LIMIT 1' INTO found;
    IF found.name IS NOT NULL THEN
        RAISE EXCEPTION '%.% names %, which does not exist', TG_TABLE_NAME, found.name, found.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$
"""

REFUSE_FUNCTION = """
CREATE FUNCTION refuse_losing_a_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a row of % is never deleted and never changes its id', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$
"""


def _constraint(table: str, column: str, named: str) -> str:
    return f"fk_{table}_{column}_{named}"


def _by_table() -> dict[str, list[tuple[str, str]]]:
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, named in REFERENCES:
        tables.setdefault(table, []).append((column, named))
    return tables


def _postgresql_upgrade() -> None:
    for table, column, named in REFERENCES:
        op.drop_constraint(_constraint(table, column, named), table, type_="foreignkey")
    op.execute(CHECK_FUNCTION)
    for table, pairs in _by_table().items():
        arguments = ", ".join(f"'{value}'" for value in (NAMED_VALUES[table], *(
            value for pair in pairs for value in pair)))
        # A trigger with a transition table has one event and no column list:
        # an UPDATE is checked whatever it set.
        for event in ("insert", "update"):
            op.execute(f"CREATE TRIGGER {table}_references_{event} AFTER {event.upper()}"
                       f" ON {table} REFERENCING NEW TABLE AS written_rows FOR EACH STATEMENT"
                       f" EXECUTE FUNCTION check_references_named({arguments})")
    op.execute(REFUSE_FUNCTION)
    for table in NEVER_LOST:
        # payments_never_deleted (f2b8d4a6c0e3) already refuses its deletes.
        if table != "payments":
            op.execute(f"CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table}"
                       " FOR EACH STATEMENT EXECUTE FUNCTION refuse_losing_a_record()")
        op.execute(f"CREATE TRIGGER {table}_keep_their_id BEFORE UPDATE OF id ON {table}"
                   " FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id)"
                   " EXECUTE FUNCTION refuse_losing_a_record()")


def _sqlite_upgrade() -> None:
    for table in NEVER_LOST:
        refusal = f"SELECT RAISE(ABORT, 'a row of {table} is never deleted and never changes its id');"
        if table != "payments":
            op.execute(f"CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table}"
                       f" BEGIN {refusal} END")
        op.execute(f"CREATE TRIGGER {table}_keep_their_id BEFORE UPDATE OF id ON {table}"
                   f" WHEN NEW.id IS NOT OLD.id BEGIN {refusal} END")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
    else:
        _sqlite_upgrade()


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    on = " ON {}" if postgresql else ""
    for table in NEVER_LOST:
        if table != "payments":
            op.execute(f"DROP TRIGGER {table}_never_deleted" + on.format(table))
        op.execute(f"DROP TRIGGER {table}_keep_their_id" + on.format(table))
    if not postgresql:
        return
    op.execute("DROP FUNCTION refuse_losing_a_record()")
    for table in _by_table():
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER {table}_references_{event} ON {table}")
    op.execute("DROP FUNCTION check_references_named()")
    for table, column, named in REFERENCES:
        op.create_foreign_key(_constraint(table, column, named), table, named, [column], ["id"])
