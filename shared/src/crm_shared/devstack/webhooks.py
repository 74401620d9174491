"""A local HTTP server that receives webhooks and keeps them: in memory for tests, as JSON lines for `make run`.

It stands in for the outside systems automation's webhooks go to. Tests may tell it to answer with
an error status a number of times first, to see retries and the switching off of a failing subscription.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.time)  # when it came in (Unix seconds): delivery delays are measured

    def json(self) -> Any:
        return json.loads(self.body)


class Server(ThreadingHTTPServer):
    request_queue_size = 128  # connections waiting to be accepted, as a web server's (the default 5 drops some)


class WebhookReceiver:
    """Listens on 127.0.0.1:`port` once started; every POST is kept and answered 204 (or a queued status)."""

    def __init__(self, port: int, log: Path | None = None) -> None:
        self.port, self.log = port, log
        self.received: list[Received] = []
        self.answers: deque[int] = deque()  # statuses to answer with first, in order
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def listening(self) -> bool:
        return self._server is not None

    def fail(self, times: int, status: int = 503) -> None:
        with self._lock:
            self.answers.extend([status] * times)

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver._keep(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # kept, not printed

        self._server = Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, name="webhook-receiver", daemon=True).start()

    def _keep(self, received: Received) -> int:
        with self._lock:
            status = self.answers.popleft() if self.answers else 204
            if status < 300:
                self.received.append(received)
                if self.log is not None:
                    self.log.parent.mkdir(parents=True, exist_ok=True)
                    entry = {"path": received.path, "headers": received.headers, "body": received.body.decode()}
                    with self.log.open("a") as out:
                        out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            return status

    def stop(self) -> None:
        """Stop listening (started again, it listens on the same port: a receiver's outage)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
