"""Lost-phone recovery: a citizen who lost their authenticator gets a new one.

1. The app asks with the personal ID and password (`start`). The answer, a
   recovery token, is the same whether or not the ID exists or the password
   is right: a wrong one makes a recovery with no citizen, which never
   verifies and expires like the others.
2. The citizen proves who they are again: an officer checks the ID card in
   person (`approve_in_person`), or, in demo mode, the app reads the card's
   chip (`verify_with_chip`).
3. The app enrols a new authenticator secret (`enrol`) and confirms it with a
   code from it (`confirm`). Then the old secret is gone, every session ends
   on every worker, the devices stop receiving pushes, an SMS goes to the
   registered phone, and for the cooling-off period any payout account
   change waits like a replaced account (`recovered_recently`).

Each step is audited. What is not finished by `expires_at` expires.
"""
from __future__ import annotations

import hmac
import secrets
from datetime import datetime

import pyotp
from flask import current_app
from sqlalchemy import ColumnElement, exists, select

from backend import db, integrations, tasks
from backend.errors import Conflict, NotFound, OtpInvalid, ValidationFailed
from backend.models import (
    AccountRecovery,
    AccountRecoveryTransition,
    EidAccount,
    SocialSecurityAccount,
    StaffAccount,
)
from backend.models.statuses import RECOVERY_STATES, RecoveryStatus
from backend.services.accounts import notifications, push_devices, social_security
from backend.services.audit import trail
from backend.services.identity import lockout, passwords, sessions
from backend.services.shared import secret_box, transitions

RECOVERIES = transitions.Lifecycle(RECOVERY_STATES, AccountRecovery, AccountRecoveryTransition,
                                   "recovery_id", synchronize_session="auto")
UNFINISHED = (RecoveryStatus.REQUESTED, RecoveryStatus.VERIFIED)
ISSUER = "An sinh xã hội"


def _token_hash(token: str) -> str:
    return secret_box.lookup_hash(f"recovery:{token}")


def start(personal_id: str, password: str, now: datetime) -> tuple[str, AccountRecovery]:
    """A recovery and its token; the same answer for an unknown ID or a wrong password."""
    # Counted like a sign-in: the password is guessed here no faster than there.
    attempt = lockout.reserve(lockout.citizen_subject(personal_id), lockout.PASSWORD, now)
    citizen = db.session.scalar(select(EidAccount).where(EidAccount.personal_id == personal_id))
    if not passwords.verify_password(citizen.password_hash if citizen else None, password):
        citizen = None
        lockout.failed(attempt, now)
    else:
        lockout.succeeded(attempt)
    token = secrets.token_urlsafe(32)
    if citizen is not None:
        # One recovery at a time: asking again ends the one before.
        _expire(AccountRecovery.citizen_id == citizen.id, now, "citizen", "ASKED_AGAIN")
    recovery = AccountRecovery(token_hash=_token_hash(token),
                               citizen_id=citizen.id if citizen else None,
                               status=RECOVERY_STATES.initial, created_at=now,
                               expires_at=now + current_app.config["RECOVERY_TTL"],
                               updated_at=now)
    db.session.add(recovery)
    db.session.flush()
    transitions.record_created(RECOVERIES, AccountRecovery.id == recovery.id, "citizen", now)
    if citizen is not None:
        trail.record("citizen", "recovery.requested", now,
                     subject_personal_id=citizen.personal_id, target=f"recovery:{recovery.id}")
        _tell(citizen, "SECURITY_RECOVERY_REQUESTED", now)
    db.session.commit()
    return token, recovery


def _tell(citizen: EidAccount, kind: str, now: datetime) -> None:
    # Level 1 has no social security account, hence no money to protect.
    if citizen.ial == 2:
        notifications.notify(social_security.get_or_create(citizen, now), kind, {}, now)


def _by_token(token: str, now: datetime) -> AccountRecovery:
    recovery = db.session.scalar(select(AccountRecovery).where(
        AccountRecovery.token_hash == _token_hash(token)))
    if recovery is None:
        raise NotFound()
    if recovery.status in UNFINISHED and recovery.expires_at <= now:
        expire_unfinished(now)
        db.session.commit()
    return recovery


def _refuse_unless(recovery: AccountRecovery, status: RecoveryStatus) -> None:
    if recovery.status != status:
        raise Conflict({"status": [f"the recovery is {recovery.status}"]})


