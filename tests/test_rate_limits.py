"""Per-address limits on the sign-in endpoints, answered in the error shape."""
from __future__ import annotations

from backend.app import create_app
from backend.extensions import limiter
from tests.conftest import make_config


def test_too_many_sign_in_attempts_from_one_address(tmp_path, database_url, clean_db):
    limited = create_app(make_config(tmp_path, database_url, SSA_RATELIMIT_ENABLED="true",
                                     SSA_LOGIN_RATE_LIMIT="3 per minute"))
    client = limited.test_client()
    attempt = {"personal_id": "079190000001", "password": "guess"}
    codes = [client.post("/api/v1/auth/login", json=attempt).json["code"] for _ in range(4)]
    assert codes == ["INVALID_CREDENTIALS"] * 3 + ["RATE_LIMITED"]
    answer = client.post("/api/v1/auth/login", json=attempt, headers={"Accept-Language": "en"})
    assert answer.status_code == 429
    assert set(answer.json) == {"code", "message", "details"}
    assert "Retry-After" in answer.headers
    limited.extensions["db_engine"].dispose()
    # The limiter is one object shared by every app of the process: switch it
    # back off, or later tests' sign-ins count against this one's limit.
    limiter.enabled = False
