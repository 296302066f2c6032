"""The automatic checks of a link request, run off the request thread.

Each check is stored with its evidence. Any clear "no" fails the request,
anything inconclusive sends it to a person, and only all-clear activates it.
No thread waits for an institution: `run` puts the request's inquiry in the
institution's line (`inquiries`) and returns; the institution's report comes
back through `receive_report`, which decides. A request whose inquiries go
unanswered goes to a person (`inquiries.settle_unanswered`). Every decision is
the state machine's compare-and-set, so whatever is delivered twice decides once.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from flask import current_app
from sqlalchemy import select

from backend import db, integrations, names, tasks
from backend.errors import Conflict
from backend.integrations.institutions import REPORT_TASK, VerificationReport
from backend.models import InstitutionInquiry, LinkCheck, PayoutLink, SocialSecurityAccount
from backend.models.statuses import (
    LINK_BEING_VERIFIED,
    CheckOutcome,
    InquiryStatus,
    InstitutionAccountStatus,
    LinkStatus,
)
from backend.services.accounts import (
    authorisations,
    inquiries,
    link_states,
    linking,
    social_security,
)

log = logging.getLogger(__name__)
SYSTEM = "system"


@dataclass(frozen=True)
class CheckResult:
    name: str
    result: CheckOutcome
    reason: str | None = None
    evidence: dict = field(default_factory=dict)


@dataclass
class Findings:
    """What the checks found, written to the request only once they are all done."""
    results: list[CheckResult] = field(default_factory=list)
    province_code: str | None = None
    holder_name: str | None = None


def run(link_id: int, now: datetime) -> None:
    """Start verifying a request: the checks that need no institution decide it at
    once; otherwise its inquiry joins the institution's line and this returns.
    Run twice (a retry, a duplicate delivery, the stalled sweep), it asks once."""
    link = db.session.get(PayoutLink, link_id)
    if link is not None and authorisations.awaiting_resolution(link):
        authorisations.resolve(link, now)
        return
    if link is None or not _ready(link):
        return
    if link.status == LinkStatus.SUBMITTED:
        try:
            link_states.move(link, LinkStatus.VERIFYING, SYSTEM, now)
            db.session.commit()
        except Conflict:
            db.session.rollback()
            return  # another worker took it, or the citizen cancelled
    account = db.get_existing(SocialSecurityAccount, link.account_id)
    if link.kind != "authorised_person" and \
            integrations.current().population_register.find_person(account.personal_id):
        assert link.institution is not None  # a bank or wallet request names one
        if inquiries.ask(link, now):
            db.session.commit()
            inquiries.dispatch(link.institution, now)
        else:
            db.session.rollback()
        return
    _settle(link, None, 1, now)


class ReportOutcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # the inquiry was answered already: nothing changed
    UNKNOWN = "unknown"  # no such inquiry to this institution
    NOT_AWAITED = "not_awaited"  # not sent yet, or withdrawn, or refused at sending


def receive_report(report: VerificationReport, now: datetime) -> ReportOutcome:
    """An institution's answer (acmt.024), from its callback or the simulator's task:
    decides the request. The same report delivered twice is applied once."""
    inquiry = db.session.get(InstitutionInquiry, report.inquiry_id)
    if inquiry is None or inquiry.institution != report.institution:
        db.session.rollback()
        log.warning("a report for no inquiry of %s: %s", report.institution,
                    report.inquiry_id)
        return ReportOutcome.UNKNOWN
    answered_in = inquiries.answer(inquiry, report, now)
    if answered_in is None:
        db.session.rollback()
        # Answered already (a report delivered twice), or never asked of them.
        return (ReportOutcome.DUPLICATE if inquiry.status == InquiryStatus.ANSWERED
                else ReportOutcome.NOT_AWAITED)
    link = db.get_existing(PayoutLink, inquiry.link_id)
    if link.status == LinkStatus.VERIFYING:
        try:
            _write_decision(link, report, inquiry.attempt, now)
        except Conflict:
            # Cancelled meanwhile: only the inquiry's answer is kept.
            db.session.rollback()
            if inquiries.answer(inquiry, report, now) is None:
                db.session.rollback()
                return ReportOutcome.DUPLICATE  # the other delivery got there first
    inquiries.release(inquiry.institution, now, failed=False,
                      slot=answered_in == InquiryStatus.SENT)
    db.session.commit()
    inquiries.dispatch(inquiry.institution, now)
    return ReportOutcome.APPLIED


def _settle(link: PayoutLink, report: VerificationReport | None, attempt: int,
            now: datetime) -> None:
    try:
        _write_decision(link, report, attempt, now)
        db.session.commit()
    except Conflict:
        db.session.rollback()  # decided elsewhere meanwhile (duplicate run, cancel)


def _write_decision(link: PayoutLink, report: VerificationReport | None, attempt: int,
                    now: datetime) -> None:
    findings = _checks(link, report)
    for check in findings.results:
        db.session.add(LinkCheck(link_id=link.id, attempt=attempt, name=check.name,
                                 result=check.result, reason=check.reason,
                                 evidence=check.evidence, at=now))
    _decide(link, findings, now)


def _ready(link: PayoutLink) -> bool:
    if link.status not in LINK_BEING_VERIFIED:
        return False
    # An authorised person's link waits for that person's acceptance.
    return link.kind != "authorised_person" or link.authorised_accepted_at is not None


def _decide(link: PayoutLink, findings: Findings, now: datetime) -> None:
    # The compare-and-set in each move fails if the citizen cancelled while
    # the checks ran; then nothing of this run is kept.
    results = findings.results
    if findings.province_code:
        link.province_code = findings.province_code
    if findings.holder_name:
        link.holder_name = findings.holder_name
    failed = [check for check in results if check.result == CheckOutcome.FAIL]
    doubtful = [check for check in results if check.result == CheckOutcome.REVIEW]
    if failed:
        linking.settle(link, LinkStatus.FAILED, SYSTEM, _reason(failed[0]), now)
    elif doubtful:
        linking.settle(link, LinkStatus.NEEDS_REVIEW, SYSTEM, _reason(doubtful[0]), now)
    elif link.kind == "authorised_person":
        linking.settle(link, LinkStatus.NEEDS_REVIEW, SYSTEM, "AUTHORISATION_NEEDS_APPROVAL", now)
    else:
        linking.activate(link, SYSTEM, now)


def _reason(check: CheckResult) -> str:
    # Every check that fails or asks for a person is built with its reason.
    assert check.reason is not None, check.name
    return check.reason


def _checks(link: PayoutLink, answer: VerificationReport | None) -> Findings:
    """Ask the registers, and read the institution's answer; writes nothing."""
    account = db.get_existing(SocialSecurityAccount, link.account_id)
    world = integrations.current()
    person = world.population_register.find_person(account.personal_id)
    findings = Findings(province_code=person.province_code if person else None)
    findings.results += [_alive(person, "DECEASED"), _registers_agree(person, world)]
    if person is None:
        return findings
    if link.kind == "authorised_person":
        findings.results += _authorised_person_checks(link, world)
        return findings
    # A bank or wallet request with a registered person is decided on its report.
    assert answer is not None
    if answer.account_status != InstitutionAccountStatus.OPEN:
        reason = ("ACCOUNT_CLOSED" if answer.account_status == InstitutionAccountStatus.CLOSED
                  else "ACCOUNT_UNKNOWN")
        findings.results.append(CheckResult("account_open", CheckOutcome.FAIL, reason,
                                            {"institution_answer": answer.account_status}))
        return findings
    # An institution names the holder of every account it reports open (HolderAnswer).
    assert answer.holder_name is not None
    findings.holder_name = answer.holder_name
    findings.results.append(CheckResult("account_open", CheckOutcome.PASS, None,
                                        {"institution_answer": InstitutionAccountStatus.OPEN}))
    if link.kind == "mobile_money":
        findings.results.append(_wallet_owner(answer.holder_personal_id,
                                              person.personal_id))
    findings.results.append(_holder_name(person.full_name, answer.holder_name, link.kind))
    findings.results.append(_not_linked_elsewhere(link))
    return findings


