"""How far cashless payment has come: against the 30 % target."""
from __future__ import annotations

from sqlalchemy import case, distinct, func, select, union_all

from backend import db, integrations
from backend.models import CASH_DESTINATION, Payment, PayoutLink, Programme, SocialSecurityAccount
from backend.models.statuses import LinkStatus, PaymentStatus, ProgrammeKind
from backend.provinces import CURRENT_OF, CURRENT_PROVINCES

TARGET = 0.30


def _linked_counts(*group_by) -> list:
    """Beneficiaries (distinct people) and those with an active payout link, per group.

    A recurring programme's beneficiaries are the register's; a one-off
    programme's are the people its disbursements planned a payment for."""
    active = (select(SocialSecurityAccount.personal_id)
              .join(PayoutLink, PayoutLink.account_id == SocialSecurityAccount.id)
              .where(PayoutLink.status == LinkStatus.ACTIVE))
    entitled = integrations.current().beneficiary_register.entitlements_query().subquery()
    one_off = (select(Payment.personal_id, Payment.programme, Payment.province_code)
               .join(Programme, Programme.code == Payment.programme)
               .where(Programme.kind == ProgrammeKind.ONE_OFF, Payment.reissue_of.is_(None)))
    register = union_all(select(entitled.c.personal_id, entitled.c.programme,
                                entitled.c.province_code), one_off).subquery()
    columns = [register.c[name] for name in group_by]
    return list(db.session.execute(
        select(*columns, func.count(distinct(register.c.personal_id)),
               func.count(distinct(case((register.c.personal_id.in_(active),
                                         register.c.personal_id)))))
        .group_by(*columns)).all())


def _share(beneficiaries: int, linked: int) -> dict:
    return {"beneficiaries": beneficiaries, "linked": linked,
            "share": round(linked / beneficiaries, 4) if beneficiaries else 0.0,
            "target": TARGET,
            "meets_target": beneficiaries > 0 and linked / beneficiaries >= TARGET}


def linked_share() -> list[dict]:
    """Per current province (the 34 since July 2025) and programme: beneficiaries with
    an active payout link. The register keeps the old province codes; they are
    added up into the province each is part of now."""
    summed: dict[tuple[str, str], list[int]] = {}
    for old_code, programme, beneficiaries, linked in _linked_counts("province_code",
                                                                     "programme"):
        counts = summed.setdefault((CURRENT_OF.get(old_code, old_code), programme), [0, 0])
        counts[0] += beneficiaries  # a person lives in one province: no double count
        counts[1] += linked
    return [{"province_code": code, "province_name": CURRENT_PROVINCES[code][0]
             if code in CURRENT_PROVINCES else code,
             "programme": programme, **_share(beneficiaries, linked)}
            for (code, programme), (beneficiaries, linked) in sorted(summed.items())]


def national_share() -> dict:
    """The whole country: people (each once, whatever their programmes) with an
    active payout link, and the cashless share of every payment paid so far."""
    beneficiaries, linked = _linked_counts()[0]  # no grouping: always one row
    paid, cashless = db.session.execute(
        select(func.count(),
               func.count(case((Payment.destination_kind != CASH_DESTINATION, Payment.id))))
        .where(Payment.status == PaymentStatus.PAID)).one()
    return {**_share(beneficiaries, linked), "paid": paid, "cashless": cashless,
            "cashless_share": round(cashless / paid, 4) if paid else 0.0,
            "cashless_meets_target": paid > 0 and cashless / paid >= TARGET}


def cashless_share() -> list[dict]:
    """Per period: the share of paid payments that did not need cash."""
    rows = db.session.execute(
        select(Payment.period, func.count(),
               func.count(case((Payment.destination_kind != CASH_DESTINATION, Payment.id))))
        .where(Payment.status == PaymentStatus.PAID).group_by(Payment.period)
        .order_by(Payment.period)).all()
    return [{"period": period, "paid": paid, "cashless": cashless,
             "share": round(cashless / paid, 4) if paid else 0.0, "target": TARGET,
             "meets_target": paid > 0 and cashless / paid >= TARGET}
            for period, paid, cashless in rows]
