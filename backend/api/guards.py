"""Who may call a view, and what a view needs before it runs (step-up, idempotency)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps

from flask import g, request
from flask_jwt_extended import get_jwt, get_jwt_identity, verify_jwt_in_request

from backend import db
from backend.db import utcnow
from backend.errors import Forbidden, Ial2Required, Unauthenticated, ValidationFailed
from backend.models import EidAccount, StaffAccount
from backend.services.identity import revocation, step_up
from backend.services.shared import idempotency


def citizen_required(ial2: bool = True, session_in_statement: bool = False):
    """A citizen's access token; with `ial2`, identity level 2 as well.

    With `session_in_statement`, the view checks that the session is live in
    the statement it runs anyway (`live_session()`), saving the look-up
    before it; a view that then does not is a server error, never a pass.
    """
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.session_in_statement = session_in_statement
            verify_jwt_in_request()
            claims = get_jwt()
            if claims.get("kind") != "citizen":
                raise Forbidden()
            if ial2 and claims.get("ial") != 2:
                raise Ial2Required()
            response = view(*args, **kwargs)
            if session_in_statement and not g.get("session_checked"):
                raise RuntimeError(f"{view.__qualname__} did not check its session")
            return response
        return wrapper
    return decorator


def live_session() -> str:
    """The session id the view's statement checks (`revocation.live_session_citizen`);
    a statement that finds nothing through it means UNAUTHENTICATED."""
    g.session_checked = True
    return get_jwt()["sid"]


def check_session_now() -> None:
    """For a `session_in_statement` view taking a path without such a statement."""
    if revocation.is_revoked(get_jwt().get("sid"), utcnow()):
        raise Unauthenticated()
    g.session_checked = True


def staff_required(*roles: str):
    """A staff token carrying one of `roles`; citizens and other roles are FORBIDDEN."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request()
            claims = get_jwt()
            if claims.get("kind") != "staff" or not set(roles) & set(claims.get("roles", [])):
                raise Forbidden()
            return view(*args, **kwargs)
        return wrapper
    return decorator


def current_citizen() -> EidAccount:
    """The citizen the token's subject names; every /me query is scoped to it."""
    citizen_id = int(get_jwt_identity())
    # Kept for the request: the session's identity map holds an object only while
    # something refers to it, so the step-up's look-up and the view's would read
    # the row twice.
    held = g.get("citizen")
    if held is not None and held.id == citizen_id:
        return held
    account = db.session.get(EidAccount, citizen_id)
    if account is None:
        raise Unauthenticated()
    g.citizen = account
    return account


def current_staff_actor() -> str:
    return current_staff().actor


def current_staff() -> StaffAccount:
    staff = db.session.get(StaffAccount, int(get_jwt_identity()))
    if staff is None:
        raise Unauthenticated()
    return staff


def step_up_required(view):
    """The passcode (`X-Passcode`) or a fresh one-time code (`X-OTP`, consumed once)
    before a sensitive action."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        step_up_now(current_citizen(), utcnow())
        return view(*args, **kwargs)
    return wrapper


def step_up_now(citizen: EidAccount, now: datetime,
                sign_in_suffices: Callable[[], bool] | None = None) -> None:
    """Step-up inside a view that decides from its body whether this session's recent
    sign-in is enough (`sign_in_suffices`, asked only when no factor is sent: a factor
    sent is checked anyway)."""
    code, passcode = request.headers.get("X-OTP"), request.headers.get("X-Passcode")
    if not (code or passcode) and sign_in_suffices is not None and sign_in_suffices() \
            and step_up.signed_in_recently(get_jwt()["sid"], now):
        return
    step_up.confirm(citizen, code, now, passcode=passcode)


def idempotent(view):
    """With an `Idempotency-Key`, a retried request gets the first answer back.

    Sits outside step-up: a retry after a lost answer must not need a new code.
    """
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if not key:
            return view(*args, **kwargs)
        if len(key) > 100:
            raise ValidationFailed({"Idempotency-Key": ["at most 100 characters"]})
        owner = f"citizen:{get_jwt_identity()}"
        fingerprint = idempotency.fingerprint(request.method, request.path,
                                              request.get_json(silent=True))
        stored = idempotency.begin(owner, key, fingerprint, utcnow())
        if stored is not None:
            return stored.body, stored.status_code
        try:
            response = view(*args, **kwargs)
        except Exception:
            idempotency.release(owner, key)  # a failed attempt may be retried with this key
            raise
        idempotency.finish(owner, key, response.status_code, response.get_json())
        return response
    return wrapper
