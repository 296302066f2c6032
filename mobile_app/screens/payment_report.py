""""I was not paid": from a payment said to be paid or sent, what happened (one of
three), a note if the citizen wants, sent to support; the payment then shows the
report and, later, support's answer."""
from __future__ import annotations

from kivy.properties import DictProperty, StringProperty

from mobile_app.client import ApiError
from mobile_app.i18n import _, format_amount, format_date
from mobile_app.presenting import period_words
from mobile_app.screens.base import AppScreen


class PaymentReportScreen(AppScreen):
    payment = DictProperty()  # the payment of GET /me/payments/{id} being reported
    kind = StringProperty("")  # the chosen "what happened", "" until one is chosen

    def on_enter(self, *_args) -> None:
        self.kind = ""
        self.ids.note.text = ""
        for choice in self.choices():
            choice.state = "normal"
        self.relabel()

    def choices(self) -> list:
        return [self.ids.not_received, self.ids.wrong_amount, self.ids.not_mine]

    def relabel(self) -> None:
        payment = self.payment
        self.ids.summary.text = _(
            "report.payment", period=period_words(payment.get("period", "")),
            amount=format_amount(payment["amount_vnd"])) if payment else ""

    def choose(self, kind: str, chosen: bool) -> None:
        if chosen:
            self.kind = kind
        elif self.kind == kind:
            self.kind = ""

    def send(self) -> None:
        payment_id, kind, note = self.payment["id"], self.kind, self.ids.note.text.strip()
        self.app.call(lambda: self.app.client.report_payment(payment_id, kind, note),
                      self._sent, on_error=self._refused)

    def _sent(self, report: dict) -> None:
        # Back to the payment, which reloads and shows the report; the form is done.
        self.app.go_back()
        self.app.show_message(_("report.sent", date=format_date(report["due_at"])))

    def _refused(self, error) -> bool:
        """A report of theirs already waits (a retry whose first try got through): the
        payment shows it."""
        if isinstance(error, ApiError) and error.code == "CONFLICT":
            self.app.go_back()
            self.app.show_message(_("report.already_waiting"))
            return True
        return False
