"""Tables behind the simulators of outside parties (loaded from fixtures/).

Only `backend.integrations.simulated` reads them. A real adapter for the
population register, the beneficiary register or a bank replaces the
simulator and these tables stay empty.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime


class SimPerson(Base):
    __tablename__ = "sim_population_register"

    personal_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(6))
    province_code: Mapped[str] = mapped_column(String(3))
    alive: Mapped[bool] = mapped_column(Boolean)
    date_of_death: Mapped[date | None] = mapped_column(Date)


class SimBeneficiary(Base):
    __tablename__ = "sim_beneficiary_register"
    __table_args__ = (UniqueConstraint("personal_id", "programme", name="uq_sim_beneficiary"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    personal_id: Mapped[str] = mapped_column(String(12), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date] = mapped_column(Date)
    province_code: Mapped[str] = mapped_column(String(3))
    programme: Mapped[str] = mapped_column(String(30))
    monthly_amount_vnd: Mapped[int] = mapped_column(BigInteger)
    since: Mapped[date] = mapped_column(Date)


class SimInstitutionAccount(Base):
    __tablename__ = "sim_institution_accounts"
    __table_args__ = (UniqueConstraint("institution", "account_number",
                                       name="uq_sim_institution_account"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution: Mapped[str] = mapped_column(String(20))
    account_number: Mapped[str] = mapped_column(String(34))
    holder_name: Mapped[str] = mapped_column(String(120))
    holder_personal_id: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10))


class SimGatewayMessage(Base):
    """Bulk files the simulated bank gateway received, once per MsgId."""

    __tablename__ = "sim_gateway_messages"

    msg_id: Mapped[str] = mapped_column(String(35), primary_key=True)
    institution: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_report: Mapped[str] = mapped_column(Text)


class SimTransfer(Base):
    """The simulated banks' ledger: each credit transfer executed, once."""

    __tablename__ = "sim_transfers"

    end_to_end_id: Mapped[str] = mapped_column(String(35), primary_key=True)
    transaction_id: Mapped[str] = mapped_column(String(64), unique=True)
    msg_id: Mapped[str] = mapped_column(String(35), index=True)
    institution: Mapped[str] = mapped_column(String(20))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))
    reason_code: Mapped[str | None] = mapped_column(String(10))
    executed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SimSmsOutbox(Base):
    """What the simulated SMS and push gateway delivered, once per message id."""

    __tablename__ = "sim_sms_outbox"

    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(5))
    phone: Mapped[str] = mapped_column(String(15), index=True)
    # Where a push went; None for an SMS.
    device_token: Mapped[str | None] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime)
