"""The citizen's hot reads: sessions ended on one worker end on every worker at
the next request, and a payment list polled with its ETag never answers
"unchanged" after a change."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text, update

from backend import db
from backend.api.payment_schemas import PaymentSchema
from backend.app import create_app
from backend.models import EidAccount, Payment
from tests.conftest import bearer, make_config, totp_code
from tests.linking_helpers import LINKS, request_link, settled
from tests.payment_helpers import (
    REQUESTS,
    approve_and_dispatch,
    build_requests,
    claim,
    payroll_csv,
    upload,
)
from tests.test_payment_results import (  # noqa: F401 - fixtures, asked for by name
    closed_after_linking,
    fail_one_payment,
    linked_citizen,
)

PAYMENTS = "/api/v1/me/payments"
ME = "/api/v1/me"
NOTIFICATIONS = "/api/v1/me/notifications"
SSA = "/api/v1/me/social-security-account"


def _redis_url() -> str | None:
    url = os.environ.get("SSA_SESSION_STORE_URL") or "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - no Redis here: that variant is skipped
        return None
    return url


@pytest.fixture(params=["without_redis", "redis"])
def two_workers(request, app, database_url, clean_db):
    """Two apps on the same database (and Redis), as two gunicorn workers would be."""
    store = ""
    if request.param == "redis":
        store = _redis_url() or ""
        if not store:
            pytest.skip("no Redis reachable")
    prefix = f"{app.config['SESSION_STORE_PREFIX']}-{request.param}"
    workers = [create_app(make_config(Path(app.instance_path), database_url,
                                      SSA_SESSION_STORE_URL=store,
                                      SSA_SESSION_STORE_PREFIX=prefix))
               for _ in range(2)]
    yield [worker.test_client() for worker in workers]
    for worker in workers:
        worker.extensions["db_engine"].dispose()


def sign_in(worker, person: dict, clock) -> dict:
    started = worker.post("/api/v1/auth/login", json={
        "personal_id": person["personal_id"], "password": person["password"]})
    finished = worker.post("/api/v1/auth/otp", json={
        "challenge_id": started.json["challenge_id"], "code": totp_code(person)})
    assert finished.status_code == 200, finished.json
    clock.shift(30)
    return finished.json


def test_logout_on_one_worker_ends_the_session_on_the_other(two_workers, citizen, clock):
    first, second = two_workers
    tokens = sign_in(first, citizen("plain"), clock)
    headers = bearer(tokens["access_token"])
    tag = second.get(PAYMENTS, headers=headers).headers["ETag"]
    # Each hot read checks the session in its own statement; the rest ask the store.
    reads = [(PAYMENTS, {}), (PAYMENTS, {"If-None-Match": tag}), (ME, {}), (NOTIFICATIONS, {}),
             (f"{NOTIFICATIONS}?page=5", {}), (f"{LINKS}/1", {"If-None-Match": '"1"'}),
             (SSA, {}), (LINKS, {})]
    assert [second.get(path, headers={**headers, **extra}).status_code
            for path, extra in reads] == [200, 304, 200, 200, 200, 404, 200, 200]
    assert first.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert [second.get(path, headers={**headers, **extra}).status_code
            for path, extra in reads] == [401] * len(reads)
    assert second.post("/api/v1/auth/refresh",
                       headers=bearer(tokens["refresh_token"])).status_code == 401


def test_a_session_ended_elsewhere_ends_on_every_worker(two_workers, citizen, clock):
    first, second = two_workers
    tokens = sign_in(first, citizen("plain"), clock)
    refreshed = first.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert refreshed.status_code == 200
    # The old refresh token again: someone copied it, so the session is killed.
    assert first.post("/api/v1/auth/refresh",
                      headers=bearer(tokens["refresh_token"])).status_code == 401
    assert second.get(PAYMENTS,
                      headers=bearer(refreshed.json["access_token"])).status_code == 401


def test_a_locked_account_is_signed_out_on_every_worker(two_workers, citizen, clock):
    first, second = two_workers
    person, bystander = citizen("plain", 0), citizen("plain", 1)
    headers = bearer(sign_in(first, person, clock)["access_token"])
    other = bearer(sign_in(first, bystander, clock)["access_token"])
    # A ceiling of 6 instead of NIST's 100, so the test need not wait out 95 back-offs.
    first.application.config["LOCKOUT_HARD_LIMIT"] = 6

    def guess() -> None:
        first.post("/api/v1/auth/login", json={"personal_id": person["personal_id"],
                                               "password": "wrong"})
    for _ in range(5):
        guess()
    # A back-off from strangers' guesses signs nobody out.
    assert second.get(ME, headers=headers).status_code == 200
    clock.shift(61)
    guess()  # the ceiling: locked until staff lift it
    assert second.get(ME, headers=headers).status_code == 401
    assert second.get(ME, headers=other).status_code == 200  # nobody else's session


def test_a_redis_that_lost_its_keys_still_knows_ended_sessions(two_workers, app, citizen,
                                                               clock, request):
    if "redis" not in request.node.callspec.id.split("-"):
        pytest.skip("only the Redis store can lose its keys")
    first, second = two_workers
    ended = bearer(sign_in(first, citizen("plain", 0), clock)["access_token"])
    live = bearer(sign_in(first, citizen("plain", 1), clock)["access_token"])
    first.post("/api/v1/auth/logout", headers=ended)
    store = second.application.extensions["session_revocations"]
    for key in store.redis.scan_iter(match=f"{store.ready_key.split(':')[0]}:*"):
        store.redis.delete(key)  # as a Redis restarted without persistence
    assert second.get(ME, headers=ended).status_code == 401
    assert second.get(ME, headers=ended).status_code == 401  # now from the refilled keys
    assert second.get(ME, headers=live).status_code == 200


def test_a_session_ended_straight_in_the_database_ends(two_workers, database_url, citizen,
                                                       clock, request):
    """An operator or another process ending sessions in SQL (the table is the truth)."""
    if "redis" in request.node.callspec.id.split("-"):
        pytest.skip("with Redis, sessions are ended through the service only")
    first, second = two_workers
    headers = bearer(sign_in(first, citizen("plain"), clock)["access_token"])
    assert [second.get(path, headers=headers).status_code for path in (ME, LINKS)] == [200] * 2
    outside = create_engine(database_url)
    with outside.begin() as connection:
        connection.execute(text("UPDATE auth_sessions SET revoked_at = created_at, "
                                "revoked_reason = 'operator'"))
    outside.dispose()
    # A hot read sees it in its statement; the rest through the store (on SQLite,
    # the in-memory copy read again because the file's data_version changed).
    assert [second.get(path, headers=headers).status_code for path in (ME, LINKS)] == [401] * 2


class Poller:
    """The app polling the payment list with the ETag of its last answer."""

    def __init__(self, client, headers):
        self.client, self.headers = client, headers
        first = client.get(PAYMENTS, headers=headers)
        assert first.status_code == 200
        self.tag, self.body = first.headers["ETag"], first.json

    def sees_a_change(self) -> dict:
        answer = self.client.get(PAYMENTS, headers={**self.headers, "If-None-Match": self.tag})
        assert answer.status_code == 200, "a changed payment was answered as unchanged"
        assert answer.headers["ETag"] != self.tag
        self.tag, self.body = answer.headers["ETag"], answer.json
        again = self.client.get(PAYMENTS, headers={**self.headers, "If-None-Match": self.tag})
        assert again.status_code == 304 and again.get_data() == b""
        return self.body

    def statuses(self) -> list[str]:
        return sorted(item["status"] for item in self.body["items"])


def test_every_kind_of_payment_change_shows_on_the_next_poll(app, client, citizen, login_as,
                                                             staff_login):
    person = citizen("plain")
    poller = Poller(client, bearer(login_as(person)["access_token"]))
    officer, treasurer = staff_login("payroll1"), staff_login("treasury1")
    upload(client, officer, payroll_csv([claim(person, province="079")]))
    poller.sees_a_change()
    assert poller.statuses() == ["PLANNED"]
    [payment_request] = build_requests(client, officer)
    poller.sees_a_change()
    assert poller.statuses() == ["REQUESTED"]
    client.post(f"{REQUESTS}/{payment_request['id']}/approve", headers=treasurer)
    poller.sees_a_change()
    assert poller.statuses() == ["CASH_READY"]
    payment_id = poller.body["items"][0]["id"]
    handed = client.post(f"/api/v1/staff/payments/{payment_id}/cash-paid", headers=officer,
                         json={"agent_id": "VNPOST-079-Q1", "code": totp_code(person)})
    assert handed.status_code == 200, handed.json
    poller.sees_a_change()
    assert poller.statuses() == ["PAID"]
    assert poller.body["totals_by_year"] == [{"year": 2026, "paid_count": 1,
                                              "paid_vnd": 1_500_000}]
    with app.app_context():  # any column, changed by any code, in any way
        db.session.execute(update(Payment).where(Payment.id == payment_id)
                           .values(destination_institution="VCB"))
        db.session.commit()
    assert poller.sees_a_change()["items"][0]["destination"]["institution"] == "VCB"
    for change in ("destination_institution = 'BIDV'",  # SQL that knows no revisions
                   "destination_institution = 'TCB', revision = 1"):  # or sets one back
        with app.app_context():
            db.session.execute(text(f"UPDATE payments SET {change} WHERE id = :id"),
                               {"id": payment_id})
            db.session.commit()
        assert poller.sees_a_change()["items"][0]["destination"]["institution"] in change


def test_a_change_committed_late_still_shows(app, client, citizen, login_as, staff_login,
                                            database_url):
    """Two changes to one citizen's payments, the first begun committed last: a version
    taken from the newest change alone would hide it behind the other."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer: the second change waits for the first")
    person = citizen("plain")
    poller = Poller(client, bearer(login_as(person)["access_token"]))
    upload(client, staff_login("payroll1"), payroll_csv(
        [claim(person, period=period) for period in ("2026-09", "2026-10")]))
    poller.sees_a_change()
    first, second = sorted(item["id"] for item in poller.body["items"])
    outside = create_engine(database_url)
    try:
        with outside.connect() as early, outside.connect() as late:
            early.execute(text("UPDATE payments SET destination_institution = 'VCB'"
                               " WHERE id = :id"), {"id": first})
            late.execute(text("SET lock_timeout = '5s'"))
            late.execute(text("UPDATE payments SET destination_institution = 'BIDV'"
                              " WHERE id = :id"), {"id": second})
            late.commit()
            poller.sees_a_change()
            early.commit()
    finally:
        outside.dispose()
    assert {item["destination"]["institution"] for item in poller.sees_a_change()["items"]} \
        == {"VCB", "BIDV"}


