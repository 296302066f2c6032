"""Stop paying into the active account: what follows (cash), the passcode (or a fresh
code), confirm."""
from __future__ import annotations

from kivy.properties import DictProperty

from mobile_app.i18n import _
from mobile_app.presenting import step_up_factor
from mobile_app.screens.base import AppScreen


class UnlinkScreen(AppScreen):
    payout = DictProperty()  # the active payout of GET /me/social-security-account

    def on_enter(self, *_args) -> None:
        self.ids.step_up.clear()
        self.ids.step_up.mode = step_up_factor(self.app.citizen)

    def unlink(self) -> None:
        link_id, (code, passcode) = self.payout["id"], self.ids.step_up.factor()
        self.app.call(lambda: self.app.client.unlink(link_id, code, passcode), self._unlinked,
                      on_error=self.ids.step_up.refused)

    def _unlinked(self, _link: dict) -> None:
        self.app.go("account", remember_current=False)
        self.app.show_message(_("unlink.done"))
