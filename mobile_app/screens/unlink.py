"""Stop paying into the active account: what follows (cash), a fresh code, confirm."""
from __future__ import annotations

from kivy.properties import DictProperty

from mobile_app.i18n import _
from mobile_app.screens.base import AppScreen


class UnlinkScreen(AppScreen):
    payout = DictProperty()  # the active payout of GET /me/social-security-account

    def on_enter(self, *_args) -> None:
        self.ids.code.text = ""

    def unlink(self) -> None:
        link_id, code = self.payout["id"], self.ids.code.text.strip()
        self.app.call(lambda: self.app.client.unlink(link_id, code), self._unlinked,
                      on_error=self._refused)

    def _unlinked(self, _link: dict) -> None:
        self.app.go("account", remember_current=False)
        self.app.show_message(_("unlink.done"))

    def _refused(self, _error) -> bool:
        self.ids.code.text = ""  # a code is used once; the next try needs the next one
        return False
