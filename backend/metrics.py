"""Prometheus metrics (prometheus_client): requests and their latency per route,
and, counted when Prometheus scrapes, the task queue and the records per status.

Under gunicorn each worker is its own process. The gunicorn configuration
(deploy/gunicorn.conf.py) points PROMETHEUS_MULTIPROC_DIR at a fresh directory
before any worker starts; prometheus_client then keeps each worker's counts in
a file there, and a scrape of any worker adds up every worker's files. Without
it (the demo, the tests) the counts live in this process.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator

from flask import Flask, current_app
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

from backend import tasks
from backend.services.operations import figures

log = logging.getLogger(__name__)

CONTENT_TYPE = CONTENT_TYPE_LATEST
# A request that matched no route is counted under this name, never its raw path
# (a scanner's random paths would otherwise make a series each).
UNMATCHED = "unmatched"

REQUESTS = Counter("ssa_http_requests", "HTTP requests answered, by route template and status",
                   ["method", "route", "status"])
LATENCY = Histogram("ssa_http_request_duration_seconds",
                    "Time to answer an HTTP request, by route template", ["method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))


def observe_request(method: str, route: str | None, status: int, seconds: float) -> None:
    route = route or UNMATCHED
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


class RecordsCollector(Collector):
    """Counted at scrape time on the worker scraped, so one process answers them
    (no gauge to keep right across processes and hosts)."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily | HistogramMetricFamily]:
        with self.app.app_context():
            yield from self._queue()
            yield from self._inquiries()
            yield from self._by_status("ssa_link_requests", "Link requests by status",
                                       figures.links_by_status)
            yield from self._by_status("ssa_payments", "Payments by status",
                                       figures.payments_by_status)
            yield from self._conflicts()

    @staticmethod
    def _conflicts() -> Iterator[CounterMetricFamily]:
        counted = figures.conflicting_results()
        if counted is not None:
            yield CounterMetricFamily(
                "ssa_conflicting_results",
                "Payments for which the bank reported contradicting results (staff cases)",
                value=counted.get("opened", 0))

    def _queue(self) -> Iterator[GaugeMetricFamily]:
        huey = tasks.queue().huey
        try:
            pending, scheduled = huey.pending_count(), huey.scheduled_count()
        except Exception as error:  # noqa: BLE001 - the queue down: left out of this scrape
            log.warning("metrics: task queue unreachable: %s", error)
            return
        yield GaugeMetricFamily("ssa_task_queue_pending", "Tasks waiting for a worker",
                                value=pending)
        yield GaugeMetricFamily("ssa_task_queue_scheduled",
                                "Tasks waiting for their time (retries after a failure)",
                                value=scheduled)

    @staticmethod
    def _inquiries() -> Iterator[GaugeMetricFamily | HistogramMetricFamily]:
        waiting = figures.inquiries_waiting()
        if waiting is not None:
            family = GaugeMetricFamily(
                "ssa_institution_inquiries_waiting",
                "Account-holder inquiries waiting for a free slot at their institution",
                labels=["institution"])
            for institution, number in sorted(waiting.items()):
                family.add_metric([institution], number)
            yield family
        answers = figures.answer_times()
        if answers is not None:
            histogram = HistogramMetricFamily(
                "ssa_institution_answer_seconds",
                "Time an institution took to answer an inquiry (sent to answered)",
                labels=["institution"])
            for institution, (within, total, seconds) in sorted(answers.items()):
                buckets = [(str(float(bound)), number)
                           for bound, number in zip(figures.ANSWER_BUCKETS, within, strict=True)]
                histogram.add_metric([institution], buckets + [("+Inf", total)], seconds)
            yield histogram

    @staticmethod
    def _by_status(name, documentation, count) -> Iterator[GaugeMetricFamily]:
        counts = count()
        if counts is None:
            return
        family = GaugeMetricFamily(name, documentation, labels=["status"])
        for status, number in counts.items():
            family.add_metric([status], number)
        yield family


def exposition() -> bytes:
    """Every metric in Prometheus text format."""
    if current_app.config["METRICS_MULTIPROCESS_DIR"]:
        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    records = CollectorRegistry(auto_describe=False)
    records.register(RecordsCollector(current_app._get_current_object()))  # type: ignore[attr-defined]
    return generate_latest(requests) + generate_latest(records)
