"""Every QA flow, through `ssa-app flow`, against `ssa demo` on a free port (seeded SQLite)."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.config import REPO_ROOT
from mobile_app.flows.catalogue import FLOWS
from mobile_app.flows.runner import DEFAULT_FIXTURES, demo_citizen
from mobile_app.flows.scripts.authorisations import PLAIN_RELATIVE
from tests.demo_server import start_demo, stop
from tests.mobile.pngs import distinct_colours

FLOWS_AT_ONCE = 6


@pytest.mark.own_demo_server
def test_every_flow_passes_with_screenshots(tmp_path):
    # One simulated month of payments: the payment-history flow browses them.
    # Every flow signs in from this one address, a few at a time: the sign-in rate
    # limit per address (tested on its own) would refuse them as one fast client.
    server, url = start_demo(tmp_path / "instance", "--institution-latency", "0",
                             "--history-months", "1",
                             settings={"SSA_LOGIN_RATE_LIMIT": "1000 per minute"})
    environ = {**os.environ, "KIVY_HOME": str(tmp_path / "kivy"), "KIVY_NO_ARGS": "1"}
    try:
        # A few at a time: each flow plays its own citizen, so the waits for a next
        # 30-second code overlap; but every flow is a whole app drawing in software,
        # and two dozen at once on two cores starve the demo they all sign in to.
        with ThreadPoolExecutor(max_workers=FLOWS_AT_ONCE) as pool:
            runs = dict(zip(FLOWS, pool.map(lambda name: subprocess.run(
                [sys.executable, "-m", "mobile_app", "flow", name, "--backend", url,
                 "--screenshots", str(tmp_path / name)], env=environ, cwd=REPO_ROOT,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=480), FLOWS),
                strict=True))
        outputs = {name: run.stdout.decode(errors="replace") for name, run in runs.items()}
    finally:
        stop(server)
    for name, run in runs.items():
        report = tmp_path / name / "report.md"
        assert run.returncode == 0, (report.read_text() if report.exists()
                                     else outputs[name][-3000:])
        assert report.read_text(encoding="utf-8").startswith(f"# QA flow `{name}`: PASSED")
        shots = sorted((tmp_path / name).glob("*.png"))
        assert len(shots) >= 4, name
        for shot in shots:
            assert f"]({shot.name})" in report.read_text(encoding="utf-8")
            assert distinct_colours(shot) > 8, f"{shot} looks blank"


def test_flows_are_listed():
    listed = subprocess.run([sys.executable, "-m", "mobile_app", "flow", "--list"],
                            capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    assert [line.split()[0] for line in listed.stdout.splitlines()] == list(FLOWS)
    assert len(FLOWS) >= 15  # issue 18: every citizen journey has its flow


def test_no_two_flows_play_one_citizen():
    # The flows run at once and a one-time code is accepted once: two flows signing
    # in as one citizen would refuse each other's codes.
    played = [demo_citizen(DEFAULT_FIXTURES, flow.case, flow.index)["personal_id"]
              for flow in FLOWS.values()]
    played.append(demo_citizen(DEFAULT_FIXTURES, "plain", PLAIN_RELATIVE)["personal_id"])
    assert len(played) == len(set(played))
