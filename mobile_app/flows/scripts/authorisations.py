"""Authorised persons: naming one, accepting with the passcode."""
from __future__ import annotations

import json

from mobile_app.client.statuses import LinkStatus
from mobile_app.flows.driver import Driver
from mobile_app.flows.runner import DEFAULT_FIXTURES
from mobile_app.flows.scripts.steps import (
    link_own_account,
    next_code,
    sign_in,
    type_step_up,
    wait_for_status,
)
from mobile_app.i18n import _


def authorised_person(d: Driver, person: dict) -> None:
    """The elderly beneficiary names the relative; the relative links and accepts."""
    relative = next(each for each in json.loads(DEFAULT_FIXTURES.read_text(encoding="utf-8"))
                    if each["case"] == "authorised_person" and each["payout_account"])
    used = sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "social_security_tile"))
    d.expect_screen("account")
    d.tap(d.widget("account", "authorisations"))
    d.expect_screen("authorisations")
    d.shot("Authorised persons: name one, or answer a request")
    d.tap(d.widget("authorisations", "name_person"))
    d.expect_screen("name_authorised")
    d.type_into(d.widget("name_authorised", "personal_id"), relative["personal_id"])
    d.tap(d.widget("name_authorised", "consent"))
    d.type_into(d.widget("name_authorised", "code"), next_code(d, person, used))
    d.shot("The relative's personal ID, consent and a fresh code")
    d.tap(d.widget("name_authorised", "submit"))
    d.expect_screen("link_status")
    d.wait_until(lambda: bool(d.screen("link_status").link.get("awaiting_authorised_person")),
                 "the request to wait for the relative")
    d.shot("Sent: waiting for the relative to agree")
    d.app.go_home()
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.tap(d.widget("settings", "sign_out"))
    # The relative: links their own account, then accepts in their own session.
    used = link_own_account(d, relative, sign_in(d, relative))
    wait_for_status(d, LinkStatus.ACTIVE)
    d.shot("The relative's own account is linked")
    d.app.go("authorisations")
    d.expect_screen("authorisations")
    d.wait_until(lambda: d.screen("authorisations").any_to_answer, "the request to answer")
    type_step_up(d, "authorisations", relative, used)
    d.shot("The relative sees the request and confirms with the passcode, no code to wait for")
    card = next(card for card in d.listed("authorisations", "naming_me")
                if getattr(card, "open_to_answer", False))
    d.tap(card.ids.accept)
    message = d.expect_dialog()
    d.check(message == _("authorisations.accepted"), f"told what follows: {message}")
    d.shot("Accepted: staff approve next")
