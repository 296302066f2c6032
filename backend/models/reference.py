"""Reference data the service owns: institutions it can pay into, programmes."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.canonical import sql_digits, sql_programme_code
from backend.db import Base


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
    __tablename__ = "programmes"
    __table_args__ = (CheckConstraint(sql_programme_code("code"), name="code_canonical"),)

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
