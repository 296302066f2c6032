"""My consents: what I agreed to and when; withdraw one with the passcode (or a fresh
code), after the confirmation the API asks for when withdrawing ends a link (payments
then go in cash)."""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from mobile_app.client import ApiError
from mobile_app.i18n import _, format_date, has_text
from mobile_app.presenting import step_up_factor
from mobile_app.screens.base import AppScreen

GIVEN = "GIVEN"


class ConsentCard(BoxLayout):
    """A consent: its purpose, when given, its status, and withdraw while given."""
    purpose = StringProperty("")
    given = StringProperty("")
    status_text = StringProperty("")
    text = StringProperty("")
    withdrawable = BooleanProperty(False)


class ConsentsScreen(AppScreen):
    consents = ListProperty()  # GET /me/consents
    any_given = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._poller = self.follow(lambda: self.app.client.consents(), self._loaded)

    def on_enter(self, *_args) -> None:
        self.ids.step_up.clear()
        self.ids.step_up.mode = step_up_factor(self.app.citizen)
        self._poller.start()

    def _loaded(self, consents: list[dict]) -> None:
        self.consents = consents
        self.relabel()

    def relabel(self) -> None:
        box = self.ids.consents
        box.clear_widgets()
        if not self.consents:
            box.add_widget(Factory.BodyLabel(text=_("consents.none")))
        for consent in self.consents:
            given = consent["status"] == GIVEN
            purpose_key = f"consents.purpose.{consent['purpose']}"
            card = Factory.ConsentCard(
                purpose=_(purpose_key) if has_text(purpose_key) else consent["purpose"],
                given=_("consents.given_at", date=format_date(consent["given_at"])),
                status_text=(_("consents.given") if given else _(
                    "consents.withdrawn_at", date=format_date(consent.get("withdrawn_at")))),
                text=consent.get("text") or "", withdrawable=given)
            card.consent_id = consent["id"]
            card.ids.withdraw.bind(on_release=lambda _b, chosen=consent: self.withdraw(chosen))
            box.add_widget(card)
        self.any_given = any(consent["status"] == GIVEN for consent in self.consents)

    def withdraw(self, consent: dict, confirm: bool = False) -> None:
        code, passcode = self.ids.step_up.factor()
        self.app.call(lambda: self.app.client.withdraw_consent(consent["id"], confirm, code,
                                                               passcode),
                      self._withdrawn,
                      on_error=lambda error: self._refused(consent, error))

    def _refused(self, consent: dict, error) -> bool:
        if (isinstance(error, ApiError) and error.code == "CONFLICT"
                and "CONFIRMATION_REQUIRED" in (error.details.get("reason") or [])):
            # The API says what withdrawing would do; the citizen decides with that in view.
            self.app.show_message(error.message, _("consents.withdraw_yes"),
                                  lambda: self.withdraw(consent, confirm=True),
                                  _("consents.keep"))
            return True
        return self.ids.step_up.refused(error)

    def _withdrawn(self, withdrawn: dict) -> None:
        self.ids.step_up.clear()
        self.app.show_message(_("consents.withdrawn"))
        self._poller.start()
