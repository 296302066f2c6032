"""One link request: its status in words and colour, its timeline, and cancel.

While the request is still open the screen polls it (with ETags when the
backend sends them), throttled by a Clock trigger.
"""
from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, StringProperty

from mobile_app.client import ConnectionProblem
from mobile_app.i18n import _, format_datetime
from mobile_app.presenting import (actor_word, institution_name, is_pending, link_status_tone,
                                   link_status_word)
from mobile_app.screens.base import AppScreen

POLL_SECONDS = 2.0


class LinkStatusScreen(AppScreen):
    link_id = NumericProperty(0)
    link = DictProperty()  # GET /me/payout-links/{id}
    status_text = StringProperty("")
    tone = StringProperty("muted")
    pending = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._poll_soon = Clock.create_trigger(lambda _dt: self._poll(), POLL_SECONDS)
        self._open = False

    def on_enter(self, *_args) -> None:
        self._open = True
        self.link = {}
        self.relabel()
        self.app.call(lambda: self.app.client.payout_link(self.link_id), self._polled)

    def on_leave(self, *_args) -> None:
        self._open = False
        self._poll_soon.cancel()

    def _poll(self) -> None:
        if self._open:
            self.app.call(lambda: self.app.client.payout_link(self.link_id), self._polled,
                          on_error=self._poll_failed, quiet=True)

    def _polled(self, polled) -> None:
        if polled.changed or not self.link:
            self.link = polled.body
            self.relabel()
        if self._open and self.pending:
            self._poll_soon()

    def _poll_failed(self, error) -> bool:
        if isinstance(error, ConnectionProblem) and self._open:
            self._poll_soon()  # a dropped poll is not worth a dialog; try again shortly
            return True
        return False

    def relabel(self) -> None:
        link = self.link
        status = link.get("status", "")
        self.status_text = link_status_word(status)
        self.tone = link_status_tone(status)
        self.pending = is_pending(status)
        self.ids.account.text = "" if not link else _(
            "status.account", institution=institution_name(self.app.institutions,
                                                           link.get("institution")),
            account=link.get("account_masked") or "")
        self.ids.reason.text = link.get("reason_text") or ""
        timeline = self.ids.timeline
        timeline.clear_widgets()
        for step in reversed(link.get("history", [])):
            timeline.add_widget(Factory.TimelineRow(
                status_text=link_status_word(step["status"]), when=format_datetime(step["at"]),
                detail=actor_word(step.get("actor")),
                tone=link_status_tone(step["status"])))

    def ask_cancel(self) -> None:
        self.app.show_message(_("status.cancel_question"), _("status.cancel_yes"), self.cancel,
                              _("status.cancel_no"))

    def cancel(self) -> None:
        self.app.call(lambda: self.app.client.cancel_link(self.link_id), self._cancelled)

    def _cancelled(self, link: dict) -> None:
        self.link = link
        self.relabel()
