"""Fixtures: one migrated and seeded database per session, cleaned per test."""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
import time_machine
from flask import request, request_finished
from sqlalchemy import delete, select, text, update
from werkzeug.serving import make_server

from backend import db, schema
from backend.app import create_app
from backend.config import REPO_ROOT, Config
from backend.models import EidAccount, StaffAccount
from backend.services.demo import links, seed
from tests.databases import throwaway_database

FIXTURES = REPO_ROOT / "fixtures"
# Loaded once per session; tests that change them put them back.
REFERENCE_TABLES = {"institutions", "programmes", "sim_population_register",
                    "sim_beneficiary_register", "sim_institution_accounts"}
START = datetime(2026, 11, 23, 8, 0, 0, tzinfo=UTC)
DATA_EXPORT = "/api/v1/me/data-export"


class TestConfig(Config):
    TESTING = True
    PROPAGATE_EXCEPTIONS = False


def make_config(instance: Path, database_url: str, **overrides: str) -> TestConfig:
    environ = {**os.environ, "DATABASE_URL": database_url,
               # Cheap hashing keeps the suite fast; production cost is the default.
               "SSA_ARGON2_TIME_COST": "1", "SSA_ARGON2_MEMORY_COST": "8",
               "SSA_ARGON2_PARALLELISM": "1", "SSA_RATELIMIT_ENABLED": "false",
               "SSA_ENV": "development",
               # Its own queue per run, so parallel runs on one Redis never meet.
               "SSA_TASK_QUEUE_NAME": f"ssa-test-{uuid.uuid4().hex[:8]}",
               "SSA_SESSION_STORE_PREFIX": f"ssa-test-{uuid.uuid4().hex[:8]}",
               "SSA_TASK_RETRIES": "3", "SSA_TASK_RETRY_DELAY": "0", **overrides}
    return TestConfig(environ=environ, instance_path=instance)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with throwaway_database(tmp_path_factory.mktemp("db"), "suite") as url:
        schema.upgrade(url)
        yield url


@pytest.fixture(scope="session")
def app(tmp_path_factory, database_url):
    app = create_app(make_config(tmp_path_factory.mktemp("instance"), database_url))
    with app.app_context():
        seed.load(FIXTURES, START)
    # In-process, or on Redis when SSA_TASK_QUEUE_URL says so: then this thread
    # pool stands in for `ssa worker`.
    app.extensions["tasks"].start_consumer()
    yield app
    app.extensions["tasks"].stop_consumer()
    app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def live_url(app):
    """The session's app, and its seeded database, served over HTTP on a free port
    (for the browser and the phone app)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(autouse=True)
def clock():
    """Time runs from START; a test may jump ahead with `clock.shift(seconds)`."""
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


GUARDS = r"%\_never\_deleted"  # the triggers that refuse a DELETE, by their names


@contextmanager
def records_deletable():
    """Lift, in this transaction only, the database's refusal to delete records of money.

    The service never deletes a payroll, a request, a batch, a payment, a
    social security account or a bank result file (migrations f2b8d4a6c0e3,
    a7c3e9f1d5b2, b9d5f1a3c7e6, c3e7a9d1f5b8); a test's clean-up does.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        guards = db.session.execute(text(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname LIKE :guards"),
            {"guards": GUARDS}).all()
        for table, guard in guards:
            db.session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {guard}"))
        yield
        for table, guard in guards:
            db.session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {guard}"))
        return
    # SQLite cannot switch a trigger off: each is made again from its own text.
    guards = db.session.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        " AND name LIKE :guards ESCAPE '\\'"), {"guards": GUARDS}).all()
    for guard, _created in guards:
        db.session.execute(text(f"DROP TRIGGER {guard}"))
    yield
    for _guard, created in guards:
        db.session.execute(text(created))


@pytest.fixture
def clean_db(app):
    # A worker still busy with the last test's request would meet deleted rows.
    assert app.extensions["tasks"].wait_until_idle(), "the task queue did not settle"
    app.extensions["tasks"].huey.flush()
    with app.app_context():
        people = {EidAccount.__tablename__, StaffAccount.__tablename__}
        with records_deletable():
            for table in reversed(db.Base.metadata.sorted_tables):
                if table.name not in REFERENCE_TABLES | people:
                    db.session.execute(delete(table))
        for model in (EidAccount, StaffAccount):
            db.session.execute(update(model).values(totp_last_step=None))
        # Every demo citizen's passcode as seeded (one hash), whatever a test set.
        seeded = app.extensions.setdefault("seeded_passcode_hash", db.session.scalar(
            select(EidAccount.passcode_hash).where(EidAccount.passcode_hash.isnot(None))
            .limit(1)))
        db.session.execute(update(EidAccount).values(passcode_hash=seeded))
        db.session.commit()
        links.load(FIXTURES, START)
    # Result files the simulated bank dropped for the last test's payments.
    shutil.rmtree(app.config["BANK_RESULTS_DIR"], ignore_errors=True)
    # The audit chain starts again with the tables: so do its checkpoints.
    shutil.rmtree(app.config["AUDIT_CHECKPOINT_DIR"], ignore_errors=True)
    yield


