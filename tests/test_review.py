"""Support staff review link requests the checks could not settle."""
from __future__ import annotations

import threading

from sqlalchemy import select, update

from backend import db
from backend.models import AuditEntry
from tests.conftest import bearer, totp_code
from tests.linking_helpers import LINKS, request_link, settled

QUEUE = "/api/v1/staff/link-requests"


def needs_review(client, citizen, login_as, case="holder_name_mismatch", index=0):
    person = citizen(case, index)
    tokens = login_as(person)
    link = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert link["status"] == "NEEDS_REVIEW"
    return person, tokens, link


def test_staff_sign_in_needs_password_and_code(client, demo_staff):
    member = demo_staff["reviewer1"]
    no_code = client.post("/api/v1/staff/auth/login", json={
        "username": "reviewer1", "password": member["password"], "otp": "000000"})
    assert no_code.json["code"] == "OTP_INVALID"
    wrong = client.post("/api/v1/staff/auth/login", json={
        "username": "reviewer1", "password": "nope", "otp": totp_code(member)})
    unknown = client.post("/api/v1/staff/auth/login", json={
        "username": "nobody", "password": "nope", "otp": "123456"})
    assert wrong.json == unknown.json and wrong.json["code"] == "INVALID_CREDENTIALS"
    good = client.post("/api/v1/staff/auth/login", json={
        "username": "reviewer1", "password": member["password"], "otp": totp_code(member)})
    assert good.status_code == 200 and good.json["roles"] == ["reviewer"]


def test_reviewer_claims_and_approves_with_an_audit_trail(client, citizen, login_as,
                                                          staff_login):
    person, tokens, link = needs_review(client, citizen, login_as)
    reviewer = staff_login("reviewer1")
    queue = client.get(QUEUE, headers=reviewer).json
    assert link["id"] in [item["id"] for item in queue["items"]]
    assert queue["counts"]["NEEDS_REVIEW"] >= 1

    detail = client.get(f"{QUEUE}/{link['id']}", headers=reviewer).json
    assert detail["personal_id"] == person["personal_id"]
    assert detail["register"]["full_name"] == person["full_name"]
    assert detail["institution_holder_name"] == "VO THI HANG"
    holder_check = next(check for check in detail["checks"] if check["name"] == "holder_name")
    assert holder_check["result"] == "review"
    assert holder_check["evidence"]["comparison"] == "near"

    assert client.post(f"{QUEUE}/{link['id']}/approve", json={"note": "looks fine"},
                       headers=reviewer).json["details"]["claimed_by"]  # claim first
    assert client.post(f"{QUEUE}/{link['id']}/claim", headers=reviewer).status_code == 200
    approved = client.post(f"{QUEUE}/{link['id']}/approve",
                           json={"note": "Tên viết tắt tên đệm, đã gọi xác nhận"},
                           headers=reviewer)
    assert approved.status_code == 200 and approved.json["status"] == "ACTIVE"

    citizen_view = client.get(f"{LINKS}/{link['id']}", headers=bearer(tokens["access_token"]))
    assert citizen_view.json["status"] == "ACTIVE"
    assert citizen_view.json["history"][-1]["actor"] == "staff"  # not the staff member's name

    supervisor = staff_login("supervisor1")
    entries = client.get("/api/v1/staff/audit-log?actor=staff:reviewer1",
                         headers=supervisor).json["items"]
    actions = [entry["action"] for entry in entries]
    for action in ("review.approved", "review.claimed", "review.request_viewed"):
        assert action in actions
    viewed = next(entry for entry in entries if entry["action"] == "review.request_viewed")
    assert viewed["subject_personal_id"] == person["personal_id"]


def test_reject_with_a_reason_from_the_fixed_list(client, citizen, login_as, staff_login):
    _, tokens, link = needs_review(client, citizen, login_as, "registers_disagree")
    reviewer = staff_login("reviewer1")
    client.post(f"{QUEUE}/{link['id']}/claim", headers=reviewer)
    invented = client.post(f"{QUEUE}/{link['id']}/reject",
                           json={"reason": "I_DONT_LIKE_IT", "note": "x" * 5}, headers=reviewer)
    assert invented.status_code == 422 and "reason" in invented.json["details"]
    rejected = client.post(f"{QUEUE}/{link['id']}/reject",
                           json={"reason": "REGISTER_DATA_UNRESOLVED",
                                 "note": "Ngày sinh lệch một ngày"}, headers=reviewer)
    assert rejected.json["status"] == "REJECTED"
    seen = client.get(f"{LINKS}/{link['id']}", headers=bearer(tokens["access_token"])).json
    assert seen["reason"] == "REGISTER_DATA_UNRESOLVED" and seen["reason_text"]


