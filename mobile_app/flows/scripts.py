"""The flows' scripts: what a QA tester would type and tap, step by step.

Each takes the Driver and the demo citizen it plays. Codes come from the demo
backend's simulated authenticator; a code is accepted once, so a step-up
after sign-in waits for the next 30-second code.
"""
from __future__ import annotations

import json
from pathlib import Path

from mobile_app.client import ApiClient, ApiError, Tokens
from mobile_app.client.statuses import LinkStatus
from mobile_app.flows.driver import Driver, FlowFailed
from mobile_app.flows.runner import DEFAULT_FIXTURES
from mobile_app.i18n import _

LOCKOUT_AFTER_FAILURES = 5  # the backend's threshold (backend/services/identity/lockout.py)


def current_code(d: Driver, person: dict) -> str:
    return d.app.client.demo_current_code(person["personal_id"])["code"]


def next_code(d: Driver, person: dict, used: str) -> str:
    """The first code after `used`, keeping the UI alive while waiting for it."""
    for _attempt in range(4):
        answer = d.app.client.demo_current_code(person["personal_id"])
        if answer["code"] != used:
            return answer["code"]
        d.pump(answer["valid_for_seconds"] + 0.3)
    raise FlowFailed("the demo authenticator showed no new code")


def sign_in(d: Driver, person: dict, code: str | None = None) -> str:
    """Login and one-time code; answers the code used."""
    d.expect_screen("login")
    d.shot("The login screen")
    d.type_into(d.widget("login", "personal_id"), person["personal_id"])
    d.type_into(d.widget("login", "password"), person["password"])
    d.shot("Personal ID and password typed")
    d.tap(d.widget("login", "sign_in"))
    d.expect_screen("otp")
    code = code or current_code(d, person)
    d.type_into(d.widget("otp", "code"), code)
    d.shot("One-time code typed; the countdown runs")
    d.tap(d.widget("otp", "confirm"))
    return code


