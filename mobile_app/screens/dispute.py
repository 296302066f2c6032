""""This was not me": the citizen says a new payout account is not theirs.

Payouts to it stop, every session ends (whoever linked it may hold one) and
staff open a case; the app then asks the citizen to sign in again.
"""
from __future__ import annotations

from kivy.properties import DictProperty

from mobile_app.i18n import _
from mobile_app.screens.base import AppScreen


class DisputeScreen(AppScreen):
    link = DictProperty()  # the new link, from GET /me/payout-links

    def dispute(self) -> None:
        link_id = self.link["id"]
        self.app.call(lambda: self.app.client.dispute_link(link_id), self._disputed)

    def _disputed(self, _dispute: dict) -> None:
        self.app.end_session()  # the backend has ended every session of the citizen
        self.app.show_message(_("dispute.done"))
