"""Serve a folder on 127.0.0.1 for the demo and the tests.

Python's http.server keeps only 5 waiting connections, which stalls a concurrent
Scrapy crawl; this server keeps a larger queue and answers from threads.
"""

import io
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


TEMPLATED_SUFFIXES = (".xml", ".rss")


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the site folder; a file in the overlay folder, if any, hides the site's.

    Feeds and sitemaps (.xml, .rss) may write `{base_url}` for the server's own
    address, since absolute links cannot be known before the port is.
    """

    _site = None  # the LocalSite, bound by LocalSite

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self._site.folder), **kwargs)

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
        if not path.endswith(TEMPLATED_SUFFIXES) or not os.path.isfile(path):
            return super().send_head()
        body = Path(path).read_bytes().replace(b"{base_url}", self._site.base_url.encode())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):
        pass


class LocalSiteServer(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True


class LocalSite:
    """A folder served on 127.0.0.1 at a free port, in a background thread.

    Setting `overlay` to another folder serves its files in place of the site's,
    which is how the demo shows a page changing between two refreshes.
    """

    def __init__(self, folder, overlay=None, handler=SiteHandler):
        self.folder = Path(folder).resolve()
        self.overlay = overlay
        handler_class = type("BoundSiteHandler", (handler,), {"_site": self})
        self.server = LocalSiteServer(("127.0.0.1", 0), handler_class)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