def verify_with_chip(token: str, chip_data: str, now: datetime) -> AccountRecovery:
    """Demo mode: the app read the ID card's chip; the card must name the citizen."""
    if not current_app.config["DEMO_MODE"] or current_app.config["ENV"] == "production":
        raise NotFound()
    recovery = _by_token(token, now)
    _refuse_unless(recovery, RecoveryStatus.REQUESTED)
    holder = integrations.current().id_card_chip.read(chip_data)
    citizen = db.session.get(EidAccount, recovery.citizen_id) if recovery.citizen_id else None
    if holder is None or citizen is None or holder.personal_id != citizen.personal_id \
            or (citizen.date_of_birth and holder.date_of_birth != citizen.date_of_birth):
        raise ValidationFailed({"chip_data": ["the card does not match the account"]})
    _move(recovery, RecoveryStatus.REQUESTED, RecoveryStatus.VERIFIED, "citizen", now,
          values={"verified_by_method": "chip", "verified_by": "citizen"})
    trail.record("citizen", "recovery.chip_verified", now,
                 subject_personal_id=citizen.personal_id, target=f"recovery:{recovery.id}")
    db.session.commit()
    return recovery


def waiting(staff: StaffAccount, personal_id: str | None, page: int, page_size: int,
            now: datetime) -> tuple[list[dict], int]:
    """Recoveries waiting for an officer, oldest first; the look-up is audited."""
    conditions = [AccountRecovery.status == RecoveryStatus.REQUESTED,
                  AccountRecovery.expires_at > now]
    if personal_id:
        conditions.append(EidAccount.personal_id == personal_id)
    found, total = db.paginate(
        select(AccountRecovery).join(EidAccount, EidAccount.id == AccountRecovery.citizen_id)
        .where(*conditions).order_by(AccountRecovery.created_at, AccountRecovery.id),
        page, page_size)
    trail.record(staff.actor, "recovery.queue_viewed", now,
                 details={"shown": len(found), "personal_id": personal_id or ""})
    db.session.commit()
    return [_for_officer(recovery, db.get_existing(EidAccount, recovery.citizen_id))
            for recovery in found], total


def _for_officer(recovery: AccountRecovery, citizen: EidAccount) -> dict:
    return {"id": recovery.id, "status": recovery.status, "personal_id": citizen.personal_id,
            "full_name": citizen.full_name, "date_of_birth": citizen.date_of_birth,
            "created_at": recovery.created_at, "expires_at": recovery.expires_at,
            "verified_by": recovery.verified_by}


def approve_in_person(staff: StaffAccount, recovery_id: int, card_personal_id: str,
                      note: str, now: datetime) -> dict:
    """The officer checked the ID card: the personal ID read from it must be the
    account's, or nothing changes."""
    recovery, citizen = _for_staff(recovery_id, now)
    if not hmac.compare_digest(card_personal_id.strip(), citizen.personal_id):
        raise ValidationFailed({"card_personal_id": ["the card is not this citizen's"]})
    _move(recovery, RecoveryStatus.REQUESTED, RecoveryStatus.VERIFIED, staff.actor, now,
          note=note, values={"verified_by_method": "officer", "verified_by": staff.actor,
                             # Time to enrol from the approval on.
                             "expires_at": now + current_app.config["RECOVERY_TTL"]})
    trail.record(staff.actor, "recovery.approved", now, subject_personal_id=citizen.personal_id,
                 target=f"recovery:{recovery.id}", details={"note": note})
    db.session.commit()
    return _for_officer(recovery, citizen)


def refuse(staff: StaffAccount, recovery_id: int, note: str, now: datetime) -> dict:
    """The person at the desk is not the account's owner."""
    recovery, citizen = _for_staff(recovery_id, now)
    _move(recovery, RecoveryStatus.REQUESTED, RecoveryStatus.REFUSED, staff.actor, now,
          note=note, values={"verified_by": staff.actor})
    trail.record(staff.actor, "recovery.refused", now, subject_personal_id=citizen.personal_id,
                 target=f"recovery:{recovery.id}", details={"note": note})
    _tell(citizen, "SECURITY_RECOVERY_REFUSED", now)
    db.session.commit()
    return _for_officer(recovery, citizen)


def _for_staff(recovery_id: int, now: datetime) -> tuple[AccountRecovery, EidAccount]:
    recovery = db.session.get(AccountRecovery, recovery_id)
    # The decoys of wrong passwords are nobody's and not shown to staff.
    if recovery is None or recovery.citizen_id is None:
        raise NotFound()
    if recovery.status in UNFINISHED and recovery.expires_at <= now:
        expire_unfinished(now)
        db.session.commit()
    _refuse_unless(recovery, RecoveryStatus.REQUESTED)
    return recovery, db.get_existing(EidAccount, recovery.citizen_id)


