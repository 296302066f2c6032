"""App push beside SMS: every notification reaches the devices the citizen's app
registered, from the task queue with its delivery state; readable in demo mode."""
from __future__ import annotations

from backend.app import create_app
from backend.services.accounts import messaging
from tests.conftest import bearer, make_config
from tests.linking_helpers import LINKS, request_link, settled
from tests.message_helpers import gateway, outbox, settle_queue, stored_messages

PUSH_DEVICE = "/api/v1/me/push-device"
TOKEN = "fcm-token-0123456789abcdef"


def register(client, tokens, token: str = TOKEN):
    answer = client.put(PUSH_DEVICE, json={"token": token, "platform": "android"},
                        headers=bearer(tokens["access_token"]))
    assert answer.status_code == 200, answer.json
    return answer


def test_every_notification_is_pushed_to_the_registered_device(app, client, citizen,
                                                                login_as, database_url):
    person, other = citizen("clean_bank_link", 0), citizen("clean_bank_link", 1)
    tokens = login_as(person)
    assert register(client, tokens).json["platform"] == "android"
    settled(client, tokens, request_link(client, person, tokens).json["id"])
    pushed = outbox(app, person["phone"], "push")
    in_app = client.get("/api/v1/me/notifications",
                        headers=bearer(tokens["access_token"])).json["items"]
    # Each notification of the app (the welcome, then the link) is pushed too.
    assert len(pushed) == len(in_app) == 2
    assert "Đã liên kết tài khoản •••• " in pushed[0]
    assert not any(person["payout_account"]["account_number"] in body for body in pushed)
    # The SMS goes as before, beside the pushes, each with its own delivery state.
    assert len(outbox(app, person["phone"])) == 1
    stored = stored_messages(app, person["phone"])
    assert sorted((message.channel, message.status) for message in stored) == [
        ("push", "SENT"), ("push", "SENT"), ("sms", "SENT")]
    assert {m.device_token for m in stored if m.channel == "push"} == {TOKEN}

    # A citizen whose app registered nothing gets no push.
    other_tokens = login_as(other)
    settled(client, other_tokens, request_link(client, other, other_tokens).json["id"])
    assert outbox(app, other["phone"], "push") == []

    demo = create_app(make_config(app.config["INSTANCE_PATH"], database_url,
                                  SSA_DEMO_MODE="true"))
    demo.extensions["integrations"] = app.extensions["integrations"]
    try:
        answer = demo.test_client().get(f"/api/v1/demo/outbox?phone={person['phone']}"
                                        "&channel=push")
        assert answer.status_code == 200, answer.json
        assert {(row["channel"], row["device_token"]) for row in answer.json} == {
            ("push", TOKEN)}
        bad = demo.test_client().get(f"/api/v1/demo/outbox?phone={person['phone']}"
                                     "&channel=pigeon")
        assert bad.status_code == 422
        result = demo.test_cli_runner().invoke(
            args=["outbox", person["phone"], "--channel", "push"])
        assert result.exit_code == 0 and "[push]" in result.output
        assert "[sms]" not in result.output
    finally:
        demo.extensions["db_engine"].dispose()


def test_a_push_waits_while_the_gateway_is_down(app, client, citizen, login_as):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    register(client, tokens)
    gateway(app).down = True
    try:
        settled(client, tokens, request_link(client, person, tokens).json["id"])
        settle_queue(app)
        assert outbox(app, person["phone"], "push") == []
        assert {m.status for m in stored_messages(app, person["phone"])} == {"QUEUED"}
    finally:
        gateway(app).down = False
    with app.app_context():
        messaging.sweep_queued_messages()
    assert len(outbox(app, person["phone"], "push")) == 2


def test_a_dispute_forgets_the_devices_and_the_sms_code_is_never_pushed(
        app, client, citizen, login_as, clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    settled(client, tokens, request_link(client, person, tokens).json["id"])
    clock.shift(60)
    # Whoever links a second account registers their own phone for pushes.
    tokens = login_as(person)
    register(client, tokens, "attacker-device-token")
    second = settled(client, tokens, request_link(client, person, tokens).json["id"])
    pushed = outbox(app, person["phone"], "push")
    assert any("Tài khoản nhận tiền mới" in body for body in pushed)
    assert not any(f"{second['id']}-" in body for body in pushed)  # no dispute code
    assert any(f"ma {second['id']}-" in body for body in outbox(app, person["phone"]))
    disputed = client.post(f"{LINKS}/{second['id']}/dispute", json={},
                           headers=bearer(tokens["access_token"]))
    assert disputed.status_code == 201
    # The dispute's own notice reaches the phone by SMS, no longer the device.
    assert outbox(app, person["phone"], "push") == pushed


def test_registering_a_device_needs_a_citizen_and_a_sound_body(client, citizen, login_as,
                                                               staff_login):
    tokens = login_as(citizen("clean_bank_link"))
    short = client.put(PUSH_DEVICE, json={"token": "x", "platform": "android"},
                       headers=bearer(tokens["access_token"]))
    assert short.status_code == 422 and short.json["code"] == "VALIDATION_ERROR"
    unknown = client.put(PUSH_DEVICE, json={"token": TOKEN, "platform": "palm"},
                         headers=bearer(tokens["access_token"]))
    assert unknown.status_code == 422
    assert client.put(PUSH_DEVICE, json={"token": TOKEN, "platform": "ios"}).status_code == 401
    staff = client.put(PUSH_DEVICE, json={"token": TOKEN, "platform": "ios"},
                       headers=staff_login("reviewer1"))
    assert staff.status_code == 403
