"""Institutions that time out, fail, answer slowly or twice: nothing half-done."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend import db
from backend.db import utcnow
from backend.integrations.institutions import REPORT_TASK
from backend.models import (
    InquiryLine,
    InquiryTransition,
    InstitutionInquiry,
    LinkCheck,
    LinkTransition,
    Notification,
    PayoutLink,
)
from backend.services.accounts import inquiries, verification
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


def inquiries_of(app, link_id: int, status: str | None = None) -> int:
    where = [InstitutionInquiry.link_id == link_id]
    if status:
        where.append(InstitutionInquiry.status == status)
    return count(app, InstitutionInquiry, *where)


def sent(app, link_id: int, attempt: int) -> None:
    """Wait until the worker has sent attempt `attempt` of the request's inquiry."""
    wait_for(lambda: count(app, InstitutionInquiry, InstitutionInquiry.link_id == link_id,
                           InstitutionInquiry.attempt == attempt,
                           InstitutionInquiry.status != "WAITING"), lambda n: n == 1)


def sweep_past_the_deadline(app, clock) -> int:
    """What the minute sweep does once an inquiry's time-out has passed."""
    clock.shift(app.config["INQUIRY_TIMEOUT"].total_seconds() + 1)
    with app.app_context():
        return inquiries.sweep(utcnow())


def test_a_timeout_then_an_error_are_retried_and_decided_once(app, client, citizen, login_as,
                                                              institutions, clock):
    institutions.fail_next("timeout", "error")
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link_id = request_link(client, person, tokens).json["id"]
    sent(app, link_id, 1)
    assert sweep_past_the_deadline(app, clock) == 1
    outcome = settled(client, tokens, link_id)
    assert outcome["status"] == "ACTIVE"
    assert [step["status"] for step in outcome["history"]] == ["SUBMITTED", "VERIFYING", "ACTIVE"]
    assert count(app, LinkCheck, LinkCheck.link_id == outcome["id"],
                 LinkCheck.result == "error") == 2
    assert [inquiries_of(app, link_id, status) for status in ("TIMED_OUT", "FAILED", "ANSWERED")
            ] == [1, 1, 1]


def test_an_institution_that_never_answers_is_asked_again_then_the_request_goes_to_review(
        app, client, citizen, login_as, institutions, clock, staff_login):
    attempts = app.config["INQUIRY_ATTEMPTS"]
    institutions.fail_next(*["timeout"] * attempts)
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link_id = request_link(client, person, tokens).json["id"]
    headers = bearer(tokens["access_token"])
    for attempt in range(1, attempts + 1):
        sent(app, link_id, attempt)
        waiting = client.get(f"{LINKS}/{link_id}", headers=headers).json
        assert waiting["status"] == "VERIFYING"  # nothing decided, nothing linked
        assert sweep_past_the_deadline(app, clock) == 1

    outcome = settled(client, tokens, link_id)
    assert outcome["status"] == "NEEDS_REVIEW"
    assert outcome["reason"] == "INSTITUTION_TIMEOUT"
    assert outcome["reason_text"]
    assert [step["status"] for step in outcome["history"]] == [
        "SUBMITTED", "VERIFYING", "NEEDS_REVIEW"]
    assert inquiries_of(app, link_id, "TIMED_OUT") == attempts
    assert client.get("/api/v1/me/social-security-account",
                      headers=headers).json["active_payout"] is None
    # Not lost: a reviewer finds it in the queue by its reason.
    queue = client.get("/api/v1/staff/link-requests?reason=INSTITUTION_TIMEOUT",
                       headers=staff_login("reviewer1")).json
    assert [item["id"] for item in queue["items"]] == [link_id]


def test_an_answer_that_comes_after_its_deadline_still_decides_once(app, client, citizen,
                                                                    login_as, institutions,
                                                                    clock):
    institutions.latency_seconds = 1.0  # later than the deadline the sweep will see
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link_id = request_link(client, person, tokens).json["id"]
    sent(app, link_id, 1)
    assert sweep_past_the_deadline(app, clock) == 1  # timed out; asked again
    outcome = settled(client, tokens, link_id)
    assert outcome["status"] == "ACTIVE"
    assert app.extensions["tasks"].wait_until_idle()
    assert count(app, LinkTransition, LinkTransition.link_id == link_id,
                 LinkTransition.to_status == "ACTIVE") == 1
    assert count(app, LinkCheck, LinkCheck.link_id == link_id,
                 LinkCheck.name == "holder_name") == 1
    # The late one; the retry was answered too, or withdrawn if it had not left yet.
    assert inquiries_of(app, link_id, "ANSWERED") >= 1
    assert inquiries_of(app, link_id, "ANSWERED") + inquiries_of(app, link_id,
                                                                 "WITHDRAWN") == 2
    with app.app_context():  # every slot given back once
        assert db.session.get(InquiryLine, "VCB").open_inquiries == 0
        db.session.rollback()


def test_a_request_whose_task_was_lost_is_asked_again(app, client, citizen, login_as,
                                                      institutions, clock):
    institutions.fail_next("timeout")
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link_id = request_link(client, person, tokens).json["id"]
    sent(app, link_id, 1)
    with app.app_context():  # the inquiry is open: nothing to queue again
        clock.shift(11 * 60)
        assert verification.resume_stalled(utcnow()) == 0
    assert sweep_past_the_deadline(app, clock) == 1
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


def test_a_report_delivered_twice_is_applied_once(app, client, citizen, login_as,
                                                  institutions):
    institutions.fail_next("twice")  # both copies in flight together
    institutions.latency_seconds = 0.3
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link_id = request_link(client, person, tokens).json["id"]
    assert settled(client, tokens, link_id)["status"] == "ACTIVE"
    assert app.extensions["tasks"].wait_until_idle()
    assert count(app, LinkTransition, LinkTransition.link_id == link_id,
                 LinkTransition.to_status == "ACTIVE") == 1
    assert count(app, Notification, Notification.kind == "LINK_ACTIVE") == 1
    assert count(app, LinkCheck, LinkCheck.link_id == link_id,
                 LinkCheck.name == "holder_name") == 1
    assert count(app, InquiryTransition, InquiryTransition.to_status == "ANSWERED") == 1
    with app.app_context():  # and once more, long after
        report = db.session.scalars(select(InstitutionInquiry.report)).one()
        app.extensions["tasks"].enqueue(REPORT_TASK, report)
    assert app.extensions["tasks"].wait_until_idle()
    assert count(app, LinkTransition, LinkTransition.link_id == link_id) == 3
    assert count(app, Notification, Notification.kind == "LINK_ACTIVE") == 1


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


def test_a_flaky_institution_still_gets_every_request_decided(app, client, citizen, login_as,
                                                              institutions, clock):
    institutions.failure_rate = 0.5
    try:
        person = citizen("clean_wallet_link")
        tokens = login_as(person)
        # Three tries at 50 % each; this seed leaves the first two unanswered.
        institutions._random.seed(7)
        link_id = request_link(client, person, tokens).json["id"]
        for attempt in (1, 2):
            sent(app, link_id, attempt)
            sweep_past_the_deadline(app, clock)
        outcome = settled(client, tokens, link_id)
        assert outcome["status"] == "ACTIVE"
        assert inquiries_of(app, link_id, "TIMED_OUT") == 2
    finally:
        institutions.failure_rate = 0.0
