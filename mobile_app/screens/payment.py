"""One payment: amount, month, programme, status in words and colour, where the money
goes (for cash: which paying points, their hours, and the last day), why a transfer
failed, its timeline, and the citizen's "I was not paid" reports with support's
answers. Polled while it can still change or a report waits for its answer."""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from mobile_app.i18n import _, format_amount, format_date, format_datetime
from mobile_app.presenting import (
    actor_word,
    can_report,
    destination_words,
    is_cash,
    payment_is_settled,
    payment_note,
    payment_status_tone,
    payment_status_word,
    period_words,
    report_status_tone,
    report_summary,
    waiting_report,
)
from mobile_app.screens.base import AppScreen

POLL_SECONDS = 3.0


class PayingPoint(BoxLayout):
    """A paying point where cash is collected: name, address, opening hours."""
    name = StringProperty("")
    address = StringProperty("")
    hours = StringProperty("")


class ReportCard(BoxLayout):
    """A report the citizen sent: what happened, its state, when, their note, the answer."""
    kind = StringProperty("")
    status_text = StringProperty("")
    tone = StringProperty("muted")
    summary = StringProperty("")
    note = StringProperty("")
    answer = StringProperty("")


class PaymentScreen(AppScreen):
    payment_id = NumericProperty(0)
    payment = DictProperty()  # GET /me/payments/{id}, {} while loading
    status_text = StringProperty("")
    tone = StringProperty("muted")
    settled = BooleanProperty(False)
    collection = DictProperty()  # GET .../cash-collection of a cash payment, {} otherwise
    reportable = BooleanProperty(False)  # "I was not paid" is offered

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._poller = self.follow(lambda: self.app.client.payment(self.payment_id), self._polled,
                                   POLL_SECONDS, keep_polling=lambda: not self.settled)

    def on_kv_post(self, base_widget) -> None:
        super().on_kv_post(base_widget)
        # The backend names the programme in the reader's language: ask again.
        self.app.bind(language=lambda *_: self._poller.start() if self.showing else None)

    def on_enter(self, *_args) -> None:
        self.payment = {}
        self.collection = {}
        self.relabel()
        self._poller.start()

    def _polled(self, polled) -> None:
        if polled.changed or not self.payment:
            self.payment = polled.body
            self.relabel()
            if is_cash(self.payment):  # again on each change: the last day comes with CASH_READY
                payment_id = self.payment["id"]
                self.app.call(lambda: self.app.client.cash_collection(payment_id),
                              self._collection_loaded, quiet=True,
                              on_error=lambda _error: True)  # the payment itself still shows

    def _collection_loaded(self, collection: dict) -> None:
        if collection.get("payment_id") == self.payment.get("id"):
            self.collection = collection
            self._show_collection()

    def relabel(self) -> None:
        payment = self.payment
        status = payment.get("status", "")
        self.status_text = payment_status_word(status) if payment else ""
        self.tone = payment_status_tone(status)
        # A waiting report keeps the poll going: support's answer shows when it comes.
        self.settled = payment_is_settled(status) and not waiting_report(payment)
        self.reportable = can_report(payment)
        self.ids.amount.text = format_amount(payment["amount_vnd"]) if payment else ""
        self.ids.period.value = period_words(payment.get("period", ""))
        self.ids.programme.value = payment.get("programme_name") or payment.get("programme", "")
        self.ids.note.text = payment_note(payment)
        self.ids.destination.text = (destination_words(payment.get("destination"),
                                                       self.app.institutions)
                                     if payment else "")
        self._show_collection()
        self._show_reports()
        timeline = self.ids.timeline
        timeline.clear_widgets()
        for step in reversed(payment.get("history", [])):
            timeline.add_widget(Factory.TimelineRow(
                status_text=payment_status_word(step["status"]),
                when=format_datetime(step["at"]), detail=actor_word(step.get("actor")),
                tone=payment_status_tone(step["status"])))

    def _show_collection(self) -> None:
        collection, box = self.collection, self.ids.paying_points
        box.clear_widgets()
        # Collected (or never to be): where and until when no longer matter.
        if not collection or payment_is_settled(self.payment.get("status", "")):
            self.ids.collect_by.text = ""
            return
        self.ids.collect_by.text = (
            _("payment.collect_by", date=format_date(collection["collect_by"]))
            if collection.get("collect_by") else _("payment.collect_not_yet"))
        for point in collection.get("paying_points", []):
            box.add_widget(Factory.PayingPoint(name=point["name"], address=point["address"],
                                               hours=_("payment.hours", hours=point["hours"])))
        if not collection.get("paying_points"):
            box.add_widget(Factory.BodyLabel(text=_("payment.no_paying_point")))

    def _show_reports(self) -> None:
        box = self.ids.reports
        box.clear_widgets()
        for report in reversed(self.payment.get("reports", [])):  # the newest first
            box.add_widget(ReportCard(
                kind=_(f"report.kind.{report['kind']}"),
                status_text=_(f"report_status.{report['status']}"),
                tone=report_status_tone(report["status"]), summary=report_summary(report),
                note=_("report.your_note", note=report["note"]) if report.get("note") else "",
                answer=_("report.answer", answer=report["answer"])
                if report.get("answer") else ""))

    def report_problem(self) -> None:
        self.app.go("payment_report", payment=dict(self.payment))
