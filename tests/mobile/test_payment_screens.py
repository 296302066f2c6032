"""The payment history and payment screens, headless, against the live test backend."""
from __future__ import annotations

from mobile_app.i18n import _, format_date
from tests.mobile.paying import pay
from tests.mobile.phone import Driver, sign_in
from tests.payment_helpers import deliver_callbacks
from tests.test_payment_results import set_account_status


def open_history(d: Driver, person: dict) -> list:
    sign_in(d, person)
    d.settle()
    d.tap(d.widget("home", "payments_tile"))
    d.expect_screen("payments")
    return d.listed("payments", "payments")


def short_name(d: Driver, code: str) -> str:
    return next(institution["short_name"] for institution in d.app.institutions
                if institution["code"] == code)


def test_history_shows_months_amounts_status_totals_and_follows_changes(
        phone, app, client, citizen, staff_login):
    person = citizen("has_payment_history")
    pay(app, client, staff_login, person, [("2025-12", "social_allowance", 500_000),
                                           ("2026-01", "social_allowance", 600_000)])
    pay(app, client, staff_login, person, [("2026-02", "poor_household", 1_500_000)],
        deliver=False)
    rows = open_history(phone, person)
    assert [row.title for row in rows] == ["Tháng 02/2026", "Tháng 01/2026", "Tháng 12/2025"]
    assert [row.amount for row in rows] == ["1.500.000 ₫", "600.000 ₫", "500.000 ₫"]
    assert [row.programme for row in rows] == [
        "Hỗ trợ hộ nghèo", "Trợ cấp xã hội hằng tháng", "Trợ cấp xã hội hằng tháng"]
    assert (rows[0].status_text, rows[0].tone) == (
        _("payment_status.SENT") + " · 23/11/2026", "waiting")
    assert (rows[1].status_text, rows[1].tone) == (
        _("payment_status.PAID") + " · 23/11/2026", "good")
    totals = phone.listed("payments", "totals")
    assert [(row.label, row.value) for row in totals] == [
        ("Năm 2026", "1 lần · 600.000 ₫"), ("Năm 2025", "1 lần · 500.000 ₫")]
    deliver_callbacks(app, client)  # the bank pays February while the screen is open
    phone.wait_until(lambda: phone.listed("payments", "payments")[0].tone == "good",
                     "the poll to show February paid")
    assert phone.listed("payments", "payments")[0].status_text.startswith(
        _("payment_status.PAID"))
    assert phone.listed("payments", "totals")[0].value == "2 lần · 2.100.000 ₫"


def test_history_filters_by_year_and_programme_in_both_languages(
        phone, app, client, citizen, staff_login):
    person = citizen("has_payment_history")
    pay(app, client, staff_login, person, [("2025-12", "social_allowance", 500_000),
                                           ("2026-02", "poor_household", 700_000)])
    open_history(phone, person)
    years = phone.listed("payments", "years")
    assert [chip.text for chip in years] == [_("payments.all_years"), "2026", "2025"]
    assert years[0].state == "down"
    programmes = phone.listed("payments", "programmes")
    assert [chip.text for chip in programmes] == [
        _("payments.all_programmes"), "Hỗ trợ hộ nghèo", "Trợ cấp xã hội hằng tháng"]
    phone.tap(years[2])
    phone.settle()
    assert [row.title for row in phone.listed("payments", "payments")] == \
        ["Tháng 12/2025"]
    assert phone.listed("payments", "years")[2].state == "down"
    phone.tap(phone.listed("payments", "programmes")[1])
    phone.settle()
    assert [label.text for label in phone.listed("payments", "payments")] == \
        [_("payments.none_filtered")]
    phone.tap(phone.listed("payments", "years")[0])
    phone.settle()
    assert [row.amount for row in phone.listed("payments", "payments")] == ["700.000 ₫"]
    phone.app.language = "en"  # the list is asked again, in English, unfiltered
    phone.settle()
    rows = phone.listed("payments", "payments")
    assert [row.title for row in rows] == ["Month 02/2026", "Month 12/2025"]
    assert rows[0].programme == "Poor-household support"
    assert rows[0].status_text == "Paid · 23/11/2026"
    assert [chip.text for chip in phone.listed("payments", "programmes")] == [
        "All programmes", "Poor-household support", "Monthly social-protection allowance"]
    assert phone.listed("payments", "totals")[0].label == "Year 2026"


