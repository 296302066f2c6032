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
from sqlalchemy import ColumnElement, and_, select, update

from backend import db
from backend.errors import NotFound, Unauthenticated
from backend.models import AuthSession, EidAccount, StaffAccount
from backend.models.credentials import SignInCredentials
from backend.services.audit import trail
from backend.services.identity import places, revocation


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


@dataclass(frozen=True)
class ClientSeen:
    """What the citizen is shown of the client a session is used from."""
    user_agent: str | None = None
    address: str | None = None


def open_session(principal: EidAccount | StaffAccount, device_id: str | None,
                 now: datetime, client: ClientSeen | None = None) -> IssuedTokens:
    citizen = principal if isinstance(principal, EidAccount) else None
    client = client or ClientSeen()
    auth_session = AuthSession(
        id=str(uuid.uuid4()), citizen_id=citizen.id if citizen else None,
        staff_id=None if citizen else principal.id,
        ial=citizen.ial if citizen else None, device_id=device_id,
        refresh_jti=str(uuid.uuid4()), created_at=now,
        expires_at=now + current_app.config["SESSION_MAX_AGE"],
        user_agent=(client.user_agent or None) and client.user_agent[:200],
        place=places.approximate(client.address), last_seen_at=now)
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


def rotate(session_id: str, presented_jti: str, now: datetime,
           client: ClientSeen | None = None) -> IssuedTokens:
    auth_session = _live_session(session_id, now)
    if auth_session is None:
        raise Unauthenticated()
    # Compare-and-set: of two refreshes racing with the same token, one wins
    # and the other is treated as reuse.
    rotated = db.execute_counted(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.refresh_jti == presented_jti,
               AuthSession.revoked_at.is_(None))
        .values(refresh_jti=str(uuid.uuid4()), last_seen_at=now,
                place=places.approximate((client or ClientSeen()).address)
                or AuthSession.place)
        .execution_options(synchronize_session=False))
    if rotated != 1:
        end(session_id, now, reason="refresh_token_reused")
        raise Unauthenticated()
    db.session.commit()
    db.session.refresh(auth_session)
    return _issue(auth_session, now)


def end(session_id: str, now: datetime, reason: str) -> None:
    _end(AuthSession.id == session_id, now, reason)


def end_all(account: SignInCredentials, now: datetime, reason: str) -> None:
    """End every session of a citizen or staff member (a locked account)."""
    owner = AuthSession.citizen_id if isinstance(account, EidAccount) else AuthSession.staff_id
    _end(owner == account.id, now, reason)


def _of_citizen_live(citizen: EidAccount, now: datetime) -> ColumnElement[bool]:
    return and_(AuthSession.citizen_id == citizen.id, AuthSession.revoked_at.is_(None),
                AuthSession.expires_at > now)


def live_of_citizen(citizen: EidAccount, now: datetime) -> list[AuthSession]:
    """The citizen's sessions still signed in, the most recently used first."""
    return list(db.session.scalars(
        select(AuthSession).where(_of_citizen_live(citizen, now))
        .order_by(AuthSession.last_seen_at.desc(), AuthSession.created_at.desc())))


def end_of_citizen(citizen: EidAccount, session_id: str, now: datetime) -> None:
    """End one of the citizen's live sessions, on every worker at once; another
    citizen's, or one already over, is NOT_FOUND."""
    if db.session.scalar(select(AuthSession.id).where(
            _of_citizen_live(citizen, now), AuthSession.id == session_id)) is None:
        raise NotFound()
    _end(AuthSession.id == session_id, now, reason="ended_by_citizen")


def end_others_of_citizen(citizen: EidAccount, current_session_id: str, now: datetime) -> int:
    """Sign out everywhere else: every live session of the citizen but this one."""
    return _end(and_(_of_citizen_live(citizen, now), AuthSession.id != current_session_id),
                now, reason="ended_by_citizen")


def _end(where: ColumnElement[bool], now: datetime, reason: str) -> int:
    ended = db.session.execute(
        update(AuthSession)
        .where(where, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
        .returning(AuthSession.id, AuthSession.expires_at)
        .execution_options(synchronize_session=False)).all()
    # Before the commit: if the workers cannot be told, the session stays live
    # in the table too, and the caller gets an error rather than a false logout.
    revocation.mark([(row.id, row.expires_at) for row in ended], now)
    db.session.commit()
    return len(ended)


def sign_out(claims: dict, now: datetime) -> None:
    """End the session of these token claims; a staff sign-out is audited."""
    if claims.get("kind") == "staff":
        staff = db.get_existing(StaffAccount, int(claims["sub"]))
        trail.record(staff.actor, "staff.sign_out", now)
    end(claims["sid"], now, reason="logout")
