"""Staging a payroll on PostgreSQL: COPY the lines in, check them in SQL.

The file's lines go unparsed into a temporary table through COPY, numbered
as they arrive. One INSERT ... SELECT splits and checks them and stages the
good ones in payroll_rows: a temporary table of that name, made like the
shared one, which this transaction's statements (the planning in
`payroll`) then read in its place. It is written without WAL and without an
index to keep, and dropped at commit: staging a million rows there took a
third of the time. Only the bad lines of a refused file come back to
Python, to be worded by `line_errors`. A file that this cannot read exactly
as the csv module would (quoted fields, backslashes, line endings that
change, bytes that are not UTF-8) is left to the csv path: `stage` then
returns None and has changed nothing.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import BinaryIO

import psycopg
from sqlalchemy import text

from backend import db
from backend.services.identity.personal_id import PROVINCES
from backend.services.payments import programmes
from backend.services.payments.payroll_lines import (
    COLUMNS,
    WHITESPACE,
    StagedFile,
    good_line_sql,
    line_errors,
    this_year,
)

CHUNK_BYTES = 1 << 20
_HEADER = ",".join(COLUMNS).encode()
_BOM = b"\xef\xbb\xbf"
# The csv module would unquote these, or COPY's text format would unescape them.
_NEEDS_CSV_PARSER = re.compile(rb'["\\]')
# Line numbers start at 2: the header is line 1 and is read before the COPY.
_CREATE_LINES = text("""CREATE TEMPORARY TABLE payroll_lines (
    line_no bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), line text NOT NULL
) ON COMMIT DROP""")
_COPY_LINES = "COPY payroll_lines (line) FROM STDIN (DELIMITER E'\\x01')"
_CREATE_ROWS = text("CREATE TEMPORARY TABLE IF NOT EXISTS payroll_rows "
                    "(LIKE public.payroll_rows INCLUDING DEFAULTS) ON COMMIT DROP")
# OFFSET 0 keeps each subquery whole: flattened, the planner would split and
# trim every line once per check instead of once (twice as slow).
_CHECKED_LINES = f"""
    SELECT line_no, line, {good_line_sql()} AS good, personal_id, programme, period,
           amount_vnd, province
    FROM (SELECT line_no, line, cardinality(fields) AS field_count,
                 btrim(fields[1], :whitespace) AS personal_id,
                 btrim(fields[2], :whitespace) AS programme,
                 btrim(fields[3], :whitespace) AS period,
                 btrim(fields[4], :whitespace) AS amount_vnd,
                 btrim(fields[5], :whitespace) AS province
          FROM (SELECT line_no, line, string_to_array(line, ',') AS fields
                FROM payroll_lines WHERE line <> '' OFFSET 0) AS split
          OFFSET 0) AS trimmed"""
_STAGE_GOOD = text(f"""
    INSERT INTO payroll_rows (payroll_id, line_no, personal_id, programme, period, amount_vnd,
                              province_code)
    SELECT :payroll_id, line_no, personal_id, programme, period, amount_vnd::bigint, province
    FROM ({_CHECKED_LINES}) AS checked WHERE good""")
_FIRST_BAD = text(f"""
    SELECT line_no, line FROM ({_CHECKED_LINES}) AS checked
    WHERE NOT coalesce(good, false) ORDER BY line_no LIMIT :limit""")


class _NeedsCsvParser(Exception):
    """The file holds something only the csv module reads right."""


def stage(stream: BinaryIO, payroll_id: int, max_errors: int,
          progress: Callable[[int], None] | None) -> StagedFile | None:
    """Stage the good lines; the reasons of at most `max_errors` bad ones come back.

    None when the file needs the csv module: the stream is rewound and
    nothing was staged.
    """
    header = stream.readline().removeprefix(_BOM)
    if header.rstrip(b"\r\n") != _HEADER:
        stream.seek(0)
        return None
    try:
        with db.session.begin_nested():
            _copy_lines(stream, progress)
    except (_NeedsCsvParser, psycopg.DataError):
        stream.seek(0)
        return None
    open_programmes = sorted(programmes.open_codes())
    checks = {"whitespace": WHITESPACE, "provinces": sorted(PROVINCES),
              "programmes": open_programmes, "this_year": this_year()}
    lines = db.session.scalar(text("SELECT count(*) FROM payroll_lines WHERE line <> ''")) or 0
    db.session.execute(_CREATE_ROWS)
    # The session's connection: its execute() is typed to return a row count.
    staged = db.session.connection().execute(
        _STAGE_GOOD, {"payroll_id": payroll_id, **checks}).rowcount
    found = StagedFile(lines=lines, bad_lines=lines - staged)
    if not found.bad_lines:
        return found
    for line_no, line in db.session.execute(_FIRST_BAD, {"limit": max_errors, **checks}):
        reasons = line_errors(line.split(","), set(open_programmes))
        if not reasons:
            raise RuntimeError(f"the SQL and Python payroll checks disagree on line {line_no}")
        found.errors[line_no] = reasons
    return found


def _copy_lines(stream: BinaryIO, progress: Callable[[int], None] | None) -> None:
    db.session.execute(_CREATE_LINES)
    connection = db.session.connection().connection.dbapi_connection
    if not isinstance(connection, psycopg.Connection):
        raise TypeError("the COPY path needs a psycopg connection")
    lines = 0
    with connection.cursor() as cursor, cursor.copy(_COPY_LINES) as copy:
        for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
            if _NEEDS_CSV_PARSER.search(chunk):
                raise _NeedsCsvParser
            copy.write(chunk)
            lines += chunk.count(b"\n")
            if progress:
                progress(lines)
