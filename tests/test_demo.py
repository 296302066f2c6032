"""`ssa demo` from nothing: migrates, seeds and serves on the embedded default."""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pyotp
import pytest
import time_machine

from backend.config import REPO_ROOT
from tests.demo_server import start_demo, stop


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


@pytest.mark.own_demo_server
def test_demo_serves_the_api_with_demo_data(tmp_path: Path):
    server, url = start_demo(tmp_path, "--history-months", "1")
    base = f"{url}/api/v1"
    try:
        with urllib.request.urlopen(f"{base}/institutions", timeout=10) as answer:
            institutions = json.load(answer)
        assert {"VCB", "VIETTELMONEY"} <= {item["code"] for item in institutions}

        demo = json.loads((REPO_ROOT / "fixtures/eid_accounts.json").read_text())[0]
        challenge = _post(f"{base}/auth/login", {"personal_id": demo["personal_id"],
                                                 "password": demo["password"]})
        tokens = _post(f"{base}/auth/otp", {"challenge_id": challenge["challenge_id"],
                                            # the server runs on real time, not the frozen clock
                                            "code": pyotp.TOTP(demo["totp_secret"]).at(
                                                time_machine.escape_hatch.time.time())})
        assert tokens["ial"] == 2
        assert (tmp_path / "ssa.sqlite3").exists()
        # A month of payments was simulated, so the demo has history to show.
        request = urllib.request.Request(f"{base}/me/payments", headers={
            "Authorization": f"Bearer {tokens['access_token']}"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            history = json.load(answer)
        assert history["total"] >= 1 and history["items"][0]["status"] == "PAID"
    finally:
        stop(server)
