"""Serve a folder on 127.0.0.1 (or another loopback address) for the demo, the tests
and the benchmarks.

Python's http.server keeps only 5 waiting connections, which stalls a concurrent
Scrapy crawl; this server keeps a larger queue and answers from threads. Files get
an ETag from their content, and conditional requests their 304, like a real site.
Tests script hostile behaviour per path with `LocalSite.answers`.
"""

import hashlib
import io
import os
import sys
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


TEMPLATED_SUFFIXES = (".xml", ".rss")


HOLD = None  # an Answer's delay: never answer while the site runs


@dataclass
class Answer:
    """A scripted answer: a status, headers and a body instead of the file, given after
    `delay` seconds (a server too slow to answer); `delay=HOLD` holds the connection
    open without a byte until the site closes, so no timeout can lose the race."""
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    delay: float | None = 0


@dataclass
class Served:
    """One request the site answered: for tests to check what the crawler sent."""
    path: str
    status: int
    headers: dict


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the site folder; a file in the overlay folder, if any, hides the site's.

    Feeds and sitemaps (.xml, .rss) may write `{base_url}` for the server's own
    address, since absolute links cannot be known before the port is.
    """

    _site = None  # the LocalSite, bound by LocalSite

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self._site.folder), **kwargs)

    def do_GET(self):
        self.etag = None
        answer = self._site.next_answer(self.path)
        if answer is None:
            return super().do_GET()
        if self._site.closing.wait(answer.delay):
            return  # the site is closing: the client hears nothing
        self.send_response(answer.status)
        for name, value in {"Content-Length": str(len(answer.body)), **answer.headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)

    def log_request(self, code="-", size="-"):
        self._site.served.append(Served(self.path, int(code), dict(self.headers)))

    def translate_path(self, path):
        site = self._site
        translated = super().translate_path(path)
        if site.overlay is not None:
            relative = os.path.relpath(translated, site.folder)
            candidate = Path(site.overlay) / relative
            if candidate.is_file():
                return str(candidate)
        return translated

    def send_head(self):
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            return super().send_head()
        body = Path(path).read_bytes()
        if not path.endswith(TEMPLATED_SUFFIXES):
            self.etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
            if self.headers.get("If-None-Match") == self.etag:
                self.send_response(304)
                self.end_headers()
                return None
            return super().send_head()  # also answers If-Modified-Since
        body = body.replace(b"{base_url}", self._site.base_url.encode())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self):
        if getattr(self, "etag", None):
            self.send_header("ETag", self.etag)
        super().end_headers()

    def log_message(self, format, *args):
        pass


class LocalSiteServer(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a crawler hanging up (timeout, size limit) is part of the tests, not an error
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalSite:
    """A folder served on `host` (127.0.0.1; any 127.x.y.z on Linux, a host of its own
    for the crawler) at a free port, in a background thread.

    Setting `overlay` to another folder serves its files in place of the site's,
    which is how the demo shows a page changing between two refreshes.

    `answers` maps a path (with its query) to a list of `Answer`s given in turn
    instead of the file; the last one is given again and again, and `None` in the
    list means the file: `[Answer(502), None]` fails once, then serves the page.
    `served` lists every request answered.
    """

    def __init__(self, folder, overlay=None, handler=SiteHandler, host="127.0.0.1"):
        self.folder = Path(folder).resolve()
        self.overlay = overlay
        self.answers = {}
        self.served = []
        self._lock = threading.Lock()
        self.closing = threading.Event()  # releases the answers held back
        handler_class = type("BoundSiteHandler", (handler,), {"_site": self})
        self.server = LocalSiteServer((host, 0), handler_class)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def next_answer(self, path):
        with self._lock:
            queue = self.answers.get(path)
            if not queue:
                return None
            return queue.pop(0) if len(queue) > 1 else queue[0]

    @property
    def base_url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()
