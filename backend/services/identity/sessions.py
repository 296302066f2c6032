"""Signed-in sessions and their tokens (flask-jwt-extended), for citizens and staff.

A session lives at most 12 hours whatever is refreshed. Each refresh rotates
the refresh token; presenting one that is no longer current means it leaked
or was replayed, so the whole session is killed.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy import update

from backend import db
from backend.errors import Unauthenticated
from backend.models import AuthSession, EidAccount, StaffAccount
from backend.services.audit import trail


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    ial: int | None = None
    roles: list[str] | None = None
    token_type: str = "Bearer"
    # At a citizen's complete sign-in: failed attempts since the last one.
    failed_sign_in_attempts: int | None = None


def open_session(principal: EidAccount | StaffAccount, device_id: str | None,
                 now: datetime) -> IssuedTokens:
    citizen = principal if isinstance(principal, EidAccount) else None
    auth_session = AuthSession(
        id=str(uuid.uuid4()), citizen_id=citizen.id if citizen else None,
        staff_id=None if citizen else principal.id,
        ial=citizen.ial if citizen else None, device_id=device_id,
        refresh_jti=str(uuid.uuid4()), created_at=now,
        expires_at=now + current_app.config["SESSION_MAX_AGE"])
    db.session.add(auth_session)
    return _issue(auth_session, now)


def _issue(auth_session: AuthSession, now: datetime) -> IssuedTokens:
    remaining = auth_session.expires_at - now
    access_lifetime = min(current_app.config["JWT_ACCESS_TOKEN_EXPIRES"], remaining)
    if auth_session.citizen_id is not None:
        identity, roles = str(auth_session.citizen_id), None
        claims = {"kind": "citizen", "ial": auth_session.ial, "amr": ["pwd", "otp"]}
    else:
        identity = str(auth_session.staff_id)
        # Read at every refresh, so a role taken away ends within 15 minutes.
        roles = list(db.get_existing(StaffAccount, auth_session.staff_id).roles)
        claims = {"kind": "staff", "roles": roles, "amr": ["pwd", "otp"]}
    claims["sid"] = auth_session.id
    access_token = create_access_token(identity, expires_delta=access_lifetime,
                                       additional_claims=claims)
    refresh_token = create_refresh_token(
        identity, expires_delta=remaining,
        additional_claims={"kind": claims["kind"], "sid": auth_session.id,
                           "jti": auth_session.refresh_jti})
    return IssuedTokens(access_token, refresh_token, int(access_lifetime.total_seconds()),
                        auth_session.ial, roles)


def _live_session(session_id: str | None, now: datetime) -> AuthSession | None:
    auth_session = db.session.get(AuthSession, session_id) if session_id else None
    if auth_session is None or auth_session.revoked_at is not None \
            or now >= auth_session.expires_at:
        return None
    return auth_session


def is_live(session_id: str | None, now: datetime) -> bool:
    return _live_session(session_id, now) is not None


def rotate(session_id: str, presented_jti: str, now: datetime) -> IssuedTokens:
    auth_session = _live_session(session_id, now)
    if auth_session is None:
        raise Unauthenticated()
    # Compare-and-set: of two refreshes racing with the same token, one wins
    # and the other is treated as reuse.
    rotated = db.execute_counted(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.refresh_jti == presented_jti,
               AuthSession.revoked_at.is_(None))
        .values(refresh_jti=str(uuid.uuid4()))
        .execution_options(synchronize_session=False))
    if rotated != 1:
        end(session_id, now, reason="refresh_token_reused")
        raise Unauthenticated()
    db.session.commit()
    db.session.refresh(auth_session)
    return _issue(auth_session, now)


def end(session_id: str, now: datetime, reason: str) -> None:
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
        .execution_options(synchronize_session=False))
    db.session.commit()


def sign_out(claims: dict, now: datetime) -> None:
    """End the session of these token claims; a staff sign-out is audited."""
    if claims.get("kind") == "staff":
        staff = db.get_existing(StaffAccount, int(claims["sub"]))
        trail.record(staff.actor, "staff.sign_out", now)
    end(claims["sid"], now, reason="logout")
