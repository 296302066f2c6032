"""pain.001 files at rest: sealed, owner-only, hashed in the audit log, removed.

A bank file holds names and full account numbers. It is written sealed with
the service's data key (`secret_box.SealedWriter`: mode 0600, never plaintext
on disk), checked against the XSD as it is decrypted, and its plaintext's
sha256 goes into the audit log. Once the gateway has taken it (its `submit`
returned) the file is removed; one the gateway never took is removed by the
sweep after `SSA_BANK_FILE_RETENTION_DAYS`. The gateway is handed the
plaintext as a stream decrypted on the fly: here the simulated gateway is
"the bank", and a real adapter would send that stream over its own channel.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from backend import db, tasks
from backend.db import utcnow
from backend.integrations import pain001
from backend.models import DispatchBatch
from backend.services.audit import trail
from backend.services.shared import secret_box

SUFFIX = ".pain001.sealed"
SWEEPER = "bank_files.sweep"


def path_of(msg_id: str) -> Path:
    return Path(current_app.config["DISPATCH_DIR"]) / f"{msg_id}{SUFFIX}"


def write(batch: DispatchBatch, transfers: Iterable[pain001.Transfer], actor: str,
          now: datetime) -> Path:
    """Seal the batch's file, check it, keep its hash on the batch and in the audit log
    (in the caller's transaction)."""
    path = path_of(batch.msg_id)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with secret_box.SealedWriter(path) as sealed:
        pain001.write(sealed, batch.msg_id, now, batch.count, batch.total_vnd, transfers)
    with opened(path) as plaintext:
        pain001.validate(plaintext)  # an invalid file never leaves
    batch.file_sha256 = sealed.sha256
    trail.record(actor, "payments.bank_file_written", now, target=f"dispatch_batch:{batch.id}",
                 details={"msg_id": batch.msg_id, "sha256": sealed.sha256})
    return path


def opened(path: Path) -> BinaryIO:
    """The file's plaintext, decrypted as it is read."""
    return secret_box.open_sealed(path)


def remove(path: Path, reason: str, actor: str, now: datetime) -> None:
    """Delete the file and say so in the audit log, with the hash it had
    ("acknowledged" by the gateway, or past its "retention")."""
    msg_id = path.name.removesuffix(SUFFIX)
    batch = db.session.scalar(select(DispatchBatch).where(DispatchBatch.msg_id == msg_id))
    path.unlink(missing_ok=True)
    trail.record(actor, "payments.bank_file_removed", now,
                 target=f"dispatch_batch:{batch.id}" if batch else None,
                 details={"msg_id": msg_id, "reason": reason,
                          "sha256": batch.file_sha256 if batch else None})


def sweep(now: datetime, actor: str = "bank_files") -> int:
    """Remove the files older than the retention period; how many went."""
    directory = Path(current_app.config["DISPATCH_DIR"])
    if not directory.is_dir():
        return 0
    cutoff = now - timedelta(days=current_app.config["BANK_FILE_RETENTION_DAYS"])
    removed = 0
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        if datetime.fromtimestamp(os.stat(path).st_mtime, now.tzinfo) < cutoff:
            remove(path, "retention", actor, now)
            removed += 1
    db.session.commit()
    return removed


@tasks.periodic_task(SWEEPER, minute="17", hour="*")
def sweep_task() -> None:
    sweep(utcnow())
