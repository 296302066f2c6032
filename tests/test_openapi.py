"""The OpenAPI document and interactive docs, served with no internet."""
from __future__ import annotations

import re

from backend.models.statuses import LinkStatus, PaymentRequestStatus, PaymentStatus


def test_openapi_document_lists_the_contract(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    for path in ("/api/v1/auth/login", "/api/v1/auth/otp", "/api/v1/auth/refresh",
                 "/api/v1/auth/logout", "/api/v1/me", "/api/v1/me/social-security-account",
                 "/api/v1/institutions", "/api/v1/me/notifications"):
        assert path in paths, path
    assert "bearerAuth" in spec["components"]["securitySchemes"]


def test_docs_page_loads_every_asset_from_this_server(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads Swagger UI's script and style"
    for asset in assets:
        assert asset.startswith("/api/v1/docs/assets/"), asset
        assert client.get(asset).status_code == 200, asset


# The operations anyone may call: signing in, the lists an app shows before it,
# the bank gateway's signed callbacks, the demo's simulated authenticator and SMS
# outbox, and the platform's probes (/metrics guards itself with its own token or
# address check).
PUBLIC_OPERATIONS = {
    "POST /api/v1/auth/login", "POST /api/v1/auth/otp", "POST /api/v1/staff/auth/login",
    "GET /api/v1/institutions", "GET /api/v1/consents/payout-link",
    "POST /api/v1/bank-gateway/callbacks", "GET /api/v1/demo/current-code",
    # Institutions post their inquiry reports signed, with no token.
    "POST /api/v1/institutions/{code}/inquiry-reports",
    "GET /healthz", "GET /readyz", "GET /metrics",
    "GET /api/v1/demo/outbox",
    # The simulated agency registering a beneficiary (demo mode only, like the outbox).
    "POST /api/v1/demo/beneficiaries",
    # "This was not me" from the SMS, without signing in (with a token too).
    "POST /api/v1/me/payout-links/{link_id}/dispute",
    # A lost phone: the recovery token stands in for the second factor.
    "POST /api/v1/auth/recovery", "POST /api/v1/auth/recovery/chip-read",
    "POST /api/v1/auth/recovery/enrolment", "POST /api/v1/auth/recovery/confirmation",
}
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


def _operations(spec: dict):
    for path, path_item in spec["paths"].items():
        for method, operation in path_item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def _resolve(spec: dict, reference: str) -> dict:
    node = spec
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_every_error_answer_documents_the_one_error_body(client):
    spec = client.get("/api/v1/openapi.json").json
    assert set(spec["components"]["schemas"]["Error"]["required"]) == {"code", "message",
                                                                       "details"}
    for operation_name, operation in _operations(spec):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            assert set(response) == {"$ref"}, (operation_name, status)
            body = _resolve(spec, response["$ref"])["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/Error"}, (operation_name, status)


def test_error_responses_name_the_codes_they_carry(client):
    spec = client.get("/api/v1/openapi.json").json
    login = spec["paths"]["/api/v1/auth/login"]["post"]["responses"]
    unauthorized = _resolve(spec, login["401"]["$ref"])["description"]
    for code in ("INVALID_CREDENTIALS", "OTP_INVALID", "OTP_REPLAYED", "STEP_UP_REQUIRED",
                 "UNAUTHENTICATED"):
        assert code in unauthorized
    assert "ACCOUNT_LOCKED" in _resolve(spec, login["423"]["$ref"])["description"]
    account = spec["paths"]["/api/v1/me/social-security-account"]["get"]["responses"]
    assert "IAL2_REQUIRED" in _resolve(spec, account["403"]["$ref"])["description"]


def test_bearer_security_is_declared_once_and_public_operations_opt_out(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["security"] == [{"bearerAuth": []}]
    operations = dict(_operations(spec))
    assert set(operations) >= PUBLIC_OPERATIONS
    for operation_name, operation in operations.items():
        if operation_name in PUBLIC_OPERATIONS:
            assert operation["security"] == [], operation_name
        else:
            assert "security" not in operation, operation_name


def test_the_document_says_which_operations_need_a_token(client):
    """What the document claims, checked against the guards: without a token every
    secured operation answers UNAUTHENTICATED, and no public one does."""
    spec = client.get("/api/v1/openapi.json").json
    for operation_name, operation in _operations(spec):
        method, path = operation_name.split(" ")
        url = re.sub(r"\{personal_id\}", "079912345678", path)
        url = re.sub(r"\{\w+\}", "1", url)
        kwargs = {"json": {}} if method in ("POST", "PUT") else {}
        answer = client.open(url, method=method, **kwargs)
        if "security" in operation:
            assert answer.status_code != 401 or answer.json["code"] != "UNAUTHENTICATED", \
                operation_name
        else:
            assert (answer.status_code, answer.json["code"]) == (401, "UNAUTHENTICATED"), \
                operation_name


def test_every_status_in_the_document_lists_the_values_of_its_enum(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    expected = {"PayoutLink": LinkStatus, "Transition": LinkStatus, "StaffLink": LinkStatus,
                "Payment": PaymentStatus, "PaymentTransition": PaymentStatus,
                "PaymentRequest": PaymentRequestStatus, "Reconciliation": PaymentRequestStatus}
    for schema, enum in expected.items():
        assert schemas[schema]["properties"]["status"]["enum"] == list(enum), schema


def test_every_operation_lists_its_real_errors_and_no_catch_all(client):
    """A client, or a fuzzer, can hold each operation to the statuses it lists."""
    spec = client.get("/api/v1/openapi.json").json
    for operation_name, operation in _operations(spec):
        statuses = set(operation["responses"])
        assert "default" not in statuses, operation_name
        # Any request may be too large, carry a NUL byte, or meet a failure.
        assert {"413", "422", "500"} <= statuses, operation_name
        if operation_name not in PUBLIC_OPERATIONS:
            assert {"401", "403"} <= statuses, operation_name
        if "{" in operation_name:
            assert "404" in statuses, operation_name
    paths = spec["paths"]
    assert "423" in paths["/api/v1/me/payout-links"]["post"]["responses"]  # X-OTP paused
    assert "429" in paths["/api/v1/auth/login"]["post"]["responses"]
    assert "409" in paths["/api/v1/staff/payment-requests/{request_id}/approve"]["post"][
        "responses"]