def enrol(token: str, now: datetime) -> dict:
    """A new authenticator secret for a verified recovery; it takes effect once
    a code from it is confirmed. Asking again gives another secret."""
    recovery = _by_token(token, now)
    _refuse_unless(recovery, RecoveryStatus.VERIFIED)
    citizen = db.get_existing(EidAccount, recovery.citizen_id)
    secret = pyotp.random_base32()
    recovery.pending_secret_encrypted = secret_box.encrypt(secret)
    recovery.updated_at = now
    trail.record("citizen", "recovery.secret_issued", now,
                 subject_personal_id=citizen.personal_id, target=f"recovery:{recovery.id}")
    db.session.commit()
    return {"secret": secret,
            "otpauth_uri": pyotp.TOTP(secret).provisioning_uri(
                name=citizen.personal_id, issuer_name=ISSUER)}


def confirm(token: str, code: str, now: datetime) -> AccountRecovery:
    """The first code of the new authenticator: the recovery is done."""
    recovery = _by_token(token, now)
    _refuse_unless(recovery, RecoveryStatus.VERIFIED)
    if recovery.pending_secret_encrypted is None:
        raise Conflict({"status": ["enrol a new authenticator first"]})
    new_secret = recovery.pending_secret_encrypted
    totp = pyotp.TOTP(secret_box.decrypt(new_secret))
    step_seconds = current_app.config["TOTP_STEP_SECONDS"]
    now_step = int(now.timestamp()) // step_seconds
    matched = [step for step in (now_step, now_step - 1)
               if hmac.compare_digest(totp.at(step * step_seconds), code or "")]
    if not matched:
        raise OtpInvalid()
    citizen = db.get_existing(EidAccount, recovery.citizen_id)
    # The old secret is gone; the confirming code cannot sign in again.
    citizen.totp_secret_encrypted = new_secret
    citizen.totp_last_step = matched[0]
    _move(recovery, RecoveryStatus.VERIFIED, RecoveryStatus.COMPLETED, "citizen", now,
          values={"completed_at": now, "pending_secret_encrypted": None})
    push_devices.forget_all(citizen.id)
    _tell(citizen, "SECURITY_ACCOUNT_RECOVERED", now)
    trail.record("citizen", "recovery.completed", now, subject_personal_id=citizen.personal_id,
                 target=f"recovery:{recovery.id}")
    # Last: it commits everything above with the end of every session, after
    # telling every worker (whoever holds the old phone holds a session).
    sessions.end_all(citizen, now, reason="account_recovered")
    return recovery


def _move(recovery: AccountRecovery, from_status: RecoveryStatus, to_status: RecoveryStatus,
          actor: str, now: datetime, note: str | None = None,
          values: dict | None = None) -> None:
    if transitions.move(RECOVERIES, AccountRecovery.id == recovery.id, from_status, to_status,
                        actor, now, note=note, values=values) != 1:
        raise Conflict({"status": [f"the recovery is {recovery.status}"]})


def _expire(where: ColumnElement[bool], now: datetime, actor: str, reason: str) -> int:
    return sum(transitions.move(RECOVERIES, where, status, RecoveryStatus.EXPIRED, actor, now,
                                reason=reason) for status in UNFINISHED)


def expire_unfinished(now: datetime) -> int:
    """Recoveries past their time expire (set-based); each expiry of a
    citizen's recovery is audited."""
    late = db.session.execute(select(AccountRecovery.id, AccountRecovery.citizen_id).where(
        AccountRecovery.status.in_(UNFINISHED), AccountRecovery.expires_at <= now)).all()
    if not late:
        return 0  # no write at all: on SQLite even an empty UPDATE takes the write lock
    expired = _expire(AccountRecovery.id.in_([row.id for row in late]), now, "system",
                      "TIME_LIMIT")
    for recovery_id, citizen_id in late:
        if citizen_id is None:
            continue
        trail.record("system", "recovery.expired", now,
                     subject_personal_id=db.get_existing(EidAccount, citizen_id).personal_id,
                     target=f"recovery:{recovery_id}")
    return expired


@tasks.periodic_task("expire_recoveries", minute="*/5")
def expire_recoveries() -> None:
    expire_unfinished(db.utcnow())
    db.session.commit()


def recovered_recently(account: SocialSecurityAccount, now: datetime) -> bool:
    """Whether the citizen finished a recovery within the cooling-off period:
    whoever had the old phone may be the one changing the payout account."""
    return bool(db.session.scalar(select(exists().where(
        AccountRecovery.citizen_id == EidAccount.id,
        EidAccount.personal_id == account.personal_id,
        AccountRecovery.status == RecoveryStatus.COMPLETED,
        AccountRecovery.completed_at > now - current_app.config["PAYOUT_COOLING_OFF"]))))
