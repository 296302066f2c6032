"""Settings and the citizen's rights: text size, the passcode, sessions, data export,
consents, SMS choices."""
from __future__ import annotations

import json
from pathlib import Path

from mobile_app.client import ApiClient, ApiError
from mobile_app.client.statuses import LinkStatus
from mobile_app.flows.driver import Driver, FlowFailed
from mobile_app.flows.scripts.steps import (
    current_code,
    link_own_account,
    next_code,
    sign_in,
    type_step_up,
    wait_for_status,
)
from mobile_app.i18n import _


def large_text(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.tap(d.widget("settings", "text_largest"))
    d.settle()
    d.check(d.app.text_scale == 1.6, "the text is 1.6 times larger")
    d.shot("Settings: the largest text chosen")
    for screen_name, caption in (("home", "Home"), ("account", "Account"),
                                 ("payments", "Payment history"),
                                 ("notifications", "Notifications")):
        d.app.go(screen_name)
        d.expect_screen(screen_name)
        d.shot(f"{caption} in large text, nothing cut")
    d.app.go("settings")
    d.expect_screen("settings")
    d.tap(d.widget("settings", "text_normal"))
    d.check(d.app.text_scale == 1.0, "back to normal text")


def set_passcode(d: Driver, person: dict) -> None:
    """Change the passcode from Settings: refused when the two differ or it is easy to
    guess, then saved with a fresh one-time code (the endpoint takes no passcode)."""
    used = sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.shot("Settings: change the passcode, under privacy and security")
    d.tap(d.widget("settings", "passcode"))
    d.expect_screen("passcode")
    d.shot("The new passcode twice (masked) and a fresh one-time code")
    code = next_code(d, person, used)  # the sign-in's code works once
    for new, again, said in (("582014", "582041", _("passcode.mismatch")),
                             ("123456", "123456", _("error.PASSCODE_TOO_SIMPLE"))):
        d.type_into(d.widget("passcode", "new"), new)
        d.type_into(d.widget("passcode", "again"), again)
        d.type_into(d.widget("passcode", "code"), code)
        d.tap(d.widget("passcode", "save"))
        message = d.expect_dialog()
        d.check(message == said, f"refused in words: {message}")
        d.shot(f"Refused: {'the two differ' if new != again else 'too easy to guess'}")
        d.close_dialog()
    d.type_into(d.widget("passcode", "new"), "582014")
    d.type_into(d.widget("passcode", "again"), "582014")
    d.check(d.widget("passcode", "code").text == code, "the unused code is kept")
    d.tap(d.widget("passcode", "save"))
    d.expect_screen("settings")
    message = d.expect_dialog()
    d.check(message == _("passcode.changed"), f"told it changed: {message}")
    d.shot("Saved: the new passcode confirms important actions from now on")


def sessions_and_devices(d: Driver, person: dict) -> None:
    # Another phone signs in first, with this window's code; the app takes the next one.
    other_phone = ApiClient(d.app.client.transport.base_url)
    challenge = other_phone.start_sign_in(person["personal_id"], person["password"])
    used = current_code(d, person)
    other_phone.finish_sign_in(challenge["challenge_id"], used)
    sign_in(d, person, code=next_code(d, person, used))
    d.expect_screen("home")
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.shot("Settings: privacy and security")
    d.tap(d.widget("settings", "sessions"))
    d.expect_screen("sessions")
    d.wait_until(lambda: len(d.screen("sessions").sessions) >= 2, "both devices listed")
    d.shot("Two devices signed in; this one is marked")
    others = [card for card in d.listed("sessions", "sessions") if not card.current]
    d.tap(others[0].ids.end)
    d.expect_dialog()
    d.shot("Asked to confirm ending the other device's session")
    d.confirm_dialog()
    d.settle()
    d.wait_until(lambda: len(d.screen("sessions").sessions) == 1, "one device left")
    d.check(d.screen("sessions").sessions[0]["current"], "this device stays signed in")
    d.shot("The other device is signed out")
    try:
        other_phone.me()
    except ApiError:
        pass  # refused, as it should be
    else:
        raise FlowFailed("the ended session still works")


def data_export(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.tap(d.widget("settings", "data_export"))
    d.expect_screen("data_export")
    d.shot("My data: what the download holds")
    d.tap(d.widget("data_export", "download"))
    d.settle()
    d.wait_until(lambda: d.screen("data_export").saved_to != "", "the file to be saved")
    saved = Path(d.screen("data_export").saved_to)
    d.check(saved.exists(), f"the file {saved} exists")
    document = json.loads(saved.read_text(encoding="utf-8"))
    d.check(document["identity"]["personal_id"] == person["personal_id"], "my data in it")
    d.check(bool(d.widget("data_export", "summary").children), "a summary is shown")
    d.shot("Downloaded: a summary and where the file was saved")


def withdraw_consent(d: Driver, person: dict) -> None:
    used = link_own_account(d, person, sign_in(d, person))
    wait_for_status(d, LinkStatus.ACTIVE)
    d.app.go("settings")
    d.expect_screen("settings")
    d.tap(d.widget("settings", "consents"))
    d.expect_screen("consents")
    d.wait_until(lambda: d.screen("consents").any_given, "a consent in force")
    type_step_up(d, "consents", person, used)
    d.shot("My consents: the payout consent in force, and the passcode to withdraw it")
    card = next(card for card in d.listed("consents", "consents")
                if getattr(card, "withdrawable", False))
    d.tap(card.ids.withdraw)
    message = d.expect_dialog()
    d.check(d.app.dialog.confirm_text == _("consents.withdraw_yes"),
            f"asked to confirm what follows: {message}")
    d.shot("The app says what withdrawing does (payments in cash) and asks to confirm")
    d.confirm_dialog()
    d.wait_until(lambda: d.app.shown_message == _("consents.withdrawn"), "the withdrawal")
    d.close_dialog()
    d.wait_until(lambda: not d.screen("consents").any_given, "the consent withdrawn")
    d.shot("Withdrawn, with the day")
    d.app.go("account")
    d.expect_screen("account")
    d.wait_until(lambda: d.screen("account").account.get("active_payout", 0) is None,
                 "the account without payout")
    d.check(not d.screen("account").has_payout, "no payout account: cash from now on")
    d.shot("Account: no payout account, payments go in cash")


def sms_preferences(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.tap(d.widget("settings", "notification_preferences"))
    d.expect_screen("notification_preferences")
    d.wait_until(lambda: bool(d.screen("notification_preferences").preferences), "choices")
    d.shot("SMS notifications: every outcome, and security alerts always sent")
    choice = next(each for each in d.listed("notification_preferences", "events")
                  if getattr(each, "event", "") == "PAYMENT_PLANNED")
    d.tap(choice)
    d.settle()
    d.wait_until(lambda: d.screen("notification_preferences").preferences["sms"][
        "PAYMENT_PLANNED"] is False, "the choice saved")
    d.shot("A new payment planned: no longer by SMS")
