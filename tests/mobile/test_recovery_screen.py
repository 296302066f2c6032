"""Lost phone, in the app: ask, an officer checks the ID card, enrol the new phone."""
from __future__ import annotations

import pyotp
import pytest

from mobile_app.i18n import _
from tests.mobile.phone import Driver

RECOVERIES = "/api/v1/staff/recoveries"
pytestmark = pytest.mark.usefixtures("secrets_restored")


def ask_for_recovery(phone: Driver, person: dict) -> None:
    phone.tap(phone.widget("login", "lost_phone"))
    phone.expect_screen("recovery")
    phone.type_into(phone.widget("recovery", "personal_id"), person["personal_id"])
    phone.type_into(phone.widget("recovery", "password"), person["password"])
    phone.tap(phone.widget("recovery", "start"))
    phone.wait_until(lambda: phone.screen("recovery").step == "prove", "the request to be sent")


def test_a_citizen_who_lost_their_phone_gets_back_in_through_an_officer(
        phone, client, citizen, staff_login, clock):
    person = citizen("plain")
    ask_for_recovery(phone, person)
    phone.shot("asked: go to the commune police with the ID card")
    phone.tap(phone.widget("recovery", "check"))  # too early: nobody has checked the card
    assert phone.expect_dialog() == _("recovery.not_yet")
    phone.close_dialog()

    officer = staff_login("officer1")
    waiting = client.get(RECOVERIES, query_string={"personal_id": person["personal_id"]},
                         headers=officer).json["items"]
    assert len(waiting) == 1
    approved = client.post(f"{RECOVERIES}/{waiting[0]['id']}/approve", headers=officer, json={
        "card_personal_id": person["personal_id"], "note": "Đã đối chiếu CCCD gắn chip"})
    assert approved.status_code == 200, approved.json

    phone.tap(phone.widget("recovery", "check"))
    phone.wait_until(lambda: phone.screen("recovery").step == "enrol", "the new secret")
    secret = phone.widget("recovery", "secret").text
    assert secret and secret != person["totp_secret"]
    phone.shot("the new phone's secret, and its first code")
    phone.type_into(phone.widget("recovery", "code"), pyotp.TOTP(secret).now())
    phone.tap(phone.widget("recovery", "confirm"))
    phone.expect_screen("login")
    assert phone.expect_dialog() == _("recovery.done")
    phone.close_dialog()

    clock.shift(30)  # the code just used is spent
    phone.type_into(phone.widget("login", "personal_id"), person["personal_id"])
    phone.type_into(phone.widget("login", "password"), person["password"])
    phone.tap(phone.widget("login", "sign_in"))
    phone.expect_screen("otp")
    phone.type_into(phone.widget("otp", "code"), pyotp.TOTP(secret).now())
    phone.tap(phone.widget("otp", "confirm"))
    phone.expect_screen("home")  # the new phone's code opens the account
