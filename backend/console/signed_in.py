"""Who is signed in to the console, kept in the signed session cookie.

The cookie holds the staff id, the server-side session id and two times: when
the staff member signed in and when they were last seen. A session ends after
CONSOLE_IDLE_TIMEOUT without a request, or SESSION_MAX_AGE in all, or when its
server-side row is revoked (sign-out), whichever comes first.
"""
from __future__ import annotations

from datetime import datetime
from functools import wraps
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session, url_for

from backend.console.catalogue import t
from backend.errors import Forbidden
from backend.models import StaffAccount
from backend.services.identity import sessions, staff_login

_LANGUAGE_KEY = "lang"


def begin(staff: StaffAccount, session_id: str, now: datetime) -> None:
    # A fresh cookie on sign-in: nothing from before (CSRF token included)
    # carries over into the signed-in session, except the chosen language.
    language = session.get(_LANGUAGE_KEY)
    session.clear()
    if language:
        session[_LANGUAGE_KEY] = language
    session.update(staff_id=staff.id, sid=session_id, signed_in_at=now.timestamp(),
                   seen_at=now.timestamp())


def end(now: datetime, reason: str) -> None:
    if session.get("sid"):
        sessions.end(session["sid"], now, reason)
    language = session.get(_LANGUAGE_KEY)
    session.clear()
    if language:
        session[_LANGUAGE_KEY] = language


def _ended_why(now: datetime) -> str | None:
    config = current_app.config
    moment = now.timestamp()
    if moment - session.get("seen_at", 0) > config["CONSOLE_IDLE_TIMEOUT"].total_seconds():
        return "idle_timeout"
    if moment - session.get("signed_in_at", 0) >= config["SESSION_MAX_AGE"].total_seconds():
        return "expired"
    if not sessions.is_live(session.get("sid"), now):
        return "revoked"
    return None


def load(now: datetime) -> None:
    """Set g.staff (or None) for this request, ending a session that is over."""
    g.staff, g.session_ended = None, False
    if "staff_id" not in session:
        return
    staff = staff_login.staff_by_id(session["staff_id"])
    ended_why = _ended_why(now) if staff is not None else "unknown_staff"
    if ended_why:
        end(now, ended_why)
        g.session_ended = True
        return
    session["seen_at"] = now.timestamp()
    g.staff = staff


def role_required(*roles: str):
    """Signed in, and holding one of `roles` (any staff member when none is named)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if g.staff is None:
                if g.session_ended:
                    flash(t("session.ended"), "info")
                follow = request.full_path.rstrip("?") if request.method == "GET" else None
                return redirect(url_for("console.sign_in", next=follow))
            if not may(g.staff, roles):
                raise Forbidden()
            return view(*args, **kwargs)
        # Read by may_open, for the navigation. A function attribute, set through
        # __dict__ because type checkers know functions by their signature only.
        wrapper.__dict__["required_roles"] = roles
        return wrapper
    return decorator


def may(staff: StaffAccount | None, roles: tuple[str, ...]) -> bool:
    return staff is not None and (not roles or any(role in staff.roles for role in roles))


def may_open(endpoint: str) -> bool:
    """Whether the signed-in staff member may open a view: the navigation asks the
    view's own decorator, so a link shows exactly where the page lets one in."""
    view = current_app.view_functions.get(endpoint)
    return view is not None and may(g.get("staff"), getattr(view, "required_roles", ()))


def safe_next(target: str | None) -> str | None:
    """A place inside the console to return to; anything else is ignored."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/console") \
            or target.startswith("//"):
        return None
    return target.rstrip("?")
