"""The baseline of bench/read_path.py: a bare Flask app answering a 20-item JSON page.

    gunicorn --pythonpath bench bare_flask:app

No database, no token: what Flask and gunicorn cost by themselves for a
page shaped like `GET /api/v1/me/payments`.
"""
from __future__ import annotations

from flask import Flask, request

app = Flask(__name__)

PAGE = {
    "page": 1, "page_size": 20, "total": 20,
    "items": [{
        "id": 1_000_000 + number, "programme": "social_allowance",
        "programme_name": "Trợ cấp xã hội hằng tháng", "period": f"2025-{number % 12 + 1:02d}",
        "amount_vnd": 1_500_000, "status": "PAID", "failure_reason": None,
        "destination": {"kind": "bank", "institution": "VCB", "account_masked": "•••• 1234",
                        "via_authorised_person": False},
        "updated_at": "2026-11-24T08:00:00+00:00"} for number in range(20)],
    "totals_by_year": [{"year": 2026, "paid_count": 11, "paid_vnd": 16_500_000},
                       {"year": 2025, "paid_count": 9, "paid_vnd": 13_500_000}],
}
ETAG = '"bare-1"'


@app.get("/api/v1/me/payments")
def payments():
    if ETAG in request.headers.get("If-None-Match", ""):
        return "", 304, {"ETag": ETAG}
    return PAGE, 200, {"ETag": ETAG}
