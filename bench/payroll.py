"""Benchmark: a payroll of N rows through every stage, on the configured database.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/ssa_bench \\
        .venv/bin/python bench/payroll.py --rows 1000000

Creates (and afterwards keeps) a fresh schema in the database DATABASE_URL
names, seeds the fixtures, links a share of the synthetic beneficiaries to a
bank account, and times: payroll generation, import, requests, Treasury
control, dispatch (pain.001 files, validated), bank results (the simulated
bank's pain.002 and camt.054 files, picked up as `ssa bank-results pick-up`
does), cash pay-outs and reconciliation. Prints peak resident memory after each stage. On PostgreSQL
it first times a raw COPY of the same CSV into a plain table, the floor the
import is measured against, and prints each stage's ratio to it.
`--stages import` stops after the import; `--json` ends with one JSON line
{"rows", "copy_s", "stages": {name: seconds}, "total_s", "peak_rss_mb"}, where
the stages and their total run from the import to the last payment settled
(the schema, fixtures and generated file are timed but not counted).
Not a test: numbers go to bench/RESULTS.md by hand.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, func, insert, select, text

from backend import db, schema
from backend.app import create_app
from backend.config import Config
from backend.models import (
    Payment,
    PaymentRequest,
    PayoutLink,
    SimInstitutionAccount,
    SocialSecurityAccount,
)
from backend.models.statuses import AccountStatus, InstitutionAccountStatus, LinkStatus
from backend.services.accounts import account_numbers
from backend.services.demo import seed
from backend.services.identity.personal_id import PROVINCES, compose
from backend.services.payments import (
    cash_handover,
    dispatch,
    payment_requests,
    payroll,
    reconciliation,
    result_pickup,
    treasury,
)

PROGRAMMES = ("pension", "social_allowance", "merit", "unemployment", "poor_household")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_payroll(path: Path, rows: int, period: str, seed_value: int) -> list[str]:
    """N claims with valid, distinct personal IDs; returns a sample of IDs to link."""
    rng = random.Random(seed_value)
    provinces = sorted(PROVINCES)
    linked_sample = []
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(payroll.COLUMNS) + "\n")
        for number in range(rows):
            province = provinces[number % len(provinces)]
            personal_id = compose(province, "female" if number % 2 else "male",
                                  1930 + number % 70, f"{number % 1_000_000:06d}")
            programme = PROGRAMMES[(number // len(provinces)) % len(PROGRAMMES)]
            handle.write(f"{personal_id},{programme},{period},"
                         f"{rng.randrange(300, 9000) * 1000},{province}\n")
            if number % 100 == 0:
                linked_sample.append(personal_id)
    return linked_sample


# One linked account in this many has been closed at the bank since it was
# linked: the simulated bank rejects its transfer (AC04), as a real one would.
CLOSED_EVERY = 50


def link_sample(personal_ids: list[str], now) -> None:
    """Bulk-create accounts with an active bank link for a share of beneficiaries.

    Each linked account is also held by the simulated bank, so that its
    transfers settle; a few have been closed and are rejected.
    """
    for start in range(0, len(personal_ids), 5000):
        chunk = personal_ids[start:start + 5000]
        db.session.execute(insert(SocialSecurityAccount), [
            {"personal_id": pid, "status": AccountStatus.ACTIVE, "created_at": now}
            for pid in chunk])
        ids = dict(db.session.execute(select(SocialSecurityAccount.personal_id,
                                             SocialSecurityAccount.id)
                                      .where(SocialSecurityAccount.personal_id.in_(chunk))).all())
        links, held = [], []
        for position, pid in enumerate(chunk, start):
            number = f"00{pid[-10:]}"
            held.append({"institution": "VCB", "account_number": number,
                         "holder_name": "NGUYEN VAN A", "holder_personal_id": pid,
                         "status": InstitutionAccountStatus.CLOSED
                         if position % CLOSED_EVERY == CLOSED_EVERY - 1
                         else InstitutionAccountStatus.OPEN})
            protected = account_numbers.protect("VCB", number)
            links.append({"account_id": ids[pid], "kind": "bank", "status": LinkStatus.ACTIVE,
                          "institution": "VCB", "account_number_encrypted": protected.encrypted,
                          "account_number_hash": protected.lookup_hash,
                          "account_last4": protected.last4, "holder_name": "NGUYEN VAN A",
                          "created_at": now, "updated_at": now, "activated_at": now})
        db.session.execute(insert(PayoutLink), links)
        db.session.execute(insert(SimInstitutionAccount), held)
    db.session.commit()


def time_raw_copy(path: Path) -> float | None:
    """Seconds to COPY the CSV as it is into a plain table (no checks, no index)."""
    if not db.on_postgresql():
        return None
    db.session.execute(text("CREATE TABLE bench_raw_copy (personal_id text, programme text,"
                            " period text, amount_vnd text, province text)"))
    db.session.commit()
    connection = db.session.connection().connection.dbapi_connection
    started = time.perf_counter()
    with path.open("rb") as stream, connection.cursor() as cursor, cursor.copy(
            "COPY bench_raw_copy FROM STDIN (FORMAT csv, HEADER true)") as copy:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            copy.write(chunk)
    db.session.commit()
    elapsed = time.perf_counter() - started
    db.session.execute(text("DROP TABLE bench_raw_copy"))
    db.session.commit()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--period", default="2026-11")
    parser.add_argument("--stages", choices=("all", "import"), default="all",
                        help="'import' stops after the import stage")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--slow-statements", type=float, metavar="SECONDS",
                        help="print every SQL statement slower than this (profiling)")
    arguments = parser.parse_args()
    config = Config()
    # The simulated bank drops its result files here, not in the instance folder.
    config.BANK_RESULTS_DIR = Path(tempfile.mkdtemp(prefix="bench-bank-results-"))
    app = create_app(config)
    if arguments.slow_statements is not None:
        with app.app_context():
            print_slow_statements(db.session.get_bind(), arguments.slow_statements)
    timings: list[tuple[str, float, float]] = []
    copy_s: float | None = None

    def stage(name: str, started: float, setup: bool = False) -> float:
        elapsed = time.perf_counter() - started
        if not setup:
            timings.append((name, elapsed, peak_mb()))
        ratio = f"{elapsed / copy_s:7.1f}x COPY" if copy_s else ""
        print(f"{name:<22} {elapsed:9.2f} s   peak RSS {peak_mb():6.0f} MB {ratio}", flush=True)
        return time.perf_counter()

    with app.app_context(), tempfile.TemporaryDirectory() as workdir:
        print(f"database {db.session.get_bind().dialect.name}, {arguments.rows:,} rows")
        started = time.perf_counter()
        schema.upgrade(config.DATABASE_URL)
        seed.load(config.FIXTURES_DIR, db.utcnow())
        started = stage("schema + fixtures", started, setup=True)
        path = Path(workdir) / "payroll.csv"
        sample = write_payroll(path, arguments.rows, arguments.period, 20261123)
        link_sample(sample, db.utcnow())
        stage(f"generate (+{len(sample):,} links)", started, setup=True)
        copy_s = time_raw_copy(path)
        if copy_s is not None:
            print(f"{'raw COPY (floor)':<22} {copy_s:9.2f} s", flush=True)
        started = time.perf_counter()
        with path.open("rb") as stream:
            report = payroll.import_payroll(stream, path.name, "bench", db.utcnow())
        print(f"  {report}")
        started = stage("import", started)
        if arguments.stages == "import":
            finish(arguments, timings, copy_s)
            return
        requests = payment_requests.build(arguments.period, "bench", db.utcnow())
        started = stage(f"requests ({len(requests)})", started)
        treasury.approve_sound("bench", [request.id for request in requests], db.utcnow())
        started = stage("Treasury control", started)
        dispatch.dispatch_many([request.id for request in requests], db.utcnow())
        started = stage("dispatch (pain.001)", started)
        picked = result_pickup.pick_up(config.BANK_RESULTS_DIR, "bench", db.utcnow)
        lines = sum(report.transactions for report in picked.reports)
        assert not picked.refused, picked.refused
        started = stage(f"bank results ({len(picked.reports)} files, {lines:,} lines)",
                        started)
        cash_handover.simulate_collection([request.id for request in requests], "bench",
                                          db.utcnow())
        started = stage("cash pay-outs", started)
        ids = list(db.session.scalars(select(PaymentRequest.id)))
        reconciliation.store(ids, reconciliation.FIRST_READING, db.utcnow())
        db.session.commit()
        differences = sum(len(reconciliation.stored(request_id, db.utcnow())["differences"])
                          for request_id in ids)
        stage(f"reconcile ({differences} differences)", started)
        print_outcomes()
    shutil.rmtree(config.BANK_RESULTS_DIR, ignore_errors=True)
    finish(arguments, timings, copy_s)


def print_slow_statements(engine, threshold: float) -> None:
    """The statements that cost a stage its time, as they finish: where to look first."""
    @event.listens_for(engine, "before_cursor_execute")
    def started(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("statement_started", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def finished(conn, cursor, statement, parameters, context, executemany):
        elapsed = time.perf_counter() - conn.info["statement_started"].pop()
        if elapsed >= threshold:
            print(f"    {elapsed:7.2f} s  {' '.join(statement.split())[:160]}", flush=True)


def print_outcomes() -> None:
    """How the payments ended, by destination and status: what the run measured."""
    rows = db.session.execute(
        select(Payment.destination_kind, Payment.status, Payment.failure_reason, func.count())
        .group_by(Payment.destination_kind, Payment.status, Payment.failure_reason)
        .order_by(Payment.destination_kind, Payment.status, Payment.failure_reason)).all()
    print("outcomes:")
    for kind, status, reason, count in rows:
        print(f"  {kind or '-':<13} {status:<11} {reason or '':<5} {count:>10,}")


def finish(arguments: argparse.Namespace, timings: list[tuple[str, float, float]],
           copy_s: float | None) -> None:
    total = sum(elapsed for _, elapsed, _ in timings)
    print(f"{'import to settled':<22} {total:9.2f} s   peak RSS {peak_mb():6.0f} MB")
    if arguments.json:
        print(json.dumps({"rows": arguments.rows, "copy_s": copy_s,
                          "stages": {name: round(elapsed, 3) for name, elapsed, _ in timings},
                          "total_s": round(total, 3), "peak_rss_mb": round(peak_mb())}))


if __name__ == "__main__":
    main()
