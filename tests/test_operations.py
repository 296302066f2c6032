"""Liveness, readiness and metrics, as a load balancer and Prometheus see them."""
from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from backend.app import create_app
from backend.models.statuses import LinkStatus, PaymentStatus
from tests.conftest import bearer, make_config
from tests.demo_server import free_port
from tests.linking_helpers import request_link, settled

# An address of this machine where nothing listens: a stopped Redis, a database that is down.
NOBODY = f"127.0.0.1:{free_port()}"


@pytest.fixture
def app_with(tmp_path, database_url):
    """An app of its own with some settings changed; its engine is closed afterwards."""
    made = []

    def make(**overrides: str):
        made.append(create_app(make_config(tmp_path, database_url, **overrides)))
        return made[-1]
    yield make
    for app in made:
        app.extensions["db_engine"].dispose()


def metric_families(text: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(text)}


def test_healthz_answers_while_the_process_lives(client):
    answer = client.get("/healthz")
    assert (answer.status_code, answer.json) == (200, {"status": "ok"})


def test_readyz_is_ready_when_every_dependency_answers(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json["status"] == "ready"
    assert answer.json["checks"]["database"] == "ok"
    assert answer.json["checks"]["queue"] == "ok"
    # The embedded default has no Redis for rate limits; that is no reason to refuse work.
    assert answer.json["checks"]["redis"] in ("ok", "not used")


def test_readyz_names_a_stopped_redis(app_with, clean_db):
    app = app_with(SSA_RATELIMIT_STORAGE_URI=f"redis://{NOBODY}/0",
                   SSA_TASK_QUEUE_URL=f"redis://{NOBODY}/0",
                   SSA_SESSION_STORE_URL=f"redis://{NOBODY}/0")
    answer = app.test_client().get("/readyz", headers={"Accept-Language": "en"})
    assert answer.status_code == 503
    assert answer.json["code"] == "NOT_READY"
    assert answer.json["details"] == {"redis": ["down"], "queue": ["down"],
                                      "session_store": ["down"]}
    assert "redis" in answer.json["message"]
    # Liveness does not depend on Redis: the process is not restarted for its outage.
    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_names_an_unreachable_database(app_with, clean_db):
    app = app_with(DATABASE_URL=f"postgresql+psycopg://postgres@{NOBODY}/ssa")
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json["details"] == {"database": ["down"]}
    assert set(answer.json) == {"code", "message", "details"}


def test_metrics_are_prometheus_text_per_route_template(client, citizen, login_as):
    person = citizen("clean_bank_link")
    tokens = login_as(person)
    link = request_link(client, person, tokens).json
    assert settled(client, tokens, link["id"])["status"] == "ACTIVE"
    client.get("/api/v1/me/payout-links/987654", headers=bearer(tokens["access_token"]))
    client.get("/no/such/page/123")

    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.content_type.startswith("text/plain")
    families = metric_families(answer.get_data(as_text=True))

    requests = {(sample.labels["method"], sample.labels["route"], sample.labels["status"])
                for sample in families["ssa_http_requests"].samples
                if sample.name == "ssa_http_requests_total"}
    assert ("GET", "/api/v1/me/payout-links/<int:link_id>", "200") in requests
    assert ("GET", "/api/v1/me/payout-links/<int:link_id>", "404") in requests
    assert ("GET", "unmatched", "404") in requests
    assert not any("987654" in route or "/no/such" in route for _, route, _ in requests)
    latency = {sample.labels["route"] for sample in
               families["ssa_http_request_duration_seconds"].samples}
    assert "/api/v1/auth/login" in latency

    links = {sample.labels["status"]: sample.value
             for sample in families["ssa_link_requests"].samples}
    assert set(links) == set(LinkStatus)
    assert links["ACTIVE"] >= 1
    payments = {sample.labels["status"] for sample in families["ssa_payments"].samples}
    assert payments == set(PaymentStatus)
    assert families["ssa_task_queue_pending"].samples[0].value >= 0


def test_metrics_are_not_for_clients_that_came_through_a_proxy(client):
    answer = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.5"})
    assert (answer.status_code, answer.json["code"]) == (403, "FORBIDDEN")
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert outside.status_code == 403


def test_metrics_with_a_token_need_that_token(app_with, clean_db):
    app = app_with(SSA_METRICS_TOKEN="scrape-secret-0123456789")
    scraper = app.test_client()
    outside = {"REMOTE_ADDR": "198.51.100.7"}
    assert scraper.get("/metrics").status_code == 403
    assert scraper.get("/metrics", headers=bearer("wrong"), environ_base=outside
                       ).status_code == 403
    answer = scraper.get("/metrics", headers=bearer("scrape-secret-0123456789"),
                         environ_base=outside)
    assert answer.status_code == 200
    assert "ssa_link_requests" in metric_families(answer.get_data(as_text=True))


def test_every_answer_carries_a_request_id(client):
    for offered in ("lb-7f3a.2", "d79310099c2c42068d667f3ba0d34ae8"):
        chosen = client.get("/healthz", headers={"X-Request-ID": offered})
        assert chosen.headers["X-Request-ID"] == offered
    generated = client.get("/healthz")
    assert len(generated.headers["X-Request-ID"]) == 32
    # An id that is not plain text, or holds something like a personal ID, is replaced.
    for offered in ("<script>", "x" * 65, "req-079190000001", "12345678-9abc"):
        answer = client.get("/api/v1/institutions", headers={"X-Request-ID": offered})
        assert answer.headers["X-Request-ID"] != offered
        assert len(answer.headers["X-Request-ID"]) == 32
