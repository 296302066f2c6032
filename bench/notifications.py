"""Benchmark: N payment outcomes told to N citizens, in the app, by SMS and by push.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE ssa_bench_notices"
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/ssa_bench_notices \\
    SSA_TASK_QUEUE_URL=redis://127.0.0.1:6379/0 SSA_TASK_QUEUE_NAME=ssa_bench_notices \\
        .venv/bin/python bench/notifications.py --rows 100000 --send 10000

Migrates the (fresh) database DATABASE_URL names and puts N payments in PAID
with bulk SQL, each citizen with an eID account, a social security account
and (one in `--push-every`) a registered push device. Then times:

- **queue**: `notices.for_payments` for the N outcomes, as the result files
  call it: N in-app notifications, N SMS rows QUEUED with their first
  transition, and the pushes, then the commit;
- **send**: the sender task's `send_queued` handing `--send` of them to the
  simulated gateway (rendered in the citizen's language, one commit each so a
  crash loses none), extrapolated to all the queued messages;
- **COPY**: the physical limit in the same run: a raw `COPY` of N rows of the
  same shape into an unindexed table, the least any writing of N messages
  costs on this database.

The queue task is named but no consumer runs, so nothing sends behind the
clock. Not a test: numbers go to bench/RESULTS.md by hand.
"""
from __future__ import annotations

import argparse
import io
import json
import time
from datetime import UTC, datetime

from sqlalchemy import func, select, text

from backend import db, schema
from backend.app import create_app
from backend.config import Config
from backend.models import Notification, OutboundMessage, Payment
from backend.models.statuses import MessageStatus, PaymentStatus
from backend.services.accounts import messaging
from backend.services.payments import notices


def paid_payments(rows: int, push_every: int, now: datetime) -> None:
    """N payments PAID, one citizen each, with what notifying them needs."""
    parameters = {"now": now, "rows": rows, "every": push_every}
    for statement in (
        "INSERT INTO payrolls (file_sha256, filename, imported_by, imported_at, row_count,"
        " new_payments, total_vnd) VALUES ('bench', 'bench.csv', 'bench', :now, :rows,"
        " :rows, 0)",
        "INSERT INTO eid_accounts (personal_id, full_name, phone, ial, created_at,"
        " password_hash, totp_secret_encrypted)"
        " SELECT lpad(n::text, 12, '0'), 'BENCH ' || n, '09' || lpad(n::text, 8, '0'), 2,"
        " :now, 'x', 'x' FROM generate_series(1, :rows) n",
        "INSERT INTO social_security_accounts (personal_id, status, created_at)"
        " SELECT lpad(n::text, 12, '0'), 'ACTIVE', :now FROM generate_series(1, :rows) n",
        "INSERT INTO push_devices (token, citizen_id, platform, registered_at)"
        " SELECT 'bench-device-' || id, id, 'android', :now FROM eid_accounts"
        " WHERE :every > 0 AND id % :every = 0",
        "INSERT INTO payments (id, payroll_id, personal_id, programme, period, province_code,"
        " amount_vnd, status, destination_kind, destination_institution, destination_last4,"
        " end_to_end_id, created_at, updated_at)"
        " SELECT n, (SELECT max(id) FROM payrolls), lpad(n::text, 12, '0'), 'pension',"
        " '2026-11', '001', 1000000 + n % 1000 * 1000, 'PAID', 'bank', 'VCB',"
        " lpad((n % 10000)::text, 4, '0'), 'SSA-' || n, :now, :now"
        " FROM generate_series(1, :rows) n",
    ):
        db.session.execute(text(statement), parameters)
    db.session.execute(text("SELECT setval('payments_id_seq', :rows)"), parameters)
    db.session.commit()
    for table in ("payments", "eid_accounts", "social_security_accounts", "push_devices"):
        db.session.execute(text(f"ANALYZE {table}"))
    db.session.commit()


def raw_copy(rows: int, now: datetime) -> float:
    """COPY of N message-shaped rows into a plain table: the physical limit."""
    lines = io.StringIO("".join(
        f"{n}\tsms\t09{n:08d}\tPAYMENT_PAID\t"
        f'{{"payment_id": {n}, "amount_vnd": 1000000, "period": "2026-11"}}\tvi\tQUEUED\t'
        f"{now.isoformat()}\n" for n in range(1, rows + 1)))
    connection = db.session.connection().connection.driver_connection
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_copy (account_id int, channel text,"
                       " phone text, kind text, params json, language text, status text,"
                       " created_at timestamptz)")
        started = time.perf_counter()
        with cursor.copy("COPY bench_copy FROM STDIN") as copy:
            while chunk := lines.read(1 << 20):
                copy.write(chunk)
        connection.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--send", type=int, default=10_000,
                        help="messages handed to the gateway in the timed send")
    parser.add_argument("--push-every", type=int, default=4,
                        help="one citizen in this many has a push device (0: none)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    arguments = parser.parse_args()
    config = Config()
    app = create_app(config)
    figures: dict[str, float] = {}
    with app.app_context():
        if not db.on_postgresql():
            raise SystemExit("the benchmark compares with COPY: run it on PostgreSQL")
        now = datetime.now(UTC)
        print(f"{arguments.rows:,} payment outcomes")
        schema.upgrade(config.DATABASE_URL)
        started = time.perf_counter()
        paid_payments(arguments.rows, arguments.push_every, now)
        print(f"{'setup: payments PAID':<30} {time.perf_counter() - started:8.2f} s")

        started = time.perf_counter()
        notices.for_payments(Payment.status == PaymentStatus.PAID, "PAYMENT_PAID", now)
        db.session.commit()
        figures["queue_s"] = time.perf_counter() - started
        queued = db.session.scalar(select(func.count()).select_from(OutboundMessage))
        written = db.session.scalar(select(func.count()).select_from(Notification))
        print(f"{'queue (notices + messages)':<30} {figures['queue_s']:8.2f} s   "
              f"{written:,} notifications, {queued:,} messages")

        # Only --send of them: the rest stay QUEUED, outside the sender's batches.
        db.session.execute(text(
            "UPDATE outbound_messages SET status = 'SENT' WHERE id > (SELECT min(id)"
            " FROM outbound_messages) + :send"), {"send": arguments.send - 1})
        db.session.commit()
        started = time.perf_counter()
        sent = messaging.send_queued(datetime.now(UTC))
        send_s = time.perf_counter() - started
        figures["send_per_message_ms"] = send_s / sent * 1000
        figures["send_all_s"] = send_s / sent * queued
        print(f"{'send (gateway, one commit each)':<30} {send_s:8.2f} s   {sent:,} messages, "
              f"{figures['send_per_message_ms']:.2f} ms each, all {queued:,}: "
              f"{figures['send_all_s']:.0f} s")
        assert db.session.scalar(select(func.count()).select_from(OutboundMessage).where(
            OutboundMessage.status == MessageStatus.QUEUED)) == 0

        figures["copy_s"] = raw_copy(queued, now)
        print(f"{'raw COPY of as many rows':<30} {figures['copy_s']:8.2f} s")
        figures["queue_over_copy"] = figures["queue_s"] / figures["copy_s"]
        figures["send_over_copy"] = figures["send_all_s"] / figures["copy_s"]
        print(f"queue ÷ COPY {figures['queue_over_copy']:.1f}×, "
              f"send ÷ COPY {figures['send_over_copy']:.0f}×")
    if arguments.json:
        print(json.dumps({"rows": arguments.rows, "messages": queued,
                          **{name: round(value, 3) for name, value in figures.items()}}))


if __name__ == "__main__":
    main()