def test_two_reviewers_claim_at_once_and_only_one_holds_it(app, client, citizen, login_as,
                                                           staff_login):
    _, _, link = needs_review(client, citizen, login_as)
    heads = [staff_login("reviewer1"), staff_login("reviewer2")]
    both_ready = threading.Barrier(2)
    answers = []

    def claim(headers):
        both_ready.wait()
        answers.append(app.test_client().post(f"{QUEUE}/{link['id']}/claim", headers=headers))

    threads = [threading.Thread(target=claim, args=(headers,)) for headers in heads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [200, 409]
    loser = next(answer for answer in answers if answer.status_code == 409)
    assert loser.json["code"] == "CONFLICT"
    assert loser.json["details"]["claimed_by"][0] in ("reviewer1", "reviewer2")


def test_a_second_decision_is_refused(client, citizen, login_as, staff_login):
    _, _, link = needs_review(client, citizen, login_as)
    reviewer1, reviewer2 = staff_login("reviewer1"), staff_login("reviewer2")
    client.post(f"{QUEUE}/{link['id']}/claim", headers=reviewer1)
    by_other = client.post(f"{QUEUE}/{link['id']}/reject",
                           json={"reason": "OTHER", "note": "not mine",
                                 "note_for_citizen": "Vui lòng mang CCCD đến UBND xã"},
                           headers=reviewer2)
    assert by_other.status_code == 409 and by_other.json["details"]["claimed_by"] == ["reviewer1"]
    assert client.post(f"{QUEUE}/{link['id']}/approve", json={"note": "fine"},
                       headers=reviewer1).status_code == 200
    twice = client.post(f"{QUEUE}/{link['id']}/approve", json={"note": "fine"},
                        headers=reviewer1)
    assert twice.status_code == 409 and twice.json["code"] == "CONFLICT"


def test_supervisor_reassigns_a_claimed_request(client, citizen, login_as, staff_login):
    _, _, link = needs_review(client, citizen, login_as)
    reviewer1, reviewer2 = staff_login("reviewer1"), staff_login("reviewer2")
    client.post(f"{QUEUE}/{link['id']}/claim", headers=reviewer1)
    assert client.post(f"{QUEUE}/{link['id']}/reassign", json={"to": "reviewer2"},
                       headers=reviewer1).status_code == 403
    moved = client.post(f"{QUEUE}/{link['id']}/reassign", json={"to": "reviewer2"},
                        headers=staff_login("supervisor1"))
    assert moved.status_code == 200
    assert client.post(f"{QUEUE}/{link['id']}/approve", json={"note": "checked"},
                       headers=reviewer2).status_code == 200


def test_queue_is_oldest_first_and_filters(client, citizen, login_as, staff_login, clock):
    _, _, older = needs_review(client, citizen, login_as, "holder_name_mismatch")
    clock.shift(120)
    _, _, newer = needs_review(client, citizen, login_as, "registers_disagree")
    reviewer = staff_login("reviewer1")
    ids = [item["id"] for item in client.get(QUEUE, headers=reviewer).json["items"]]
    assert ids.index(older["id"]) < ids.index(newer["id"])
    by_reason = client.get(f"{QUEUE}?reason=REGISTERS_DISAGREE", headers=reviewer).json
    assert [item["id"] for item in by_reason["items"]] == [newer["id"]]
    province = citizen("registers_disagree")["personal_id"][:3]
    by_province = client.get(f"{QUEUE}?province={province}", headers=reviewer).json
    assert newer["id"] in [item["id"] for item in by_province["items"]]
    assert older["id"] not in [item["id"] for item in by_province["items"]]


def test_roles_are_enforced(client, citizen, login_as, staff_login):
    citizen_headers = bearer(login_as(citizen("plain"))["access_token"])
    for path in (QUEUE, "/api/v1/staff/audit-log"):
        refused = client.get(path, headers=citizen_headers)
        assert refused.status_code == 403 and refused.json["code"] == "FORBIDDEN"
    reviewer = staff_login("reviewer1")
    assert client.get("/api/v1/staff/audit-log", headers=reviewer).status_code == 403
    treasury = staff_login("treasury1")
    assert client.get(QUEUE, headers=treasury).status_code == 403
    # A staff token is no citizen token either.
    assert client.get("/api/v1/me/social-security-account",
                      headers=reviewer).json["code"] == "FORBIDDEN"


def test_tampering_with_one_audit_row_is_detected(app, client, citizen, login_as, staff_login):
    _, _, link = needs_review(client, citizen, login_as)
    reviewer = staff_login("reviewer1")
    client.get(f"{QUEUE}/{link['id']}", headers=reviewer)
    client.post(f"{QUEUE}/{link['id']}/claim", headers=reviewer)
    supervisor = staff_login("supervisor1")
    integrity = "/api/v1/staff/audit-log/integrity"
    assert client.get(integrity, headers=supervisor).json["intact"] is True
    assert "intact" in app.test_cli_runner().invoke(args=["audit", "verify"]).output

    with app.app_context():
        victim = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "review.request_viewed"))
        db.session.execute(update(AuditEntry).where(AuditEntry.id == victim.id)
                           .values(actor="staff:someone_else"))
        db.session.commit()
    report = client.get(integrity, headers=supervisor).json
    assert report["intact"] is False and report["broken_at"] == victim.id
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"BROKEN at entry {victim.id}" in result.output