def level2_login(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.wait_until(lambda: d.screen("home").tile_status != "", "the tile's status")
    d.check(d.widget("home", "citizen_name").text == person["full_name"],
            "the home screen greets the citizen by name")
    d.shot("Home: the social-security tile and its status")
    d.tap(d.widget("home", "social_security_tile"))
    d.expect_screen("account")
    d.check(d.screen("account").has_payout, "the account shows the active payout account")
    d.shot("Account: payout account masked, programmes, personal details")
    d.app.go_back()
    d.expect_screen("home")
    d.tap(d.widget("home", "notifications_tile"))
    d.expect_screen("notifications")
    d.shot("Notifications")
    d.app.go_back()
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.tap(d.widget("settings", "english"))
    d.settle()
    d.check(d.widget("settings", "sign_out").text == "Sign out", "the screen is in English")
    d.shot("Settings, switched to English in place")
    d.tap(d.widget("settings", "vietnamese"))
    d.tap(d.widget("settings", "sign_out"))
    d.expect_screen("login")
    d.shot("Signed out: back at the login screen")


def level1_refusal(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.wait_until(lambda: d.screen("home").level2_required, "the level-2 refusal")
    d.shot("Home: the tile says level 2 is needed")
    d.tap(d.widget("home", "social_security_tile"))
    d.expect_screen("level2")
    d.check(d.widget("level2", "why").text == _("level2.why"), "the reason is shown")
    d.shot("Why, and how to reach level 2")


def wrong_code_lockout(d: Driver, person: dict) -> None:
    right = current_code(d, person)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    sign_in(d, person, code=wrong)
    message = d.expect_dialog()
    warned = False
    for attempt in range(1, LOCKOUT_AFTER_FAILURES):
        if not message.startswith(_("error.OTP_INVALID")):
            break  # failures left over from an earlier run lock sooner
        if attempt == 1:
            d.shot("A wrong code is refused, with what to do")
        if not warned and message.endswith(_("error.attempts_left", count=2)):
            warned = True
            d.shot("Warned: 2 tries left before the pause")
        d.close_dialog()
        d.type_into(d.widget("otp", "code"), wrong)
        d.tap(d.widget("otp", "confirm"))
        message = d.expect_dialog()
    d.check(warned or attempt < 3, "warned before the pause")
    d.check(_("error.ACCOUNT_LOCKED", retry_at="|").split("|")[0] in message, f"locked: {message}")
    d.shot("The account is locked, with the time to try again")


def own_account(person: dict) -> dict:
    """The payout account a case links, or else the open account the banks hold in the
    citizen's name (plain citizens have one ready to link)."""
    if person.get("payout_account"):
        return person["payout_account"]
    held = json.loads((DEFAULT_FIXTURES.parent / "institution_accounts.json").read_text(
        encoding="utf-8"))
    row = next(row for row in held if row["holder_personal_id"] == person["personal_id"]
               and row["status"] == "open")
    institutions = json.loads((DEFAULT_FIXTURES.parent / "institutions.json").read_text(
        encoding="utf-8"))
    kind = next(each["kind"] for each in institutions if each["code"] == row["institution"])
    return {"kind": kind, "institution": row["institution"],
            "account_number": row["account_number"]}


def _link(d: Driver, person: dict, login_code: str) -> str:
    """From home to a submitted link request of the citizen's account; answers the code."""
    payout = own_account(person)
    d.expect_screen("home")
    d.shot("Home before linking")
    d.tap(d.widget("home", "social_security_tile"))
    d.expect_screen("account")
    d.shot("Account: no payout account yet")
    d.tap(d.widget("account", "link_account"))
    d.expect_screen("choose_institution")
    if payout["kind"] == "mobile_money":
        d.tap(d.widget("choose_institution", "wallet_tab"))
    chosen = next(institution for institution in d.app.institutions
                  if institution["code"] == payout["institution"])
    d.type_into(d.widget("choose_institution", "search"), chosen["short_name"][:5])
    d.pump(0.4)
    rows = [row for row in d.widget("choose_institution", "institutions").children
            if getattr(row, "institution_code", None) == chosen["code"]]
    d.check(bool(rows), f"{chosen['short_name']} is in the searched list")
    d.shot(f"Bank list searched for {chosen['short_name'][:5]!r}")
    d.tap(rows[0])
    d.expect_screen("link")
    d.type_into(d.widget("link", "account_number"), payout["account_number"])
    d.tap(d.widget("link", "consent"))
    code = next_code(d, person, login_code)
    d.type_into(d.widget("link", "code"), code)
    d.shot("Account number, consent and a fresh code")
    d.tap(d.widget("link", "submit"))
    d.expect_screen("link_status")
    return code


def _wait_for_status(d: Driver, status: str, timeout: float = 30.0) -> None:
    screen = d.screen("link_status")
    d.wait_until(lambda: screen.link.get("status") == status, f"the request to be {status}",
                 timeout)


def link_bank_verifies(d: Driver, person: dict) -> None:
    _link(d, person, sign_in(d, person))
    d.shot("Request sent; the status screen follows it")
    _wait_for_status(d, LinkStatus.ACTIVE)
    d.shot("Checks passed: the account is linked")
    d.tap(d.widget("link_status", "home"))
    d.expect_screen("home")
    d.wait_until(lambda: d.screen("home").tile_tone == "good", "the tile to say linked")
    d.shot("Home: the tile shows the linked account")


def link_holder_mismatch(d: Driver, person: dict) -> None:
    _link(d, person, sign_in(d, person))
    _wait_for_status(d, LinkStatus.NEEDS_REVIEW)
    d.check(d.widget("link_status", "reason").text != "", "the reason is explained")
    d.shot("Holder name differs: staff will check it")


def cancel_pending_link(d: Driver, person: dict) -> None:
    _link(d, person, sign_in(d, person))
    _wait_for_status(d, LinkStatus.NEEDS_REVIEW)
    d.shot("The request waits for staff review")
    d.tap(d.widget("link_status", "cancel"))
    d.expect_dialog()
    d.shot("Asked to confirm the cancel")
    d.confirm_dialog()
    _wait_for_status(d, LinkStatus.CANCELLED)
    d.settle()
    d.shot("The request is cancelled")


def payment_history(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "payments_tile"))
    d.expect_screen("payments")

    def rows() -> list:
        return d.listed("payments", "payments")

    d.check(bool(rows()) and hasattr(rows()[0], "payment_id"), "the history lists payments")
    d.check(rows()[0].amount.endswith(" ₫"), "amounts are shown in dong")
    d.check(bool(d.widget("payments", "totals").children), "totals per year are shown")
    d.shot("Payment history: months, amounts, status, totals per year")
    years = d.listed("payments", "years")
    d.tap(years[1])  # the newest year
    d.settle()
    d.check(all(row.title.endswith(years[1].text) for row in rows()),
            f"only payments of {years[1].text} are listed")
    programmes = d.listed("payments", "programmes")
    d.tap(programmes[1])
    d.settle()
    d.check(all(row.programme == programmes[1].text for row in rows()),
            f"only payments of {programmes[1].text} are listed")
    d.shot("Filtered by year and programme")
    first = rows()[0]
    d.tap(first)
    d.expect_screen("payment")
    d.wait_until(lambda: d.screen("payment").status_text != "", "the payment's status")
    d.check(d.widget("payment", "amount").text == first.amount, "the amount of the payment")
    d.check(bool(d.widget("payment", "timeline").children), "the payment has a timeline")
    d.shot("The payment: amount, status, where it was paid, timeline")
    d.app.go_back()
    d.expect_screen("payments")
    d.shot("Back to the history, still filtered")


def link_wallet_verifies(d: Driver, person: dict) -> None:
    _link(d, person, sign_in(d, person))
    _wait_for_status(d, LinkStatus.ACTIVE)
    d.shot("Wallet checks passed: the wallet is linked")
    d.tap(d.widget("link_status", "home"))
    d.expect_screen("home")
    d.wait_until(lambda: d.screen("home").tile_tone == "good", "the tile to say linked")
    d.shot("Home: the tile shows the linked wallet")


def failed_link_then_another(d: Driver, person: dict) -> None:
    _link(d, person, sign_in(d, person))
    _wait_for_status(d, LinkStatus.FAILED)
    d.check(d.widget("link_status", "reason").text != "", "the failure is explained")
    d.check(d.screen("link_status").unsuccessful, "another account is offered")
    d.shot("The bank says the account is closed: why, and link another account")
    d.tap(d.widget("link_status", "link_another"))
    d.expect_screen("choose_institution")
    d.shot("Straight back to choosing a bank")
    d.app.go_home()
    d.expect_screen("home")
    d.wait_until(lambda: d.screen("home").tile_tone == "bad", "the tile to say it failed")
    d.check(d.screen("home").tile_status == _("home.tile_failed"), "the tile says it failed")
    d.shot("Home: the tile says the request failed, not just 'not linked'")


def notification_opens_link(d: Driver, person: dict) -> None:
    _link(d, person, sign_in(d, person))
    _wait_for_status(d, LinkStatus.ACTIVE)
    link_id = d.screen("link_status").link_id
    d.tap(d.widget("link_status", "home"))
    d.expect_screen("home")
    d.wait_until(lambda: d.screen("home").unread_count > 0, "an unread notification")
    d.shot("Home: an unread notification")
    d.tap(d.widget("home", "notifications_tile"))
    d.expect_screen("notifications")
    cards = [card for card in d.listed("notifications", "notifications")
             if (getattr(card, "opens", None) or {}).get("kind") == "payout_link"]
    d.check(bool(cards), "a notification about the link")
    d.shot("Notifications: the link is active")
    d.tap(cards[0])
    d.expect_screen("link_status")
    d.check(d.screen("link_status").link_id == link_id, "it opens the link it talks about")
    d.wait_until(lambda: d.screen("link_status").link.get("status") == LinkStatus.ACTIVE,
                 "the link")
    d.shot("Tapped: the link request it talks about")
    d.app.go_back()
    d.expect_screen("notifications")
    opened = cards[0].opens

    def still_unread() -> bool:
        return any(card.unread for card in d.listed("notifications", "notifications")
                   if getattr(card, "opens", None) == opened)

    d.wait_until(lambda: not still_unread(), "the notification to be marked read")
    d.shot("Back: the notification is marked read")


def cash_payment(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "payments_tile"))
    d.expect_screen("payments")
    rows = d.listed("payments", "payments")
    d.check(bool(rows) and hasattr(rows[0], "payment_id"), "the history lists a payment")
    d.shot("Payment history of a citizen paid in cash")
    d.tap(rows[0])
    d.expect_screen("payment")
    d.wait_until(lambda: d.screen("payment").status_text != "", "the payment's status")
    d.check(d.widget("payment", "destination").text == _("payment.to_cash"), "paid in cash")
    d.wait_until(lambda: bool(d.widget("payment", "paying_points").children),
                 "the paying points")
    d.check(d.widget("payment", "collect_by").text != "", "until when to collect")
    d.shot("Cash: where (paying points, address), when (hours) and until when")


