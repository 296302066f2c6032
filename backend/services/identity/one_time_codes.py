"""TOTP second factor (pyotp) of citizens and staff: each code is accepted once.

Codes of the current and the previous 30-second step are accepted, to allow
for a slow typist or a slightly slow phone clock. The step of the accepted
code is stored with a compare-and-set UPDATE, so two requests racing with the
same code cannot both win, on any number of workers.
"""
from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
from flask import current_app
from sqlalchemy import or_, update

from backend import canonical, db
from backend.errors import OtpInvalid, OtpReplayed
from backend.models.credentials import SignInCredentials
from backend.services.shared import secret_box


def _step(moment: datetime) -> int:
    return int(moment.timestamp()) // current_app.config["TOTP_STEP_SECONDS"]


def current_code(account: SignInCredentials, moment: datetime) -> str:
    """The code the citizen's authenticator shows at `moment` (demo tooling, tests)."""
    return pyotp.TOTP(secret_box.decrypt(account.totp_secret_encrypted)).at(moment)


def consume(account: SignInCredentials, code: str, moment: datetime) -> None:
    """Accept `code` once, or raise OtpInvalid / OtpReplayed."""
    if not canonical.is_digits(code, 6):
        raise OtpInvalid()  # and hmac.compare_digest would raise on a non-ASCII one
    totp = pyotp.TOTP(secret_box.decrypt(account.totp_secret_encrypted))
    step_seconds = current_app.config["TOTP_STEP_SECONDS"]
    now_step = _step(moment)
    for step in (now_step, now_step - 1):
        if hmac.compare_digest(totp.at(step * step_seconds), code or ""):
            model = type(account)
            claimed = db.execute_counted(
                update(model)
                .where(model.id == account.id,
                       or_(model.totp_last_step.is_(None), model.totp_last_step < step))
                .values(totp_last_step=step)
                .execution_options(synchronize_session=False))
            if claimed != 1:
                raise OtpReplayed()
            return
    raise OtpInvalid()


def shown_at(account: SignInCredentials, code: str, moment: datetime) -> bool:
    """Whether `code` is what the authenticator showed at `moment` (or the step
    before), without using it up: for proof reported later, such as a paying
    agent's hand-over file."""
    if not canonical.is_digits(code, 6):
        return False
    totp = pyotp.TOTP(secret_box.decrypt(account.totp_secret_encrypted))
    step = _step(moment)
    step_seconds = current_app.config["TOTP_STEP_SECONDS"]
    return any(hmac.compare_digest(totp.at(each * step_seconds), code or "")
               for each in (step, step - 1))
