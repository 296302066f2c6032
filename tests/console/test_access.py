"""Who gets into the console, for how long, and what protects its forms."""
from __future__ import annotations

import pytest

from backend.config import Config
from tests.conftest import bearer, totp_code
from tests.console.conftest import csrf_token_of, post_form

REVIEWER_PAGES = ("/console/queue", "/console/cases")
SUPERVISOR_PAGES = ("/console/audit", "/console/claims")


def test_a_form_post_without_a_csrf_token_is_refused(client, console_sign_in, demo_staff):
    member = demo_staff["reviewer1"]
    no_token = client.post("/console/sign-in", data={
        "username": "reviewer1", "password": member["password"], "otp": totp_code(member)})
    assert no_token.status_code == 400
    assert "Biểu mẫu đã hết hạn hoặc không hợp lệ" in no_token.get_data(as_text=True)

    console_sign_in(client, "reviewer1")
    for path in ("/console/requests/1/claim", "/console/cases", "/console/sign-out",
                 "/console/language"):
        assert client.post(path, data={"personal_id": "001161063655"}).status_code == 400
        assert client.post(path, data={"csrf_token": "forged"}).status_code == 400
    # The refused sign-out did not sign anyone out.
    assert client.get("/console/queue").status_code == 200


def test_the_bearer_token_api_needs_no_csrf_token(client, demo_staff):
    member = demo_staff["reviewer1"]
    answer = client.post("/api/v1/staff/auth/login", json={
        "username": "reviewer1", "password": member["password"], "otp": totp_code(member)})
    assert answer.status_code == 200 and answer.json["access_token"]


@pytest.mark.parametrize("username, allowed, refused", [
    ("reviewer1", REVIEWER_PAGES, SUPERVISOR_PAGES),
    ("supervisor1", REVIEWER_PAGES + SUPERVISOR_PAGES, ()),  # holds both roles
    ("treasury1", (), REVIEWER_PAGES + SUPERVISOR_PAGES),
    ("payroll1", (), REVIEWER_PAGES + SUPERVISOR_PAGES),
])
def test_each_role_is_refused_on_the_others_pages(client, console_sign_in, username, allowed,
                                                  refused):
    console_sign_in(client, username)
    assert client.get("/console/").status_code == 200
    for path in allowed:
        assert client.get(path).status_code == 200, path
    for path in refused:
        page = client.get(path)
        assert page.status_code == 403, path
        assert "Bạn không có quyền thực hiện thao tác này." in page.get_data(as_text=True)


def test_reviewers_cannot_reassign_and_others_cannot_decide(client, console_sign_in):
    console_sign_in(client, "reviewer1")
    assert post_form(client, "/console/requests/1/reassign", {"to": "reviewer2"}).status_code \
        == 403
    other = client.application.test_client()
    console_sign_in(other, "treasury1")
    for action in ("claim", "approve", "reject"):
        assert post_form(other, f"/console/requests/1/{action}",
                         {"note": "x" * 5, "reason": "OTHER"}).status_code == 403
    assert post_form(other, "/console/cases", {"personal_id": "001161063655"}).status_code \
        == 403


def test_a_citizen_token_gives_nothing_in_the_console(client, citizen, login_as):
    person = citizen("clean_bank_link")
    headers = bearer(login_as(person)["access_token"])
    for path in ("/console/", *REVIEWER_PAGES, *SUPERVISOR_PAGES, "/console/requests/1"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 302, path
        assert answer.headers["Location"].startswith("/console/sign-in")
    assert client.post("/console/requests/1/claim", headers=headers).status_code == 400
    # Nor do a citizen's own credentials sign in to the console.
    refused = client.post("/console/sign-in", data={
        "csrf_token": csrf_token_of(client), "username": person["personal_id"],
        "password": person["password"], "otp": totp_code(person)})
    assert refused.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in refused.get_data(as_text=True)


def test_an_idle_session_expires(client, console_sign_in, clock):
    console_sign_in(client, "reviewer1")
    clock.shift(29 * 60)
    assert client.get("/console/").status_code == 200  # activity keeps it alive
    clock.shift(31 * 60)
    ended = client.get("/console/queue")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/console/sign-in")
    sign_in_page = client.get(ended.headers["Location"]).get_data(as_text=True)
    assert "Phiên làm việc đã kết thúc" in sign_in_page
    assert client.get("/console/queue").status_code == 302


def test_a_session_ends_after_twelve_hours_however_busy(client, console_sign_in, clock):
    console_sign_in(client, "reviewer1")
    for _ in range(int(11.9 * 60 / 25)):
        clock.shift(25 * 60)
        assert client.get("/console/").status_code == 200
    clock.shift(25 * 60)
    assert client.get("/console/").status_code == 302


def test_sign_out_kills_the_session_even_for_a_copied_cookie(client, console_sign_in):
    console_sign_in(client, "reviewer1")
    copied = client.get_cookie("ssa_console").value
    signed_out = post_form(client, "/console/sign-out")
    assert signed_out.status_code == 302
    assert "Bạn đã đăng xuất." in client.get("/console/sign-in").get_data(as_text=True)
    client.set_cookie("ssa_console", copied)
    assert client.get("/console/queue").status_code == 302


def test_session_cookie_and_security_headers(client, console_sign_in):
    signed_in = console_sign_in(client, "reviewer1")
    cookie = signed_in.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Secure" not in cookie  # development serves plain http
    page = client.get("/console/queue")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["X-Frame-Options"] == "DENY"


def test_the_cookie_is_secure_outside_development(tmp_path):
    for env, secure in (("development", False), ("staging", True)):
        config = Config(environ={"SSA_ENV": env}, instance_path=tmp_path)
        assert config.SESSION_COOKIE_SECURE is secure
        assert config.SESSION_COOKIE_HTTPONLY and config.SESSION_COOKIE_SAMESITE == "Strict"


def test_sign_in_refusals_are_explained(client, demo_staff):
    member = demo_staff["reviewer2"]
    wrong_code = client.post("/console/sign-in", data={
        "csrf_token": csrf_token_of(client), "username": "reviewer2",
        "password": member["password"], "otp": "000000"})
    assert wrong_code.status_code == 401
    assert "Mã xác thực không đúng" in wrong_code.get_data(as_text=True)
    incomplete = client.post("/console/sign-in", data={
        "csrf_token": csrf_token_of(client), "username": "reviewer2", "password": "x"})
    assert incomplete.status_code == 422


def test_sign_in_returns_to_the_page_asked_for_and_nowhere_else(client, demo_staff, clock):
    member = demo_staff["reviewer1"]
    for wanted, landing in (("/console/cases", "/console/cases"),
                            ("https://evil.example/console", "/console/"),
                            ("//evil.example/console", "/console/")):
        answer = client.post("/console/sign-in", data={
            "csrf_token": csrf_token_of(client), "username": "reviewer1",
            "password": member["password"], "otp": totp_code(member), "next": wanted})
        assert answer.headers["Location"] == landing
        clock.shift(30)
        post_form(client, "/console/sign-out")


def test_the_language_switch_persists(client, console_sign_in):
    console_sign_in(client, "reviewer1")
    switched = post_form(client, "/console/language", {"lang": "en", "next": "/console/queue"})
    assert switched.headers["Location"] == "/console/queue"
    for path in ("/console/queue", "/console/cases"):
        page = client.get(path).get_data(as_text=True)
        assert '<html lang="en">' in page and "Sign out" in page
    post_form(client, "/console/language", {"lang": "vi"})
    assert "Đăng xuất" in client.get("/console/queue").get_data(as_text=True)
