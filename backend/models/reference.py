"""Reference data the service owns: institutions it can pay into, programmes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.canonical import sql_digits, sql_programme_code
from backend.db import Base, UTCDateTime
from backend.models.statuses import ProgrammeKind, sql_in


class Institution(Base):
    __tablename__ = "institutions"
    __table_args__ = (CheckConstraint("kind IN ('bank', 'mobile_money')", name="kind"),
                      CheckConstraint(sql_digits("bin", 6), name="bin_canonical"))

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    bin: Mapped[str | None] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))


class Programme(Base):
    """A programme staff manage: paid monthly (recurring) or once (one_off).

    A one-off programme's payments carry its label (such as QK2025) as their
    period, so that the claim key (person, programme, period) pays each
    person once whatever is built again.
    """

    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint(sql_programme_code("code"), name="code_canonical"),
        CheckConstraint(sql_in("kind", ProgrammeKind), name="kind"),
        CheckConstraint("(kind = 'one_off') = (label IS NOT NULL)", name="label_of_one_off"),
        CheckConstraint("budget_vnd IS NULL OR budget_vnd >= 0", name="budget_not_negative"),
    )

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), default=ProgrammeKind.RECURRING,
                                      server_default=ProgrammeKind.RECURRING.value)
    # A payment's period is at most 7 characters (YYYY-MM); a label takes its place.
    label: Mapped[str | None] = mapped_column(String(7), unique=True)
    # What one period of the programme (a one-off's whole label) may pay out;
    # Treasury control refuses a request it does not cover. NULL: not set.
    budget_vnd: Mapped[int | None] = mapped_column(BigInteger)
    # Closed: no payroll line, no disbursement, no new eligibility names it.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status(self) -> str:
        return "closed" if self.closed_at else "open"
