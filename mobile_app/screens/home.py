"""Home: greeting, the social-security tile with its status, notifications, settings."""
from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from mobile_app.client import ApiError
from mobile_app.i18n import _
from mobile_app.presenting import offers_linking, payout_summary
from mobile_app.screens.base import AppScreen


class HomeScreen(AppScreen):
    tile_status = StringProperty("")
    tile_tone = StringProperty("muted")
    level2_required = BooleanProperty(False)
    unread_count = NumericProperty(0)
    offers_linking = BooleanProperty(False)  # the "Link an account" entry

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._loaded: dict | None = None
        self._poller = self.follow(self._load, self._show)

    def on_enter(self, *_args) -> None:
        self._poller.start()

    def _load(self) -> dict:
        client = self.app.client
        loaded = {"institutions": list(self.app.institutions) or client.institutions()}
        try:
            loaded["account"] = client.social_security_account()
        except ApiError as refused:
            if refused.code != "IAL2_REQUIRED":
                raise
            return {**loaded, "level2_required": True}
        loaded["latest_link"] = next(iter(client.payout_links(page_size=1)["items"]), None)
        loaded["notifications"] = client.notifications()["items"]
        return loaded

    def _show(self, loaded: dict) -> None:
        self._loaded = loaded
        self.app.institutions = loaded["institutions"]
        self.level2_required = loaded.get("level2_required", False)
        self.offers_linking = offers_linking(loaded.get("account"), loaded.get("latest_link"))
        self.unread_count = sum(1 for notification in loaded.get("notifications", [])
                                if notification["read_at"] is None)
        self.relabel()

    def relabel(self) -> None:
        if self._loaded is None:
            return
        if self.level2_required:
            self.tile_status, self.tile_tone = _("home.tile_level2"), "bad"
        else:
            self.tile_status, self.tile_tone = payout_summary(
                self._loaded.get("account"), self._loaded.get("latest_link"),
                self._loaded["institutions"])

    def open_social_security(self) -> None:
        if self._loaded is None:
            self.retry_load()  # nothing to open yet: the tap asks again
            return
        self.app.go("level2" if self.level2_required else "account")

    def link_account(self) -> None:
        self.app.go("choose_institution")