def _alive(person, deceased_reason: str) -> CheckResult:
    if person is None:
        return CheckResult("person_alive", CheckOutcome.REVIEW, "NOT_IN_POPULATION_REGISTER",
                           {"found": False})
    evidence = {"register_name": person.full_name,
                "date_of_birth": person.date_of_birth.isoformat(),
                "province_code": person.province_code, "alive": person.alive}
    if not person.alive:
        evidence["date_of_death"] = person.date_of_death and person.date_of_death.isoformat()
        return CheckResult("person_alive", CheckOutcome.FAIL, deceased_reason, evidence)
    return CheckResult("person_alive", CheckOutcome.PASS, None, evidence)


def _registers_agree(person, world) -> CheckResult:
    if person is None:
        return CheckResult("registers_agree", CheckOutcome.REVIEW, "NOT_IN_POPULATION_REGISTER", {})
    entitlements = world.beneficiary_register.entitlements_of(person.personal_id)
    if not entitlements:
        return CheckResult("registers_agree", CheckOutcome.PASS, None, {"beneficiary": False})
    differing = [{"programme": entitlement.programme, "name": entitlement.full_name,
                  "date_of_birth": entitlement.date_of_birth.isoformat()}
                 for entitlement in entitlements
                 if names.fold(entitlement.full_name) != names.fold(person.full_name)
                 or entitlement.date_of_birth != person.date_of_birth]
    evidence = {"population": {"name": person.full_name,
                               "date_of_birth": person.date_of_birth.isoformat()},
                "beneficiary_differs": differing}
    if differing:
        return CheckResult("registers_agree", CheckOutcome.REVIEW, "REGISTERS_DISAGREE", evidence)
    return CheckResult("registers_agree", CheckOutcome.PASS, None, evidence)


