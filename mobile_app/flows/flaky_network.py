"""A flaky network between the app and the backend, for the flaky-network QA flow.

A TCP proxy on 127.0.0.1 that holds every request back by a fixed latency and
drops a share of them with their connection: either before the request reaches
the backend (the backend never sees it), or after the backend answered (the
app never sees the answer, the case an Idempotency-Key exists for).

Which requests drop is decided by a seeded generator per request line and its
count (the 1st `POST /api/v1/me/payout-links`, the 3rd `GET /api/v1/me`...),
so a run drops the same requests whatever the order the app's threads send
them in. Requests are told apart by reads from the client: the app's HTTP
client writes a request's headers and small body at once.

Written here rather than taken from a library: mitmproxy pins Flask and
cryptography below the versions this project uses, and Toxiproxy is a
server binary that no package registry here ships.
"""
from __future__ import annotations

import asyncio
import contextlib
import random
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

REQUEST_LINE = re.compile(rb"^[A-Z]+ \S+ HTTP/1\.[01]$")


@dataclass
class Dropped:
    before: list[str] = field(default_factory=list)  # request lines the backend never got
    after: list[str] = field(default_factory=list)  # request lines whose answer was lost


class FlakyProxy:
    def __init__(self, upstream: str, latency: float = 0.5, drop_rate: float = 0.1,
                 seed: int = 18):
        host, _, port = upstream.removeprefix("http://").rstrip("/").partition(":")
        self.upstream = (host, int(port or 80))
        self.latency = latency
        self.drop_rate = drop_rate
        self.seed = seed
        self.requests = 0
        self.dropped = Dropped()
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="flaky-proxy")
        self.url = ""

    def start(self) -> str:
        """Listen on a free port; answers the proxy's base URL."""
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, "127.0.0.1", 0), self._loop).result(10)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()
        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _fate(self, request_line: str) -> str:
        """"pass", "before" or "after": the same for the same line and count in every run."""
        with self._lock:
            self.requests += 1
            self._seen[request_line] += 1
            chance = random.Random(f"{self.seed}|{request_line}|{self._seen[request_line]}")
        if chance.random() >= self.drop_rate:
            return "pass"
        fate = chance.choice(("before", "after"))
        with self._lock:
            getattr(self.dropped, fate).append(request_line)
        return fate

    async def _serve(self, client_reader: asyncio.StreamReader,
                     client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.close()
            return
        answer_lost = asyncio.Event()
        answers = asyncio.create_task(self._answers(upstream_reader, client_writer, answer_lost))
        try:
            # A request's body may come in a read of its own: it goes on like the
            # headers, and a lost answer is cut by _answers when the answer comes.
            while chunk := await client_reader.read(65536):
                first_line = chunk.split(b"\r\n", 1)[0]
                if REQUEST_LINE.match(first_line):  # a new request, not the rest of one
                    await asyncio.sleep(self.latency)
                    fate = self._fate(first_line.decode("latin-1"))
                    if fate == "before":
                        break
                    if fate == "after":
                        answer_lost.set()
                upstream_writer.write(chunk)
                await upstream_writer.drain()
        except ConnectionError:
            pass
        finally:
            answers.cancel()
            for writer in (client_writer, upstream_writer):
                writer.close()

    @staticmethod
    async def _answers(upstream_reader: asyncio.StreamReader,
                       client_writer: asyncio.StreamWriter, answer_lost: asyncio.Event) -> None:
        with contextlib.suppress(ConnectionError):
            while chunk := await upstream_reader.read(65536):
                if answer_lost.is_set():
                    break  # the backend answered; the client gets a closed connection
                client_writer.write(chunk)
                await client_writer.drain()
        client_writer.close()
