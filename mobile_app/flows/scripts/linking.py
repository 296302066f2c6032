"""Linking a payout account and what follows: checks, review, failure, unlinking,
a change the citizen did not make."""
from __future__ import annotations

from mobile_app.client.statuses import LinkStatus
from mobile_app.flows.driver import Driver
from mobile_app.flows.scripts.steps import (
    link_own_account,
    sign_in,
    staff_client,
    type_step_up,
    wait_for_status,
)
from mobile_app.i18n import _


def link_bank_verifies(d: Driver, person: dict) -> None:
    link_own_account(d, person, sign_in(d, person))
    d.shot("Request sent; the status screen follows it")
    wait_for_status(d, LinkStatus.ACTIVE)
    d.shot("Checks passed: the account is linked")
    d.tap(d.widget("link_status", "home"))
    d.expect_screen("home")
    d.wait_until(lambda: d.screen("home").tile_tone == "good", "the tile to say linked")
    d.shot("Home: the tile shows the linked account")


def link_holder_mismatch(d: Driver, person: dict) -> None:
    link_own_account(d, person, sign_in(d, person))
    wait_for_status(d, LinkStatus.NEEDS_REVIEW)
    d.check(d.widget("link_status", "reason").text != "", "the reason is explained")
    d.shot("Holder name differs: staff will check it")


def cancel_pending_link(d: Driver, person: dict) -> None:
    link_own_account(d, person, sign_in(d, person))
    wait_for_status(d, LinkStatus.NEEDS_REVIEW)
    d.shot("The request waits for staff review")
    d.tap(d.widget("link_status", "cancel"))
    d.expect_dialog()
    d.shot("Asked to confirm the cancel")
    d.confirm_dialog()
    wait_for_status(d, LinkStatus.CANCELLED)
    d.settle()
    d.shot("The request is cancelled")


def link_wallet_verifies(d: Driver, person: dict) -> None:
    link_own_account(d, person, sign_in(d, person))
    wait_for_status(d, LinkStatus.ACTIVE)
    d.shot("Wallet checks passed: the wallet is linked")
    d.tap(d.widget("link_status", "home"))
    d.expect_screen("home")
    d.wait_until(lambda: d.screen("home").tile_tone == "good", "the tile to say linked")
    d.shot("Home: the tile shows the linked wallet")


def failed_link_then_another(d: Driver, person: dict) -> None:
    link_own_account(d, person, sign_in(d, person))
    wait_for_status(d, LinkStatus.FAILED)
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
    link_own_account(d, person, sign_in(d, person))
    wait_for_status(d, LinkStatus.ACTIVE)
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


def rejected_link_note(d: Driver, person: dict) -> None:
    link_own_account(d, person, sign_in(d, person))
    wait_for_status(d, LinkStatus.NEEDS_REVIEW)
    d.shot("The account is someone else's payout account: staff will check")
    link_id = d.screen("link_status").link_id
    reviewer = staff_client(d, "reviewer2")
    reviewer.raw("POST", f"/staff/link-requests/{link_id}/claim")
    note = "Tài khoản này đang nhận trợ cấp của vợ ông. Vui lòng liên kết tài khoản riêng."
    reviewer.raw("POST", f"/staff/link-requests/{link_id}/reject", json={
        "reason": "OTHER", "note": "shared account, spoke to the citizen",
        "note_for_citizen": note})
    wait_for_status(d, LinkStatus.REJECTED)
    d.settle()
    d.check(note in d.widget("link_status", "reason").text, "the staff note is shown")
    d.check(d.screen("link_status").unsuccessful, "another account is offered")
    d.shot("Rejected: the staff note for the citizen, and link another account")


def unlink_account(d: Driver, person: dict) -> None:
    used = link_own_account(d, person, sign_in(d, person))
    wait_for_status(d, LinkStatus.ACTIVE)
    d.tap(d.widget("link_status", "home"))
    d.expect_screen("home")
    d.tap(d.widget("home", "social_security_tile"))
    d.expect_screen("account")
    d.wait_until(lambda: d.screen("account").has_payout, "the active account")
    d.shot("Account: paid into the linked account")
    d.tap(d.widget("account", "unlink"))
    d.expect_screen("unlink")
    d.check(d.widget("unlink", "step_up").mode == "passcode", "the passcode is asked for")
    type_step_up(d, "unlink", person, used)
    d.shot("Stop payments: what follows (cash), and the passcode (masked) to confirm")
    d.tap(d.widget("unlink", "confirm"))
    d.expect_screen("account")
    message = d.expect_dialog()
    d.check(message == _("unlink.done"), f"told it stopped: {message}")
    d.shot("Stopped: the next payments are in cash")
    d.close_dialog()
    d.wait_until(lambda: not d.screen("account").has_payout, "no payout account")
    d.shot("Account: no payout account any more")


def this_was_not_me(d: Driver, person: dict) -> None:
    """The account is changed (linked anew over the active one), and the citizen says it
    was not them."""
    used = link_own_account(d, person, sign_in(d, person))
    wait_for_status(d, LinkStatus.ACTIVE)
    d.tap(d.widget("link_status", "home"))
    link_own_account(d, person, used)
    wait_for_status(d, LinkStatus.ACTIVE)
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
