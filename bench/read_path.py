"""Benchmark: the citizen's payment list under gunicorn against a bare Flask page.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE ssa_bench_read"
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/ssa_bench_read \\
    SSA_SESSION_STORE_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/read_path.py --payments 1000000

Builds the schema in the (PostgreSQL) database DATABASE_URL names and COPYs
N payments into it, 20 monthly payments per person (`--reuse` keeps a
database that already holds them), then gives `--citizens` of those people
an eID account and a signed-in session. It serves the service with gunicorn
(2 sync workers) and `bench/bare_flask.py` with the same settings, and loads
both with wrk (32 connections, alternating, `--rounds` times) on the 200
path (a page of 20) and the 304 path (`If-None-Match` with the current
ETag), each request as the next citizen. Prints requests per second, p50
and p99 for each and the service's ratio to bare Flask; `--json` ends with
one JSON line. `--before TREE` serves another source tree of the service
beside them (`git archive main | tar -x -C TREE`) for a before/after in the
same run; `--profile DIR` records py-spy stacks of the service's workers in
the first round. Not a test: numbers go to bench/RESULTS.md by hand.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

from backend import db, schema
from backend.app import create_app
from backend.config import REPO_ROOT, Config
from backend.models import EidAccount, Payment, Payroll
from backend.services.demo import seed
from backend.services.identity import sessions

PROGRAMMES = ("pension", "social_allowance", "merit", "unemployment", "poor_household")
PER_PERSON = 20
PATH = "/api/v1/me/payments"
GUNICORN = ["--workers", "2", "--worker-class", "sync", "--log-level", "warning",
            "--timeout", "60"]
LUA = """
tokens = {%(tokens)s}
etags = {%(etags)s}
counter = 0
request = function()
  counter = counter + 1
  local i = (counter %% #tokens) + 1
  local headers = {["Authorization"] = "Bearer " .. tokens[i]}
  if %(conditional)s then headers["If-None-Match"] = etags[i] end
  return wrk.format("GET", "%(path)s", headers)
end
"""


def periods() -> list[str]:
    """The 20 months up to October 2026, newest last."""
    months = [(2026 * 12 + 9) - offset for offset in range(PER_PERSON)]
    return [f"{month // 12}-{month % 12 + 1:02d}" for month in reversed(months)]


def personal_id(number: int) -> str:
    return f"0{number % 63 + 1:02d}{number:09d}"


def build(payments: int) -> None:
    """COPY the payments straight in: the import pipeline is bench/payroll.py's business."""
    now = db.utcnow()
    payroll = Payroll(file_sha256="0" * 64, filename="bench.csv", imported_by="bench",
                      imported_at=now, row_count=payments, new_payments=payments, total_vnd=0)
    db.session.add(payroll)
    db.session.commit()
    people = payments // PER_PERSON
    months = periods()
    columns = ("payroll_id", "personal_id", "programme", "period", "province_code",
               "amount_vnd", "status", "destination_kind", "destination_institution",
               "destination_last4", "created_at", "updated_at")
    stamp = now.replace(tzinfo=None)
    raw: Any = db.session.connection().connection.dbapi_connection  # psycopg's, for COPY
    with raw.cursor() as cursor, cursor.copy(
            f"COPY payments ({', '.join(columns)}) FROM STDIN") as copy:
        for number in range(people):
            pid = personal_id(number)
            programme = PROGRAMMES[number % len(PROGRAMMES)]
            for index, period in enumerate(months):
                latest = index == len(months) - 1
                copy.write_row((payroll.id, pid, programme, period, pid[:3],
                                500_000 + 1000 * (number % 1000),
                                "SENT" if latest else "PAID", "bank", "VCB",
                                f"{number % 10000:04d}", stamp, stamp))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def sign_in(citizens: int, people: int) -> list[str]:
    """Accounts and live sessions for `citizens` people spread over the table."""
    now = db.utcnow()
    step = max(1, people // citizens)
    chosen = [personal_id(number) for number in range(0, people, step)][:citizens]
    known = set(db.session.scalars(select(EidAccount.personal_id)
                                   .where(EidAccount.personal_id.in_(chosen))))
    new = [{"personal_id": pid, "full_name": "NGUYEN VAN A", "phone": "0900000000", "ial": 2,
            "password_hash": "-", "totp_secret_encrypted": "-", "failed_attempts": 0,
            "created_at": now} for pid in chosen if pid not in known]
    if new:
        db.session.execute(insert(EidAccount), new)
    accounts = db.session.scalars(select(EidAccount).where(EidAccount.personal_id.in_(chosen)))
    tokens = [sessions.open_session(account, "bench", now).access_token for account in accounts]
    db.session.commit()
    return tokens


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server on port {port} exited ({process.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing listens on port {port}")


def serve(app_spec: str, port: int, extra: list[str]) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("gunicorn")), *GUNICORN, *extra,
               "--bind", f"127.0.0.1:{port}", app_spec]
    process = subprocess.Popen(command, cwd=REPO_ROOT)
    wait_for_port(port, process)
    return process


def etags(port: int, tokens: list[str]) -> list[str]:
    found = []
    for token in tokens:
        asked = urllib.request.Request(f"http://127.0.0.1:{port}{PATH}",
                                       headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(asked) as answer:
            found.append(answer.headers["ETag"])
    return found


def lua_script(directory: Path, name: str, tokens: list[str], tags: list[str],
               conditional: bool) -> Path:
    def quoted(values):
        return ", ".join(json.dumps(value) for value in values)

    path = directory / f"{name}.lua"
    path.write_text(LUA % {"tokens": quoted(tokens), "etags": quoted(tags),
                           "conditional": "true" if conditional else "false", "path": PATH})
    return path


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _percentile(output: str, percent: int) -> float:
    """From wrk's latency distribution (the line starting with the percentage)."""
    return _ms(re.search(rf"^\s*{percent}%\s+(\S+)", output, re.MULTILINE).group(1))  # type: ignore[union-attr]


def load(port: int, script: Path, seconds: int, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", "--threads", "2", "--connections", str(connections), "--duration",
         f"{seconds}s", "--latency", "--script", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True).stdout
    if "Latency Distribution" not in output:
        raise SystemExit(f"wrk said:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
            "p50_ms": _percentile(output, 50), "p99_ms": _percentile(output, 99),
            "errors": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--citizens", type=int, default=500,
                        help="signed-in citizens the requests go round")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the payments already in the database")
    parser.add_argument("--rounds", type=int, default=2, help="0 builds the database only")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=5640,
                        help="and the next ones for bare Flask and --before")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--before", type=Path, metavar="TREE",
                        help="also serve the service from another source tree (say, main "
                             "exported with git archive) on the next port, as 'before'")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="py-spy the service's workers in the first round (collapsed stacks)")
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    if arguments.profile and not Path(sys.executable).with_name("py-spy").exists():
        raise SystemExit("--profile needs py-spy in this environment: pip install py-spy")
    config = Config()
    if not config.DATABASE_URL.startswith("postgresql"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database")
    # Tokens outlive the runs; the servers check only their signature and session.
    config.JWT_ACCESS_TOKEN_EXPIRES = timedelta(hours=2)
    app = create_app(config)
    with app.app_context():
        schema.upgrade(config.DATABASE_URL)
        have = db.session.scalar(select(func.count()).select_from(Payment))
        if not (arguments.reuse and have >= arguments.payments):
            if have:
                raise SystemExit(f"the database already holds {have:,} payments: "
                                 "give a fresh one, or --reuse")
            seed.load(config.FIXTURES_DIR, db.utcnow())
            started = time.perf_counter()
            build(arguments.payments)
            print(f"built {arguments.payments:,} payments in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
        tokens = sign_in(arguments.citizens, arguments.payments // PER_PERSON)
    app.extensions["db_engine"].dispose()
    if not arguments.rounds:
        return  # --rounds 0: build the database only

    environment = {**os.environ, "SSA_INSTANCE_PATH": str(config.INSTANCE_PATH)}
    os.environ.update(environment)
    servers: dict[str, subprocess.Popen] = {}
    ports = {"service": arguments.port, "bare": arguments.port + 1}
    results: dict[str, list[dict]] = {}
    try:
        servers["service"] = serve("backend.app:create_app()", ports["service"], [])
        servers["bare"] = serve("bare_flask:app", ports["bare"],
                                ["--pythonpath", str(REPO_ROOT / "bench")])
        if arguments.before:
            ports["before"] = arguments.port + 2
            servers["before"] = serve("backend.app:create_app()", ports["before"],
                                      ["--pythonpath", str(arguments.before)])
        with tempfile.TemporaryDirectory() as workdir:
            scripts = {(target, conditional): lua_script(
                Path(workdir), f"{target}-{conditional}", tokens,
                ['"bare-1"'] * len(tokens) if target == "bare" else etags(port, tokens),
                conditional)
                for target, port in ports.items() for conditional in (False, True)}
            for round_number in range(arguments.rounds):
                for conditional in (False, True):
                    kind = "304" if conditional else "200"
                    # Alternating: who goes first changes every round.
                    order = list(ports)[round_number % len(ports):] + \
                        list(ports)[:round_number % len(ports)]
                    for target in order:
                        spies = profile(servers[target], arguments.profile, f"{target}-{kind}",
                                        arguments.seconds) \
                            if target != "bare" and round_number == 0 else []
                        figures = load(ports[target], scripts[(target, conditional)],
                                       arguments.seconds, arguments.connections)
                        for spy in spies:
                            spy.wait()
                        results.setdefault(f"{target} {kind}", []).append(figures)
                        print(f"round {round_number + 1} {target:<8}{kind}: "
                              f"{figures['rps']:8.0f} req/s  p50 {figures['p50_ms']:6.1f} ms  "
                              f"p99 {figures['p99_ms']:6.1f} ms  errors {figures['errors']}"
                              f" {figures['socket_errors']}", flush=True)
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=30)
    summary = report(results)
    if arguments.json:
        print(json.dumps({"payments": arguments.payments, "citizens": arguments.citizens,
                          "connections": arguments.connections,
                          "at": datetime.now(UTC).isoformat(timespec="seconds"),
                          "load": os.getloadavg()[0], **summary}))


def profile(server: subprocess.Popen, directory: Path | None, name: str,
            seconds: int) -> list[subprocess.Popen]:
    """py-spy on each gunicorn worker during a run: collapsed stacks, one file a worker."""
    if directory is None:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [subprocess.Popen(
        [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", worker,
         "--duration", str(max(1, seconds - 2)), "--rate", "250", "--format", "raw",
         "--output", str(directory / f"{name}-{worker}.txt"), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for worker in workers]


def report(results: dict[str, list[dict]]) -> dict:
    """Median of the rounds for each target and path, and each target's ratio to bare
    Flask (the median of the ratios within each round)."""
    summary: dict = {}
    print(f"\n{'target':<9}{'path':<6}{'req/s':>8}{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}"
          "   (median of rounds; ratio to bare Flask in the same round)")
    for kind in ("200", "304"):
        bare = results[f"bare {kind}"]
        summary[kind] = {}
        for target in [key.split()[0] for key in results if key.endswith(kind)]:
            runs = results[f"{target} {kind}"]
            ratios = [mine["rps"] / theirs["rps"]
                      for mine, theirs in zip(runs, bare, strict=True)]
            median = {key: statistics.median(run[key] for run in runs)
                      for key in ("rps", "p50_ms", "p99_ms")}
            summary[kind][target] = {"runs": runs, "ratio": round(statistics.median(ratios), 3)}
            print(f"{target:<9}{kind:<6}{median['rps']:8.0f}{statistics.median(ratios):8.2f}"
                  f"{median['p50_ms']:9.1f}{median['p99_ms']:9.1f}")
    return summary


if __name__ == "__main__":
    main()
