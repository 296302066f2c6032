"""The QA flows by name: what each shows and which demo citizen it plays (by `case`)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flow:
    description: str
    case: str  # fixtures/eid_accounts.json `case` of the citizen the flow plays
    index: int  # which citizen of that case: flows never share one (codes are single use)
    script: str  # "module.function" under mobile_app.flows.scripts


FLOWS = {
    "level2-login": Flow(
        "A level-2 citizen signs in, sees the social-security tile, the account, "
        "notifications and settings, switches to English and signs out.",
        "has_payment_history", 0, "signing_in.level2_login"),
    "level1-refusal": Flow(
        "A level-1 citizen signs in and is told why the service is closed to them and how "
        "to reach level 2.", "level1", 0, "signing_in.level1_refusal"),
    "wrong-code-lockout": Flow(
        "Wrong one-time codes are refused until the account locks, with the time to retry.",
        "plain", -1, "signing_in.wrong_code_lockout"),
    "link-bank-verifies": Flow(
        "A citizen links their own bank account; the checks pass and it becomes active.",
        "clean_bank_link", 0, "linking.link_bank_verifies"),
    "link-holder-mismatch": Flow(
        "The bank reports a slightly different holder name: the request goes to staff review.",
        "holder_name_mismatch", 0, "linking.link_holder_mismatch"),
    "cancel-pending-link": Flow(
        "A link request waiting for staff review is cancelled by the citizen.",
        "registers_disagree", 0, "linking.cancel_pending_link"),
    "payment-history": Flow(
        "A citizen paid into their bank account browses the payment history (amounts, months, "
        "status, totals per year), filters it by year and programme and opens a payment.",
        "has_payment_history", 1, "payments.payment_history"),
    "link-wallet-verifies": Flow(
        "A citizen links the mobile-money wallet on their own phone number; it becomes active.",
        "clean_wallet_link", 0, "linking.link_wallet_verifies"),
    "failed-link-another": Flow(
        "The bank reports the account closed: the request fails, the screen says why and offers "
        "to link another account, and the home tile says the request failed.",
        "closed_account", 0, "linking.failed_link_then_another"),
    "notification-opens": Flow(
        "After linking, the notification about it opens the link request it talks about, and "
        "is marked read.", "clean_bank_link", 1, "linking.notification_opens_link"),
    "cash-payment": Flow(
        "Last month's cash waits for a citizen paid in cash: where to collect it (paying "
        "points, address), when (hours) and until when.", "plain", 3, "payments.cash_payment"),
    "large-text": Flow(
        "A citizen chooses the largest text (1.6x) and reads home, account, history and "
        "notifications in it.", "plain", 4, "privacy.large_text"),
    "sessions": Flow(
        "A citizen signed in on two phones lists the devices and ends the other phone's "
        "session; its tokens are refused at once.", "plain", 5, "privacy.sessions_and_devices"),
    "data-export": Flow(
        "A citizen downloads everything the service holds on them, and sees a summary and "
        "where the file was saved.", "plain", 6, "privacy.data_export"),
    "unlink": Flow(
        "A citizen stops payments into their linked account with the passcode; the account "
        "shows none and says payments go in cash.", "plain", 7, "linking.unlink_account"),
    "authorised-person": Flow(
        "An elderly beneficiary names a relative as authorised person; the relative links "
        "their own account and accepts in their own session with the passcode.",
        "authorised_person", 0, "authorisations.authorised_person"),
    "consents": Flow(
        "A citizen withdraws the consent of their linked account: the app says payments then "
        "go in cash and asks to confirm (the passcode confirms); the account has no payout "
        "account after.",
        "plain", 10, "privacy.withdraw_consent"),
    "set-passcode": Flow(
        "A citizen changes the passcode in Settings: the new one twice and a fresh one-time "
        "code; a mismatch and an easy guess are refused in words, then it is saved.",
        "invalid_account", 0, "privacy.set_passcode"),
    "sms-preferences": Flow(
        "A citizen chooses which outcomes come by SMS; security alerts cannot be switched off.",
        "plain", 9, "privacy.sms_preferences"),
    "rejected-link-note": Flow(
        "A request waiting for review is rejected by staff (through the staff API) with a note "
        "for the citizen; the status screen shows the note and offers another account.",
        "account_linked_elsewhere", 0, "linking.rejected_link_note"),
    "failed-payment": Flow(
        "Last month's transfer failed (the bank closed the account): the payment says why and "
        "what to do, and offers to link another account.", "payment_failed", 0,
        "payments.failed_payment"),
    "this-was-not-me": Flow(
        "The payout account has just changed; the citizen says it was not them: payouts to "
        "it stop and every session ends.", "plain", 11, "linking.this_was_not_me"),
    "not-paid-report": Flow(
        "A payment marked paid never reached the citizen: \"I was not paid\", what happened "
        "and a note, sent with what happens next; the payment shows the report waiting, then "
        "support's answer.", "plain", 8, "payments.not_paid_report"),
    "decline-authorised": Flow(
        "A citizen names a relative as authorised person; the relative declines in their own "
        "session; the citizen is notified and the request says the relative declined. "
        "(Plays plain citizen 0, and plain citizen 1 as the relative.)",
        "plain", 0, "authorisations.decline_authorised"),
    "flaky-network": Flow(
        "The app reaches the backend through a local proxy that adds 500 ms to every request "
        "and drops one in ten with its connection; the citizen taps 'try again' when offered. "
        "Linking ends with exactly one link request on the server, and every screen fills in.",
        "plain", 2, "network.flaky_network_link"),
}
