"""Benchmark: a one-off gift to N people, from the programme to the bank's results.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/ssa_bench_one_off \\
        .venv/bin/python bench/one_off.py --people 1000000

Creates (and afterwards keeps) a fresh schema in the database DATABASE_URL
names, seeds the fixtures, puts N synthetic living people into the simulated
population register (COPY on PostgreSQL), links a share of them to a bank
account, and times: creating the programme, building the payments (one
INSERT ... SELECT, everyone alive on the date), payment requests, Treasury
control (budget included), dispatch (pain.001 files) and bank results. On
PostgreSQL it first times a raw COPY of N payment-shaped rows into a plain
table, the floor each stage is compared with, in the same run. Prints peak
resident memory after each stage. `--json` ends with one JSON line.
Not a test: numbers go to bench/RESULTS.md by hand.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payroll import CLOSED_EVERY, peak_mb, print_outcomes, print_slow_statements  # noqa: E402,E501

from backend import db, schema  # noqa: E402
from backend.app import create_app  # noqa: E402
from backend.config import Config  # noqa: E402
from backend.models import (  # noqa: E402
    PayoutLink,
    SimInstitutionAccount,
    SimPerson,
    SocialSecurityAccount,
)
from backend.models.statuses import (  # noqa: E402
    AccountStatus,
    InstitutionAccountStatus,
    LinkStatus,
)
from backend.services.accounts import account_numbers  # noqa: E402
from backend.services.demo import seed  # noqa: E402
from backend.services.identity.personal_id import PROVINCES, compose  # noqa: E402
from backend.services.payments import (  # noqa: E402
    dispatch,
    one_off,
    payment_requests,
    programmes,
    result_pickup,
    treasury,
)

GIFT_DATE = date(2025, 9, 2)
AMOUNT_VND = 100_000
_PEOPLE_COLUMNS = "personal_id, full_name, date_of_birth, sex, province_code, alive"


def write_people(path: Path, people: int, linked_share: float, fixtures: Path) -> list[str]:
    """N living people with valid personal IDs, distinct from each other and from the
    fixtures' people; returns those to link."""
    provinces = sorted(PROVINCES)
    every = max(1, round(1 / linked_share)) if linked_share else 0
    taken = {person["personal_id"] for person in json.loads(
        (fixtures / "population_register.json").read_text(encoding="utf-8"))}
    to_link = []
    written, number = 0, -1
    with path.open("w", encoding="utf-8") as handle:
        while written < people:
            number += 1
            province = provinces[number % len(provinces)]
            sex = "female" if number % 2 else "male"
            year = 1930 + number % 70
            personal_id = compose(province, sex, year, f"{number % 1_000_000:06d}")
            if personal_id in taken:
                continue
            written += 1
            handle.write(f"{personal_id}\tNGUYEN VAN A\t{year}-01-01\t{sex}\t{province}\tt\n")
            if every and number % every == 0:
                to_link.append(personal_id)
    return to_link


