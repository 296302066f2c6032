"""Benchmark: N bank results taken in from one pain.002 and one camt.054 file.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE ssa_bench_results"
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/ssa_bench_results \\
        .venv/bin/python bench/result_files.py --rows 1000000

Migrates the (fresh) database DATABASE_URL names, puts N bank payments in
SENT with bulk SQL (each citizen with a social security account, so every
outcome also writes a notification), writes the status report (2 % RJCT
AC04, the rest ACSC) and the credit notification of the others with the
gateway's writers, then times the service's ingest of each file: streamed
XSD validation and parsing, COPY into the staging table, keeping the lines,
and the set-based moves SENT -> PAID | FAILED with transitions and notices.
Prints peak resident memory. Target: both files in <= 30 s at 1,000,000.
Not a test: numbers go to bench/RESULTS.md by hand.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from backend import db, schema
from backend.app import create_app
from backend.config import Config
from backend.integrations.iso20022 import camt054, pain002
from backend.models import Payment
from backend.services.payments import result_files

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payroll import print_slow_statements  # noqa: E402

REJECT_EVERY = 50


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sent_payments(rows: int, now: datetime) -> None:
    """N payments in SENT, end-to-end ids SSA-1..N, with their citizens' accounts."""
    db.session.execute(text(
        "INSERT INTO payrolls (file_sha256, filename, imported_by, imported_at, row_count,"
        " new_payments, total_vnd) VALUES ('bench', 'bench.csv', 'bench', :now, :rows,"
        " :rows, 0)"), {"now": now, "rows": rows})
    db.session.execute(text(
        "INSERT INTO social_security_accounts (personal_id, status, created_at)"
        " SELECT lpad(n::text, 12, '0'), 'ACTIVE', :now FROM generate_series(1, :rows) n"),
        {"now": now, "rows": rows})
    db.session.execute(text(
        "INSERT INTO payments (id, payroll_id, personal_id, programme, period, province_code,"
        " amount_vnd, status, destination_kind, destination_institution, end_to_end_id,"
        " created_at, updated_at)"
        " SELECT n, (SELECT max(id) FROM payrolls), lpad(n::text, 12, '0'), 'pension',"
        " '2026-11', '001', 1000000 + n % 1000 * 1000, 'SENT', 'bank', 'VCB', 'SSA-' || n,"
        " :now, :now FROM generate_series(1, :rows) n"), {"now": now, "rows": rows})
    db.session.execute(text("SELECT setval('payments_id_seq', :rows)"), {"rows": rows})
    db.session.commit()
    db.session.execute(text("ANALYZE payments"))
    db.session.execute(text("ANALYZE social_security_accounts"))
    db.session.commit()


def amount(n: int) -> int:
    return 1000000 + n % 1000 * 1000


def write_files(folder: Path, rows: int, now: datetime) -> tuple[Path, Path]:
    report, notification = folder / "pain002.xml", folder / "camt054.xml"
    rejected = len(range(0, rows + 1, REJECT_EVERY)) - 1
    pain002.write(report, "STS-BENCH", "SSA-R1-VCB", now, rows, rejected, (
        pain002.TransactionStatus(f"SSA-{n}", "RJCT" if n % REJECT_EVERY == 0 else "ACSC",
                                  "AC04" if n % REJECT_EVERY == 0 else None, f"VCB-SSA-{n}")
        for n in range(1, rows + 1)))
    credited = [n for n in range(1, rows + 1) if n % REJECT_EVERY]
    camt054.write(notification, "NTF-BENCH", now, "3511000000001", "SSA-R1-VCB",
                  len(credited), sum(amount(n) for n in credited),
                  (camt054.Credit(f"SSA-{n}", amount(n), f"VCB-SSA-{n}") for n in credited))
    del credited
    return report, notification


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--slow-statements", type=float, metavar="SECONDS",
                        help="print every SQL statement slower than this (profiling)")
    arguments = parser.parse_args()
    config = Config()
    app = create_app(config)
    if arguments.slow_statements is not None:
        with app.app_context():
            print_slow_statements(db.session.get_bind(), arguments.slow_statements)
    stages: dict[str, float] = {}
    with app.app_context(), tempfile.TemporaryDirectory() as workdir:
        now = datetime.now(UTC)
        print(f"database {db.session.get_bind().dialect.name}, {arguments.rows:,} results")
        schema.upgrade(config.DATABASE_URL)
        started = time.perf_counter()
        sent_payments(arguments.rows, now)
        print(f"{'setup: payments SENT':<28} {time.perf_counter() - started:8.2f} s")
        started = time.perf_counter()
        files = write_files(Path(workdir), arguments.rows, now)
        print(f"{'setup: write the two files':<28} {time.perf_counter() - started:8.2f} s   "
              f"{sum(path.stat().st_size for path in files) / 1e6:.0f} MB")
        for path in files:
            started = time.perf_counter()
            report = result_files.ingest(path, "bench", datetime.now(UTC))
            stages[report.kind] = time.perf_counter() - started
            print(f"{'ingest ' + report.kind:<28} {stages[report.kind]:8.2f} s   "
                  f"peak RSS {peak_mb():5.0f} MB   {report}")
        outcomes = dict(db.session.execute(select(Payment.status, func.count())
                                           .group_by(Payment.status)).all())
        total = sum(stages.values())
        print(f"{'both files':<28} {total:8.2f} s   outcomes {outcomes}")
    if arguments.json:
        print(json.dumps({"rows": arguments.rows, "stages": {name: round(seconds, 3)
                                                             for name, seconds in stages.items()},
                          "total_s": round(total, 3), "peak_rss_mb": round(peak_mb()),
                          "outcomes": outcomes}))


if __name__ == "__main__":
    main()