def large_text(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.tap(d.widget("settings", "text_largest"))
    d.settle()
    d.check(d.app.text_scale == 1.6, "the text is 1.6 times larger")
    d.shot("Settings: the largest text chosen")
    for screen_name, caption in (("home", "Home"), ("account", "Account"),
                                 ("payments", "Payment history"),
                                 ("notifications", "Notifications")):
        d.app.go(screen_name)
        d.expect_screen(screen_name)
        d.shot(f"{caption} in large text, nothing cut")
    d.app.go("settings")
    d.expect_screen("settings")
    d.tap(d.widget("settings", "text_normal"))
    d.check(d.app.text_scale == 1.0, "back to normal text")


def sessions_and_devices(d: Driver, person: dict) -> None:
    # Another phone signs in first, with this window's code; the app takes the next one.
    other_phone = ApiClient(d.app.client.transport.base_url)
    challenge = other_phone.start_sign_in(person["personal_id"], person["password"])
    used = current_code(d, person)
    other_phone.finish_sign_in(challenge["challenge_id"], used)
    sign_in(d, person, code=next_code(d, person, used))
    d.expect_screen("home")
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.shot("Settings: privacy and security")
    d.tap(d.widget("settings", "sessions"))
    d.expect_screen("sessions")
    d.wait_until(lambda: len(d.screen("sessions").sessions) >= 2, "both devices listed")
    d.shot("Two devices signed in; this one is marked")
    others = [card for card in d.listed("sessions", "sessions") if not card.current]
    d.tap(others[0].ids.end)
    d.expect_dialog()
    d.shot("Asked to confirm ending the other device's session")
    d.confirm_dialog()
    d.settle()
    d.wait_until(lambda: len(d.screen("sessions").sessions) == 1, "one device left")
    d.check(d.screen("sessions").sessions[0]["current"], "this device stays signed in")
    d.shot("The other device is signed out")
    try:
        other_phone.me()
    except ApiError:
        pass  # refused, as it should be
    else:
        raise FlowFailed("the ended session still works")


def data_export(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.tap(d.widget("settings", "data_export"))
    d.expect_screen("data_export")
    d.shot("My data: what the download holds")
    d.tap(d.widget("data_export", "download"))
    d.settle()
    d.wait_until(lambda: d.screen("data_export").saved_to != "", "the file to be saved")
    saved = Path(d.screen("data_export").saved_to)
    d.check(saved.exists(), f"the file {saved} exists")
    document = json.loads(saved.read_text(encoding="utf-8"))
    d.check(document["identity"]["personal_id"] == person["personal_id"], "my data in it")
    d.check(bool(d.widget("data_export", "summary").children), "a summary is shown")
    d.shot("Downloaded: a summary and where the file was saved")


def unlink_account(d: Driver, person: dict) -> None:
    used = _link(d, person, sign_in(d, person))
    _wait_for_status(d, LinkStatus.ACTIVE)
    d.tap(d.widget("link_status", "home"))
    d.expect_screen("home")
    d.tap(d.widget("home", "social_security_tile"))
    d.expect_screen("account")
    d.wait_until(lambda: d.screen("account").has_payout, "the active account")
    d.shot("Account: paid into the linked account")
    d.tap(d.widget("account", "unlink"))
    d.expect_screen("unlink")
    d.shot("Stop payments: what follows (cash) and a code to confirm")
    d.type_into(d.widget("unlink", "code"), next_code(d, person, used))
    d.tap(d.widget("unlink", "confirm"))
    d.expect_screen("account")
    message = d.expect_dialog()
    d.check(message == _("unlink.done"), f"told it stopped: {message}")
    d.shot("Stopped: the next payments are in cash")
    d.close_dialog()
    d.wait_until(lambda: not d.screen("account").has_payout, "no payout account")
    d.shot("Account: no payout account any more")


def authorised_person(d: Driver, person: dict) -> None:
    """The elderly beneficiary names the relative; the relative links and accepts."""
    relative = next(each for each in json.loads(DEFAULT_FIXTURES.read_text(encoding="utf-8"))
                    if each["case"] == "authorised_person" and each["payout_account"])
    used = sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "social_security_tile"))
    d.expect_screen("account")
    d.tap(d.widget("account", "authorisations"))
    d.expect_screen("authorisations")
    d.shot("Authorised persons: name one, or answer a request")
    d.tap(d.widget("authorisations", "name_person"))
    d.expect_screen("name_authorised")
    d.type_into(d.widget("name_authorised", "personal_id"), relative["personal_id"])
    d.tap(d.widget("name_authorised", "consent"))
    d.type_into(d.widget("name_authorised", "code"), next_code(d, person, used))
    d.shot("The relative's personal ID, consent and a fresh code")
    d.tap(d.widget("name_authorised", "submit"))
    d.expect_screen("link_status")
    d.wait_until(lambda: bool(d.screen("link_status").link.get("awaiting_authorised_person")),
                 "the request to wait for the relative")
    d.shot("Sent: waiting for the relative to agree")
    d.app.go_home()
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.tap(d.widget("settings", "sign_out"))
    # The relative: links their own account, then accepts in their own session.
    used = _link(d, relative, sign_in(d, relative))
    _wait_for_status(d, LinkStatus.ACTIVE)
    d.shot("The relative's own account is linked")
    d.app.go("authorisations")
    d.expect_screen("authorisations")
    d.wait_until(lambda: d.screen("authorisations").any_to_answer, "the request to answer")
    d.shot("The relative sees the request waiting for an answer")
    d.type_into(d.widget("authorisations", "code"), next_code(d, relative, used))
    card = next(card for card in d.listed("authorisations", "naming_me")
                if getattr(card, "open_to_answer", False))
    d.tap(card.ids.accept)
    message = d.expect_dialog()
    d.check(message == _("authorisations.accepted"), f"told what follows: {message}")
    d.shot("Accepted: staff approve next")


