"""Real webhook receivers on this machine: ``http.server`` in a thread, answering every POST
with ``status`` after ``delay`` seconds and keeping what it was sent (headers and body)."""

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Receiver:
    url: str
    status: int = 200
    delay: float = 0.0
    received: list = field(default_factory=list)
    arrivals: list = field(default_factory=list)  # time.monotonic() of each POST

    @property
    def ids(self) -> list[str]:
        return [headers["webhook-id"] for headers, _ in self.received]


@contextlib.contextmanager
def receiver(status: int = 200, delay: float = 0.0):
    """A receiver at ``http://127.0.0.1:<port>/hooks`` (the tests allow loopback)."""
    box = Receiver(url="", status=status, delay=delay)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            box.arrivals.append(time.monotonic())
            body = self.rfile.read(int(self.headers["Content-Length"]))
            box.received.append(({k.lower(): v for k, v in self.headers.items()}, body.decode()))
            time.sleep(box.delay)
            try:
                self.send_response(box.status)
                self.end_headers()
                self.wfile.write(b"ok")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the caller stopped waiting

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    box.url = f"http://127.0.0.1:{server.server_port}/hooks"
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()
