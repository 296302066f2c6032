""""I was not paid": a citizen's problem report about a payment, and support's answer.

A report opens a case with a time limit (`SSA_PAYMENT_REPORT_DAYS`); support
takes it, reads the payment's timeline and the bank's results beside it, and
answers. The answer reaches the citizen as a notification and on the payment.
A case past its limit and unanswered is overdue, which supervisors see.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend import db
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import (
    BankCallback,
    EidAccount,
    Payment,
    PaymentReport,
    PaymentReportTransition,
    SocialSecurityAccount,
    StaffAccount,
)
from backend.models.statuses import PAYMENT_REPORT_STATES, PaymentReportStatus
from backend.services.accounts import notifications
from backend.services.audit import trail
from backend.services.payments import history
from backend.services.shared import transitions

REPORTS = transitions.Lifecycle(PAYMENT_REPORT_STATES, PaymentReport, PaymentReportTransition,
                                "report_id", synchronize_session="auto")
WAITING = (PaymentReportStatus.OPEN, PaymentReportStatus.IN_PROGRESS)


def open_report(citizen: EidAccount, payment_id: int, kind: str, note: str,
                now: datetime) -> PaymentReport:
    """Another citizen's payment is NOT_FOUND; a report still waiting on the same
    payment is a CONFLICT."""
    payment = history.get_for_citizen(citizen, payment_id)
    report = PaymentReport(payment_id=payment.id, personal_id=citizen.personal_id, kind=kind,
                           note=note.strip(), status=PAYMENT_REPORT_STATES.initial,
                           due_at=now + current_app.config["PAYMENT_REPORT_TIME_LIMIT"],
                           created_at=now, updated_at=now)
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:  # the unique index on a payment's waiting report
        db.session.rollback()
        raise Conflict({"payment_id": ["a report on this payment is still waiting"]}) \
            from None
    transitions.record_created(REPORTS, PaymentReport.id == report.id, "citizen", now,
                               reason=kind.upper())
    trail.record("citizen", "payment_report.opened", now,
                 subject_personal_id=citizen.personal_id, target=f"payment:{payment.id}",
                 details={"report_id": report.id, "kind": kind})
    db.session.commit()
    return report


def of_payment(citizen: EidAccount, payment_id: int) -> list[PaymentReport]:
    return list(history.get_for_citizen(citizen, payment_id).reports)


def is_overdue(report: PaymentReport, now: datetime) -> bool:
    return report.status in WAITING and report.due_at <= now


def queue(staff: StaffAccount, status: str | None, overdue_only: bool, page: int,
          page_size: int, now: datetime) -> tuple[list[PaymentReport], int]:
    """Waiting cases (or those of `status`), the most urgent first; audited."""
    conditions = [PaymentReport.status == status] if status \
        else [PaymentReport.status.in_(WAITING)]
    if overdue_only:
        conditions += [PaymentReport.status.in_(WAITING), PaymentReport.due_at <= now]
    found, total = db.paginate(select(PaymentReport).where(*conditions)
                               .order_by(PaymentReport.due_at, PaymentReport.id),
                               page, page_size)
    trail.record(staff.actor, "payment_report.queue_viewed", now,
                 details={"shown": len(found), "overdue_only": overdue_only})
    db.session.commit()
    return found, total


def look_up(staff: StaffAccount, report_id: int, now: datetime) -> dict:
    """The case with the payment's timeline and the bank's results beside it;
    the look-up of the citizen's data is audited."""
    report = _get(report_id)
    payment = db.get_existing(Payment, report.payment_id)
    trail.record(staff.actor, "payment_report.viewed", now,
                 subject_personal_id=report.personal_id, target=f"payment:{payment.id}",
                 details={"report_id": report.id})
    db.session.commit()
    bank_results = [] if payment.end_to_end_id is None else list(db.session.scalars(
        select(BankCallback).where(BankCallback.end_to_end_id == payment.end_to_end_id)
        .order_by(BankCallback.received_at, BankCallback.id)))
    return {"report": report, "payment": payment, "timeline": history.timeline(payment),
            "bank_results": bank_results, "overdue": is_overdue(report, now)}


def take(staff: StaffAccount, report_id: int, now: datetime) -> PaymentReport:
    report = _get(report_id)
    if transitions.move(REPORTS, PaymentReport.id == report.id, PaymentReportStatus.OPEN,
                        PaymentReportStatus.IN_PROGRESS, staff.actor, now,
                        values={"taken_by": staff.actor}) != 1:
        raise Conflict({"status": [f"the case is {report.status}"]})
    trail.record(staff.actor, "payment_report.taken", now,
                 subject_personal_id=report.personal_id, target=f"payment:{report.payment_id}",
                 details={"report_id": report.id})
    db.session.commit()
    return report


def answer(staff: StaffAccount, report_id: int, text: str | None,
           now: datetime) -> PaymentReport:
    """Close the case with what the citizen is told; they are notified."""
    text = (text or "").strip()
    if len(text) < 3:
        raise ValidationFailed({"answer": ["at least 3 characters"]})
    report = _get(report_id)
    from_status = report.status
    if from_status not in WAITING or transitions.move(
            REPORTS, PaymentReport.id == report.id, from_status, PaymentReportStatus.ANSWERED,
            staff.actor, now, note=text[:1000],
            values={"answer": text, "answered_by": staff.actor, "answered_at": now}) != 1:
        raise Conflict({"status": [f"the case is {report.status}"]})
    payment = db.get_existing(Payment, report.payment_id)
    account = db.session.scalar(select(SocialSecurityAccount).where(
        SocialSecurityAccount.personal_id == report.personal_id))
    if account is not None:
        notifications.notify(account, "PAYMENT_REPORT_ANSWERED",
                             {"payment_id": payment.id, "report_id": report.id,
                              "period": payment.period, "answer": text}, now)
    trail.record(staff.actor, "payment_report.answered", now,
                 subject_personal_id=report.personal_id, target=f"payment:{payment.id}",
                 details={"report_id": report.id})
    db.session.commit()
    return report


def _get(report_id: int) -> PaymentReport:
    report = db.session.get(PaymentReport, report_id)
    if report is None:
        raise NotFound()
    return report
