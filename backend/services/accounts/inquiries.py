"""Account-holder inquiries: each institution's line, its limit, its breaker, its sweep.

A link request's inquiry waits durably (WAITING) until its institution has a
free slot: at most its `max_open` inquiries are SENT at once, held by one
conditional UPDATE of the institution's line row in the same transaction as
the move that sends. A slot frees when the report arrives
(`verification.receive_report`) or the inquiry times out or fails (here); each
then sends the next waiting one, and the minute sweep sends whatever is left
(a breaker that cooled down, a worker that stopped between two steps).

The breaker: after `INQUIRY_BREAKER_FAILURES` inquiries in a row timed out or
failed, nothing is sent to that institution for the cool-down; then one probe
at a time until one is answered. An inquiry that fails is asked again, up to
`INQUIRY_ATTEMPTS` in all; then the request goes to a person with the reason
INSTITUTION_TIMEOUT. Nothing is dropped: every step is a compare-and-set of a
stored row, so a step run twice, or by two workers, happens once.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import case, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from backend import db, integrations, tasks
from backend.integrations.institutions import (
    InstitutionUnavailable,
    VerificationReport,
    VerificationRequest,
)
from backend.models import (
    EidAccount,
    InquiryLine,
    InquiryTransition,
    InstitutionInquiry,
    LinkCheck,
    PayoutLink,
    SocialSecurityAccount,
)
from backend.models.statuses import (
    INQUIRY_OPEN,
    INQUIRY_STATES,
    CheckOutcome,
    InquiryStatus,
    LinkStatus,
)
from backend.services.accounts import linking
from backend.services.shared import secret_box, transitions

log = logging.getLogger(__name__)
SYSTEM = "system"
INQUIRIES = transitions.Lifecycle(INQUIRY_STATES, InstitutionInquiry, InquiryTransition,
                                  "inquiry_id")
TIMEOUT_REASON = "INSTITUTION_TIMEOUT"


def limits(institution: str) -> tuple[int, timedelta]:
    """How many inquiries may be open at `institution`, and how long each may take."""
    config = current_app.config
    open_limit, timeout = config["INQUIRY_LIMITS"].get(institution, (None, None))
    return open_limit or config["INQUIRY_MAX_OPEN"], timeout or config["INQUIRY_TIMEOUT"]


def ask(link: PayoutLink, now: datetime) -> bool:
    """Put an inquiry about `link`'s account in its institution's line (not committed);
    False when one is open already (a verification delivered twice)."""
    assert link.institution is not None  # a bank or wallet request names one
    if db.session.scalar(select(InstitutionInquiry.id).where(
            InstitutionInquiry.link_id == link.id,
            InstitutionInquiry.status.in_(INQUIRY_OPEN))) is not None:
        return False
    attempt = 1 + (db.session.scalar(select(func.max(InstitutionInquiry.attempt)).where(
        InstitutionInquiry.link_id == link.id)) or 0)
    inquiry = InstitutionInquiry(link_id=link.id, institution=link.institution, attempt=attempt,
                                 status=INQUIRY_STATES.initial, created_at=now, updated_at=now)
    db.session.add(inquiry)
    try:
        db.session.flush()
    except IntegrityError:  # another worker put one in meanwhile
        db.session.rollback()
        return False
    transitions.record_created(INQUIRIES, InstitutionInquiry.id == inquiry.id, SYSTEM, now)
    return True


def dispatch(institution: str, now: datetime) -> int:
    """Send `institution`'s waiting inquiries, oldest first, while it has free slots
    and its breaker lets them through; returns how many were sent."""
    open_limit, timeout = limits(institution)
    sent = 0
    while True:
        # Most calls (after each answer) find nothing waiting: a read, rather than
        # a slot taken and given back, which would lock the line every other
        # worker answering this institution's reports needs.
        if not _anything_waiting(institution):
            db.session.rollback()
            return sent
        if not sent:
            _make_line(institution)
        # Each send at its own time: it must change the request's ETag even when
        # the request moved to VERIFYING a moment ago, at the caller's `now`.
        now = max(now, db.utcnow())
        if not _take_slot(institution, open_limit, now):
            db.session.rollback()
            return sent
        waiting = db.session.execute(
            select(InstitutionInquiry.id, InstitutionInquiry.link_id)
            .join(PayoutLink, PayoutLink.id == InstitutionInquiry.link_id)
            .where(InstitutionInquiry.institution == institution,
                   InstitutionInquiry.status == InquiryStatus.WAITING,
                   PayoutLink.status == LinkStatus.VERIFYING)
            .order_by(InstitutionInquiry.id).limit(1)
            .with_for_update(skip_locked=True, of=InstitutionInquiry)).first()
        if waiting is None:
            db.session.rollback()  # gives the slot back
            return sent
        moved = transitions.move(INQUIRIES, InstitutionInquiry.id == waiting.id,
                                 InquiryStatus.WAITING, InquiryStatus.SENT, SYSTEM, now,
                                 values={"sent_at": now, "due_at": now + timeout})
        if not moved:
            db.session.rollback()
            continue
        _touch(waiting.link_id, now)
        request = _request(waiting.id, waiting.link_id, institution)
        # Committed before it leaves: an answer that comes back at once finds it SENT.
        db.session.commit()
        sent += 1
        try:
            integrations.current().institutions.send_inquiry(request)
        except InstitutionUnavailable as refused:
            settle_unanswered(waiting.id, InquiryStatus.FAILED, str(refused), now)


def _anything_waiting(institution: str) -> bool:
    return db.session.scalar(select(InstitutionInquiry.id).where(
        InstitutionInquiry.institution == institution,
        InstitutionInquiry.status == InquiryStatus.WAITING).limit(1)) is not None


def _touch(link_id: int, now: datetime) -> None:
    # The request's progress changed (sent, asked again): a poller's ETag must too.
    db.session.execute(update(PayoutLink).where(PayoutLink.id == link_id)
                       .values(updated_at=now))


def _make_line(institution: str) -> None:
    if db.session.get(InquiryLine, institution) is None:
        db.session.add(InquiryLine(institution=institution, open_inquiries=0,
                                   consecutive_failures=0))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # made by another worker meanwhile


def _take_slot(institution: str, open_limit: int, now: datetime) -> bool:
    # While the breaker is open nothing goes; once it cooled down, one probe at a time.
    line = InquiryLine
    return db.execute_counted(
        update(line).where(
            line.institution == institution,
            line.open_inquiries < case((line.paused_until.isnot(None), 1), else_=open_limit),
            or_(line.paused_until.is_(None), line.paused_until <= now))
        .values(open_inquiries=line.open_inquiries + 1)) == 1


def _request(inquiry_id: int, link_id: int, institution: str) -> VerificationRequest:
    row = db.session.execute(
        select(PayoutLink.account_number_encrypted, SocialSecurityAccount.personal_id,
               EidAccount.full_name)
        .join(SocialSecurityAccount, SocialSecurityAccount.id == PayoutLink.account_id)
        .join(EidAccount, EidAccount.personal_id == SocialSecurityAccount.personal_id)
        .where(PayoutLink.id == link_id)).one()
    return VerificationRequest(inquiry_id, institution,
                               secret_box.decrypt(row.account_number_encrypted),
                               row.full_name, row.personal_id)


def answer(inquiry: InstitutionInquiry, report: VerificationReport, now: datetime
           ) -> InquiryStatus | None:
    """Record `report` on its inquiry (not committed); returns the status it was answered
    in (SENT, or TIMED_OUT for a late answer), None if it was answered already."""
    for answered_in in (InquiryStatus.SENT, InquiryStatus.TIMED_OUT):
        if transitions.move(INQUIRIES, InstitutionInquiry.id == inquiry.id, answered_in,
                             InquiryStatus.ANSWERED, f"institution:{inquiry.institution}", now,
                             values={"answered_at": now, "report": report.as_dict(),
                                     "answer_ms": _took_ms(inquiry.sent_at, now)}) == 1:
            if answered_in == InquiryStatus.TIMED_OUT:
                # The request was asked again meanwhile: that inquiry is not needed now.
                transitions.move(INQUIRIES, InstitutionInquiry.link_id == inquiry.link_id,
                                 InquiryStatus.WAITING, InquiryStatus.WITHDRAWN, SYSTEM, now)
            return answered_in
    return None


def _took_ms(sent_at: datetime | None, now: datetime) -> int | None:
    # A clock stepping back must not make a negative time.
    return max(0, round((now - sent_at).total_seconds() * 1000)) if sent_at else None


def release(institution: str, now: datetime, failed: bool, slot: bool = True) -> None:
    """Free a slot of `institution` (not committed; `slot` False: a late answer, whose
    slot its time-out freed); an answer closes its breaker, a failure counts towards
    opening it."""
    line = InquiryLine
    values: dict[str, Any] = {"open_inquiries": line.open_inquiries - 1} if slot else {}
    if failed:
        failures = line.consecutive_failures + 1
        values |= {"consecutive_failures": failures, "paused_until": case(
            (failures >= current_app.config["INQUIRY_BREAKER_FAILURES"],
             now + current_app.config["INQUIRY_BREAKER_COOL_DOWN"]),
            else_=line.paused_until)}
    else:
        values |= {"consecutive_failures": 0, "paused_until": None}
    db.session.execute(update(line).where(line.institution == institution).values(**values))


def settle_unanswered(inquiry_id: int, status: InquiryStatus, error: str,
                      now: datetime) -> None:
    """An inquiry that timed out or failed: ask again, or after the last attempt hand
    the request to a person with the reason. Commits."""
    inquiry = db.get_existing(InstitutionInquiry, inquiry_id)
    if transitions.move(INQUIRIES, InstitutionInquiry.id == inquiry_id, InquiryStatus.SENT,
                        status, SYSTEM, now, reason=TIMEOUT_REASON) != 1:
        db.session.rollback()  # answered meanwhile, or settled by another sweep
        return
    db.session.add(LinkCheck(link_id=inquiry.link_id, attempt=inquiry.attempt,
                             name="institution_lookup", result=CheckOutcome.ERROR,
                             evidence={"error": error, "inquiry": inquiry.id}, at=now))
    link = db.get_existing(PayoutLink, inquiry.link_id)
    if link.status == LinkStatus.VERIFYING:
        if inquiry.attempt < current_app.config["INQUIRY_ATTEMPTS"]:
            ask(link, now)
            _touch(link.id, now)
        else:
            linking.settle(link, LinkStatus.NEEDS_REVIEW, SYSTEM, TIMEOUT_REASON, now)
    release(inquiry.institution, now, failed=True)
    db.session.commit()
    log.warning("inquiry %s to %s %s (attempt %s)", inquiry.id, inquiry.institution,
                status.lower(), inquiry.attempt)


def sweep(now: datetime) -> int:
    """Time out the overdue inquiries, withdraw those of requests decided or cancelled
    while they waited, and send what waits; returns how many timed out."""
    overdue = db.session.scalars(select(InstitutionInquiry.id).where(
        InstitutionInquiry.status == InquiryStatus.SENT,
        InstitutionInquiry.due_at < now).order_by(InstitutionInquiry.id)).all()
    db.session.rollback()
    for inquiry_id in overdue:
        settle_unanswered(inquiry_id, InquiryStatus.TIMED_OUT, "no answer before the deadline",
                          now)
    transitions.move(INQUIRIES, InstitutionInquiry.link_id.in_(
        select(PayoutLink.id).where(PayoutLink.status != LinkStatus.VERIFYING)),
        InquiryStatus.WAITING, InquiryStatus.WITHDRAWN, SYSTEM, now)
    db.session.commit()
    for institution in waiting_institutions():
        dispatch(institution, now)
    return len(overdue)


def waiting_institutions() -> list[str]:
    institutions = db.session.scalars(select(InstitutionInquiry.institution).where(
        InstitutionInquiry.status == InquiryStatus.WAITING).distinct()).all()
    db.session.rollback()
    return list(institutions)


def waiting_without_inquiry():
    """A condition on payout links: being verified with no inquiry open (lost work)."""
    return ~exists().where(InstitutionInquiry.link_id == PayoutLink.id,
                           InstitutionInquiry.status.in_(INQUIRY_OPEN))


@tasks.periodic_task("sweep_inquiries", minute="*")
def sweep_inquiries() -> None:
    sweep(db.utcnow())

