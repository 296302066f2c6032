"""Held duplicate claims: control sees both sides; payroll releases one and cancels
the other, and exactly one is paid."""
from __future__ import annotations

from sqlalchemy import select

from backend import db
from backend.models import AuditEntry, Payment
from tests.conftest import totp_code
from tests.payment_helpers import (
    REQUESTS,
    approve_and_dispatch,
    build_requests,
    claim,
    payroll_csv,
    upload,
)

DUPLICATES = "/api/v1/staff/duplicate-claims"


def held_twice(client, citizen, staff_login):
    person = citizen("plain")
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([claim(person, province="079")]), name="hcm.csv")
    upload(client, officer, payroll_csv([claim(person, province="001")]), name="hanoi.csv")
    return person, officer


def test_an_all_held_group_reaches_control_with_both_sides(client, citizen, staff_login):
    person, officer = held_twice(client, citizen, staff_login)
    requests = build_requests(client, officer)
    hcm = next(request for request in requests if request["province_code"] == "079")
    findings = client.get(f"{REQUESTS}/{hcm['id']}", headers=staff_login("treasury1")).json[
        "findings"]
    assert findings["held"]["DUPLICATE_CLAIM"]["count"] == 1
    [duplicate] = findings["held_duplicates"]
    assert duplicate["personal_id"] == person["personal_id"]
    assert sorted(side["province_code"] for side in duplicate["sides"]) == ["001", "079"]


def test_release_one_cancel_the_other_and_exactly_one_is_paid(app, client, citizen,
                                                              staff_login):
    person, officer = held_twice(client, citizen, staff_login)
    first = build_requests(client, officer)
    hcm = next(request for request in first if request["province_code"] == "079")
    sides = client.get(f"{REQUESTS}/{hcm['id']}", headers=staff_login("treasury1")).json[
        "findings"]["held_duplicates"][0]["sides"]
    genuine = next(side["payment_id"] for side in sides if side["province_code"] == "079")
    other = next(side["payment_id"] for side in sides if side["province_code"] == "001")

    assert client.post(f"{DUPLICATES}/{genuine}/release", json={"reason": "lives in HCMC"},
                       headers=staff_login("reviewer1")).status_code == 403
    no_reason = client.post(f"{DUPLICATES}/{genuine}/release", json={}, headers=officer)
    assert no_reason.status_code == 422
    released = client.post(f"{DUPLICATES}/{genuine}/release",
                           json={"reason": "lives in HCMC per register"}, headers=officer)
    assert released.status_code == 200, released.json
    both = client.post(f"{DUPLICATES}/{other}/release", json={"reason": "also this one"},
                       headers=officer)
    assert both.status_code == 409  # never both sides
    cancelled = client.post(f"{DUPLICATES}/{other}/cancel",
                            json={"reason": "moved away in 2025"}, headers=officer)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "CANCELLED"

    requests = build_requests(client, officer)
    assert [(request["province_code"], request["count"]) for request in requests] == \
        [("079", 1)]
    approve_and_dispatch(app, client, staff_login("treasury1"), [requests[0]["id"]],
                         deliver=False)
    handed = client.post(f"/api/v1/staff/payments/{genuine}/cash-paid",
                         json={"agent_id": "VNPOST-079-Q1", "code": totp_code(person)},
                         headers=officer)
    assert handed.status_code == 200, handed.json
    with app.app_context():
        statuses = dict(db.session.execute(select(Payment.id, Payment.status)).all())
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert statuses == {genuine: "PAID", other: "CANCELLED"}
    assert {"duplicates.released", "duplicates.cancelled"} <= actions
