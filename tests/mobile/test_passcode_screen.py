"""Setting the step-up passcode from Settings, headless against the live test backend:
the new passcode twice and a fresh one-time code; the refusals in words."""
from __future__ import annotations

from mobile_app.client import ApiError, NoConnection
from mobile_app.i18n import _
from mobile_app.presenting import step_up_factor, step_up_factor_asked
from tests.conftest import bearer, totp_code
from tests.linking_helpers import LINKS, SIGN_IN_WINDOW, link_body
from tests.mobile.phone import sign_in

NEW_PASSCODE = "582014"


def _type(phone, new: str, again: str, code: str) -> None:
    for field, text in (("new", new), ("again", again), ("code", code)):
        phone.type_into(phone.widget("passcode", field), text)
    phone.tap(phone.widget("passcode", "save"))


def test_a_citizen_changes_the_passcode_with_a_fresh_code(phone, client, citizen, login_as,
                                                          clock):
    person = citizen("clean_bank_link")
    sign_in(phone, person)
    phone.app.go("settings")
    phone.expect_screen("settings")
    entry = phone.widget("settings", "passcode")
    assert entry.text == _("settings.passcode_change")  # the demo citizens have one
    phone.tap(entry)
    phone.expect_screen("passcode")
    assert phone.widget("passcode", "new").password and phone.widget("passcode", "again").password
    assert phone.widget("passcode", "save").disabled
    clock.shift(30)
    code = totp_code(person)  # the sign-in used the last one
    _type(phone, NEW_PASSCODE, "582041", code)
    assert phone.expect_dialog() == _("passcode.mismatch")
    phone.close_dialog()
    assert phone.widget("passcode", "new").text == "" and \
        phone.widget("passcode", "code").text == code  # the code is still unused
    phone.type_into(phone.widget("passcode", "new"), "123456")
    phone.type_into(phone.widget("passcode", "again"), "123456")
    phone.tap(phone.widget("passcode", "save"))
    assert phone.expect_dialog() == _("error.PASSCODE_TOO_SIMPLE")
    phone.close_dialog()
    phone.type_into(phone.widget("passcode", "new"), NEW_PASSCODE)
    phone.type_into(phone.widget("passcode", "again"), NEW_PASSCODE)
    phone.tap(phone.widget("passcode", "save"))
    phone.expect_screen("settings")
    assert phone.expect_dialog() == _("passcode.changed")
    phone.close_dialog()
    clock.shift(SIGN_IN_WINDOW)
    headers = bearer(login_as(person)["access_token"])
    clock.shift(SIGN_IN_WINDOW)
    old = client.post(LINKS, json=link_body(person),
                      headers={**headers, "X-Passcode": person["passcode"]})
    assert old.json["code"] == "PASSCODE_INVALID"
    new = client.post(LINKS, json=link_body(person),
                      headers={**headers, "X-Passcode": NEW_PASSCODE})
    assert new.status_code == 202, new.json


def test_a_used_code_is_refused_in_words(phone, citizen):
    person = citizen("plain")
    sign_in(phone, person)
    phone.app.go("passcode")
    phone.expect_screen("passcode")
    _type(phone, NEW_PASSCODE, NEW_PASSCODE, totp_code(person))  # the sign-in's code
    assert phone.expect_dialog() == _("error.OTP_REPLAYED")
    phone.close_dialog()
    assert phone.widget("passcode", "code").text == ""  # a code works once


def test_the_step_up_field_asks_for_what_the_server_accepts():
    assert step_up_factor({"passcode_set": True}) == "passcode"
    assert step_up_factor({"passcode_set": False}) == "otp"
    asked = ApiError(401, "STEP_UP_REQUIRED", "", {"accepts": ["passcode", "otp"]})
    assert step_up_factor_asked(asked) == "passcode"
    no_passcode = ApiError(401, "STEP_UP_REQUIRED", "", {"accepts": ["otp"]})
    assert step_up_factor_asked(no_passcode) == "otp"
    # A passcode locked for good: the one-time code still confirms.
    locked = ApiError(423, "ACCOUNT_LOCKED", "", {"locked_until": None, "factor": "passcode"})
    assert step_up_factor_asked(locked) == "otp"
    assert step_up_factor_asked(ApiError(401, "PASSCODE_INVALID", "", {})) == ""
    assert step_up_factor_asked(NoConnection("down")) == ""
