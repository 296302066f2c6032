"""Runs one flow: the app headless (or on screen), its script, the report."""
from __future__ import annotations

import contextlib
import importlib
import json
import traceback
from datetime import datetime
from pathlib import Path

from mobile_app.flows.catalogue import FLOWS
from mobile_app.flows.report import FlowResult, write_report

DEFAULT_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "eid_accounts.json"


def demo_citizen(fixtures: Path, case: str, index: int) -> dict:
    people = json.loads(fixtures.read_text(encoding="utf-8"))
    return [person for person in people if person["case"] == case][index]


def run_flow(name: str, backend: str, folder: Path, fixtures: Path | None = None) -> FlowResult:
    from mobile_app.window import configure_window
    configure_window(resizable=False)
    from mobile_app.app import SocialSecurityApp
    from mobile_app.flows.driver import Driver

    flow = FLOWS[name]
    folder.mkdir(parents=True, exist_ok=True)
    result = FlowResult(name, flow.description, backend)
    started = datetime.now()
    driver = Driver(SocialSecurityApp(backend), folder, result)
    driver.app.exports_folder = folder  # a downloaded export lands beside the report
    try:
        person = demo_citizen(fixtures or DEFAULT_FIXTURES, flow.case, flow.index)
        driver.start()
        journey, function = flow.script.rsplit(".", 1)
        script = getattr(importlib.import_module(f"mobile_app.flows.scripts.{journey}"), function)
        script(driver, person)
    except Exception:  # the report must say what broke, whatever it was
        result.error = traceback.format_exc()
        try:
            driver.shot("Failure: the screen when the flow stopped")
            result.steps[-1].passed = False
        except Exception:
            pass
    finally:
        with contextlib.suppress(Exception):
            driver.stop()
    result.report_path = write_report(result, folder, started)
    return result
