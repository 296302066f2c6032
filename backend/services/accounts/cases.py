"""A citizen's whole case, for support staff; every look-up is audited."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from backend import db, integrations
from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import (
    EidAccount,
    Payment,
    PaymentReport,
    PayoutLink,
    SocialSecurityAccount,
    StaffAccount,
)
from backend.services.audit import trail
from backend.services.identity import lockout
from backend.services.identity.personal_id import InvalidPersonalId, parse

MAX_PAYMENTS_SHOWN = 36  # three years of monthly payments
MAX_REPORTS_SHOWN = 20


def look_up_case(staff: StaffAccount, personal_id: str, now: datetime) -> dict:
    try:
        parse(personal_id)
    except InvalidPersonalId as invalid:
        raise ValidationFailed({"personal_id": [invalid.message_en]}) from None
    world = integrations.current()
    person = world.population_register.find_person(personal_id)
    eid = db.session.scalar(select(EidAccount).where(EidAccount.personal_id == personal_id))
    account = db.session.scalar(select(SocialSecurityAccount).where(
        SocialSecurityAccount.personal_id == personal_id))
    # The look-up is recorded whether or not anything was found.
    trail.record(staff.actor, "case.viewed", now, subject_personal_id=personal_id,
                 details={"found": person is not None})
    db.session.commit()
    if person is None and eid is None:
        raise NotFound()
    links = [] if account is None else list(db.session.scalars(
        select(PayoutLink).where(PayoutLink.account_id == account.id)
        .order_by(PayoutLink.created_at.desc(), PayoutLink.id.desc())))
    return {
        "personal_id": personal_id,
        "register": None if person is None else {
            "full_name": person.full_name, "date_of_birth": person.date_of_birth,
            "sex": person.sex, "province_code": person.province_code, "alive": person.alive},
        "eid_level": eid.ial if eid else None,
        # Shown whether or not an eID account exists: strangers may be guessing either way.
        "sign_in_throttle": lockout.states(lockout.citizen_subject(personal_id), now),
        "account": None if account is None else {"status": account.status,
                                                  "created_at": account.created_at},
        "programmes": [{"programme": entitlement.programme,
                        "monthly_amount_vnd": entitlement.monthly_amount_vnd,
                        "province_code": entitlement.province_code}
                       for entitlement in world.beneficiary_register.entitlements_of(personal_id)],
        "links": links,
        "payments": list(db.session.scalars(
            select(Payment).where(Payment.personal_id == personal_id)
            .order_by(Payment.period.desc(), Payment.id.desc()).limit(MAX_PAYMENTS_SHOWN))),
        "payments_total": db.session.scalar(
            select(func.count()).select_from(Payment).where(Payment.personal_id == personal_id)),
        # "I was not paid" and the like: the citizen's reports, newest first,
        # each with the payment it is about.
        "reports": [{"report": report, "payment": payment} for report, payment in
                    db.session.execute(
                        select(PaymentReport, Payment)
                        .join(Payment, Payment.id == PaymentReport.payment_id)
                        .where(PaymentReport.personal_id == personal_id)
                        .order_by(PaymentReport.created_at.desc(), PaymentReport.id.desc())
                        .limit(MAX_REPORTS_SHOWN))],
    }


# Support checks who is calling (by phone, against the register) before lifting.
LIFT_NOTE_LENGTH = (3, 1000)


def lift_lock(staff: StaffAccount, personal_id: str, factor: str, note: str,
              now: datetime) -> int:
    """Lift one sign-in factor's back-off or lock for a citizen; audited with the
    note saying how the caller's identity was checked. Returns the attempts it
    had counted; Conflict when that factor had nothing to lift."""
    try:
        parse(personal_id)
    except InvalidPersonalId as invalid:
        raise ValidationFailed({"personal_id": [invalid.message_en]}) from None
    problems = {}
    if factor not in (lockout.PASSWORD, lockout.OTP, lockout.PASSCODE):
        problems["factor"] = ["password, otp or passcode"]
    if not LIFT_NOTE_LENGTH[0] <= len((note or "").strip()) <= LIFT_NOTE_LENGTH[1]:
        problems["note"] = ["say how the caller's identity was checked"]
    if problems:
        raise ValidationFailed(problems)
    counted = lockout.lift(lockout.citizen_subject(personal_id), factor)
    if not counted:
        db.session.rollback()
        raise Conflict({"factor": [f"no failed {factor} attempts to lift"]})
    trail.record(staff.actor, "case.lock_lifted", now, subject_personal_id=personal_id,
                 details={"factor": factor, "attempts": counted, "note": note.strip()})
    db.session.commit()
    return counted
