"""WARC archiving: every response received from the network, as it came, one file a month.

The downloader middleware sits next to the downloader, so it sees each response
before retries, redirects and decompression touch it: a 502 that was retried, a
redirect and a 304 are archived too. The record's file and id travel in the
request's meta to the spider, which links each document to the capture of its text.
"""

import http
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# The body Scrapy hands over is already de-chunked: keeping the header would lie about it.
DROPPED_HEADERS = {"transfer-encoding"}


def archive_file_name(moment):
    return f"{moment:%Y-%m}.warc.gz"


def _headers(scrapy_headers):
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in scrapy_headers.items()
            if name.decode("latin-1").lower() not in DROPPED_HEADERS
            for value in values]


def _path(url):
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _status_line(status):
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


class WarcArchiveMiddleware:
    """Writes a request and a response record for every response, to `<folder>/YYYY-MM.warc.gz`."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_crawler(cls, crawler):
        folder = crawler.settings.get("CLAIMLINE_ARCHIVE_DIR")
        if not folder:
            raise NotConfigured("CLAIMLINE_ARCHIVE_DIR is not set")
        return cls(folder)

    def process_response(self, request, response, spider=None):
        captured = datetime.now(timezone.utc)
        name = archive_file_name(captured)
        warc_date = captured.strftime("%Y-%m-%dT%H:%M:%SZ")
        # Appending gzip members keeps a valid .warc.gz; opening per response follows the month.
        with open(self.folder / name, "ab") as f:
            writer = WARCWriter(f, gzip=True)
            response_record = writer.create_warc_record(
                response.url, "response", payload=BytesIO(response.body),
                warc_headers_dict={"WARC-Date": warc_date},
                http_headers=StatusAndHeaders(_status_line(response.status),
                                              _headers(response.headers), protocol="HTTP/1.1"))
            record_id = response_record.rec_headers.get_header("WARC-Record-ID")
            request_record = writer.create_warc_record(
                request.url, "request", payload=BytesIO(request.body or b""),
                warc_headers_dict={"WARC-Date": warc_date, "WARC-Concurrent-To": record_id},
                http_headers=StatusAndHeaders(f"{request.method} {_path(request.url)}",
                                              _headers(request.headers), protocol="HTTP/1.1",
                                              is_http_request=True))
            writer.write_record(response_record)
            writer.write_record(request_record)
        request.meta["warc_file"] = name
        request.meta["warc_record_id"] = record_id
        return response
