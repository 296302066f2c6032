"""The service as it is deployed: `ssa serve --workers 2` (gunicorn) and `ssa worker`
as real processes on a throwaway PostgreSQL database and Redis.

A citizen signs in, links an account and sees the worker process make it ACTIVE; a
rate limit reached on one web worker holds on the other, and a logout on one is
honoured by the other.

To reach a chosen worker, the test holds a request half-sent: a sync worker that
has accepted a connection waits for the rest of its headers and accepts nothing
else, so every other connection meanwhile goes to the other worker. Only when
the headers are complete does the app see the request; sent then, it runs on the
held worker after the other worker's work is done. Which worker (pid) answered
each request is read from the JSON access lines, by the request id the test sent.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from backend import db, schema
from backend.app import create_app
from backend.config import REPO_ROOT
from backend.services.demo import seed
from tests.conftest import FIXTURES, make_config
from tests.databases import server_url, throwaway_database
from tests.demo_server import free_port
from tests.linking_helpers import link_body

REDIS_URL = os.environ.get("SSA_TASK_QUEUE_URL", "")
pytestmark = pytest.mark.skipif(
    not (server_url() and REDIS_URL.startswith("redis")),
    reason="the deployed shape needs PostgreSQL (DATABASE_URL=postgresql+psycopg://…) and "
           "Redis (SSA_TASK_QUEUE_URL=redis://…); CI's PostgreSQL + Redis pass runs it")

SSA = Path(sys.executable).parent / "ssa"
LOGIN_LIMIT = 3
UNKNOWN_ID = "079190000001"  # no eID account: failures lock nobody out
TOTP_STEP = 30


class Process:
    """A process of the service, its JSON log lines collected as they come."""

    def __init__(self, *arguments: str, environ: dict[str, str]):
        self.popen = subprocess.Popen([str(SSA), *arguments], env=environ, cwd=REPO_ROOT,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      text=True)
        self.lines: list[dict] = []
        self.raw: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stderr is not None
        for line in self.popen.stderr:
            self.raw.append(line)
            # Not every line is a log line (a library may print to standard error).
            with contextlib.suppress(ValueError):
                self.lines.append(json.loads(line))

    def line(self, timeout: float = 10, **fields) -> dict:
        """The first log line holding `fields`, waiting for it to be written."""
        deadline = time.monotonic() + timeout
        while True:
            for line in list(self.lines):
                if all(line.get(name) == value for name, value in fields.items()):
                    return line
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no log line with {fields}:\n{''.join(self.raw[-40:])}")
            time.sleep(0.05)

    def stop(self) -> None:
        # By its own PID: gunicorn's master stops its workers gracefully on SIGTERM.
        self.popen.terminate()
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)


class Service:
    def __init__(self, url: str, web: Process, worker: Process):
        self.url, self.web, self.worker = url, web, worker

    def call(self, method: str, path: str, client: str, token: str | None = None,
             **kwargs) -> tuple[requests.Response, int]:
        """One request on a connection of its own, from `client` (the trusted proxy's
        X-Forwarded-For); returns the answer and the pid of the worker that served it."""
        request_id = uuid.uuid4().hex
        headers = {"X-Request-ID": request_id, "X-Forwarded-For": client,
                   "Connection": "close", **kwargs.pop("headers", {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        answer = requests.request(method, self.url + path, headers=headers, timeout=20,
                                  **kwargs)
        return answer, self.pid_of(request_id)

    def pid_of(self, request_id: str) -> int:
        return self.web.line(logger="backend.access", request_id=request_id)["pid"]

    def hold(self, method: str, path: str, client: str, token: str | None = None,
             body: dict | None = None) -> HeldRequest:
        return HeldRequest(self, method, path, client, token, body)


class HeldRequest:
    """A request sent but for the end of its headers: the worker that accepted it is
    taken until `release`."""

    def __init__(self, service: Service, method: str, path: str, client: str,
                 token: str | None, body: dict | None):
        self.service = service
        self.request_id = uuid.uuid4().hex
        self.body = json.dumps(body).encode() if body is not None else b""
        host, port = service.url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=20)
        head = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close",
                f"X-Request-ID: {self.request_id}", f"X-Forwarded-For: {client}",
                "Content-Type: application/json", f"Content-Length: {len(self.body)}"]
        if token:
            head.append(f"Authorization: Bearer {token}")
        self.sock.sendall(("\r\n".join(head) + "\r\n").encode())

    def release(self) -> tuple[int, dict, int]:
        """Finish the request; its status, JSON body and the pid that served it."""
        self.sock.sendall(b"\r\n" + self.body)
        received = b""
        while chunk := self.sock.recv(65536):
            received += chunk
        self.sock.close()
        head, _, body = received.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        return status, json.loads(body) if body else {}, self.service.pid_of(self.request_id)


def code_of(person: dict, at: datetime) -> str:
    return pyotp.TOTP(person["totp_secret"]).at(at)


def wait_for_a_fresh_step() -> None:
    """Sign-in takes the previous step's code and the link the current one; neither
    may cross a step boundary on the way."""
    if time.time() % TOTP_STEP > TOTP_STEP - 3:
        time.sleep(TOTP_STEP - time.time() % TOTP_STEP + 0.2)


def address() -> str:
    """A client address of this run's own (documentation range), so that runs sharing
    one Redis never share a rate-limit count."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


