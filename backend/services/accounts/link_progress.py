"""What a link request being verified is waiting for, told honestly to the citizen.

Read when the citizen polls the request (never on the 304 path): the open
inquiry, if any, and what its institution's answers usually take, the median
of its recent answers, or the configured typical time before it has enough.
"""
from __future__ import annotations

import statistics

from flask import current_app
from sqlalchemy import select

from backend import db
from backend.models import InstitutionInquiry, PayoutLink
from backend.models.statuses import INQUIRY_OPEN, InquiryStatus, LinkStatus

# The median of this many recent answers, once there are at least MIN_ANSWERS.
RECENT_ANSWERS = 50
MIN_ANSWERS = 5


def waiting_for(link: PayoutLink) -> dict | None:
    """{"check", "institution", "queued", "since", "attempt", "typical_seconds"} while
    the request waits for its institution's answer; None otherwise."""
    if link.status != LinkStatus.VERIFYING:
        return None  # an inquiry is asked only once the request is being verified
    inquiry = db.session.scalar(select(InstitutionInquiry).where(
        InstitutionInquiry.link_id == link.id, InstitutionInquiry.status.in_(INQUIRY_OPEN)))
    if inquiry is None:
        return None
    queued = inquiry.status == InquiryStatus.WAITING
    return {"check": "institution_answer", "institution": inquiry.institution,
            "queued": queued, "since": inquiry.created_at if queued else inquiry.sent_at,
            "attempt": inquiry.attempt, "typical_seconds": typical_seconds(inquiry.institution)}


def typical_seconds(institution: str) -> int:
    recent = db.session.scalars(
        select(InstitutionInquiry.answer_ms)
        .where(InstitutionInquiry.institution == institution,
               InstitutionInquiry.answered_at.isnot(None))
        .order_by(InstitutionInquiry.answered_at.desc()).limit(RECENT_ANSWERS)).all()
    took = [ms for ms in recent if ms is not None]
    if len(took) < MIN_ANSWERS:
        return current_app.config["INQUIRY_TYPICAL_SECONDS"]
    return max(1, round(statistics.median(took) / 1000))
