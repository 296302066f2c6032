"""The real screens, headless, driven against the live test backend: what a citizen sees."""
from __future__ import annotations

from mobile_app.i18n import _
from tests.linking_helpers import request_link, settled
from tests.mobile.phone import sign_in, start_phone
from tests.test_review import needs_review


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
    clock.shift(30)  # within minutes of signing in: a first link needs nothing more
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


def test_a_screen_whose_first_load_failed_says_so_and_retries_when_asked(phone, citizen,
                                                                          closed_port_url):
    sign_in(phone, citizen("plain"))
    phone.settle()
    transport = phone.app.client.transport
    working_url, transport.base_url = transport.base_url, closed_port_url  # the network drops
    phone.tap(phone.widget("home", "notifications_tile"))
    assert phone.expect_dialog() == _("error.no_connection")
    phone.close_dialog()  # "later"
    problem = phone.widget("notifications", "load_problem")
    assert problem.opacity == 1 and not problem.disabled  # not "loading..." for good
    phone.shot("load failed")
    transport.base_url = working_url  # the network is back
    phone.tap(problem.ids.retry)
    phone.wait_until(lambda: not phone.screen("notifications").load_failed, "the retried load")
    assert problem.opacity == 0 and problem.disabled
    assert phone.listed("notifications", "notifications")  # the list (or "none yet") is shown
    assert phone.app.dialog is None


def test_a_screen_whose_first_load_failed_loads_by_itself_when_the_network_is_back(
        phone, citizen, closed_port_url):
    sign_in(phone, citizen("plain"))
    phone.settle()
    transport = phone.app.client.transport
    working_url, transport.base_url = transport.base_url, closed_port_url
    phone.tap(phone.widget("home", "payments_tile"))
    assert phone.expect_dialog() == _("error.no_connection")
    assert phone.screen("payments").load_failed
    transport.base_url = working_url  # nobody taps anything
    phone.wait_until(lambda: not phone.screen("payments").load_failed, "the load to retry itself",
                     timeout=15)
    phone.wait_until(lambda: phone.app.dialog is None, "the out-of-date dialog to close")
    assert phone.screen("payments").page  # the payments page arrived


def test_a_notification_opens_what_it_talks_about(phone, client, citizen, login_as, clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert link["status"] == "ACTIVE"
    clock.shift(30)  # the code login_as used is spent
    sign_in(phone, person)
    phone.tap(phone.widget("home", "notifications_tile"))
    phone.expect_screen("notifications")
    assert phone.screen("notifications").notifications[0]["opens"] == {
        "kind": "payout_link", "id": link["id"]}
    phone.tap(phone.widget("notifications", "notifications").children[-1])
    phone.expect_screen("link_status")
    assert phone.screen("link_status").link_id == link["id"]
    phone.wait_until(lambda: phone.screen("link_status").link.get("status") == "ACTIVE",
                     "the linked account to show")
    phone.app.go_back()
    phone.expect_screen("notifications")
    assert phone.widget("notifications", "notifications").children[-1].state_text == "Đã đọc"


def test_a_rejected_link_shows_the_officers_note_and_offers_another_account(
        phone, client, citizen, login_as, staff_login, clock):
    person, _tokens, link = needs_review(client, citizen, login_as)
    reviewer = staff_login("reviewer1")
    queue = f"/api/v1/staff/link-requests/{link['id']}"
    client.post(f"{queue}/claim", headers=reviewer)
    note = "Vui lòng mang CCCD và sổ tài khoản đến UBND xã để xác minh."
    assert client.post(f"{queue}/reject", headers=reviewer, json={
        "reason": "OTHER", "note": "gọi không được", "note_for_citizen": note}).status_code == 200
    clock.shift(30)
    sign_in(phone, person)
    phone.settle()
    # Home says the request failed, not merely "not linked".
    assert phone.screen("home").tile_status == _("home.tile_failed")
    phone.app.go("link_status", link_id=link["id"])
    phone.wait_until(lambda: phone.screen("link_status").link.get("status") == "REJECTED",
                     "the rejected request")
    assert phone.widget("link_status", "reason").text.endswith(
        _("status.note_for_citizen", note=note))
    phone.shot("rejected with the officer's note")
    assert phone.widget("link_status", "cancel").disabled
    phone.tap(phone.widget("link_status", "link_another"))
    phone.expect_screen("choose_institution")
