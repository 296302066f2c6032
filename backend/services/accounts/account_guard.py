"""The account-change guard: a payout account that replaces another waits before
it is paid, the phone registered with the eID account is told at once, and the
citizen can say "this was not me".

Which account a payment goes to while a link waits is decided where every
destination is (payments.payment_requests); this module marks the links, and
`disputes` takes the citizen's "this was not me" to staff.
"""
from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from backend import db
from backend.models import Institution, PayoutLink, SocialSecurityAccount
from backend.models.statuses import LinkStatus
from backend.services.accounts import account_numbers, notifications
from backend.services.identity import recovery
from backend.services.shared import secret_box

RECEIVING_KINDS = ("bank", "mobile_money")


def code_hash(link_id: int, code: str) -> str:
    return secret_box.lookup_hash(f"dispute:{link_id}:{code.strip().upper()}")


def on_activation(link: PayoutLink, now: datetime) -> None:
    """Mark a link just activated: when it may be paid, and, when it replaced an
    account or names an authorised person, alert the registered phone.

    A first link, with nothing before it, is paid at once. One that follows an
    account since unlinked waits too: unlinking first must not skip the wait.
    So does any link made within the cooling-off period after a lost-phone
    recovery: whoever held the old phone may be the one linking."""
    previous = db.session.scalar(
        select(PayoutLink).where(PayoutLink.account_id == link.account_id,
                                 PayoutLink.id != link.id, PayoutLink.activated_at.isnot(None))
        .order_by(PayoutLink.activated_at.desc(), PayoutLink.id.desc()).limit(1))
    link.replaces_link_id = previous.id if previous is not None else None
    account = db.get_existing(SocialSecurityAccount, link.account_id)
    guarded = previous is not None or recovery.recovered_recently(account, now)
    link.payable_from = now + current_app.config["PAYOUT_COOLING_OFF"] if guarded else now
    if not guarded and link.kind != "authorised_person":
        return
    # 40 bits, used once, on an endpoint limited like sign-in.
    code = secrets.token_hex(5).upper()
    link.dispute_code_hash = code_hash(link.id, code)
    institution, last4 = _where_it_pays(link)
    notifications.notify(account, "SECURITY_ACCOUNT_CHANGED",
                         {"link_id": link.id, "institution": institution,
                          "account": account_numbers.mask(last4) or ""},
                         now, sms_only={"code": code})


def _where_it_pays(link: PayoutLink) -> tuple[str, str | None]:
    """Institution and last 4 digits of the account the link pays into."""
    paid_into = link
    if link.kind == "authorised_person":
        receiving = db.session.scalar(select(PayoutLink).where(
            PayoutLink.account_id == link.authorised_account_id,
            PayoutLink.status == LinkStatus.ACTIVE, PayoutLink.kind.in_(RECEIVING_KINDS)))
        if receiving is None:
            return "", None
        paid_into = receiving
    institution = db.session.get(Institution, paid_into.institution) \
        if paid_into.institution else None
    return (institution.short_name if institution else ""), paid_into.account_last4
