"""Active links for the demo citizens whose case says they already have one."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from backend import db
from backend.models import Consent, EidAccount, PayoutLink, SimInstitutionAccount
from backend.models.statuses import LINK_STATES, LinkStatus
from backend.services.accounts import account_numbers, link_states, linking, social_security

# payment_failed: linked while the account was open; the bank has closed it since.
CASES_WITH_ACTIVE_LINK = ("has_payment_history", "payment_failed")


def load(fixtures_dir: Path, now: datetime) -> int:
    demo = json.loads((fixtures_dir / "eid_accounts.json").read_text(encoding="utf-8"))
    created = 0
    for person in demo:
        payout = person.get("payout_account")
        if person["case"] not in CASES_WITH_ACTIVE_LINK or not payout:
            continue
        # Loaded by seed from the same file.
        citizen = db.session.execute(select(EidAccount).where(
            EidAccount.personal_id == person["personal_id"])).scalar_one()
        account = social_security.get_or_create(citizen, now)
        if social_security.active_link(account) is not None:
            continue
        _activate(account.id, payout, now - timedelta(days=180))
        created += 1
    db.session.commit()
    return created


def _activate(account_id: int, payout: dict, since: datetime) -> None:
    protected = account_numbers.protect(payout["institution"], payout["account_number"])
    holder = db.session.scalar(select(SimInstitutionAccount.holder_name).where(
        SimInstitutionAccount.institution == payout["institution"],
        SimInstitutionAccount.account_number == payout["account_number"]))
    link = PayoutLink(account_id=account_id, kind=payout["kind"], status=LINK_STATES.initial,
                      institution=payout["institution"],
                      account_number_encrypted=protected.encrypted,
                      account_number_hash=protected.lookup_hash, account_last4=protected.last4,
                      holder_name=holder, created_at=since, updated_at=since)
    db.session.add(link)
    db.session.flush()
    link_states.record_submitted(link, "citizen", since)
    link_states.move(link, LinkStatus.VERIFYING, "system", since)
    link_states.move(link, LinkStatus.ACTIVE, "system", since)
    # Linked in the app like any other: with the citizen's consent on record.
    db.session.add(Consent(account_id=account_id, link_id=link.id,
                           purpose=linking.CONSENT_PURPOSE, text_version=linking.CONSENT_VERSION,
                           given_at=since))
