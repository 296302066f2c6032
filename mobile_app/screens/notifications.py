"""The citizen's notifications, newest first; tapping one marks it read and opens
what it talks about (a payment, a link request)."""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import ListProperty

from mobile_app.i18n import _, format_datetime
from mobile_app.screens.base import AppScreen

# What a notification may open, and the screen (and its id property) that shows it.
_SCREENS: dict[str, tuple[str, str | None]] = {
    "payment": ("payment", "payment_id"), "payout_link": ("link_status", "link_id"),
    "authorisation": ("authorisations", None)}


class NotificationsScreen(AppScreen):
    notifications = ListProperty()  # GET /me/notifications items

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._poller = self.follow(lambda: self.app.client.notifications(), self._loaded)

    def on_enter(self, *_args) -> None:
        self._poller.start()

    def _loaded(self, page: dict) -> None:
        self.notifications = page["items"]
        self.relabel()

    def relabel(self) -> None:
        box = self.ids.notifications
        box.clear_widgets()
        if not self.notifications:
            box.add_widget(Factory.BodyLabel(text=_("notifications.none")))
        for notification in self.notifications:
            unread = notification["read_at"] is None
            card = Factory.NotificationCard(
                title=notification["title"], body=notification["body"], unread=unread,
                when=format_datetime(notification["created_at"]),
                state_text=_("notifications.unread") if unread else _("notifications.read"))
            card.opens = notification.get("opens")  # what a tap opens, for QA flows to find
            card.bind(on_release=lambda _card, chosen=notification: self.open(chosen))
            box.add_widget(card)

    def open(self, notification: dict) -> None:
        if notification["read_at"] is None:
            self.app.call(lambda: self.app.client.mark_notification_read(notification["id"]),
                          self._marked, quiet=True)
        target = notification.get("opens") or {}
        if target.get("kind") in _SCREENS:
            screen, attribute = _SCREENS[target["kind"]]
            self.app.go(screen, **({attribute: target["id"]} if attribute else {}))

    def _marked(self, marked: dict) -> None:
        self.notifications = [marked if notification["id"] == marked["id"] else notification
                              for notification in self.notifications]
        self.relabel()
