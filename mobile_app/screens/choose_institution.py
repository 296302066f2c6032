"""Linking, step 1: a bank or a mobile-money provider, from a searchable list, with
the institutions holding an account in the citizen's name first."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ListProperty, StringProperty

from mobile_app.i18n import _
from mobile_app.presenting import matching_institutions
from mobile_app.screens.base import AppScreen


class ChooseInstitutionScreen(AppScreen):
    kind = StringProperty("bank")  # "bank" or "mobile_money"
    # From GET /me/likely-institutions: where the accounts register holds an open
    # account in the citizen's name (no numbers); offered first, whatever the tab.
    likely = ListProperty()
    likely_shown = BooleanProperty(False)
    loaded = BooleanProperty(False)  # both lists have come

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Typing fires on every key; redraw the list once the typing pauses.
        self.refresh_list = Clock.create_trigger(lambda _dt: self.relabel(), 0.15)
        self._poller = self.follow(self._load, self._loaded)

    def on_enter(self, *_args) -> None:
        self.loaded = False
        if self.app.institutions:
            self.relabel()
        self._poller.start()

    def _load(self) -> dict:
        client = self.app.client
        return {"institutions": list(self.app.institutions) or client.institutions(),
                "likely": client.likely_institutions()}

    def _loaded(self, loaded: dict) -> None:
        self.app.institutions = loaded["institutions"]
        self.likely = loaded["likely"]
        self.relabel()
        self.loaded = True

    def on_kind(self, *_args) -> None:
        self.ids.search.text = ""
        self.refresh_list()

    def relabel(self) -> None:
        search = self.ids.search.text
        likely = matching_institutions(self.likely, None, search)
        self._fill(self.ids.likely, likely, _("choose.likely_hint"))
        self.likely_shown = bool(likely)
        self._fill(self.ids.institutions,
                   matching_institutions(self.app.institutions, self.kind, search), None)

    def _fill(self, box, institutions: list[dict], subtitle: str | None) -> None:
        box.clear_widgets()
        for institution in institutions:
            row = Factory.RowButton(title=institution["short_name"],
                                    subtitle=subtitle or institution["name"])
            row.institution_code = institution["code"]
            row.bind(on_release=lambda _row, chosen=institution: self.choose(chosen))
            box.add_widget(row)

    def choose(self, institution: dict) -> None:
        self.app.go("link", institution=institution)
