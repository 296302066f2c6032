"""The flaky-network flow's proxy, and what a lost answer does to linking."""
from __future__ import annotations

import threading
import time

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from mobile_app.client import LinkIntent, NoConnection
from mobile_app.flows.flaky_network import FlakyProxy
from tests.conftest import totp_code
from tests.mobile.test_client import signed_in


@pytest.fixture
def upstream():
    """A backend that remembers which paths reached it."""
    seen: list[str] = []

    @Request.application
    def backend(request: Request) -> Response:
        seen.append(request.path)
        return Response("ok")

    server = make_server("127.0.0.1", 0, backend, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()


def run_through(url: str, seen: list[str]) -> list[str]:
    """Twenty requests through a proxy with this seed: what became of each."""
    proxy = FlakyProxy(url, latency=0.05, drop_rate=0.3, seed=18)
    base = proxy.start()
    outcomes = []
    try:
        for number in range(20):
            path = f"/request/{number}"
            started = time.monotonic()
            try:
                requests.get(base + path, timeout=5)
            except requests.ConnectionError:
                outcomes.append("lost after" if path in seen else "lost before")
            else:
                assert time.monotonic() - started >= 0.05  # held back by the latency
                outcomes.append("ok")
    finally:
        proxy.stop()
    assert sorted(proxy.dropped.before + proxy.dropped.after) == sorted(
        f"GET /request/{number} HTTP/1.1" for number, outcome in enumerate(outcomes)
        if outcome != "ok")
    return outcomes


def test_the_proxy_delays_and_drops_the_same_requests_in_every_run(upstream):
    url, seen = upstream
    first = run_through(url, seen)
    seen.clear()
    assert run_through(url, seen) == first
    # Both ways of losing a request happen: the backend never saw it, or it
    # answered and the answer was lost.
    assert {"ok", "lost before", "lost after"} == set(first)


def test_a_link_request_whose_answer_is_lost_is_sent_again_as_the_same_request(
        backend_url, citizen, clock):
    person = citizen("clean_bank_link")
    client = signed_in(backend_url, person)
    clock.shift(30)
    payout = person["payout_account"]
    intent = LinkIntent("bank", payout["institution"], payout["account_number"])
    code = totp_code(person)
    # Seed 2 loses the answer of the first link request, after the backend took it.
    proxy = FlakyProxy(backend_url, latency=0, drop_rate=1.0, seed=2)
    client.transport.base_url = proxy.start()
    try:
        with pytest.raises(NoConnection):
            client.link_payout(intent, code)
    finally:
        proxy.stop()
    assert proxy.dropped.after == ["POST /api/v1/me/payout-links HTTP/1.1"]
    client.transport.base_url = backend_url  # the network is back: "try again"
    retried = client.link_payout(intent, code)  # the same intent, key and (used) code
    assert retried["status"] == "SUBMITTED"
    assert [link["id"] for link in client.payout_links()["items"]] == [retried["id"]]
