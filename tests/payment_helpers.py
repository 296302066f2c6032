"""Helpers for tests that run payments through the API."""
from __future__ import annotations

import io

from sqlalchemy import select, update

from backend import db
from backend.integrations.simulated_gateway import SimulatedBankGateway
from backend.models import SimGatewayMessage, SimInstitutionAccount

PAYROLLS = "/api/v1/staff/payrolls"
REQUESTS = "/api/v1/staff/payment-requests"
HEADER = "personal_id,programme,period,amount_vnd,province\n"


def payroll_csv(rows: list[tuple]) -> bytes:
    return (HEADER + "".join(",".join(str(value) for value in row) + "\n"
                             for row in rows)).encode()


def upload(client, headers, content: bytes, name: str = "payroll.csv"):
    return client.post(PAYROLLS, headers=headers,
                       data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def claim(person: dict, period: str = "2026-10", amount: int = 1_500_000,
          programme: str = "social_allowance", province: str | None = None) -> tuple:
    return (person["personal_id"], programme, period, amount,
            province or person["personal_id"][:3])


def build_requests(client, headers, period: str = "2026-10") -> list[dict]:
    answer = client.post(REQUESTS, json={"period": period}, headers=headers)
    assert answer.status_code == 201, answer.json
    return answer.json


def deliver_callbacks(app, client, msg_ids=None) -> list[str]:
    """The simulated gateway calls our endpoint for every transfer it executed."""
    outcomes = []
    with app.app_context():
        gateway: SimulatedBankGateway = app.extensions["integrations"].bank_gateway
        for msg_id in msg_ids or db.session.scalars(select(SimGatewayMessage.msg_id)).all():
            gateway.deliver_callbacks(msg_id, lambda body, signature: outcomes.append(
                client.post("/api/v1/bank-gateway/callbacks", data=body,
                            content_type="application/json",
                            headers={"X-Gateway-Signature": signature}).json["outcome"]))
    return outcomes


def approve_and_dispatch(app, client, treasurer, request_ids, deliver=True) -> None:
    for request_id in request_ids:
        approved = client.post(f"{REQUESTS}/{request_id}/approve", headers=treasurer)
        assert approved.status_code == 200, approved.json
        sent = client.post(f"{REQUESTS}/{request_id}/dispatch", headers=treasurer)
        assert sent.status_code == 200, sent.json
    if deliver:
        deliver_callbacks(app, client)


def set_account_status(app, account_number: str, status: str) -> None:
    """The simulated bank closes (or opens again) an account."""
    with app.app_context():
        db.session.execute(update(SimInstitutionAccount)
                           .where(SimInstitutionAccount.account_number == account_number)
                           .values(status=status))
        db.session.commit()
