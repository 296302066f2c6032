"""Payrolls, payments, payment requests to the Treasury, and their dispatch."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.canonical import sql_digits, sql_period, sql_programme_code
from backend.db import Base, UTCDateTime
from backend.models.references import checked_per_statement

if TYPE_CHECKING:
    from backend.models.payment_report import PaymentReport
from backend.models.statuses import (
    BankResult,
    DispatchBatchStatus,
    PaymentRequestStatus,
    PaymentStatus,
    ResultFileKind,
    sql_in,
)


class Payroll(Base):
    """One imported payroll file of the social-affairs agency."""

    __tablename__ = "payrolls"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The same file imported twice is recognised by its content.
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    imported_by: Mapped[str] = mapped_column(String(80))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    row_count: Mapped[int] = mapped_column(Integer)
    new_payments: Mapped[int] = mapped_column(Integer)
    total_vnd: Mapped[int] = mapped_column(BigInteger)


class PayrollRow(Base):
    """A payroll line on its way in: staged, checked in SQL, then planned."""

    __tablename__ = "payroll_rows"
    __table_args__ = (
        CheckConstraint(sql_digits("personal_id", 12), name="personal_id_canonical"),
        CheckConstraint(sql_period("period"), name="period_canonical"),
        CheckConstraint(sql_digits("province_code", 3), name="province_code_canonical"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payroll_id: Mapped[int] = mapped_column(ForeignKey("payrolls.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    personal_id: Mapped[str] = mapped_column(String(12))
    programme: Mapped[str] = mapped_column(String(30))
    period: Mapped[str] = mapped_column(String(7))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    province_code: Mapped[str] = mapped_column(String(3))


# Where a payment goes: an account kind, or cash at a paying agent.
CASH_DESTINATION = "cash"


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount_vnd > 0", name="amount_positive"),
        CheckConstraint(sql_in("status", PaymentStatus), name="status"),
        # The one canonical spelling of each identifier (backend.canonical): a
        # period in other digits once became a second month, paid twice.
        CheckConstraint(sql_digits("personal_id", 12), name="personal_id_canonical"),
        CheckConstraint(sql_programme_code("programme"), name="programme_canonical"),
        CheckConstraint(sql_period("period"), name="period_canonical"),
        CheckConstraint(sql_digits("province_code", 3), name="province_code_canonical"),
        CheckConstraint(sql_digits("destination_last4", 4), name="destination_last4_canonical"),
        CheckConstraint("destination_kind IS NULL OR destination_kind IN "
                        "('bank', 'mobile_money', 'cash')", name="destination_kind"),
        # One claim per person, programme, period and province; a reissue is
        # a new payment of the same claim.
        Index("uq_payments_claim", "personal_id", "programme", "period", "province_code",
              unique=True, sqlite_where=text("reissue_of IS NULL"),
              postgresql_where=text("reissue_of IS NULL")),
        # No index names `status` or `request_id`, not even in a predicate: then
        # a move that sets no other indexed column (a status move, and putting
        # a payroll into its requests) is a HOT update on PostgreSQL (the row
        # stays on its page, no index is written), and a national payroll is
        # moved several times (issue 11). A request is one group (period,
        # programme, province), so its payments are found by the group index
        # and checked by request id (`request_scope`); a stage reads the status
        # from the row.
        Index("ix_payments_group", "period", "programme", "province_code"),
        Index("ix_payments_personal_id", "personal_id", "period"),
        # The few payments held out of requests, and the few reissues: NULL for
        # the rest, which are then not in these indexes at all.
        Index("ix_payments_held", "period", "personal_id",
              sqlite_where=text("hold_reason IS NOT NULL"),
              postgresql_where=text("hold_reason IS NOT NULL")),
        Index("ix_payments_reissue_of", "reissue_of",
              sqlite_where=text("reissue_of IS NOT NULL"),
              postgresql_where=text("reissue_of IS NOT NULL")),
        # Only transfers go into bank files: cash payments have no entry.
        Index("ix_payments_dispatch_batch_id", "dispatch_batch_id",
              sqlite_where=text("dispatch_batch_id IS NOT NULL"),
              postgresql_where=text("dispatch_batch_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payroll_id: Mapped[int] = mapped_column(checked_per_statement("payrolls.id"), index=True)
    personal_id: Mapped[str] = mapped_column(String(12))
    programme: Mapped[str] = mapped_column(String(30))
    period: Mapped[str] = mapped_column(String(7))
    province_code: Mapped[str] = mapped_column(String(3))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12))
    # Why a payment is kept out of requests: DUPLICATE_CLAIM, DECEASED, COOLING_OFF.
    hold_reason: Mapped[str | None] = mapped_column(String(30))
    request_id: Mapped[int | None] = mapped_column(checked_per_statement("payment_requests.id"))
    # Where the money goes, fixed when the request is made.
    destination_kind: Mapped[str | None] = mapped_column(String(20))
    destination_link_id: Mapped[int | None] = mapped_column(ForeignKey("payout_links.id"))
    via_authorisation_id: Mapped[int | None] = mapped_column(ForeignKey("payout_links.id"))
    destination_institution: Mapped[str | None] = mapped_column(String(20))
    destination_last4: Mapped[str | None] = mapped_column(String(4))
    dispatch_batch_id: Mapped[int | None] = mapped_column(
        checked_per_statement("dispatch_batches.id"))
    end_to_end_id: Mapped[str | None] = mapped_column(String(35), unique=True)
    failure_reason: Mapped[str | None] = mapped_column(String(10))
    reissue_of: Mapped[int | None] = mapped_column(checked_per_statement("payments.id"))
    # Cash not collected by the end of this day (Vietnam time) returns to the Treasury.
    cash_deadline: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The moves of many payments at once that moved it (`PaymentMove`),
    # on PostgreSQL; its other moves are its own `transitions`.
    moves: Mapped[list[int] | None] = mapped_column(
        ARRAY(Integer).with_variant(JSON(), "sqlite"))
    # How many times it changed, counting its making: the citizen's list's
    # version is the sum over their payments (`payments.listing`). Every
    # UPDATE this code makes raises it in the row it writes anyway; a
    # trigger raises it for any other (migration f2b8d4a6c0e3). On SQLite a
    # migration that copies `payments` (batch_alter_table) drops the
    # triggers: create them again.
    revision: Mapped[int] = mapped_column(BigInteger, server_default=text("1"),
                                          onupdate=literal_column("revision") + 1)

    # Loaded when asked for (one payment's detail), never for a list of
    # payments; its whole history is `payments.history.timeline`.
    transitions: Mapped[list[PaymentTransition]] = relationship(
        order_by="PaymentTransition.id", viewonly=True)
    # The citizen's problem reports about it, with support's answers (its detail).
    reports: Mapped[list[PaymentReport]] = relationship(
        "PaymentReport", order_by="PaymentReport.id", viewonly=True)


class PaymentTransition(Base):
    __tablename__ = "payment_transitions"
    __table_args__ = (
        # The failed payments to reissue, found through the log (appended to,
        # never moved) since no index on `payments` names the status.
        Index("ix_payment_transitions_failed", "payment_id",
              sqlite_where=text("to_status = 'FAILED'"),
              postgresql_where=text("to_status = 'FAILED'")),
        # The transfers paid on a day, which a bank's statement of that day
        # must book (SENT -> PAID is the only way a transfer is paid).
        Index("ix_payment_transitions_paid_transfers", "at",
              sqlite_where=text("from_status = 'SENT' AND to_status = 'PAID'"),
              postgresql_where=text("from_status = 'SENT' AND to_status = 'PAID'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(40))


class PaymentMove(Base):
    """One move of many payments at once (whole requests, a whole payroll, a
    large result file's credits), recorded once on PostgreSQL and named by
    each payment it moved (`Payment.moves`), where a transition per payment
    and step cost a row and a foreign-key check each (issue 11). Its id
    comes from the transitions' sequence, so a payment's moves and
    transitions read in order together.
    A trigger checks that every move a payment names is recorded here
    (migration d9f3b5e1a7c4)."""

    __tablename__ = "payment_moves"
    __table_args__ = (
        # The transfers paid on a day, as for the transitions (a bank's statement).
        Index("ix_payment_moves_paid_transfers", "at",
              sqlite_where=text("from_status = 'SENT' AND to_status = 'PAID'"),
              postgresql_where=text("from_status = 'SENT' AND to_status = 'PAID'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(40))
    # The requests of the payments it moved (none for a payroll's planning).
    request_ids: Mapped[list[int] | None] = mapped_column(
        ARRAY(Integer).with_variant(JSON(), "sqlite"))


class PaymentRequest(Base):
    """Payments of one programme, period and province, put to Treasury control."""

    __tablename__ = "payment_requests"
    __table_args__ = (
        CheckConstraint(sql_in("status", PaymentRequestStatus), name="status"),
        CheckConstraint(sql_period("period"), name="period_canonical"),
        CheckConstraint(sql_digits("province_code", 3), name="province_code_canonical"),
        Index("ix_payment_requests_cash_deadline", "cash_deadline",
              sqlite_where=text("cash_deadline IS NOT NULL"),
              postgresql_where=text("cash_deadline IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme: Mapped[str] = mapped_column(String(30))
    period: Mapped[str] = mapped_column(String(7))
    province_code: Mapped[str] = mapped_column(String(3))
    count: Mapped[int] = mapped_column(Integer)
    total_vnd: Mapped[int] = mapped_column(BigInteger)
    checksum: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))
    findings: Mapped[dict] = mapped_column(JSON, default=dict)
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reasons: Mapped[list | None] = mapped_column(JSON)
    # The collection deadline of its cash made ready at approval, until the
    # hourly expiry has returned what was not collected: that sweep reads
    # these requests' payments, not every payment ever made.
    cash_deadline: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PaymentRequestTransition(Base):
    """Every change of a payment request's status: when, by whom, why."""

    __tablename__ = "payment_request_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("payment_requests.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(40))