def link(personal_ids: list[str], now) -> None:
    """An active bank link for each, held by the simulated bank (one in CLOSED_EVERY
    closed since, so its transfer is rejected), as bench/payroll.py links; the
    account number is the whole personal ID, distinct at any N."""
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
            number = f"9{pid}"
            closed = position % CLOSED_EVERY == CLOSED_EVERY - 1
            held.append({"institution": "VCB", "account_number": number,
                         "holder_name": "NGUYEN VAN A", "holder_personal_id": pid,
                         "status": InstitutionAccountStatus.CLOSED if closed
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


def load_people(path: Path) -> None:
    """Into the simulated population register: COPY on PostgreSQL, batches elsewhere."""
    if db.on_postgresql():
        connection = db.session.connection().connection.dbapi_connection
        with path.open("rb") as stream, connection.cursor() as cursor, cursor.copy(
                f"COPY sim_population_register ({_PEOPLE_COLUMNS}) FROM STDIN") as copy:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                copy.write(chunk)
    else:
        with path.open(encoding="utf-8") as lines:
            batch = []
            for line in lines:
                personal_id, name, born, sex, province, _ = line.rstrip("\n").split("\t")
                batch.append({"personal_id": personal_id, "full_name": name,
                              "date_of_birth": date.fromisoformat(born), "sex": sex,
                              "province_code": province, "alive": True})
                if len(batch) == 10_000:
                    db.session.execute(insert(SimPerson), batch)
                    batch.clear()
            if batch:
                db.session.execute(insert(SimPerson), batch)
    db.session.commit()
    db.analyze("sim_population_register")


def time_raw_copy(path: Path) -> float | None:
    """Seconds to COPY N rows as they are into a plain table (no checks, no index)."""
    if not db.on_postgresql():
        return None
    db.session.execute(text("CREATE TABLE bench_raw_copy (personal_id text, full_name text, "
                            "date_of_birth text, sex text, province text, alive text)"))
    db.session.commit()
    connection = db.session.connection().connection.dbapi_connection
    started = time.perf_counter()
    with path.open("rb") as stream, connection.cursor() as cursor, cursor.copy(
            "COPY bench_raw_copy FROM STDIN") as copy:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            copy.write(chunk)
    db.session.commit()
    elapsed = time.perf_counter() - started
    db.session.execute(text("DROP TABLE bench_raw_copy"))
    db.session.commit()
    return elapsed


def dispatch_and_results(requests, results_dir: Path, stage, started: float) -> None:
    for request in requests:
        dispatch.dispatch(request.id, db.utcnow())
    started = stage("dispatch (pain.001)", started)
    picked = result_pickup.pick_up(results_dir, "bench", db.utcnow)
    assert not picked.refused, picked.refused
    lines = sum(each.transactions for each in picked.reports)
    stage(f"bank results ({lines:,} lines)", started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--linked-share", type=float, default=0.1,
                        help="share of people with a linked bank account")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--until", choices=("results", "control"), default="results",
                        help="'control' stops once the payments are built and approved")
    parser.add_argument("--slow", type=float, default=0,
                        help="print each SQL statement slower than this many seconds")
    arguments = parser.parse_args()
    config = Config()
    config.BANK_RESULTS_DIR = Path(tempfile.mkdtemp(prefix="bench-bank-results-"))
    app = create_app(config)
    timings: list[tuple[str, float, float]] = []
    copy_s: float | None = None

    def stage(name: str, started: float) -> float:
        elapsed = time.perf_counter() - started
        timings.append((name, elapsed, peak_mb()))
        ratio = f"{elapsed / copy_s:7.1f}x COPY" if copy_s else ""
        print(f"{name:<30} {elapsed:9.2f} s   peak RSS {peak_mb():6.0f} MB {ratio}", flush=True)
        return time.perf_counter()

    with app.app_context(), tempfile.TemporaryDirectory() as workdir:
        if arguments.slow:
            print_slow_statements(db.session.get_bind(), arguments.slow)
        print(f"database {db.session.get_bind().dialect.name}, {arguments.people:,} people")
        started = time.perf_counter()
        schema.upgrade(config.DATABASE_URL)
        seed.load(config.FIXTURES_DIR, db.utcnow())
        path = Path(workdir) / "people.tsv"
        to_link = write_people(path, arguments.people, arguments.linked_share,
                               config.FIXTURES_DIR)
        load_people(path)
        link(to_link, db.utcnow())
        print(f"setup: schema, fixtures, {arguments.people:,} people, {len(to_link):,} links: "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        copy_s = time_raw_copy(path)
        if copy_s is not None:
            print(f"{'raw COPY of N rows (floor)':<30} {copy_s:9.2f} s", flush=True)
        started = time.perf_counter()
        budget = AMOUNT_VND * (arguments.people + 1000)
        programme = programmes.create("bench", {
            "code": "bench_gift", "name_vi": "Quà tặng", "name_en": "Gift", "kind": "one_off",
            "label": "QK2025", "budget_vnd": budget}, db.utcnow())
        started = stage("create programme", started)
        report = one_off.build("bench", programme.code, "population_alive_on", AMOUNT_VND,
                               GIFT_DATE, db.utcnow())
        print(f"  {report}")
        started = stage("build payments", started)
        requests = payment_requests.build(report.period, "bench", db.utcnow())
        started = stage(f"requests ({len(requests)})", started)
        decided = treasury.approve_sound("bench", [request.id for request in requests],
                                         db.utcnow())
        assert not decided["left"], decided
        started = stage("Treasury control (budget)", started)
        built_and_approved = sum(elapsed for _, elapsed, _ in timings[-3:])
        print(f"  built and approved: {built_and_approved:.1f} s", flush=True)
        if arguments.until == "results":
            dispatch_and_results(requests, config.BANK_RESULTS_DIR, stage, started)
        print_outcomes()
    shutil.rmtree(config.BANK_RESULTS_DIR, ignore_errors=True)
    total = sum(elapsed for _, elapsed, _ in timings)
    print(f"{'total (timed stages)':<30} {total:9.2f} s   peak RSS {peak_mb():6.0f} MB")
    if arguments.json:
        print(json.dumps({"people": arguments.people, "copy_s": copy_s,
                          "stages": {name: round(elapsed, 3) for name, elapsed, _ in timings},
                          "total_s": round(total, 3), "peak_rss_mb": round(peak_mb())}))


if __name__ == "__main__":
    main()
