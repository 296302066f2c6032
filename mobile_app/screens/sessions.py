"""Devices and sessions: where the citizen is signed in; end one, or every other one."""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from mobile_app.i18n import _, format_datetime
from mobile_app.screens.base import AppScreen


class SessionCard(BoxLayout):
    """One signed-in device: what it is, roughly where, when last used."""
    device = StringProperty("")
    place = StringProperty("")
    last_seen = StringProperty("")
    current = BooleanProperty(False)
    session_id = StringProperty("")


class SessionsScreen(AppScreen):
    sessions = ListProperty()  # GET /me/sessions
    has_others = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._poller = self.follow(lambda: self.app.client.sessions(), self._loaded)

    def on_enter(self, *_args) -> None:
        self._poller.start()

    def _loaded(self, sessions: list[dict]) -> None:
        self.sessions = sessions
        self.relabel()

    def relabel(self) -> None:
        box = self.ids.sessions
        box.clear_widgets()
        self.has_others = any(not session.get("current") for session in self.sessions)
        for session in self.sessions:
            card = Factory.SessionCard(
                device=session.get("device") or _("sessions.device_unknown"),
                place=_("sessions.place", place=session.get("place") or "—"),
                last_seen=_("sessions.last_seen", when=format_datetime(
                    session.get("last_seen") or session.get("first_seen"))),
                current=bool(session.get("current")), session_id=session["id"])
            card.ids.end.bind(on_release=lambda _button, chosen=session: self.ask_end(chosen))
            box.add_widget(card)

    def ask_end(self, session: dict) -> None:
        self.app.show_message(_("sessions.end_question"), _("sessions.end_yes"),
                              lambda: self.app.call(
                                  lambda: self.app.client.end_session(session["id"]),
                                  lambda _none: self._poller.start()),
                              _("common.not_now"))

    def ask_end_others(self) -> None:
        self.app.show_message(_("sessions.end_others_question"), _("sessions.end_others_yes"),
                              lambda: self.app.call(self.app.client.end_other_sessions,
                                                    self._others_ended),
                              _("common.not_now"))

    def _others_ended(self, answer: dict) -> None:
        self.app.show_message(_("sessions.ended_others", count=answer["ended"]))
        self._poller.start()
