"""The real screens, headless, driven against the live test backend: what a citizen sees."""
from __future__ import annotations

from mobile_app.i18n import _
from tests.conftest import totp_code
from tests.mobile.phone import sign_in, start_phone


def test_login_re_labels_in_place_when_the_language_changes(phone):
    button = phone.widget("login", "sign_in")
    assert button.text == "Đăng nhập"
    phone.tap(phone.widget("login", "language"))
    assert button.text == "Sign in"
    assert phone.widget("login", "language").text == "Tiếng Việt"


def test_a_wrong_password_is_explained(phone, citizen):
    phone.type_into(phone.widget("login", "personal_id"), citizen("plain")["personal_id"])
    phone.type_into(phone.widget("login", "password"), "wrong")
    phone.tap(phone.widget("login", "sign_in"))
    assert phone.expect_dialog() == _("error.INVALID_CREDENTIALS")
    assert phone.app.manager.current == "login"


def test_the_code_screen_counts_down_the_challenge(phone, citizen):
    person = citizen("plain")
    phone.type_into(phone.widget("login", "personal_id"), person["personal_id"])
    phone.type_into(phone.widget("login", "password"), person["password"])
    phone.tap(phone.widget("login", "sign_in"))
    phone.expect_screen("otp")
    countdown = phone.widget("otp", "countdown").text
    assert countdown.startswith("Thời gian còn lại để nhập mã: 4:5") or countdown.endswith("5:00")
    phone.screen("otp").seconds_left = 0
    phone.pump(0.1)
    assert phone.widget("otp", "countdown").text == _("otp.expired")
    assert phone.widget("otp", "confirm").disabled


def test_a_level2_citizen_sees_the_tile_account_and_programmes(phone, citizen):
    person = citizen("has_payment_history")
    sign_in(phone, person)
    phone.wait_until(lambda: phone.screen("home").tile_status != "", "the tile")
    assert phone.widget("home", "citizen_name").text == person["full_name"]
    assert phone.widget("home", "social_security_tile").subtitle.startswith(
        "Đang nhận tiền vào")
    phone.tap(phone.widget("home", "social_security_tile"))
    phone.expect_screen("account")
    assert "••••" in phone.widget("account", "payout").text
    programme_texts = [row.value for row in phone.widget("account", "programmes").children]
    assert any(text.endswith("₫ mỗi tháng, từ " + text[-10:]) for text in programme_texts)


def test_a_level1_citizen_is_told_how_to_reach_level2(phone, citizen):
    sign_in(phone, citizen("level1"))
    phone.wait_until(lambda: phone.screen("home").level2_required, "the refusal")
    assert phone.widget("home", "social_security_tile").subtitle == _("home.tile_level2")
    phone.tap(phone.widget("home", "social_security_tile"))
    phone.expect_screen("level2")
    assert phone.widget("level2", "why").text == _("level2.why")


def test_link_then_follow_it_to_active(phone, citizen, clock):
    person = citizen("clean_bank_link")
    payout = person["payout_account"]
    sign_in(phone, person)
    clock.shift(30)  # the sign-in code is spent; the step-up needs the next one
    phone.app.go("choose_institution")
    phone.settle()
    phone.type_into(phone.widget("choose_institution", "search"), "vietcom")
    phone.pump(0.3)
    rows = phone.widget("choose_institution", "institutions").children
    assert [row.institution_code for row in rows] == [payout["institution"]]
    phone.tap(rows[0])
    phone.expect_screen("link")
    assert phone.widget("link", "submit").disabled  # not before the consent is ticked
    phone.type_into(phone.widget("link", "account_number"), payout["account_number"])
    phone.tap(phone.widget("link", "consent"))
    phone.type_into(phone.widget("link", "code"), totp_code(person))
    phone.tap(phone.widget("link", "submit"))
    phone.expect_screen("link_status")
    status = phone.screen("link_status")
    phone.wait_until(lambda: status.link.get("status") == "ACTIVE", "the link to verify")
    assert phone.widget("link_status", "status").text == "Đã liên kết"
    timeline = [row.status_text for row in phone.widget("link_status", "timeline").children]
    assert timeline[0] == "Đã gửi yêu cầu" and timeline[-1] == "Đã liên kết"
    assert phone.widget("link_status", "cancel").disabled


