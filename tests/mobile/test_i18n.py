"""The catalogue, its formatters, and the words the app puts on API states and errors."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from mobile_app import i18n
from mobile_app.client import ApiError, BackendTimeout, NoConnection, SessionEnded
from mobile_app.i18n import _, format_amount, format_date, format_datetime
from mobile_app.presenting import (
    actor_word,
    can_report,
    destination_words,
    error_words,
    matching_institutions,
    offers_linking,
    payment_filter_choices,
    payment_note,
    payment_status_tone,
    payment_status_word,
    payment_summary,
    payout_summary,
    period_words,
    report_summary,
    year_total_words,
)
from tests.translations import CATALOGUES

APP = Path(i18n.__file__).parents[1]


@pytest.fixture(autouse=True)
def vietnamese():
    i18n.set_language("vi")
    yield
    i18n.set_language("vi")


def test_amounts_read_as_in_viet_nam():
    assert format_amount(1_500_000) == "1.500.000 ₫"
    assert format_amount(0) == "0 ₫"
    assert format_amount(950) == "950 ₫"
    with pytest.raises(TypeError):
        format_amount(1.5)


def test_dates_are_day_month_year_in_viet_nam_time():
    assert format_date("1959-10-07") == "07/10/1959"
    assert format_date(date(2026, 1, 2)) == "02/01/2026"
    # 20:00 UTC is already the next day in Ha Noi.
    assert format_date("2026-11-23T20:00:00+00:00") == "24/11/2026"
    assert format_datetime("2026-11-23T08:05:00+00:00") == "15:05 23/11/2026"
    assert format_date(None) == ""


def test_both_languages_have_every_key():
    assert set(CATALOGUES["app"]["vi"]) == set(CATALOGUES["app"]["en"])


def test_every_key_the_app_uses_is_in_the_catalogue():
    used = set()
    for source in list(APP.rglob("*.py")) + list(APP.rglob("*.kv")):
        used |= set(re.findall(r'_\("([a-z0-9_]+\.[A-Za-z0-9_.]+)"', source.read_text("utf-8")))
    assert used, "no catalogue use found"
    assert used <= set(CATALOGUES["app"]["vi"]), sorted(used - set(CATALOGUES["app"]["vi"]))


def test_no_text_is_hard_coded_in_kv():
    for kv in APP.rglob("*.kv"):
        for line in kv.read_text("utf-8").splitlines():
            match = re.match(r'\s*(text|hint_text|title):\s*"([^"]*)"\s*$', line)
            assert match is None or match.group(2) in ("", "‹"), f"{kv.name}: {line.strip()}"


def test_switching_language_changes_the_words():
    assert _("login.sign_in") == "Đăng nhập"
    i18n.set_language("en")
    assert _("login.sign_in") == "Sign in"


def test_errors_say_what_to_do_next():
    assert error_words(NoConnection("refused")).action == "retry"
    assert error_words(BackendTimeout("slow")).text == _("error.timeout")
    assert error_words(SessionEnded(401, "UNAUTHENTICATED", "")).action == "sign_in"
    locked = error_words(ApiError(423, "ACCOUNT_LOCKED", "", {
        "locked_until": "2026-11-23T08:06:00+00:00", "retry_after_seconds": 60}))
    assert "15:06 23/11/2026" in locked.text
    # A lock ending at 15:06:20 reads 15:07: at 15:06 the right password is still refused.
    mid_minute = error_words(ApiError(423, "ACCOUNT_LOCKED", "", {
        "locked_until": "2026-11-23T08:06:20+00:00", "retry_after_seconds": 80}))
    assert "15:07 23/11/2026" in mid_minute.text
    warned = error_words(ApiError(401, "INVALID_CREDENTIALS", "", {"attempts_left": 2}))
    assert warned.text.endswith(_("error.attempts_left", count=2))
    not_yet = error_words(ApiError(401, "INVALID_CREDENTIALS", "", {"attempts_left": 3}))
    assert not_yet.text == _("error.INVALID_CREDENTIALS")
    forever = error_words(ApiError(423, "ACCOUNT_LOCKED", "", {"locked_until": None}))
    assert forever.text == _("error.ACCOUNT_LOCKED_PERMANENTLY")
    # A locked passcode is no locked account: a one-time code still confirms.
    passcode = error_words(ApiError(423, "ACCOUNT_LOCKED", "", {"locked_until": None,
                                                                 "factor": "passcode"}))
    assert passcode.text == _("error.PASSCODE_LOCKED") and "mã một lần" in passcode.text
    wrong = error_words(ApiError(401, "PASSCODE_INVALID", "", {"attempts_left": 2}))
    assert wrong.text.startswith(_("error.PASSCODE_INVALID"))
    assert wrong.text.endswith(_("error.attempts_left", count=2))
    assert error_words(ApiError(403, "IAL2_REQUIRED", "")).action == "level2"
    assert error_words(ApiError(401, "CHALLENGE_EXPIRED", "")).action == "sign_in"
    assert error_words(ApiError(418, "SOMETHING_NEW", "từ máy chủ")).text == "từ máy chủ"
    invalid = error_words(ApiError(422, "VALIDATION_ERROR", "", {"account_number": ["quá dài"]}))
    assert "quá dài" in invalid.text


def test_tile_status_and_bank_search():
    institutions = [{"code": "VCB", "bin": "970436", "short_name": "Vietcombank",
                     "name": "Ngân hàng TMCP Ngoại thương Việt Nam", "kind": "bank"},
                    {"code": "VIETTELMONEY", "bin": None, "short_name": "Viettel Money",
                     "name": "Viettel Money", "kind": "mobile_money"}]
    linked = {"active_payout": {"institution": "VCB", "account_masked": "•••• 8675"}}
    assert payout_summary(linked, None, institutions) == (
        "Đang nhận tiền vào Vietcombank •••• 8675", "good")
    assert payout_summary({"active_payout": None}, {"status": "NEEDS_REVIEW"},
                          institutions)[1] == "waiting"
    assert [i["code"] for i in matching_institutions(institutions, "bank", "ngoai thuong")] \
        == ["VCB"]
    assert matching_institutions(institutions, "mobile_money", "") == institutions[1:]
    # Any kind: the institutions offered first, whatever the tab.
    assert matching_institutions(institutions, None, "viettel") == institutions[1:]
    # Home offers linking while nothing is paid into and nothing waits, a failure included.
    assert offers_linking({"active_payout": None}, None)
    assert offers_linking({"active_payout": None}, {"status": "FAILED"})
    assert not offers_linking({"active_payout": None}, {"status": "VERIFYING"})
    assert not offers_linking(linked, None)
    assert not offers_linking(None, None)  # not loaded, or level 1


def test_payments_in_words_and_colours():
    assert period_words("2026-03") == "Tháng 03/2026"
    assert payment_status_word("PAID") == _("payment_status.PAID") == "Đã nhận tiền"
    assert [payment_status_tone(status) for status in ("PAID", "SENT", "FAILED", "REISSUED")] \
        == ["good", "waiting", "bad", "muted"]
    paid = {"status": "PAID", "updated_at": "2026-11-23T20:00:00+00:00"}
    assert payment_summary(paid) == "Đã nhận tiền · 24/11/2026"
    assert year_total_words({"year": 2026, "paid_count": 3, "paid_vnd": 4_500_000}) == (
        "Năm 2026", "3 lần · 4.500.000 ₫")
    assert actor_word("treasury:simulated") == _("actor.treasury")
    assert actor_word("bank_gateway") == _("actor.bank_gateway")
    assert actor_word("someone:unknown") == ""
    i18n.set_language("en")
    assert period_words("2026-03") == "Month 03/2026"
    assert payment_summary(paid) == "Paid · 24/11/2026"


def test_where_a_payment_goes_and_why_it_failed():
    institutions = [{"code": "LPB", "bin": "970449", "short_name": "LPBank", "kind": "bank"}]
    bank = {"kind": "bank", "institution": "LPB", "account_masked": "•••• 5968",
            "via_authorised_person": False}
    assert destination_words(bank, institutions) == "Chuyển khoản vào LPBank •••• 5968"
    assert destination_words({**bank, "via_authorised_person": True}, institutions) == \
        _("payment.to_authorised_person", account="LPBank •••• 5968")
    cash = {"kind": "cash", "institution": None, "account_masked": None,
            "via_authorised_person": False}
    assert destination_words(cash, institutions) == _("payment.to_cash")
    closed = payment_note({"status": "FAILED", "failure_reason": "AC04"})
    assert closed.startswith(_("payment_failure.AC04")) and "kỳ sau" in closed
    assert payment_note({"status": "FAILED", "failure_reason": "XX99"}).startswith(
        _("payment_failure.other"))
    assert payment_note({"status": "CASH_READY"}) == _("payment.cash_ready_next")
    assert payment_note({"status": "PAID", "failure_reason": None}) == ""


def test_i_was_not_paid_is_offered_once_money_left_and_one_report_at_a_time():
    report = {"id": 1, "kind": "not_received", "note": "", "status": "OPEN",
              "created_at": "2026-11-25T01:20:00+00:00", "due_at": "2026-11-30T01:20:00+00:00",
              "answer": None, "answered_at": None}
    assert [status for status in ("PLANNED", "APPROVED", "SENT", "PAID", "FAILED",
                                  "CASH_READY") if can_report({"status": status, "reports": []})
            ] == ["SENT", "PAID"]
    assert not can_report({"status": "PAID", "reports": [report]})  # the first still waits
    answered = {**report, "status": "ANSWERED", "answer": "Đã chuyển lại",
                "answered_at": "2026-11-26T03:00:00+00:00"}
    assert can_report({"status": "PAID", "reports": [answered]})
    assert report_summary(report) == "Gửi lúc 08:20 25/11/2026 · trả lời trước hết ngày 30/11/2026"
    assert report_summary(answered) == "Đã trả lời lúc 10:00 26/11/2026"


def test_filter_choices_grow_from_every_answer():
    page = {"items": [{"period": "2026-02", "programme": "poor_household",
                       "programme_name": "Hỗ trợ hộ nghèo"},
                      {"period": "2025-12", "programme": "pension", "programme_name": "Lương hưu"}],
            "totals_by_year": [{"year": 2024, "paid_count": 1, "paid_vnd": 1}]}
    years, programmes = payment_filter_choices(page, [], {})
    assert years == [2026, 2025, 2024]
    assert programmes == {"poor_household": "Hỗ trợ hộ nghèo", "pension": "Lương hưu"}
    only_2026 = {"items": page["items"][:1], "totals_by_year": []}
    assert payment_filter_choices(only_2026, years, programmes) == (years, programmes)


def test_a_one_off_payment_is_filed_under_the_year_of_its_label():
    page = {"items": [{"period": "QK2025", "programme": "national_day_2025",
                       "programme_name": "Quà Quốc khánh 2025"}], "totals_by_year": []}
    years, programmes = payment_filter_choices(page, [2026], {})
    assert years == [2026, 2025]
    assert programmes == {"national_day_2025": "Quà Quốc khánh 2025"}
    assert period_words("QK2025") == "QK2025"
