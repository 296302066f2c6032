"""Payments: history, a failed transfer, cash to collect, "I was not paid"."""
from __future__ import annotations

from mobile_app.client.statuses import PaymentStatus
from mobile_app.flows.driver import Driver
from mobile_app.flows.scripts.steps import sign_in, staff_client
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


def not_paid_report(d: Driver, person: dict) -> None:
    """A payment marked paid that never reached the citizen: "I was not paid", what
    happened and a note, sent; support answers (through the staff API) and the answer
    shows on the payment."""
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "payments_tile"))
    d.expect_screen("payments")
    paid = [row for row in d.listed("payments", "payments")
            if getattr(row, "status_text", "").startswith(
                payment_status_word(PaymentStatus.PAID))]
    d.check(bool(paid), "a payment marked paid")
    d.tap(paid[0])
    d.expect_screen("payment")
    d.wait_until(lambda: d.screen("payment").reportable, "'I was not paid' to be offered")
    d.scroll_to(d.widget("payment", "report_problem"))
    d.shot("A payment marked paid: 'I was not paid' is offered")
    d.tap(d.widget("payment", "report_problem"))
    d.expect_screen("payment_report")
    d.check(d.widget("payment_report", "send").disabled, "nothing is sent before a choice")
    d.shot("What happened? Three choices, a note if wanted, and what happens next")
    d.tap(d.widget("payment_report", "not_received"))
    d.type_into(d.widget("payment_report", "note"),
                "Tôi đến bưu điện ngày 10 nhưng chưa nhận được tiền.")
    d.shot("'I have not received the money', with a note")
    d.tap(d.widget("payment_report", "send"))
    d.expect_screen("payment")
    message = d.expect_dialog()
    d.shot("Sent: support answers by a date, and a notification will say so")
    d.close_dialog()
    cards = lambda: d.listed("payment", "reports")  # noqa: E731
    d.wait_until(lambda: bool(cards()), "the report on the payment")
    due = d.screen("payment").payment["reports"][-1]["due_at"]
    d.check(message == _("report.sent", date=format_date(due)),
            f"told it was sent and by when support answers: {message}")
    d.check(cards()[0].status_text == _("report_status.OPEN"), "the report waits for support")
    d.check(not d.screen("payment").reportable, "no second report while one waits")
    d.scroll_to(d.widget("payment", "reports"))
    d.shot("The payment shows the report: sent, waiting, by when")
    payment_id = d.screen("payment").payment_id
    support = staff_client(d, "support1")
    waiting = support.raw("GET", "/staff/payment-reports")["items"]
    report = next(item for item in waiting if item["payment_id"] == payment_id)
    support.raw("POST", f"/staff/payment-reports/{report['id']}/take")
    answer = "Điểm chi trả xác nhận đã giữ lại khoản tiền; mời ông/bà đến nhận lại trước ngày 30."
    support.raw("POST", f"/staff/payment-reports/{report['id']}/answer", json={"answer": answer})
    d.wait_until(lambda: bool(cards()) and answer in cards()[0].answer,
                 "support's answer on the payment", timeout=30)
    d.check(cards()[0].status_text == _("report_status.ANSWERED"), "the report is answered")
    d.check(d.screen("payment").reportable, "a new report may be sent once answered")
    d.scroll_to(d.widget("payment", "reports"))
    d.shot("Support answered: the answer shows on the payment")
    d.app.language = "en"
    d.settle()
    d.wait_until(lambda: cards()[0].status_text == "Answered", "the English words")
    d.scroll_to(d.widget("payment", "reports"))
    d.shot("The same in English")
