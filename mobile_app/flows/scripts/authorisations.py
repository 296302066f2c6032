"""Authorised persons: naming one, accepting with the passcode, declining."""
from __future__ import annotations

import json

from mobile_app.client.statuses import LinkStatus
from mobile_app.flows.driver import Driver
from mobile_app.flows.runner import DEFAULT_FIXTURES, demo_citizen
from mobile_app.flows.scripts.steps import (
    link_own_account,
    next_code,
    sign_in,
    type_step_up,
    wait_for_status,
)
from mobile_app.i18n import _

# decline-authorised plays plain citizen 0 and names plain citizen 1 (see catalogue.py).
PLAIN_RELATIVE = 1


def name_authorised(d: Driver, person: dict, relative: dict, used: str) -> str:
    """From home, the citizen names `relative`, confirming with the passcode; answers
    the last one-time code used."""
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
    used = type_step_up(d, "name_authorised", person, used)
    d.shot("The relative's personal ID, consent and the passcode")
    d.tap(d.widget("name_authorised", "submit"))
    d.expect_screen("link_status")
    d.wait_until(lambda: bool(d.screen("link_status").link.get("awaiting_authorised_person")),
                 "the request to wait for the relative")
    d.shot("Sent: waiting for the relative to agree")
    return used


def sign_out(d: Driver) -> None:
    d.app.go_home()
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.tap(d.widget("settings", "sign_out"))


def authorised_person(d: Driver, person: dict) -> None:
    """The elderly beneficiary names the relative; the relative links and accepts."""
    relative = next(each for each in json.loads(DEFAULT_FIXTURES.read_text(encoding="utf-8"))
                    if each["case"] == "authorised_person" and each["payout_account"])
    name_authorised(d, person, relative, sign_in(d, person))
    sign_out(d)
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


def decline_authorised(d: Driver, person: dict) -> None:
    """A citizen names a relative (the next plain citizen, whom no other flow plays); the
    relative declines in their own session; the citizen is told and reads why."""
    relative = demo_citizen(DEFAULT_FIXTURES, person["case"], PLAIN_RELATIVE)
    named_with = name_authorised(d, person, relative, sign_in(d, person))
    sign_out(d)
    # The relative, from home to the request naming them.
    sign_in(d, relative)
    d.expect_screen("home")
    d.tap(d.widget("home", "social_security_tile"))
    d.expect_screen("account")
    d.tap(d.widget("account", "authorisations"))
    d.expect_screen("authorisations")
    d.wait_until(lambda: d.screen("authorisations").any_to_answer, "the request to answer")
    d.shot("The relative sees the request waiting for an answer")
    card = next(card for card in d.listed("authorisations", "naming_me")
                if getattr(card, "open_to_answer", False))
    d.tap(card.ids.decline)
    d.check(d.expect_dialog() == _("authorisations.decline_question"), "asked to confirm")
    d.shot("Asked first: decline to receive this person's benefits?")
    d.confirm_dialog()
    message = d.expect_dialog()
    d.check(message == _("authorisations.declined"), f"told what follows: {message}")
    d.shot("Declined: the citizen is told and can name someone else")
    d.close_dialog()
    cards = d.listed("authorisations", "naming_me")
    d.check([card.status_text for card in cards] == [_("authorisations.you_declined")],
            "the request shows as declined, with nothing left to answer")
    d.shot("The request: you declined")
    sign_out(d)
    # The citizen: the notification says so and opens the request, which says why.
    sign_in(d, person, next_code(d, person, named_with))
    d.expect_screen("home")
    d.wait_until(lambda: d.screen("home").unread_count > 0, "an unread notification")
    d.tap(d.widget("home", "notifications_tile"))
    d.expect_screen("notifications")
    declined = [card for card in d.listed("notifications", "notifications")
                if (getattr(card, "opens", None) or {}).get("kind") == "payout_link"]
    d.check(bool(declined), "a notification about the request")
    d.shot("The citizen's notifications: the relative declined")
    d.tap(declined[0])
    d.expect_screen("link_status")
    d.wait_until(lambda: d.screen("link_status").link.get("status") == LinkStatus.CANCELLED,
                 "the request")
    d.check(d.screen("link_status").link.get("reason") == "DECLINED", "declined by the relative")
    d.check(d.widget("link_status", "reason").text != "", "why, in words")
    d.shot("The request: the relative declined; name someone else or link an account")