class DispatchBatch(Base):
    """One pain.001 bulk file to one institution; its MsgId makes a resend harmless."""

    __tablename__ = "dispatch_batches"
    __table_args__ = (CheckConstraint(sql_in("status", DispatchBatchStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("payment_requests.id"), index=True)
    institution: Mapped[str] = mapped_column(ForeignKey("institutions.code"))
    msg_id: Mapped[str] = mapped_column(String(35), unique=True)
    status: Mapped[str] = mapped_column(String(10))
    count: Mapped[int] = mapped_column(Integer)
    total_vnd: Mapped[int] = mapped_column(BigInteger)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DispatchBatchTransition(Base):
    """Every change of a dispatch batch's status: when, by whom, why."""

    __tablename__ = "dispatch_batch_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("dispatch_batches.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(40))


class BankResultFile(Base):
    """An ISO 20022 result file taken in, once: its digest and MsgId say so."""

    __tablename__ = "bank_result_files"
    __table_args__ = (CheckConstraint(sql_in("kind", ResultFileKind), name="kind"),
                      UniqueConstraint("kind", "msg_id", name="uq_bank_result_files_msg"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    msg_id: Mapped[str] = mapped_column(String(35))
    # pain.002: the pain.001 file it answers.
    original_msg_id: Mapped[str | None] = mapped_column(String(35))
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    received_by: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    transactions: Mapped[int] = mapped_column(Integer)
    unknown: Mapped[int] = mapped_column(Integer)


class BankCallback(Base):
    """A per-payment result from the bank gateway, kept once per transaction id:
    a signed callback, or a line of a result file (`result_file_id`)."""

    __tablename__ = "bank_callbacks"
    __table_args__ = (CheckConstraint(sql_in("status", BankResult), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[str] = mapped_column(String(64), unique=True)
    end_to_end_id: Mapped[str] = mapped_column(String(35), index=True)
    status: Mapped[str] = mapped_column(String(10))
    reason_code: Mapped[str | None] = mapped_column(String(10))
    amount_vnd: Mapped[int | None] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when the result was applied to its payment (a file's lines when taken in).
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where it came from: "callback", or the result file's name (reconciliation lists it).
    source: Mapped[str] = mapped_column(String(120), default="callback",
                                        server_default="callback")
    # The callback's body; a file's lines keep the file instead.
    payload: Mapped[dict | None] = mapped_column(JSON)
    result_file_id: Mapped[int | None] = mapped_column(
        checked_per_statement("bank_result_files.id"))
