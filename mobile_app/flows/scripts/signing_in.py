"""Signing in: level 2, the level-1 refusal, the lockout."""
from __future__ import annotations

from mobile_app.flows.driver import Driver
from mobile_app.flows.scripts.steps import current_code, sign_in
from mobile_app.i18n import _

LOCKOUT_AFTER_FAILURES = 5  # the backend's threshold (backend/services/identity/lockout.py)


def level2_login(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.wait_until(lambda: d.screen("home").tile_status != "", "the tile's status")
    d.check(d.widget("home", "citizen_name").text == person["full_name"],
            "the home screen greets the citizen by name")
    d.shot("Home: the social-security tile and its status")
    d.tap(d.widget("home", "social_security_tile"))
    d.expect_screen("account")
    d.check(d.screen("account").has_payout, "the account shows the active payout account")
    d.shot("Account: payout account masked, programmes, personal details")
    d.app.go_back()
    d.expect_screen("home")
    d.tap(d.widget("home", "notifications_tile"))
    d.expect_screen("notifications")
    d.shot("Notifications")
    d.app.go_back()
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.tap(d.widget("settings", "english"))
    d.settle()
    d.check(d.widget("settings", "sign_out").text == "Sign out", "the screen is in English")
    d.shot("Settings, switched to English in place")
    d.tap(d.widget("settings", "vietnamese"))
    d.tap(d.widget("settings", "sign_out"))
    d.expect_screen("login")
    d.shot("Signed out: back at the login screen")


def level1_refusal(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.wait_until(lambda: d.screen("home").level2_required, "the level-2 refusal")
    d.shot("Home: the tile says level 2 is needed")
    d.tap(d.widget("home", "social_security_tile"))
    d.expect_screen("level2")
    d.check(d.widget("level2", "why").text == _("level2.why"), "the reason is shown")
    d.shot("Why, and how to reach level 2")


def wrong_code_lockout(d: Driver, person: dict) -> None:
    right = current_code(d, person)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    sign_in(d, person, code=wrong)
    message = d.expect_dialog()
    warned = False
    for attempt in range(1, LOCKOUT_AFTER_FAILURES):
        if not message.startswith(_("error.OTP_INVALID")):
            break  # failures left over from an earlier run lock sooner
        if attempt == 1:
            d.shot("A wrong code is refused, with what to do")
        if not warned and message.endswith(_("error.attempts_left", count=2)):
            warned = True
            d.shot("Warned: 2 tries left before the pause")
        d.close_dialog()
        d.type_into(d.widget("otp", "code"), wrong)
        d.tap(d.widget("otp", "confirm"))
        message = d.expect_dialog()
    d.check(warned or attempt < 3, "warned before the pause")
    d.check(_("error.ACCOUNT_LOCKED", retry_at="|").split("|")[0] in message, f"locked: {message}")
    d.shot("The account is locked, with the time to try again")
