"""A period's requests are built, approved and paid out in province parts side by
side; each part stands on its own, and control holds the programmes' budgets."""
from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import create_engine, func, select, text, update

from backend import db, logs
from backend.integrations import pain001
from backend.integrations.iso20022 import xsd
from backend.models import AuditEntry, Payment, PaymentRequest, Programme
from backend.models.reconciliation import Reconciliation
from backend.models.statuses import PaymentRequestStatus, PaymentStatus
from backend.services.payments import (
    bank_files,
    budgets,
    cash_handover,
    dispatch,
    payment_requests,
    province_parts,
    result_files,
    result_pickup,
    treasury,
)
from tests.linking_helpers import request_link, settled
from tests.payment_helpers import build_requests, claim, payroll_csv, upload

PROVINCES = ("001", "079", "048", "092")


def test_provinces_are_split_into_parts_of_about_equal_payments():
    weights = {"001": 500, "079": 400, "048": 300, "092": 200, "031": 100}
    parts = province_parts.split(weights, 2)
    assert sorted(province for part in parts for province in part) == sorted(weights)
    loads = sorted(sum(weights[province] for province in part) for part in parts)
    assert loads == [700, 800]
    assert province_parts.split(weights, 2) == parts  # the same split every time
    assert province_parts.split({"001": 5}, 4) == [["001"]]  # no empty part
    assert province_parts.split(weights, 1) == [sorted(weights)]


def _claims_in_four_provinces(client, citizen, staff_login) -> None:
    officer = staff_login("payroll1")
    rows = [claim(citizen("plain", index), province=province, amount=1_000_000 * (index + 1))
            for index, province in enumerate(PROVINCES)]
    assert upload(client, officer, payroll_csv(rows)).status_code == 201


def test_a_period_in_parts_is_built_approved_and_paid_whole(app, client, citizen, staff_login,
                                                            monkeypatch):
    monkeypatch.setitem(app.config, "PAYMENT_PARTS", 3)
    _claims_in_four_provinces(client, citizen, staff_login)
    built = build_requests(client, staff_login("payroll1"))
    assert sorted((request["province_code"], request["count"], request["total_vnd"])
                  for request in built) == sorted(
        (province, 1, 1_000_000 * (index + 1)) for index, province in enumerate(PROVINCES))
    with app.app_context():
        # Each part audits the requests it built; together, each request once.
        audited = [request["id"] for entry in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "payment_requests.built"))
            for request in entry.details["requests"]]
        assert sorted(audited) == sorted(request["id"] for request in built)
        ids = [request["id"] for request in built]
        decided = treasury.approve_sound("treasury1", ids, db.utcnow())
        assert (decided["approved"], decided["left"]) == (sorted(ids), [])
        assert set(db.session.scalars(select(PaymentRequest.status))) == {
            PaymentRequestStatus.APPROVED}
        assert cash_handover.simulate_collection(ids, "agent", db.utcnow()) == 4
        assert set(db.session.scalars(select(Payment.status))) == {PaymentStatus.PAID}


def test_a_part_that_fails_leaves_the_others_built_and_a_second_build_finishes(
        app, client, citizen, staff_login, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "PAYMENT_PARTS", 2)
    _claims_in_four_provinces(client, citizen, staff_login)
    build_part = payment_requests._build_part

    def failing_in_hanoi(period, groups, actor, now):
        if any(province == "001" for _, province in groups):
            raise ConnectionError("the database went away")
        return build_part(period, groups, actor, now)

    with app.app_context():
        monkeypatch.setattr(payment_requests, "_build_part", failing_in_hanoi)
        with pytest.raises(ConnectionError):
            payment_requests.build("2026-10", "payroll1", db.utcnow())
        [failure] = [record for record in caplog.records
                     if record.name == province_parts.__name__]
        assert "001" in failure.getMessage() and failure.levelname == "WARNING"
        built = set(db.session.scalars(select(PaymentRequest.province_code)))
        assert built and "001" not in built
        waiting = db.session.execute(select(Payment.status, Payment.request_id).where(
            Payment.province_code == "001")).one()
        assert tuple(waiting) == (PaymentStatus.PLANNED, None)

        monkeypatch.setattr(payment_requests, "_build_part", build_part)
        again = payment_requests.build("2026-10", "payroll1", db.utcnow())
        assert {request.province_code for request in again} | built == set(PROVINCES)
        assert "001" in {request.province_code for request in again}
        assert db.session.scalar(select(func.count()).select_from(PaymentRequest)) == 4
        assert db.session.scalar(select(func.count()).where(
            Payment.status != PaymentStatus.REQUESTED)) == 0


