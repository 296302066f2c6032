"""Steps every journey shares: codes, sign-in, linking the citizen's own account, a
reviewer at the console."""
from __future__ import annotations

import json

from mobile_app.client import ApiClient, ConnectionProblem, Tokens
from mobile_app.flows.driver import Driver, FlowFailed
from mobile_app.flows.runner import DEFAULT_FIXTURES


def authenticator(d: Driver, person: dict) -> dict:
    """The demo's simulated authenticator: `{"code", "valid_for_seconds"}`. Asked again
    when the connection drops (the flaky-network flow): it stands for an app on the
    citizen's phone, not for a call this app makes."""
    for _attempt in range(10):
        try:
            return d.app.client.demo_current_code(person["personal_id"])
        except ConnectionProblem:
            d.pump(0.5)
    raise FlowFailed("the demo authenticator could not be reached")


def current_code(d: Driver, person: dict) -> str:
    return authenticator(d, person)["code"]


def next_code(d: Driver, person: dict, used: str) -> str:
    """The first code after `used`, keeping the UI alive while waiting for it."""
    for _attempt in range(4):
        answer = authenticator(d, person)
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


def link_own_account(d: Driver, person: dict, login_code: str) -> str:
    """From home to a submitted link request of the citizen's account, in the fewest
    taps: the home entry, the bank offered first (or searched), consent, confirm, and
    the passcode only when the server asks for it (not for a first link soon after
    signing in). Answers the last one-time code used: the sign-in's, unless the
    server asked for a code because the citizen has no passcode."""
    payout = own_account(person)
    d.expect_loaded("home")
    home = d.screen("home")
    d.wait_until(lambda: home.tile_status != "", "home to load")
    if home.offers_linking:
        d.shot("Home: link an account, first on the page")
        d.tap(d.widget("home", "link_entry"))
    else:  # an account is paid into already: changing it starts from the account
        d.tap(d.widget("home", "social_security_tile"))
        d.expect_loaded("account")
        d.shot("Account: change the payout account")
        d.tap(d.widget("account", "link_account"))
    d.expect_loaded("choose_institution")
    chooser = d.screen("choose_institution")
    d.wait_until(lambda: chooser.loaded, "the banks to load")
    offered = [row for row in d.listed("choose_institution", "likely")
               if row.institution_code == payout["institution"]]
    if offered:
        d.shot("Where the citizen holds an account comes first")
        d.tap(offered[0])
    else:
        _search_institution(d, payout)
    d.expect_loaded("link")
    d.type_into(d.widget("link", "account_number"), payout["account_number"])
    d.tap(d.widget("link", "consent"))
    d.shot("Account number typed and consent given")
    d.tap(d.widget("link", "submit"))
    link = d.screen("link")
    d.wait_until(lambda: d.app.manager.current == "link_status" or link.step_up != "",
                 "the request to be sent, or the server to ask for the passcode")
    used = login_code
    if link.step_up:
        d.shot("Asked for the passcode: this is no first link just after signing in")
        used = type_step_up(d, "link", person, login_code)
        d.tap(d.widget("link", "submit"))
    d.expect_screen("link_status")
    return used


def type_step_up(d: Driver, screen_name: str, person: dict, used: str) -> str:
    """Type what the screen's step-up field asks for: the passcode (no wait), or the
    next one-time code for a citizen without one. Answers the last code used."""
    step_up = d.widget(screen_name, "step_up")
    if step_up.mode == "passcode":
        d.type_into(step_up.ids.code, person["passcode"])
        return used
    code = next_code(d, person, used)
    d.type_into(step_up.ids.code, code)
    return code


def _search_institution(d: Driver, payout: dict) -> None:
    """The institution is not among those offered first (a closed account, someone
    else's wallet): the citizen searches for it."""
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


def wait_for_status(d: Driver, status: str, timeout: float = 30.0) -> None:
    screen = d.screen("link_status")
    d.wait_until(lambda: screen.link.get("status") == status, f"the request to be {status}",
                 timeout)


def staff_client(d: Driver, username: str, backend: str | None = None) -> ApiClient:
    """A reviewer at the console, through the staff API, as a test would act; at
    `backend` when the app's own way there is not the staff's."""
    staff = next(each for each in json.loads(
        (DEFAULT_FIXTURES.parent / "staff_accounts.json").read_text(encoding="utf-8"))
        if each["username"] == username)
    reviewer = ApiClient(backend or d.app.client.transport.base_url)
    code = reviewer.raw("GET", "/demo/current-code", params={"username": username},
                        signed_in=False)["code"]
    tokens = reviewer.raw("POST", "/staff/auth/login", signed_in=False, json={
        "username": username, "password": staff["password"], "otp": code})
    reviewer.transport.tokens = Tokens(tokens["access_token"], tokens["refresh_token"], 0)
    return reviewer
