"""The append-only, tamper-evident audit log of staff actions and look-ups."""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from backend import db
from backend.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
_HEAD_ID = 1


def _entry_hash(entry: AuditEntry) -> str:
    canonical = json.dumps({
        "at": entry.at.isoformat(), "actor": entry.actor, "action": entry.action,
        "subject_personal_id": entry.subject_personal_id, "target": entry.target,
        "details": entry.details, "prev_hash": entry.prev_hash,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = current_app.config["AUDIT_KEY"].encode()
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _lock_head() -> AuditChainHead:
    """Take the chain's head row for this transaction (creating it once)."""
    for _ in range(2):
        # An UPDATE first: it takes the row lock on PostgreSQL and the write
        # lock on SQLite before the head is read, so appends never interleave.
        bumped = db.execute_counted(update(AuditChainHead).where(AuditChainHead.id == _HEAD_ID)
                                    .values(entries=AuditChainHead.entries + 1)
                                    .execution_options(synchronize_session=False))
        if bumped == 1:
            head = db.get_existing(AuditChainHead, _HEAD_ID)
            db.session.refresh(head)
            return head
        try:
            with db.session.begin_nested():
                db.session.add(AuditChainHead(id=_HEAD_ID, entries=0, last_hash=GENESIS))
        except IntegrityError:
            pass  # another writer created it first; bump it on the next pass
    raise RuntimeError("audit chain head unavailable")


def record(actor: str, action: str, now: datetime, *, subject_personal_id: str | None = None,
           target: str | None = None, details: dict | None = None) -> AuditEntry:
    """Append an entry in the caller's transaction; it lands when the caller commits."""
    head = _lock_head()
    entry = AuditEntry(at=now, actor=actor, action=action,
                       subject_personal_id=subject_personal_id, target=target,
                       details=details or {}, prev_hash=head.last_hash)
    entry.entry_hash = _entry_hash(entry)
    head.last_hash = entry.entry_hash
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    broken_at: int | None = None
    problem: str | None = None

    def __str__(self) -> str:
        if self.intact:
            return f"audit chain intact: {self.checked} entries"
        return f"audit chain BROKEN at entry {self.broken_at}: {self.problem}"


def verify() -> ChainReport:
    """Walk the chain in id order, in batches (constant memory)."""
    expected_prev = GENESIS
    checked = 0
    rows = db.session.execute(select(AuditEntry).order_by(AuditEntry.id)
                              .execution_options(yield_per=1000)).scalars()
    for entry in rows:
        if entry.prev_hash != expected_prev:
            return ChainReport(False, checked, entry.id, "an entry before it was changed, "
                                                          "removed or reordered")
        if entry.entry_hash != _entry_hash(entry):
            return ChainReport(False, checked, entry.id, "this entry was changed")
        expected_prev = entry.entry_hash
        checked += 1
    head = db.session.get(AuditChainHead, _HEAD_ID)
    if head is not None and (head.last_hash != expected_prev or head.entries != checked):
        return ChainReport(False, checked, None, "entries were removed from the end")
    return ChainReport(True, checked)


def page(filters: dict, page_number: int, page_size: int) -> tuple[list[AuditEntry], int]:
    conditions = []
    if filters.get("actor"):
        conditions.append(AuditEntry.actor == filters["actor"])
    if filters.get("action"):
        conditions.append(AuditEntry.action == filters["action"])
    if filters.get("personal_id"):
        conditions.append(AuditEntry.subject_personal_id == filters["personal_id"])
    if filters.get("since"):
        conditions.append(AuditEntry.at >= filters["since"])
    if filters.get("until"):
        conditions.append(AuditEntry.at < filters["until"])
    return db.paginate(select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc()),
                       page_number, page_size)
