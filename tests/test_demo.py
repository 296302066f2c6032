"""`ssa demo` from nothing: migrates, seeds and serves on the embedded default."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyotp
import time_machine

from backend.config import REPO_ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def test_demo_serves_the_api_with_demo_data(tmp_path: Path):
    port = _free_port()
    environ = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environ.update(SSA_INSTANCE_PATH=str(tmp_path), SSA_ARGON2_TIME_COST="1",
                   SSA_ARGON2_MEMORY_COST="8", SSA_ARGON2_PARALLELISM="1")
    ssa = Path(sys.executable).parent / "ssa"
    server = subprocess.Popen([str(ssa), "demo", "--port", str(port), "--history-months", "1"],
                              env=environ,
                              cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/institutions", timeout=2) as answer:
                    institutions = json.load(answer)
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "demo did not start in 120 s"
                time.sleep(0.3)
        assert {"VCB", "VIETTELMONEY"} <= {item["code"] for item in institutions}

        demo = json.loads((REPO_ROOT / "fixtures/eid_accounts.json").read_text())[0]
        challenge = _post(f"{base}/auth/login", {"personal_id": demo["personal_id"],
                                                 "password": demo["password"]})
        tokens = _post(f"{base}/auth/otp", {"challenge_id": challenge["challenge_id"],
                                            # the server runs on real time, not the suite's frozen clock
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
        server.terminate()
        server.wait(timeout=10)
