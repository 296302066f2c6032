"""gunicorn's configuration for `ssa serve` (see README, "Running in production").

`ssa serve --host H --port P --workers N` passes the address and the worker count
on the command line, which take precedence over this file. The rest is read here
from the environment, the way gunicorn configurations are, so that the service's
unit file or Procfile says everything:

  SSA_WEB_WORKERS        worker processes when --workers is not given (2 per CPU + 1)
  SSA_WEB_THREADS        threads per worker; 1 runs gunicorn's sync workers (default)
  SSA_WEB_TIMEOUT        seconds a worker may take over one request before it is
                         replaced (30)
  SSA_LOG_LEVEL          INFO by default
  PROMETHEUS_MULTIPROC_DIR  where the workers keep their metrics (a fresh temporary
                         directory by default; emptied when gunicorn starts)

Forwarded headers are handled by the app (ProxyFix, SSA_TRUSTED_PROXY_HOPS), one
place for every server; gunicorn's own `forwarded_allow_ips` stays at its default
(local proxies only), which can only agree with it.

A graceful reload: `kill -HUP <master pid>` (systemctl reload ssa-web) starts new
workers on the new code and configuration, and lets the old ones finish their
requests (graceful_timeout). The app is loaded in each worker, not in the master,
for exactly that.
"""
import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

from backend import logs

# Before any worker imports prometheus_client, which reads it on import.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="ssa-metrics-")
    os.environ["SSA_METRICS_DIR_IS_TEMPORARY"] = "1"

workers = int(os.environ.get("SSA_WEB_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("SSA_WEB_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("SSA_WEB_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5
# A worker is replaced, gracefully, after this many requests: a slow leak never
# grows without bound. The jitter keeps the workers from restarting together.
max_requests = 10000
max_requests_jitter = 1000
preload_app = False
# Heartbeats in memory rather than on a disk that may stall (containers, busy hosts).
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"
proc_name = "ssa-web"
# Signals (systemctl reload/stop) steer the master; no control socket that two
# instances run by one user would fight over.
control_socket_disable = True

# The app writes one JSON access line per request, with its request id and route.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("SSA_LOG_LEVEL", "INFO").lower()
logconfig_dict = logs.dict_config(loglevel.upper())


def on_starting(server):
    # Counts left by a previous run would be added to this one's.
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob("*.db"):
        leftover.unlink()


def post_fork(server, worker):
    logs.guard_every_handler()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if os.environ.get("SSA_METRICS_DIR_IS_TEMPORARY"):
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
