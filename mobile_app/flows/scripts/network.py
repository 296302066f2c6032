"""A bad network: the app through a proxy that delays every request and drops some."""
from __future__ import annotations

from mobile_app.client.statuses import LinkStatus
from mobile_app.flows.driver import Driver
from mobile_app.flows.flaky_network import FlakyProxy
from mobile_app.flows.scripts.steps import link_own_account, sign_in, staff_client, wait_for_status

LATENCY_SECONDS = 0.5
DROP_RATE = 0.1
# A seed whose drops include the answer to the link request (the case its
# Idempotency-Key is for) and not the answer to a sign-in code: a code is used
# once, and a citizen whose answer was lost would type the next one.
SEED = 7
LINK_REQUEST = "POST /api/v1/me/payout-links HTTP/1.1"


def flaky_network_link(d: Driver, person: dict) -> None:
    backend = d.app.client.transport.base_url
    proxy = FlakyProxy(backend, LATENCY_SECONDS, DROP_RATE, SEED)
    d.app.client.transport.base_url = proxy.start()
    d.patient = True  # taps "try again" whenever the app offers it
    try:
        link_own_account(d, person, sign_in(d, person))
        d.shot("Sent over a network that drops one request in ten")
        wait_for_status(d, LinkStatus.ACTIVE, timeout=60)
        d.shot("The account is linked")
        d.check(LINK_REQUEST in proxy.dropped.after,
                f"the link request's answer was lost on the way (dropped: {proxy.dropped})")
        # Every screen fills in, whatever was dropped: none stays on "loading".
        visit(d, "home", lambda: d.tap(d.widget("link_status", "home")))
        d.wait_until(lambda: d.screen("home").tile_tone == "good", "the tile to say linked",
                     timeout=60)
        d.shot("Home: linked")
        visit(d, "account", lambda: d.tap(d.widget("home", "social_security_tile")))
        d.shot("Account: the linked account")
        d.app.go_home()
        visit(d, "payments", lambda: d.tap(d.widget("home", "payments_tile")))
        d.shot("Payment history")
        d.app.go_home()
        visit(d, "notifications", lambda: d.tap(d.widget("home", "notifications_tile")))
        d.shot("Notifications")
    finally:
        d.patient = False
        d.app.client.transport.base_url = backend
        proxy.stop()
    # Past the proxy, the server: one link request, however many times it was sent.
    reviewer = staff_client(d, "reviewer1", backend)
    links = reviewer.raw("GET", f"/staff/cases/{person['personal_id']}")["links"]
    d.check(len(links) == 1, f"exactly one link request on the server, not {len(links)}")
    d.check(d.retries > 0, "the app offered 'try again' and it worked")
    d.result.description += (f" This run: {proxy.requests} requests, "
                             f"{len(proxy.dropped.before)} dropped before the backend, "
                             f"{len(proxy.dropped.after)} after it answered, "
                             f"{d.retries} 'try again' taps, {len(links)} link request.")
    d.shot("After the proxy: the server holds exactly one link request")


def visit(d: Driver, name: str, go) -> None:
    go()
    d.expect_loaded(name, timeout=60)
