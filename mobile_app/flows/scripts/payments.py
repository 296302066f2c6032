"""Payments: history, a failed transfer, cash to collect."""
from __future__ import annotations

from mobile_app.client.statuses import PaymentStatus
from mobile_app.flows.driver import Driver
from mobile_app.flows.scripts.steps import sign_in
from mobile_app.i18n import _, format_date
from mobile_app.presenting import payment_status_word


def payment_history(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "payments_tile"))
    d.expect_screen("payments")

    def rows() -> list:
        return d.listed("payments", "payments")

    d.check(bool(rows()) and hasattr(rows()[0], "payment_id"), "the history lists payments")
    d.check(rows()[0].amount.endswith(" ₫"), "amounts are shown in dong")
    d.check(bool(d.widget("payments", "totals").children), "totals per year are shown")
    d.shot("Payment history: months, amounts, status, totals per year")
    years = d.listed("payments", "years")
    d.tap(years[1])  # the newest year
    d.settle()
    d.check(all(row.title.endswith(years[1].text) for row in rows()),
            f"only payments of {years[1].text} are listed")
    programmes = d.listed("payments", "programmes")
    d.tap(programmes[1])
    d.settle()
    d.check(all(row.programme == programmes[1].text for row in rows()),
            f"only payments of {programmes[1].text} are listed")
    d.shot("Filtered by year and programme")
    first = rows()[0]
    d.tap(first)
    d.expect_screen("payment")
    d.wait_until(lambda: d.screen("payment").status_text != "", "the payment's status")
    d.check(d.widget("payment", "amount").text == first.amount, "the amount of the payment")
    d.check(bool(d.widget("payment", "timeline").children), "the payment has a timeline")
    d.shot("The payment: amount, status, where it was paid, timeline")
    d.app.go_back()
    d.expect_screen("payments")
    d.shot("Back to the history, still filtered")


def cash_payment(d: Driver, person: dict) -> None:
    """The demo left this citizen's last month of cash at the paying point."""
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "payments_tile"))
    d.expect_screen("payments")
    waiting = [row for row in d.listed("payments", "payments")
               if getattr(row, "status_text", "").startswith(
                   payment_status_word(PaymentStatus.CASH_READY))]
    d.check(bool(waiting), "a payment waits to be collected")
    d.shot("Payment history: last month's cash waits to be collected")
    d.tap(waiting[0])
    d.expect_screen("payment")
    d.wait_until(lambda: d.screen("payment").status_text != "", "the payment's status")
    d.check(d.screen("payment").payment["status"] == PaymentStatus.CASH_READY,
            "ready to collect")
    d.check(d.widget("payment", "destination").text == _("payment.to_cash"), "paid in cash")
    d.wait_until(lambda: bool(d.widget("payment", "paying_points").children),
                 "the paying points")
    last_day = d.screen("payment").collection.get("collect_by")
    d.check(bool(last_day) and d.widget("payment", "collect_by").text == _(
        "payment.collect_by", date=format_date(last_day)), "until when to collect")
    d.shot("Cash to collect: where (paying points, address), when (hours) and until when")
    d.scroll_to(d.widget("payment", "timeline"))
    d.shot("Its timeline: approved, ready at the paying point")


def failed_payment(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "payments_tile"))
    d.expect_screen("payments")
    failed = [row for row in d.listed("payments", "payments")
              if getattr(row, "tone", "") == "bad"]
    d.check(bool(failed), "a failed payment in the history")
    d.shot("History: last month's transfer failed")
    d.tap(failed[0])
    d.expect_screen("payment")
    d.wait_until(lambda: d.screen("payment").status_text != "", "the payment's status")
    d.check(d.widget("payment", "note").text != "", "why, and what to do next")
    d.check(not d.widget("payment", "link_another").disabled, "another account is offered")
    d.shot("The failed payment: why (the account is closed) and what to do")
    d.tap(d.widget("payment", "link_another"))
    d.expect_screen("choose_institution")
    d.shot("Choosing another account to be paid into")