def test_bank_results_and_reissues_show_on_the_next_poll(app, client, staff_login, request):
    person, headers = request.getfixturevalue("closed_after_linking")
    poller = Poller(client, headers)
    failed = fail_one_payment(app, client, staff_login, person, headers)
    poller.sees_a_change()
    assert poller.statuses() == ["FAILED"] and failed["failure_reason"] == "AC04"
    build_requests(client, staff_login("payroll1"), "2026-10")  # the reissue, in cash
    poller.sees_a_change()
    assert poller.statuses() == ["REISSUED", "REQUESTED"]


def test_the_page_is_what_the_payment_schema_describes(app, client, staff_login, request):
    person, headers = request.getfixturevalue("linked_citizen")
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([
        claim(person, period, programme=programme, province="079")
        for period in ("2026-08", "2026-09", "2026-10")
        for programme in ("social_allowance", "poor_household")]))
    for period in ("2026-08", "2026-09"):
        approve_and_dispatch(app, client, staff_login("treasury1"),
                             [request["id"] for request in build_requests(client, officer,
                                                                          period)])
    for language in ("vi", "en"):
        answer = client.get(f"{PAYMENTS}?page=2&page_size=4",
                            headers={**headers, "Accept-Language": language}).json
        with app.test_request_context(headers={"Accept-Language": language}):
            citizen_id = db.session.scalar(select(EidAccount.id).where(
                EidAccount.personal_id == person["personal_id"]))
            assert citizen_id is not None
            payments = db.session.scalars(
                select(Payment).where(Payment.personal_id == person["personal_id"])
                .order_by(Payment.period.desc(), Payment.id.desc())).all()
            expected = PaymentSchema(many=True).dump(payments[4:8])
        assert answer["items"] == expected
        assert (answer["total"], answer["page"], answer["page_size"]) == (6, 2, 4)
        assert answer["totals_by_year"] == [{"year": 2026, "paid_count": 4,
                                             "paid_vnd": 4 * 1_500_000}]
    beyond = client.get(f"{PAYMENTS}?page=9", headers=headers).json
    assert (beyond["items"], beyond["total"]) == ([], 6)



