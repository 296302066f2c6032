"""The social security account: who, where the money goes, which programmes."""
from __future__ import annotations

from datetime import UTC, datetime

from kivy.factory import Factory
from kivy.properties import BooleanProperty, DictProperty, StringProperty

from mobile_app.client.statuses import LinkStatus
from mobile_app.i18n import _, format_amount, format_date
from mobile_app.presenting import (
    in_cooling_off,
    institution_name,
    is_pending,
    link_status_tone,
    link_status_word,
)
from mobile_app.screens.base import AppScreen


class AccountScreen(AppScreen):
    account = DictProperty()  # GET /me/social-security-account
    latest_link = DictProperty()  # the newest link request, {} when none
    has_payout = BooleanProperty(False)
    payout_text = StringProperty("")
    # The active account replaced another and is new: "this was not me" is offered.
    changed = BooleanProperty(False)
    changed_text = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._poller = self.follow(self._load, self._show)

    def on_enter(self, *_args) -> None:
        self._poller.start()

    def _load(self) -> tuple[dict, dict]:
        client = self.app.client
        links = client.payout_links(page_size=1)["items"]
        return client.social_security_account(), (links[0] if links else {})

    def _show(self, loaded: tuple[dict, dict]) -> None:
        self.account, self.latest_link = loaded
        self.relabel()

    def relabel(self) -> None:
        citizen = self.app.citizen
        details = self.ids.details
        details.clear_widgets()
        for label_key, value in (("account.full_name", citizen.get("full_name")),
                                 ("account.personal_id", citizen.get("personal_id")),
                                 ("account.date_of_birth",
                                  format_date(citizen.get("date_of_birth"))),
                                 ("account.phone", citizen.get("phone_masked"))):
            details.add_widget(Factory.DetailRow(label=_(label_key), value=value or ""))
        payout = self.account.get("active_payout")
        self.has_payout = bool(payout)
        self.payout_text = "" if not payout else "\n".join([
            institution_name(self.app.institutions, payout.get("institution")),
            _("account.number", account=payout.get("account_masked") or ""),
            _("account.holder", holder=payout.get("holder_name") or ""),
            _("account.since", date=format_date(payout.get("since")))])
        self._show_change()
        self._show_latest_link()
        self._show_programmes()

    def _show_change(self) -> None:
        link = self.latest_link
        replaced = self.has_payout and in_cooling_off(link, datetime.now(UTC))
        self.changed = replaced
        self.changed_text = "" if not replaced else (
            _("account.frozen") if link.get("frozen")
            else _("account.changed", date=format_date(link["payable_from"])))

    def _named(self, payout: dict) -> dict:
        return {**payout, "institution_name": institution_name(self.app.institutions,
                                                               payout.get("institution"))}

    def open_unlink(self) -> None:
        self.app.go("unlink", payout=self._named(self.account["active_payout"]))

    def open_dispute(self) -> None:
        self.app.go("dispute", link=self._named(dict(self.latest_link)))

    def _show_latest_link(self) -> None:
        box = self.ids.latest_link_box
        box.clear_widgets()
        link = self.latest_link
        # The active account is already shown above; other requests get a row.
        if not link or (link["status"] == LinkStatus.ACTIVE and self.has_payout):
            return
        row = Factory.RowButton(
            title=_("account.latest_link", institution=institution_name(
                self.app.institutions, link.get("institution")),
                account=link.get("account_masked") or ""),
            subtitle=link_status_word(link["status"]), tone=link_status_tone(link["status"]))
        row.bind(on_release=lambda *_: self.app.go("link_status", link_id=link["id"]))
        box.add_widget(row)

    def _show_programmes(self) -> None:
        box = self.ids.programmes
        box.clear_widgets()
        programmes = self.account.get("programmes", [])
        if not programmes:
            box.add_widget(Factory.BodyLabel(text=_("account.no_programmes")))
        for programme in programmes:
            box.add_widget(Factory.DetailRow(
                label=programme["name"],
                value=_("account.monthly", amount=format_amount(programme["monthly_amount_vnd"]),
                        date=format_date(programme["since"]))))

    def can_link(self) -> bool:
        return not (self.latest_link and is_pending(self.latest_link.get("status", "")))
