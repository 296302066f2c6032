"""The audit log held against signed checkpoints kept outside the database."""
from __future__ import annotations

import errno
import json

import pytest
from sqlalchemy import delete, func, select, update

from backend import db
from backend.models import AuditChainHead, AuditEntry
from backend.services.audit import checkpoints, trail
from tests.conftest import wait_for
from tests.payment_helpers import build_requests, claim, payroll_csv, upload

CASES = "/api/v1/staff/cases"


@pytest.fixture
def audited(app, client, citizen, staff_login):
    """A dozen and more staff look-ups on record, checkpointed."""
    reviewer = staff_login("reviewer1")
    for index in range(14):
        client.get(f"{CASES}/{citizen('plain', index % 3)['personal_id']}", headers=reviewer)
    checkpointed = cli(app, "checkpoint")
    assert checkpointed.exit_code == 0 and "checkpoint of 15 entries" in checkpointed.output
    return reviewer


def cli(app, command: str):
    return app.test_cli_runner().invoke(args=["audit", command])


def ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


def test_an_untouched_log_is_intact_against_its_checkpoint(app, audited):
    verified = cli(app, "verify")
    assert verified.exit_code == 0, verified.output
    assert "intact: 15 entries" in verified.output
    assert "checkpoint of 15 entries" in verified.output


def test_removing_the_last_ten_rows_is_reported_with_where(app, audited):
    kept = ids(app)[:-10]
    with app.app_context():
        db.session.execute(delete(AuditEntry).where(AuditEntry.id > kept[-1]))
        # The head made to agree, as someone hiding the cut would: the chain
        # alone then looks whole.
        last = db.session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.id == kept[-1]))
        db.session.execute(update(AuditChainHead).values(entries=len(kept), last_hash=last))
        db.session.commit()
    verified = cli(app, "verify")
    assert verified.exit_code == 1
    assert f"BROKEN at entry {kept[-1] + 1}" in verified.output
    assert "10 entries are missing" in verified.output
    assert f"the table ends at entry {kept[-1]}" in verified.output


def test_rewriting_one_row_is_reported_at_that_row(app, audited):
    target = ids(app)[6]
    with app.app_context():
        db.session.execute(update(AuditEntry).where(AuditEntry.id == target)
                           .values(details={"found": False}))
        db.session.commit()
    verified = cli(app, "verify")
    assert verified.exit_code == 1
    assert f"BROKEN at entry {target}: this entry was changed" in verified.output


def test_a_history_rewritten_with_the_chain_key_is_caught_by_the_checkpoint(app, audited):
    """Whoever holds the chain's key can make a rewritten history consistent with
    itself; not with the checkpoint, signed with another key."""
    target = ids(app)[6]
    with app.app_context():
        entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        previous = entries[5].entry_hash
        for entry in entries[6:]:
            if entry.id == target:
                entry.details = {"found": False}
            entry.prev_hash = previous
            entry.entry_hash = previous = trail.entry_hash(entry)
        db.session.execute(update(AuditChainHead).values(last_hash=previous))
        db.session.commit()
    verified = cli(app, "verify")
    assert verified.exit_code == 1
    assert "differs from the checkpoint" in verified.output
    assert f"BROKEN at entry {entries[-1].id}" in verified.output


def test_emptying_the_table_is_reported(app, audited):
    with app.app_context():
        db.session.execute(delete(AuditEntry))
        db.session.execute(delete(AuditChainHead))
        db.session.commit()
    verified = cli(app, "verify")
    assert verified.exit_code == 1
    assert "15 entries are missing" in verified.output
    assert "the table is empty" in verified.output


def test_a_forged_checkpoint_is_refused(app, audited):
    [path] = list(app.config["AUDIT_CHECKPOINT_DIR"].glob("checkpoint-*.json"))
    forged = json.loads(path.read_text())
    forged["entries"] = 3
    path.chmod(0o644)
    path.write_text(json.dumps(forged))
    verified = cli(app, "verify")
    assert verified.exit_code == 1 and "not signed by this service" in verified.output


def test_a_checkpoint_is_never_seen_half_written_nor_left_so(app, audited, client, citizen,
                                                            monkeypatch):
    """`ssa audit verify` beside a checkpoint being written, or after the disk
    failed under one, reads only whole checkpoints."""
    directory = app.config["AUDIT_CHECKPOINT_DIR"]
    before = sorted(directory.iterdir())
    client.get(f"{CASES}/{citizen('plain')['personal_id']}", headers=audited)
    seen_while_written = []

    def disk_fails(descriptor: int) -> None:
        seen_while_written.append(sorted(directory.glob("checkpoint-*.json")))
        raise OSError(errno.EIO, "input/output error")

    with monkeypatch.context() as failing:
        failing.setattr(checkpoints.os, "fsync", disk_fails)
        assert cli(app, "checkpoint").exit_code != 0
    assert seen_while_written == [before]
    assert sorted(directory.iterdir()) == before
    assert cli(app, "verify").exit_code == 0
    again = cli(app, "checkpoint")
    assert again.exit_code == 0 and "checkpoint of 16 entries" in again.output, again.output
    assert cli(app, "verify").exit_code == 0


