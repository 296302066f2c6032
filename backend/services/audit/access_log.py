"""Which staff role looked at or acted on a citizen's case, and why: read from the
audit log. Staff names stay out; the citizen sees the role the action needs."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from backend import db, messages
from backend.models import AuditEntry

# The audited staff actions about one citizen, with the role each needs (the
# endpoint's guard) and the purpose the citizen is told. Others (a citizen's own
# actions, the system's) are not staff access and are not listed.
STAFF_ACCESS = {
    "case.viewed": ("reviewer", "SUPPORT_CASE"),
    "review.request_viewed": ("reviewer", "LINK_REVIEW"),
    "review.claimed": ("reviewer", "LINK_REVIEW"),
    "review.approved": ("reviewer", "LINK_DECISION"),
    "review.rejected": ("reviewer", "LINK_DECISION"),
    "review.reassigned": ("supervisor", "LINK_REVIEW"),
    "dispute.upheld": ("reviewer", "DISPUTE"),
    "dispute.dismissed": ("reviewer", "DISPUTE"),
    "duplicates.released": ("payroll", "DUPLICATE_CLAIM"),
    "duplicates.cancelled": ("payroll", "DUPLICATE_CLAIM"),
    "audit.read": ("supervisor", "AUDIT"),
}


@dataclass(frozen=True)
class StaffAccess:
    at: datetime
    action: str
    role: str
    role_name: str
    purpose_code: str
    purpose: str


def _of(personal_id: str):
    return (select(AuditEntry)
            .where(AuditEntry.subject_personal_id == personal_id,
                   AuditEntry.actor.like("staff:%"),
                   AuditEntry.action.in_(tuple(STAFF_ACCESS)))
            .order_by(AuditEntry.id.desc()))


def page_for(personal_id: str, page: int, page_size: int, language: str
             ) -> tuple[list[StaffAccess], int]:
    entries, total = db.paginate(_of(personal_id), page, page_size)
    return [_access(entry.at, entry.action, language) for entry in entries], total


def all_for(personal_id: str, language: str) -> list[StaffAccess]:
    return [_access(entry.at, entry.action, language)
            for entry in db.session.scalars(_of(personal_id))]


def _access(at: datetime, action: str, language: str) -> StaffAccess:
    role, purpose = STAFF_ACCESS[action]
    return StaffAccess(at=at, action=action, role=role,
                       role_name=messages.text(f"staff_role.{role}", language),
                       purpose_code=purpose,
                       purpose=messages.text(f"access_purpose.{purpose}", language))
