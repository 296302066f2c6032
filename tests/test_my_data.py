"""The citizen's own data: the export, and which staff looked at their case."""
from __future__ import annotations

import json

from tests.conftest import DATA_EXPORT, bearer

ACCESS_LOG = "/api/v1/me/access-log"
CASES = "/api/v1/staff/cases"


def test_the_export_holds_the_citizens_data_in_full_and_nobody_elses(
        client, citizen, login_as, staff_login):
    owner, other = citizen("has_payment_history", 0), citizen("has_payment_history", 1)
    other_headers = bearer(login_as(other)["access_token"])
    headers = bearer(login_as(owner)["access_token"])
    exported = client.get(DATA_EXPORT, headers=headers)
    assert exported.status_code == 200, exported.json
    document = exported.json
    assert document["identity"]["personal_id"] == owner["personal_id"]
    assert document["identity"]["full_name"] == owner["full_name"]
    [link] = document["payout_links"]
    # The owner asking: the number in full, decrypted.
    assert link["account_number"] == owner["payout_account"]["account_number"]
    assert link["status"] == "ACTIVE" and link["history"]
    assert document["consents"][0]["link_id"] == link["id"]
    assert document["notifications"] and document["sessions"]
    assert document["social_security_account"]["status"] == "ACTIVE"

    text = json.dumps(document, ensure_ascii=False)
    assert other["personal_id"] not in text
    assert other["payout_account"]["account_number"] not in text
    assert other["full_name"] not in text
    theirs = client.get(DATA_EXPORT, headers=other_headers).json
    assert owner["payout_account"]["account_number"] not in json.dumps(theirs)

    supervisor = staff_login("supervisor1")
    audited = client.get("/api/v1/staff/audit-log", headers=supervisor,
                         query_string={"action": "data.exported",
                                       "personal_id": owner["personal_id"]}).json
    assert audited["total"] == 1


def test_a_staff_look_up_shows_in_that_citizens_access_log_only(
        client, citizen, login_as, staff_login):
    looked_at, other = citizen("plain", 0), citizen("plain", 1)
    headers = bearer(login_as(looked_at)["access_token"])
    other_headers = bearer(login_as(other)["access_token"])
    assert client.get(ACCESS_LOG, headers=headers).json["total"] == 0

    reviewer = staff_login("reviewer1")
    assert client.get(f"{CASES}/{looked_at['personal_id']}", headers=reviewer).status_code == 200

    log = client.get(ACCESS_LOG, headers=headers)
    assert log.status_code == 200, log.json
    assert log.json["total"] == 1
    [entry] = log.json["items"]
    assert entry["role"] == "reviewer" and entry["purpose_code"] == "SUPPORT_CASE"
    assert entry["purpose"] and entry["at"]
    assert "reviewer1" not in json.dumps(log.json)  # staff names stay out
    english = client.get(ACCESS_LOG, headers={**headers, "Accept-Language": "en"}).json
    assert english["items"][0]["role_name"] == "Reviewer"
    assert client.get(ACCESS_LOG, headers=other_headers).json["total"] == 0
    exported = client.get(DATA_EXPORT, headers=headers).json
    assert [access["purpose_code"] for access in exported["staff_access"]] == ["SUPPORT_CASE"]
