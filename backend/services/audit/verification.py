"""Whether the audit log is whole: the chain against itself, then against the
signed checkpoints kept outside the database (`checkpoints`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from backend import db
from backend.models import AuditChainHead, AuditEntry
from backend.services.audit import checkpoints, trail
from backend.services.audit.trail import GENESIS, HEAD_ID, entry_hash


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    broken_at: int | None = None
    problem: str | None = None
    # The newest checkpoint the table was held against: how many entries it counts.
    checkpoint_entries: int | None = None

    def __str__(self) -> str:
        against = "" if self.checkpoint_entries is None else \
            f" (checked against the checkpoint of {self.checkpoint_entries} entries)"
        if self.intact:
            return f"audit chain intact: {self.checked} entries{against}"
        where = "" if self.broken_at is None else f" at entry {self.broken_at}"
        return f"audit chain BROKEN{where}: {self.problem}{against}"


def verify_for(reader: str, now: datetime) -> ChainReport:
    """`verify` for a staff reader: reading the whole log is recorded like any read."""
    trail.record(reader, "audit.verified", now)
    db.session.commit()
    return verify()


def verify() -> ChainReport:
    """Walk the chain in id order, in batches (constant memory), holding each
    checkpoint's count against the entry at that position."""
    try:
        signed = checkpoints.all_signed()
    except checkpoints.CheckpointForged as forged:
        return ChainReport(False, 0, None, f"checkpoint file {forged} is not signed by this "
                                           "service")
    newest = signed[-1].entries if signed else None
    pending = iter(signed)
    expected = next(pending, None)
    passed: checkpoints.Checkpoint | None = None
    expected_prev, checked, last_id = GENESIS, 0, None
    rows = db.session.execute(select(AuditEntry).order_by(AuditEntry.id)
                              .execution_options(yield_per=1000)).scalars()
    for entry in rows:
        if entry.prev_hash != expected_prev:
            return ChainReport(False, checked, entry.id, "an entry before it was changed, "
                               "removed or reordered", newest)
        if entry.entry_hash != entry_hash(entry):
            return ChainReport(False, checked, entry.id, "this entry was changed", newest)
        expected_prev, last_id = entry.entry_hash, entry.id
        checked += 1
        if expected is not None and checked == expected.entries:
            if (entry.id, entry.entry_hash) != (expected.last_id, expected.last_hash):
                since = "the first entry" if passed is None else f"entry {passed.last_id}"
                return ChainReport(
                    False, checked, entry.id,
                    f"the history differs from the checkpoint of {expected.at} "
                    f"({expected.entries} entries, ending at entry {expected.last_id}): "
                    f"rewritten after {since}", newest)
            passed, expected = expected, next(pending, None)
    if expected is not None:
        missing = expected.entries - checked
        after = "the table is empty" if last_id is None else f"the table ends at entry {last_id}"
        return ChainReport(
            False, checked, None if last_id is None else last_id + 1,
            f"{missing} entries are missing: the checkpoint of {expected.at} counts "
            f"{expected.entries}, up to entry {expected.last_id}; {after}", newest)
    head = db.session.get(AuditChainHead, HEAD_ID)
    if head is not None and (head.last_hash != expected_prev or head.entries != checked):
        return ChainReport(False, checked, None, "entries were removed from the end", newest)
    return ChainReport(True, checked, checkpoint_entries=newest)
