"""The append-only, tamper-evident audit log of staff actions and look-ups."""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from backend import db
from backend.models import AuditChainHead, AuditEntry
from backend.services.audit import checkpoints

GENESIS = "0" * 64
HEAD_ID = 1


def entry_hash(entry: AuditEntry) -> str:
    canonical = json.dumps({
        "at": entry.at.isoformat(), "actor": entry.actor, "action": entry.action,
        "subject_personal_id": entry.subject_personal_id, "target": entry.target,
        "details": entry.details, "prev_hash": entry.prev_hash,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = current_app.config["AUDIT_KEY"].encode()
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _lock_head(appended: int) -> AuditChainHead:
    """Take the chain's head row for this transaction (creating it once),
    counting the `appended` entries that follow."""
    for _ in range(2):
        # An UPDATE first: it takes the row lock on PostgreSQL and the write
        # lock on SQLite before the head is read, so appends never interleave.
        bumped = db.execute_counted(update(AuditChainHead).where(AuditChainHead.id == HEAD_ID)
                                    .values(entries=AuditChainHead.entries + appended)
                                    .execution_options(synchronize_session=False))
        if bumped == 1:
            head = db.get_existing(AuditChainHead, HEAD_ID)
            db.session.refresh(head)
            return head
        try:
            with db.session.begin_nested():
                db.session.add(AuditChainHead(id=HEAD_ID, entries=0, last_hash=GENESIS))
        except IntegrityError:
            pass  # another writer created it first; bump it on the next pass
    raise RuntimeError("audit chain head unavailable")


def record(actor: str, action: str, now: datetime, *, subject_personal_id: str | None = None,
           target: str | None = None, details: dict | None = None) -> AuditEntry:
    """Append an entry in the caller's transaction; it lands when the caller commits."""
    return record_many(actor, action, now, [{"subject_personal_id": subject_personal_id,
                                             "target": target, "details": details}])[0]


def record_many(actor: str, action: str, now: datetime,
                items: Iterable[dict]) -> list[AuditEntry]:
    """Append one entry per item (its `target`, `details`, `subject_personal_id`),
    chained in order, taking the head once: a decision on a period's hundreds
    of requests is one entry each, not hundreds of turns of the head row."""
    items = list(items)
    head = _lock_head(len(items))
    entries = []
    for item in items:
        entry = AuditEntry(at=now, actor=actor, action=action,
                           subject_personal_id=item.get("subject_personal_id"),
                           target=item.get("target"), details=item.get("details") or {},
                           prev_hash=head.last_hash)
        entry.entry_hash = entry_hash(entry)
        head.last_hash = entry.entry_hash
        entries.append(entry)
    db.session.add_all(entries)
    checkpoints.due_after(head.entries, len(entries))
    return entries


def page(reader: str, filters: dict, page_number: int, page_size: int, now: datetime
         ) -> tuple[list[AuditEntry], int]:
    """A page of the log for a staff reader. The read itself is recorded just after
    (with the citizen it was about, when the filter names one): the next page shows it."""
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
    found = db.paginate(select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc()),
                        page_number, page_size)
    record(reader, "audit.read", now, subject_personal_id=filters.get("personal_id") or None,
           details={"filters": {key: str(value) for key, value in filters.items()
                                if value and key in _FILTERS}})
    db.session.commit()
    return found


_FILTERS = ("actor", "action", "personal_id", "since", "until")
