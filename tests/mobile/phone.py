"""The real app, headless, for screen tests: a Driver on it, and signing a citizen in."""
from __future__ import annotations

from pathlib import Path

import pytest

from mobile_app.window import configure_window

configure_window(resizable=False)

from mobile_app.app import SocialSecurityApp  # noqa: E402 (after the window's settings)
from mobile_app.flows.driver import Driver  # noqa: E402
from mobile_app.flows.report import FlowResult  # noqa: E402
from tests.conftest import totp_code  # noqa: E402


def start_phone(url: str, tmp_path: Path) -> Driver:
    driver = Driver(SocialSecurityApp(url), tmp_path, FlowResult("test", "", url))
    driver.start()
    return driver


@pytest.fixture
def phone(backend_url, tmp_path):
    driver = start_phone(backend_url, tmp_path)
    yield driver
    driver.app.language = "vi"  # before stopping: kv's `app` must not catch this app again
    driver.stop()


def sign_in(d: Driver, person: dict) -> None:
    d.type_into(d.widget("login", "personal_id"), person["personal_id"])
    d.type_into(d.widget("login", "password"), person["password"])
    d.tap(d.widget("login", "sign_in"))
    d.expect_screen("otp")
    d.type_into(d.widget("otp", "code"), totp_code(person))
    d.tap(d.widget("otp", "confirm"))
    d.expect_screen("home")
