"""The console in a real browser: Debian's Chromium driven by Playwright,
against the backend served on a free port. Screenshots of every page go to
build/screenshots/console/ for a person to look at."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backend import db
from backend.config import REPO_ROOT
from backend.integrations import simulated_statement
from backend.integrations.iso20022 import camt053
from backend.services.payments import statements
from tests.conftest import bearer, totp_code
from tests.console.conftest import request_of
from tests.linking_helpers import LINKS
from tests.payment_helpers import deliver_callbacks
from tests.test_review import needs_review

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's Chromium at /usr/bin/chromium "
                "(apt-get install -y chromium)", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

SCREENSHOTS = REPO_ROOT / "build" / "screenshots" / "console"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, live_url, clean_db):
    """A fresh browser context (its own cookies) per staff member; CSP reports collected."""
    contexts, violations = [], []

    def open_one() -> Page:
        context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="vi-VN",
                                      base_url=live_url)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        return page
    yield open_one
    for context in contexts:
        context.close()
    assert not violations, violations


@pytest.fixture
def sign_in(demo_staff, clock):
    """Type username, password and code with the keyboard, as a person would."""
    def sign_in_as(page: Page, username: str) -> Page:
        member = demo_staff[username]
        page.goto("/console/sign-in")
        expect(page.locator("#username")).to_be_focused()
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type(member["password"])
        page.keyboard.press("Tab")
        page.keyboard.type(totp_code(member))
        page.keyboard.press("Enter")
        expect(page.locator(".who")).to_contain_text(username)
        clock.shift(30)  # a code is accepted once
        return page
    return sign_in_as


MACHINE_CODE = re.compile(r"\b[A-Z]{2,}(?:_[A-Z0-9]+)+\b")  # HOLDER_NAME_MISMATCH
FIELD_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # register_name_folded
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}")


def speaks_the_staffs_words(page: Page) -> str:
    """What the page shows, checked for machine codes, field names and ISO dates."""
    seen = page.locator("main").inner_text()
    assert not MACHINE_CODE.findall(seen), MACHINE_CODE.findall(seen)
    assert not FIELD_NAME.findall(seen), FIELD_NAME.findall(seen)
    assert not ISO_DATE.findall(seen), ISO_DATE.findall(seen)
    return seen


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_reviewer_claims_and_approves_and_a_supervisor_sees_it(
        client, citizen, login_as, open_page, sign_in):
    _, tokens, link = needs_review(client, citizen, login_as)
    signed_out = open_page()
    signed_out.goto("/console/sign-in")
    shot(signed_out, "01-sign-in")

    reviewer = sign_in(open_page(), "reviewer1")
    shot(reviewer, "02-home-reviewer")
    reviewer.get_by_role("link", name="Hàng chờ duyệt").first.click()
    expect(reviewer.locator("h1")).to_have_text("Hàng chờ duyệt")
    shot(reviewer, "03-queue")
    reviewer.get_by_role("link", name=f"#{link['id']}").click()
    expect(reviewer.locator("#holder-name")).to_have_text("VO THI HANG")
    expect(reviewer.locator("#register-name")).to_have_text("Võ Thị Thanh Hằng")
    shot(reviewer, "04-request-unclaimed")
    reviewer.locator("#claim").click()
    expect(reviewer.locator("#claim-state")).to_contain_text("Bạn đang giữ yêu cầu này")
    reviewer.locator("#approve-note").fill("Tên viết tắt tên đệm, đã gọi điện xác nhận")
    reviewer.locator("#approve").click()
    expect(reviewer.locator(".notice-success").first).to_contain_text("Đã phê duyệt")
    shot(reviewer, "05-request-approved")

    seen = client.get(f"{LINKS}/{link['id']}", headers=bearer(tokens["access_token"])).json
    assert seen["status"] == "ACTIVE"

    supervisor = sign_in(open_page(), "supervisor1")
    supervisor.get_by_role("link", name="Nhật ký kiểm toán").first.click()
    supervisor.locator("#actor").fill("staff:reviewer1")
    supervisor.locator("#actor").press("Enter")
    expect(supervisor.locator("#chain-status")).to_contain_text("toàn vẹn")
    rows = supervisor.locator("tbody tr", has_text=f"link:{link['id']}")
    expect(rows.filter(has_text="review.approved")).to_have_count(1)
    expect(rows.filter(has_text="review.claimed")).to_have_count(1)
    shot(supervisor, "06-audit-log")


def test_a_second_reviewers_decision_is_refused_on_the_page(
        client, citizen, login_as, open_page, sign_in):
    _, tokens, link = needs_review(client, citizen, login_as, "registers_disagree")
    first = sign_in(open_page(), "reviewer1")
    first.goto(f"/console/requests/{link['id']}")
    first.locator("#claim").click()
    expect(first.locator("#claim-state")).to_contain_text("Bạn đang giữ")

    second = sign_in(open_page(), "reviewer2")
    second.goto(f"/console/requests/{link['id']}")
    expect(second.locator("#claim-state")).to_contain_text("reviewer1")
    shot(second, "07-request-held-by-other")
    second.locator("#reject-reason").select_option("REGISTER_DATA_UNRESOLVED")
    second.locator("#reject-note").fill("Ngày sinh lệch giữa hai cơ sở dữ liệu")
    second.locator("#reject").click()
    expect(second.locator("#problem")).to_contain_text(
        "Không thực hiện được: cán bộ reviewer1 đang giữ yêu cầu này")
    shot(second, "08-decision-refused")
    second.get_by_role("button", name="English").click()
    expect(second.locator("h1")).to_contain_text("Link request")
    shot(second, "09-request-in-english")

    supervisor = sign_in(open_page(), "supervisor1")
    supervisor.get_by_role("link", name="Phân công lại").first.click()
    supervisor.locator(f"#to-{link['id']}").fill("reviewer2")
    supervisor.locator(f"#to-{link['id']}").press("Enter")
    expect(supervisor.locator(".notice-success")).to_contain_text("reviewer2")
    shot(supervisor, "10-claims-reassigned")

    second.reload()
    expect(second.locator("#claim-state")).to_contain_text("You hold this request")
    second.locator("#approve-note").fill("Checked with the commune office")
    second.locator("#approve").click()
    expect(second.locator(".notice-success").first).to_contain_text("Approved")
    seen = client.get(f"{LINKS}/{link['id']}", headers=bearer(tokens["access_token"])).json
    assert seen["status"] == "ACTIVE"


def test_a_case_look_up_leaves_an_audit_entry(client, citizen, login_as, open_page, sign_in):
    person, _, _ = needs_review(client, citizen, login_as)
    reviewer = sign_in(open_page(), "reviewer1")
    reviewer.get_by_role("link", name="Tra cứu hồ sơ").first.click()
    reviewer.locator("#personal_id").fill(person["personal_id"])
    reviewer.locator("#personal_id").press("Enter")
    expect(reviewer.locator("#audit-recorded")).to_contain_text("nhật ký kiểm toán")
    expect(reviewer.locator("main")).to_contain_text(
        "•••• " + person["payout_account"]["account_number"][-4:])
    shot(reviewer, "11-case")
    speaks_the_staffs_words(reviewer)

    supervisor = sign_in(open_page(), "supervisor1")
    supervisor.goto(f"/console/audit?action=case.viewed&personal_id={person['personal_id']}")
    expect(supervisor.locator("tbody tr", has_text="staff:reviewer1")).to_have_count(1)
    shot(supervisor, "12-audit-case-viewed")
    supervisor.goto("/console/claims")
    shot(supervisor, "13-claims")


def test_a_treasury_controller_approves_and_reconciles(app, client, open_page, sign_in,
                                                       payroll_built, login_as):
    requests, people = payroll_built()
    request_id = request_of(requests, people["bank"])["id"]
    treasurer = sign_in(open_page(), "treasury1")
    shot(treasurer, "14-home-treasury")
    treasurer.get_by_role("link", name="Yêu cầu chi trả").first.click()
    expect(treasurer.locator("h1")).to_have_text("Yêu cầu chi trả gửi Kho bạc")
    batch = treasurer.locator("#batches tbody tr")
    expect(batch).to_have_count(1)  # both provinces' requests in one batch
    expect(batch).to_contain_text("3.000.000 ₫")
    expect(batch).to_contain_text("2/2 yêu cầu đạt")
    shot(treasurer, "15-payment-batches")
    speaks_the_staffs_words(treasurer)
    batch.get_by_role("link").click()
    expect(treasurer.locator("#batch-requests tbody tr")).to_have_count(2)
    shot(treasurer, "15-payment-batch")
    speaks_the_staffs_words(treasurer)
    # Keyboard: focus the request's link and follow it with Enter.
    treasurer.get_by_role("link", name=f"Xem yêu cầu #{request_id}").focus()
    treasurer.keyboard.press("Enter")
    expect(treasurer.locator("#findings")).to_contain_text("Khớp")
    shot(treasurer, "16-payment-request")
    treasurer.locator("#approve").focus()
    treasurer.keyboard.press("Enter")
    expect(treasurer.locator(".notice-success").first).to_contain_text("Đã phê duyệt")
    expect(treasurer.locator("#request-status")).to_have_text("Đã phê duyệt")
    treasurer.locator("#dispatch").click()
    expect(treasurer.locator(".notice-success").first).to_contain_text("1 khoản thanh toán")
    shot(treasurer, "17-payment-request-dispatched")

    deliver_callbacks(app, client)
    treasurer.locator("#reconciliation-link").click()
    expect(treasurer.locator("#outcome-paid")).to_contain_text("1.500.000 ₫")
    expect(treasurer.locator("#differences-status")).to_have_text("Không có chênh lệch nào.")
    shot(treasurer, "18-reconciliation")
    for name in ("Yêu cầu chi trả", "Độ phủ không dùng tiền mặt"):
        expect(treasurer.get_by_role("navigation").get_by_role("link", name=name)).to_be_visible()
    expect(treasurer.get_by_role("navigation").get_by_role("link", name="Hàng chờ duyệt")) \
        .to_have_count(0)

    supervisor = sign_in(open_page(), "supervisor1")
    supervisor.get_by_role("link", name="Độ phủ không dùng tiền mặt").first.click()
    expect(supervisor.locator("svg.share-chart")).to_have_count(2)
    supervisor.locator("#programme").select_option("social_allowance")
    supervisor.locator("#province_code").fill(people["bank"]["personal_id"][:3])
    supervisor.locator("#province_code").press("Enter")
    expect(supervisor.locator("#linked tbody tr")).to_have_count(1)
    expect(supervisor.locator("svg.share-chart .bar-ok, svg.share-chart .bar-below")) \
        .to_have_count(1)
    expect(supervisor.locator("#cashless")).to_contain_text("2026-10")
    shot(supervisor, "19-coverage")
    supervisor.goto(f"/console/payment-requests/{request_id}/reconciliation")
    supervisor.get_by_role("button", name="English").click()
    expect(supervisor.locator("#differences-status")).to_have_text("There is no difference.")
    shot(supervisor, "20-reconciliation-in-english")

    # The bank's statement for the day does not book the transfer.
    statement = io.BytesIO()
    camt053.write(statement, "STMT-BROWSER", simulated_statement.TREASURY_ACCOUNT,
                  simulated_statement.today(), datetime.now(UTC), [])
    statement.seek(0)
    with app.app_context():
        statements.ingest(statement, "statement.xml", db.utcnow())
    supervisor.reload()
    expect(supervisor.locator("#differences")).to_contain_text(
        "Paid, but missing from the bank statement")
    expect(supervisor.locator("#stored")).to_contain_text("the bank statement STMT-BROWSER")
    shot(supervisor, "21-reconciliation-statement-difference")

    # The paid citizen calls: "I was not paid". Their case shows the payment and the report.
    payee = people["bank"]
    payee_headers = bearer(login_as(payee)["access_token"])
    [payment] = client.get("/api/v1/me/payments", headers=payee_headers).json["items"]
    assert client.post(f"/api/v1/me/payments/{payment['id']}/reports",
                       json={"kind": "not_received", "note": "Nothing reached my account"},
                       headers=payee_headers).status_code == 201
    supervisor.goto("/console/cases")
    supervisor.locator("#personal_id").fill(payee["personal_id"])
    supervisor.locator("#personal_id").press("Enter")
    expect(supervisor.locator(f"#payment-{payment['id']}")).to_contain_text("1.500.000 ₫")
    expect(supervisor.locator("#case-reports tbody tr")).to_contain_text("New, not taken")
    shot(supervisor, "22-case-payments-and-reports")
    speaks_the_staffs_words(supervisor)




@pytest.mark.parametrize("case", ["holder_name_mismatch", "account_linked_elsewhere"])
def test_the_request_page_speaks_the_staffs_words(client, citizen, login_as, open_page, sign_in,
                                                    case):
    _, _, link = needs_review(client, citizen, login_as, case=case)
    reviewer = sign_in(open_page(), "reviewer1")
    reviewer.goto(f"/console/requests/{link['id']}")
    shot(reviewer, f"07-request-{case.replace('_', '-')}")
    seen = speaks_the_staffs_words(reviewer)
    assert not re.search(r"\b(citizen|system)\b", seen)  # actors are named as roles
    assert "Công dân" in seen and "Hệ thống (tự động)" in seen
    if case == "account_linked_elsewhere":
        other = reviewer.locator("#linked-elsewhere tbody tr")
        expect(other).to_have_count(1)
        expect(other).to_contain_text("*********")  # the other citizen, masked
        expect(other).to_contain_text("Không có quan hệ nào trong hệ thống")