def test_a_checkpoint_every_n_entries(app, client, staff_login, citizen, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_EVERY", 4)
    reviewer = staff_login("reviewer1")
    for _ in range(3):
        client.get(f"{CASES}/{citizen('plain')['personal_id']}", headers=reviewer)
    directory = app.config["AUDIT_CHECKPOINT_DIR"]
    written = wait_for(lambda: sorted(path.name for path in directory.glob("checkpoint-*")),
                       lambda names: names)
    assert written == ["checkpoint-000000000004.json"]


def test_entries_appended_together_chain_in_order_and_pass_a_checkpoint(app, clean_db,
                                                                       monkeypatch):
    """A decision on a period's requests appends its entries with one turn of
    the head: they chain one after the other, and crossing the N-th entry
    inside the group still asks for its checkpoint."""
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_EVERY", 4)
    with app.app_context():
        before = db.session.get(AuditChainHead, trail.HEAD_ID)
        before_count, before_hash = ((before.entries, before.last_hash) if before
                                     else (0, trail.GENESIS))
        trail.record_many("treasury1", "treasury.approved", db.utcnow(), (
            {"target": f"payment_request:{number}", "details": {"count": number}}
            for number in range(1, 7)))
        db.session.commit()
        head = db.session.get(AuditChainHead, trail.HEAD_ID)
        entries = list(db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "treasury.approved").order_by(AuditEntry.id)))
    assert [entry.target for entry in entries] == [f"payment_request:{n}" for n in range(1, 7)]
    assert [entry.prev_hash for entry in entries] == [
        before_hash, *(entry.entry_hash for entry in entries[:-1])]
    assert head.entries == before_count + 6 and head.last_hash == entries[-1].entry_hash
    # Six entries in a row pass a multiple of four, whatever came before; the
    # group's count is never itself one here (6 or 10), so only the crossing asks.
    directory = app.config["AUDIT_CHECKPOINT_DIR"]
    checkpoint = directory / f"checkpoint-{before_count + 6:012d}.json"
    assert wait_for(checkpoint.exists, bool)
    verified = cli(app, "verify")
    assert verified.exit_code == 0, verified.output


def test_reads_of_the_log_and_payroll_steps_are_audited(app, client, citizen, staff_login):
    supervisor = staff_login("supervisor1")
    person = citizen("plain")
    read = client.get("/api/v1/staff/audit-log", headers=supervisor,
                      query_string={"personal_id": person["personal_id"]})
    assert read.status_code == 200
    assert client.get("/api/v1/staff/audit-log/integrity", headers=supervisor).json["intact"]
    officer = staff_login("payroll1")
    assert upload(client, officer, payroll_csv([claim(person)])).status_code == 201
    build_requests(client, officer)
    with app.app_context():
        actions = dict(db.session.execute(select(AuditEntry.action, func.count())
                                          .group_by(AuditEntry.action)).all())
        subject = db.session.scalar(select(AuditEntry.subject_personal_id)
                                    .where(AuditEntry.action == "audit.read"))
    assert {"audit.read", "audit.verified", "payroll.imported",
            "payment_requests.built"} <= set(actions)
    assert subject == person["personal_id"]


def test_the_second_store_keeps_checkpoints_whose_files_were_removed(app, client, staff_login,
                                                                     citizen, monkeypatch):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_STORE_URL", url)
    key = f"{app.config['SESSION_STORE_PREFIX']}:audit-checkpoints"
    store = redis.Redis.from_url(url)
    store.delete(key)
    try:
        reviewer = staff_login("reviewer1")
        for _ in range(4):
            client.get(f"{CASES}/{citizen('plain')['personal_id']}", headers=reviewer)
        assert cli(app, "checkpoint").exit_code == 0
        assert store.hexists(key, "5")
        for path in app.config["AUDIT_CHECKPOINT_DIR"].glob("checkpoint-*.json"):
            path.unlink()
        with app.app_context():
            db.session.execute(delete(AuditEntry))
            db.session.execute(delete(AuditChainHead))
            db.session.commit()
        verified = cli(app, "verify")
        assert verified.exit_code == 1
        assert "5 entries are missing" in verified.output
    finally:
        store.delete(key)
