"""A citizen's request to be paid into an account, and what happened to it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.canonical import sql_digits
from backend.db import Base, UTCDateTime
from backend.models.statuses import LINK_PENDING, CheckOutcome, LinkStatus, sql_in

_PENDING_SQL = sql_in("status", LINK_PENDING)
_ACTIVE_SQL = f"status = '{LinkStatus.ACTIVE}'"


class PayoutLink(Base):
    __tablename__ = "payout_links"
    __table_args__ = (
        CheckConstraint("kind IN ('bank', 'mobile_money', 'authorised_person')", name="kind"),
        CheckConstraint(sql_in("status", LinkStatus), name="status"),
        CheckConstraint(
            "(kind = 'authorised_person') = (authorised_personal_id IS NOT NULL)",
            name="authorised_person_named"),
        CheckConstraint(sql_digits("account_last4", 4), name="account_last4_canonical"),
        CheckConstraint(sql_digits("authorised_personal_id", 12),
                        name="authorised_personal_id_canonical"),
        CheckConstraint(sql_digits("province_code", 3), name="province_code_canonical"),
        # At most one pending request and one active link per citizen, held by
        # the database so two workers cannot both succeed.
        Index("uq_payout_links_one_pending", "account_id", unique=True,
              sqlite_where=text(_PENDING_SQL), postgresql_where=text(_PENDING_SQL)),
        Index("uq_payout_links_one_active", "account_id", unique=True,
              sqlite_where=text(_ACTIVE_SQL), postgresql_where=text(_ACTIVE_SQL)),
        Index("ix_payout_links_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("social_security_accounts.id"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40))
    institution: Mapped[str | None] = mapped_column(ForeignKey("institutions.code"))
    # The number is encrypted; the keyed hash finds equal numbers without
    # decrypting rows; the last four digits are what people see.
    account_number_encrypted: Mapped[str | None] = mapped_column(String(300))
    account_number_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    account_last4: Mapped[str | None] = mapped_column(String(4))
    holder_name: Mapped[str | None] = mapped_column(String(120))
    # For an authorised person: the personal ID the citizen named, and, once a
    # check after the request finds a level-2 account there, the social security
    # account that receives the money (answering at once would tell who has one).
    authorised_personal_id: Mapped[str | None] = mapped_column(String(12))
    authorised_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("social_security_accounts.id"), index=True)
    authorised_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    province_code: Mapped[str | None] = mapped_column(String(3))
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Account-change guard: the active link this one replaced, when it may first
    # be paid (after a cooling-off period if it replaced one), since when the
    # citizen's "this was not me" stops payouts to it, and the hash of the
    # one-time code the SMS carries to dispute it without signing in.
    replaces_link_id: Mapped[int | None] = mapped_column(ForeignKey("payout_links.id"))
    payable_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dispute_code_hash: Mapped[str | None] = mapped_column(String(64))
    # A rejection's words for the citizen (the decision's note is for colleagues).
    note_for_citizen: Mapped[str | None] = mapped_column(String(500))

    history: Mapped[list[LinkTransition]] = relationship(
        order_by="LinkTransition.id", lazy="selectin", viewonly=True)
    checks: Mapped[list[LinkCheck]] = relationship(
        order_by="LinkCheck.id", lazy="selectin", viewonly=True)


class LinkTransition(Base):
    """Every change of a link's status: when, by whom, why."""

    __tablename__ = "payout_link_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("payout_links.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(1000))


class LinkCheck(Base):
    """One automatic check of a link request and the evidence it rests on."""

    __tablename__ = "payout_link_checks"
    __table_args__ = (
        CheckConstraint(sql_in("result", CheckOutcome), name="result"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("payout_links.id"), index=True)
    attempt: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(40))
    result: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(40))
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Consent(Base):
    """A citizen's consent, with the exact text version they agreed to."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("social_security_accounts.id"),
                                            index=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("payout_links.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    text_version: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The row stays once withdrawn: what was agreed and when remains on record.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IdempotencyRecord(Base):
    """The first answer to a request made with an Idempotency-Key."""

    __tablename__ = "idempotency_records"
    __table_args__ = (Index("uq_idempotency_owner_key", "owner", "key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column()
    body: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