def test_a_link_request_polled_while_it_verifies(app, client, citizen, login_as, clock):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    headers = bearer(tokens["access_token"])
    submitted = request_link(client, person, tokens).json
    path = f"{LINKS}/{submitted['id']}"
    final = settled(client, tokens, submitted["id"])
    first = client.get(path, headers=headers)
    assert first.json == final and first.json["status"] == "ACTIVE"
    unchanged = client.get(path, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    clock.shift(30)  # a fresh code for the step-up
    cancelled = client.post(f"{path}/unlink", headers={**headers, "X-OTP": totp_code(person)})
    assert cancelled.status_code == 200, cancelled.json
    changed = client.get(path, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.json["status"] == "UNLINKED"
    stranger = bearer(login_as(citizen("plain"))["access_token"])
    for extra in ({}, {"If-None-Match": changed.headers["ETag"]}):
        assert client.get(path, headers={**stranger, **extra}).status_code == 404


def test_notifications_on_first_visit_and_past_the_last_page(client, citizen, login_as):
    headers = bearer(login_as(citizen("plain"))["access_token"])
    first = client.get(NOTIFICATIONS, headers=headers).json
    assert [item["kind"] for item in first["items"]] == ["ACCOUNT_CREATED"]
    assert first["total"] == 1 and first["items"][0]["title"]
    beyond = client.get(f"{NOTIFICATIONS}?page=3", headers=headers).json
    assert (beyond["items"], beyond["total"], beyond["page"]) == ([], 1, 3)
    me = client.get(ME, headers=headers).json
    assert me["personal_id"] == citizen("plain")["personal_id"]
    assert me["ial"] == 2 and me["phone_masked"].startswith("•")


def test_a_read_survives_the_database_dropping_its_connection(app, database_url, clean_db,
                                                              citizen, clock):
    """No ping before each checkout: a connection the server dropped (a restart, a
    failover) fails its first statement, and the read tries once more on a fresh one."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to drop a connection")
    worker = create_app(make_config(Path(app.instance_path), database_url))
    try:
        client = worker.test_client()
        headers = bearer(sign_in(client, citizen("plain"), clock)["access_token"])
        assert client.get(PAYMENTS, headers=headers).status_code == 200
        with worker.app_context():
            [(pid,)] = db.read_rows(text("SELECT pg_backend_pid()"))
        outside = create_engine(database_url)
        with outside.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        outside.dispose()
        assert client.get(PAYMENTS, headers=headers).status_code == 200
    finally:
        worker.extensions["db_engine"].dispose()


def test_an_unreachable_session_store_falls_back_to_the_table(app, database_url, clean_db,
                                                              citizen, clock):
    worker = create_app(make_config(Path(app.instance_path), database_url,
                                    SSA_SESSION_STORE_URL="redis://127.0.0.1:1/0"))
    try:
        client = worker.test_client()
        headers = bearer(sign_in(client, citizen("plain"), clock)["access_token"])
        assert client.get(SSA, headers=headers).status_code == 200
        # Ending a session needs the store: it fails whole, and the session stays live.
        assert client.post("/api/v1/auth/logout", headers=headers).status_code == 500
        assert client.get(LINKS, headers=headers).status_code == 200
        with worker.app_context():  # ended by other means: the table still says so
            db.session.execute(text("UPDATE auth_sessions SET revoked_at = created_at"))
            db.session.commit()
        assert client.get(LINKS, headers=headers).status_code == 401
        # Password guessing is still held off, though the sessions cannot be told.
        guessed = citizen("plain", 1)
        sign_in(client, guessed, clock)  # a session a lock for good would end
        worker.config["LOCKOUT_HARD_LIMIT"] = 6
        for attempt in range(6):
            if attempt == 5:
                clock.shift(61)
            client.post("/api/v1/auth/login", json={"personal_id": guessed["personal_id"],
                                                    "password": "wrong"})
        locked = client.post("/api/v1/auth/login", json={
            "personal_id": guessed["personal_id"], "password": guessed["password"]})
        assert locked.status_code == 423
    finally:
        worker.extensions["db_engine"].dispose()
