"""One payment: amount, month, programme, status in words and colour, where the money
goes, why a transfer failed, and its timeline. Polled while it can still change."""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, StringProperty

from mobile_app.i18n import format_amount, format_datetime
from mobile_app.presenting import (
    actor_word,
    destination_words,
    payment_is_settled,
    payment_note,
    payment_status_tone,
    payment_status_word,
    period_words,
)
from mobile_app.screens.base import AppScreen

POLL_SECONDS = 3.0


class PaymentScreen(AppScreen):
    payment_id = NumericProperty(0)
    payment = DictProperty()  # GET /me/payments/{id}, {} while loading
    status_text = StringProperty("")
    tone = StringProperty("muted")
    settled = BooleanProperty(False)

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
        self.relabel()
        self._poller.start()

    def _polled(self, polled) -> None:
        if polled.changed or not self.payment:
            self.payment = polled.body
            self.relabel()

    def relabel(self) -> None:
        payment = self.payment
        status = payment.get("status", "")
        self.status_text = payment_status_word(status) if payment else ""
        self.tone = payment_status_tone(status)
        self.settled = payment_is_settled(status)
        self.ids.amount.text = format_amount(payment["amount_vnd"]) if payment else ""
        self.ids.period.value = period_words(payment.get("period", ""))
        self.ids.programme.value = payment.get("programme_name") or payment.get("programme", "")
        self.ids.note.text = payment_note(payment)
        self.ids.destination.text = (destination_words(payment.get("destination"),
                                                       self.app.institutions)
                                     if payment else "")
        timeline = self.ids.timeline
        timeline.clear_widgets()
        for step in reversed(payment.get("history", [])):
            timeline.add_widget(Factory.TimelineRow(
                status_text=payment_status_word(step["status"]),
                when=format_datetime(step["at"]), detail=actor_word(step.get("actor")),
                tone=payment_status_tone(step["status"])))