def test_an_approval_waits_while_another_holds_the_programmes_budget(
        app, client, citizen, staff_login):
    with app.app_context():
        if not db.on_postgresql():
            pytest.skip("SQLite has one writer at a time: nothing to hold")
    _claims_in_four_provinces(client, citizen, staff_login)
    ids = [request["id"] for request in build_requests(client, staff_login("payroll1"))]
    other = create_engine(app.config["DATABASE_URL"])
    finished = threading.Event()

    def approve():
        with app.app_context():
            treasury.approve_sound("treasury1", ids, db.utcnow())
            finished.set()

    try:
        with other.connect() as controller:
            # Another controller's approval, holding the budget, not yet committed.
            controller.execute(text("SELECT code FROM programmes WHERE code = "
                                    "'social_allowance' FOR NO KEY UPDATE"))
            waiting = threading.Thread(target=approve)
            waiting.start()
            assert not finished.wait(1.5), "approved while the budget was held"
            controller.rollback()
        waiting.join(30)
        assert finished.is_set()
    finally:
        other.dispose()
    with app.app_context():
        assert set(db.session.scalars(select(PaymentRequest.status))) == {
            PaymentRequestStatus.APPROVED}


def test_control_counts_a_builds_requests_by_province_whatever_order_their_ids_came_in(
        app, clean_db):
    """A build's parts give its provinces their ids in whichever order they run: the
    budget decision must come out the same every time."""
    with app.app_context():
        before = db.session.scalar(select(Programme.budget_vnd)
                                   .where(Programme.code == "social_allowance"))
        db.session.execute(update(Programme).where(Programme.code == "social_allowance")
                           .values(budget_vnd=1_000_000))
        db.session.commit()
        try:
            built_at = db.utcnow()
            # The small request of Đà Nẵng (048) happened to get the first id.
            requests = [PaymentRequest(id=id_, programme="social_allowance", period="2026-10",
                                       province_code=province, created_at=built_at)
                        for id_, province in ((1, "048"), (2, "001"), (3, "079"))]
            totals = {1: (1, 500_000), 2: (1, 2_000_000), 3: (1, 1_500_000)}
            found = budgets.findings_of(requests, totals)
            # Counted by province: 001 first (2,000,000 over the budget), then 048 and
            # 079 as if it had been approved. None is covered, as in one build in turn.
            assert {id_: each["covered"] for id_, each in found.items()} == {
                1: False, 2: False, 3: False}
            assert [found[id_]["committed_vnd"] for id_ in (2, 1, 3)] == [
                0, 2_000_000, 2_500_000]
        finally:
            db.session.execute(update(Programme).where(Programme.code == "social_allowance")
                               .values(budget_vnd=before))
            db.session.commit()


def _bank_payments_in_two_provinces(client, citizen, login_as, staff_login) -> list[int]:
    """Two linked citizens' claims in Hanoi and Ho Chi Minh City: two requests."""
    people = [citizen("clean_bank_link", index) for index in range(2)]
    for person in people:
        tokens = login_as(person)
        assert settled(client, tokens, request_link(client, person, tokens).json["id"]) \
            ["status"] == "ACTIVE"
    officer = staff_login("payroll1")
    assert upload(client, officer, payroll_csv([
        claim(person, province=province, amount=2_000_000)
        for person, province in zip(people, ("001", "079"), strict=True)])).status_code == 201
    return [request["id"] for request in build_requests(client, officer)]


