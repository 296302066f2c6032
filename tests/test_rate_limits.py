"""Per-address limits on the sign-in endpoints, answered in the error shape."""
from __future__ import annotations

import pytest

from backend.app import create_app
from backend.extensions import limiter
from tests.conftest import make_config


@pytest.fixture(autouse=True)
def limits_off_again_afterwards():
    """flask-limiter's Limiter is one object for every app, and an app made with limits
    on switches them on for the suite's app too (whose views carry the same decorator):
    the tests after these would be refused sign-ins. Put the suite's setting back."""
    yield
    limiter.enabled = False


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


def limited_app(tmp_path, database_url, **overrides):
    return create_app(make_config(tmp_path, database_url, SSA_RATELIMIT_ENABLED="true",
                                  SSA_LOGIN_RATE_LIMIT="2 per minute", **overrides))


def attempts_from(client, forwarded_for: str, count: int) -> list[str]:
    attempt = {"personal_id": "079190000001", "password": "guess"}
    return [client.post("/api/v1/auth/login", json=attempt,
                        headers={"X-Forwarded-For": forwarded_for}).json["code"]
            for _ in range(count)]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(tmp_path, database_url, clean_db):
    behind_proxy = limited_app(tmp_path, database_url, SSA_TRUSTED_PROXY_HOPS="1")
    client = behind_proxy.test_client()  # every request comes from the proxy's address
    assert attempts_from(client, "203.0.113.7", 3) == ["INVALID_CREDENTIALS"] * 2 + [
        "RATE_LIMITED"]
    # Another citizen behind the same proxy is not locked out by the first one.
    assert attempts_from(client, "198.51.100.20", 1) == ["INVALID_CREDENTIALS"]
    # Only the hop the proxy added is believed: a client cannot pick a fresh address by
    # putting its own X-Forwarded-For in front.
    assert attempts_from(client, "192.0.2.1, 203.0.113.7", 1) == ["RATE_LIMITED"]
    behind_proxy.extensions["db_engine"].dispose()


def test_without_trusted_proxies_forwarded_addresses_are_ignored(tmp_path, database_url,
                                                                 clean_db):
    direct = limited_app(tmp_path, database_url)  # SSA_TRUSTED_PROXY_HOPS defaults to 0
    client = direct.test_client()
    assert attempts_from(client, "203.0.113.8", 2) == ["INVALID_CREDENTIALS"] * 2
    # A made-up X-Forwarded-For does not escape the limit of the real address.
    assert attempts_from(client, "198.51.100.21", 1) == ["RATE_LIMITED"]
    direct.extensions["db_engine"].dispose()
