"""Linking in at most six taps after signing in (issue 18): counted on the real app,
through the QA flows' own linking step."""
from __future__ import annotations

from mobile_app.flows.scripts.steps import link_own_account
from tests.linking_helpers import SIGN_IN_WINDOW
from tests.mobile.phone import sign_in


def _counting_taps(phone) -> list[str]:
    taps: list[str] = []
    tap = phone.tap

    def counted(button) -> None:
        taps.append(getattr(button, "text", "") or getattr(button, "title", "")
                    or type(button).__name__)
        tap(button)
    phone.tap = counted
    return taps


def test_a_first_link_takes_four_taps_from_home(phone, citizen):
    person = citizen("plain", 2)  # an account in his name at a bank, nothing linked yet
    sign_in(phone, person)
    taps = _counting_taps(phone)
    link_own_account(phone, person, login_code="")
    assert len(taps) <= 6, taps
    assert len(taps) == 4, taps  # home entry, the bank offered first, consent, confirm
    assert phone.app.client.payout_links()["total"] == 1


def test_after_the_sign_in_window_the_passcode_is_one_tap_more(phone, citizen, clock):
    person = citizen("clean_wallet_link")
    sign_in(phone, person)
    clock.shift(SIGN_IN_WINDOW)
    taps = _counting_taps(phone)
    link_own_account(phone, person, login_code="")
    assert len(taps) == 5, taps  # ... and confirm again once the passcode is typed
    assert phone.app.client.payout_links()["total"] == 1
    assert phone.widget("link", "step_up").ids.code.text == ""  # not kept on the screen