def withdraw_consent(d: Driver, person: dict) -> None:
    used = _link(d, person, sign_in(d, person))
    _wait_for_status(d, LinkStatus.ACTIVE)
    d.app.go("settings")
    d.expect_screen("settings")
    d.tap(d.widget("settings", "consents"))
    d.expect_screen("consents")
    d.wait_until(lambda: d.screen("consents").any_given, "a consent in force")
    d.shot("My consents: the payout consent, in force")
    d.type_into(d.widget("consents", "code"), next_code(d, person, used))
    card = next(card for card in d.listed("consents", "consents")
                if getattr(card, "withdrawable", False))
    d.tap(card.ids.withdraw)
    message = d.expect_dialog()
    d.check(d.app.dialog.confirm_text == _("consents.withdraw_yes"),
            f"asked to confirm what follows: {message}")
    d.shot("The app says what withdrawing does (payments in cash) and asks to confirm")
    d.confirm_dialog()
    d.wait_until(lambda: d.app.shown_message == _("consents.withdrawn"), "the withdrawal")
    d.close_dialog()
    d.wait_until(lambda: not d.screen("consents").any_given, "the consent withdrawn")
    d.shot("Withdrawn, with the day")
    d.app.go("account")
    d.expect_screen("account")
    d.wait_until(lambda: d.screen("account").account.get("active_payout", 0) is None,
                 "the account without payout")
    d.check(not d.screen("account").has_payout, "no payout account: cash from now on")
    d.shot("Account: no payout account, payments go in cash")


