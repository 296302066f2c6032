"""Kivy headless (before anything imports kivy), and the session's app served over HTTP."""
from __future__ import annotations

import os
import tempfile

import pytest

from tests.demo_server import free_port

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")  # Kivy logs through logging, not stderr
os.environ.setdefault("KIVY_CLIPBOARD", "dummy")


@pytest.fixture
def backend_url(live_url, clean_db):
    return live_url


@pytest.fixture
def closed_port_url() -> str:
    """An address where nothing listens: the backend is down."""
    return f"http://127.0.0.1:{free_port()}"


# The screen tests' `phone` fixture; its module configures Kivy's window, so it
# comes after the environment above.
from tests.mobile.phone import phone  # noqa: E402, F401
