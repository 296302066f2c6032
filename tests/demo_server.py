"""Start `ssa demo` as a real process on a free port (embedded default, fresh instance)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from backend.config import REPO_ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_demo(instance: Path, *options: str, timeout: float = 120,
               settings: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """The demo serving from `instance`, with `settings` (SSA_… variables) on top of
    the environment's; returns the process and its base URL."""
    port = free_port()
    environ = {key: value for key, value in os.environ.items()
               if key not in ("DATABASE_URL", "SSA_TASK_QUEUE_URL")}
    environ.update(SSA_INSTANCE_PATH=str(instance), SSA_ARGON2_TIME_COST="1",
                   SSA_ARGON2_MEMORY_COST="8", SSA_ARGON2_PARALLELISM="1", **(settings or {}))
    ssa = Path(sys.executable).parent / "ssa"
    # Its output goes to a file: a pipe nobody reads fills up with the access
    # log, and then every request thread blocks on its next log line.
    instance.mkdir(parents=True, exist_ok=True)
    output = (instance / "demo-output.log").open("wb")
    server = subprocess.Popen([str(ssa), "demo", "--port", str(port), *options], env=environ,
                              cwd=REPO_ROOT, stdout=output, stderr=subprocess.STDOUT)
    output.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v1/institutions", timeout=2) as answer:
                json.load(answer)
            return server, url
        except OSError:
            if server.poll() is not None:
                raise AssertionError((instance / "demo-output.log").read_text()) from None
            if time.monotonic() > deadline:
                server.terminate()
                raise AssertionError(f"demo did not start in {timeout} s") from None
            time.sleep(0.3)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)