def sms_preferences(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "settings_tile"))
    d.expect_screen("settings")
    d.tap(d.widget("settings", "notification_preferences"))
    d.expect_screen("notification_preferences")
    d.wait_until(lambda: bool(d.screen("notification_preferences").preferences), "choices")
    d.shot("SMS notifications: every outcome, and security alerts always sent")
    choice = next(each for each in d.listed("notification_preferences", "events")
                  if getattr(each, "event", "") == "PAYMENT_PLANNED")
    d.tap(choice)
    d.settle()
    d.wait_until(lambda: d.screen("notification_preferences").preferences["sms"][
        "PAYMENT_PLANNED"] is False, "the choice saved")
    d.shot("A new payment planned: no longer by SMS")


def staff_client(d: Driver, username: str) -> ApiClient:
    """A reviewer at the console, through the staff API, as a test would act."""
    staff = next(each for each in json.loads(
        (DEFAULT_FIXTURES.parent / "staff_accounts.json").read_text(encoding="utf-8"))
        if each["username"] == username)
    reviewer = ApiClient(d.app.client.transport.base_url)
    code = reviewer.raw("GET", "/demo/current-code", params={"username": username},
                        signed_in=False)["code"]
    tokens = reviewer.raw("POST", "/staff/auth/login", signed_in=False, json={
        "username": username, "password": staff["password"], "otp": code})
    reviewer.transport.tokens = Tokens(tokens["access_token"], tokens["refresh_token"], 0)
    return reviewer


