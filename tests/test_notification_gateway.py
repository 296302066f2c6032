"""SMS through the notification gateway: sent from the task queue, stored with
its delivery state, delayed but never lost when the gateway is down, and only
what the citizen chose (security alerts always)."""
from __future__ import annotations

from backend.app import create_app
from backend.services.accounts import messaging
from tests.conftest import bearer, make_config
from tests.linking_helpers import request_link, settled
from tests.message_helpers import gateway, outbox, settle_queue, stored_messages

PREFERENCES = "/api/v1/me/notification-preferences"


def test_a_linked_account_is_told_by_sms_to_the_registered_phone(app, client, citizen,
                                                                  login_as):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert link["status"] == "ACTIVE"
    delivered = outbox(app, person["phone"])
    last4 = person["payout_account"]["account_number"][-4:]
    assert any(f"•••• {last4}" in body and "lien ket" in body for body in delivered)
    assert not any(person["payout_account"]["account_number"] in body for body in delivered)
    assert [message.status for message in stored_messages(app, person["phone"])] == ["SENT"]


def test_a_gateway_that_is_down_delays_messages_and_loses_none(app, client, citizen,
                                                                login_as):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    gateway(app).down = True
    try:
        settled(client, tokens, request_link(client, person, tokens).json["id"])
        settle_queue(app)  # every retry of the sender has failed by now
        waiting = stored_messages(app, person["phone"])
        assert [message.status for message in waiting] == ["QUEUED"]
        assert waiting[0].attempts >= 1 and "down" in waiting[0].last_error
        assert outbox(app, person["phone"]) == []
    finally:
        gateway(app).down = False
    with app.app_context():
        messaging.sweep_queued_messages()  # the periodic sweep, once the gateway is back
    assert [message.status for message in stored_messages(app, person["phone"])] == ["SENT"]
    assert len(outbox(app, person["phone"])) == 1


def test_preferences_choose_sms_and_language_but_never_silence_security_alerts(
        app, client, citizen, login_as):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    headers = bearer(tokens["access_token"])
    defaults = client.get(PREFERENCES, headers=headers).json
    assert defaults["language"] == "vi" and defaults["sms"]["PAYMENT_PAID"] is True
    assert "SECURITY_ACCOUNT_CHANGED" in defaults["security_alerts"]

    refused = client.put(PREFERENCES, json={"sms": {"SECURITY_ACCOUNT_CHANGED": False}},
                         headers=headers)
    assert refused.status_code == 422 and "SECURITY_ACCOUNT_CHANGED" in str(refused.json)
    unknown = client.put(PREFERENCES, json={"sms": {"LOTTERY_WON": True}}, headers=headers)
    assert unknown.status_code == 422
    assert client.get(PREFERENCES, headers=headers).json == defaults

    changed = client.put(PREFERENCES, json={"sms": {"LINK_ACTIVE": False}, "language": "en"},
                         headers=headers)
    assert changed.status_code == 200, changed.json
    assert changed.json["sms"]["LINK_ACTIVE"] is False and changed.json["language"] == "en"
    assert changed.json["sms"]["PAYMENT_PAID"] is True

    settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert outbox(app, person["phone"]) == []
    in_app = client.get("/api/v1/me/notifications", headers=headers).json["items"]
    assert any(item["kind"] == "LINK_ACTIVE" for item in in_app)


def test_the_outbox_is_read_in_demo_mode_only(app, client, citizen, login_as, database_url):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    settled(client, tokens, request_link(client, person, tokens).json["id"])
    settle_queue(app)
    path = f"/api/v1/demo/outbox?phone={person['phone']}"
    assert client.get(path).status_code == 404
    demo = create_app(make_config(app.config["INSTANCE_PATH"], database_url,
                                  SSA_DEMO_MODE="true"))
    demo.extensions["integrations"] = app.extensions["integrations"]
    try:
        answer = demo.test_client().get(path)
        assert answer.status_code == 200, answer.json
        assert answer.json[0]["phone"] == person["phone"]
        assert "•••• " in answer.json[0]["body"]
        result = demo.test_cli_runner().invoke(args=["outbox", person["phone"]])
        assert result.exit_code == 0 and "[sms]" in result.output
    finally:
        demo.extensions["db_engine"].dispose()