@pytest.fixture
def clock():
    """Real time here, not the suite's travelled clock: the one-time codes are checked by
    other processes, on this machine's clock."""


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    instance = tmp_path_factory.mktemp("deployed")
    with throwaway_database(instance, "deployed") as database_url:
        schema.upgrade(database_url)
        seeding = create_app(make_config(instance, database_url))
        with seeding.app_context():
            seed.load(FIXTURES, db.utcnow())
        seeding.extensions["db_engine"].dispose()

        environ = {**os.environ, "DATABASE_URL": database_url, "SSA_INSTANCE_PATH": str(instance),
                   "SSA_ENV": "development", "SSA_TASK_QUEUE_URL": REDIS_URL,
                   "SSA_TASK_QUEUE_NAME": f"ssa-deployed-{uuid.uuid4().hex[:8]}",
                   "SSA_RATELIMIT_ENABLED": "true", "SSA_RATELIMIT_STORAGE_URI": REDIS_URL,
                   # Sessions ended on one worker reach the other through Redis, as in
                   # production; a prefix of this run's own keeps parallel runs apart.
                   "SSA_SESSION_STORE_URL": REDIS_URL,
                   "SSA_SESSION_STORE_PREFIX": f"ssa-deployed-{uuid.uuid4().hex[:8]}",
                   "SSA_LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
                   "SSA_TRUSTED_PROXY_HOPS": "1", "SSA_TASK_RETRY_DELAY": "1",
                   "SSA_ARGON2_TIME_COST": "1", "SSA_ARGON2_MEMORY_COST": "8",
                   "SSA_ARGON2_PARALLELISM": "1", "SSA_WEB_TIMEOUT": "60"}
        environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        port = free_port()
        web = Process("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
                      environ=environ)
        worker = Process("worker", "--workers", "2", environ=environ)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_ready(url, web)
            yield Service(url, web, worker)
        finally:
            web.stop()
            worker.stop()


