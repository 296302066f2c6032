"""Work that runs off the request thread, on Huey.

Huey was chosen because one small library covers both shapes we need: a
Redis-backed queue whose consumers run on any number of hosts in production
(`ssa worker`), and a SQLite-backed queue consumed by threads inside the
service itself in the embedded default, with no extra service to run.
"""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey, crontab
from huey import signals as huey_signals
from huey.consumer import Consumer

log = logging.getLogger(__name__)


class InProcessConsumer(Consumer):
    """Huey's consumer as threads of this process: it leaves signals to the host."""

    def _set_signal_handlers(self):
        pass


class TaskQueue:
    def __init__(self, app: Flask):
        config = app.config
        if config["TASK_QUEUE_URL"].startswith("redis"):
            self.huey = RedisHuey(config["TASK_QUEUE_NAME"], url=config["TASK_QUEUE_URL"])
        else:
            self.huey = SqliteHuey(config["TASK_QUEUE_NAME"],
                                   filename=str(config["INSTANCE_PATH"] / "tasks.sqlite3"))
        self.in_process = not config["TASK_QUEUE_URL"].startswith("redis")
        self._consumer: Consumer | None = None
        self._lock = threading.Lock()
        self._running = 0
        self._register(app)
        self._count_running_tasks()

    def _register(self, app: Flask) -> None:
        from backend.db import utcnow
        from backend.services.accounts import verification
        config = app.config

        @self.huey.task(retries=config["TASK_RETRIES"], retry_delay=config["TASK_RETRY_DELAY"],
                        name="verify_link")
        def verify_link(link_id: int) -> None:
            with app.app_context():
                verification.run(link_id, utcnow())

        @self.huey.periodic_task(crontab(minute="*"), name="resume_stalled_links")
        def resume_stalled_links() -> None:
            with app.app_context():
                verification.resume_stalled(utcnow())

        self.verify_link = verify_link

    def _count_running_tasks(self) -> None:
        finished = (huey_signals.SIGNAL_COMPLETE, huey_signals.SIGNAL_ERROR,
                    huey_signals.SIGNAL_TIMEOUT, huey_signals.SIGNAL_LOCKED,
                    huey_signals.SIGNAL_CANCELED, huey_signals.SIGNAL_INTERRUPTED,
                    huey_signals.SIGNAL_RATE_LIMITED)

        @self.huey.signal(huey_signals.SIGNAL_EXECUTING)
        def _started(signal, task, *args):
            with self._lock:
                self._running += 1

        @self.huey.signal(*finished)
        def _finished(signal, task, *args):
            with self._lock:
                self._running -= 1

    def idle(self) -> bool:
        """Nothing queued, scheduled or running in this process's consumer."""
        with self._lock:
            running = self._running
        return running == 0 and self.huey.pending_count() == 0 \
            and self.huey.scheduled_count() == 0

    def wait_until_idle(self, timeout: float = 30.0) -> bool:
        """Block until idle for a moment (a retry is queued just after its error)."""
        deadline = time.monotonic() + timeout
        calm_since = None
        while time.monotonic() < deadline:
            if self.idle():
                calm_since = calm_since or time.monotonic()
                if time.monotonic() - calm_since >= 0.1:
                    return True
            else:
                calm_since = None
            time.sleep(0.02)
        return False

    def start_consumer(self, workers: int = 2) -> Consumer:
        """Start consuming in this process (idempotent)."""
        with self._lock:
            if self._consumer is None:
                self._consumer = InProcessConsumer(self.huey, workers=workers,
                                                   worker_type="thread", initial_delay=0.05,
                                                   max_delay=1.0, check_worker_health=False)
                self._consumer.start()
            return self._consumer

    def stop_consumer(self) -> None:
        with self._lock:
            if self._consumer is not None:
                self._consumer.stop(graceful=True)
                self._consumer = None


def init_app(app: Flask) -> None:
    app.extensions["tasks"] = TaskQueue(app)


def queue() -> TaskQueue:
    return current_app.extensions["tasks"]


def enqueue_verification(link_id: int) -> None:
    """Queue a verification; if the queue is down the sweeper picks it up later."""
    task_queue = queue()
    if task_queue.in_process:
        task_queue.start_consumer()
    try:
        task_queue.verify_link(link_id)
    except Exception:  # noqa: BLE001 - the request is stored; resume_stalled retries it
        log.exception("could not queue verification of link %s", link_id)
