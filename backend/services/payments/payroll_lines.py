"""One payroll line: its columns and the checks it must pass.

The checks exist twice, side by side here: in Python (`line_errors`, which
also words every reason) and as one SQL condition (`good_line_sql`) for
the PostgreSQL COPY path, which finds the bad lines set-based and then asks
`line_errors` for their reasons. The two must agree; the payroll import
tests run the same bad files through both.

Every field is in the canonical form of `backend.canonical`, ASCII only: a
period in fullwidth digits once became a new month that was paid twice. A
field may be padded with ASCII spaces and tabs, which are trimmed; any other
space (no-break, ideographic, zero-width) is refused with its line number,
not dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from backend import canonical
from backend.services.identity.personal_id import PROVINCES, InvalidPersonalId, parse

COLUMNS = ("personal_id", "programme", "period", "amount_vnd", "province")
WRONG_COLUMN_COUNT = "wrong number of columns"
_AMOUNT = re.compile(r"[1-9][0-9]{0,12}")
# The padding trimmed around a field, and nothing else.
WHITESPACE = " \t"


@dataclass
class StagedFile:
    """What staging a file found: its data lines, how many were bad, the first bad ones' reasons."""

    lines: int = 0
    bad_lines: int = 0
    errors: dict[int, list[str]] = field(default_factory=dict)


def line_errors(fields: list[str], programmes: set[str]) -> list[str]:
    """The reasons a line (its raw fields) is refused; empty when it is good."""
    if len(fields) != len(COLUMNS):
        return [WRONG_COLUMN_COUNT]
    personal_id, programme, period, amount, province = (value.strip(WHITESPACE) for value in fields)
    errors = []
    try:
        parse(personal_id)
    except InvalidPersonalId as invalid:
        errors.append(f"personal_id: {invalid.message_en}")
    if programme not in programmes:
        errors.append(f"programme: unknown programme {programme!r}")
    if not canonical.is_period(period):
        errors.append("period: must be YYYY-MM")
    if not _AMOUNT.fullmatch(amount):
        errors.append("amount_vnd: a whole positive number of VND, digits only")
    if province not in PROVINCES:
        errors.append(f"province: unknown province code {province!r}")
    return errors


def good_line_sql() -> str:
    """SQL that is true when a line is good, as `line_errors` judges it.

    It reads the columns `field_count` and the stripped `personal_id`,
    `programme`, `period`, `amount_vnd` and `province`, and the bound
    parameters :provinces and :programmes (text[]) and :this_year.
    """
    birth_year = "1900 + substr(personal_id, 4, 1)::int / 2 * 100 + substr(personal_id, 5, 2)::int"
    return f"""(field_count = 5
        AND CASE WHEN personal_id ~ '^[0-9]{{12}}$'
                 THEN substr(personal_id, 1, 3) = ANY(:provinces)
                      AND {birth_year} <= :this_year
                 ELSE false END
        AND programme = ANY(:programmes)
        AND period ~ '^[0-9]{{4}}-(0[1-9]|1[0-2])$'
        AND amount_vnd ~ '^[1-9][0-9]{{0,12}}$'
        AND province = ANY(:provinces))"""


def this_year() -> int:
    """The year `parse` compares birth years with."""
    return date.today().year