def _wait_until_ready(url: str, web: Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or a worker still importing the app
        if web.popen.poll() is not None or time.monotonic() > deadline:
            raise AssertionError("ssa serve did not become ready:\n" + "".join(web.raw[-40:]))
        time.sleep(0.3)


def test_two_web_workers_and_a_task_worker_serve_one_citizen(service, citizen):
    person = citizen("clean_bank_link")
    client = address()
    wait_for_a_fresh_step()
    now = datetime.now(UTC)
    started, _ = service.call("POST", "/api/v1/auth/login", client, json={
        "personal_id": person["personal_id"], "password": person["password"]})
    assert started.status_code == 200, started.text
    signed_in, _ = service.call("POST", "/api/v1/auth/otp", client, json={
        "challenge_id": started.json()["challenge_id"],
        "code": code_of(person, now - timedelta(seconds=TOTP_STEP))})
    assert signed_in.status_code == 200, signed_in.text
    token = signed_in.json()["access_token"]

    submitted, _ = service.call(
        "POST", "/api/v1/me/payout-links", client, token, json=link_body(person),
        headers={"X-OTP": code_of(person, now), "Idempotency-Key": uuid.uuid4().hex})
    assert submitted.status_code == 202, submitted.text
    link_id = submitted.json()["id"]
    deadline = time.monotonic() + 20
    while (status := service.call("GET", f"/api/v1/me/payout-links/{link_id}", client, token
                                  )[0].json()["status"]) in ("SUBMITTED", "VERIFYING"):
        assert time.monotonic() < deadline, "the worker process did not verify the link"
        time.sleep(0.2)
    assert status == "ACTIVE"
    # The task worker's lines carry the id of the request that queued the task.
    verified = service.worker.line(logger="backend.tasks", message="task verify_link done",
                                   request_id=submitted.headers["X-Request-ID"])
    assert verified["pid"] == service.worker.popen.pid

    # A logout served by one web worker ends the session on the other: for a read that
    # checks the session in its own statement (/me) ...
    on_other_worker = service.hold("GET", "/api/v1/me", client, token)
    logged_out, logout_pid = service.call("POST", "/api/v1/auth/logout", client, token)
    assert logged_out.status_code == 204
    status, body, me_pid = on_other_worker.release()
    assert me_pid != logout_pid, "the held request and the logout met different workers"
    assert (status, body["code"]) == (401, "UNAUTHENTICATED")
    # ... and for one that asks the session store (Redis): two held requests take both
    # workers, so one of them is the worker that did not serve the logout.
    on_both = [service.hold("GET", "/api/v1/me/payout-links", client, token) for _ in "ab"]
    answers = [held.release() for held in on_both]
    assert {pid for _, _, pid in answers} == {me_pid, logout_pid}
    assert [(status, body["code"]) for status, body, _ in answers] == [
        (401, "UNAUTHENTICATED")] * 2


def test_a_rate_limit_reached_on_one_worker_holds_on_the_other(service):
    client = address()
    attempt = {"personal_id": UNKNOWN_ID, "password": "guess"}
    on_other_worker = service.hold("POST", "/api/v1/auth/login", client, body=attempt)
    served_by = set()
    for _ in range(LOGIN_LIMIT):
        answer, pid = service.call("POST", "/api/v1/auth/login", client, json=attempt)
        assert answer.json()["code"] == "INVALID_CREDENTIALS"
        served_by.add(pid)
    status, body, held_pid = on_other_worker.release()
    assert held_pid not in served_by and len(served_by) == 1, \
        "the limit was reached on one worker and tried on the other"
    assert (status, body["code"]) == (429, "RATE_LIMITED")

    # Each worker counted its own answers; a scrape of either adds both up.
    scrape = requests.get(f"{service.url}/metrics", timeout=10)
    families = {family.name: family for family in
                text_string_to_metric_families(scrape.text)}
    answered = {sample.labels["status"]: sample.value
                for sample in families["ssa_http_requests"].samples
                if sample.name == "ssa_http_requests_total"
                and sample.labels["route"] == "/api/v1/auth/login"}
    assert answered["401"] >= LOGIN_LIMIT and answered["429"] >= 1
    assert "ssa_task_queue_pending" in families


def test_a_graceful_reload_starts_new_workers_on_the_same_socket(service):
    def logged(prefix: str) -> set[int]:
        return {line["pid"] for line in list(service.web.lines)
                if line.get("message", "").startswith(prefix)}

    old = logged("Booting worker")
    # What `systemctl reload ssa-web` sends to the master (this process, after its exec).
    service.web.popen.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    while len(logged("Booting worker") - old) < 2 or not old <= logged("Worker exiting"):
        assert time.monotonic() < deadline, "the workers were not replaced"
        time.sleep(0.1)
    answer, pid = service.call("GET", "/api/v1/institutions", address())
    assert answer.status_code == 200 and pid in logged("Booting worker") - old
