"""Authorised persons: the requests naming me as someone's (accept with the passcode or a
fresh code, or decline), and the way to name one of my own."""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from mobile_app.client.statuses import LinkStatus
from mobile_app.i18n import _, format_date
from mobile_app.presenting import link_status_tone, link_status_word, step_up_factor
from mobile_app.screens.base import AppScreen

DECLINED = "DECLINED"  # the reason of a request the authorised person declined (API.md)


class AuthorisationCard(BoxLayout):
    """A request naming me: since when, its status, and accept / decline while open."""
    title = StringProperty("")
    status_text = StringProperty("")
    tone = StringProperty("muted")
    open_to_answer = BooleanProperty(False)


class AuthorisationsScreen(AppScreen):
    naming_me = ListProperty()  # GET /me/authorisations items
    any_to_answer = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._poller = self.follow(lambda: self.app.client.authorisations(), self._loaded)

    def on_enter(self, *_args) -> None:
        self.ids.step_up.clear()
        self.ids.step_up.mode = step_up_factor(self.app.citizen)
        self._poller.start()

    def _loaded(self, page: dict) -> None:
        self.naming_me = page["items"]
        self.relabel()

    def relabel(self) -> None:
        box = self.ids.naming_me
        box.clear_widgets()
        if not self.naming_me:
            box.add_widget(Factory.BodyLabel(text=_("authorisations.none")))
        for request in self.naming_me:
            card = Factory.AuthorisationCard(
                title=_("authorisations.request", date=format_date(request["created_at"])),
                status_text=self._status_words(request),
                tone=link_status_tone(request["status"]),
                open_to_answer=bool(request.get("awaiting_authorised_person")))
            card.link_id = request["id"]
            card.ids.accept.bind(on_release=lambda _b, chosen=request: self.accept(chosen))
            card.ids.decline.bind(on_release=lambda _b, chosen=request: self.ask_decline(chosen))
            box.add_widget(card)
        self.any_to_answer = any(request.get("awaiting_authorised_person")
                                 for request in self.naming_me)

    @staticmethod
    def _status_words(request: dict) -> str:
        if request.get("awaiting_authorised_person"):
            return _("authorisations.awaiting_you")
        if request.get("reason") == DECLINED:
            return _("authorisations.you_declined")
        return link_status_word(request["status"])

    def accept(self, request: dict) -> None:
        code, passcode = self.ids.step_up.factor()
        self.app.call(lambda: self.app.client.accept_authorisation(request["id"], code, passcode),
                      self._answered, on_error=self.ids.step_up.refused)

    def ask_decline(self, request: dict) -> None:
        self.app.show_message(
            _("authorisations.decline_question"), _("authorisations.decline_yes"),
            lambda: self.app.call(lambda: self.app.client.decline_authorisation(request["id"]),
                                  self._answered), _("common.not_now"))

    def _answered(self, answered: dict) -> None:
        self.ids.step_up.clear()
        self.naming_me = [answered if request["id"] == answered["id"] else request
                          for request in self.naming_me]
        self.relabel()
        self.app.show_message(_("authorisations.declined")
                              if answered["status"] == LinkStatus.CANCELLED
                              else _("authorisations.accepted"))
