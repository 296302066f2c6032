"""Each institution's line: its limit of open inquiries, its breaker, and a burst that
survives the worker being stopped."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from backend import db
from backend.db import utcnow
from backend.models import InquiryTransition, InstitutionInquiry
from backend.services.accounts import inquiries
from tests.conftest import FIXTURES, bearer, wait_for
from tests.linking_helpers import LINKS, request_link, settled


@pytest.fixture
def institutions(app):
    simulator = app.extensions["integrations"].institutions
    limits = dict(app.config["INQUIRY_LIMITS"])
    yield simulator
    simulator.faults.clear()
    simulator.latency_seconds = 0.0
    app.config["INQUIRY_LIMITS"] = limits


def holders_at(demo_citizens: list[dict], institution: str) -> list[tuple[dict, dict]]:
    """Level-2 demo citizens with an open account of their own at `institution`, and
    the link request for it."""
    accounts = json.loads((FIXTURES / "institution_accounts.json").read_text())
    by_holder = {account["holder_personal_id"]: account for account in accounts
                 if account["institution"] == institution and account["status"] == "open"}
    return [(person, {"kind": "bank", "institution": institution, "consent": True,
                      "account_number": by_holder[person["personal_id"]]["account_number"]})
            for person in demo_citizens
            if person["level"] == 2 and person["personal_id"] in by_holder
            and person["case"] in ("plain", "clean_bank_link")]


def submit_all(client, login_as, people: list[tuple[dict, dict]]) -> list[tuple[dict, int]]:
    signed_in = [(person, body, login_as(person)) for person, body in people]
    return [(tokens, request_link(client, person, tokens, body).json["id"])
            for person, body, tokens in signed_in]


def most_open_at_once(app, institution: str) -> int:
    """How many inquiries the institution held at once, replaying the log of moves in
    the order they were written (an answer is written before its slot is freed)."""
    with app.app_context():
        moves = db.session.execute(
            select(InquiryTransition.from_status, InquiryTransition.to_status)
            .join(InstitutionInquiry, InstitutionInquiry.id == InquiryTransition.inquiry_id)
            .where(InstitutionInquiry.institution == institution)
            .order_by(InquiryTransition.id)).all()
        db.session.rollback()
    held = most = 0
    for from_status, to_status in moves:
        held += (to_status == "SENT") - (from_status == "SENT")
        most = max(most, held)
    return most


def test_an_institution_never_holds_more_than_its_limit_and_others_do_not_wait(
        app, client, demo_citizens, login_as, institutions):
    app.config["INQUIRY_LIMITS"] = {"VCB": (2, None)}
    institutions.latency_seconds = 0.3
    at_vcb = holders_at(demo_citizens, "VCB")
    assert len(at_vcb) >= 3  # more than the limit: one of them must wait for a slot
    elsewhere = holders_at(demo_citizens, "MB")[:1]
    submitted = submit_all(client, login_as, at_vcb + elsewhere)
    for tokens, link_id in submitted:
        assert settled(client, tokens, link_id)["status"] == "ACTIVE"
    assert most_open_at_once(app, "VCB") == 2
    with app.app_context():
        # Every request was asked once; MB's, submitted last, went out before VCB's line
        # had drained: it did not wait behind another bank's requests.
        assert db.session.scalar(select(func.count()).select_from(InstitutionInquiry)) == len(
            submitted)
        sends = db.session.execute(
            select(InstitutionInquiry.institution, InquiryTransition.id)
            .join(InquiryTransition, InquiryTransition.inquiry_id == InstitutionInquiry.id)
            .where(InquiryTransition.to_status == "SENT").order_by(InquiryTransition.id)).all()
        db.session.rollback()
    assert sends[-1].institution == "VCB"
    assert max(send.id for send in sends if send.institution == "MB") < sends[-1].id


def test_stopping_the_worker_mid_burst_loses_no_request(app, client, demo_citizens, login_as,
                                                        institutions):
    app.config["INQUIRY_LIMITS"] = {"VCB": (1, None)}
    institutions.latency_seconds = 1.0
    queue = app.extensions["tasks"]
    submitted = submit_all(client, login_as, holders_at(demo_citizens, "VCB"))

    def lines() -> dict[str, int]:
        with app.app_context():
            found = dict(db.session.execute(
                select(InstitutionInquiry.status, func.count())
                .group_by(InstitutionInquiry.status)).all())
            db.session.rollback()
        return found

    wait_for(lines, lambda found: found.get("SENT") == 1 and found.get("WAITING", 0) >= 1)
    queue.stop_consumer()  # a worker stopped with one inquiry at the bank and others waiting
    try:
        assert lines().get("WAITING", 0) >= 1
    finally:
        queue.start_consumer()  # a new one takes over what is stored
    for tokens, link_id in submitted:
        assert settled(client, tokens, link_id)["status"] == "ACTIVE"
    assert lines() == {"ANSWERED": len(submitted)}


def test_the_breaker_opens_after_failures_in_a_row_then_lets_one_probe_through(
        app, client, demo_citizens, login_as, institutions, clock):
    app.config["INQUIRY_LIMITS"] = {"VCB": (1, None)}
    breaker = app.config["INQUIRY_BREAKER_FAILURES"]
    institutions.fail_next(*["error"] * breaker)
    people = holders_at(demo_citizens, "VCB")
    first_tokens, first = submit_all(client, login_as, people[:1])[0]
    # Each refused inquiry is asked again at once, up to its attempts; the others'
    # inquiries fail too until the breaker opens.
    wait_for(lambda: _failures(app), lambda failed: failed >= app.config["INQUIRY_ATTEMPTS"])
    rest = submit_all(client, login_as, people[1:])
    wait_for(lambda: _failures(app), lambda failed: failed == breaker)
    with app.app_context():
        line = db.session.execute(select(InstitutionInquiry.status, func.count())
                                  .group_by(InstitutionInquiry.status)).all()
        db.session.rollback()
    assert dict(line).get("WAITING", 0) >= 1  # held back while the breaker is open

    # Before the cool-down nothing goes; after it, one probe, and its answer closes it.
    with app.app_context():
        assert inquiries.dispatch("VCB", utcnow()) == 0
    clock.shift(app.config["INQUIRY_BREAKER_COOL_DOWN"] / timedelta(seconds=1) + 1)
    with app.app_context():
        inquiries.sweep(utcnow())
    for tokens, link_id in rest:
        assert settled(client, tokens, link_id)["status"] == "ACTIVE"
    assert _failures(app) == breaker
    assert settled(client, first_tokens, first)["status"] == "NEEDS_REVIEW"


def _failures(app) -> int:
    with app.app_context():
        failed = db.session.scalar(select(func.count()).select_from(InstitutionInquiry).where(
            InstitutionInquiry.status == "FAILED"))
        db.session.rollback()
    return failed


def test_metrics_show_each_line_and_how_long_its_answers_take(app, client, demo_citizens,
                                                              login_as, institutions):
    app.config["INQUIRY_LIMITS"] = {"VCB": (1, None)}
    institutions.latency_seconds = 0.5
    submitted = submit_all(client, login_as, holders_at(demo_citizens, "VCB")[:3])

    def waiting_at_vcb() -> float:
        families = metric_families(client.get("/metrics").get_data(as_text=True))
        return sum(sample.value for sample in families["ssa_institution_inquiries_waiting"]
                   .samples if sample.labels["institution"] == "VCB")

    wait_for(waiting_at_vcb, lambda waiting: waiting >= 1)  # one at the bank, others in line
    for tokens, link_id in submitted:
        assert settled(client, tokens, link_id)["status"] == "ACTIVE"
    assert waiting_at_vcb() == 0
    families = metric_families(client.get("/metrics").get_data(as_text=True))
    vcb = {(sample.name, sample.labels.get("le")): sample.value
           for sample in families["ssa_institution_answer_seconds"].samples
           if sample.labels["institution"] == "VCB"}
    assert vcb[("ssa_institution_answer_seconds_count", None)] == 3
    assert vcb[("ssa_institution_answer_seconds_bucket", "+Inf")] == 3
    assert vcb[("ssa_institution_answer_seconds_bucket", "5.0")] == 3  # 0.5 s each
    assert vcb[("ssa_institution_answer_seconds_bucket", "1.0")] <= 3
    assert vcb[("ssa_institution_answer_seconds_sum", None)] >= 3 * 0.4


def metric_families(text: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(text)}


def test_the_citizen_sees_which_check_waits_and_how_long_it_usually_takes(
        app, client, demo_citizens, login_as, institutions):
    app.config["INQUIRY_LIMITS"] = {"VCB": (1, None)}
    institutions.latency_seconds = 1.0
    (first_tokens, first), (tokens, second) = submit_all(
        client, login_as, holders_at(demo_citizens, "VCB")[:2])
    headers = bearer(tokens["access_token"])
    queued = wait_for(lambda: client.get(f"{LINKS}/{second}", headers=headers),
                      lambda answer: answer.json["status"] == "VERIFYING"
                      and answer.json["waiting_for"] is not None)
    waiting = queued.json["waiting_for"]
    assert waiting["check"] == "institution_answer" and waiting["institution"] == "VCB"
    assert waiting["queued"] is True  # behind the first request in VCB's line
    assert waiting["typical_seconds"] == app.config["INQUIRY_TYPICAL_SECONDS"]
    # Polling stays cheap, and the ETag changes when the inquiry reaches the bank.
    etag = queued.headers["ETag"]
    assert client.get(f"{LINKS}/{second}", headers={**headers, "If-None-Match": etag}
                      ).status_code == 304
    sent = wait_for(lambda: client.get(f"{LINKS}/{second}",
                                       headers={**headers, "If-None-Match": etag}),
                    lambda answer: answer.status_code == 200)
    assert sent.json["waiting_for"]["queued"] is False
    assert settled(client, tokens, second)["waiting_for"] is None
    assert settled(client, first_tokens, first)["status"] == "ACTIVE"