def test_the_status_says_which_check_waits_and_how_long_it_usually_takes(phone, citizen, clock,
                                                                        app):
    institutions = app.extensions["integrations"].institutions
    institutions.latency_seconds = 2.0  # the bank takes its time
    try:
        person = citizen("clean_bank_link")
        payout = person["payout_account"]
        sign_in(phone, person)
        clock.shift(30)
        phone.app.go("choose_institution")
        phone.settle()
        phone.type_into(phone.widget("choose_institution", "search"), "vietcom")
        phone.pump(0.3)
        phone.tap(phone.widget("choose_institution", "institutions").children[0])
        phone.expect_screen("link")
        phone.type_into(phone.widget("link", "account_number"), payout["account_number"])
        phone.tap(phone.widget("link", "consent"))
        phone.type_into(phone.widget("link", "code"), totp_code(person))
        phone.tap(phone.widget("link", "submit"))
        phone.expect_screen("link_status")
        status = phone.screen("link_status")
        phone.wait_until(lambda: (status.link.get("waiting_for") or {}).get("queued") is False,
                         "the inquiry to reach the bank")
        assert phone.widget("link_status", "reason").text == (
            "Đang chờ Vietcombank xác nhận chủ tài khoản; việc này thường mất khoảng 40 giây.")
        phone.wait_until(lambda: status.link.get("status") == "ACTIVE", "the bank's answer")
        assert phone.widget("link_status", "reason").text == ""
    finally:
        institutions.latency_seconds = 0.0


def test_notifications_are_marked_read(phone, citizen):
    sign_in(phone, citizen("plain"))
    phone.tap(phone.widget("home", "notifications_tile"))
    phone.expect_screen("notifications")
    cards = phone.widget("notifications", "notifications").children
    assert cards and cards[-1].state_text == "Chưa đọc"
    phone.tap(cards[-1])
    phone.settle()
    assert phone.widget("notifications", "notifications").children[-1].state_text == "Đã đọc"


def test_a_session_ended_on_the_backend_goes_back_to_login(phone, citizen):
    sign_in(phone, citizen("plain"))
    phone.settle()
    phone.app.client.raw("POST", "/auth/logout")
    phone.tap(phone.widget("home", "social_security_tile"))
    assert phone.expect_dialog() == _("error.session_ended")
    assert phone.app.manager.current == "login"
    assert phone.widget("home", "citizen_name").text == ""


def test_settings_switch_language_and_sign_out(phone, citizen):
    sign_in(phone, citizen("plain"))
    phone.tap(phone.widget("home", "settings_tile"))
    phone.expect_screen("settings")
    phone.tap(phone.widget("settings", "english"))
    assert phone.widget("settings", "sign_out").text == "Sign out"
    phone.tap(phone.widget("settings", "sign_out"))
    phone.expect_screen("login")
    assert phone.widget("login", "sign_in").text == "Sign in"


def test_no_connection_offers_a_retry(closed_port_url, tmp_path, citizen):
    phone = start_phone(closed_port_url, tmp_path)
    try:
        phone.type_into(phone.widget("login", "personal_id"), citizen("plain")["personal_id"])
        phone.type_into(phone.widget("login", "password"), "x")
        phone.tap(phone.widget("login", "sign_in"))
        assert phone.expect_dialog() == _("error.no_connection")
        assert phone.app.dialog.ids.confirm.text == "Thử lại"
        phone.confirm_dialog()  # the retry fails the same way, and says so again
        assert phone.expect_dialog() == _("error.no_connection")
    finally:
        phone.stop()
