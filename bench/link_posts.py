"""Benchmark: the POST phase of bench/link_burst.py alone, with the web's CPU per POST.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE ssa_bench_posts"
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/ssa_bench_posts \\
    SSA_TASK_QUEUE_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/link_posts.py --requests 1000

The same citizens and POSTs as link_burst.py, against `ssa serve`, with no
worker: what accepting a link request costs, apart from verifying it. Prints
the POST percentiles, POSTs a second, and the CPU time the gunicorn processes
spent per POST (user + system, from /proc). The requests stay SUBMITTED (their
tasks are dropped with the run's queue): use a database for this alone.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import redis
from sqlalchemy import func, select

from backend import db, schema
from backend.app import create_app
from backend.config import REPO_ROOT
from backend.models import Institution, SimPerson
from backend.services.demo import seed

sys.path.insert(0, str(Path(__file__).parent))
import link_burst  # noqa: E402 - the burst's citizens and POSTs, shared


def cpu_seconds(pid: int) -> float:
    """User and system time of `pid` and its children (gunicorn and its workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for each in [pid, *map(int, children)]:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def free_run() -> int:
    """A run number no earlier run on this database used."""
    return next(run for run in range(100)
                if db.session.get(SimPerson, link_burst.personal_id(run, 0)) is None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--submitters", type=int, default=32)
    parser.add_argument("--port", type=int, default=5151)
    arguments = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    queue_url = os.environ.get("SSA_TASK_QUEUE_URL", "")
    if not database_url.startswith("postgresql") or not queue_url.startswith("redis"):
        raise SystemExit("set DATABASE_URL (PostgreSQL) and SSA_TASK_QUEUE_URL (Redis)")
    queue = f"ssa-bench-posts-{uuid.uuid4().hex[:8]}"
    environ = {**os.environ, "SSA_TASK_QUEUE_NAME": queue, "SSA_RATELIMIT_ENABLED": "false",
               "SSA_LOG_LEVEL": "WARNING"}
    schema.upgrade(database_url)
    app = create_app(link_burst.BenchConfig(environ=environ))
    with app.app_context():
        if db.session.scalar(select(func.count()).select_from(Institution)) == 0:
            seed.load(REPO_ROOT / "fixtures", db.utcnow())
        citizens = link_burst.make_citizens(arguments.requests, free_run())
    ssa = str(Path(sys.executable).with_name("ssa"))
    web = subprocess.Popen([ssa, "serve", "--host", "127.0.0.1", "--port", str(arguments.port)],
                           cwd=REPO_ROOT, env=environ)
    try:
        link_burst.wait_for_port(arguments.port, web)
        cpu_before, started = cpu_seconds(web.pid), time.monotonic()
        with ThreadPoolExecutor(arguments.submitters) as pool:
            posts = list(pool.map(lambda citizen: link_burst.post_link(arguments.port, *citizen),
                                  citizens))
        took, cpu = time.monotonic() - started, cpu_seconds(web.pid) - cpu_before
    finally:
        web.terminate()
        web.wait(30)
        queued = redis.Redis.from_url(queue_url)
        for key in queued.scan_iter(f"*{queue}*"):
            queued.delete(key)
    latencies = [took_ms for took_ms, _ in posts]
    print(json.dumps({
        "requests": arguments.requests, "submitters": arguments.submitters,
        "posts_per_s": round(arguments.requests / took, 1),
        "post_p50_ms": round(statistics.median(latencies), 1),
        "post_p90_ms": round(link_burst.percentile(latencies, 0.9), 1),
        "post_p99_ms": round(link_burst.percentile(latencies, 0.99), 1),
        "not_202": sum(status != 202 for _, status in posts),
        "web_cpu_ms_per_post": round(cpu * 1000 / arguments.requests, 2)}))


if __name__ == "__main__":
    main()
