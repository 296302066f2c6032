"""SMS notifications: which outcomes the citizen is told of by SMS. Security alerts are
always sent and shown as such."""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import DictProperty

from mobile_app.i18n import _, has_text
from mobile_app.screens.base import AppScreen


def event_words(event: str) -> str:
    key = f"preferences.event.{event}"
    return _(key) if has_text(key) else event


class NotificationPreferencesScreen(AppScreen):
    preferences = DictProperty()  # GET /me/notification-preferences

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._poller = self.follow(lambda: self.app.client.notification_preferences(),
                                   self._loaded)

    def on_enter(self, *_args) -> None:
        self._poller.start()

    def _loaded(self, preferences: dict) -> None:
        self.preferences = preferences
        self.relabel()

    def relabel(self) -> None:
        box = self.ids.events
        box.clear_widgets()
        for event, chosen in self.preferences.get("sms", {}).items():
            choice = Factory.ConsentBox(text=event_words(event),
                                        state="down" if chosen else "normal")
            choice.event = event
            choice.bind(on_release=lambda box_, event=event: self.choose(
                event, box_.state == "down"))
            box.add_widget(choice)
        alerts = self.ids.alerts
        alerts.clear_widgets()
        for event in self.preferences.get("security_alerts", []):
            alerts.add_widget(Factory.DetailRow(label=event_words(event),
                                                value=_("preferences.always")))

    def choose(self, event: str, wanted: bool) -> None:
        self.app.call(lambda: self.app.client.save_notification_preferences({event: wanted}),
                      self._loaded)