def test_files_go_out_side_by_side_and_never_spend_one_balance_twice(
        app, client, citizen, login_as, staff_login, monkeypatch):
    """Two provinces' bank files are sent by two parts at once; the simulated
    bank books them one at a time, as one Treasury account would."""
    monkeypatch.setitem(app.config, "PAYMENT_PARTS", 2)
    ids = _bank_payments_in_two_provinces(client, citizen, login_as, staff_login)
    gateway = app.extensions["integrations"].bank_gateway
    monkeypatch.setattr(gateway, "treasury_balance_vnd", 3_000_000)  # one payment, not two
    # Each file waits (up to a second) for the other to have read the balance
    # too: side by side with nothing between them, both would spend it.
    both_read = threading.Barrier(2, timeout=1)
    read_by: set[str] = set()
    funds_left = gateway._funds_left

    def read_together():
        funds = funds_left()
        read_by.add(threading.current_thread().name)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return funds

    monkeypatch.setattr(gateway, "_funds_left", read_together)
    with app.app_context():
        treasury.approve_sound("treasury1", ids, db.utcnow())
        reports = dispatch.dispatch_many(ids, db.utcnow())
        assert [(report.files, report.sent) for report in reports] == [(1, 1), (1, 1)]
        assert set(db.session.scalars(select(PaymentRequest.status))) == {
            PaymentRequestStatus.DISPATCHED}
        booked = dict(db.session.execute(text(
            "SELECT coalesce(reason_code, 'settled'), count(*) FROM sim_transfers"
            " GROUP BY 1")).all())
        side_by_side = db.on_postgresql()  # SQLite has one writer: one part after the other
    assert booked == {"settled": 1, "AM04": 1}
    if side_by_side:
        assert len(read_by) == 2 and all(name.startswith("payment-part") for name in read_by)


def test_a_second_dispatch_while_a_file_is_being_sent_leaves_that_file_alone(
        app, client, citizen, login_as, staff_login, monkeypatch):
    """A second click, or a retried call, while the first dispatch is handing
    the file to the bank: the second sends nothing and never rewrites nor
    removes the file the first is sending."""
    request_id = _bank_payments_in_two_provinces(client, citizen, login_as, staff_login)[0]
    gateway = app.extensions["integrations"].bank_gateway
    submit = gateway.submit
    handing_over, let_go = threading.Event(), threading.Event()
    submitted: list[str] = []

    def slow_bank(msg_id, institution, pain001_file):
        submitted.append(msg_id)
        if len(submitted) == 1:  # the first dispatch's hand-over takes its time
            handing_over.set()
            assert let_go.wait(30)
        return submit(msg_id, institution, pain001_file)

    monkeypatch.setattr(gateway, "submit", slow_bank)
    first: list[dispatch.DispatchReport] = []

    def dispatch_first():
        with app.app_context():
            first.append(dispatch.dispatch(request_id, db.utcnow()))

    with app.app_context():
        treasury.approve_sound("treasury1", [request_id], db.utcnow())
    sending = threading.Thread(target=dispatch_first)
    sending.start()
    try:
        assert handing_over.wait(30)
        with app.app_context():
            (path,) = Path(app.config["DISPATCH_DIR"]).glob(f"*{bank_files.SUFFIX}")
            being_sent = path.read_bytes()
            second = dispatch.dispatch(request_id, db.utcnow())
            assert (second.files, second.sent) == (1, 0)
            assert path.read_bytes() == being_sent
            # Not DISPATCHED by the second: its file is not out yet.
            assert db.session.get_one(PaymentRequest, request_id).status == \
                PaymentRequestStatus.APPROVED
    finally:
        let_go.set()
        sending.join(30)
    assert [(report.files, report.sent) for report in first] == [(1, 1)]
    assert len(submitted) == 1 and not path.exists()
    with app.app_context():
        assert db.session.scalar(select(Payment.status).where(
            Payment.request_id == request_id)) == PaymentStatus.SENT
        assert db.session.get_one(PaymentRequest, request_id).status == \
            PaymentRequestStatus.DISPATCHED
        assert db.session.scalar(select(func.count()).where(
            AuditEntry.action == "payments.bank_file_written")) == 1