def _wallet_owner(registered_personal_id: str | None, personal_id: str) -> CheckResult:
    evidence = {"registered_to_citizen": registered_personal_id == personal_id}
    if registered_personal_id != personal_id:
        return CheckResult("wallet_owner", CheckOutcome.FAIL, "WALLET_OTHER_PERSON", evidence)
    return CheckResult("wallet_owner", CheckOutcome.PASS, None, evidence)


def _holder_name(register_name: str, holder_name: str, kind: str) -> CheckResult:
    verdict = names.compare(register_name, holder_name)
    evidence = {"register_name": register_name, "register_name_folded": names.fold(register_name),
                "holder_name": holder_name, "comparison": verdict}
    if verdict == "match":
        return CheckResult("holder_name", CheckOutcome.PASS, None, evidence)
    if verdict == "near":
        return CheckResult("holder_name", CheckOutcome.REVIEW, "HOLDER_NAME_MISMATCH", evidence)
    return CheckResult("holder_name", CheckOutcome.FAIL, "HOLDER_NAME_DIFFERENT", evidence)


def _not_linked_elsewhere(link: PayoutLink) -> CheckResult:
    # Found by keyed hash: no row is decrypted to answer this.
    others = db.session.scalars(select(PayoutLink.id).where(
        PayoutLink.account_number_hash == link.account_number_hash,
        PayoutLink.institution == link.institution, PayoutLink.status == LinkStatus.ACTIVE,
        PayoutLink.account_id != link.account_id)).all()
    if others:
        return CheckResult("not_linked_elsewhere", CheckOutcome.REVIEW, "ACCOUNT_LINKED_ELSEWHERE",
                           {"active_links_of_others": list(others)})
    return CheckResult("not_linked_elsewhere", CheckOutcome.PASS, None,
                       {"active_links_of_others": []})


def _authorised_person_checks(link: PayoutLink, world) -> list[CheckResult]:
    # Set on every authorised-person link (check constraint authorised_person_named).
    receiver = db.get_existing(SocialSecurityAccount, link.authorised_account_id)
    receiver_person = world.population_register.find_person(receiver.personal_id)
    alive = _alive(receiver_person, "AUTHORISED_PERSON_DECEASED")
    results = [CheckResult("authorised_person_alive", alive.result, alive.reason,
                           alive.evidence)]
    receiving = social_security.active_link(receiver)
    if receiving is None or receiving.kind == "authorised_person":
        results.append(CheckResult("authorised_person_account", CheckOutcome.FAIL,
                                   "AUTHORISED_PERSON_HAS_NO_ACCOUNT", {"active_link": None}))
    else:
        results.append(CheckResult("authorised_person_account", CheckOutcome.PASS, None, {
            "active_link": receiving.id, "institution": receiving.institution,
            "account_last4": receiving.account_last4}))
    return results


def resume_stalled(now: datetime) -> int:
    """Queue again the requests nobody has touched for a while and that no inquiry
    holds (a lost task, an outage)."""
    cutoff = now - current_app.config["STALLED_AFTER"]
    stalled = db.session.scalars(select(PayoutLink.id).where(
        PayoutLink.status.in_(LINK_BEING_VERIFIED), PayoutLink.updated_at < cutoff,
        inquiries.waiting_without_inquiry(),
        (PayoutLink.kind != "authorised_person") | PayoutLink.authorised_accepted_at.isnot(None)
        | PayoutLink.authorised_account_id.is_(None)  # the person named not yet looked up
    )).all()
    for link_id in stalled:
        linking.queue_verification(link_id)
    if stalled:
        log.info("queued %d stalled link requests again", len(stalled))
    return len(stalled)


@tasks.task(linking.VERIFY_TASK)
def verify_queued_link(link_id: int) -> None:
    run(link_id, db.utcnow())


@tasks.task(REPORT_TASK)
def receive_queued_report(report: dict) -> None:
    receive_report(VerificationReport.from_dict(report), db.utcnow())


@tasks.periodic_task("resume_stalled_links", minute="*")
def resume_stalled_links() -> None:
    resume_stalled(db.utcnow())
