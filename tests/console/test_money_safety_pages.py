"""Console pages of issue 15: disputed payout links, held duplicates side by side."""
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


def test_control_shows_held_duplicates_side_by_side(client, citizen, staff_login,
                                                    console_sign_in):
    from tests.payment_helpers import build_requests, claim, payroll_csv, upload
    person = citizen("plain")
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([claim(person, province="079")]), name="hcm.csv")
    upload(client, officer, payroll_csv([claim(person, province="001")]), name="hanoi.csv")
    request = next(each for each in build_requests(client, officer)
                   if each["province_code"] == "079")
    console_sign_in(client, "treasury1")
    page = client.get(f"/console/payment-requests/{request['id']}").get_data(as_text=True)
    table = page[page.index('id="held-duplicates"'):]
    assert person["personal_id"] in table and "001" in table and "079" in table


def test_the_console_disputes_list_pages_through_the_cases(client, citizen, login_as, clock,
                                                           console_sign_in, monkeypatch):
    from backend.console import dispute_views
    monkeypatch.setattr(dispute_views, "PAGE_SIZE", 1)
    links = []
    for person in (citizen("clean_bank_link", 0), citizen("clean_bank_link", 1)):
        link, tokens = link_now(client, person, login_as)
        client.post(f"{LINKS}/{link['id']}/dispute", json={},
                    headers=bearer(tokens["access_token"]))
        links.append(link["id"])
        clock.shift(60)
    console_sign_in(client, "reviewer1")
    first = client.get("/console/disputes").get_data(as_text=True)
    assert f"/console/requests/{links[0]}" in first
    assert f"/console/requests/{links[1]}" not in first
    assert "2 khiếu nại đang mở" in first and 'rel="next"' in first
    second = client.get("/console/disputes?page=2").get_data(as_text=True)
    assert f"/console/requests/{links[1]}" in second and 'rel="prev"' in second
    # Deciding a case on page 2 returns to page 2.
    case_id = int(re.search(r"/console/disputes/(\d+)/dismiss", second).group(1))
    done = post_form(client, f"/console/disputes/{case_id}/dismiss",
                     {"note": "her own", "page": "2"})
    assert done.headers["Location"].endswith("/console/disputes?page=2")
