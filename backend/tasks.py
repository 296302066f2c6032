"""Work that runs off the request thread, on Huey.

Huey was chosen because one small library covers both shapes we need: a
Redis-backed queue whose consumers run on any number of hosts in production
(`ssa worker`), and a SQLite-backed queue consumed by threads inside the
service itself in the embedded default, with no extra service to run.
"""
from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey, crontab
from huey import signals as huey_signals
from huey.api import TaskWrapper
from huey.consumer import Consumer

from backend import logs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegisteredTask:
    function: Callable[..., None]
    # crontab fields (minute, hour, ...) of a periodic task; empty for a queued one
    schedule: dict[str, str] = field(default_factory=dict)


# Services register their work here when imported (see `task`); this module
# imports no service, so a service may queue work without an import circle.
_registry: dict[str, RegisteredTask] = {}


def task(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register `function` as the task `name`, queued by `enqueue(name, ...)` and retried
    TASK_RETRIES times when it raises. It runs in an app context."""
    def register(function: Callable[..., None]) -> Callable[..., None]:
        _registry[name] = RegisteredTask(function)
        return function
    return register


def periodic_task(name: str, **schedule: str) -> Callable[[Callable[[], None]],
                                                           Callable[[], None]]:
    """Register `function` to run on the crontab `schedule` (e.g. minute="*")."""
    def register(function: Callable[[], None]) -> Callable[[], None]:
        _registry[name] = RegisteredTask(function, schedule)
        return function
    return register


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
        self._held = False
        self._lock = threading.Lock()
        self._running = 0
        self._tasks: dict[str, TaskWrapper] = {}
        for name, registered in _registry.items():
            self._bind(app, name, registered)
        self._count_running_tasks()

    def _bind(self, app: Flask, name: str, registered: RegisteredTask) -> None:
        def run_in_app_context(*args: object, request_id: str | None = None) -> None:
            # The id of the request that queued the task (a new one for a periodic
            # run), so the worker's log lines join the web worker's.
            token = logs.bind_request_id(request_id or logs.new_request_id())
            started = time.perf_counter()
            log.info("task %s started", name, extra={"task": name})
            try:
                with app.app_context():
                    registered.function(*args)
            except Exception:
                log.warning("task %s failed", name, exc_info=True, extra={"task": name})
                raise  # Huey retries it
            else:
                log.info("task %s done", name, extra={
                    "task": name, "duration_ms": round((time.perf_counter() - started) * 1000,
                                                       2)})
            finally:
                logs.unbind_request_id(token)

        if registered.schedule:
            self.huey.periodic_task(crontab(**registered.schedule), name=name)(
                run_in_app_context)
        else:
            self._tasks[name] = self.huey.task(
                retries=app.config["TASK_RETRIES"], retry_delay=app.config["TASK_RETRY_DELAY"],
                name=name)(run_in_app_context)

    def enqueue(self, name: str, *args: object) -> None:
        """Queue the registered task `name`; a consumer runs it with `args`."""
        if self.in_process and not self._held:
            self.start_consumer()
        self._tasks[name](*args, request_id=logs.current_request_id())

    def enqueue_in(self, seconds: float, name: str, *args: object) -> None:
        """Queue `name` to run `seconds` from now (kept by the queue, not by a thread)."""
        if self.in_process and not self._held:
            self.start_consumer()
        self._tasks[name].schedule(args=args, kwargs={"request_id": logs.current_request_id()},
                                   delay=seconds)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Queue without consuming in this process until the block ends (then start
        the consumer yourself). The demo writes its history from one thread: on SQLite
        a consumer thread writing meanwhile makes the history's next write fail with
        "database is locked" (a WAL reader cannot upgrade past a newer commit)."""
        self._held = True
        try:
            yield
        finally:
            self._held = False

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
        # Stopped outside the lock: a task finishing meanwhile takes it to count itself.
        with self._lock:
            consumer, self._consumer = self._consumer, None
        # Joined outside the lock: a worker finishing its last task takes the lock
        # to count it (_count_running_tasks), and would wait for us for ever.
        if consumer is not None:
            consumer.stop(graceful=True)


def init_app(app: Flask) -> None:
    app.extensions["tasks"] = TaskQueue(app)


def queue() -> TaskQueue:
    return current_app.extensions["tasks"]


def enqueue(name: str, *args: object) -> None:
    """Queue the registered task `name` on the app's queue; raises if the queue is down."""
    queue().enqueue(name, *args)


def enqueue_in(seconds: float, name: str, *args: object) -> None:
    """Queue the registered task `name` to run `seconds` from now."""
    queue().enqueue_in(seconds, name, *args)
