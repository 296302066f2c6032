"""Support lifts a citizen's sign-in lock in the console, per factor, audited (issues 14, 18)."""
from __future__ import annotations

from backend import db
from backend.models import AuditEntry
from tests.console.conftest import post_form

LOGIN = "/api/v1/auth/login"


def guessed_wrong(client, person: dict, times: int = 5) -> None:
    for _ in range(times):
        client.post(LOGIN, json={"personal_id": person["personal_id"], "password": "wrong!"})


def test_support_sees_the_lock_and_lifts_it_after_a_note(app, client, citizen,
                                                        console_sign_in):
    person = citizen("plain")
    guessed_wrong(client, person)
    right = {"personal_id": person["personal_id"], "password": person["password"]}
    assert client.post(LOGIN, json=right).status_code == 423  # backed off

    staff = app.test_client()
    console_sign_in(staff, "support1")
    case = post_form(staff, "/console/cases", {"personal_id": person["personal_id"]},
                     token_from="/console/cases").get_data(as_text=True)
    assert "5 lần thử liên tiếp chưa thành công" in case and "tạm khóa đến" in case
    assert 'id="lift-password"' in case and 'id="lift-otp"' not in case  # per factor

    # Without a note saying how the caller was checked, nothing is lifted.
    refused = post_form(staff, "/console/cases/lift-lock", {
        "personal_id": person["personal_id"], "factor": "password", "note": " "},
        token_from="/console/cases")
    assert refused.status_code == 422
    assert "Cần ghi chú" in refused.get_data(as_text=True)
    assert client.post(LOGIN, json=right).status_code == 423

    lifted = post_form(staff, "/console/cases/lift-lock", {
        "personal_id": person["personal_id"], "factor": "password",
        "note": "Called the registered phone back; date of birth and address match"},
        token_from="/console/cases")
    page = lifted.get_data(as_text=True)
    assert lifted.status_code == 200 and 'id="lock-lifted"' in page
    assert 'id="lift-password"' not in page and "tạm khóa đến" not in page
    # The owner signs in at once.
    assert client.post(LOGIN, json=right).status_code == 200
    with app.app_context():
        [entry] = db.session.query(AuditEntry).filter_by(
            action="case.lock_lifted", subject_personal_id=person["personal_id"]).all()
    assert entry.actor == "staff:support1"
    assert entry.details["factor"] == "password" and entry.details["attempts"] >= 5
    assert entry.details["note"].startswith("Called the registered phone back")

    # Nothing left to lift: said so, and not audited again.
    again = post_form(staff, "/console/cases/lift-lock", {
        "personal_id": person["personal_id"], "factor": "password", "note": "again, by phone"},
        token_from="/console/cases")
    assert again.status_code == 409
    with app.app_context():
        assert db.session.query(AuditEntry).filter_by(action="case.lock_lifted").count() == 1


def test_only_support_lifts_a_lock(app, clean_db, citizen, console_sign_in):
    person = citizen("plain")
    staff = app.test_client()
    console_sign_in(staff, "treasury1")
    answer = post_form(staff, "/console/cases/lift-lock", {
        "personal_id": person["personal_id"], "factor": "password", "note": "by phone"})
    assert answer.status_code == 403