def test_the_banks_answers_are_taken_in_side_by_side_each_part_in_order(
        app, client, citizen, login_as, staff_login, monkeypatch):
    monkeypatch.setitem(app.config, "PAYMENT_PARTS", 2)
    ids = _bank_payments_in_two_provinces(client, citizen, login_as, staff_login)
    folder = Path(app.config["BANK_RESULTS_DIR"])
    taken_by: dict[str, str] = {}
    ingest = result_files.ingest

    def noting_the_part(path, *args, **kwargs):
        taken_by[path.name] = threading.current_thread().name
        return ingest(path, *args, **kwargs)

    with app.app_context():
        treasury.approve_sound("treasury1", ids, db.utcnow())
        dispatch.dispatch_many(ids, db.utcnow())
        answers = sorted(folder.glob("*.xml"))
        monkeypatch.setattr(result_files, "ingest", noting_the_part)
        picked = result_pickup.pick_up(folder, "test", db.utcnow)
        assert picked.refused == {}
        assert sorted(report.kind for report in picked.reports) == [
            "camt.054", "camt.054", "pain.002", "pain.002"]
        assert set(db.session.scalars(select(Payment.status))) == {PaymentStatus.PAID}
        # Each request's reconciliation names the last file of its own bank's answer.
        for request_id in ids:
            stored = db.session.get(Reconciliation, request_id)
            assert stored is not None and not stored.stale
            assert stored.trigger.startswith("result_file:camt054-SSA-R")
            assert f"-R{request_id}-" in stored.trigger
        side_by_side = db.on_postgresql()
    assert sorted(path.name for path in (folder / "done").iterdir()) == \
        sorted(path.name for path in answers)
    if side_by_side:
        assert len(set(taken_by.values())) == 2
        assert all(name.startswith("payment-part") for name in taken_by.values())


def test_a_file_that_answers_no_one_part_is_taken_in_alone_between_the_others(
        tmp_path, monkeypatch):
    """Where a file goes: by the pain.001 files it answers. What answers none
    we sent, or batches of two parts, waits for the files before it, and
    those after it wait for it."""
    answers = {"hanoi.xml": "SSA-R1-VCB", "saigon.xml": "SSA-R2-VCB",
               "unknown.xml": "SSA-R9-XYZ", "hanoi-again.xml": "SSA-R1-VCB",
               "both.xml": "SSA-R1-VCB</OrgnlMsgId><OrgnlMsgId>SSA-R2-VCB",
               "saigon-last.xml": "SSA-R2-VCB"}
    paths = []
    for name, answered in answers.items():
        path = tmp_path / name
        path.write_text(f"<Document><OrgnlMsgId>{answered}</OrgnlMsgId></Document>")
        paths.append(path)
    monkeypatch.setattr(result_pickup, "_parts_of_batches",
                        lambda msg_ids: {"SSA-R1-VCB": 0, "SSA-R2-VCB": 1} if msg_ids else {})
    runs = [(sorted(parts), alone and alone.name) for parts, alone in result_pickup._runs(paths)]
    assert runs == [([["hanoi.xml"], ["saigon.xml"]], "unknown.xml"),
                    ([["hanoi-again.xml"]], "both.xml"),
                    ([["saigon-last.xml"]], None)]


def test_parts_that_start_at_once_never_compile_an_xsd_together(monkeypatch):
    """libxml2 sets up its XSD machinery on the first compile, and two threads
    compiling at once could both fail ("Document is not valid XML Schema"):
    a dispatch in parts once stopped that way before sending a file."""
    compile_schema = etree.XMLSchema
    inside, most_inside, guard = 0, 0, threading.Lock()

    def watched(document):
        nonlocal inside, most_inside
        with guard:
            inside += 1
            most_inside = max(most_inside, inside)
        try:
            threading.Event().wait(0.05)  # long enough for the other part to arrive
            return compile_schema(document)
        finally:
            with guard:
                inside -= 1

    monkeypatch.setattr(xsd.etree, "XMLSchema", watched)
    both_here = threading.Barrier(2)
    schemas: list[etree.XMLSchema] = []

    def part() -> None:  # a new thread: no validator of its own yet
        both_here.wait()
        schemas.append(xsd.loaded(pain001.XSD))

    threads = [threading.Thread(target=part) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(schemas) == 2 and schemas[0] is not schemas[1]
    assert most_inside == 1


def test_each_part_carries_the_callers_request_id(app, monkeypatch):
    """A part's log lines and the tasks it queues name the request that ran it."""
    monkeypatch.setitem(app.config, "PAYMENT_PARTS", 2)
    seen: dict[str, str | None] = {}

    def work(part):
        seen[part[0]] = logs.current_request_id()
        return threading.current_thread().name

    with app.app_context():
        token = logs.bind_request_id("req-parts-1")
        try:
            threads = province_parts.run([["001"], ["079"]], work)
        finally:
            logs.unbind_request_id(token)
        side_by_side = db.on_postgresql()
    assert seen == {"001": "req-parts-1", "079": "req-parts-1"}
    if side_by_side:
        assert all(name.startswith("payment-part") for name in threads)
