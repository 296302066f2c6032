"""A period's payment work in province parts that run side by side.

A bulk move of a million payments is one statement, and PostgreSQL runs a
statement on one core: the same move in two halves on two connections took
5.5 s instead of 8.8 s. So the stages over a period's requests (building
them, Treasury control's moves, cash collection) split the provinces into
parts of about equal payments, and each part does its own requests in its
own transaction, on its own connection.

Why provinces: a citizen's payments of one period are in one province (the
same claim in two provinces is held, and never moves), so two parts never
touch the same rows: they neither wait for each other nor deadlock.

Each part commits on its own. A part that fails leaves the others done, and
its error is raised once every part has ended; the stage run again does only
what that part left, since every move takes only the rows still in its
from-status. SQLite has one writer: there the parts run one after the other,
in the caller's session.
"""
from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar, cast

from flask import current_app
from sqlalchemy import select

from backend import db
from backend.models import PaymentRequest

Result = TypeVar("Result")
log = logging.getLogger(__name__)


def split(weights: Mapping[str, int], parts: int) -> list[list[str]]:
    """The provinces in at most `parts` parts of about equal weight (payments):
    the heaviest first, each into the lightest part so far. Empty parts are
    dropped; each part lists its provinces in order."""
    loads: list[tuple[int, list[str]]] = [(0, []) for _ in range(max(1, parts))]
    for province in sorted(weights, key=lambda each: (-weights[each], each)):
        lightest = min(range(len(loads)), key=lambda index: loads[index][0])
        load, provinces = loads[lightest]
        loads[lightest] = (load + weights[province], [*provinces, province])
    return [sorted(provinces) for _, provinces in loads if provinces]


def requests_by_part(request_ids: Sequence[int]) -> list[list[int]]:
    """These requests in province parts, weighed by their payments; each part's
    ids in order."""
    if not request_ids:
        return []
    rows = db.session.execute(
        select(PaymentRequest.id, PaymentRequest.province_code, PaymentRequest.count)
        .where(PaymentRequest.id.in_(request_ids))).all()
    weights: dict[str, int] = {}
    for _, province, count in rows:
        weights[province] = weights.get(province, 0) + max(count, 1)
    province_parts = split(weights, part_count())
    part_of = {province: index for index, provinces in enumerate(province_parts)
               for province in provinces}
    parts: list[list[int]] = [[] for _ in province_parts]
    for request_id, province, _ in sorted(rows):
        parts[part_of[province]].append(request_id)
    return parts


def part_count() -> int:
    """How many parts run side by side: one per core by default (SSA_PAYMENT_PARTS)."""
    return int(current_app.config["PAYMENT_PARTS"])


def run(parts: Sequence[Sequence[str]] | Sequence[Sequence[int]],
        work: Callable[..., Result]) -> list[Result]:
    """`work(part)` for each part, each in its own transaction; the results in
    the parts' order. `work` commits what it did. Every part is tried; then
    the first error, if any, is raised. The caller's session must have nothing
    uncommitted that the parts need to see."""
    if len(parts) <= 1 or not db.on_postgresql():
        outcomes = [_attempt(work, part) for part in parts]
    else:
        app = current_app._get_current_object()  # type: ignore[attr-defined]

        def in_own_session(part):
            with app.app_context():
                try:
                    return _attempt(work, part)
                finally:
                    db.session.remove()

        # Each part runs in a copy of the caller's context: its log lines and
        # the tasks it queues carry the caller's request id (`logs`).
        contexts = [contextvars.copy_context() for _ in parts]
        with ThreadPoolExecutor(max_workers=len(parts),
                                thread_name_prefix="payment-part") as pool:
            outcomes = list(pool.map(lambda context, part: context.run(in_own_session, part),
                                     contexts, parts))
        # What the caller's session holds was written over by the parts.
        db.session.expire_all()
    failed = next((error for _, error in outcomes if error is not None), None)
    if failed is not None:
        raise failed
    return [cast(Result, result) for result, _ in outcomes]


def _attempt(work: Callable[..., Result], part) -> tuple[Result | None, Exception | None]:
    try:
        return work(part), None
    except Exception as error:
        db.session.rollback()
        # Only the first error is raised: each is logged, with what it left undone.
        log.warning("a payment part failed and was rolled back (%d items: %s)", len(part),
                    ", ".join(str(item) for item in list(part)[:10]), exc_info=True)
        return None, error
