"""Who may call a view: decorators that check the token before the view runs."""
from __future__ import annotations

from functools import wraps

from flask_jwt_extended import get_jwt, get_jwt_identity, verify_jwt_in_request

from backend import db
from backend.errors import Forbidden, Ial2Required, Unauthenticated
from backend.models import EidAccount


def citizen_required(ial2: bool = True):
    """A citizen's access token; with `ial2`, identity level 2 as well."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request()
            claims = get_jwt()
            if claims.get("kind") != "citizen":
                raise Forbidden()
            if ial2 and claims.get("ial") != 2:
                raise Ial2Required()
            return view(*args, **kwargs)
        return wrapper
    return decorator


def current_citizen() -> EidAccount:
    """The citizen the token's subject names; every /me query is scoped to it."""
    account = db.session.get(EidAccount, int(get_jwt_identity()))
    if account is None:
        raise Unauthenticated()
    return account


def current_session_id() -> str:
    return get_jwt()["sid"]
