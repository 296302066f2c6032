"""How far cashless payment has come: against the 30 % target."""
from __future__ import annotations

from sqlalchemy import case, distinct, func, select, union_all

from backend import db, integrations
from backend.models import Payment, PayoutLink, Programme, SocialSecurityAccount
from backend.models.statuses import LinkStatus, PaymentStatus, ProgrammeKind

TARGET = 0.30


def linked_share() -> list[dict]:
    """Per province and programme: beneficiaries with an active payout link.

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
    rows = db.session.execute(
        select(register.c.province_code, register.c.programme,
               func.count(distinct(register.c.personal_id)),
               func.count(distinct(case((register.c.personal_id.in_(active),
                                         register.c.personal_id)))))
        .group_by(register.c.province_code, register.c.programme)
        .order_by(register.c.province_code, register.c.programme)).all()
    return [{"province_code": province, "programme": programme, "beneficiaries": total,
             "linked": linked, "share": round(linked / total, 4) if total else 0.0,
             "target": TARGET, "meets_target": total > 0 and linked / total >= TARGET}
            for province, programme, total, linked in rows]


def cashless_share() -> list[dict]:
    """Per period: the share of paid payments that did not need cash."""
    rows = db.session.execute(
        select(Payment.period, func.count(),
               func.count(case((Payment.destination_kind != "cash", Payment.id))))
        .where(Payment.status == PaymentStatus.PAID).group_by(Payment.period)
        .order_by(Payment.period)).all()
    return [{"period": period, "paid": paid, "cashless": cashless,
             "share": round(cashless / paid, 4) if paid else 0.0, "target": TARGET,
             "meets_target": paid > 0 and cashless / paid >= TARGET}
            for period, paid, cashless in rows]