def rejected_link_note(d: Driver, person: dict) -> None:
    _link(d, person, sign_in(d, person))
    _wait_for_status(d, LinkStatus.NEEDS_REVIEW)
    d.shot("The account is someone else's payout account: staff will check")
    link_id = d.screen("link_status").link_id
    reviewer = staff_client(d, "reviewer2")
    reviewer.raw("POST", f"/staff/link-requests/{link_id}/claim")
    note = "Tài khoản này đang nhận trợ cấp của vợ ông. Vui lòng liên kết tài khoản riêng."
    reviewer.raw("POST", f"/staff/link-requests/{link_id}/reject", json={
        "reason": "OTHER", "note": "shared account, spoke to the citizen",
        "note_for_citizen": note})
    _wait_for_status(d, LinkStatus.REJECTED)
    d.settle()
    d.check(note in d.widget("link_status", "reason").text, "the staff note is shown")
    d.check(d.screen("link_status").unsuccessful, "another account is offered")
    d.shot("Rejected: the staff note for the citizen, and link another account")


def failed_payment(d: Driver, person: dict) -> None:
    sign_in(d, person)
    d.expect_screen("home")
    d.tap(d.widget("home", "payments_tile"))
    d.expect_screen("payments")
    failed = [row for row in d.listed("payments", "payments")
              if getattr(row, "tone", "") == "bad"]
    d.check(bool(failed), "a failed payment in the history")
    d.shot("History: last month's transfer failed")
    d.tap(failed[0])
    d.expect_screen("payment")
    d.wait_until(lambda: d.screen("payment").status_text != "", "the payment's status")
    d.check(d.widget("payment", "note").text != "", "why, and what to do next")
    d.check(not d.widget("payment", "link_another").disabled, "another account is offered")
    d.shot("The failed payment: why (the account is closed) and what to do")
    d.tap(d.widget("payment", "link_another"))
    d.expect_screen("choose_institution")
    d.shot("Choosing another account to be paid into")


def this_was_not_me(d: Driver, person: dict) -> None:
    """The account is changed (linked anew over the active one), and the citizen says it
    was not them."""
    used = _link(d, person, sign_in(d, person))
    _wait_for_status(d, LinkStatus.ACTIVE)
    d.tap(d.widget("link_status", "home"))
    _link(d, person, used)
    _wait_for_status(d, LinkStatus.ACTIVE)
    d.tap(d.widget("link_status", "home"))
    d.expect_screen("home")
    d.tap(d.widget("home", "social_security_tile"))
    d.expect_screen("account")
    d.wait_until(lambda: d.screen("account").changed, "the change to be shown")
    d.shot("Account: the payout account has just changed, paid from a later day")
    d.tap(d.widget("account", "not_me"))
    d.expect_screen("dispute")
    d.shot("This was not me: what happens next")
    d.tap(d.widget("dispute", "confirm"))
    d.expect_screen("login")
    message = d.expect_dialog()
    d.check(message == _("dispute.done"), f"told what was done: {message}")
    d.shot("Payouts to it stopped, every device signed out: sign in again")
