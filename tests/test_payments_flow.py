"""A month of payments end to end: bank, mobile money, authorised person, cash."""
from __future__ import annotations

from tests.conftest import bearer, totp_code, wait_for
from tests.linking_helpers import LINKS, offered, request_link, settled
from tests.payment_helpers import (
    REQUESTS,
    approve_and_dispatch,
    build_requests,
    claim,
    payroll_csv,
    upload,
)

PAYMENTS = "/api/v1/me/payments"


def linked(client, person, tokens):
    outcome = settled(client, tokens, request_link(client, person, tokens).json["id"])
    assert outcome["status"] == "ACTIVE"


def authorise(client, staff_login, elderly, elderly_tokens, relative, relative_tokens, clock):
    clock.shift(30)
    named = client.post(LINKS, json={"kind": "authorised_person", "consent": True,
                                     "authorised_personal_id": relative["personal_id"]},
                        headers={**bearer(elderly_tokens["access_token"]),
                                 "X-OTP": totp_code(elderly)}).json
    offered(client, named["id"], relative_tokens)
    client.post(f"/api/v1/me/authorisations/{named['id']}/accept",
                headers={**bearer(relative_tokens["access_token"]), "X-OTP": totp_code(relative)})
    wait_for(lambda: client.get(f"{LINKS}/{named['id']}", headers=bearer(
        elderly_tokens["access_token"])).json["status"], lambda status: status == "NEEDS_REVIEW")
    reviewer = staff_login("reviewer1")
    client.post(f"/api/v1/staff/link-requests/{named['id']}/claim", headers=reviewer)
    client.post(f"/api/v1/staff/link-requests/{named['id']}/approve",
                json={"note": "relative verified"}, headers=reviewer)


def test_a_month_end_to_end(app, client, citizen, login_as, staff_login, clock):
    bank, wallet = citizen("clean_bank_link"), citizen("clean_wallet_link")
    elderly, relative = citizen("authorised_person", 0), citizen("authorised_person", 1)
    cash = citizen("plain")
    tokens = {person["personal_id"]: login_as(person)
              for person in (bank, wallet, elderly, relative, cash)}
    linked(client, bank, tokens[bank["personal_id"]])
    linked(client, wallet, tokens[wallet["personal_id"]])
    linked(client, relative, tokens[relative["personal_id"]])
    authorise(client, staff_login, elderly, tokens[elderly["personal_id"]], relative,
              tokens[relative["personal_id"]], clock)

    officer = staff_login("payroll1")
    imported = upload(client, officer, payroll_csv(
        [claim(person) for person in (bank, wallet, elderly, cash)]))
    assert imported.status_code == 201, imported.json
    assert imported.json["new_payments"] == 4
    assert imported.json["total_vnd"] == 4 * 1_500_000

    requests = build_requests(client, officer)
    assert sum(request["count"] for request in requests) == 4
    treasurer = staff_login("treasury1")
    detail = client.get(f"{REQUESTS}/{requests[0]['id']}", headers=treasurer).json
    assert detail["findings"]["totals_match"] and detail["findings"]["checksum_match"]
    approve_and_dispatch(app, client, treasurer, [request["id"] for request in requests])

    def payment_of(person):
        items = client.get(PAYMENTS, headers=bearer(
            tokens[person["personal_id"]]["access_token"])).json["items"]
        assert len(items) == 1
        return items[0]

    to_bank, to_wallet, to_relative = payment_of(bank), payment_of(wallet), payment_of(elderly)
    assert (to_bank["status"], to_bank["destination"]["kind"]) == ("PAID", "bank")
    assert to_bank["destination"]["account_masked"] == \
        "•••• " + bank["payout_account"]["account_number"][-4:]
    assert (to_wallet["status"], to_wallet["destination"]["kind"]) == ("PAID", "mobile_money")
    assert to_relative["status"] == "PAID"
    assert to_relative["destination"]["via_authorised_person"] is True
    assert to_relative["destination"]["institution"] == relative["payout_account"]["institution"]

    in_cash = payment_of(cash)
    assert (in_cash["status"], in_cash["destination"]["kind"]) == ("CASH_READY", "cash")
    paid_out = client.post(f"/api/v1/staff/payments/{in_cash['id']}/cash-paid",
                           json={"agent_id": "VNPOST-001-HK", "code": totp_code(cash)},
                           headers=officer)
    assert paid_out.json["status"] == "PAID"
    cash_detail = client.get(f"{PAYMENTS}/{in_cash['id']}",
                             headers=bearer(tokens[cash["personal_id"]]["access_token"])).json
    # Approved and ready for collection in one write, and still both steps in its history.
    assert [step["status"] for step in cash_detail["history"]] == \
        ["PLANNED", "REQUESTED", "APPROVED", "CASH_READY", "PAID"]

    detail = client.get(f"{PAYMENTS}/{to_bank['id']}",
                        headers=bearer(tokens[bank["personal_id"]]["access_token"])).json
    assert [step["status"] for step in detail["history"]] == \
        ["PLANNED", "REQUESTED", "APPROVED", "SENT", "PAID"]
    notices = client.get("/api/v1/me/notifications", headers=bearer(
        tokens[bank["personal_id"]]["access_token"])).json["items"]
    assert notices[0]["kind"] == "PAYMENT_PAID" and "1.500.000 ₫" in notices[0]["title"]

    reconciled = client.get(f"{REQUESTS}/{requests[0]['id']}/reconciliation",
                            headers=treasurer).json
    assert reconciled["differences"] == []


def test_history_filters_and_totals_per_year(app, client, citizen, login_as, staff_login,
                                             clock):
    person = citizen("plain")
    officer = staff_login("payroll1")
    upload(client, officer, payroll_csv([
        claim(person, "2025-12", 500_000), claim(person, "2026-01", 600_000),
        claim(person, "2026-02", 700_000, programme="poor_household")]))
    for period in ("2025-12", "2026-01", "2026-02"):
        requests = build_requests(client, officer, period)
        approve_and_dispatch(app, client, staff_login("treasury1"),
                             [request["id"] for request in requests], deliver=False)
    headers = bearer(login_as(person)["access_token"])
    everything = client.get(PAYMENTS, headers=headers).json
    assert [item["period"] for item in everything["items"]] == ["2026-02", "2026-01", "2025-12"]
    for item in everything["items"]:
        clock.shift(30)  # the citizen shows a fresh one-time code at each hand-over
        client.post(f"/api/v1/staff/payments/{item['id']}/cash-paid",
                    json={"agent_id": "VNPOST-001-HK", "code": totp_code(person)},
                    headers=officer)
    totals = client.get(PAYMENTS, headers=headers).json["totals_by_year"]
    assert totals == [{"year": 2026, "paid_count": 2, "paid_vnd": 1_300_000},
                      {"year": 2025, "paid_count": 1, "paid_vnd": 500_000}]
    in_2026 = client.get(f"{PAYMENTS}?year=2026", headers=headers).json
    assert in_2026["total"] == 2
    poor = client.get(f"{PAYMENTS}?programme=poor_household", headers=headers).json
    assert [item["amount_vnd"] for item in poor["items"]] == [700_000]
    assert poor["items"][0]["programme_name"] == "Hỗ trợ hộ nghèo"
