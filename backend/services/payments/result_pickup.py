"""The pick-up: every result file the banks dropped in the results folder,
taken in oldest first, the files of different province parts side by side.

A bank answers each pain.001 file (a dispatch batch: one request, one
institution) with its own pain.002 and camt.054. Those of the requests of
one province part never touch a payment of another part, so the parts take
their files in at once, each in its own transactions (`province_parts`),
each part in the files' order. A file is put in a part by the batches it
answers: the pain.001 MsgIds it names (a pain.002's OrgnlMsgId, a camt.054
batch entry's PmtInfId), read from its bytes before it is parsed. A file
that names none, batches of two parts or a batch we never sent, a large
file, and a statement (camt.053) are each taken in alone, after the files
before them and before those after them: what is read in order stays so.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from threading import Lock

from sqlalchemy import select

from backend import db
from backend.errors import Conflict, ValidationFailed
from backend.models import DispatchBatch
from backend.models.statuses import ResultFileKind
from backend.services.payments import province_parts, reconciliation, result_files
from backend.services.payments.result_files import IngestReport

# The MsgIds of the pain.001 files a result answers, wherever a namespace
# prefix puts them; only where a file goes depends on this, never what it does.
_ANSWERED = re.compile(rb"<(?:[\w.-]+:)?(?:OrgnlMsgId|PmtInfId)>([^<]{1,35})</")
# A file larger than this is taken in alone: it is bulk already (its moves are
# set-based), and reading it twice would cost more than the parts save.
SIDE_BY_SIDE_BYTES = 4 << 20


@dataclass
class PickUp:
    reports: list[IngestReport] = field(default_factory=list)
    refused: dict[str, dict] = field(default_factory=dict)  # file name -> error details


def pick_up(folder: Path, actor: str, now: Callable[[], datetime],
            progress: Callable[[int], None] | None = None) -> PickUp:
    """Take in every result file dropped in `folder`, oldest first.

    A file taken in (or found to be a duplicate) moves to `done/`, so the
    next pick-up does not read it again; a refused file stays where it is,
    for an operator, and the others go on. Each file marks the stored
    reconciliation of the requests it moved stale, and once the files are
    in, those requests are reconciled together, each naming its last file:
    a request answered in forty banks' files is reconciled once, not forty
    times over all its payments (and a stale one is computed again when
    read, should the pick-up stop before).
    """
    found = PickUp()
    if not folder.is_dir():
        return found
    paths = sorted(folder.glob("*.xml"), key=lambda each: (each.stat().st_mtime, each.name))
    taking = _Taking(folder / "done", actor, now, progress)
    last_file: dict[int, str] = {}
    order = {path.name: position for position, path in enumerate(paths)}
    for side_by_side, alone in _runs(paths):
        taken = [outcome for part_outcomes in province_parts.run(side_by_side, taking.each)
                 for outcome in part_outcomes]
        if alone is not None:
            taken.append(taking.one(alone))
        for name, outcome in sorted(taken, key=lambda each: order[each[0]]):
            if isinstance(outcome, dict):
                found.refused[name] = outcome
                continue
            found.reports.append(outcome)
            if outcome.kind == ResultFileKind.STATEMENT:
                # Matched and stored by the statement, after the files before it.
                for request_id in outcome.request_ids:
                    last_file.pop(request_id, None)
            else:
                last_file.update(dict.fromkeys(outcome.request_ids, result_files.trigger(name)))
    if last_file:
        reconciliation.store(last_file, last_file, now())
        db.session.commit()
    return found


def _runs(paths: list[Path]) -> Iterator[tuple[list[list[str]], Path | None]]:
    """The files in runs: each run's files that go side by side, in their
    parts (names), then the one file after them that goes alone (or None)."""
    answered = {path: _answered(path) for path in paths}
    part_of = _parts_of_batches({msg_id for msg_ids in answered.values()
                                 for msg_id in msg_ids})
    parts: dict[int, list[str]] = {}
    for path in paths:
        msg_ids = answered[path]
        where = {part_of[msg_id] for msg_id in msg_ids if msg_id in part_of}
        if len(where) == 1 and msg_ids <= part_of.keys():
            parts.setdefault(where.pop(), []).append(path.name)
            continue
        yield list(parts.values()), path
        parts = {}
    yield list(parts.values()), None


def _answered(path: Path) -> set[str]:
    """The pain.001 MsgIds a small pain.002 or camt.054 answers; none for any other."""
    if path.stat().st_size > SIDE_BY_SIDE_BYTES:
        return set()
    content = path.read_bytes()
    if result_files.STATEMENT.encode() in content:
        return set()
    return {msg_id.decode("utf-8", "replace") for msg_id in _ANSWERED.findall(content)}


def _parts_of_batches(msg_ids: set[str]) -> dict[str, int]:
    """Each dispatched file's MsgId -> the province part of its request."""
    if not msg_ids:
        return {}
    request_of = dict(db.session.execute(select(DispatchBatch.msg_id, DispatchBatch.request_id)
                                         .where(DispatchBatch.msg_id.in_(msg_ids))).all())
    parts = province_parts.requests_by_part(sorted(set(request_of.values())))
    part_of_request = {request_id: index for index, part in enumerate(parts)
                       for request_id in part}
    return {msg_id: part_of_request[request_id] for msg_id, request_id in request_of.items()}


class _Taking:
    """Takes files in, in whichever part's thread, and counts their lines for `progress`."""

    def __init__(self, done: Path, actor: str, now: Callable[[], datetime],
                 progress: Callable[[int], None] | None):
        self.done, self.actor, self.now, self.progress = done, actor, now, progress
        self.counting = Lock()
        self.finished = 0  # lines of the files taken in
        self.reading: dict[str, int] = {}  # lines of the files being read, by name

    def each(self, names: list[str]) -> list[tuple[str, IngestReport | dict]]:
        return [self.one(self.done.parent / name) for name in names]

    def one(self, path: Path) -> tuple[str, IngestReport | dict]:
        try:
            report = result_files.ingest(path, self.actor, self.now(),
                                         progress=lambda lines: self._read(path.name, lines),
                                         reconcile=False)
        except (ValidationFailed, Conflict) as refused:
            self._read(path.name, 0, finished=True)
            return path.name, refused.details
        self._read(path.name, report.transactions, finished=True)
        self.done.mkdir(mode=0o700, exist_ok=True)
        path.replace(self.done / path.name)
        return path.name, report

    def _read(self, name: str, lines: int, finished: bool = False) -> None:
        with self.counting:
            if finished:
                self.reading.pop(name, None)
                self.finished += lines
            else:
                self.reading[name] = lines
            if self.progress:
                self.progress(self.finished + sum(self.reading.values()))
