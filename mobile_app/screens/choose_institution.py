"""Linking, step 1: a bank or a mobile-money provider, from a searchable list."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import StringProperty

from mobile_app.presenting import matching_institutions
from mobile_app.screens.base import AppScreen


class ChooseInstitutionScreen(AppScreen):
    kind = StringProperty("bank")  # "bank" or "mobile_money"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Typing fires on every key; redraw the list once the typing pauses.
        self.refresh_list = Clock.create_trigger(lambda _dt: self.relabel(), 0.15)
        self._poller = self.follow(lambda: self.app.client.institutions(),
                                   self._institutions_loaded)

    def on_enter(self, *_args) -> None:
        if self.app.institutions:
            self.relabel()
            return
        self._poller.start()

    def _institutions_loaded(self, institutions: list[dict]) -> None:
        self.app.institutions = institutions
        self.relabel()

    def on_kind(self, *_args) -> None:
        self.ids.search.text = ""
        self.refresh_list()

    def relabel(self) -> None:
        box = self.ids.institutions
        box.clear_widgets()
        for institution in matching_institutions(self.app.institutions, self.kind,
                                                 self.ids.search.text):
            row = Factory.RowButton(title=institution["short_name"], subtitle=institution["name"])
            row.institution_code = institution["code"]
            row.bind(on_release=lambda _row, chosen=institution: self.choose(chosen))
            box.add_widget(row)

    def choose(self, institution: dict) -> None:
        self.app.go("link", institution=institution)
