"""Institutions that time out, fail, answer slowly or twice: nothing half-done."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend import db
from backend.db import utcnow
from backend.models import LinkCheck, LinkTransition, Notification, PayoutLink
from backend.services.accounts import verification
from tests.conftest import bearer, wait_for
from tests.linking_helpers import LINKS, request_link, settled


@pytest.fixture
def institutions(app):
    simulator = app.extensions["integrations"].institutions
    yield simulator
    simulator.faults.clear()
    simulator.latency_seconds = 0.0


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_timeout_then_an_error_are_retried_and_decided_once(app, client, citizen, login_as,
                                                              institutions):
    institutions.fail_next("timeout", "error")
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    outcome = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert outcome["status"] == "ACTIVE"
    assert [step["status"] for step in outcome["history"]] == ["SUBMITTED", "VERIFYING", "ACTIVE"]
    assert count(app, LinkCheck, LinkCheck.link_id == outcome["id"],
                 LinkCheck.result == "error") == 2


def test_an_institution_down_longer_than_the_retries_leaves_the_request_retryable(
        app, client, citizen, login_as, institutions, clock):
    institutions.fail_next(*["timeout"] * 4)  # the first try and 3 retries
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link_id = request_link(client, person, tokens).json["id"]
    wait_for(lambda: count(app, LinkCheck, LinkCheck.link_id == link_id), lambda n: n == 4)
    headers = bearer(tokens["access_token"])
    stuck = client.get(f"{LINKS}/{link_id}", headers=headers).json
    assert stuck["status"] == "VERIFYING"  # nothing decided, nothing linked
    assert client.get("/api/v1/me/social-security-account",
                      headers=headers).json["active_payout"] is None

    clock.shift(11 * 60)  # past SSA_STALLED_AFTER: the sweeper queues it again
    with app.app_context():
        assert verification.resume_stalled(utcnow()) == 1
    assert settled(client, tokens, link_id)["status"] == "ACTIVE"


def test_a_duplicate_delivery_decides_once(app, client, citizen, login_as, institutions):
    institutions.latency_seconds = 0.3  # both deliveries are in flight together
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link_id = request_link(client, person, tokens).json["id"]
    with app.app_context():
        app.extensions["tasks"].enqueue("verify_link", link_id)  # the same task delivered twice
    assert settled(client, tokens, link_id)["status"] == "ACTIVE"
    wait_for(lambda: count(app, LinkCheck, LinkCheck.link_id == link_id), lambda n: n > 0)
    assert count(app, LinkTransition, LinkTransition.link_id == link_id,
                 LinkTransition.to_status == "ACTIVE") == 1
    assert count(app, Notification, Notification.kind == "LINK_ACTIVE") == 1
    assert count(app, PayoutLink, PayoutLink.status == "ACTIVE",
                 PayoutLink.id == link_id) == 1


def test_cancelling_while_the_institution_is_slow_wins(app, client, citizen, login_as,
                                                       institutions):
    institutions.latency_seconds = 0.5
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    submitted = request_link(client, person, tokens)
    headers = bearer(tokens["access_token"])
    # Verification runs off the request thread: the answer came before the bank's.
    assert submitted.json["status"] in ("SUBMITTED", "VERIFYING")
    cancelled = client.post(f"{LINKS}/{submitted.json['id']}/cancel", headers=headers)
    assert cancelled.json.get("status") == "CANCELLED", cancelled.json
    assert app.extensions["tasks"].wait_until_idle()
    # The worker's late decision was refused and its checks rolled back.
    assert count(app, LinkCheck, LinkCheck.link_id == submitted.json["id"]) == 0
    final = client.get(f"{LINKS}/{submitted.json['id']}", headers=headers).json
    assert final["status"] == "CANCELLED"
    assert client.get("/api/v1/me/social-security-account",
                      headers=headers).json["active_payout"] is None


def test_a_flaky_institution_still_gets_every_request_decided(client, citizen, login_as,
                                                              institutions):
    institutions.failure_rate = 0.5
    try:
        person = citizen("clean_wallet_link")
        tokens = login_as(person)
        # Up to 4 tries at 50 % each: decided unless four time-outs in a row.
        institutions._random.seed(7)
        outcome = settled(client, tokens, request_link(client, person, tokens).json["id"])
        assert outcome["status"] == "ACTIVE"
    finally:
        institutions.failure_rate = 0.0
