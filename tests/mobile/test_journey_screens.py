"""The journeys' screens (unlink, "this was not me", authorised persons, consents,
sessions, my data), headless against the live test backend: what a citizen sees."""
from __future__ import annotations

import json
from pathlib import Path

from mobile_app.i18n import _
from tests.conftest import bearer, totp_code
from tests.linking_helpers import LINKS, offered, request_link, settled
from tests.mobile.phone import sign_in


def linked(client, person: dict, login_as) -> dict:
    tokens = login_as(person)
    link = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert link["status"] == "ACTIVE", link
    return link


def test_unlinking_takes_the_passcode_and_leaves_no_payout_account(phone, client, citizen,
                                                                   login_as, clock):
    person = citizen("clean_bank_link")
    linked(client, person, login_as)
    clock.shift(30)
    sign_in(phone, person)
    phone.tap(phone.widget("home", "social_security_tile"))
    phone.expect_screen("account")
    phone.wait_until(lambda: phone.screen("account").has_payout, "the payout account")
    assert phone.widget("account", "not_me").disabled  # a first account is no change
    phone.tap(phone.widget("account", "unlink"))
    phone.expect_screen("unlink")
    step_up = phone.widget("unlink", "step_up")
    assert step_up.mode == "passcode" and step_up.ids.code.password  # masked, no code wait
    assert phone.widget("unlink", "confirm").disabled  # nothing typed yet
    wrong = f"{(int(person['passcode']) + 1) % 1_000_000:06d}"
    phone.type_into(step_up.ids.code, wrong)
    phone.tap(phone.widget("unlink", "confirm"))
    assert phone.expect_dialog().startswith(_("error.PASSCODE_INVALID"))
    phone.close_dialog()
    assert step_up.ids.code.text == ""  # typed again, not kept
    phone.type_into(step_up.ids.code, person["passcode"])
    phone.tap(phone.widget("unlink", "confirm"))
    phone.expect_screen("account")
    assert phone.expect_dialog() == _("unlink.done")
    phone.close_dialog()
    phone.wait_until(lambda: not phone.screen("account").has_payout, "no payout account")


def test_this_was_not_me_on_a_changed_account_stops_it_and_signs_out(phone, client, citizen,
                                                                      login_as, clock):
    person = citizen("clean_bank_link")
    linked(client, person, login_as)
    clock.shift(60)
    second = linked(client, person, login_as)  # replaces the first: a changed account
    clock.shift(30)
    sign_in(phone, person)
    phone.tap(phone.widget("home", "social_security_tile"))
    phone.expect_screen("account")
    phone.wait_until(lambda: phone.screen("account").changed, "the change to be shown")
    assert not phone.widget("account", "not_me").disabled
    phone.tap(phone.widget("account", "not_me"))
    phone.expect_screen("dispute")
    phone.tap(phone.widget("dispute", "confirm"))
    phone.expect_screen("login")
    assert phone.expect_dialog() == _("dispute.done")
    clock.shift(30)
    assert client.get(f"{LINKS}/{second['id']}", headers=bearer(
        login_as(person)["access_token"])).json["frozen"] is True


def test_the_authorised_person_accepts_with_the_passcode(phone, client, citizen, login_as,
                                                          clock):
    elderly, relative = citizen("authorised_person", 0), citizen("authorised_person", 1)
    linked(client, relative, login_as)
    tokens = login_as(elderly)
    named = client.post(LINKS, json={"kind": "authorised_person", "consent": True,
                                     "authorised_personal_id": relative["personal_id"]},
                        headers={**bearer(tokens["access_token"]), "X-OTP": totp_code(elderly)})
    assert named.status_code == 202, named.json
    clock.shift(30)
    relative_tokens = login_as(relative)
    offered(client, named.json["id"], relative_tokens)
    clock.shift(30)
    sign_in(phone, relative)
    phone.app.go("authorisations")
    phone.expect_screen("authorisations")
    phone.wait_until(lambda: phone.screen("authorisations").any_to_answer, "the request")
    phone.type_into(phone.widget("authorisations", "step_up").ids.code, relative["passcode"])
    card = phone.listed("authorisations", "naming_me")[0]
    phone.tap(card.ids.accept)
    assert phone.expect_dialog() == _("authorisations.accepted")
    assert not phone.screen("authorisations").any_to_answer


def test_withdrawing_the_payout_consent_asks_first_and_then_ends_the_link(
        phone, client, citizen, login_as, clock):
    person = citizen("clean_bank_link")
    linked(client, person, login_as)
    clock.shift(30)
    sign_in(phone, person)
    phone.app.go("consents")
    phone.expect_screen("consents")
    phone.wait_until(lambda: phone.screen("consents").any_given, "the consent")
    phone.type_into(phone.widget("consents", "step_up").ids.code, person["passcode"])
    phone.tap(phone.listed("consents", "consents")[0].ids.withdraw)
    question = phone.expect_dialog()
    assert phone.app.dialog.confirm_text == _("consents.withdraw_yes"), question
    assert phone.screen("consents").any_given  # nothing withdrawn before the confirmation
    phone.confirm_dialog()
    phone.wait_until(lambda: phone.app.shown_message == _("consents.withdrawn"), "withdrawn")
    phone.close_dialog()
    phone.wait_until(lambda: not phone.screen("consents").any_given, "no consent in force")
    clock.shift(30)
    assert client.get("/api/v1/me/social-security-account", headers=bearer(
        login_as(person)["access_token"])).json["active_payout"] is None


def test_signing_out_everywhere_else_keeps_this_device(phone, client, citizen, login_as,
                                                       clock):
    person = citizen("plain")
    elsewhere = login_as(person)
    clock.shift(30)
    sign_in(phone, person)
    phone.app.go("sessions")
    phone.expect_screen("sessions")
    phone.wait_until(lambda: len(phone.screen("sessions").sessions) == 2, "two sessions")
    phone.tap(phone.widget("sessions", "end_others"))
    phone.expect_dialog()
    phone.confirm_dialog()
    assert phone.expect_dialog() == _("sessions.ended_others", count=1)
    phone.close_dialog()
    phone.wait_until(lambda: len(phone.screen("sessions").sessions) == 1, "one session left")
    assert client.get("/api/v1/me", headers=bearer(elsewhere["access_token"])).status_code == 401


def test_my_data_is_saved_as_json_with_a_summary(phone, citizen, tmp_path):
    person = citizen("plain")
    phone.app.exports_folder = tmp_path
    sign_in(phone, person)
    phone.app.go("data_export")
    phone.expect_screen("data_export")
    phone.tap(phone.widget("data_export", "download"))
    phone.settle()
    saved = Path(phone.screen("data_export").saved_to)
    assert saved.parent == tmp_path
    assert json.loads(saved.read_text(encoding="utf-8"))["identity"]["personal_id"] == \
        person["personal_id"]
    summary = {row.label: row.value for row in phone.listed("data_export", "summary")}
    assert summary[_("export.part.sessions")] == "1"
