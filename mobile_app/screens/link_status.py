"""One link request: its status in words and colour, its timeline, and cancel.

While the request is still open the screen polls it (with ETags when the
backend sends them), throttled by a Clock trigger.
"""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, StringProperty

from mobile_app.i18n import _, format_datetime
from mobile_app.presenting import (
    UNSUCCESSFUL_LINK_STATUSES,
    actor_word,
    institution_name,
    is_pending,
    link_status_tone,
    link_status_word,
)
from mobile_app.screens.base import AppScreen

POLL_SECONDS = 2.0


class LinkStatusScreen(AppScreen):
    link_id = NumericProperty(0)
    link = DictProperty()  # GET /me/payout-links/{id}
    status_text = StringProperty("")
    tone = StringProperty("muted")
    pending = BooleanProperty(False)
    unsuccessful = BooleanProperty(False)  # failed or rejected: offer another account

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._poller = self.follow(lambda: self.app.client.payout_link(self.link_id),
                                   self._polled, POLL_SECONDS, keep_polling=lambda: self.pending)

    def on_enter(self, *_args) -> None:
        self.link = {}
        self.relabel()
        self._poller.start()

    def _polled(self, polled) -> None:
        if polled.changed or not self.link:
            self.link = polled.body
            self.relabel()

    def relabel(self) -> None:
        link = self.link
        status = link.get("status", "")
        self.status_text = link_status_word(status)
        self.tone = link_status_tone(status)
        self.pending = is_pending(status)
        self.ids.account.text = self._account_words(link)
        parts = [link.get("reason_text") or self._waiting_text(link)]
        if link.get("awaiting_authorised_person"):
            parts.append(_("status.awaiting_authorised_person"))
        if link.get("note_for_citizen"):
            parts.append(_("status.note_for_citizen", note=link["note_for_citizen"]))
        self.ids.reason.text = "\n\n".join(part for part in parts if part)
        self.unsuccessful = status in UNSUCCESSFUL_LINK_STATUSES
        timeline = self.ids.timeline
        timeline.clear_widgets()
        for step in reversed(link.get("history", [])):
            timeline.add_widget(Factory.TimelineRow(
                status_text=link_status_word(step["status"]), when=format_datetime(step["at"]),
                detail=actor_word(step.get("actor")),
                tone=link_status_tone(step["status"])))

    def _waiting_text(self, link: dict) -> str:
        """Which check the request waits for, and how long that usually takes."""
        waiting = link.get("waiting_for")
        if not waiting:
            return ""
        seconds = waiting["typical_seconds"]
        duration = (_("duration.seconds", seconds=seconds) if seconds < 120
                    else _("duration.minutes", minutes=round(seconds / 60)))
        key = "status.waiting_institution_queued" if waiting["queued"] \
            else "status.waiting_institution"
        return _(key, institution=institution_name(self.app.institutions,
                                                   waiting["institution"]), duration=duration)

    def _account_words(self, link: dict) -> str:
        if not link:
            return ""
        if link.get("kind") == "authorised_person":
            return _("status.authorised_person")
        return _("status.account", account=link.get("account_masked") or "",
                 institution=institution_name(self.app.institutions, link.get("institution")))

    def ask_cancel(self) -> None:
        self.app.show_message(_("status.cancel_question"), _("status.cancel_yes"), self.cancel,
                              _("status.cancel_no"))

    def cancel(self) -> None:
        self.app.call(lambda: self.app.client.cancel_link(self.link_id), self._cancelled)

    def _cancelled(self, link: dict) -> None:
        self.link = link
        self.relabel()
