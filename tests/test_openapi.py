"""The OpenAPI document and interactive docs, served with no internet."""
from __future__ import annotations

import re


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
