"""The console's page of disputed payout links."""
from __future__ import annotations

import re

from tests.conftest import bearer
from tests.console.conftest import post_form
from tests.linking_helpers import LINKS
from tests.test_account_guard import link_now


def test_staff_settle_a_dispute_in_the_console(app, client, citizen, login_as, clock,
                                               console_sign_in):
    person = citizen("clean_bank_link")
    link_now(client, person, login_as)
    clock.shift(60)
    second, tokens = link_now(client, person, login_as)
    client.post(f"{LINKS}/{second['id']}/dispute", json={},
                headers=bearer(tokens["access_token"]))
    console_sign_in(client, "reviewer1")
    page = client.get("/console/disputes").get_data(as_text=True)
    assert f"#{second['id']}" in page
    case_id = int(re.search(r"/console/disputes/(\d+)/dismiss", page).group(1))
    no_note = post_form(client, f"/console/disputes/{case_id}/dismiss", {"note": ""})
    assert "ghi chú" in client.get(no_note.headers["Location"]).get_data(as_text=True)
    done = post_form(client, f"/console/disputes/{case_id}/dismiss", {"note": "her own"})
    assert "chi trả được tiếp tục" in client.get(done.headers["Location"]).get_data(as_text=True)
    clock.shift(30)
    tokens = login_as(person)
    link = client.get(f"{LINKS}/{second['id']}", headers=bearer(tokens["access_token"])).json
    assert (link["status"], link["frozen"]) == ("ACTIVE", False)
