"""The audit chain's head, kept outside the database.

The chain proves that no entry was changed relative to the ones after it, but
someone able to write the database can cut the tail off, empty the table, or
(holding the chain's key) write a new history: the chain alone stays
consistent. So every AUDIT_CHECKPOINT_EVERY entries, and every hour, the head
(how many entries, the newest one's id and hash) is written to a checkpoint
file, signed with its own key (HMAC-SHA256, SSA_AUDIT_CHECKPOINT_KEY, a key the
chain's writers do not need), in AUDIT_CHECKPOINT_DIR. Each file is created
once and never rewritten, so the directory can live on write-once storage (an
object-lock bucket, a WORM mount). With AUDIT_CHECKPOINT_STORE_URL (Redis) each
checkpoint is also pushed to a second store, set once, so removing files from
the directory is not enough to hide a cut. `verification` checks the table
against the union of both.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from backend import db, tasks
from backend.models import AuditChainHead, AuditEntry

log = logging.getLogger(__name__)
CHECKPOINT_TASK = "audit_checkpoint"
_DUE_FLAG = "audit_checkpoint_due"
_PATTERN = "checkpoint-*.json"


@dataclass(frozen=True)
class Checkpoint:
    entries: int
    last_id: int
    last_hash: str
    at: str

    @property
    def file_name(self) -> str:
        return f"checkpoint-{self.entries:012d}.json"


class CheckpointForged(Exception):
    """A checkpoint file whose signature is not this service's."""


def _signature(checkpoint: Checkpoint) -> str:
    key = current_app.config["AUDIT_CHECKPOINT_KEY"].encode()
    canonical = json.dumps(asdict(checkpoint), sort_keys=True, separators=(",", ":"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _directory() -> Path:
    return Path(current_app.config["AUDIT_CHECKPOINT_DIR"])


def due_after(entries: int, appended: int = 1) -> None:
    """Called as entries are appended (the chain now holds `entries`): passing
    every N-th one asks for a checkpoint once the transaction commits."""
    every = current_app.config["AUDIT_CHECKPOINT_EVERY"]
    # 0: the hourly checkpoint only
    if every > 0 and entries // every > (entries - appended) // every:
        db.session.info[_DUE_FLAG] = True


def write(now: datetime) -> Checkpoint | None:
    """Checkpoint the committed head; None when there is nothing new to record."""
    # One statement, so the count, the hash and the newest entry belong to the same
    # commit (appends are serialised on the head row: the newest id is its entry).
    newest = select(func.max(AuditEntry.id)).scalar_subquery()
    row = db.session.execute(
        select(AuditChainHead.entries, AuditChainHead.last_hash, AuditEntry.id,
               AuditEntry.entry_hash)
        .join(AuditEntry, AuditEntry.id == newest)).first()
    db.session.rollback()  # the read transaction ends here; nothing was written
    if row is None or row.entries == 0:
        return None
    if row.entry_hash != row.last_hash:
        # Never sign what is already broken; `ssa audit verify` says where.
        log.error("audit chain head disagrees with its newest entry %s: no checkpoint", row.id)
        return None
    checkpoint = Checkpoint(entries=row.entries, last_id=row.id, last_hash=row.last_hash,
                            at=now.isoformat())
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / checkpoint.file_name
    if path.exists():
        return None
    body = json.dumps({**asdict(checkpoint), "signature": _signature(checkpoint)}, indent=1)
    if not _publish(path, body):
        return None  # another worker wrote this very head
    _push(checkpoint, body)
    return checkpoint


def _publish(path: Path, body: str) -> bool:
    """Create `path` holding `body`, whole or not at all; False if it exists.

    Written under a name the checkpoints' pattern does not match, then linked
    to its own name: a reader (`ssa audit verify`, another worker) never sees
    it half written, and a crash mid-write leaves no empty checkpoint that
    every later verification would fail on. The link never replaces a file,
    so a checkpoint is still created once and never rewritten; it is made
    read-only once it has one name (write-once storage locks it then).
    """
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                        suffix=".draft")
    draft = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as output:
            output.write(body)
            output.flush()
            os.fsync(output.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:
            return False
    finally:
        draft.unlink(missing_ok=True)
    path.chmod(0o444)
    return True


def _second_store() -> Any:
    url = current_app.config["AUDIT_CHECKPOINT_STORE_URL"]
    if not url:
        return None
    import redis  # the production extra; the embedded default runs without it

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _store_key() -> str:
    return f"{current_app.config['SESSION_STORE_PREFIX']}:audit-checkpoints"


def _push(checkpoint: Checkpoint, body: str) -> None:
    store = _second_store()
    if store is None:
        return
    try:
        store.hsetnx(_store_key(), str(checkpoint.entries), body)  # set once, never replaced
    except Exception:  # noqa: BLE001 - the file is written; the next checkpoint pushes again
        log.exception("could not push the audit checkpoint to the second store")


def all_signed() -> list[Checkpoint]:
    """Every checkpoint of the directory and the second store, oldest (fewest
    entries) first; raises CheckpointForged on one whose signature does not hold,
    or that the two stores tell differently."""
    found: dict[int, Checkpoint] = {}
    sources = [(path.name, path.read_text(encoding="utf-8"))
               for path in sorted(_directory().glob(_PATTERN))]
    store = _second_store()
    if store is not None:
        sources += [(f"{_store_key()}[{entries.decode()}]", body.decode())
                    for entries, body in store.hgetall(_store_key()).items()]
    for name, body in sources:
        stored = json.loads(body)
        signature = stored.pop("signature", "")
        checkpoint = Checkpoint(**stored)
        if not hmac.compare_digest(signature, _signature(checkpoint)) \
                or found.get(checkpoint.entries, checkpoint) != checkpoint:
            raise CheckpointForged(name)
        found[checkpoint.entries] = checkpoint
    return [found[entries] for entries in sorted(found)]


@event.listens_for(Session, "after_commit")
def _checkpoint_once_committed(session: Session) -> None:
    if session.in_nested_transaction():  # the chain's own savepoint, not the end
        return
    if session.info.pop(_DUE_FLAG, False):
        try:
            tasks.enqueue(CHECKPOINT_TASK)
        except Exception:  # noqa: BLE001 - the hourly checkpoint still comes
            log.exception("could not queue the audit checkpoint")


@event.listens_for(Session, "after_soft_rollback")
def _nothing_due(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(_DUE_FLAG, None)


@tasks.task(CHECKPOINT_TASK)
def checkpoint_now() -> None:
    write(db.utcnow())


@tasks.periodic_task("audit_checkpoint_hourly", minute="0", hour="*")
def checkpoint_hourly() -> None:
    write(db.utcnow())
