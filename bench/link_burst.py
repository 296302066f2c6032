"""Benchmark: a burst of link requests against institutions that answer in 20-60 s.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE ssa_bench_links"
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/ssa_bench_links \\
    SSA_TASK_QUEUE_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/link_burst.py --requests 10000 --latency 20-60

Builds the schema in the (PostgreSQL) database DATABASE_URL names, loads the
fixtures if it is empty, and makes N new citizens: an eID account with a live
session, a population-register entry and an open bank account in their name,
spread over the fixtures' banks. It serves the service with `ssa serve` (gunicorn)
and consumes the queue with `--worker-processes` `ssa worker`s on Redis (each
a process of its own: the checks are Python, one process uses one core at
most whatever its threads), the simulated banks
answering each inquiry after a random time in `--latency` seconds. `--submitters`
threads POST the N link requests through the HTTP API at once, each with its
citizen's one-time code; then the database is polled until none is pending.

Prints the POST percentiles, the time from the first POST to the last request
settled, the physical limit (submitting + the slowest answer) and its ratio,
and the peak RSS of the web processes (gunicorn and its workers) and of the
workers; `--json` ends with one JSON line. Not a test: numbers go to
bench/RESULTS.md by hand. The machine is shared: run `uptime` beside it.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pyotp
from sqlalchemy import func, insert, select, text

from backend import db, schema
from backend.app import create_app
from backend.config import REPO_ROOT, Config
from backend.models import EidAccount, Institution, PayoutLink, SimInstitutionAccount, SimPerson
from backend.models.statuses import LINK_PENDING
from backend.services.demo import seed
from backend.services.identity import sessions
from backend.services.shared import secret_box

SECRET = pyotp.random_base32()
HOLDER = "NGUYEN VAN BINH"


class BenchConfig(Config):
    # The tokens are made before the burst: on a loaded machine submitting 10,000
    # can take longer than an access token's 15 minutes, and a citizen's app would
    # have refreshed its token meanwhile (the server checks the token's own expiry).
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(hours=1)


def personal_id(run: int, number: int) -> str:
    # Province 0xx, a run prefix so that runs on one database never collide.
    return f"0{number % 63 + 1:02d}9{run:02d}{number:06d}"


def make_citizens(count: int, run: int) -> list[tuple[str, str, str]]:
    """(access token, institution, account number) for `count` new citizens."""
    now = db.utcnow()
    banks = list(db.session.scalars(select(Institution.code).where(Institution.kind == "bank")
                                    .order_by(Institution.code)))
    people = [personal_id(run, number) for number in range(count)]
    accounts = [(pid, banks[number % len(banks)], f"9{run:02d}{number:07d}")
                for number, pid in enumerate(people)]
    secret = secret_box.encrypt(SECRET)
    db.session.execute(insert(SimPerson), [
        {"personal_id": pid, "full_name": "Nguyễn Văn Bình", "date_of_birth": now.date(),
         "sex": "male", "province_code": pid[:3], "alive": True} for pid in people])
    db.session.execute(insert(SimInstitutionAccount), [
        {"institution": bank, "account_number": number, "holder_name": HOLDER,
         "holder_personal_id": pid, "status": "open"} for pid, bank, number in accounts])
    db.session.execute(insert(EidAccount), [
        {"personal_id": pid, "full_name": "Nguyễn Văn Bình", "phone": "0900000000", "ial": 2,
         "password_hash": "-", "totp_secret_encrypted": secret, "failed_attempts": 0,
         "created_at": now} for pid in people])
    by_id = {account.personal_id: account for account in db.session.scalars(
        select(EidAccount).where(EidAccount.personal_id.in_(people)))}
    tokens = [sessions.open_session(by_id[pid], "bench", now).access_token for pid in people]
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return [(token, bank, number) for token, (_, bank, number) in zip(tokens, accounts,
                                                                        strict=True)]


def pending() -> int:
    count = db.session.scalar(select(func.count()).select_from(PayoutLink)
                              .where(PayoutLink.status.in_(LINK_PENDING)))
    db.session.rollback()
    return count or 0


def post_link(port: int, token: str, bank: str, number: str) -> tuple[float, int]:
    body = json.dumps({"kind": "bank", "institution": bank, "account_number": number,
                       "consent": True})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
               "X-OTP": pyotp.TOTP(SECRET).now()}
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", "/api/v1/me/payout-links", body, headers)
        answer = connection.getresponse()
        answer.read()
    finally:
        connection.close()
    return (time.perf_counter() - started) * 1000, answer.status


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines()
                      if line.startswith("VmRSS:"))
        stack.extend(int(child) for child in children)
    return total / 1024


class PeakMemory(threading.Thread):
    """The peak of the summed RSS of each named group of processes."""

    def __init__(self, pids: dict[str, list[int]]):
        super().__init__(daemon=True)
        self.pids = pids
        self.peak = dict.fromkeys(pids, 0.0)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for name, group in self.pids.items():
                self.peak[name] = max(self.peak[name], sum(rss_mb(pid) for pid in group))
            self.done.wait(0.5)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server on port {port} exited ({process.returncode})")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answers on port {port}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--latency", default="20-60", help="seconds, e.g. 20-60 or 3")
    parser.add_argument("--submitters", type=int, default=32)
    parser.add_argument("--port", type=int, default=5150)
    parser.add_argument("--web-workers", type=int, default=None)
    parser.add_argument("--worker-threads", type=int, default=8)
    parser.add_argument("--worker-processes", type=int, default=2,
                        help="`ssa worker` processes, each with --worker-threads")
    parser.add_argument("--timeout", type=float, default=900, help="give up waiting after")
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    queue_url = os.environ.get("SSA_TASK_QUEUE_URL", "")
    if not database_url.startswith("postgresql") or not queue_url.startswith("redis"):
        raise SystemExit("set DATABASE_URL (PostgreSQL) and SSA_TASK_QUEUE_URL (Redis)")
    environ = {**os.environ, "SSA_SIM_INSTITUTION_LATENCY": arguments.latency,
               "SSA_TASK_QUEUE_NAME": f"ssa-bench-{uuid.uuid4().hex[:8]}",
               "SSA_RATELIMIT_ENABLED": "false", "SSA_LOG_LEVEL": "WARNING"}
    schema.upgrade(database_url)
    app = create_app(BenchConfig(environ=environ))
    run = int(time.time()) % 100
    with app.app_context():
        if db.session.scalar(select(func.count()).select_from(Institution)) == 0:
            seed.load(REPO_ROOT / "fixtures", db.utcnow())
        if pending():
            raise SystemExit("requests from an earlier run are still pending in this database")
        citizens = make_citizens(arguments.requests, run)
    ssa = str(Path(sys.executable).with_name("ssa"))
    serve_command = [ssa, "serve", "--host", "127.0.0.1", "--port", str(arguments.port)]
    if arguments.web_workers:
        serve_command += ["--workers", str(arguments.web_workers)]
    web = subprocess.Popen(serve_command, cwd=REPO_ROOT, env=environ)
    workers = [subprocess.Popen([ssa, "worker", "--workers", str(arguments.worker_threads)],
                                cwd=REPO_ROOT, env=environ)
               for _ in range(arguments.worker_processes)]
    memory = PeakMemory({"web": [web.pid], "worker": [worker.pid for worker in workers]})
    try:
        wait_for_port(arguments.port, web)
        memory.start()
        started = time.monotonic()
        with ThreadPoolExecutor(arguments.submitters) as pool:
            posts = list(pool.map(lambda citizen: post_link(arguments.port, *citizen),
                                  citizens))
        submitted_s = time.monotonic() - started
        refused = [status for _, status in posts if status != 202]
        with app.app_context():
            left = pending()
            while left and time.monotonic() - started < arguments.timeout:
                time.sleep(0.5)
                left = pending()
        settled_s = time.monotonic() - started
    finally:
        memory.done.set()
        for process in (web, *workers):
            process.terminate()
        for process in (web, *workers):
            process.wait(30)
    latencies = [took for took, _ in posts]
    slowest_answer = float(arguments.latency.partition("-")[2] or arguments.latency)
    limit_s = submitted_s + slowest_answer
    result = {"requests": arguments.requests, "settled_s": round(settled_s, 1),
              "post_p50_ms": round(statistics.median(latencies), 1),
              "post_p99_ms": round(percentile(latencies, 0.99), 1), "unsettled": left}
    print(f"{arguments.requests} link requests, {arguments.submitters} submitters, "
          f"banks answering in {arguments.latency} s")
    print(f"POST: p50 {result['post_p50_ms']} ms, p90 {percentile(latencies, 0.9):.1f} ms, "
          f"p99 {result['post_p99_ms']} ms, max {max(latencies):.1f} ms; "
          f"not 202: {len(refused)} {sorted(set(refused))}")
    print(f"submitted in {submitted_s:.1f} s; all settled after {settled_s:.1f} s "
          f"({left} unsettled); physical limit {limit_s:.1f} s (submitting + slowest "
          f"answer): ratio {settled_s / limit_s:.2f}")
    print(f"peak RSS: web {memory.peak['web']:.0f} MB, {arguments.worker_processes} worker "
          f"processes {memory.peak['worker']:.0f} MB in all")
    if arguments.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
