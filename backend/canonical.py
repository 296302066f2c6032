"""The one canonical form of every identifier and amount the service keeps.

Personal IDs, periods, amounts, account and phone numbers, BINs, province
codes, one-time codes and programme codes are ASCII only: digits `0-9` (and,
for a programme code, lowercase `a-z` and `_`). Nothing is normalised: a
fullwidth, Arabic-Indic, Devanagari or mathematical digit, a zero-width or
exotic space, a sign or a trailing newline is refused, never mapped or dropped.
Python's `str.isdigit()`, `int()` and the regex `\\d` accept other scripts'
digits, and `$` matches before a trailing newline; a period written in
fullwidth digits was once imported beside the real one and paid twice
(issue 14). So every check here is `fullmatch` over an explicit ASCII class.

The same rules exist as SQL (`sql_*`) for the CHECK constraints, so a value
that slipped past every edge still cannot be stored. They are built from
`length`, `substr` and `ltrim(x, chars)`, which SQLite and PostgreSQL both
have and read alike.
"""
from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, validate

DIGITS = "0123456789"
CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CODE_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"
# A month, YYYY-MM.
PERIOD = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])")
# A programme's code: starts with a letter, at most 30.
PROGRAMME_CODE = re.compile(r"[a-z][a-z0-9_]{0,29}")
# The bank's identifiers for one transfer (end-to-end id, transaction id, reason):
# printable ASCII without spaces, as ISO 20022's Max35Text is used by the gateway.
GATEWAY_IDENTIFIER = re.compile(r"[A-Za-z0-9._:/+-]+")


def is_digits(value: object, min_length: int, max_length: int | None = None) -> bool:
    """True when `value` is a string of ASCII digits of that length (or range)."""
    top = min_length if max_length is None else max_length
    return isinstance(value, str) and min_length <= len(value) <= top \
        and value.isascii() and value.isdigit()


def is_period(value: object) -> bool:
    return isinstance(value, str) and PERIOD.fullmatch(value) is not None


def is_programme_code(value: object) -> bool:
    return isinstance(value, str) and PROGRAMME_CODE.fullmatch(value) is not None


class Digits(validate.Validator):
    """A marshmallow validator: ASCII digits only, of that length (or range)."""

    def __init__(self, min_length: int, max_length: int | None = None):
        self.min_length, self.max_length = min_length, max_length

    def _repr_args(self) -> str:
        return f"min_length={self.min_length!r}, max_length={self.max_length!r}"

    def __call__(self, value: Any) -> Any:
        if not is_digits(value, self.min_length, self.max_length):
            top = self.max_length or self.min_length
            size = str(top) if top == self.min_length else f"{self.min_length} to {top}"
            raise ValidationError(f"{size} ASCII digits 0-9, nothing else")
        return value


class FullMatch(validate.Validator):
    """A marshmallow validator: the whole value matches (no trailing newline)."""

    def __init__(self, pattern: re.Pattern[str], error: str):
        self.pattern, self.refusal = pattern, error

    def _repr_args(self) -> str:
        return f"pattern={self.pattern.pattern!r}"

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str) or self.pattern.fullmatch(value) is None:
            raise ValidationError(self.refusal)
        return value


ONE_TIME_CODE = Digits(6)
PERSONAL_ID = Digits(12)
PROVINCE_CODE = Digits(3)
PERIOD_FIELD = FullMatch(PERIOD, "a month, YYYY-MM, in ASCII digits")
PROGRAMME_FIELD = FullMatch(PROGRAMME_CODE, "a programme code: a-z, 0-9 and _")


def sql_digits(column: str, min_length: int, max_length: int | None = None) -> str:
    """SQL true when `column` holds only ASCII digits, of that length (or range)."""
    length = (f"length({column}) = {min_length}" if max_length is None
              else f"length({column}) BETWEEN {min_length} AND {max_length}")
    return f"{length} AND ltrim({column}, '{DIGITS}') = ''"


def sql_period(column: str) -> str:
    """SQL true when `column` is a month written YYYY-MM in ASCII digits, or a one-off
    programme's label (a capital, up to two capitals or digits, a 4-digit year: QK2025),
    which one-off payments carry as their period."""
    month = (f"length({column}) = 7 AND substr({column}, 5, 1) = '-'"
             f" AND ltrim(substr({column}, 1, 4) || substr({column}, 6, 2), '{DIGITS}') = ''"
             f" AND substr({column}, 6, 2) BETWEEN '01' AND '12'")
    label = (f"length({column}) BETWEEN 5 AND 7"
             f" AND ltrim(substr({column}, 1, 1), '{CAPITALS}') = ''"
             f" AND ltrim(substr({column}, 2), '{CAPITALS}{DIGITS}') = ''"
             f" AND ltrim(substr({column}, length({column}) - 3), '{DIGITS}') = ''")
    return f"({month}) OR ({label})"


def sql_programme_code(column: str) -> str:
    """SQL true when `column` is a programme code as `PROGRAMME_CODE` reads it."""
    return (f"length({column}) BETWEEN 1 AND 30"
            f" AND ltrim({column}, '{CODE_CHARACTERS}') = ''"
            f" AND ltrim(substr({column}, 1, 1), 'abcdefghijklmnopqrstuvwxyz') = ''")