def test_removing_the_newest_audit_row_is_detected(app, client, staff_login):
    staff_login("reviewer1")
    staff_login("reviewer2")
    with app.app_context():
        newest = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
        db.session.delete(newest)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "removed from the end" in result.output


def test_refusals_say_why_in_a_machine_readable_reason(client, citizen, login_as, staff_login):
    _, _, link = needs_review(client, citizen, login_as)
    reviewer1, reviewer2 = staff_login("reviewer1"), staff_login("reviewer2")
    unclaimed = client.post(f"{QUEUE}/{link['id']}/approve", json={"note": "fine by me"},
                            headers=reviewer1)
    assert unclaimed.json["details"]["reason"] == ["NOT_CLAIMED"]
    client.post(f"{QUEUE}/{link['id']}/claim", headers=reviewer1)
    held = client.post(f"{QUEUE}/{link['id']}/approve", json={"note": "fine by me"},
                       headers=reviewer2)
    assert held.json["details"]["reason"] == ["HELD_BY_OTHER"]
    client.post(f"{QUEUE}/{link['id']}/approve", json={"note": "fine by me"}, headers=reviewer1)
    decided = client.post(f"{QUEUE}/{link['id']}/claim", headers=reviewer2)
    assert decided.json["details"]["reason"] == ["ALREADY_DECIDED"]


def test_staff_sign_out_is_audited(client, staff_login):
    reviewer = staff_login("reviewer1")
    assert client.post("/api/v1/auth/logout", headers=reviewer).status_code == 204
    assert client.get(QUEUE, headers=reviewer).status_code == 401
    log = client.get("/api/v1/staff/audit-log?action=staff.sign_out",
                     headers=staff_login("supervisor1")).json["items"]
    assert [entry["actor"] for entry in log] == ["staff:reviewer1"]


def test_a_claim_untouched_past_the_limit_is_free_for_another_reviewer(client, citizen,
                                                                       login_as, staff_login,
                                                                       clock):
    _, _, link = needs_review(client, citizen, login_as)
    reviewer1 = staff_login("reviewer1")
    assert client.post(f"{QUEUE}/{link['id']}/claim", headers=reviewer1).status_code == 200
    held = client.post(f"{QUEUE}/{link['id']}/claim", headers=staff_login("reviewer2"))
    assert held.status_code == 409 and held.json["details"]["reason"] == ["HELD_BY_OTHER"]

    clock.shift(31 * 60)  # SSA_REVIEW_CLAIM_MINUTES is 30
    reviewer2 = staff_login("reviewer2")
    free = client.get(f"{QUEUE}?claimed=unclaimed", headers=reviewer2).json["items"]
    assert link["id"] in [item["id"] for item in free]
    assert client.post(f"{QUEUE}/{link['id']}/claim", headers=reviewer2).status_code == 200
    late = client.post(f"{QUEUE}/{link['id']}/approve", json={"note": "holder verified"},
                       headers=staff_login("reviewer1"))
    assert late.status_code == 409 and late.json["details"]["reason"] == ["HELD_BY_OTHER"]


def test_a_rejection_for_another_reason_needs_words_the_citizen_reads(client, citizen, login_as,
                                                                      staff_login):
    _, tokens, link = needs_review(client, citizen, login_as)
    reviewer = staff_login("reviewer1")
    client.post(f"{QUEUE}/{link['id']}/claim", headers=reviewer)
    silent = client.post(f"{QUEUE}/{link['id']}/reject",
                         json={"reason": "OTHER", "note": "gọi không được"}, headers=reviewer)
    assert silent.status_code == 422 and "note_for_citizen" in silent.json["details"]
    assert client.get(f"{LINKS}/{link['id']}",
                      headers=bearer(tokens["access_token"])).json["status"] == "NEEDS_REVIEW"
    rejected = client.post(f"{QUEUE}/{link['id']}/reject", headers=reviewer, json={
        "reason": "OTHER", "note": "gọi không được, hồ sơ thiếu",
        "note_for_citizen": "Vui lòng mang CCCD và sổ tài khoản đến UBND xã để xác minh."})
    assert rejected.status_code == 200
    seen = client.get(f"{LINKS}/{link['id']}", headers=bearer(tokens["access_token"])).json
    assert seen["status"] == "REJECTED"
    assert seen["note_for_citizen"] == "Vui lòng mang CCCD và sổ tài khoản đến UBND xã để xác minh."
    assert "hồ sơ thiếu" not in str(seen)  # the colleagues' note stays with staff