def test_a_failed_payment_says_why_where_and_what_happened(
        phone, app, client, citizen, staff_login):
    person = citizen("has_payment_history")
    account = person["payout_account"]
    set_account_status(app, account["account_number"], "closed")
    try:
        pay(app, client, staff_login, person, [("2026-10", "social_allowance", 1_500_000)])
    finally:
        set_account_status(app, account["account_number"], "open")
    phone.tap(open_history(phone, person)[0])
    phone.expect_screen("payment")
    assert phone.widget("payment", "amount").text == "1.500.000 ₫"
    assert phone.widget("payment", "status").text == _("payment_status.FAILED")
    assert phone.screen("payment").tone == "bad"
    assert phone.widget("payment", "note").text == _(
        "payment.failed_next", reason=_("payment_failure.AC04"))
    assert phone.widget("payment", "period").value == "Tháng 10/2026"
    assert phone.widget("payment", "programme").value == "Trợ cấp xã hội hằng tháng"
    assert phone.widget("payment", "destination").text == _(
        "payment.to_account", account=f"{short_name(phone, account['institution'])} •••• "
                                       f"{account['account_number'][-4:]}")
    timeline = phone.listed("payment", "timeline")
    assert [row.status_text for row in timeline] == [_(f"payment_status.{status}") for status in
                                                     ("FAILED", "SENT", "APPROVED", "REQUESTED",
                                                      "PLANNED")]
    assert timeline[0].detail == _("actor.bank_gateway") and timeline[0].tone == "bad"
    assert timeline[0].when.endswith("23/11/2026")
    phone.app.language = "en"  # re-labelled in place
    phone.settle()
    assert phone.widget("payment", "programme").value == "Monthly social-protection allowance"
    assert phone.widget("payment", "status").text == "Transfer failed"
    assert phone.widget("payment", "note").text.startswith(
        "The bank says the payout account is closed.")
    assert phone.widget("payment", "period").value == "Month 10/2026"


def test_cash_is_collected_at_the_paying_agent(phone, app, client, citizen, staff_login):
    person = citizen("plain")
    pay(app, client, staff_login, person, [("2026-10", "social_allowance", 1_500_000)])
    sign_in(phone, person)
    phone.tap(phone.widget("home", "social_security_tile"))
    phone.expect_screen("account")
    phone.tap(phone.widget("account", "payments"))  # also reached from the account
    phone.expect_screen("payments")
    row = phone.listed("payments", "payments")[0]
    assert (row.status_text.split(" · ")[0], row.tone) == (
        _("payment_status.CASH_READY"), "waiting")
    phone.tap(row)
    phone.expect_screen("payment")
    assert phone.widget("payment", "destination").text == _("payment.to_cash")
    assert phone.widget("payment", "note").text == _("payment.cash_ready_next")
    # Where, when and until when: the paying points of the province they live in.
    phone.wait_until(lambda: phone.screen("payment").collection, "where to collect")
    collection = phone.screen("payment").collection
    assert phone.widget("payment", "collect_by").text == _(
        "payment.collect_by", date=format_date(collection["collect_by"]))
    points = phone.listed("payment", "paying_points")
    assert points and [point.name for point in points] == [
        each["name"] for each in collection["paying_points"]]
    assert points[0].address and points[0].hours.startswith(_("payment.hours", hours=""))
    phone.shot("cash: where, when and until when")
    phone.app.go_back()
    phone.expect_screen("payments")
    assert phone.app.dialog is None