@pytest.fixture
def secrets_restored(app):
    """Recovery replaces a demo citizen's secret; the next test needs the fixture's."""
    with app.app_context():
        kept = dict(db.session.execute(select(EidAccount.id,
                                              EidAccount.totp_secret_encrypted)).all())
    yield
    with app.app_context():
        for citizen in db.session.scalars(select(EidAccount)):
            citizen.totp_secret_encrypted = kept[citizen.id]
        db.session.commit()


@pytest.fixture
def client(app, clean_db):
    return app.test_client()


@pytest.fixture(scope="session")
def demo_citizens() -> list[dict]:
    return json.loads((FIXTURES / "eid_accounts.json").read_text(encoding="utf-8"))


@pytest.fixture
def citizen(demo_citizens):
    """The first demo citizen of a case: `citizen("clean_bank_link")`."""
    def pick(case: str, index: int = 0) -> dict:
        return [person for person in demo_citizens if person["case"] == case][index]
    return pick


def totp_code(person: dict, at: datetime | None = None) -> str:
    """What the citizen's authenticator app shows."""
    return pyotp.TOTP(person["totp_secret"]).at(at or datetime.now(UTC))


@pytest.fixture
def login_as(client, clock):
    """Sign a citizen in through the API; returns the token pair.

    Moves the clock to the next 30-second step afterwards, since a code is
    accepted once only.
    """
    def login(person: dict) -> dict:
        started = client.post("/api/v1/auth/login", json={
            "personal_id": person["personal_id"], "password": person["password"]})
        assert started.status_code == 200, started.json
        finished = client.post("/api/v1/auth/otp", json={
            "challenge_id": started.json["challenge_id"], "code": totp_code(person)})
        assert finished.status_code == 200, finished.json
        clock.shift(30)
        return finished.json
    return login


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def wait_for(read, done, timeout: float = 15.0):
    """Poll `read()` until `done(value)`; the worker answers off the request thread."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value):
            return value
        assert time.monotonic() < deadline, f"still not done after {timeout} s: {value}"
        time.sleep(0.05)


@pytest.fixture(scope="session")
def demo_staff() -> dict[str, dict]:
    staff = json.loads((FIXTURES / "staff_accounts.json").read_text(encoding="utf-8"))
    return {member["username"]: member for member in staff}


@pytest.fixture
def staff_login(client, demo_staff, clock):
    """Sign a staff member in; returns Authorization headers."""
    def login(username: str) -> dict:
        member = demo_staff[username]
        answer = client.post("/api/v1/staff/auth/login", json={
            "username": username, "password": member["password"],
            "otp": totp_code(member)})
        assert answer.status_code == 200, answer.json
        clock.shift(30)
        return bearer(answer.json["access_token"])
    return login


class _Recorder(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(scope="session", autouse=True)
def no_full_account_number_leaves_the_service():
    """Across the whole suite, no response body and no log line holds a full
    account or wallet number (DESIGN.md: shown masked everywhere)."""
    numbers = {account["account_number"] for account in json.loads(
        (FIXTURES / "institution_accounts.json").read_text(encoding="utf-8"))}
    bodies: list[str] = []

    def record_body(sender, response, **_):
        # The one exception DESIGN.md makes: the owner's own data export shows
        # their numbers in full (tests/test_my_data.py checks it holds no one else's).
        if request.path == DATA_EXPORT:
            return
        if not response.direct_passthrough:
            bodies.append(response.get_data(as_text=True))

    recorder = _Recorder()
    recorder.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(recorder)
    root.setLevel(logging.DEBUG)
    request_finished.connect(record_body)
    yield
    request_finished.disconnect(record_body)
    root.removeHandler(recorder)
    root.setLevel(previous_level)
    leaked = {number for number in numbers
              for text in bodies + recorder.lines if number in text}
    assert not leaked, f"full account numbers left the service: {sorted(leaked)[:5]}"


# The app's screens and the console in a browser sit over the API, which the suite
# tests on both databases and every task queue; CI runs these user-interface tests once.
INTERFACE_TESTS = ("tests/mobile/", "tests/console/test_browser.py")


# The API fuzzing takes 20 to 90 s per caller: each caller is a unit of its own
# for the pytest workers, while every other test runs on the worker of its file.
FUZZING_TESTS = "tests/test_fuzzing.py"


# First: xdist's own hook turns the group marks into scheduling units after it.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(INTERFACE_TESTS):
            item.add_marker(pytest.mark.user_interface)
        each_alone = item.nodeid.startswith(FUZZING_TESTS)
        item.add_marker(pytest.mark.xdist_group(
            item.nodeid if each_alone else item.nodeid.split("::")[0]))
