"""Staff API: Treasury batches, one per programme and period, decided at once."""
from __future__ import annotations

from sqlalchemy import select, update

from backend import db
from backend.models import AuditEntry, Payment
from tests.payment_helpers import REQUESTS, build_requests, claim, payroll_csv, upload

BATCHES = "/api/v1/staff/payment-batches"
BATCH = f"{BATCHES}/social_allowance/2026-10"


def _two_provinces(client, citizen, staff_login) -> dict[str, int]:
    officer = staff_login("payroll1")
    assert upload(client, officer, payroll_csv([
        claim(citizen("plain", 0), province="079"),
        claim(citizen("plain", 1), province="001", amount=2_000_000)])).status_code == 201
    return {request["province_code"]: request["id"]
            for request in build_requests(client, officer)}


def test_a_batch_lists_its_provinces_and_approves_what_is_sound(app, client, citizen,
                                                                staff_login):
    by_province = _two_provinces(client, citizen, staff_login)
    with app.app_context():  # one request's payment changed after it was built
        db.session.execute(update(Payment).where(Payment.request_id == by_province["001"])
                           .values(amount_vnd=Payment.amount_vnd + 1))
        db.session.commit()
    treasurer = staff_login("treasury1")
    listed = client.get(f"{BATCHES}?period=2026-10", headers=treasurer)
    assert listed.status_code == 200, listed.json
    [batch] = listed.json["items"]
    assert (batch["programme"], batch["provinces"], batch["count"], batch["total_vnd"]) == \
        ("social_allowance", 2, 2, 3_500_000)
    assert batch["statuses"] == {"SUBMITTED": 2}
    assert (batch["findings"]["sound"], batch["findings"]["totals_mismatch"]) == (1, 1)
    assert batch["findings"]["unsound"] == {str(by_province["001"]): "TOTALS_MISMATCH"}

    assert client.post(f"{BATCH}/approve", headers=staff_login("payroll1")).status_code == 403
    decided = client.post(f"{BATCH}/approve", headers=treasurer)
    assert decided.status_code == 200, decided.json
    assert decided.json == {"approved": [by_province["079"]],
                            "left": [{"request_id": by_province["001"],
                                      "reason": "TOTALS_MISMATCH"}]}
    with app.app_context():
        assert list(db.session.scalars(select(AuditEntry.target).where(
            AuditEntry.action == "treasury.approved"))) == [
            f"payment_request:{by_province['079']}"]
    again = client.get(f"{BATCHES}?status=APPROVED", headers=treasurer).json["items"]
    assert again[0]["statuses"] == {"SUBMITTED": 1, "APPROVED": 1}
    # Both claimants are paid in cash: an approved batch has no bank file to send.
    assert client.post(f"{BATCH}/dispatch", headers=treasurer).json == {"dispatched": []}


def test_a_batch_is_rejected_with_reasons_and_a_note(client, citizen, staff_login):
    by_province = _two_provinces(client, citizen, staff_login)
    treasurer = staff_login("treasury1")
    no_note = client.post(f"{BATCH}/reject", json={"reasons": ["OTHER"]}, headers=treasurer)
    assert no_note.status_code == 422 and no_note.json["code"] == "VALIDATION_ERROR"
    rejected = client.post(f"{BATCH}/reject", headers=treasurer,
                           json={"reasons": ["BUDGET_NOT_AVAILABLE"], "note": "Chưa có dự toán"})
    assert rejected.status_code == 200, rejected.json
    assert sorted(rejected.json["rejected"]) == sorted(by_province.values())
    statuses = {request["status"] for request in client.get(
        f"{REQUESTS}?period=2026-10", headers=treasurer).json["items"]}
    assert statuses == {"REJECTED"}


def test_an_unknown_batch_is_not_found(client, staff_login):
    treasurer = staff_login("treasury1")
    for path in (f"{BATCHES}/pension/2030-01/{action}"
                 for action in ("approve", "reject", "dispatch")):
        answer = client.post(path, json={"reasons": ["OTHER"], "note": "none here"},
                             headers=treasurer)
        assert answer.status_code == 404 and answer.json["code"] == "NOT_FOUND", path
